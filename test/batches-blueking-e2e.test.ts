/**
 * A LOW run in bot-driven batches end to end, on the bot assembled as `npm start -- --backend
 * blueking` over its simulator (jobs move only when the test ticks it): Run sends batch 1 alone;
 * the tracker's rounds send the rest one at a time; PAUSE rotation waits for Continue; the order
 * buttons pause (refused with the reason when already paused), skip and cancel between batches;
 * each batch's fast_execute_script reaches the simulator at most once and the card ends once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../src/app/bot.js';
import { need, type Backend, type RunId } from '../src/backends/index.js';
import { batchLabel } from '../src/batches/index.js';
import { loadConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import type { OrderTracker } from '../src/orders/tracker.js';
import type { BluekingSimulator } from '../src/sim/blueking/server.js';
import { listRunBatches } from '../src/store/run-batches.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { freshMemoryStore } from './helpers/memory-store.js';

const EXECUTE = 'job/fast_execute_script';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

let bot: Bot;
let sim: BluekingSimulator;
let surface: RecordingSurface;

beforeAll(async () => {
  const loaded = loadConfig({ env: { COC_CHATOPS_DATA_DIR: 'memory://', COC_CHATOPS_BACKEND: 'blueking', COC_SIM_TICK_MS: '60000' }, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  bot = await startBot(loaded.config, { store: await freshMemoryStore(), logDestination: { write: () => true } as unknown as NodeJS.WritableStream });
  if (bot.connected.kind !== 'blueking' || !bot.connected.simulator) throw new Error('not the BlueKing simulator');
  sim = bot.connected.simulator;
  surface = new RecordingSurface('shell');
  bot.chat.register(surface);
  withRegions(bot);
});
afterAll(async () => {
  await bot?.close();
});

/** As in approvals-itsm-blueking.test.ts: the planner wants a region, BlueKing hosts have none. */
function withRegions(assembled: Bot): void {
  const backendFor = assembled.services.backendFor.bind(assembled.services);
  Object.assign(assembled.services, {
    backendFor: (identity: Parameters<typeof backendFor>[0]): Backend => {
      const backend = backendFor(identity);
      const hosts = backend.hosts;
      if (!hosts) return backend;
      const list: typeof hosts.list = async (...args) => {
        const page = await hosts.list(...args);
        return { ...page, items: page.items.map((host) => ({ region: 'area-0', ...host })) };
      };
      return { ...backend, hosts: { ...hosts, list } };
    },
  });
}

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const say = (user: string, text: string): Promise<Message> => bot.dispatcher.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (user: string, actionId: string, value: string): Promise<Message> => bot.dispatcher.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });
const tracker = () => bot.services.tracker as OrderTracker;
const executesOf = (label: string) => sim.requests.filter((r) => r.routeKey === EXECUTE && JSON.stringify(r).includes(label)).length;

/** Ticks the simulator and runs tracker rounds until the run reaches `state` (at most 20 rounds). */
async function until(run: RunId, state: string): Promise<void> {
  for (let round = 0; round < 20; round++) {
    if ((await need(bot.services.backend, 'runs').read(run))?.status.state === state) return;
    sim.tick(1);
    await tracker().tick();
  }
  throw new Error(`the run did not become ${state}: ${JSON.stringify(await need(bot.services.backend, 'runs').read(run))}`);
}

describe('a LOW run in bot-driven batches on BlueKing', () => {
  it('runs its batches one at a time with PAUSE rotation, pause, continue, skip and cancel between them', async () => {
    sim.resetRequests();
    const preview = await say('alice', 'run check_disk --hosts web-02,web-03,web-04,web-05 --batch-size 1 --rotation pause');
    const go = preview.buttons?.find((b) => b.actionId === 'run:go');
    if (!go) throw new Error(`no Run button on "${preview.title}": ${preview.text}`);
    const started = await click('alice', 'run:go', go.value);
    const planId = go.value;
    const run = `blueking:run:${planId}` as RunId;
    expect(started.title, started.text).toContain(planId);
    expect(sim.countRequests(EXECUTE)).toBe(1);
    expect(executesOf(batchLabel(planId, 1))).toBe(1);

    await until(run, 'paused');
    expect(sim.countRequests(EXECUTE)).toBe(1);
    expect(JSON.stringify([...surface.posts, ...surface.updates])).toContain('pause, skip and cancel apply before the next batch');

    const continued = await click('alice', 'order:continue', planId);
    expect(continued.title).toBe(`Order ${planId} continues`);
    await tracker().tick();
    expect(executesOf(batchLabel(planId, 2))).toBe(1);

    // Batch 3 already waits for Continue (PAUSE rotation): pausing again is refused, with why.
    const paused = await click('alice', 'order:pause', planId);
    expect(paused.title).toBe('Already paused before the next batch');
    const skipped = await click('alice', 'order:skip-batch', `${planId}:3`);
    expect(skipped.title, skipped.text).toBe(`Batch 3 of order ${planId} skipped`);
    const canceled = await click('alice', 'order:cancel', planId);
    expect(canceled.title, canceled.text).toBe(`Order ${planId} canceled`);

    await until(run, 'canceled');
    expect((await listRunBatches(bot.services.db, planId)).map((row) => `${row.batchIndex}:${row.state}`)).toEqual(['1:succeeded', '2:succeeded', '3:skipped', '4:canceled']);
    for (let round = 0; round < 3; round++) await tracker().tick();
    expect(sim.countRequests(EXECUTE)).toBe(2);
    expect([1, 2, 3, 4].map((n) => executesOf(batchLabel(planId, n)))).toEqual([1, 1, 0, 0]);
  });
});
