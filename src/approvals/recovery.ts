/**
 * Runs whose start was interrupted: the process died (or lost its database) between winning a
 * plan or an approval and recording COC's answer. Nothing here ever calls COC's execute again —
 * a run that may already be running must not start twice:
 *
 * - a plan left in 'starting': its execute request may or may not have reached COC. It becomes
 *   'failed' with "outcome unknown", its approval too, and the requester is told how to check;
 * - an approval left 'approved' while its plan never left 'requested': nothing was sent. Both
 *   fail with "nothing ran; request again";
 * - an approval left 'approved' after its plan started or failed: it gets the plan's outcome;
 * - a plan that started but whose live card was never asked for: the card is asked for now.
 *
 * When is a row "left"? An embedded store belongs to one process (its data folder is locked),
 * so anything older than this process is left by an earlier one. With PostgreSQL another
 * replica may be waiting on COC right now, so a row is left only once it is older than any COC
 * request can take.
 */
import type { BackgroundTask } from '../app/background.js';
import type { Services } from '../core/command.js';
import { translator, type Text } from '../i18n/translate.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import { insertAuditEvent } from '../store/audit-events.js';
import { getRunPlan, moveRunPlan, runPlanRowSchema, type RunPlanRow } from '../store/run-plans.js';
import { columnsOf, parseRows } from '../store/rows.js';
import { planTarget, requesterOf } from '../run/start.js';
import { announce, APPROVAL_TEXT } from './approvals.js';

export const RECOVERY_TEXT = {
  unknownOutcome: {
    'en-US':
      'outcome unknown: the bot stopped while COC was starting the run, so it may or may not be running. It was not sent again; check with "orders --mine --since 1h" before trying again.',
    'zh-CN': '结果未知：COC 启动执行时机器人中断，脚本可能已在运行，也可能没有。未重新发送；再次尝试前请用 "orders --mine --since 1h" 查看。',
  },
  notSent: {
    'en-US': 'the bot stopped right after the approval, before the run was sent to COC: nothing ran. Request it again.',
    'zh-CN': '批准后、发送到 COC 之前机器人中断：未执行任何操作。请重新申请。',
  },
  noPlan: { 'en-US': 'the plan of this request is gone: nothing ran. Request it again.', 'zh-CN': '该请求的执行计划已不存在：未执行任何操作。请重新申请。' },
  toRequesterUnknown: { 'en-US': 'Your run of {script}: outcome unknown', 'zh-CN': '您执行 {script}：结果未知' },
} satisfies Record<string, Text>;

export interface RecoveryOptions {
  /** A row not touched for this long is left behind whoever wrote it (longer than any COC request). */
  readonly leftAfterMs: number;
  /** Also left: rows last touched before this instant (an embedded store: when this process took it). */
  readonly leftBefore?: Date;
}

const BATCH = 100;
/** Cards are asked for only for recent orders: an order from last week has long ended. */
const TRACK_WITHIN_HOURS = 24;

function leftCondition(options: RecoveryOptions, column: string, first: number): { sql: string; params: unknown[] } {
  return {
    sql: `${column} < greatest(now() - make_interval(secs => $${first}::double precision), $${first + 1}::timestamptz)`,
    params: [options.leftAfterMs / 1000, options.leftBefore ?? new Date(0)],
  };
}

async function audit(services: Services, plan: RunPlanRow, command: string, outcome: 'succeeded' | 'failed', error: string | null): Promise<void> {
  await insertAuditEvent(services.db, {
    platform: 'system',
    workspaceId: plan.workspaceId,
    channelId: plan.channelId,
    command,
    target: plan.scriptName,
    maskedParameters: { plan: plan.id, ...(plan.approvalId ? { approval: plan.approvalId } : {}), ...(plan.executeUuid ? { executeUuid: plan.executeUuid } : {}), requester: plan.requesterIamUser },
    outcome,
    error,
  });
}

async function tellRequester(services: Services, plan: RunPlanRow, title: string, text: string): Promise<void> {
  try {
    await services.chat.notify(requesterOf(plan), { title, text, tone: 'danger', private: true }, planTarget(plan));
  } catch (error) {
    services.log.warn({ err: error, plan: plan.id }, 'could not tell the requester about an interrupted run');
  }
}

async function failApproval(services: Services, approval: ApprovalRow, plan: RunPlanRow, error: string, notice: Text = APPROVAL_TEXT.toRequesterFailed): Promise<void> {
  const failed = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'failed', error });
  if (failed) await announce(services, failed, plan, notice, { approver: approval.approverIamUser ?? '?', script: plan.scriptName });
}

/** Plans left in 'starting': failed, outcome unknown, never sent again. */
async function settleStartingPlans(services: Services, options: RecoveryOptions): Promise<number> {
  const left = leftCondition(options, 'updated_at', 1);
  const { rows } = await services.db.query(`SELECT ${columnsOf(runPlanRowSchema)} FROM run_plans WHERE state = 'starting' AND ${left.sql} ORDER BY updated_at LIMIT ${BATCH}`, left.params);
  let settled = 0;
  for (const stuck of parseRows(runPlanRowSchema, 'run_plans', rows)) {
    const t = translator(stuck.requesterLocale);
    const reason = t(RECOVERY_TEXT.unknownOutcome);
    const plan = await moveRunPlan(services.db, stuck.id, ['starting'], 'failed', { error: reason });
    if (!plan) continue;
    settled++;
    const approval = plan.approvalId ? await getApproval(services.db, plan.approvalId) : undefined;
    if (approval?.state === 'approved') await failApproval(services, approval, plan, reason, APPROVAL_TEXT.toRequesterUnknown);
    else await tellRequester(services, plan, t(RECOVERY_TEXT.toRequesterUnknown, { script: plan.scriptName }), reason);
    await audit(services, plan, 'run interrupted', 'failed', 'outcome unknown: the execute request may have reached COC; not sent again');
  }
  return settled;
}

/** Approvals left 'approved': given their plan's outcome. */
async function settleApprovedRequests(services: Services, options: RecoveryOptions): Promise<number> {
  const left = leftCondition(options, 'updated_at', 1);
  const { rows } = await services.db.query<{ id: string }>(`SELECT id FROM approvals WHERE state = 'approved' AND ${left.sql} ORDER BY updated_at LIMIT ${BATCH}`, left.params);
  let settled = 0;
  for (const { id } of rows) {
    const approval = await getApproval(services.db, id);
    if (approval?.state !== 'approved') continue;
    const { rows: planRows } = await services.db.query(`SELECT ${columnsOf(runPlanRowSchema)} FROM run_plans WHERE approval_id = $1`, [id]);
    const plan = parseRows(runPlanRowSchema, 'run_plans', planRows)[0];
    if (!plan) {
      const failed = await updateApprovalIfVersion(services.db, id, approval.version, { state: 'failed', error: translator('en-US')(RECOVERY_TEXT.noPlan) });
      if (failed) settled++;
      continue;
    }
    const t = translator(plan.requesterLocale);
    if (plan.state === 'requested') {
      const reason = t(RECOVERY_TEXT.notSent);
      const failedPlan = await moveRunPlan(services.db, plan.id, ['requested'], 'failed', { error: reason });
      if (!failedPlan) continue;
      await failApproval(services, approval, failedPlan, reason);
      await audit(services, failedPlan, 'run interrupted', 'failed', 'interrupted after the approval, before the execute request: nothing was sent');
      settled++;
    } else if (plan.state === 'started' && plan.executeUuid) {
      const executed = await updateApprovalIfVersion(services.db, id, approval.version, { state: 'executed', executeUuid: plan.executeUuid });
      if (!executed) continue;
      await announce(services, executed, plan, APPROVAL_TEXT.toRequesterApproved, { approver: approval.approverIamUser ?? '?', script: plan.scriptName, uuid: plan.executeUuid });
      settled++;
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
  const left = leftCondition(options, 'p.updated_at', 1);
  const { rows } = await services.db.query<{ id: string }>(
    `SELECT p.id FROM run_plans p
      WHERE p.state = 'started' AND p.execute_uuid IS NOT NULL AND ${left.sql}
        AND p.updated_at > now() - make_interval(hours => ${TRACK_WITHIN_HOURS})
        AND NOT EXISTS (SELECT 1 FROM tracked_orders o WHERE o.execute_uuid = p.execute_uuid)
      ORDER BY p.updated_at LIMIT ${BATCH}`,
    left.params,
  );
  let tracked = 0;
  for (const { id } of rows) {
    const plan = await getRunPlan(services.db, id);
    if (!plan?.executeUuid) continue;
    await services.tracker.track({
      executeUuid: plan.executeUuid,
      target: planTarget(plan),
      startedBy: requesterOf(plan),
      startedByIamUser: plan.requesterIamUser,
      ...(plan.approvalId ? { approvalId: plan.approvalId } : {}),
      locale: plan.requesterLocale,
    });
    tracked++;
  }
  return tracked;
}

export interface RecoveryReport {
  readonly unknownOutcome: number;
  readonly approvalsSettled: number;
  readonly cardsResumed: number;
}

/** One round: every kind of interrupted start, oldest first. */
export async function recoverInterruptedRuns(services: Services, options: RecoveryOptions): Promise<RecoveryReport> {
  const unknownOutcome = await settleStartingPlans(services, options);
  const approvalsSettled = await settleApprovedRequests(services, options);
  const cardsResumed = await trackUntrackedOrders(services, options);
  if (unknownOutcome + approvalsSettled + cardsResumed > 0) {
    services.log.warn({ unknownOutcome, approvalsSettled, cardsResumed }, 'settled runs whose start was interrupted');
  }
  return { unknownOutcome, approvalsSettled, cardsResumed };
}

/** At start, then every `intervalMs`: an interrupted start is settled soon after the restart. */
export function interruptedRunsTask(services: Services, options: RecoveryOptions, intervalMs: number, onError: (error: unknown) => void = () => {}): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const round = () => {
    if (running) return;
    running = recoverInterruptedRuns(services, options)
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
      });
  };
  return {
    name: 'interrupted-runs',
    start() {
      if (timer) return;
      round();
      timer = setInterval(round, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
