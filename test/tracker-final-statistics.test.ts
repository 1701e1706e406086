/**
 * The statistics and the order are two reads: statistics read before (or alongside) the order
 * may be older than its final status. The final card must not say "0 of 2 hosts succeeded,
 * Running 2" of an order whose hosts all ended: the statistics are read again after a final
 * status that they contradict.
 */
import { describe, expect, it } from 'vitest';
import { makeId, type Backend, type RunProgress } from '../src/backends/index.js';
import { finalCard } from '../src/orders/tracker-card.js';
import { observeOrder, OrderWatch } from '../src/orders/tracker-observe.js';
import { useCocBackend } from './helpers/tracker-world.js';
import { simpleOrder } from './tracker-helpers.js';

const world = useCocBackend();

describe('a final status newer than the statistics read with it', () => {
  it('gets the statistics read again, so the final card counts the hosts as they ended', async () => {
    const uuid = await simpleOrder(world.sim, 1, 2);
    const runs = world.backend.runs!;
    const id = makeId('coc', 'run', uuid);
    // Statistics as they were while the hosts ran.
    const running = await runs.progress(id);
    expect(running.counts.some((count) => count.status.state === 'running' || count.status.state === 'waiting')).toBe(true);
    for (let tick = 0; tick < 20 && (await runs.read(id))?.status.state !== 'succeeded'; tick++) world.sim.tick(1);
    expect((await runs.read(id))?.status.state).toBe('succeeded');

    // The first statistics read of the round answers what COC said before the order ended.
    let progressReads = 0;
    const lagging: Backend = {
      ...world.backend,
      runs: {
        ...runs,
        progress: async (runId) => (++progressReads === 1 ? running : runs.progress(runId)),
      },
    };
    const watch = new OrderWatch(uuid);
    await observeOrder(lagging, watch, { fullRead: true });

    expect(progressReads).toBe(2);
    const progress: RunProgress = watch.snapshot!.progress;
    expect(progress.counts.filter((count) => count.status.state === 'running' || count.status.state === 'waiting').reduce((sum, count) => sum + (count.count ?? 0), 0)).toBe(0);
    expect(watch.final).toBe(true);
    const card = finalCard({ executeUuid: uuid, snapshot: watch.snapshot, gone: false, final: true, failures: 0, failingSince: undefined }, 'en-US');
    const text = JSON.stringify(card);
    expect(text).toContain('2 of 2 hosts succeeded');
  });
});
