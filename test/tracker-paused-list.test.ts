/**
 * Paused orders whose state the platform's order list answers for: the list is read while the
 * other orders are polled, and only the paused ones wait for it. An order that moves is read and
 * its card edited without waiting for the list, even when the round's orders are few enough to
 * fit one chunk of a round with the paused ones.
 */
import { describe, expect, it } from 'vitest';
import { createCocBackend } from '../src/backends/coc/index.js';
import type { CocClient } from '../src/coc/client.js';
import { ChatSurfaces } from '../src/core/chat-surface.js';
import { OrderTracker } from '../src/orders/tracker.js';
import type { Simulator } from '../src/sim/server.js';
import { insertTrackedCard, insertTrackedOrder } from '../src/store/tracked-orders.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { pgliteLeg } from './helpers/store-legs.js';
import { onQuietSimulator, FakeClock, pausingOrder, simpleOrder, trackerConfig } from './tracker-helpers.js';

describe('paused orders and the order list', () => {
  let sim: Simulator;
  let coc: CocClient;

  onQuietSimulator((started) => ({ sim, coc } = started));

  it('reads a moving order and edits its card before the list of paused orders has answered', async () => {
    const store = await pgliteLeg.open();
    const clock = new FakeClock();
    const moving = `coc:run:${await simpleOrder(sim, 3, 1)}`;
    const paused = `coc:run:${await pausingOrder(sim)}`;
    for (const [i, run] of [moving, paused].entries()) {
      await insertTrackedOrder(store.db, { runId: run, platform: 'shell', workspaceId: 'local', channelId: `c${i}` });
      await insertTrackedCard(store.db, { runId: run, platform: 'shell', workspaceId: 'local', channelId: `c${i}`, locale: 'en-US' });
    }
    // Both run their first batch: the one goes on to its second, the other pauses.
    sim.tick(2);

    const backend = createCocBackend(coc);
    const reads = backend.runs!;
    const events: string[] = [];
    /** Set for the round under test: the list answers only once the moving order has been read. */
    let gate: { readonly opened: Promise<void>; readonly open: () => void } | undefined;
    const surface = new RecordingSurface('shell', () => clock.ms);
    const chat = new ChatSurfaces();
    chat.register(surface);
    const errors: unknown[] = [];
    const tracker = new OrderTracker({
      db: store.db,
      backend: {
        ...backend,
        runs: {
          ...reads,
          progress: (id, options) => {
            if (gate) events.push(id === moving ? 'moving read' : 'paused read');
            if (id === moving) gate?.open();
            return reads.progress(id, options);
          },
          list: async (query, options) => {
            await gate?.opened;
            const page = await reads.list!(query, options);
            if (gate) events.push('list answered');
            return page;
          },
        },
      },
      chat,
      now: clock.now,
      config: trackerConfig(),
      owner: 'replica-a',
      onError: (error) => errors.push(error),
    });

    // The first round reads both and posts their cards.
    expect(await tracker.tick()).toBe(2);
    expect(surface.posts).toHaveLength(2);

    sim.tick(1);
    clock.advance(5_000);
    let open = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    gate = { opened, open };
    expect(await tracker.tick()).toBe(2);

    // The moving order was read before the list answered, and its card shows its next batch.
    expect(events[0]).toBe('moving read');
    expect(events).toContain('list answered');
    expect(surface.updates.map((update) => update.posted.channelId)).toEqual(['c0']);
    // The list still answered for the paused order: it was not read one by one.
    expect(events).not.toContain('paused read');
    expect(errors).toEqual([]);
    await store.close();
  });
});
