/**
 * A polling round that lasts longer than a good part of the lease (the first round after a
 * restart reads every order afresh) renews its leases as it goes: the orders it reaches last
 * still get their cards, and the store shows their leases moved on.
 */
import { describe, expect, it } from 'vitest';
import { createCocBackend } from '../src/backends/coc/index.js';
import type { CocClient } from '../src/coc/client.js';
import { ChatSurfaces } from '../src/core/chat-surface.js';
import { OrderTracker } from '../src/orders/tracker.js';
import type { Simulator } from '../src/sim/server.js';
import { getTrackedOrder, insertTrackedCard, insertTrackedOrder } from '../src/store/tracked-orders.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { pgliteLeg } from './helpers/store-legs.js';
import { onQuietSimulator, FakeClock, simpleOrder, trackerConfig } from './tracker-helpers.js';

/** More orders than one chunk of a round (100), so that the round has a second chunk to renew. */
const ORDERS = 101;
/**
 * Tracker time each statistics read takes: the first chunk (19 s) ends past half of a 30 s lease
 * and the last order's read (5 s more) past two thirds, where a card is left alone for fear that
 * another replica takes the order over.
 */
const READ_MS = 190;
const LAST_READ_MS = 5_000;

describe('a long polling round', () => {
  let sim: Simulator;
  let coc: CocClient;

  onQuietSimulator((started) => ({ sim, coc } = started));

  /** ORDERS orders of two batches, each with a card in a channel of its own, stored as a restart finds them: asked for, never read by this process. */
  async function restartedOrders() {
    const store = await pgliteLeg.open();
    const runs: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const run = `coc:run:${await simpleOrder(sim, 2, 1, i)}`;
      runs.push(run);
      await insertTrackedOrder(store.db, { runId: run, platform: 'shell', workspaceId: 'local', channelId: `c${i}` });
      await insertTrackedCard(store.db, { runId: run, platform: 'shell', workspaceId: 'local', channelId: `c${i}`, locale: 'en-US' });
    }
    return { store, runs };
  }

  it('renews its leases as it goes, so the orders it reaches last still get their cards', async () => {
    const { store, runs } = await restartedOrders();
    const clock = new FakeClock();
    const backend = createCocBackend(coc);
    const reads = backend.runs!;
    const surface = new RecordingSurface('shell', () => clock.ms);
    const chat = new ChatSurfaces();
    chat.register(surface);
    const errors: unknown[] = [];
    const tracker = new OrderTracker({
      db: store.db,
      // Every statistics read moves the tracker's clock on, as a slow COC would.
      backend: { ...backend, runs: { ...reads, progress: (id, options) => (clock.advance(id === runs.at(-1) ? LAST_READ_MS : READ_MS), reads.progress(id, options)) } },
      chat,
      now: clock.now,
      config: trackerConfig({ leaseSeconds: 30 }),
      owner: 'replica-a',
      onError: (error) => errors.push(error),
    });
    const started = clock.ms;

    expect(await tracker.tick()).toBe(ORDERS);

    expect(surface.posts.map((post) => post.posted.channelId).sort()).toEqual(runs.map((_, i) => `c${i}`).sort());
    const last = await getTrackedOrder(store.db, runs.at(-1)! as never);
    expect(last?.leaseOwner).toBe('replica-a');
    // Renewed when the second chunk began, well after the round's start.
    expect(last!.leaseExpiresAt!.getTime()).toBeGreaterThan(started + 30_000);
    expect(errors).toEqual([]);
    await store.close();
  });

  it('renews the leases of every order it has yet to reach at once, so none expires while the round is on its way to it', async () => {
    const store = await pgliteLeg.open();
    const clock = new FakeClock();
    // Three chunks: the leases of the third are renewed when the second begins, not only when it is reached.
    const orders = 201;
    const runs: string[] = [];
    for (let i = 0; i < orders; i++) {
      const run = `coc:run:${await simpleOrder(sim, 2, 1, i)}`;
      runs.push(run);
      await insertTrackedOrder(store.db, { runId: run, platform: 'shell', workspaceId: 'local', channelId: `c${i}` });
      await insertTrackedCard(store.db, { runId: run, platform: 'shell', workspaceId: 'local', channelId: `c${i}`, locale: 'en-US' });
    }
    const backend = createCocBackend(coc);
    const reads = backend.runs!;
    const chat = new ChatSurfaces();
    chat.register(new RecordingSurface('shell', () => clock.ms));
    const errors: unknown[] = [];
    let lastOrdersLeaseAtSecondChunk: Date | null | undefined;
    const tracker = new OrderTracker({
      db: store.db,
      backend: {
        ...backend,
        runs: {
          ...reads,
          progress: async (id, options) => {
            // The first read of the second chunk: the store already shows the last order's lease moved on.
            if (id === runs[100] && lastOrdersLeaseAtSecondChunk === undefined) {
              lastOrdersLeaseAtSecondChunk = (await getTrackedOrder(store.db, runs.at(-1)! as never))?.leaseExpiresAt;
            }
            clock.advance(READ_MS);
            return reads.progress(id, options);
          },
        },
      },
      chat,
      now: clock.now,
      config: trackerConfig({ leaseSeconds: 30 }),
      owner: 'replica-a',
      onError: (error) => errors.push(error),
    });
    const started = clock.ms;

    expect(await tracker.tick()).toBe(orders);

    expect(lastOrdersLeaseAtSecondChunk!.getTime()).toBeGreaterThan(started + 30_000);
    expect(errors).toEqual([]);
    await store.close();
  });

  it('renews the leases of the orders it already polled too, so a round longer than the lease hands none of them to another replica', async () => {
    const { store, runs } = await restartedOrders();
    const clock = new FakeClock();
    const backend = createCocBackend(coc);
    const reads = backend.runs!;
    const replica = (owner: string, slow: boolean) => {
      const chat = new ChatSurfaces();
      chat.register(new RecordingSurface('shell', () => clock.ms));
      const errors: unknown[] = [];
      const tracker = new OrderTracker({
        db: store.db,
        // The first replica's reads move the clock on as a slow COC would: its round (19 s for the
        // first chunk, 15 s more for the last order) outlasts the 30 s lease it began with.
        backend: slow ? { ...backend, runs: { ...reads, progress: (id, options) => (clock.advance(id === runs.at(-1) ? 15_000 : READ_MS), reads.progress(id, options)) } } : backend,
        chat,
        now: clock.now,
        config: trackerConfig({ leaseSeconds: 30 }),
        owner,
        onError: (error) => errors.push(error),
      });
      return { tracker, errors };
    };
    const a = replica('replica-a', true);
    const b = replica('replica-b', false);
    const started = clock.ms;

    expect(await a.tracker.tick()).toBe(ORDERS);
    // The round ended past the end of the leases it took at its start.
    expect(clock.ms).toBeGreaterThan(started + 30_000);

    // The other replica's round finds every lease still held: it takes over nothing.
    expect(await b.tracker.tick()).toBe(0);
    const first = await getTrackedOrder(store.db, runs[0]! as never);
    expect(first?.leaseOwner).toBe('replica-a');
    expect(first!.leaseExpiresAt!.getTime()).toBeGreaterThan(clock.ms);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await store.close();
  });
});
