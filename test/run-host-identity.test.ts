/**
 * Hosts are identified by resource id, through the real dispatcher and a simulator whose
 * fleet gets twins over HTTP (`POST /__sim/hosts`): a name or an inner IP that means two hosts
 * is refused before anything is sent, listing every candidate and how to pick one; `id:` and
 * `region/name` run on exactly the host they name; previews, approval cards and the stored
 * approval show each host with its region and resource id; the form and the type-ahead agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_FORM_IDS } from '../commands/run-form.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import type { Message } from '../src/core/message.js';
import type { Host } from '../src/sim/state/model.js';
import { getApproval } from '../src/store/approvals.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const alice = { platform: 'shell' as const, workspaceId: 'local', userId: 'alice' };

let bot: TestBot;
/** The seeded db-01 (cn-north-4) and its twin added in ap-southeast-3. */
let seededDb: Host;
let twinDb: Host;
/** web-02 and a host added on its inner IP, in the same region. */
let seededWeb: Host;
let ipTwin: Host;

async function addHost(body: Record<string, unknown>): Promise<Host> {
  const response = await fetch(`${bot.sim.url}/__sim/hosts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  const { resourceId } = (await response.json()) as { resourceId: string };
  return bot.sim.world.hostByResourceId(resourceId)!;
}

/** Executes COC has received, counted by the simulator and read over HTTP like any outside check. */
async function executeCount(): Promise<number> {
  const response = await fetch(`${bot.sim.url}/__sim/requests/count?route=${encodeURIComponent(EXECUTE)}`);
  return ((await response.json()) as { count: number }).count;
}

function say(line: string, user = 'alice'): Promise<Message> {
  return bot.handle({ kind: 'command', actor: { ...alice, userId: user }, place: SHELL_PLACE, text: line });
}

function text(message: Message): string {
  return [
    message.title,
    message.text,
    ...(message.fields ?? []).map((f) => `${f.label} ${f.value}`),
    ...(message.sections ?? []).flatMap((s) => [s.title, s.text]),
    message.footer,
  ]
    .filter(Boolean)
    .join('\n');
}

function short(host: Host): string {
  return host.resourceId.slice(0, 8);
}

function goButton(message: Message): string {
  const go = message.buttons?.find((button) => button.actionId === 'run:go');
  if (!go) throw new Error(`no Run button: ${text(message)}`);
  return go.value;
}

/** The targets of the last execute request COC received. */
function lastTargets(): { resource_id: string; region_id: string }[] {
  const execute = bot.sim.requests.filter((request) => request.routeKey === EXECUTE).at(-1);
  const body = execute?.body as { execute_batches: { target_instances: { resource_id: string; region_id: string }[] }[] };
  return body.execute_batches.flatMap((batch) => batch.target_instances);
}

beforeAll(async () => {
  bot = await makeTestBot();
  seededDb = bot.sim.world.hostByName('db-01')!;
  expect(seededDb.regionId).toBe('cn-north-4');
  twinDb = await addHost({ name: 'db-01', region: 'ap-southeast-3', agentState: 'ONLINE', tags: [{ key: 'role', value: 'db' }] });
  seededWeb = bot.sim.world.hostByName('web-02')!;
  ipTwin = await addHost({ name: 'web-02-shadow', ip: seededWeb.fixedIp, region: seededWeb.regionId, agentState: 'OFFLINE' });
});
afterAll(async () => {
  await bot?.close();
});

describe('a name or IP that means several hosts', () => {
  it('is refused with every candidate and how to pick one, and nothing is executed', async () => {
    const before = await executeCount();
    const reply = await say('run disk_usage --hosts db-01');
    const body = text(reply);
    expect(reply.buttons ?? []).toEqual([]);
    expect(body).toContain('"db-01" matches 2 hosts, so nothing was planned.');
    for (const host of [seededDb, twinDb]) {
      expect(body).toContain(`• db-01 · ${host.fixedIp} · ${host.regionId} · Online · id:${short(host)}`);
    }
    // Different regions: both ways of picking are offered, with the first candidate as the example.
    expect(body).toContain(`id:${short(twinDb)} or ap-southeast-3/db-01`);
    expect(body).toMatch(/id: takes a whole resource id or its first 8 characters/);
    expect(await executeCount()).toBe(before);
  });

  it('is refused for a repeated inner IP too, each candidate with its own name and agent state', async () => {
    const before = await executeCount();
    const body = text(await say(`run disk_usage --hosts db-02,${seededWeb.fixedIp}`));
    expect(body).toContain(`"${seededWeb.fixedIp}" matches 2 hosts`);
    expect(body).toContain(`• web-02 · ${seededWeb.fixedIp} · ${seededWeb.regionId} · Online · id:${short(seededWeb)}`);
    expect(body).toContain(`• web-02-shadow · ${ipTwin.fixedIp} · ${ipTwin.regionId} · Offline · id:${short(ipTwin)}`);
    expect(await executeCount()).toBe(before);
  });

  it('is refused among many names too, read from the whole fleet at once', async () => {
    const names = ['web-01', 'web-03', 'web-04', 'web-06', 'web-07', 'web-09', 'web-10', 'web-12', 'web-13', 'web-15', 'db-01'];
    const reads = bot.sim.countRequests('GET /v1/resources');
    const before = await executeCount();
    const body = text(await say(`run disk_usage --hosts ${names.join(',')}`));
    expect(body).toContain('"db-01" matches 2 hosts');
    expect(body).toContain(`id:${short(seededDb)}`);
    // The fleet fits one page: one read instead of a search per name.
    expect(bot.sim.countRequests('GET /v1/resources') - reads).toBe(1);
    expect(await executeCount()).toBe(before);
  });

  it('is refused in the reader\'s language', async () => {
    const zh = await makeTestBot({ locale: 'zh-CN', simulator: bot.sim });
    try {
      const reply = await zh.handle({ kind: 'command', actor: alice, place: SHELL_PLACE, text: 'run disk_usage --hosts db-01' });
      const body = text(reply);
      expect(body).toContain('“db-01”匹配到 2 台主机，因此未生成计划。');
      expect(body).toContain(`id:${short(twinDb)}`);
      expect(body).not.toContain('Online');
    } finally {
      await zh.close();
    }
  });

  it('is refused under the form\'s host field, and the form takes id: and region/name', async () => {
    const before = await executeCount();
    const refused = await bot.handle({ kind: 'submission', actor: alice, place: SHELL_PLACE, formId: RUN_FORM_IDS.request, values: { script: 'disk_usage', hosts: 'db-01' } });
    expect(refused.fieldErrors?.['hosts']).toContain(`id:${short(twinDb)}`);
    expect(refused.fieldErrors?.['hosts']).toContain(`id:${short(seededDb)}`);
    expect(await executeCount()).toBe(before);

    for (const pick of [`id:${twinDb.resourceId}`, 'ap-southeast-3/db-01']) {
      const step = await bot.handle({ kind: 'submission', actor: alice, place: SHELL_PLACE, formId: RUN_FORM_IDS.request, values: { script: 'disk_usage', hosts: pick } });
      expect(step.fieldErrors, pick).toBeUndefined();
      // disk_usage has parameters: the second form, then the preview on the picked host only.
      const preview = await bot.handle({ kind: 'submission', actor: alice, place: SHELL_PLACE, formId: RUN_FORM_IDS.params, values: {}, context: step.form!.context! });
      expect(preview.title).toBe('Run disk_usage on 1 host?');
      expect(text(preview)).toContain(`db-01 (ap-southeast-3 · ${short(twinDb)})`);
    }
  });
});

describe('a host picked by id or by region', () => {
  it('runs on exactly the host id: names (whole or 8 characters), shown with region and short id in the preview', async () => {
    for (const pick of [`id:${twinDb.resourceId}`, `id:${short(twinDb)}`]) {
      const preview = await say(`run disk_usage --hosts ${pick}`);
      expect(preview.title).toBe('Run disk_usage on 1 host?');
      expect(text(preview)).toMatch(new RegExp(`Batch 1 \\([^)]*\\): db-01 \\(ap-southeast-3 · ${short(twinDb)}\\)\\n`));
      const before = await executeCount();
      await bot.click('alice', 'run:go', goButton(preview));
      expect(await executeCount()).toBe(before + 1);
      expect(lastTargets()).toEqual([{ resource_id: twinDb.resourceId, region_id: 'ap-southeast-3' }]);
    }
  });

  it('runs on exactly the host region/name names, and on both twins when both are picked', async () => {
    const preview = await say('run disk_usage --hosts cn-north-4/db-01');
    await bot.click('alice', 'run:go', goButton(preview));
    expect(lastTargets()).toEqual([{ resource_id: seededDb.resourceId, region_id: 'cn-north-4' }]);

    const both = await say(`run disk_usage --hosts cn-north-4/db-01,id:${short(twinDb)}`);
    expect(both.title).toBe('Run disk_usage on 2 hosts?');
    const shown = text(both);
    expect(shown).toContain(`db-01 (cn-north-4 · ${short(seededDb)})`);
    expect(shown).toContain(`db-01 (ap-southeast-3 · ${short(twinDb)})`);
    await bot.click('alice', 'run:go', goButton(both));
    expect(lastTargets().map((t) => t.resource_id).sort()).toEqual([seededDb.resourceId, twinDb.resourceId].sort());
  });

  it('refuses an id prefix shorter than 8 characters or one no host has', async () => {
    expect(text(await say(`run disk_usage --hosts id:${twinDb.resourceId.slice(0, 5)}`))).toMatch(/COC knows no host called "id:/);
    expect(text(await say('run disk_usage --hosts id:ffffffff-0000'))).toMatch(/COC knows no host called "id:ffffffff-0000"/);
  });

  it('binds the approval to resource ids, and the approval card shows region and short id', async () => {
    const preview = await say(`run rotate_db_password --hosts id:${twinDb.resourceId} --param db_user=app --param new_password=N3w_secret`);
    expect(text(preview)).toContain(`db-01 (ap-southeast-3 · ${short(twinDb)})`);
    const posts = bot.surface.posts.length;
    await bot.click('alice', 'run:go', goButton(preview));
    const card = bot.surface.posts.slice(posts).map((post) => post.message).find((message) => message.footer?.startsWith('approval '));
    expect(card, 'an approval card was posted').toBeDefined();
    expect(text(card!)).toContain(`db-01 (ap-southeast-3 · ${short(twinDb)})`);
    const approval = await getApproval(bot.store.db, card!.footer!.slice('approval '.length));
    expect(approval?.plan['hosts']).toEqual([{ id: `coc:host:${twinDb.resourceId}`, region: 'ap-southeast-3', name: 'db-01' }]);

    const before = await executeCount();
    await bot.click('bob', 'approval:approve', approval!.id);
    expect(await executeCount()).toBe(before + 1);
    expect(lastTargets()).toEqual([{ resource_id: twinDb.resourceId, region_id: 'ap-southeast-3' }]);
  });
});

describe('the host type-ahead', () => {
  it('gives each twin a value that names it alone and a label with region and short id', async () => {
    const options = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'hosts', 'db-01');
    const twins = options.filter((option) => option.label.startsWith('db-01 '));
    expect(twins.map((option) => option.value).sort()).toEqual([seededDb.resourceId, twinDb.resourceId].sort());
    expect(twins.find((option) => option.value === twinDb.resourceId)?.label).toBe(`db-01 · Online · ap-southeast-3 · id:${short(twinDb)}`);
    // A name no other host has stays the value, as readable as before.
    const [single] = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'hosts', 'db-02');
    expect(single?.value).toBe('db-02');
    expect(single?.label).not.toContain('id:');

    // The value a twin's option carries plans that host and no other.
    const preview = await say(`run disk_usage --hosts ${twinDb.resourceId}`);
    expect(preview.title).toBe('Run disk_usage on 1 host?');
    expect(text(preview)).toContain(`db-01 (ap-southeast-3 · ${short(twinDb)})`);
  });
});
