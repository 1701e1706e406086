/**
 * Replicas sharing the live runbook execution cards through the store, on PGlite and on
 * PostgreSQL (TEST_DATABASE_URL), on one fake clock for the trackers and the simulator: each
 * execution is read by the one replica holding its lease (one read per round in all), no card is
 * edited by both, a dead replica's executions are taken over once its leases expire (the same
 * message edited, the last edit once), a restarted tracker resumes its cards without editing what
 * did not change, an edit the platform failed is tried again (a Retry-After waited out), and a
 * card the platform will not take is given up, its requester told once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCocBackend } from '../src/backends/coc/index.js';
import type { CocClient } from '../src/coc/client.js';
import { ChatDeliveryError, ChatSurfaces, type ChatTarget, type PostedMessage } from '../src/core/chat-surface.js';
import type { Message } from '../src/core/message.js';
import { ExecutionTracker } from '../src/runbooks/execution-tracker.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import type { Db } from '../src/store/db.js';
import { getTrackedExecution, listExecutionCards } from '../src/store/tracked-executions.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { announceSkip, storeLegs } from './helpers/store-legs.js';
import { FakeClock, quietCoc } from './tracker-helpers.js';

const GET_EXECUTION = 'GET /v1/executions/{execution_id}';
const place = (channelId: string) => ({ platform: 'shell' as const, workspaceId: 'local', channelId });

/** A surface whose next edits fail as told (the platform down, or asking to wait), and whose posts fail while `refusePosts` is set. */
class FlakySurface extends RecordingSurface {
  readonly failures: ChatDeliveryError[] = [];
  refusePosts: ChatDeliveryError | undefined;
  override async update(posted: PostedMessage, message: Message): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    await super.update(posted, message);
  }
  override async post(target: ChatTarget, message: Message): Promise<PostedMessage> {
    if (this.refusePosts) throw this.refusePosts;
    return super.post(target, message);
  }
}

for (const leg of storeLegs) {
  announceSkip(leg, 'runbook-live-card-replicas');
  describe.skipIf(leg.skipReason !== undefined)(`live execution cards shared by replicas on ${leg.name}`, () => {
    const clock = new FakeClock();
    let sim: Simulator;
    let coc: CocClient;

    beforeAll(async () => {
      // The requests' signatures are dated by the real clock, the simulator's executions by the fake one.
      sim = await startSimulator({ tickMs: 0, now: () => clock.ms, maxSkewMs: 365 * 24 * 3_600_000 });
      coc = quietCoc(sim);
    });
    afterAll(async () => {
      await coc?.close();
      await sim?.close();
    });

    function replica(db: Db, owner: string, surface: RecordingSurface = new RecordingSurface('shell', () => clock.ms)) {
      const chat = new ChatSurfaces();
      chat.register(surface);
      const errors: unknown[] = [];
      const tracker = new ExecutionTracker({
        db,
        backend: createCocBackend(coc),
        chat,
        now: clock.now,
        config: { runbookTracker: { pollIntervalMs: 1000, minEditIntervalMs: 3000, leaseSeconds: 30, maxExecutions: 100 } },
        owner,
        onError: (error) => errors.push(error),
      });
      return { tracker, surface, errors };
    }

    /** A new execution of the flush runbook (5 s, then 10 s): it finishes 15 s from now. */
    function flush(): string {
      const board = runbooksOf(sim.world);
      return board.execute(board.document('DOC-flush-session-cache')!, [], 'alice', '').executionId;
    }
    const id = (native: string) => `coc:execution:${native}`;
    const finalsIn = (...surfaces: RecordingSurface[]) => surfaces.flatMap((surface) => surface.updates).filter((update) => update.message.footer?.includes('Final:'));

    it('reads each execution on one replica only, once a round, and no card is edited by both', async () => {
      const store = await leg.open();
      const a = replica(store.db, 'replica-a');
      const b = replica(store.db, 'replica-b');
      const natives: string[] = [];
      for (let i = 0; i < 4; i++) {
        const native = flush();
        natives.push(native);
        // The card is asked for on either replica; the one that gets the lease posts it.
        expect((await (i % 2 === 0 ? a : b).tracker.track({ execution: id(native), target: place(`c${i}`), locale: 'en-US' })).kind).toBe('posted');
      }
      sim.resetRequests();
      const readsPerRound: number[] = [];
      for (let round = 0; round < 20; round++) {
        const before = sim.countRequests(GET_EXECUTION);
        clock.advance(1000);
        await Promise.all([a.tracker.tick(), b.tracker.tick()]);
        readsPerRound.push(sim.countRequests(GET_EXECUTION) - before);
      }
      // Four live executions, each read once a round by whichever replica holds it, until they finish at 15 s.
      expect(readsPerRound.slice(0, 14)).toEqual(Array(14).fill(4));
      expect(readsPerRound.slice(16)).toEqual([0, 0, 0, 0]);
      const editedBy = (surface: RecordingSurface) => new Set(surface.updates.map((update) => update.posted.channelId));
      expect(editedBy(a.surface).size).toBeGreaterThan(0);
      expect(editedBy(b.surface).size).toBeGreaterThan(0);
      expect([...editedBy(a.surface)].filter((channel) => editedBy(b.surface).has(channel))).toEqual([]);
      // Every card got its last edit exactly once, from whichever replica polled it.
      expect(finalsIn(a.surface, b.surface).map((update) => update.posted.channelId).sort()).toEqual(['c0', 'c1', 'c2', 'c3']);
      for (const native of natives) expect(await getTrackedExecution(store.db, id(native))).toMatchObject({ ended: true, leaseOwner: null });
      expect([...a.errors, ...b.errors]).toEqual([]);
    });

    it('takes a dead replica’s executions over when its leases expire, editing the same message', async () => {
      const store = await leg.open();
      const a = replica(store.db, 'replica-a');
      // B shares A's chat (the same channel on the same platform): it edits A's messages.
      const b = replica(store.db, 'replica-b', a.surface);
      const native = flush();
      const first = await a.tracker.track({ execution: id(native), target: place('ops'), locale: 'en-US' });
      expect(first.kind).toBe('posted');
      // A dies (no more rounds, its lease not released): B reads nothing until the lease expires.
      sim.resetRequests();
      for (let round = 0; round < 5; round++) {
        clock.advance(5000);
        expect(await b.tracker.tick()).toBe(0);
      }
      expect(sim.countRequests(GET_EXECUTION)).toBe(0);
      clock.advance(6000);
      expect(await b.tracker.tick()).toBe(1);
      expect(a.surface.posts).toHaveLength(1);
      const [last] = finalsIn(a.surface);
      expect(last?.posted.messageRef).toBe(a.surface.posts[0]!.posted.messageRef);
      expect(last?.message.title).toBe(`Runbook execution ${native}: finished`);
      expect(await getTrackedExecution(store.db, id(native))).toMatchObject({ ended: true });
      expect(b.errors).toEqual([]);
    });

    it('resumes after a restart: nothing edited while nothing moved, then the same message follows the execution', async () => {
      const store = await leg.open();
      const before = replica(store.db, 'replica-a');
      const native = flush();
      await before.tracker.track({ execution: id(native), target: place('ops'), locale: 'en-US' });
      clock.advance(1000);
      await before.tracker.tick();
      await before.tracker.task.stop();

      // A new process, on the same store and the same channel, with nothing in memory.
      const after = replica(store.db, 'replica-a2', before.surface);
      clock.advance(1000);
      expect(await after.tracker.tick()).toBe(1);
      expect(before.surface.updates).toHaveLength(0);
      clock.advance(4000);
      await after.tracker.tick();
      expect(before.surface.updates).toHaveLength(1);
      expect(before.surface.updates[0]!.posted.messageRef).toBe(before.surface.posts[0]!.posted.messageRef);
      for (let round = 0; round < 4; round++) {
        clock.advance(3000);
        await after.tracker.tick();
      }
      expect(finalsIn(before.surface)).toHaveLength(1);
      expect(before.surface.posts).toHaveLength(1);
      expect((await listExecutionCards(store.db, id(native))).map((card) => card.cardState)).toEqual(['final']);
      expect([...before.errors, ...after.errors]).toEqual([]);
    });

    it('tries an edit the platform failed again at the next round, and waits out a Retry-After', async () => {
      const store = await leg.open();
      const surface = new FlakySurface('shell', () => clock.ms);
      const one = replica(store.db, 'replica-a', surface);
      const native = flush();
      await one.tracker.track({ execution: id(native), target: place('ops'), locale: 'en-US' });
      // The flush step ends at 5 s: its edit fails, the platform unreachable.
      surface.failures.push(new ChatDeliveryError('unreachable', undefined, { reason: 'unavailable' }));
      clock.advance(6000);
      await one.tracker.tick();
      expect(surface.updates).toHaveLength(0);
      // Nothing moved since, but the card does not show it yet: tried again.
      clock.advance(1000);
      await one.tracker.tick();
      expect(surface.updates).toHaveLength(1);
      // It finishes at 15 s: the platform asks to wait 5 s; the last edit comes once that has passed.
      surface.failures.push(new ChatDeliveryError('slow down', 5000));
      clock.advance(9000);
      await one.tracker.tick();
      clock.advance(2000);
      await one.tracker.tick();
      expect(finalsIn(surface)).toHaveLength(0);
      clock.advance(3000);
      await one.tracker.tick();
      expect(finalsIn(surface)).toHaveLength(1);
      expect(await getTrackedExecution(store.db, id(native))).toMatchObject({ ended: true });
      expect(one.errors).toEqual([]);
    });

    it('gives up a card the platform will not take: said in the answer of who waits for it, else told privately once', async () => {
      const store = await leg.open();
      const surface = new FlakySurface('shell', () => clock.ms);
      const one = replica(store.db, 'replica-a', surface);
      surface.refusePosts = new ChatDeliveryError('not_in_channel', undefined, { reason: 'not-in-channel' });
      const alice = { platform: 'shell' as const, workspaceId: 'local', userId: 'alice' };
      const waiting = await one.tracker.track({ execution: id(flush()), target: place('closed'), locale: 'en-US', startedBy: alice, requesterIsWaiting: true });
      expect(waiting).toMatchObject({ kind: 'undelivered', error: { reason: 'not-in-channel' } });
      expect(surface.notices).toHaveLength(0);
      const native = flush();
      expect((await one.tracker.track({ execution: id(native), target: place('closed'), locale: 'en-US', startedBy: alice })).kind).toBe('undelivered');
      clock.advance(1000);
      await one.tracker.tick();
      expect(surface.notices.map((notice) => notice.message.title)).toEqual([`The live card of runbook execution ${native} could not be posted`]);
      expect((await listExecutionCards(store.db, id(native))).map((card) => card.cardState)).toEqual(['abandoned']);
      // Invited since: asked for again there, the card is tried afresh.
      surface.refusePosts = undefined;
      expect((await one.tracker.track({ execution: id(native), target: place('closed'), locale: 'en-US', startedBy: alice })).kind).toBe('posted');
      expect(one.errors).toEqual([]);
    });
  });
}
