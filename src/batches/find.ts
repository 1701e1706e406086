/**
 * Reconciling a bot-driven run whose first batch's answer was lost. The platform has no list of
 * executions to search, so the only news is its callback: the inbox naming the execution adopts
 * the batch (found). Otherwise nobody can tell — a lost batch start is never resent and never
 * "proven absent"; past its deadline the run stops at that batch (drive.ts). Only a start that
 * stopped before its first batch was stamped as sent is absent: nothing reached the platform.
 */
import type { FindOutcome, FindQuery } from '../backends/index.js';
import { expireSendingRunBatches, listRunBatches } from '../store/run-batches.js';
import { getRunPlan } from '../store/run-plans.js';
import { batchLabel, DEFAULT_REQUEST_TIMEOUT_MS, runIdOfPlan, type BotBatchDeps } from './deps.js';
import { settleUnknownBatch } from './drive.js';
import { loadRun } from './view.js';

export async function findRun(deps: BotBatchDeps, query: FindQuery): Promise<FindOutcome> {
  const planId = query.request.planId;
  if (!planId) return { kind: 'cannot-tell' };
  const id = runIdOfPlan(deps.backend, planId);
  const view = await loadRun(deps, id);
  if (!view) {
    // The plan exists but its batches were never filed: the start stopped before any send.
    const plan = await getRunPlan(deps.db, planId);
    return plan && plan.state !== 'starting' && plan.state !== 'started' ? { kind: 'absent', candidates: 0 } : { kind: 'cannot-tell' };
  }
  // A start cut short during its request (the bot stopped) left its batch 'sending': it may have been sent.
  const timeoutMs = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  await expireSendingRunBatches(deps.db, planId, new Date(deps.now().getTime() - timeoutMs), 'no answer to the start within its time limit; not sent again');
  const current = (await loadRun(deps, id)) ?? view;
  let stopped: { task: string } | undefined;
  for (const row of current.rows) {
    if (row.state === 'unknown' && (await settleUnknownBatch(deps, current, row)) === 'given-up') stopped = { task: batchLabel(planId, row.batchIndex) };
  }
  const rows = await listRunBatches(deps.db, planId);
  // Some batch has an execution (adopted now or before): the run exists on the platform.
  if (rows.some((row) => row.executionId !== null)) return { kind: 'found', id };
  // No batch was ever stamped as sent, and none can be any more once the plan is settled
  // (run-batches.ts sends only for a starting or started plan): nothing reached the platform.
  if (view.plan.state !== 'starting' && view.plan.state !== 'started' && rows.every((row) => row.sentAt === null)) return { kind: 'absent', candidates: 0 };
  return stopped ? { kind: 'cannot-tell', stopped } : { kind: 'cannot-tell' };
}
