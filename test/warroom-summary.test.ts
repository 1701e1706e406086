/**
 * Periodic incident summaries with a fake clock: one every `incidents.summaryMinutes` while
 * the incident is open, saying what changed since the last one and listing the orders run
 * from the incident's place; none after it completes; one per interval even with two
 * replicas or after a restart (claimed in the store); an on-demand summary in the place
 * counts as the latest one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { duration } from '../src/i18n/format.js';
import { IncidentWatcher } from '../src/incidents/watcher.js';
import { getIncidentChannel } from '../src/store/incident-channels.js';
import { insertTrackedOrder } from '../src/store/tracked-orders.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { command, createIncident } from './incident-helpers.js';

const MINUTE = 60_000;
const INCIDENTS = { summaryMinutes: 30, pollSeconds: 30, announce: false, slack: { mode: 'thread' }, discord: {} };

describe('periodic incident summaries', () => {
  let bot: TestBot;
  let nowMs = Date.now();
  const advance = (minutes: number) => {
    nowMs += minutes * MINUTE;
  };
  let num: string;
  let uuid: string;
  const openFor = () => duration(nowMs - bot.sim.world.incidents.get(num)!.createTime, 'en-US');
  const summaries = (): Message[] =>
    bot.surface.posts.filter((p) => p.posted.channelId === `incident-${num}` && p.message.title?.startsWith('Summary of incident')).map((p) => p.message);

  beforeAll(async () => {
    bot = await makeTestBot({ now: () => new Date(nowMs), config: { incidents: INCIDENTS } });
    nowMs = Date.now();
    num = await createIncident(bot);
    // An order run from the incident's place (the tracker records where each order was run).
    const script = [...bot.sim.world.scripts.values()].find((s) => s.name === 'disk_usage')!;
    const host = bot.sim.world.hosts.find((h) => h.agentState === 'ONLINE')!;
    uuid = await bot.coc.executeScript(script.scriptUuid, {
      execute_param: { timeout: 60, success_rate: 100, execute_user: 'root' },
      execute_batches: [{ batch_index: 1, rotation_strategy: 'CONTINUE', target_instances: [{ resource_id: host.resourceId, region_id: host.regionId }] }],
    });
    await insertTrackedOrder(bot.store.db, { runId: `coc:run:${uuid}`, platform: 'shell', workspaceId: 'local', channelId: `incident-${num}`, startedByIamUser: 'alice' });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('posts the first summary a full interval after the place opened, with the order run from it', async () => {
    advance(29);
    expect((await bot.core.incidentWatcher.runOnce()).summaries).toBe(0);
    advance(1);
    expect((await bot.core.incidentWatcher.runOnce()).summaries).toBe(1);
    const [first] = summaries();
    expect(first!.title).toBe(`Summary of incident ${num}: Checkout errors`);
    const fields = Object.fromEntries((first!.fields ?? []).map((f) => [f.label, f.value]));
    expect(fields['Status']).toBe('Triggered (not accepted yet)');
    expect(fields['Level']).toBe('P2');
    expect(fields['Open for']).toBe(openFor());
    expect(openFor()).toMatch(/^(29 min 5\d|30 min 0\d) s$/);
    expect(fields['WarRoom']).toBe('none');
    expect(first!.sections?.[0]?.title).toMatch(/^Since the last summary \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    expect(first!.sections?.[0]?.text).toBe(`• Order ${uuid} (disk_usage) run: Waiting to start`);
    expect(first!.sections?.[1]).toEqual({ title: 'Orders run for this incident', text: `${uuid} · disk_usage · Waiting to start · by alice` });
    expect(first!.footer).toBe('Next summary in 30 min.');
    const row = await getIncidentChannel(bot.store.db, { platform: 'shell', workspaceId: 'local', incidentNum: num });
    expect(row?.lastSummaryAt?.getTime()).toBe(nowMs);
  });

  it('posts nothing between two intervals, then says what changed', async () => {
    advance(15);
    await command(bot, 'alice', `incident accept ${num}`);
    await command(bot, 'alice', `warroom create ${num}`);
    bot.sim.settle(uuid);
    expect((await bot.core.incidentWatcher.runOnce()).summaries).toBe(0);
    advance(15);
    expect((await bot.core.incidentWatcher.runOnce()).summaries).toBe(1);
    const second = summaries()[1]!;
    const warRoomId = bot.sim.world.incidents.get(num)!.warroomId!;
    expect(second.fields).toContainEqual({ label: 'Status', value: 'Acknowledged' });
    expect(second.fields).toContainEqual({ label: 'WarRoom', value: `${warRoomId} (Running)` });
    expect(second.fields).toContainEqual({ label: 'Open for', value: openFor() });
    expect(second.sections?.[0]?.text).toBe(
      [`• Status: Triggered (not accepted yet) → Acknowledged`, `• WarRoom ${warRoomId} started`, `• Order ${uuid} (disk_usage): Waiting to start → Finished`].join('\n'),
    );
    expect(second.sections?.[1]?.text).toBe(`${uuid} · disk_usage · Finished · by alice`);
  });

  it('posts one summary per interval with two replicas, and none again after a restart', async () => {
    advance(30);
    const replica = new IncidentWatcher(bot.services);
    const [a, b] = await Promise.all([bot.core.incidentWatcher.runOnce(), replica.runOnce()]);
    expect(a.summaries + b.summaries).toBe(1);
    expect(summaries()).toHaveLength(3);
    expect(summaries()[2]!.sections?.[0]?.text).toBe('No change.');
    advance(1);
    const restarted = new IncidentWatcher(bot.services);
    expect((await restarted.runOnce()).summaries).toBe(0);
    expect(summaries()).toHaveLength(3);
  });

  it('counts an on-demand summary in the place as the latest one', async () => {
    advance(20);
    const onDemand = await command(bot, 'carol', `warroom summary ${num}`, { channelId: `incident-${num}`, isDirect: false });
    expect(onDemand.title).toBe(`Summary of incident ${num}: Checkout errors`);
    expect(onDemand.sections?.[0]?.text).toBe('No change.');
    advance(20);
    expect((await bot.core.incidentWatcher.runOnce()).summaries).toBe(0);
    advance(10);
    expect((await bot.core.incidentWatcher.runOnce()).summaries).toBe(1);
  });

  it('posts no summary once the incident is completed', async () => {
    await command(bot, 'alice', `incident solve ${num} --cause "bad deploy" --solution "rolled back"`);
    await command(bot, 'bob', `incident verify ${num} --comment "error rate 0 for 30 min"`);
    const before = summaries().length;
    for (let i = 0; i < 4; i++) {
      advance(30);
      expect((await bot.core.incidentWatcher.runOnce()).summaries).toBe(0);
    }
    expect(summaries()).toHaveLength(before);
    const row = await getIncidentChannel(bot.store.db, { platform: 'shell', workspaceId: 'local', incidentNum: num });
    expect(row?.closedAt).toBeInstanceOf(Date);
    expect(row?.lastSeenStatus).toBe('INCIDENT_STATUS_COMPLETED');
  });
});

describe('summaries switched off', () => {
  it('posts none with summaryMinutes 0', async () => {
    let nowMs = Date.now();
    const bot = await makeTestBot({ now: () => new Date(nowMs), config: { incidents: { ...INCIDENTS, summaryMinutes: 0 } } });
    try {
      await createIncident(bot);
      nowMs += 24 * 60 * MINUTE;
      expect((await bot.core.incidentWatcher.runOnce()).summaries).toBe(0);
    } finally {
      await bot.close();
    }
  });
});
