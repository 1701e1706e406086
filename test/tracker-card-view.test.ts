/**
 * The tracker keeps, per live order, only what its cards show of the backend's answers
 * (tracker-observe: cardHostRun, cardBatch, cardBatches). Cards rendered from those views must be exactly the
 * cards rendered from COC's whole answers, in every state an order goes through: a field the
 * card starts to read that the views drop fails here, not silently on a live card.
 */
import { describe, expect, it } from 'vitest';
import { makeId } from '../src/backends/index.js';
import type { LocatedHostRun, OrderSnapshot } from '../src/orders/order-card.js';
import { finalCard, liveCard, messageHash, type CardState } from '../src/orders/tracker-card.js';
import { observeOrder, OrderWatch } from '../src/orders/tracker-observe.js';
import { useCocBackend } from './helpers/tracker-world.js';
import { failingOrder, pausingOrder, simpleOrder } from './tracker-helpers.js';

const world = useCocBackend();

/** The same snapshot with COC's whole answers in place of the views the watch keeps. */
async function wholeAnswers(uuid: string, snapshot: OrderSnapshot): Promise<OrderSnapshot> {
  const runs = world.backend.runs!;
  const id = makeId('coc', 'run', uuid);
  const batches = await runs.batches(id);
  const shownBatch = await runs.batch(id, snapshot.shownBatchIndex, { limit: 50 });
  const failing: LocatedHostRun[] = [];
  for (const located of snapshot.failing) {
    const batch = await runs.batch(id, located.batchIndex, { limit: 50 });
    const host = batch.hosts.find((candidate) => candidate.ref === located.host.ref);
    if (!host) throw new Error(`host run ${located.host.ref} is missing from batch ${located.batchIndex}`);
    failing.push({ batchIndex: located.batchIndex, host });
  }
  return { ...snapshot, batches, shownBatch, failing };
}

describe('the cards of a watched order', () => {
  it('are the same rendered from what the watch keeps as from COC’s whole answers', async () => {
    const orders = [await simpleOrder(world.sim, 3, 2), await failingOrder(world.sim), await pausingOrder(world.sim)];
    let compared = 0;
    for (const uuid of orders) {
      const watch = new OrderWatch(uuid);
      for (let step = 0; step < 16; step++) {
        await observeOrder(world.backend, watch, { fullRead: true });
        const kept = watch.snapshot!;
        const whole = await wholeAnswers(uuid, kept);
        expect(kept.shownBatch?.hosts.length).toBe(whole.shownBatch?.hosts.length);
        for (const locale of ['en-US', 'zh-CN'] as const) {
          for (const failures of [0, 3]) {
            for (const gone of [false, true]) {
              const state = (snapshot: OrderSnapshot): CardState => ({
                executeUuid: uuid,
                snapshot,
                gone,
                final: gone || watch.final,
                failures,
                failingSince: failures ? new Date(Date.UTC(2026, 2, 14, 9, 30)) : undefined,
              });
              for (const render of [liveCard, finalCard]) {
                const fromKept = render(state(kept), locale);
                expect(fromKept).toEqual(render(state(whole), locale));
                expect(messageHash(fromKept)).toBe(messageHash(render(state(whole), locale)));
                compared++;
              }
            }
          }
        }
        world.sim.tick(1);
      }
    }
    expect(compared).toBe(3 * 16 * 2 * 2 * 2 * 2);
  });
});
