/**
 * Runs whose start was interrupted or whose outcome is unknown. Nothing here ever calls COC's
 * execute again — a run that may already be running must not start twice:
 *
 * - a plan left in 'starting' (the process died while COC was being asked): its execute request
 *   may or may not have reached COC. It becomes 'unknown' and is reconciled like any other;
 * - a plan 'unknown': its order is looked for in COC's order list every round; found → adopted
 *   (card, audit, requester told the order id); proven absent → 'failed', "did not start";
 * - an approval left 'approved' while its plan never left 'requested': nothing was sent. Both
 *   fail with "nothing ran; request again";
 * - an approval left 'approved' after its plan ended: it gets the plan's outcome;
 * - a plan left 'requested' without its approval (the process died between the two writes):
 *   failed, sealed values dropped, the requester told to request again;
 * - an open request whose requester is no longer linked: void, the requester told;
 * - an open request through ITSM: its ticket is read and a decision made there acted on once
 *   (itsm-read.ts);
 * - a plan that started but whose live card was never asked for: the card is asked for now;
 * - a script change left approved, or whose write's outcome is unknown: read back and settled
 *   by its own rules (src/script-changes/recover.ts);
 * - an approved platform action (an alarm's automation, a runbook) left approved: never sent
 *   again; read back (the alarm's handlings, the runbook's executions), else unknown
 *   (src/approvals/platform-action/decide.ts).
 *
 * When is a row "left"? An embedded store belongs to one process (its data folder is locked),
 * so anything older than this process is left by an earlier one. With PostgreSQL another
 * replica may be waiting on COC right now, so a row is left only once it is older than any COC
 * request can take.
 */
import { nativeOf } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { translator, type Text } from '../i18n/translate.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import { getRunPlan, getRunPlanByApproval, type RunPlanRow } from '../store/run-plans.js';
import {
  listApprovalsLeftUnsettled,
  listOrphanedRequestedPlans,
  listRecentUnknownPlans,
  listRequestsOfUnlinkedRequesters,
  listStartedPlansWithoutCard,
  listStartingPlansLeft,
  type LeftBehind,
} from '../store/recovery.js';
import { phrase } from '../i18n/phrase.js';
import { interruptedReason } from '../run/failure-reasons.js';
import { reconcilePlan } from '../run/reconcile.js';
import { auditRun, executeIntentsOf, failPlan, markUnknown, trackPlanOrder } from '../run/settle.js';
import { announce, APPROVAL_TEXT } from './announce.js';
import { readTicketDecisions } from './itsm-read.js';
import { voidForUnlinkedRequester } from './approvals.js';
import { reconcileUnknownScriptWrites, settleLeftScriptChange } from '../script-changes/recover.js';
import { reconcileUnknownPlatformActions, settleLeftPlatformAction } from './platform-action/decide.js';

export const RECOVERY_TEXT = {
  stoppedBeforeSend: {
    'en-US': 'the bot stopped before the execute request was sent (it is recorded before it is sent, and there is no record): nothing ran. Request it again.',
    'zh-CN': '执行请求发送前机器人中断（请求在发送前会先记录，而此处没有记录）：未执行任何操作。请重新申请。',
  },
  noRequest: {
    'en-US': 'the bot stopped before the approval request was filed, so no approver saw it: nothing ran. Request it again.',
    'zh-CN': '审批请求提交前机器人中断，审批人未收到：未执行任何操作。请重新申请。',
  },
  notSent: {
    'en-US': 'the bot stopped right after the approval, before the run was sent to COC: nothing ran. Request it again.',
    'zh-CN': '批准后、发送到 COC 之前机器人中断：未执行任何操作。请重新申请。',
  },
  noPlan: { 'en-US': 'the plan of this request is gone: nothing ran. Request it again.', 'zh-CN': '该请求的执行计划已不存在：未执行任何操作。请重新申请。' },
  toRequesterUnknown: { 'en-US': 'Your run of {script}: outcome unknown', 'zh-CN': '您执行 {script}：结果未知' },
} satisfies Record<string, Text>;

/** Which rows are left behind: not touched for `leftAfterMs`, or before `leftBefore` (an embedded store: when this process took it). */
export type RecoveryOptions = LeftBehind;

const BATCH = 100;
/** Cards are asked for only for recent orders: an order from last week has long ended. */
const TRACK_WITHIN_HOURS = 24;
/** An unknown outcome is looked for in COC for a day; after that its order has long ended either way. */
const RECONCILE_WITHIN_HOURS = 24;



async function failApproval(services: Services, approval: ApprovalRow, plan: RunPlanRow, error: string, notice: Text = APPROVAL_TEXT.toRequesterFailed): Promise<void> {
  const failed = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'failed', error });
  if (failed) await announce(services, failed, plan, notice, { approver: approval.approverIamUser ?? '?', script: plan.scriptName });
}

/** Plans left in 'starting': their outcome is unknown, and looked for in COC at once. */
async function settleStartingPlans(services: Services, options: RecoveryOptions): Promise<number> {
  let settled = 0;
  for (const stuck of await listStartingPlansLeft(services.db, options, BATCH)) {
    // No audit row of its execute: the bot stopped before sending it (every execute is recorded first).
    // Only while it is not stamped as being sent: a start that stalls and then wakes never sends after this.
    if (stuck.executeSentAt === null && (await executeIntentsOf(services, stuck)).length === 0) {
      const failed = await failPlan(services, stuck, ['starting'], phrase(RECOVERY_TEXT.stoppedBeforeSend), true, { onlyIfUnsent: true });
      if (!failed) continue;
      settled++;
      await auditRun(services, failed, 'run interrupted', 'failed', 'interrupted before the execute request was recorded: nothing was sent');
      continue;
    }
    const unknown = await markUnknown(services, stuck, interruptedReason(stuck.backend), { tellTheRequester: true });
    if (!unknown) continue;
    settled++;
    await reconcilePlan(services, unknown);
  }
  return settled;
}

/** Plans whose outcome is unknown, from the last day: each looked for in COC once per round. */
async function reconcileUnknownPlans(services: Services): Promise<{ found: number; absent: number }> {
  let found = 0;
  let absent = 0;
  for (const plan of await listRecentUnknownPlans(services.db, RECONCILE_WITHIN_HOURS, BATCH)) {
    const result = await reconcilePlan(services, plan);
    if (result.kind === 'started') found++;
    if (result.kind === 'absent') absent++;
  }
  return { found, absent };
}

/** Plans left 'requested' with no approval row: nothing was sent, and no approver can see them. */
async function settleOrphanedRequests(services: Services, options: RecoveryOptions): Promise<number> {
  let settled = 0;
  for (const plan of await listOrphanedRequestedPlans(services.db, options, BATCH)) {
    const failed = await failPlan(services, plan, ['requested'], phrase(RECOVERY_TEXT.noRequest), true);
    if (!failed) continue;
    settled++;
    await auditRun(services, failed, 'run interrupted', 'failed', 'the approval request was never filed: nothing was sent');
  }
  return settled;
}

/** Open requests whose requester was unlinked (or remapped, or made a viewer) since: void. */
async function voidRequestsOfUnlinkedRequesters(services: Services): Promise<number> {
  let voided = 0;
  for (const id of await listRequestsOfUnlinkedRequesters(services.db, BATCH)) {
    const approval = await getApproval(services.db, id);
    const plan = approval?.state === 'requested' ? await getRunPlanByApproval(services.db, id) : undefined;
    if (approval && plan && (await voidForUnlinkedRequester(services, approval, plan))) voided++;
  }
  return voided;
}

/** Approvals left 'approved': given their plan's outcome. */
async function settleApprovedRequests(services: Services, options: RecoveryOptions): Promise<number> {
  // An 'unknown' request is left too once its plan has ended (the bot stopped between the two writes).
  let settled = 0;
  for (const id of await listApprovalsLeftUnsettled(services.db, options, BATCH)) {
    const approval = await getApproval(services.db, id);
    if (approval?.state !== 'approved' && approval?.state !== 'unknown') continue;
    const plan = await getRunPlanByApproval(services.db, id);
    if (!plan) {
      // A change to a script has no plan: settled by its own rules.
      const script = await settleLeftScriptChange(services, approval);
      if (script !== undefined) {
        if (script) settled++;
        continue;
      }
      // An approved platform action (an alarm's automation, a runbook): never sent again, settled by reading the platform back.
      const action = await settleLeftPlatformAction(services, approval);
      if (action !== undefined) {
        if (action) settled++;
        continue;
      }
      const failed = await updateApprovalIfVersion(services.db, id, approval.version, { state: 'failed', error: translator('en-US')(RECOVERY_TEXT.noPlan) });
      if (failed) settled++;
      continue;
    }
    const t = translator(plan.requesterLocale);
    if (plan.state === 'requested') {
      const failedPlan = await failPlan(services, plan, ['requested'], phrase(RECOVERY_TEXT.notSent), true);
      if (!failedPlan) continue;
      await auditRun(services, failedPlan, 'run interrupted', 'failed', 'interrupted after the approval, before the execute request: nothing was sent');
      settled++;
    } else if (plan.state === 'started' && plan.runId) {
      const executed = await updateApprovalIfVersion(services.db, id, approval.version, { state: 'executed', runId: plan.runId });
      if (!executed) continue;
      await announce(services, executed, plan, APPROVAL_TEXT.toRequesterApproved, { approver: approval.approverIamUser ?? '?', script: plan.scriptName, uuid: nativeOf(plan.runId) });
      settled++;
    } else if (plan.state === 'unknown') {
      // The plan's outcome became unknown but its request did not follow: it does now, and is reconciled with the plan.
      const unknown = await updateApprovalIfVersion(services.db, id, approval.version, { state: 'unknown', error: plan.error ?? t(RECOVERY_TEXT.notSent) });
      if (unknown) settled++;
    } else if (plan.state === 'failed' || plan.state === 'canceled' || plan.state === 'expired') {
      await failApproval(services, approval, plan, plan.error ?? t(RECOVERY_TEXT.notSent));
      settled++;
    }
    // 'starting': settled with the plan once it is left too (settleStartingPlans).
  }
  return settled;
}

/** Orders that started but whose live card was never asked for (the process stopped in between). */
async function trackUntrackedOrders(services: Services, options: RecoveryOptions): Promise<number> {
  let tracked = 0;
  for (const id of await listStartedPlansWithoutCard(services.db, options, TRACK_WITHIN_HOURS, BATCH)) {
    const plan = await getRunPlan(services.db, id);
    if (!plan?.runId) continue;
    await trackPlanOrder(services, plan, plan.runId);
    tracked++;
  }
  return tracked;
}

export interface RecoveryReport {
  readonly unknownOutcome: number;
  readonly approvalsSettled: number;
  readonly cardsResumed: number;
  readonly foundInCoc: number;
  readonly provenAbsent: number;
  readonly orphanedRequests: number;
  readonly unlinkedRequesters: number;
  /** Requests settled (or opened again) by what their ITSM ticket says. */
  readonly itsmDecisions: number;
  /** Script changes whose unknown write was read back and settled. */
  readonly scriptWritesSettled: number;
  /** Approved platform actions whose unknown outcome was read back and settled. */
  readonly platformActionsSettled: number;
}

/** One round: every kind of interrupted start, oldest first. */
export async function recoverInterruptedRuns(services: Services, options: RecoveryOptions): Promise<RecoveryReport> {
  const unknownOutcome = await settleStartingPlans(services, options);
  const { found: foundInCoc, absent: provenAbsent } = await reconcileUnknownPlans(services);
  const approvalsSettled = await settleApprovedRequests(services, options);
  // Script changes whose write's outcome is unknown are read back, like runs.
  const scriptWritesSettled = await reconcileUnknownScriptWrites(services);
  // So are approved platform actions (an alarm's automation, a runbook) whose outcome is unknown.
  const platformActionsSettled = await reconcileUnknownPlatformActions(services);
  const orphanedRequests = await settleOrphanedRequests(services, options);
  const unlinkedRequesters = await voidRequestsOfUnlinkedRequesters(services);
  // Decisions made in ITSM (or whose answer was lost) are acted on here, once each.
  const itsmDecisions = await readTicketDecisions(services, options);
  const cardsResumed = await trackUntrackedOrders(services, options);
  const report = { unknownOutcome, approvalsSettled, cardsResumed, foundInCoc, provenAbsent, orphanedRequests, unlinkedRequesters, itsmDecisions, scriptWritesSettled, platformActionsSettled };
  // Decisions read from ITSM are the ordinary course of such a request, not something left behind.
  if (Object.entries(report).some(([what, n]) => what !== 'itsmDecisions' && n > 0)) services.log.warn(report, 'settled runs whose start was interrupted or whose outcome was unknown');
  return report;
}
