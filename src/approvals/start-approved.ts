/**
 * Starting the run of a request that was just approved — by a click in chat, or read from its
 * ITSM ticket — as its requester. The caller holds the single winning change to 'approved'; the
 * plan, the request and its card are settled here and the requester told; the caller only says
 * the outcome to whoever is waiting on it (the approver's reply, or nobody).
 */
import type { RunId } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { phrase, say, type Phrase } from '../i18n/phrase.js';
import { translator, type Text } from '../i18n/translate.js';
import { FAILURE_TEXTS } from '../run/failure-reasons.js';
import { launchPlan, requesterBackend } from '../run/lifecycle.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import type { RunPlanRow } from '../store/run-plans.js';
import { announce, APPROVAL_TEXT } from './announce.js';

export type ApprovedStart =
  | { readonly kind: 'started'; readonly plan: RunPlanRow; readonly run: RunId; readonly foundBy: 'answer' | 'reconciliation' }
  /** Nothing was sent (the plan was not waiting, or its values or the requester's rights were not ready): the request failed. */
  | { readonly kind: 'failed'; readonly reason: Phrase }
  /** The script read just before the start is not the one requested (or is gone): the request is void. */
  | { readonly kind: 'changed'; readonly gone: boolean }
  | { readonly kind: 'refused'; readonly reason: Phrase }
  | { readonly kind: 'unknown'; readonly reason: Phrase };

/** Starts the plan of `won` (state 'approved', decided by `approver`) with the requester's rights. */
export async function startApproved(services: Services, won: ApprovalRow, plan: RunPlanRow, approver: string): Promise<ApprovedStart> {
  services.metrics.approvalWait((services.now().getTime() - won.createdAt.getTime()) / 1000);
  const vars = { approver, script: plan.scriptName };
  // A reason is stored as the requester reads it (their plan, their card).
  const fail = async (reason: Phrase): Promise<ApprovedStart> => {
    const failed = await updateApprovalIfVersion(services.db, won.id, won.version, { state: 'failed', error: say(reason, translator(plan.requesterLocale)) });
    if (failed) await announce(services, failed, plan, APPROVAL_TEXT.toRequesterFailed, vars);
    return { kind: 'failed', reason };
  };
  // The plan and this request are settled inside (requester told).
  const launched = await launchPlan(services, plan, ['requested'], requesterBackend(services));
  if (launched.kind === 'not-claimed') return fail(phrase(FAILURE_TEXTS.notWaiting, { state: plan.state }));
  if (launched.kind === 'not-ready') return fail(launched.reason);
  const { plan: starting, outcome } = launched;
  switch (outcome.kind) {
    case 'started':
      return { kind: 'started', plan: starting, run: outcome.run, foundBy: outcome.foundBy };
    case 'changed': {
      // Checked after the approval, immediately before the start: the script read just now is not the one requested.
      const voided = await updateApprovalIfVersion(services.db, won.id, won.version, { state: 'void', decisionNote: translator(plan.requesterLocale)(APPROVAL_TEXT.changedNote) });
      if (voided) await announce(services, voided, plan, APPROVAL_TEXT.toRequesterVoid, { script: plan.scriptName });
      return { kind: 'changed', gone: outcome.gone };
    }
    case 'refused':
      await announceOutcome(services, won.id, plan, APPROVAL_TEXT.toRequesterFailed, vars, 'failed');
      return { kind: 'refused', reason: outcome.reason };
    case 'unknown':
      await announceOutcome(services, won.id, plan, APPROVAL_TEXT.toRequesterUnknown, vars, 'unknown');
      return { kind: 'unknown', reason: outcome.reason };
  }
}

/**
 * Tells the requester how their approved request ended, with its card as it is now — unless it
 * has moved on since (another replica found the run meanwhile and told them so).
 */
async function announceOutcome(services: Services, approvalId: string, plan: RunPlanRow, notice: Text, vars: Record<string, string>, expected: ApprovalRow['state']): Promise<void> {
  const now = await getApproval(services.db, approvalId);
  if (now?.state === expected) await announce(services, now, plan, notice, vars);
}
