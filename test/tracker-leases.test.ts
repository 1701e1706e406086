/**
 * Replicas sharing the live cards through the store, on PGlite and on PostgreSQL: each order is
 * polled by the one replica holding its lease, two replicas never edit the same card, a dead
 * replica's orders are taken over once its leases expire (same message edited, summary once),
 * and a restarted replica resumes its cards without editing what did not change.
 */
import { describe, expect, it } from 'vitest';
import type { CocClient } from '../src/coc/client.js';
import type { Simulator } from '../src/sim/server.js';
import { getTrackedOrder, listTrackedCards } from '../src/store/tracked-orders.js';
import { announceSkip, storeLegs } from './helpers/store-legs.js';
import { onQuietSimulator, FakeClock, makeTracker, simpleOrder } from './tracker-helpers.js';

const STATISTICS = 'GET /v1/job/script/orders/{execute_uuid}/statistics';
const ORDER = 'GET /v1/job/script/orders/{execute_uuid}';
const place = (channelId: string) => ({ platform: 'shell' as const, workspaceId: 'local', channelId });

for (const leg of storeLegs) {
  announceSkip(leg, 'tracker-leases');
  describe.skipIf(leg.skipReason !== undefined)(`tracker leases on ${leg.name}`, () => {
    let sim: Simulator;
    let coc: CocClient;

    onQuietSimulator((started) => ({ sim, coc } = started));

    it('splits the orders between two replicas, and no card is edited by both', async () => {
      const store = await leg.open();
      const clock = new FakeClock();
      const a = makeTracker({ db: store.db, coc, clock, owner: 'replica-a', config: { maxOrders: 2 } });
      const b = makeTracker({ db: store.db, coc, clock, owner: 'replica-b', config: { maxOrders: 2 } });
      const uuids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const uuid = await simpleOrder(sim, 6, 1, i);
        uuids.push(uuid);
        // The card is asked for on either replica; the one that gets the lease posts it.
        await (i % 2 === 0 ? a : b).tracker.track({ run: `coc:run:${uuid}`, target: place(`c${i}`), locale: 'en-US' });
      }
      for (let round = 0; round < 16; round++) {
        sim.tick(1);
        clock.advance(1000);
        await Promise.all([a.tracker.tick(), b.tracker.tick()]);
      }
      const editedBy = (surface: typeof a.surface) => new Set(surface.updates.map((u) => u.posted.channelId));
      const byA = editedBy(a.surface);
      const byB = editedBy(b.surface);
      expect(byA.size).toBeGreaterThan(0);
      expect(byB.size).toBeGreaterThan(0);
      expect([...byA].filter((channel) => byB.has(channel))).toEqual([]);
      // Every card got its summary exactly once, from whichever replica polled it.
      const finals = [...a.surface.updates, ...b.surface.updates].filter((u) => u.message.title?.endsWith('finished'));
      expect(finals.map((u) => u.posted.channelId).sort()).toEqual(['c0', 'c1', 'c2', 'c3']);
      for (const uuid of uuids) expect(await getTrackedOrder(store.db, `coc:run:${uuid}`)).toMatchObject({ finalPosted: true, leaseOwner: null });
      expect([...a.errors, ...b.errors]).toEqual([]);
    });

    it('takes a dead replica’s orders over when its leases expire and edits the same message', async () => {
      const store = await leg.open();
      const clock = new FakeClock();
      const a = makeTracker({ db: store.db, coc, clock, owner: 'replica-a', config: { leaseSeconds: 30 } });
      // B shares A's chat (the same channel on the same platform): it edits A's messages.
      const b = makeTracker({ db: store.db, coc, clock, owner: 'replica-b', surface: a.surface, config: { leaseSeconds: 30 } });
      const uuid = await simpleOrder(sim, 4, 1, 8);
      const posted = await a.tracker.track({ run: `coc:run:${uuid}`, target: place('ops'), locale: 'en-US', startedBy: { platform: 'shell', workspaceId: 'local', userId: 'alice' } });
      expect(posted?.messageRef).toBeDefined();
      sim.tick(1);
      clock.advance(3000);
      await a.tracker.tick();
      const editsByA = a.surface.updates.length;
      expect(editsByA).toBe(1);

      // A dies (no more rounds, leases not released). B polls nothing until they expire.
      sim.tick(2);
      for (let i = 0; i < 5; i++) {
        clock.advance(5000);
        expect(await b.tracker.tick()).toBe(0);
      }
      sim.resetRequests();
      clock.advance(6000); // 31 s after A's last renewal
      expect(await b.tracker.tick()).toBe(1);
      expect(sim.countRequests(STATISTICS)).toBe(1);
      expect(a.surface.updates.length).toBe(editsByA + 1);
      expect(a.surface.updates.at(-1)!.posted.messageRef).toBe(posted!.messageRef);
      expect(await getTrackedOrder(store.db, `coc:run:${uuid}`)).toMatchObject({ leaseOwner: 'replica-b' });

      // A comes back: B holds the lease now, so A polls nothing and edits nothing.
      const before = a.surface.updates.length;
      clock.advance(1000);
      expect(await a.tracker.tick()).toBe(0);
      expect(a.surface.updates.length).toBe(before);

      sim.settle(uuid);
      for (let i = 0; i < 4; i++) {
        clock.advance(3000);
        await Promise.all([a.tracker.tick(), b.tracker.tick()]);
      }
      expect(a.surface.updates.filter((u) => u.message.title === `Order ${uuid} finished`)).toHaveLength(1);
      expect(a.surface.notices).toHaveLength(1);
      expect(await listTrackedCards(store.db, `coc:run:${uuid}`)).toMatchObject([{ finalState: 'done', messageRef: posted!.messageRef }]);
    });

    it('reads an order afresh when its card was clicked on another replica', async () => {
      const store = await leg.open();
      const clock = new FakeClock();
      const a = makeTracker({ db: store.db, coc, clock, owner: 'replica-a' });
      const b = makeTracker({ db: store.db, coc, clock, owner: 'replica-b', surface: a.surface });
      const uuid = await simpleOrder(sim, 4, 1, 20);
      await a.tracker.track({ run: `coc:run:${uuid}`, target: place('ops'), locale: 'en-US' });
      clock.advance(1000);
      await a.tracker.tick();
      const reads = sim.countRequests(ORDER);
      clock.advance(1000);
      await a.tracker.tick();
      expect(sim.countRequests(ORDER)).toBe(reads); // counts unchanged: statistics only

      b.tracker.nudge(`coc:run:${uuid}`); // B handled the click; A polls the order
      await b.tracker.settled();
      clock.advance(1000);
      await a.tracker.tick();
      expect(sim.countRequests(ORDER)).toBe(reads + 1);
      expect(await b.tracker.tick()).toBe(0);
    });

    it('lets go of its leases when stopped, so another replica resumes at once', async () => {
      const store = await leg.open();
      const clock = new FakeClock();
      const a = makeTracker({ db: store.db, coc, clock, owner: 'replica-a' });
      const b = makeTracker({ db: store.db, coc, clock, owner: 'replica-b', surface: a.surface });
      const uuid = await simpleOrder(sim, 4, 1, 12);
      await a.tracker.track({ run: `coc:run:${uuid}`, target: place('ops'), locale: 'en-US' });
      await a.tracker.task.stop();
      expect(await getTrackedOrder(store.db, `coc:run:${uuid}`)).toMatchObject({ leaseOwner: null });
      clock.advance(1000);
      expect(await b.tracker.tick()).toBe(1);
    });

    it('resumes after a restart without editing a card that did not change', async () => {
      const store = await leg.open();
      const clock = new FakeClock();
      const first = makeTracker({ db: store.db, coc, clock, owner: 'replica-a' });
      const uuid = await simpleOrder(sim, 4, 1, 16);
      const posted = await first.tracker.track({ run: `coc:run:${uuid}`, target: place('ops'), locale: 'zh-CN' });
      sim.tick(1);
      clock.advance(3000);
      await first.tracker.tick();
      expect(first.surface.updates).toHaveLength(1);

      // The same replica restarted: nothing in memory, the cards in the store.
      const second = makeTracker({ db: store.db, coc, clock, owner: 'replica-a' });
      clock.advance(3000);
      await second.tracker.tick();
      expect(second.surface.updates).toHaveLength(0);
      sim.tick(1);
      clock.advance(3000);
      await second.tracker.tick();
      expect(second.surface.updates).toHaveLength(1);
      expect(second.surface.updates[0]!.posted.messageRef).toBe(posted!.messageRef);
      expect(second.surface.updates[0]!.message.title).toBe(`工单 ${uuid}`);
    });
  });
}
