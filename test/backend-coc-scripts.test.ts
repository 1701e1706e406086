/**
 * The COC backend's scripts group against the simulator: custom and public scripts as neutral
 * scripts (COC's codes kept, reviewers, parameters, the content pin), the list filters and
 * paging as COC received them, not-found as undefined, and read failures in the neutral form.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { SCRIPT_OPERATIONS } from '../src/coc/api/scripts.js';
import {
  BackendRateLimitedError,
  BackendRefusedError,
  BackendUnavailableError,
  makeId,
  nativeOf,
  need,
  type ScriptsCapability,
} from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { cocScriptHash } from '../src/backends/coc/scripts.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import type { Script as SimScript } from '../src/sim/state/model.js';
import { routeKeyOf } from './coc-helpers.js';
import { simClient } from './sim-helpers.js';

const LIST_KEY = routeKeyOf(SCRIPT_OPERATIONS.list);
const GET_KEY = routeKeyOf(SCRIPT_OPERATIONS.get);
const LIST_PUBLIC_KEY = routeKeyOf(SCRIPT_OPERATIONS.listPublic);
const GET_PUBLIC_KEY = routeKeyOf(SCRIPT_OPERATIONS.getPublic);

let sim: Simulator;
let client: CocClient;
let scripts: ScriptsCapability;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, tickMs: 0 });
  client = simClient(sim, { timeoutMs: 5_000, retry: { retries: 0 } });
  scripts = need(createCocBackend(client), 'scripts');
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.faults.clear();
  sim.resetRequests();
});

function simScript(name: string): SimScript {
  const found = [...sim.world.scripts.values(), ...sim.world.publicScripts.values()].find((script) => script.name === name);
  if (!found) throw new Error(`the simulator has no script ${name}`);
  return found;
}

const requestsTo = (routeKey: string) => sim.requests.filter((record) => record.routeKey === routeKey);

describe('the scripts group', () => {
  it('declares public scripts, COC risk and type codes, parameter rules and how scripts are named', () => {
    expect(scripts.publicScripts).toBe(true);
    expect(scripts.riskCodes).toEqual(['LOW', 'MEDIUM', 'HIGH']);
    expect(scripts.typeCodes).toEqual(['SHELL', 'PYTHON', 'BAT']);
    expect(scripts.paramRules).toMatchObject({ maxParams: 20, maxValueLength: 4096 });
    expect(scripts.paramRules.accepts?.('/var/log/*.log')).toBe(true);
    expect(scripts.paramRules.accepts?.('../etc/passwd')).toBe(false);
    expect(scripts.paramRules.accepts?.('a;b')).toBe(false);
    expect(scripts.refs.id.test('SC2025042712313288f27db14')).toBe(true);
    expect(scripts.refs.name.test('rotate_db_password')).toBe(true);
    expect(scripts.refs.name.test('rotate db')).toBe(false);
  });
});

describe('list', () => {
  it('maps each row to a neutral summary with COC codes kept', async () => {
    const page = await scripts.list({ limit: 100 });
    const rotate = simScript('rotate_db_password');
    const row = page.items.find((item) => item.name === 'rotate_db_password');
    expect(row).toEqual({
      id: makeId('coc', 'script', rotate.scriptUuid),
      name: 'rotate_db_password',
      type: rotate.type,
      risk: { state: 'high', code: 'HIGH' },
      status: { state: rotate.status, code: rotate.status },
      createdAt: rotate.gmtCreated,
      modifiedAt: rotate.gmtModified,
      owner: rotate.creator,
      modifiedBy: rotate.operator,
      publicScript: false,
      rowId: String(rotate.id),
    });
    expect(page.total).toBe(sim.world.scripts.size);
    expect(page.next).toBeUndefined();
  });

  it('sends the filters as COC takes them, and the next page starts after the last row', async () => {
    const first = await scripts.list({ limit: 2, nameLike: 'a', risk: 'HIGH', type: 'SHELL' });
    expect(requestsTo(LIST_KEY).at(-1)?.query).toEqual({ limit: ['2'], name_like: ['a'], risk_level: ['HIGH'], type: ['SHELL'] });
    const all = await scripts.list({ limit: 4, type: 'SHELL' });
    expect(all.items.length).toBe(4);
    expect(all.next).toBe(all.items.at(-1)?.rowId);
    const second = await scripts.list({ limit: 4, type: 'SHELL', after: all.next! });
    expect(requestsTo(LIST_KEY).at(-1)?.query).toEqual({ limit: ['4'], marker: [all.next!], type: ['SHELL'] });
    expect(second.items.map((item) => item.id)).not.toContain(all.items[0]!.id);
    expect(first.items.every((item) => item.risk.code === 'HIGH')).toBe(true);
  });

  it('matches a custom name as part of it (COC has no exact filter for custom scripts)', async () => {
    await scripts.list({ limit: 100, name: 'nginx' });
    expect(requestsTo(LIST_KEY).at(-1)?.query).toEqual({ limit: ['100'], name_like: ['nginx'] });
  });

  it('lists public scripts with an exact name filter and their descriptions', async () => {
    const [builtIn] = [...sim.world.publicScripts.values()];
    const page = await scripts.listPublic!({ limit: 100, name: builtIn!.name });
    expect(requestsTo(LIST_PUBLIC_KEY).at(-1)?.query).toEqual({ limit: ['100'], name: [builtIn!.name] });
    expect(page.items.map((item) => item.id)).toEqual([makeId('coc', 'public-script', builtIn!.scriptUuid)]);
    expect(page.items[0]).toMatchObject({ publicScript: true, description: builtIn!.description });
  });
});

describe('get', () => {
  it('maps the detail: parameters, reviewers, version and the pin plans keep', async () => {
    const rotate = simScript('rotate_db_password');
    const script = await scripts.get(makeId('coc', 'script', rotate.scriptUuid));
    expect(requestsTo(GET_KEY).at(-1)?.path).toBe(`/v1/job/scripts/${rotate.scriptUuid}`);
    expect(script).toMatchObject({
      id: makeId('coc', 'script', rotate.scriptUuid),
      name: 'rotate_db_password',
      risk: { state: 'high', code: 'HIGH' },
      content: rotate.content,
      version: rotate.properties.version,
      reviewers: (rotate.properties.reviewers ?? []).map((reviewer) => reviewer.reviewer_name),
      publicScript: false,
    });
    expect(script!.params).toEqual(
      rotate.params.map((param) => ({
        name: param.param_name,
        defaultValue: param.param_value,
        sensitive: param.sensitive,
        description: param.param_description,
        ...(param.param_order !== undefined ? { order: param.param_order } : {}),
      })),
    );
    // The formula plans and approvals were pinned with: content, type, parameters without sensitive defaults.
    const params = rotate.params.map((param) => [param.param_name, param.sensitive, param.sensitive ? '' : param.param_value]);
    const expected = createHash('sha256').update(JSON.stringify([rotate.content, rotate.type, params])).digest('hex');
    expect(script!.pin).toEqual({ hash: expected, modifiedAt: rotate.gmtModified });
    expect(cocScriptHash(await client.getScript(rotate.scriptUuid))).toBe(expected);
  });

  it('reads a public script through the public API', async () => {
    const [builtIn] = [...sim.world.publicScripts.values()];
    const script = await scripts.getPublic!(makeId('coc', 'public-script', builtIn!.scriptUuid));
    expect(requestsTo(GET_PUBLIC_KEY).at(-1)?.path).toBe(`/v1/job/public-scripts/${builtIn!.scriptUuid}`);
    expect(script).toMatchObject({ publicScript: true, name: builtIn!.name });
    expect(nativeOf(script!.id)).toBe(builtIn!.scriptUuid);
  });

  it('answers undefined for a script COC does not know, with or without its error body', async () => {
    expect(await scripts.get(makeId('coc', 'script', 'SC20250101000000deadbeef'))).toBeUndefined();
    expect(await scripts.getPublic!(makeId('coc', 'public-script', 'SC20250101000000deadbeef'))).toBeUndefined();
    sim.faults.set(GET_KEY, { kind: 'status', status: 404, times: 1 });
    const rotate = simScript('rotate_db_password');
    expect(await scripts.get(makeId('coc', 'script', rotate.scriptUuid))).toBeUndefined();
  });
});

describe('read failures leave the backend neutral', () => {
  it('a 4xx with COC’s error body is a refusal, a 429 a rate limit', async () => {
    sim.faults.set(LIST_KEY, { kind: 'status', status: 403, errorCode: 'COC.00040301', errorMsg: 'no permission', times: 1 });
    const refused = await scripts.list({ limit: 10 }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(BackendRefusedError);
    expect((refused as BackendRefusedError).detail).toMatchObject({ status: 403, code: 'COC.00040301' });
    sim.faults.set(GET_KEY, { kind: 'rate-limit', retryAfterSeconds: 0, times: 1 });
    const rotate = simScript('rotate_db_password');
    expect(await scripts.get(makeId('coc', 'script', rotate.scriptUuid)).catch((caught: unknown) => caught)).toBeInstanceOf(BackendRateLimitedError);
  });

  it('a 5xx or an unreadable answer is unavailable', async () => {
    sim.faults.set(LIST_PUBLIC_KEY, { kind: 'status', status: 500, errorCode: 'COC.00050001', times: 1 });
    const failed = await scripts.listPublic!({ limit: 10 }).catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(BackendUnavailableError);
    expect((failed as BackendUnavailableError).detail.status).toBe(500);
    sim.faults.set(GET_KEY, { kind: 'malformed-json', times: 1 });
    const rotate = simScript('rotate_db_password');
    const unreadable = await scripts.get(makeId('coc', 'script', rotate.scriptUuid)).catch((caught: unknown) => caught);
    expect(unreadable).toBeInstanceOf(BackendUnavailableError);
  });
});
