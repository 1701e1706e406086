/**
 * The reference documents' literal example bodies (test/fixtures/reference-examples), served by
 * the simulator as COC's answers (fault `answer`), through the real client AND the commands that
 * render them: what the person reads. Where the reference gives a table but no example (the
 * resource list, a script's details), the body is shaped by the table alone — the host has no
 * `agent_state` (the table has none) and its tags are the table's Map<String,String>.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../src/sim/faults.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

interface Fixture {
  readonly route: string;
  readonly method: string;
  readonly status: number;
  readonly body: Record<string, any>;
}
const fixture = (file: string): Fixture => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'reference-examples', file), 'utf8')) as Fixture;

const ORDER = 'GET /v1/job/script/orders/{execute_uuid}';
const ORDER_STATISTICS = 'GET /v1/job/script/orders/{execute_uuid}/statistics';
const ORDER_BATCHES = 'GET /v1/job/script/orders/{execute_uuid}/batches';
const ORDER_BATCH = 'GET /v1/job/script/orders/{execute_uuid}/batches/{batch_index}';
const RESOURCES = 'GET /v1/resources';
const RESOURCE_COUNT = 'GET /v1/resources/count';
const SCRIPT = 'GET /v1/job/scripts/{script_uuid}';
const SCRIPTS = 'GET /v1/job/scripts';
const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';

/** A row with exactly the fields of the reference's resource table (Table 4-3): no agent_state, tags as a map. */
const REFERENCE_HOST = {
  id: 'cmdb-ref-0001',
  resource_id: '8d3a7f2e-5c1b-4e9a-b6d0-1f2e3d4c5b6a',
  name: 'ref-web-01',
  provider: 'ecs',
  type: 'cloudservers',
  project_id: '0a1b2c3d4e5f',
  region_id: 'cn-north-4',
  ep_id: '0',
  tags: { env: 'prod' },
  properties: { osType: 'linux' },
  agent_id: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
};

/** A script's details as the reference's table (4.2.5) lays them out, unwrapped, with the create example's values. */
function referenceScriptDetail(): Record<string, unknown> {
  const created = fixture('create-script-200-en.json');
  return {
    script_uuid: created.body['data'],
    name: '09101112',
    type: 'SHELL',
    content: 'echo ${value}',
    description: ' Instance Script',
    status: 'APPROVED',
    gmt_created: 1697946452186,
    creator: 'test',
    properties: { risk_level: 'HIGH', version: '1.0.0', reviewers: [{ reviewer_name: 'test', reviewer_id: '7a8513cd87b7448283a1d5190eb91234' }], protocol: 'WECHAT' },
    script_params: [{ param_name: 'a', param_value: 'string', param_description: 'string', param_order: 1, sensitive: true }],
  };
}

let bot: TestBot;
const armed: string[] = [];
function answer(route: string, status: number, body: unknown, times?: number): void {
  bot.sim.faults.set(route, { kind: 'answer', status, body, ...(times ? { times } : {}) } as Fault);
  armed.push(route);
}

beforeAll(async () => {
  bot = await makeTestBot();
});
afterEach(() => {
  for (const route of armed.splice(0)) bot.sim.faults.clear(route);
});
afterAll(async () => {
  await bot?.close();
});

const PLACE = { channelId: 'terminal', isDirect: false } as const;

describe('order show', () => {
  it('renders the order, statistics and batch examples as the person reads them', async () => {
    const info = fixture('get-script-job-info-200-en.json');
    answer(ORDER, 200, info.body);
    answer(ORDER_STATISTICS, 200, fixture('get-script-job-statistics-200-en.json').body);
    // The batch list has no example: the reference's table shows a bare array (notes §1.10).
    answer(ORDER_BATCHES, 200, [{ batch_index: 1, total_instances: 1, rotation_strategy: 'CONTINUE' }]);
    answer(ORDER_BATCH, 200, fixture('get-script-job-batch-200-en.json').body);
    const text = await bot.run('alice', `order show ${info.body['data'].execute_uuid}`);
    expect(text).toContain('Order SCT2023102211473xxxxxxxxxx');
    expect(text).toContain('Script            xjptxxxxxxxx');
    expect(text).toContain('Status            Canceled (CANCELED)');
    expect(text).toContain('Started by        xxxxxxxxxxxcontainer1');
    // execute_costs 311282 is milliseconds (notes §3 row 10): 5 min 11 s, not 86 hours.
    expect(text).toContain('Ended             2023-10-22 03:52 UTC (took 5 min 11 s)');
    expect(text).toMatch(/host_name\s+x\.x\.x\.x\s+Canceled\s+5 min 11 s\s+1588/);
  });
});

describe('hosts and run preview: a host shaped by the reference\'s resource table (no agent_state)', () => {
  it('hosts says its state is unknown, never "No agent", and reads the tag map', async () => {
    answer(RESOURCES, 200, { data: [REFERENCE_HOST] });
    answer(RESOURCE_COUNT, 200, { data: 1 });
    const text = await bot.run('alice', 'hosts');
    expect(text).toMatch(/ref-web-01\s+⚠ State unknown\s+cn-north-4\s+env=prod\s+8d3a7f2e-5c1b-4e9a-b6d0-1f2e3d4c5b6a/);
    expect(text).not.toContain('No agent');
    expect(text).toContain('⚠ COC gave no UniAgent state for 1 of these hosts; a run asks COC which of them are ONLINE and leaves out the others.');
  });

  it('the run preview plans it once COC\'s agent_state=ONLINE filter lists it (and not under OFFLINE)', async () => {
    // The name search and the ONLINE filter find the row; the check under OFFLINE reaches the simulator, which lists nothing.
    answer(RESOURCES, 200, { data: [REFERENCE_HOST] }, 2);
    const before = bot.sim.countRequests(RESOURCES);
    const text = await bot.run('alice', 'run disk_usage --hosts ref-web-01');
    expect(text).toContain('Run disk_usage on 1 host?');
    expect(text).toContain('Batch 1 (Go on to the next batch): ref-web-01 (cn-north-4 · 8d3a7f2e)');
    expect(text).not.toContain('Left out');
    // The name search, then the ONLINE filter on its id.
    const asked = bot.sim.requests.filter((request) => request.routeKey === RESOURCES).slice(-(bot.sim.countRequests(RESOURCES) - before));
    expect(asked.some((request) => request.query['agent_state']?.[0] === 'ONLINE' && request.query['resource_id_list']?.includes(REFERENCE_HOST.resource_id))).toBe(true);
    expect(asked.some((request) => request.query['agent_state']?.[0] === 'OFFLINE' && request.query['resource_id_list']?.includes(REFERENCE_HOST.resource_id))).toBe(true);
  });

  it('a COC that answers every resource read alike (its filter does not filter) gets no run on it', async () => {
    answer(RESOURCES, 200, { data: [REFERENCE_HOST] });
    const text = await bot.run('alice', 'run disk_usage --hosts ref-web-01');
    expect(text).toContain('COC gave no UniAgent state for any matched host (ref-web-01: agent state unknown (COC gave none, and its agent_state filter did not filter))');
    expect(text).toContain('Nothing was planned.');
  });
});

describe('scripts show', () => {
  it('renders a script laid out as the reference\'s detail table, with the create example\'s values', async () => {
    answer(SCRIPT, 200, referenceScriptDetail());
    const text = await bot.run('alice', 'scripts show SC2023102521413701c4a8a62');
    expect(text).toContain('Script 09101112 · 🔴 HIGH');
    expect(text).toContain('Reviewers in COC  test');
    expect(text).toContain('UUID              SC2023102521413701c4a8a62');
    expect(text).toMatch(/a\s+•••••• \(sensitive\)/);
    expect(text).toContain('    echo ${value}');
    expect(text).not.toContain('"string"');
  });
});

describe('the documented error examples, as the person reads them', () => {
  it('400 on the script list: COC\'s code and message', async () => {
    const example = fixture('list-scripts-400-en.json');
    answer(SCRIPTS, 400, example.body);
    const text = await bot.run('alice', 'scripts');
    expect(text).toContain('COC refused the request (HTTP 400)');
    expect(text).toContain(`${example.body['error_code']}: ${example.body['error_msg']}`);
  });

  it('the execute\'s documented 204 (its error body cannot ride on a 204): what COC answered, outcome unknown, not sent again', async () => {
    const preview = await bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: 'alice' }, place: PLACE, text: 'run disk_usage --hosts web-01' });
    const go = preview.buttons?.find((button) => button.actionId === 'run:go');
    expect(go).toBeDefined();
    const example = fixture('execute-script-204-en.json');
    answer(EXECUTE, 204, example.body);
    const reply = await bot.click('alice', 'run:go', go!.value);
    expect(reply).toContain('Whether the run started is not known yet');
    expect(reply).toContain('outcome unknown: COC answered HTTP 204, its documented failure status, without a reason.');
    expect(reply).toContain('It was not sent again.');
    expect(reply).not.toMatch(/did not answer|failed unexpectedly/);
  });
});
