/**
 * Runs the bot batches itself (src/batches): batch 1 sent by the start, later batches by
 * `advance`; PAUSE rotation, pause, continue, skip and cancel between batches; the success rate
 * judged per batch; a lost answer never resent, adopted from the callback inbox or stopped at its
 * deadline; every batch started exactly once however many rounds and replicas race.
 */
import { describe, expect, it } from 'vitest';
import { BackendInputError, type RunId } from '../src/backends/index.js';
import { BatchOperationRefusedError, batchLabel, jobDoneInbox, withBotBatches } from '../src/batches/index.js';
import { UNKNOWN_GRACE_MS } from '../src/batches/deps.js';
import { ParamSealer } from '../src/run/sealing.js';
import { claimNextRunBatch, insertRunBatches, listRunBatches, markRunBatchSending, succeedRunBatch } from '../src/store/run-batches.js';
import { getRunPlan, markRunPlanSent, moveRunPlan } from '../src/store/run-plans.js';
import { callbackTokenFor, recordCallback } from '../src/store/backend-callbacks.js';
import { harness, insertPlan, planBatches, startPlan, tokenOf, type Harness } from './batches-helpers.js';
import { announceSkip, storeLegs, useCleanStore } from './helpers/store-legs.js';
import { randomBytes } from 'node:crypto';

const states = async (h: Harness, planId: string) => (await listRunBatches(h.deps.db, planId)).map((row) => `${row.batchIndex}:${row.state}${row.state === 'waiting' && row.hold === 'held' ? '(held)' : ''}`);

async function status(h: Harness, run: RunId): Promise<string> {
  const summary = await h.runs.read(run);
  return `${summary?.status.state}@${summary?.currentBatch}`;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BatchOperationRefusedError);
    expect((error as BatchOperationRefusedError).mayHaveActed).toBe(false);
    return (error as BatchOperationRefusedError).reason;
  }
  throw new Error('not refused');
}

for (const leg of storeLegs) {
  announceSkip(leg, 'batches-runs');
  describe.skipIf(leg.skipReason !== undefined)(`bot-driven batches on ${leg.name}`, () => {
    const store = useCleanStore(leg);

    it('PAUSE rotation: each batch waits for Continue; pause, skip and cancel act between batches; a running batch finishes', async () => {
      const h = harness(store.db);
      const plan = await insertPlan(store.db, { batches: planBatches(4, 2, 'PAUSE') });
      const label = (n: number) => batchLabel(plan.id, n);
      const { run } = await startPlan(store.db, h.runs, plan);
      expect(run).toBe(`blueking:run:${plan.id}`);
      expect(await states(h, plan.id)).toEqual(['1:running', '2:waiting(held)', '3:waiting(held)', '4:waiting(held)']);
      expect(h.fake.requests[0]).toMatchObject({ label: label(1), timeoutSeconds: 600, runAs: 'root', hosts: [{ name: 'web-1' }, { name: 'web-2' }] });
      expect(await status(h, run!)).toBe('running@1');

      await h.runs.advance!(run!);
      expect(h.fake.requests).toHaveLength(1);
      h.fake.finish(label(1));
      await h.runs.advance!(run!);
      expect(await states(h, plan.id)).toEqual(['1:succeeded', '2:waiting(held)', '3:waiting(held)', '4:waiting(held)']);
      expect(await status(h, run!)).toBe('paused@2');
      expect(await refusal(h.runs.operate!(run!, { kind: 'pause' }))).toBe('alreadyHeld');

      // Skipping the held batch keeps the run paused, now before batch 3.
      await h.runs.operate!(run!, { kind: 'skip-batch', batch: 2 });
      expect(await status(h, run!)).toBe('paused@3');
      await h.runs.advance!(run!);
      expect(h.fake.requests).toHaveLength(1);

      await h.runs.operate!(run!, { kind: 'continue' });
      expect(await refusal(h.runs.operate!(run!, { kind: 'continue' }))).toBe('notHeld');
      await h.runs.advance!(run!);
      expect(await status(h, run!)).toBe('running@3');
      expect(await refusal(h.runs.operate!(run!, { kind: 'skip-batch', batch: 3 }))).toBe('batchSent');

      // Cancel while batch 3 runs: batch 4 will not run; batch 3 finishes.
      await h.runs.operate!(run!, { kind: 'cancel' });
      expect(await refusal(h.runs.operate!(run!, { kind: 'cancel' }))).toBe('nothingWaiting');
      expect(await status(h, run!)).toBe('running@3');
      h.fake.finish(label(3));
      await h.runs.advance!(run!);
      expect(await states(h, plan.id)).toEqual(['1:succeeded', '2:skipped', '3:succeeded', '4:canceled']);
      const summary = await h.runs.read(run!);
      expect(summary?.status).toEqual({ state: 'canceled', code: 'CANCELED' });
      expect(summary?.finishedAt).toBeDefined();
      expect([1, 2, 3, 4].map((n) => h.fake.startsOf(label(n)))).toEqual([1, 0, 1, 0]);
      expect(await refusal(h.runs.operate!(run!, { kind: 'cancel-host', batch: 3, host: 'blueking:host-run:x' }))).toBe('cannotCancelHost');
    });

    it('CONTINUE rotation: pause holds the next batch while one runs; the run goes on by itself after Continue and ends succeeded', async () => {
      const h = harness(store.db);
      const plan = await insertPlan(store.db, { batches: planBatches(3, 1, 'CONTINUE') });
      const label = (n: number) => batchLabel(plan.id, n);
      const { run } = await startPlan(store.db, h.runs, plan);
      await h.runs.operate!(run!, { kind: 'pause' });
      expect(await status(h, run!)).toBe('running@1');
      h.fake.finish(label(1));
      await h.runs.advance!(run!);
      expect(await status(h, run!)).toBe('paused@2');
      await h.runs.operate!(run!, { kind: 'continue' });
      await h.runs.advance!(run!);
      h.fake.finish(label(2));
      await h.runs.advance!(run!);
      expect(await status(h, run!)).toBe('running@3');
      h.fake.finish(label(3));
      await h.runs.advance!(run!);
      expect(await status(h, run!)).toBe('succeeded@3');
      expect(await refusal(h.runs.operate!(run!, { kind: 'pause' }))).toBe('nothingWaiting');
      expect(h.fake.requests.map((request) => request.label)).toEqual([label(1), label(2), label(3)]);
    });

    it('stops at the first batch below the success rate: later batches do not run', async () => {
      const h = harness(store.db);
      const plan = await insertPlan(store.db, { batches: planBatches(3, 2, 'CONTINUE'), successRate: 100 });
      const label = (n: number) => batchLabel(plan.id, n);
      const { run } = await startPlan(store.db, h.runs, plan);
      h.fake.finish(label(1), ['web-2']);
      await h.runs.advance!(run!);
      await h.runs.advance!(run!);
      expect(await states(h, plan.id)).toEqual(['1:failed', '2:not-run', '3:not-run']);
      expect(await status(h, run!)).toBe('failed@1');
      expect((await listRunBatches(store.db, plan.id))[0]?.error).toMatch(/1 of 2 hosts succeeded, below the required success rate of 100%/);
      expect(h.fake.requests).toHaveLength(1);
      const progress = await h.runs.progress(run!);
      expect(progress.total).toBe(6);
      expect(progress.counts).toEqual(
        expect.arrayContaining([
          { status: { state: 'succeeded', code: 'SUCCEEDED' }, count: 1, batches: [1] },
          { status: { state: 'failed', code: 'FAILED' }, count: 1, batches: [1] },
          { status: { state: 'canceled', code: 'NOT_RUN' }, count: 4, batches: [2, 3] },
        ]),
      );
    });

    it('a refused first batch fails the start (nothing runs after it); a request without its plan is not sent', async () => {
      const h = harness(store.db);
      const plan = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE') });
      h.fake.fates.push('refuse');
      const { error } = await startPlan(store.db, h.runs, plan);
      expect(error).toMatchObject({ kind: 'refused', mayHaveActed: false });
      expect(await states(h, plan.id)).toEqual(['1:failed', '2:not-run']);
      await expect(h.runs.start({ script: { id: plan.scriptId }, batches: [], timeoutSeconds: 60, successRate: 100, runAs: 'root', params: {} })).rejects.toBeInstanceOf(BackendInputError);
    });

    it('a lost answer to a later batch: unknown, never sent again, adopted when the callback arrives', async () => {
      const h = harness(store.db);
      const plan = await insertPlan(store.db, { batches: planBatches(3, 1, 'CONTINUE') });
      const label = (n: number) => batchLabel(plan.id, n);
      const { run } = await startPlan(store.db, h.runs, plan);
      h.fake.finish(label(1));
      h.fake.fates.push('lose');
      await h.runs.advance!(run!);
      expect(await states(h, plan.id)).toEqual(['1:succeeded', '2:unknown', '3:waiting']);
      expect((await h.runs.read(run!))?.status).toEqual({ state: 'running', code: 'UNKNOWN' });
      for (let i = 0; i < 3; i++) await h.runs.advance!(run!);
      expect(h.fake.startsOf(label(2))).toBe(1);
      expect(h.fake.startsOf(label(3))).toBe(0);

      // The platform calls back: the token names the batch, the body the execution.
      const inbox = jobDoneInbox({ db: store.db, executions: h.fake, now: h.deps.now });
      const execution = h.fake.byLabel(label(2)).id;
      const jobId = Number(execution.split(':').at(-1));
      expect(await inbox.receive('x'.repeat(32), { job_instance_id: jobId })).toBe('unknown-token');
      expect(await inbox.receive(tokenOf(h.fake.requests[1]!), { nothing: true })).toBe('unreadable');
      expect(await inbox.receive(tokenOf(h.fake.requests[1]!), { job_instance_id: jobId })).toBe('recorded');
      expect(await inbox.receive(tokenOf(h.fake.requests[1]!), { job_instance_id: jobId + 1 })).toBe('conflict');
      h.fake.finish(label(2));
      await h.runs.advance!(run!);
      await h.runs.advance!(run!);
      expect(await states(h, plan.id)).toEqual(['1:succeeded', '2:succeeded', '3:running']);
      expect((await listRunBatches(store.db, plan.id))[1]?.executionId).toBe(execution);
      expect([1, 2, 3].map((n) => h.fake.startsOf(label(n)))).toEqual([1, 1, 1]);
    });

    it('a lost answer to the first batch: the start is unknown; find cannot tell until the callback, then finds the run', async () => {
      const h = harness(store.db);
      const plan = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE') });
      h.fake.fates.push('lose');
      const { error } = await startPlan(store.db, h.runs, plan);
      expect(error).toMatchObject({ kind: 'unavailable', mayHaveActed: true });
      expect(await states(h, plan.id)).toEqual(['1:unknown', '2:waiting']);
      const stamped = await getRunPlan(store.db, plan.id);
      const query = { sentAt: stamped!.executeSentAt!, request: { planId: plan.id, script: { id: plan.scriptId }, batches: [], timeoutSeconds: 600, successRate: 100, runAs: 'root', params: {} }, windowMs: 60_000, takenByOther: async () => false };
      expect(await h.runs.find!(query)).toEqual({ kind: 'cannot-tell' });
      const jobId = Number(h.fake.byLabel(batchLabel(plan.id, 1)).id.split(':').at(-1));
      await jobDoneInbox({ db: store.db, executions: h.fake, now: h.deps.now }).receive(tokenOf(h.fake.requests[0]!), { job_instance_id: jobId });
      expect(await h.runs.find!(query)).toEqual({ kind: 'found', id: `blueking:run:${plan.id}` });
      expect(await states(h, plan.id)).toEqual(['1:running', '2:waiting']);
      expect(h.fake.requests).toHaveLength(1);
    });

    it('a start that stopped before its first batch was stamped is absent once the plan is settled (nothing of it can be sent after); one cut short during its request waits for its callback', async () => {
      const h = harness(store.db);
      const query = (planId: string) => ({ sentAt: new Date(h.clock), request: { planId, script: { id: plan.scriptId }, batches: [], timeoutSeconds: 600, successRate: 100, runAs: 'root', params: {} }, windowMs: 60_000, takenByOther: async () => false });
      // Died after claiming batch 1, before stamping it; recovery then marked the plan unknown.
      const plan = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE') });
      await moveRunPlan(store.db, plan.id, ['previewed'], 'starting');
      await markRunPlanSent(store.db, plan.id);
      await insertRunBatches(store.db, plan.id, [{ index: 1, held: false, sealedParams: null }, { index: 2, held: false, sealedParams: null }]);
      const claim = await claimNextRunBatch(store.db, plan.id, 'dead', new Date(h.clock));
      expect(await h.runs.find!(query(plan.id))).toEqual({ kind: 'cannot-tell' });
      await moveRunPlan(store.db, plan.id, ['starting'], 'unknown');
      expect(await h.runs.find!(query(plan.id))).toEqual({ kind: 'absent', candidates: 0 });
      expect(await markRunBatchSending(store.db, plan.id, 1, 'dead', claim!.row.claimedAt!, new Date(h.clock))).toBeUndefined();
      // Died during the request of batch 1 (stamped 'sending'): unknown after the request's time limit, then adopted from the callback.
      const cut = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE') });
      await moveRunPlan(store.db, cut.id, ['previewed'], 'starting');
      await insertRunBatches(store.db, cut.id, [{ index: 1, held: false, sealedParams: null }, { index: 2, held: false, sealedParams: null }]);
      const cutClaim = await claimNextRunBatch(store.db, cut.id, 'dead', new Date(h.clock));
      await markRunBatchSending(store.db, cut.id, 1, 'dead', cutClaim!.row.claimedAt!, new Date(h.clock));
      await moveRunPlan(store.db, cut.id, ['starting'], 'unknown');
      expect(await h.runs.find!(query(cut.id))).toEqual({ kind: 'cannot-tell' });
      expect(await states(h, cut.id)).toEqual(['1:sending', '2:waiting']);
      h.clock += 61_000;
      expect(await h.runs.find!(query(cut.id))).toEqual({ kind: 'cannot-tell' });
      expect(await states(h, cut.id)).toEqual(['1:unknown', '2:waiting']);
      await recordCallback(store.db, await callbackTokenFor(store.db, cut.id, 1), 'blueking:execution:3:77', true, new Date(h.clock));
      expect(await h.runs.find!(query(cut.id))).toEqual({ kind: 'found', id: `blueking:run:${cut.id}` });
      // Died before the batches were filed.
      const bare = await insertPlan(store.db, { batches: planBatches(1, 1, 'CONTINUE') });
      await moveRunPlan(store.db, bare.id, ['previewed'], 'unknown');
      expect(await h.runs.find!(query(bare.id))).toEqual({ kind: 'absent', candidates: 0 });
      await insertRunBatches(store.db, bare.id, [{ index: 1, held: false, sealedParams: null }]);
      expect(await claimNextRunBatch(store.db, bare.id, 'late', new Date(h.clock))).toBeUndefined();
      expect(h.fake.requests).toHaveLength(0);
    });

    it('an unknown batch with no news by its deadline stops the run, naming the task to check; later batches never run', async () => {
      const h = harness(store.db, { requestTimeoutMs: 30_000 });
      const plan = await insertPlan(store.db, { batches: planBatches(3, 1, 'CONTINUE') });
      const label = (n: number) => batchLabel(plan.id, n);
      const { run } = await startPlan(store.db, h.runs, plan);
      h.fake.finish(label(1));
      h.fake.fates.push('lose');
      await h.runs.advance!(run!);
      // 600 s of the script's own time limit + 30 s of the request's + the grace, less a second: still waiting.
      h.clock += 600_000 + 30_000 + UNKNOWN_GRACE_MS - 1000;
      await h.runs.advance!(run!);
      expect(await status(h, run!)).toBe('running@2');
      h.clock += 2000;
      await h.runs.advance!(run!);
      expect(await states(h, plan.id)).toEqual(['1:succeeded', '2:unknown', '3:not-run']);
      const summary = await h.runs.read(run!);
      expect(summary?.status).toEqual({ state: 'error', code: 'ERROR' });
      expect(summary?.label).toBe(label(2));
      expect((await listRunBatches(store.db, plan.id))[1]?.error).toContain(`check the task ${label(2)} on the platform by hand`);
      await h.runs.advance!(run!);
      expect(h.fake.requests.map((request) => request.label)).toEqual([label(1), label(2)]);
    });

    it('100 concurrent rounds on two replicas start each batch exactly once', async () => {
      const a = harness(store.db, { replicaId: 'replica-a' });
      const plan = await insertPlan(store.db, { batches: planBatches(3, 2, 'CONTINUE') });
      const { run } = await startPlan(store.db, a.runs, plan);
      const b = harness(store.db, { replicaId: 'replica-b', executions: a.fake });
      for (const n of [1, 2]) {
        a.fake.finish(batchLabel(plan.id, n));
        await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).runs.advance!(run!)));
        expect(a.fake.startsOf(batchLabel(plan.id, n + 1))).toBe(1);
      }
      a.fake.finish(batchLabel(plan.id, 3));
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).runs.advance!(run!)));
      expect(await status(a, run!)).toBe('succeeded@3');
      expect(a.fake.requests).toHaveLength(3);
    });

    it('a claim never stamped as sent goes back to waiting after its lease and is sent once; a stamp without an answer becomes unknown', async () => {
      const h = harness(store.db, { claimLeaseMs: 60_000, requestTimeoutMs: 30_000 });
      const now = () => new Date(h.clock);
      // A replica settles batch 1, claims batch 2 and dies before stamping it: nothing was sent.
      const plan = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE') });
      const { run } = await startPlan(store.db, h.runs, plan);
      h.fake.finish(batchLabel(plan.id, 1));
      await succeedRunBatch(store.db, plan.id, 1, { succeeded: 1, failed: 0 }, now());
      expect((await claimNextRunBatch(store.db, plan.id, 'dead', now()))?.row.batchIndex).toBe(2);
      h.clock += 30_000;
      await h.runs.advance!(run!);
      expect(await states(h, plan.id)).toEqual(['1:succeeded', '2:claimed']);
      h.clock += 31_000;
      await h.runs.advance!(run!);
      await h.runs.advance!(run!);
      expect(await states(h, plan.id)).toEqual(['1:succeeded', '2:running']);
      expect(h.fake.startsOf(batchLabel(plan.id, 2))).toBe(1);

      // A replica that stamped batch 2 and died during the request: unknown after the request's time limit, never resent.
      const other = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE') });
      const { run: otherRun } = await startPlan(store.db, h.runs, other);
      h.fake.finish(batchLabel(other.id, 1));
      await succeedRunBatch(store.db, other.id, 1, { succeeded: 1, failed: 0 }, now());
      const stamped = await claimNextRunBatch(store.db, other.id, 'dead', now());
      expect(await markRunBatchSending(store.db, other.id, 2, 'dead', stamped!.row.claimedAt!, now())).toBeDefined();
      await h.runs.advance!(otherRun!);
      expect(await states(h, other.id)).toEqual(['1:succeeded', '2:sending']);
      h.clock += 31_000;
      await h.runs.advance!(otherRun!);
      expect(await states(h, other.id)).toEqual(['1:succeeded', '2:unknown']);
      expect(h.fake.startsOf(batchLabel(other.id, 2))).toBe(0);
    });

    it('cancel and skip end a batch that was claimed but never sent: it is not sent after the claim’s lease either', async () => {
      const h = harness(store.db, { claimLeaseMs: 60_000, requestTimeoutMs: 30_000 });
      const now = () => new Date(h.clock);
      for (const operation of ['cancel', 'skip-batch'] as const) {
        // A replica claims batch 2 and dies before stamping it; a person then cancels (or skips it).
        const plan = await insertPlan(store.db, { batches: planBatches(3, 1, 'CONTINUE') });
        const { run } = await startPlan(store.db, h.runs, plan);
        h.fake.finish(batchLabel(plan.id, 1));
        await succeedRunBatch(store.db, plan.id, 1, { succeeded: 1, failed: 0 }, now());
        const claimed = await claimNextRunBatch(store.db, plan.id, 'dead', now());
        await h.runs.operate!(run!, operation === 'cancel' ? { kind: 'cancel' } : { kind: 'skip-batch', batch: 2 });
        // A claimer still alive cannot stamp it any more: nothing is sent.
        expect(await markRunBatchSending(store.db, plan.id, 2, 'dead', claimed!.row.claimedAt!, now())).toBeUndefined();
        h.clock += 61_000;
        await h.runs.advance!(run!);
        await h.runs.advance!(run!);
        expect(h.fake.startsOf(batchLabel(plan.id, 2))).toBe(0);
        expect((await states(h, plan.id))[1]).toBe(operation === 'cancel' ? '2:canceled' : '2:skipped');
      }
    });

    it('sends a later batch only while its script is the one approved: changed → not sent; unreadable → not sent until it can be checked', async () => {
      let pin = { hash: 'hash', modifiedAt: 0 };
      let readable = true;
      const scripts = {
        get: async () => {
          if (!readable) throw new Error('Job did not answer');
          return { pin } as never;
        },
      };
      const h = harness(store.db, { scripts, claimLeaseMs: 60_000 });
      const plan = await insertPlan(store.db, { batches: planBatches(3, 1, 'CONTINUE') });
      const { run } = await startPlan(store.db, h.runs, plan);
      h.fake.finish(batchLabel(plan.id, 1));
      readable = false;
      await h.runs.advance!(run!);
      await h.runs.advance!(run!);
      expect(h.fake.startsOf(batchLabel(plan.id, 2))).toBe(0);
      expect((await states(h, plan.id))[1]).toBe('2:claimed');
      readable = true;
      h.clock += 61_000;
      await h.runs.advance!(run!);
      await h.runs.advance!(run!);
      expect(h.fake.startsOf(batchLabel(plan.id, 2))).toBe(1);
      h.fake.finish(batchLabel(plan.id, 2));
      pin = { hash: 'edited in Job', modifiedAt: 1 };
      await h.runs.advance!(run!);
      await h.runs.advance!(run!);
      expect(h.fake.startsOf(batchLabel(plan.id, 3))).toBe(0);
      expect((await states(h, plan.id))[2]).toBe('3:failed');
      expect((await listRunBatches(store.db, plan.id))[2]?.error).toContain('the script changed');
    });

    it('sends no later batch with the bot’s rights when the requester’s are gone: the batch fails, not sent', async () => {
      let requesterGone = false;
      const h: ReturnType<typeof harness> = harness(store.db, {
        executionsFor: () => {
          if (requesterGone) throw new Error('the requester is no longer linked');
          return h.fake;
        },
      });
      const plan = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE') });
      const { run } = await startPlan(store.db, h.runs, plan);
      h.fake.finish(batchLabel(plan.id, 1));
      requesterGone = true;
      await h.runs.advance!(run!);
      await h.runs.advance!(run!);
      expect(h.fake.startsOf(batchLabel(plan.id, 2))).toBe(0);
      expect((await states(h, plan.id))[1]).toBe('2:failed');
      const rows = await listRunBatches(store.db, plan.id);
      expect(rows[1]?.error).toContain('not sent: the requester’s rights');
    });

    it('composes the run: summary, batches, progress over all batches, and a batch’s hosts with status and output', async () => {
      const h = harness(store.db);
      const plan = await insertPlan(store.db, { batches: planBatches(3, 2, 'PAUSE'), successRate: 50, plainParams: { mode: 'fast' } });
      const { run } = await startPlan(store.db, h.runs, plan);
      h.fake.finish(batchLabel(plan.id, 1), ['web-1']);
      await h.runs.advance!(run!);
      await h.runs.operate!(run!, { kind: 'continue' });
      await h.runs.advance!(run!);
      const summary = await h.runs.read(run!);
      expect(summary).toMatchObject({
        id: run,
        status: { state: 'running', code: 'RUNNING' },
        currentBatch: 2,
        script: { id: plan.scriptId, name: 'restart_nginx' },
        params: [{ name: 'mode', value: 'fast' }],
        successRate: 50,
        runAs: 'root',
        creator: 'alice',
        label: batchLabel(plan.id, 2),
      });
      expect(await h.runs.batches(run!)).toEqual([1, 2, 3].map((index) => ({ index, hostCount: 2, rotation: { state: 'pause', code: 'PAUSE' } })));
      const progress = await h.runs.progress(run!);
      expect(progress.total).toBe(6);
      expect(new Set(progress.counts)).toEqual(
        new Set([
          { status: { state: 'succeeded', code: 'SUCCEEDED' }, count: 1, batches: [1] },
          { status: { state: 'failed', code: 'FAILED' }, count: 1, batches: [1] },
          { status: { state: 'running', code: 'RUNNING' }, count: 2, batches: [2] },
          { status: { state: 'waiting', code: 'WAITING' }, count: 2, batches: [3] },
        ]),
      );
      const first = await h.runs.batch(run!, 1, { state: 'failed', limit: 10 });
      expect(first.hosts).toHaveLength(1);
      expect(first.hosts[0]).toMatchObject({ host: { name: 'web-1', ip: '10.0.0.1' }, status: { state: 'failed', code: '4' } });
      expect(first.hosts[0]?.output).toContain('output of blueking:host:0:10.0.0.1');
      const third = await h.runs.batch(run!, 3, { limit: 10 });
      expect(third.hosts.map((host) => [host.host.name, host.status.code, host.output])).toEqual([
        ['web-5', 'WAITING', undefined],
        ['web-6', 'WAITING', undefined],
      ]);
      expect(await h.runs.read(`blueking:run:${randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`)).toBeUndefined();
    });

    it('keeps sensitive values sealed for later batches and sends them; without a key a multi-batch run with secrets is not sent', async () => {
      const sealer = new ParamSealer({ key: randomBytes(32), origin: 'configured' });
      const h = harness(store.db, { sealer });
      const plan = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE'), sensitive: ['password'], plainParams: { user: 'app' } });
      const { run } = await startPlan(store.db, h.runs, plan, { password: 'S3cret_value' });
      expect(h.fake.requests[0]).toMatchObject({ params: { user: 'app', password: 'S3cret_value' }, sensitive: ['password'] });
      h.fake.finish(batchLabel(plan.id, 1));
      await h.runs.advance!(run!);
      expect(h.fake.requests[1]).toMatchObject({ params: { user: 'app', password: 'S3cret_value' }, sensitive: ['password'] });
      const { rows } = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM run_batches WHERE plan_id = $1 AND sealed_params IS NOT NULL`, [plan.id]);
      expect(rows[0]?.n).toBe(0);

      const unsealed = harness(store.db);
      const other = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE'), sensitive: ['password'] });
      const { error } = await startPlan(store.db, unsealed.runs, other, { password: 'S3cret_value' });
      expect(error).toBeInstanceOf(BackendInputError);
      expect(unsealed.fake.requests).toHaveLength(0);
    });

    it('withBotBatches composes runs for a backend with executions only, and names the bot’s codes', () => {
      const fake = harness(store.db).fake;
      const base = { name: 'blueking', displayName: { 'en-US': 'BlueKing', 'zh-CN': '蓝鲸' }, perUser: 'username', executions: fake, parseId: () => undefined, vocabulary: { runStatus: {}, hostRunStatus: {}, rotation: {} } } as never;
      const wrapped = withBotBatches(base, { db: store.db, now: () => new Date(), replicaId: 'r' });
      expect(wrapped.runs?.batching).toBe('bot');
      expect([...wrapped.runs!.operations].sort()).toEqual(['cancel', 'continue', 'pause', 'skip-batch']);
      expect(wrapped.vocabulary.runStatus['PAUSED']?.['zh-CN']).toBe('已暂停');
      const withRuns = { ...(base as object), runs: wrapped.runs } as never;
      expect(withBotBatches(withRuns, { db: store.db, now: () => new Date(), replicaId: 'r' })).toBe(withRuns);
    });
  });
}
