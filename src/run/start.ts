/**
 * Starting a plan: the one place that calls the backend's start. Callers have already won the
 * plan's (or the approval's) state change in the database, so this runs at most once per plan.
 *
 * Immediately before the request, the script is read again: what runs must be what was
 * previewed (and approved). The request is never retried. Its outcome is one of three:
 * started (the platform answered with the run), refused (it said no before acting), or unknown
 * (the answer was lost: the plan becomes 'unknown', the platform's runs are searched at once and
 * again on the next rounds, and the run is adopted when found — never sent again).
 */
import { need, platformName, writeFailureOf, type Backend, type RunId } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import { getRunPlan, markRunPlanSent, moveRunPlan, type RunPlanRow } from '../store/run-plans.js';
import { FAILURE_TEXTS, lostAnswerReason, refusalReason, scriptUnreadableReason } from './failure-reasons.js';
import { checkExecution } from './plan.js';
import { executionRequestOf } from './plan-details.js';
import { reconcilePlan } from './reconcile.js';
import { scriptById } from './script.js';
import { batchLabel } from '../batches/index.js';
import { adoptOrder, failPlan, markUnknown } from './settle.js';

export { planTarget, requesterOf } from './targets.js';

export type StartOutcome =
  | { readonly kind: 'started'; readonly run: RunId; readonly foundBy: 'answer' | 'reconciliation' }
  /** The script is not what was previewed (or is gone): nothing was sent, the plan is canceled. */
  | { readonly kind: 'changed'; readonly gone: boolean }
  | { readonly kind: 'refused'; readonly reason: Phrase }
  | { readonly kind: 'unknown'; readonly reason: Phrase };

/** Whether the script is still the one the plan pinned; undefined when the platform has it no more. */
async function scriptUnchanged(backend: Backend, plan: RunPlanRow): Promise<boolean | undefined> {
  const script = await scriptById(backend, plan.scriptId);
  if (!script) return undefined;
  return script.pin.hash === plan.scriptContentHash && script.pin.modifiedAt === plan.scriptModifiedAt;
}

/**
 * `plan` must be in 'starting' (won by the caller); `values` are the real parameter values;
 * `backend` acts with the requester's rights. The plan and its approval are settled here,
 * whatever the outcome; the caller only replies.
 */
export async function startPlan(services: Services, backend: Backend, plan: RunPlanRow, values: Readonly<Record<string, string>>): Promise<StartOutcome> {
  const runs = need(backend, 'runs');
  const request = executionRequestOf(plan, values);
  checkExecution(runs, request);
  let unchanged: boolean | undefined;
  try {
    unchanged = await scriptUnchanged(backend, plan);
  } catch {
    const reason = scriptUnreadableReason(plan.backend);
    await failPlan(services, plan, ['starting'], reason, false);
    return { kind: 'refused', reason };
  }
  if (unchanged !== true) {
    await moveRunPlan(services.db, plan.id, ['starting'], 'canceled', { error: unchanged === undefined ? `script no longer in ${platformName(plan.backend)['en-US']}` : 'script changed after the request' });
    return { kind: 'changed', gone: unchanged === undefined };
  }
  // Stamped just before sending: the window the platform's runs are searched in opens here, and
  // a start that recovery settled meanwhile (it judged this one stalled and unsent) is not sent.
  const sending = await markRunPlanSent(services.db, plan.id);
  if (!sending) return { kind: 'refused', reason: phrase(FAILURE_TEXTS.settledMeanwhile) };
  let run: RunId;
  try {
    run = await runs.start(request);
  } catch (error) {
    if (writeFailureOf(error) === 'refused') {
      const reason = refusalReason(error);
      await failPlan(services, sending, ['starting'], reason, false);
      return { kind: 'refused', reason };
    }
    // A bot-driven run's lost first batch is waited for (Job's report or its deadline), never searched for.
    const reason = lostAnswerReason(error, runs.batching === 'bot' ? { label: batchLabel(plan.id, 1) } : undefined);
    const unknown = await markUnknown(services, sending, reason, { tellTheRequester: false });
    // Looked for at once: a run the platform created before the answer was lost is adopted now
    // (the person who clicked hears it in the reply; a requester waiting on an approval is told).
    const found = unknown ? await reconcilePlan(services, unknown, { requesterIsWaiting: true }) : undefined;
    if (found?.kind === 'started') return { kind: 'started', run: found.run, foundBy: 'reconciliation' };
    // Another replica's round may have settled it first: the reply says what the plan is now.
    const now = await getRunPlan(services.db, plan.id);
    if (now?.state === 'started' && now.runId) return { kind: 'started', run: now.runId, foundBy: 'reconciliation' };
    return { kind: 'unknown', reason };
  }
  await adoptOrder(services, sending, run, 'answer');
  return { kind: 'started', run, foundBy: 'answer' };
}
