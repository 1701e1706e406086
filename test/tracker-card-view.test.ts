/**
 * The tracker keeps, per live order, only what its cards show of COC's answers (tracker-observe:
 * cardInstance, cardBatch, cardBatches). Cards rendered from those views must be exactly the
 * cards rendered from COC's whole answers, in every state an order goes through: a field the
 * card starts to read that the views drop fails here, not silently on a live card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CocClient } from '../src/coc/client.js';
import type { LocatedInstance, OrderSnapshot } from '../src/orders/order-card.js';
import { finalCard, liveCard, messageHash, type CardState } from '../src/orders/tracker-card.js';
import { observeOrder, OrderWatch } from '../src/orders/tracker-observe.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { failingOrder, pausingOrder, quietCoc, simpleOrder } from './tracker-helpers.js';

let sim: Simulator;
let coc: CocClient;

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
  coc = quietCoc(sim);
});

afterAll(async () => {
  await coc.close();
  await sim.close();
});

/** The same snapshot with COC's whole answers in place of the views the watch keeps. */
async function wholeAnswers(uuid: string, snapshot: OrderSnapshot): Promise<OrderSnapshot> {
  const batches = await coc.listScriptOrderBatches(uuid);
  const shownBatch = await coc.getScriptOrderBatch(uuid, snapshot.shownBatchIndex, { limit: 50 });
  const failing: LocatedInstance[] = [];
  for (const located of snapshot.failing) {
    const batch = await coc.getScriptOrderBatch(uuid, located.batchIndex, { limit: 50 });
    const instance = batch.execute_instances.find((candidate) => candidate.id === located.instance.id);
    if (!instance) throw new Error(`instance ${located.instance.id} is missing from batch ${located.batchIndex}`);
    failing.push({ batchIndex: located.batchIndex, instance });
  }
  return { ...snapshot, batches, shownBatch, failing };
}

describe('the cards of a watched order', () => {
  it('are the same rendered from what the watch keeps as from COC’s whole answers', async () => {
    const orders = [await simpleOrder(sim, 3, 2), await failingOrder(sim), await pausingOrder(sim)];
    let compared = 0;
    for (const uuid of orders) {
      const watch = new OrderWatch(uuid);
      for (let step = 0; step < 16; step++) {
        await observeOrder(coc, watch, { fullRead: true });
        const kept = watch.snapshot!;
        const whole = await wholeAnswers(uuid, kept);
        expect(kept.shownBatch?.execute_instances.length).toBe(whole.shownBatch?.execute_instances.length);
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
        sim.tick(1);
      }
    }
    expect(compared).toBe(3 * 16 * 2 * 2 * 2 * 2);
  });
});
