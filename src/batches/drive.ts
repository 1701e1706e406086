/**
 * Moving a bot-driven run on, once per tracker round (and safe to call from anywhere, any number
 * of times at once: every step is a conditional update that one caller wins).
 *
 * - A claim never stamped as sent past its lease goes back to waiting (nothing was sent).
 * - A batch 'sending' past the request's time limit is 'unknown' (it may have been sent).
 * - An unknown batch is adopted when the callback inbox names its execution; past its deadline
 *   (its own time limit + the request's + a grace) the run stops there, naming the platform's
 *   task to check by hand. It is never sent again, and later batches never run.
 * - A running batch that ended has its counts stored; below the plan's success rate the run fails
 *   and the batches after it do not run. One whose execution the platform answers it does not
 *   know, MISSING_READS_BEFORE_FAILING rounds in a row and for MISSING_FOR_MS at least (its world
 *   was reset, say), becomes unknown (the job may still run): the run stops there, naming the
 *   task to check by hand, instead of being read for ever.
 * - Then the next waiting batch is claimed and sent, unless it is held (pause, PAUSE rotation).
 */
import { isIdOf, platformName, type ExecutionId, type ExecutionsCapability, type RunId } from '../backends/index.js';
import { callbackOf } from '../store/backend-callbacks.js';
import {
  claimNextRunBatch,
  expireSendingRunBatches,
  failRunBatch,
  giveUpUnknownRunBatch,
  loseRunningRunBatch,
  recordRunBatchExecution,
  releaseStaleRunBatchClaims,
  succeedRunBatch,
  type RunBatchRow,
} from '../store/run-batches.js';
import type { RunPlanRow } from '../store/run-plans.js';
import { batchLabel, DEFAULT_CLAIM_LEASE_MS, DEFAULT_REQUEST_TIMEOUT_MS, UNKNOWN_GRACE_MS, type BotBatchDeps } from './deps.js';
import { sendClaimedBatch } from './send.js';
import { givenUp, loadRun, type RunView } from './view.js';
import type { CallScope } from '../backends/observe.js';

/** Rounds in a row a running batch's execution may be unknown to the platform before the run stops (one stray answer is not final). */
export const MISSING_READS_BEFORE_FAILING = 3;
/** And for at least this long since the first of them: rounds a few seconds apart are not enough. */
export const MISSING_FOR_MS = 60_000;
/** Unknown-execution answers in a row and when the first was, by plan and batch (this process's; a restart counts afresh). */
const missingReads = new Map<string, { readonly count: number; readonly since: number }>();

/** The requester's rights where they can be had, else the backend's own: for reading only. */
export function executionsOf(deps: BotBatchDeps, plan: RunPlanRow): ExecutionsCapability {
  return requesterExecutions(deps, plan) ?? deps.executions;
}

/**
 * The requester's rights, to send a batch with; undefined when they cannot be had (their
 * mapping or credential is gone): a batch is then not sent, never sent with the bot's wider rights.
 */
function requesterExecutions(deps: BotBatchDeps, plan: RunPlanRow, scope?: CallScope): ExecutionsCapability | undefined {
  if (!deps.executionsFor) return deps.executions;
  try {
    return deps.executionsFor(plan, scope);
  } catch (error) {
    deps.log?.warn({ err: error, plan: plan.id }, 'the requester’s rights are not available; no later batch is sent with them');
    return undefined;
  }
}

function requestTimeoutMs(deps: BotBatchDeps): number {
  return deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
}

/** When news of an unknown batch stops being waited for. */
export function unknownDeadline(deps: BotBatchDeps, view: Pick<RunView, 'details'>, row: RunBatchRow): number {
  const sentAt = row.sentAt?.getTime() ?? 0;
  return sentAt + view.details.options.timeout * 1000 + requestTimeoutMs(deps) + UNKNOWN_GRACE_MS;
}

/**
 * Looks for news of an unknown batch: the callback inbox's execution adopts it (true); past its
 * deadline without news, the run stops there.
 */
/** 'adopted' (the callback named its execution), 'given-up' (by this call, at its deadline) or 'waiting'. */
export async function settleUnknownBatch(deps: BotBatchDeps, view: RunView, row: RunBatchRow): Promise<'adopted' | 'given-up' | 'waiting'> {
  if (row.state !== 'unknown' || givenUp(row)) return 'waiting';
  const planId = view.plan.id;
  const inbox = await callbackOf(deps.db, planId, row.batchIndex);
  if (inbox?.executionId) {
    const adopted = await recordRunBatchExecution(deps.db, planId, row.batchIndex, inbox.executionId, ['unknown']);
    if (adopted) return 'adopted';
  }
  if (deps.now().getTime() < unknownDeadline(deps, view, row)) return 'waiting';
  const label = batchLabel(planId, row.batchIndex);
  const gaveUp = await giveUpUnknownRunBatch(
    deps.db,
    planId,
    row.batchIndex,
    `outcome of batch ${row.batchIndex} unknown: no answer and no callback by its deadline; check the task ${label} on the platform by hand. Later batches did not run.`,
    deps.now(),
  );
  // Only the call that gave it up says so (the update is conditional): the requester is told once.
  return gaveUp ? 'given-up' : 'waiting';
}

/** Reads a running batch; when it has ended, stores its counts and judges it by the plan's success rate. */
async function settleRunningBatch(deps: BotBatchDeps, view: RunView, row: RunBatchRow, executions: ExecutionsCapability): Promise<void> {
  if (row.state !== 'running' || !row.executionId) return;
  const status = await executions.read(row.executionId as ExecutionId);
  const key = `${view.plan.id}:${row.batchIndex}`;
  if (!status) {
    const now = deps.now();
    const before = missingReads.get(key);
    const misses = (before?.count ?? 0) + 1;
    const since = before?.since ?? now.getTime();
    deps.log?.warn({ plan: view.plan.id, batch: row.batchIndex, execution: row.executionId, misses }, 'the platform does not know a running batch’s execution');
    if (misses < MISSING_READS_BEFORE_FAILING || now.getTime() - since < MISSING_FOR_MS) {
      missingReads.set(key, { count: misses, since });
      return;
    }
    missingReads.delete(key);
    const platform = platformName(deps.backend)['en-US'];
    const label = batchLabel(view.plan.id, row.batchIndex);
    // The job may still run on the hosts: its outcome is unknown, never a failure.
    await loseRunningRunBatch(
      deps.db,
      view.plan.id,
      row.batchIndex,
      `outcome of batch ${row.batchIndex} unknown: ${platform} no longer knows its execution (${row.executionId}); it answered so ${misses} times in a row; check the task ${label} on the platform by hand. Later batches did not run.`,
      now,
    );
    return;
  }
  missingReads.delete(key);
  if (!status.finished) return;
  const planned = view.details.batches.find((batch) => batch.index === row.batchIndex)?.hosts ?? [];
  const succeededIds = new Set(status.hosts.filter((host) => host.status.state === 'succeeded').map((host) => host.host.id));
  const succeeded = planned.filter((host) => succeededIds.has(host.id)).length;
  const failed = planned.length - succeeded;
  const rate = view.details.options.successRate;
  const now = deps.now();
  if (planned.length === 0 || succeeded * 100 >= rate * planned.length) {
    await succeedRunBatch(deps.db, view.plan.id, row.batchIndex, { succeeded, failed }, now);
    return;
  }
  await failRunBatch(
    deps.db,
    view.plan.id,
    row.batchIndex,
    ['running'],
    { error: `${succeeded} of ${planned.length} hosts succeeded, below the required success rate of ${rate}%; later batches did not run`, succeeded, failed },
    now,
  );
}

/** Whether the plan's script is still the one it pinned; 'unreadable' when the platform could not say. */
async function scriptStillPinned(deps: BotBatchDeps, plan: RunPlanRow): Promise<'same' | 'changed' | 'unreadable'> {
  if (!deps.scripts) return 'same';
  try {
    // Read from the API of the plan's own kind: a public script is not among the business's scripts.
    const script = isIdOf(plan.scriptId, 'public-script') ? await deps.scripts.getPublic?.(plan.scriptId) : await deps.scripts.get(plan.scriptId);
    return script && script.pin.hash === plan.scriptContentHash && script.pin.modifiedAt === plan.scriptModifiedAt ? 'same' : 'changed';
  } catch (error) {
    deps.log?.warn({ err: error, plan: plan.id }, 'could not read the script before a later batch; it is not sent until it can be checked');
    return 'unreadable';
  }
}

/** Claims the next batch and sends it with the requester's rights, inside the audit scope. */
async function sendNextBatch(deps: BotBatchDeps, view: RunView, executions: ExecutionsCapability | undefined): Promise<void> {
  const { plan, details } = view;
  const claim = await claimNextRunBatch(deps.db, plan.id, deps.replicaId, deps.now());
  if (!claim) return;
  const index = claim.row.batchIndex;
  const batch = details.batches.find((b) => b.index === index);
  const values: Record<string, string> = { ...details.plainParams };
  try {
    if (!executions) throw new Error('the requester’s rights on the platform are no longer available (their mapping or credential is gone)');
    if (!batch) throw new Error(`the plan has no batch ${index}`);
    if (claim.sealedParams) {
      if (!deps.sealer) throw new Error('no key to open the sensitive values with');
      Object.assign(values, deps.sealer.unseal(claim.sealedParams));
    }
  } catch (error) {
    // Nothing was sent: the batch cannot be, and the run stops with the reason.
    const reason = error instanceof Error ? error.message : String(error);
    await failRunBatch(deps.db, plan.id, index, ['claimed'], { error: `not sent: ${reason}` }, deps.now());
    return;
  }
  // What runs must be what was previewed and approved, however long after batch 1 this is.
  const pinned = await scriptStillPinned(deps, plan);
  if (pinned === 'unreadable') return; // left claimed: after its lease it is tried again, never sent unchecked
  if (pinned === 'changed') {
    await failRunBatch(deps.db, plan.id, index, ['claimed'], { error: 'not sent: the script changed (or is gone) since it was previewed and approved; later batches did not run' }, deps.now());
    return;
  }
  // In the send's audit scope the requester's rights are taken again, scoped to it; the claim's
  // own check above already found them available.
  const send = (scope?: CallScope) =>
    sendClaimedBatch(deps, (scope && requesterExecutions(deps, plan, scope)) || executions, plan.id, claim.row, batch.hosts, {
      script: { id: plan.scriptId },
      timeoutSeconds: details.options.timeout,
      runAs: details.options.executeUser,
      params: values,
      sensitive: details.sensitive,
    });
  const outcome = await (deps.audit ? deps.audit(plan, index, send) : send());
  if (outcome.kind === 'refused' || outcome.kind === 'unknown') {
    deps.log?.warn({ err: outcome.error, plan: plan.id, batch: index }, outcome.kind === 'refused' ? 'a batch was refused; the run stops' : 'the answer to a batch’s start was lost; it is not sent again');
  }
}

export async function advanceRun(deps: BotBatchDeps, id: RunId): Promise<void> {
  const before = await loadRun(deps, id);
  if (!before || before.plan.state !== 'started') return;
  const planId = before.plan.id;
  const now = deps.now().getTime();
  await releaseStaleRunBatchClaims(deps.db, planId, new Date(now - (deps.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS)));
  await expireSendingRunBatches(deps.db, planId, new Date(now - requestTimeoutMs(deps)), 'no answer to the start within its time limit; not sent again');
  const view = (await loadRun(deps, id)) ?? before;
  const reader = executionsOf(deps, view.plan);
  for (const row of view.rows) {
    if (row.state === 'unknown') await settleUnknownBatch(deps, view, row);
  }
  // Adopted just now: read as running below.
  const current = (await loadRun(deps, id)) ?? view;
  for (const row of current.rows) {
    if (row.state === 'running') await settleRunningBatch(deps, current, row, reader);
  }
  await sendNextBatch(deps, current, requesterExecutions(deps, current.plan));
}
