/**
 * Starting a plan: the one place that calls COC's execute. Callers have already won the plan's
 * (or the approval's) state change in the database, so this runs at most once per plan.
 *
 * Never retried: if COC's answer is lost (network error, timeout), the script may or may not
 * be running — the plan is marked failed with "outcome unknown" and the person is told how to
 * check, rather than risking a second run.
 */
import type { CocClient } from '../coc/client.js';
import type { ChatTarget } from '../core/chat-surface.js';
import type { Services } from '../core/command.js';
import type { Actor } from '../core/invocation.js';
import { linkOrderToIncident } from '../incidents/linked-orders.js';
import { moveRunPlan, type RunPlanRow } from '../store/run-plans.js';
import { say, type Phrase } from '../i18n/phrase.js';
import { translator } from '../i18n/translate.js';
import { executeFailureReason } from './failure-reasons.js';
import type { PlannedBatch } from './plan.js';
import { executeBody } from './plan.js';
import { planDetails } from './plan-details.js';

export type StartOutcome =
  | { readonly kind: 'started'; readonly executeUuid: string }
  | { readonly kind: 'refused'; readonly reason: Phrase }
  | { readonly kind: 'unknown'; readonly reason: Phrase };

export function planTarget(plan: RunPlanRow): ChatTarget {
  return { platform: plan.platform, workspaceId: plan.workspaceId, channelId: plan.channelId, ...(plan.threadRef ? { threadId: plan.threadRef } : {}) };
}

export function requesterOf(plan: RunPlanRow): Actor {
  return { platform: plan.platform, workspaceId: plan.workspaceId, userId: plan.requesterChatUserId };
}

/** `plan` must be in 'starting' (won by the caller); `values` are the real parameter values. */
export async function startPlan(services: Services, coc: CocClient, plan: RunPlanRow, values: Readonly<Record<string, string>>): Promise<StartOutcome> {
  const details = planDetails(plan);
  const body = executeBody(details.batches as PlannedBatch[], details.options, values);
  let executeUuid: string;
  try {
    executeUuid = await coc.executeScript(plan.scriptUuid, body, { sensitiveParams: details.sensitive });
  } catch (error) {
    const { reason, known } = executeFailureReason(error);
    // Stored as the requester reads it: the plan and its request card are theirs.
    await moveRunPlan(services.db, plan.id, ['starting'], 'failed', { error: say(reason, translator(plan.requesterLocale)) });
    return known ? { kind: 'refused', reason } : { kind: 'unknown', reason };
  }
  await moveRunPlan(services.db, plan.id, ['starting'], 'started', { executeUuid });
  // The order runs now; losing its card or its incident link must not hide that from the caller.
  const target = planTarget(plan);
  try {
    await linkOrderToIncident(services.db, {
      executeUuid,
      place: { platform: plan.platform, workspaceId: plan.workspaceId, channelId: plan.channelId, ...(plan.threadRef ? { threadId: plan.threadRef } : {}) },
      startedByIamUser: plan.requesterIamUser,
    });
  } catch (error) {
    services.log.error({ err: error, executeUuid }, 'could not link the order to its incident');
  }
  try {
    await services.tracker.track({
      executeUuid,
      target,
      startedBy: requesterOf(plan),
      startedByIamUser: plan.requesterIamUser,
      ...(plan.approvalId ? { approvalId: plan.approvalId } : {}),
      locale: plan.requesterLocale,
    });
  } catch (error) {
    services.log.error({ err: error, executeUuid }, 'could not start the live card of an order');
  }
  return { kind: 'started', executeUuid };
}
