/**
 * An order the platform no longer knows: after a restart against a fresh simulator (whose world
 * never had the order) the card is closed once with "no longer in COC", the tracked row is
 * finished and the order is not read again. Only the platform's own "no such order" for the order
 * itself, a few rounds in a row and for a minute, closes it: one stray 404, a bare 404, any number
 * of 5xx rounds, or statistics COC cannot find while the order reads fine do not.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createCocBackend } from '../src/backends/coc/index.js';
import { GONE_AFTER_MS, GONE_AFTER_NOT_FOUND } from '../src/orders/tracker-observe.js';
import { startSimulator } from '../src/sim/server.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { getTrackedOrder, listTrackedCards } from '../src/store/tracked-orders.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { useTrackerWorld } from './helpers/tracker-world.js';
import { FakeClock, makeTracker, quietCoc, simpleOrder, text, type TestTracker } from './tracker-helpers.js';

const STATISTICS = 'GET /v1/job/script/orders/{execute_uuid}/statistics';
const ORDER = 'GET /v1/job/script/orders/{execute_uuid}';
const NOT_FOUND = { kind: 'status', status: 404, errorCode: 'COC.00040603', errorMsg: 'The execution order does not exist.' } as const;
/** Rounds 3 s apart until an order COC keeps answering "no such order" for is taken as gone. */
const ROUNDS_TO_GONE = Math.max(GONE_AFTER_NOT_FOUND, Math.ceil(GONE_AFTER_MS / 3000) + 1);
const target = { platform: 'shell' as const, workspaceId: 'local', channelId: 'ops' };

describe('an order the platform no longer knows', () => {
  const world = useTrackerWorld();
  let clock: FakeClock;
  let surface: RecordingSurface;
  let t: TestTracker;

  beforeEach(async () => {
    clock = new FakeClock();
    surface = new RecordingSurface('shell', () => clock.ms);
    t = makeTracker({ db: world.store.db, coc: world.coc, clock, surface });
  });

  async function round(tracker: TestTracker = t, ms = 3000): Promise<void> {
    clock.advance(ms);
    await tracker.tracker.tick();
  }

  it('closes the card once after a restart against a fresh simulator, and stops reading the order', async () => {
    const uuid = await simpleOrder(world.sim, 4, 1, 30);
    const run = `coc:run:${uuid}` as const;
    await t.tracker.track({ run, target, locale: 'en-US', startedBy: { platform: 'shell', workspaceId: 'local', userId: 'alice' } });
    world.sim.tick(1);
    await round();
    const posted = surface.posts.length;
    const edited = surface.updates.length;
    expect(posted).toBe(1);

    // The restart: a new tracker on the same store, and a simulator whose world never had the order.
    const fresh = await startSimulator({ tickMs: 0 });
    const freshCoc = quietCoc(fresh);
    try {
      expect(fresh.world.orders.get(uuid)).toBeUndefined();
      const restarted = makeTracker({ db: world.store.db, coc: freshCoc, clock, surface });
      const requestsFor = () => fresh.requests.filter((request) => request.path.includes(uuid)).length;

      for (let i = 1; i < ROUNDS_TO_GONE; i++) await round(restarted);
      expect(surface.updates.length, 'not closed before both bounds (rounds and time)').toBe(edited);

      await round(restarted);
      const edits = surface.updates.slice(edited);
      expect(edits).toHaveLength(1);
      expect(edits[0]!.message.title).toBe(`Order ${uuid} is no longer in COC`);
      expect(text(edits[0]!.message)).toContain('COC does not know this order; the card stops here.');
      expect(surface.notices.map((notice) => notice.message.title)).toEqual([`Order ${uuid} is no longer in COC`]);
      expect(await getTrackedOrder(world.store.db, run)).toMatchObject({ finalPosted: true });
      expect(await listTrackedCards(world.store.db, run)).toMatchObject([{ finalState: 'done' }]);
      const ended = (await listAuditEvents(world.store.db)).filter((event) => event.command === 'order tracking ended');
      expect(ended).toHaveLength(1);
      expect(ended[0]).toMatchObject({ target: uuid, maskedParameters: { status: 'GONE' } });

      const requests = requestsFor();
      for (let i = 0; i < 5; i++) await round(restarted);
      expect(requestsFor(), 'no read of the order after it was closed').toBe(requests);
      expect(surface.updates.length).toBe(edited + 1);
      // A later start (another replica, a restart) does not poll it either.
      const again = makeTracker({ db: world.store.db, coc: freshCoc, clock, surface });
      await round(again);
      expect(requestsFor()).toBe(requests);
    } finally {
      await freshCoc.close();
      await fresh.close();
    }
  });

  it('keeps the card after a single "no such order" followed by a good answer', async () => {
    const uuid = await simpleOrder(world.sim, 4, 1, 10);
    const run = `coc:run:${uuid}` as const;
    await t.tracker.track({ run, target, locale: 'en-US' });
    world.sim.faults.set(STATISTICS, { ...NOT_FOUND, times: 1 });
    await round();
    world.sim.faults.set(ORDER, { ...NOT_FOUND, times: 1 });
    await round();
    for (let i = 0; i < 2 * GONE_AFTER_NOT_FOUND; i++) await round();
    expect(surface.updates.filter((update) => update.message.title?.includes('no longer'))).toHaveLength(0);
    expect(await getTrackedOrder(world.store.db, run)).toMatchObject({ finalPosted: false });
    world.sim.settle(uuid);
    for (let i = 0; i < 3; i++) await round();
    expect(surface.updates.at(-1)!.message.title).toBe(`Order ${uuid} finished`);
  });

  it('never closes the card while the order reads fine, however long COC cannot find its statistics', async () => {
    const uuid = await simpleOrder(world.sim, 4, 1, 12);
    const run = `coc:run:${uuid}` as const;
    await t.tracker.track({ run, target, locale: 'en-US' });
    await round();
    world.sim.faults.set(STATISTICS, NOT_FOUND);
    for (let i = 0; i < 2 * ROUNDS_TO_GONE; i++) await round();
    expect(surface.updates.filter((update) => update.message.title?.includes('no longer'))).toHaveLength(0);
    expect(text(surface.updates.at(-1)!.message)).toContain('COC unreachable since');
    expect(await getTrackedOrder(world.store.db, run)).toMatchObject({ finalPosted: false });
    world.sim.faults.clear();
    world.sim.settle(uuid);
    for (let i = 0; i < 3; i++) await round();
    expect(surface.updates.at(-1)!.message.title).toBe(`Order ${uuid} finished`);
  });

  it('never closes the card on 5xx answers or a bare 404: they stay "cannot read COC"', async () => {
    const uuid = await simpleOrder(world.sim, 4, 1, 14);
    const run = `coc:run:${uuid}` as const;
    await t.tracker.track({ run, target, locale: 'en-US' });
    world.sim.faults.set(STATISTICS, { kind: 'status', status: 503 });
    world.sim.faults.set(ORDER, { kind: 'status', status: 503 });
    for (let i = 0; i < 4 * GONE_AFTER_NOT_FOUND; i++) await round();
    // A 404 without COC's error body (a proxy's) is not COC saying "no such order".
    world.sim.faults.set(ORDER, { kind: 'answer', status: 404, body: '<html>Not Found</html>' });
    world.sim.faults.set(STATISTICS, { kind: 'answer', status: 404, body: '<html>Not Found</html>' });
    for (let i = 0; i < 2 * ROUNDS_TO_GONE; i++) await round();
    // Reading the order itself through a bare 404 is a failed read, not "no such order".
    await expect(createCocBackend(world.coc).runs!.read(run)).rejects.toThrow();
    expect(surface.updates.filter((update) => update.message.title?.includes('no longer'))).toHaveLength(0);
    expect(text(surface.updates.at(-1)!.message)).toContain('COC unreachable since');
    expect(await getTrackedOrder(world.store.db, run)).toMatchObject({ finalPosted: false });
  });
});
