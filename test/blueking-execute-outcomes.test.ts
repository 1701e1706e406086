/**
 * BlueKing's execution writes under every way an answer can fail, before and after Job acted, on
 * the assembled BlueKing bot over its simulator (jobs move only when the test ticks it; Job's
 * callbacks reach the ops server): job/fast_execute_script for batch 1 (the start the person
 * waits for) and for batch 2 (sent by the tracker's round). What the person and the card are told
 * must match what the simulator did (a job with the batch's task name exists or not); each batch
 * reaches the simulator exactly once; a job whose answer was lost is adopted through its callback
 * and never resent; without news the run stops at the batch's deadline naming the Job task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import type { Bot } from '../src/app/bot.js';
import { need, type RunId } from '../src/backends/index.js';
import { batchLabel } from '../src/batches/index.js';
import type { Message } from '../src/core/message.js';
import type { OrderTracker } from '../src/orders/tracker.js';
import type { BluekingSimulator, Fault } from '../src/sim/blueking/server.js';
import { listRunBatches } from '../src/store/run-batches.js';
import { getRunPlan } from '../src/store/run-plans.js';
import { bluekingSimulatorOf, startBluekingBot } from './helpers/blueking-bot.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { freshMemoryStore } from './helpers/memory-store.js';

const EXECUTE = 'job/fast_execute_script';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

let bot: Bot;
let sim: BluekingSimulator;
let surface: RecordingSurface;

beforeAll(async () => {
  bot = await startBluekingBot({
    // A hung request is given up after a second (the least the configuration allows).
    env: { BLUEKING_TIMEOUT_MS: '1000' },
    bot: { store: await freshMemoryStore(), logDestination: { write: () => true } as unknown as NodeJS.WritableStream },
  });
  sim = bluekingSimulatorOf(bot);
  surface = new RecordingSurface('shell');
  bot.chat.register(surface);
});
afterAll(async () => {
  await bot?.close();
});

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const say = (user: string, text: string): Promise<Message> => bot.dispatcher.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (user: string, actionId: string, value: string): Promise<Message> => bot.dispatcher.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });
const tracker = () => bot.services.tracker as OrderTracker;
const textOf = (message: Message): string => [message.title, message.text, message.footer].filter(Boolean).join('\n');
const jobsOf = (label: string) => sim.world.jobs.filter((job) => job.task_name === label);
const executesOf = (label: string) => sim.requests.filter((r) => r.routeKey === EXECUTE && JSON.stringify(r).includes(label)).length;
const states = async (planId: string) => (await listRunBatches(bot.services.db, planId)).map((row) => `${row.batchIndex}:${row.state}`);

/** Previews a LOW run of two batches of one host; returns the plan id of its Run button. */
async function preview(): Promise<string> {
  const reply = await say('alice', 'run check_disk --hosts web-02,web-03 --batch-size 1');
  const go = reply.buttons?.find((b) => b.actionId === 'run:go');
  if (!go) throw new Error(`no Run button on "${reply.title}": ${reply.text}`);
  return go.value;
}

/** Ends every job of the simulator and lets their callbacks land. */
async function endJobs(): Promise<void> {
  sim.tick(3);
  await sim.settleCallbacks();
}

/** Tracker rounds (and recovery's) until the batches read `want`, at most `rounds`. */
async function roundsUntil(planId: string, want: readonly string[], rounds = 8): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    if (JSON.stringify(await states(planId)) === JSON.stringify(want)) return;
    await recoverInterruptedRuns(bot.services, { leftAfterMs: 300_000 });
    await tracker().tick();
    await endJobs();
  }
  expect(await states(planId)).toEqual(want);
}

/** Moves a plan's stamps an hour back: every deadline of its unknown batches has passed. */
async function agePlan(planId: string): Promise<void> {
  await bot.services.db.query(`UPDATE run_batches SET sent_at = sent_at - interval '1 hour', claimed_at = claimed_at - interval '1 hour' WHERE plan_id = $1`, [planId]);
  await bot.services.db.query(`UPDATE run_plans SET execute_sent_at = execute_sent_at - interval '1 hour' WHERE id = $1`, [planId]);
}

const arm = (fault: Fault): void => sim.faults.set(EXECUTE, { ...fault, times: 1 } as Fault);

// Lost answers: kind, and whether Job acted (created the job) before it was lost.
const LOST_AFTER: readonly { readonly name: string; readonly fault: Fault }[] = [
  { name: '502', fault: { kind: 'status', status: 502, afterHandling: true } },
  { name: 'reset', fault: { kind: 'reset', afterHandling: true } },
  { name: 'hang (timeout)', fault: { kind: 'hang', afterHandling: true } },
];
const LOST_BEFORE: readonly { readonly name: string; readonly fault: Fault }[] = [
  { name: '502', fault: { kind: 'status', status: 502 } },
  { name: '503', fault: { kind: 'status', status: 503 } },
  { name: 'hang (timeout)', fault: { kind: 'hang' } },
];

describe('batch 1 (the start the person waits for)', () => {
  it('result:false with a code → refused: nothing ran, the person is told so; sent once', async () => {
    const planId = await preview();
    arm({ kind: 'error-envelope', errorCode: '1240002', errorMsg: 'account not allowed' });
    const reply = await click('alice', 'run:go', planId);
    expect(reply.tone).toBe('danger');
    expect(textOf(reply)).toContain('BlueKing refused the run: 1240002: account not allowed');
    expect(executesOf(batchLabel(planId, 1))).toBe(1);
    expect(jobsOf(batchLabel(planId, 1))).toHaveLength(0);
    expect((await getRunPlan(bot.services.db, planId))?.state).toBe('failed');
    await roundsUntil(planId, ['1:failed', '2:not-run'], 3);
    expect(executesOf(batchLabel(planId, 2))).toBe(0);
  });

  for (const { name, fault } of LOST_AFTER) {
    it(`${name} after Job acted → unknown, adopted through Job's callback, never resent; the run goes on`, async () => {
      const planId = await preview();
      arm(fault);
      const reply = await click('alice', 'run:go', planId);
      expect(textOf(reply)).toContain('It was not sent again');
      expect(executesOf(batchLabel(planId, 1))).toBe(1);
      expect(jobsOf(batchLabel(planId, 1))).toHaveLength(1);
      expect(await states(planId)).toEqual(['1:unknown', '2:waiting']);
      expect((await getRunPlan(bot.services.db, planId))?.state).toBe('unknown');
      // The job ends: Job calls back, the batch is adopted (the plan found), the run goes on.
      await roundsUntil(planId, ['1:succeeded', '2:succeeded']);
      const plan = await getRunPlan(bot.services.db, planId);
      expect(plan?.state).toBe('started');
      expect(plan?.runId).toBe(`blueking:run:${planId}`);
      expect(jobsOf(batchLabel(planId, 1))[0]!.callbacks.length).toBeGreaterThanOrEqual(1);
      // Told once it was found, naming the platform it runs on.
      const found = surface.notices.filter((n) => n.message.title?.includes(planId)).map((n) => n.message.title);
      expect(found).toContain(`Your run of check_disk started: order ${planId} (BlueKing's answer was lost; the bot found the order in BlueKing)`);
      expect([1, 2].map((n) => executesOf(batchLabel(planId, n)))).toEqual([1, 1]);
      expect([1, 2].map((n) => jobsOf(batchLabel(planId, n)).length)).toEqual([1, 1]);
    });
  }

  for (const { name, fault } of LOST_BEFORE) {
    it(`${name} before Job acted → unknown (never "failed"), nothing resent; no callback: stops at its deadline naming the task`, async () => {
      const planId = await preview();
      arm(fault);
      const reply = await click('alice', 'run:go', planId);
      expect(reply.title).toBe('Whether the run started is not known yet');
      expect(reply.tone).not.toBe('success');
      // Says what happens next on a platform with no list to search: Job's report, or the deadline and the task to check.
      expect(textOf(reply)).toContain(`naming the task ${batchLabel(planId, 1)} to check on BlueKing by hand`);
      expect(textOf(reply)).not.toContain('proven absent');
      expect(executesOf(batchLabel(planId, 1))).toBe(1);
      expect(jobsOf(batchLabel(planId, 1))).toHaveLength(0);
      expect(await states(planId)).toEqual(['1:unknown', '2:waiting']);
      await roundsUntil(planId, ['1:unknown', '2:waiting'], 2);
      await agePlan(planId);
      const noticesBefore = surface.notices.length;
      await recoverInterruptedRuns(bot.services, { leftAfterMs: 300_000 });
      await recoverInterruptedRuns(bot.services, { leftAfterMs: 300_000 });
      await tracker().tick();
      // The requester is told once that the run stopped with its outcome unknown, naming the task to check.
      const stopped = surface.notices.slice(noticesBefore).filter((notice) => /stopped: its outcome stays unknown/.test(notice.message.title ?? ''));
      expect(stopped).toHaveLength(1);
      expect(stopped[0]?.person.userId).toBe('alice');
      expect(stopped[0]?.message.text).toContain(`Check the task ${batchLabel(planId, 1)} on BlueKing by hand`);
      const rows = await listRunBatches(bot.services.db, planId);
      // Given up at its deadline: later batches will not run, and the plan stays unknown (never "failed").
      expect(rows.map((row) => row.state)).toEqual(['unknown', 'not-run']);
      expect((await getRunPlan(bot.services.db, planId))?.state).toBe('unknown');
      expect(rows[0]?.error).toContain(batchLabel(planId, 1));
      expect(textOf(await say('alice', `order show ${planId}`))).toContain(`Stopped: the outcome of batch 1 of 2 stayed unknown. Check the task ${batchLabel(planId, 1)} on the platform by hand`);
      expect(executesOf(batchLabel(planId, 1))).toBe(1);
      expect(executesOf(batchLabel(planId, 2))).toBe(0);
      expect(jobsOf(batchLabel(planId, 2))).toHaveLength(0);
    });
  }
});

describe('batch 2 (sent by the tracker’s round)', () => {
  /** Starts the run cleanly, ends batch 1, arms the fault, and lets one round send batch 2. */
  async function secondBatchWith(fault: Fault): Promise<string> {
    const planId = await preview();
    const reply = await click('alice', 'run:go', planId);
    expect(reply.tone, textOf(reply)).toBe('success');
    await endJobs();
    arm(fault);
    await tracker().tick();
    sim.faults.clear(EXECUTE);
    expect(executesOf(batchLabel(planId, 2))).toBe(1);
    return planId;
  }

  it('result:false with a code → refused: the run fails at batch 2, the card says so; sent once', async () => {
    const planId = await secondBatchWith({ kind: 'error-envelope', errorCode: '1240002', errorMsg: 'account not allowed' });
    expect(jobsOf(batchLabel(planId, 2))).toHaveLength(0);
    expect(await states(planId)).toEqual(['1:succeeded', '2:failed']);
    await tracker().tick();
    expect(executesOf(batchLabel(planId, 2))).toBe(1);
    // The card shows the batch's hosts as not started (refused): nothing ran there.
    const shown = await say('alice', `order show ${planId}`);
    const card = textOf(shown);
    expect(card).toContain('Stopped: batch 2 of 2 was refused before it ran; nothing ran on its hosts, and later batches did not run.');
    expect(JSON.stringify(shown.table)).toContain('Not started (refused)');
    expect((await listRunBatches(bot.services.db, planId))[1]?.error).toContain('account not allowed');
  });

  for (const { name, fault } of LOST_AFTER) {
    it(`${name} after Job acted → unknown, adopted through the callback, never resent`, async () => {
      const planId = await secondBatchWith(fault);
      expect(jobsOf(batchLabel(planId, 2))).toHaveLength(1);
      expect(await states(planId)).toEqual(['1:succeeded', '2:unknown']);
      await roundsUntil(planId, ['1:succeeded', '2:succeeded']);
      expect([1, 2].map((n) => executesOf(batchLabel(planId, n)))).toEqual([1, 1]);
      expect([1, 2].map((n) => jobsOf(batchLabel(planId, n)).length)).toEqual([1, 1]);
    });
  }

  for (const { name, fault } of LOST_BEFORE) {
    it(`${name} before Job acted → unknown, never resent; no callback: the run stops at the deadline naming the task`, async () => {
      const planId = await secondBatchWith(fault);
      expect(jobsOf(batchLabel(planId, 2))).toHaveLength(0);
      expect(await states(planId)).toEqual(['1:succeeded', '2:unknown']);
      await tracker().tick();
      await agePlan(planId);
      await tracker().tick();
      await tracker().tick();
      const rows = await listRunBatches(bot.services.db, planId);
      expect(rows[1]?.error).toContain(batchLabel(planId, 2));
      expect(executesOf(batchLabel(planId, 2))).toBe(1);
      expect((await need(bot.services.backend, 'runs').read(`blueking:run:${planId}` as RunId))?.status).toEqual({ state: 'error', code: 'ERROR' });
      expect(textOf(await say('alice', `order show ${planId}`))).toContain(`Stopped: the outcome of batch 2 of 2 stayed unknown. Check the task ${batchLabel(planId, 2)} on the platform by hand`);
    });
  }
});
