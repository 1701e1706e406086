/**
 * Starting a plan: the one place that calls COC's execute. Callers have already won the plan's
 * (or the approval's) state change in the database, so this runs at most once per plan.
 *
 * Immediately before the request, the script is read again: what runs must be what was
 * previewed (and approved). The request is never retried. Its outcome is one of three:
 * started (COC answered with the order), refused (COC said no before acting), or unknown (the
 * answer was lost: the plan becomes 'unknown', COC's order list is searched at once and again
 * on the next rounds, and the order is adopted when found — never sent again).
 */
import type { CocClient } from '../coc/client.js';
import { CocApiError } from '../coc/errors.js';
import { writeFailureOf } from '../coc/write-outcome.js';
import type { Services } from '../core/command.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import { getRunPlan, markRunPlanSent, moveRunPlan, type RunPlanRow } from '../store/run-plans.js';
import { FAILURE_TEXTS, lostAnswerReason, refusalReason } from './failure-reasons.js';
import type { PlannedBatch } from './plan.js';
import { executeBody, scriptContentHash } from './plan.js';
import { planDetails } from './plan-details.js';
import { reconcilePlan } from './reconcile.js';
import { adoptOrder, failPlan, markUnknown } from './settle.js';

export { planTarget, requesterOf } from './targets.js';

export type StartOutcome =
  | { readonly kind: 'started'; readonly executeUuid: string; readonly foundBy: 'answer' | 'reconciliation' }
  /** The script is not what was previewed (or is gone): nothing was sent, the plan is canceled. */
  | { readonly kind: 'changed'; readonly gone: boolean }
  | { readonly kind: 'refused'; readonly reason: Phrase }
  | { readonly kind: 'unknown'; readonly reason: Phrase };

/** Whether the script in COC is still the one the plan pinned; undefined when COC has it no more. */
async function scriptUnchanged(coc: CocClient, plan: RunPlanRow): Promise<boolean | undefined> {
  try {
    const script = await coc.getScript(plan.scriptUuid);
    return scriptContentHash(script) === plan.scriptContentHash && (script.gmt_modified ?? 0) === plan.scriptGmtModified;
  } catch (error) {
    if (error instanceof CocApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * `plan` must be in 'starting' (won by the caller); `values` are the real parameter values.
 * The plan and its approval are settled here, whatever the outcome; the caller only replies.
 */
export async function startPlan(services: Services, coc: CocClient, plan: RunPlanRow, values: Readonly<Record<string, string>>): Promise<StartOutcome> {
  const details = planDetails(plan);
  const body = executeBody(details.batches as PlannedBatch[], details.options, values);
  let unchanged: boolean | undefined;
  try {
    unchanged = await scriptUnchanged(coc, plan);
  } catch {
    const reason = phrase(FAILURE_TEXTS.scriptUnreadable);
    await failPlan(services, plan, ['starting'], reason, false);
    return { kind: 'refused', reason };
  }
  if (unchanged !== true) {
    await moveRunPlan(services.db, plan.id, ['starting'], 'canceled', { error: unchanged === undefined ? 'script no longer in COC' : 'script changed after the request' });
    return { kind: 'changed', gone: unchanged === undefined };
  }
  // Stamped just before sending: the window COC's order list is searched in opens here, and a
  // start that recovery settled meanwhile (it judged this one stalled and unsent) is not sent.
  const sending = await markRunPlanSent(services.db, plan.id);
  if (!sending) return { kind: 'refused', reason: phrase(FAILURE_TEXTS.settledMeanwhile) };
  let executeUuid: string;
  try {
    executeUuid = await coc.executeScript(plan.scriptUuid, body, { sensitiveParams: details.sensitive });
  } catch (error) {
    if (writeFailureOf(error) === 'refused') {
      const reason = refusalReason(error);
      await failPlan(services, sending, ['starting'], reason, false);
      return { kind: 'refused', reason };
    }
    const reason = lostAnswerReason(error);
    const unknown = await markUnknown(services, sending, reason, { tellTheRequester: false });
    // Looked for at once: an order COC created before the answer was lost is adopted now (the
    // person who clicked hears it in the reply; a requester waiting on an approval is told).
    const found = unknown ? await reconcilePlan(services, unknown, { requesterIsWaiting: true }) : undefined;
    if (found?.kind === 'started') return { kind: 'started', executeUuid: found.executeUuid, foundBy: 'reconciliation' };
    // Another replica's round may have settled it first: the reply says what the plan is now.
    const now = await getRunPlan(services.db, plan.id);
    if (now?.state === 'started' && now.executeUuid) return { kind: 'started', executeUuid: now.executeUuid, foundBy: 'reconciliation' };
    return { kind: 'unknown', reason };
  }
  await adoptOrder(services, sending, executeUuid, 'answer');
  return { kind: 'started', executeUuid, foundBy: 'answer' };
}
