/**
 * Four-eyes approval of HIGH-risk runs.
 *
 * - A request is filed once per plan (the plan's id is its idempotency key) and posted where
 *   approvers are: the configured approvals channel of the platform, else the requester's channel.
 * - Approve re-checks everything on every click: the request is still open, not expired (by the
 *   clock, even before the expiry task ran), the approver is not the requester, and the script
 *   is exactly what was requested (content hash and modification time) — else the request is
 *   void. Role and channel are checked by the dispatcher before this runs.
 * - Exactly one execution however many clicks: the approval's conditional state change in the
 *   database has one winner; only the winner moves the plan to 'starting' and calls COC.
 * - The requester is told the outcome; the request card is edited to show who decided.
 */
import type { CocClient } from '../coc/client.js';
import { CocApiError } from '../coc/errors.js';
import { phrase, say, type Phrase } from '../i18n/phrase.js';
import { FAILURE_TEXTS, notReadyReason } from '../run/failure-reasons.js';
import type { ChatTarget, PostedMessage } from '../core/chat-surface.js';
import type { CommandContext, Services } from '../core/command.js';
import type { Message } from '../core/message.js';
import { utcTime } from '../i18n/format.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';
import { getApproval, insertApproval, updateApprovalIfVersion, type ApprovalChanges, type ApprovalRow } from '../store/approvals.js';
import { insertAuditEvent } from '../store/audit-events.js';
import { getRunPlanByApproval, moveRunPlan, type RunPlanRow } from '../store/run-plans.js';
import { approvalMessage } from '../run/messages.js';
import { scriptContentHash } from '../run/plan.js';
import { planDetails } from '../run/plan-details.js';
import type { ParamSealer } from '../run/sealing.js';
import { planTarget, requesterOf, startPlan } from '../run/start.js';

export const APPROVAL_TEXT = {
  requested: { 'en-US': 'Approval requested', 'zh-CN': '已提交审批请求' },
  requestedText: {
    'en-US': 'Your request to run {script} waits for an approver{where}. It expires at {time}; you will be told the outcome here.',
    'zh-CN': '您执行 {script} 的请求正在等待审批{where}。将于 {time} 过期；结果会在此通知您。',
  },
  inChannel: { 'en-US': ' in {channel}', 'zh-CN': '（{channel}）' },
  notFound: { 'en-US': 'No such approval request', 'zh-CN': '没有这个审批请求' },
  notFoundText: { 'en-US': 'Approval {id} does not exist. See the open ones with "approvals".', 'zh-CN': '审批 {id} 不存在。用 "approvals" 查看待审批的请求。' },
  alreadyDecided: { 'en-US': 'This request is already decided', 'zh-CN': '该请求已处理' },
  own: { 'en-US': 'You cannot approve your own request', 'zh-CN': '不能审批自己的请求' },
  ownText: {
    'en-US': 'Four eyes: someone else with the approver role must approve {requester}\'s run. Nothing was done.',
    'zh-CN': '四眼原则：须由其他具有审批人角色的人批准 {requester} 的执行请求。未执行任何操作。',
  },
  expired: { 'en-US': 'This request has expired', 'zh-CN': '该请求已过期' },
  expiredText: { 'en-US': 'It expired at {time} without a decision; nothing ran. {requester} can request again.', 'zh-CN': '已于 {time} 过期且未审批；未执行任何操作。{requester} 可以重新申请。' },
  changed: { 'en-US': 'The script changed after the request', 'zh-CN': '请求提交后脚本已被修改' },
  changedText: {
    'en-US': '{script} was modified in COC after {requester} asked (what was requested is not what would run), so the request is void and nothing ran. {requester} can preview and request again.',
    'zh-CN': '{requester} 提交请求后，{script} 在 COC 中被修改（将执行的内容与申请时不同），因此请求已作废，未执行任何操作。{requester} 可以重新预览并申请。',
  },
  changedNote: { 'en-US': 'the script changed after the request', 'zh-CN': '请求提交后脚本已被修改' },
  gone: { 'en-US': 'The script no longer exists in COC', 'zh-CN': '该脚本在 COC 中已不存在' },
  approvedStarted: { 'en-US': 'Approved: order {uuid} started', 'zh-CN': '已批准：工单 {uuid} 已开始执行' },
  approvedStartedText: { 'en-US': '{script} runs on {hosts:host|hosts}; its live card is in the requester\'s channel.', 'zh-CN': '{script} 正在 {hosts} 台主机上执行；实时卡片在申请人的频道中。' },
  approvedFailed: { 'en-US': 'Approved, but the run did not start', 'zh-CN': '已批准，但执行未能启动' },
  approvedUnknown: { 'en-US': 'Approved, but COC did not answer', 'zh-CN': '已批准，但 COC 未响应' },
  rejected: { 'en-US': 'Rejected', 'zh-CN': '已拒绝' },
  withdrawn: { 'en-US': 'Withdrawn', 'zh-CN': '已撤回' },
  withdrawnText: { 'en-US': 'Your request to run {script} is withdrawn; nothing ran.', 'zh-CN': '您执行 {script} 的请求已撤回，未执行任何操作。' },
  withdrawnNote: { 'en-US': 'withdrawn by {requester} ({reason})', 'zh-CN': '{requester} 已撤回（{reason}）' },
  rejectedText: { 'en-US': 'The request to run {script} was rejected; nothing ran. {requester} was told.', 'zh-CN': '执行 {script} 的请求已被拒绝，未执行任何操作。已通知 {requester}。' },
  // to the requester
  toRequesterApproved: { 'en-US': '{approver} approved your run of {script}: order {uuid} started', 'zh-CN': '{approver} 批准了您执行 {script} 的请求：工单 {uuid} 已开始' },
  toRequesterRejected: { 'en-US': '{approver} rejected your run of {script}', 'zh-CN': '{approver} 拒绝了您执行 {script} 的请求' },
  toRequesterExpired: { 'en-US': 'Your request to run {script} expired', 'zh-CN': '您执行 {script} 的请求已过期' },
  toRequesterVoid: { 'en-US': 'Your request to run {script} is void', 'zh-CN': '您执行 {script} 的请求已作废' },
  toRequesterFailed: { 'en-US': '{approver} approved your run of {script}, but it did not start', 'zh-CN': '{approver} 批准了您执行 {script} 的请求，但执行未能启动' },
  toRequesterUnknown: { 'en-US': '{approver} approved your run of {script}; whether it started is unknown', 'zh-CN': '{approver} 批准了您执行 {script} 的请求；是否已启动未知' },
} satisfies Record<string, Text>;

function refusal(title: string, text: string): Message {
  return { title, text, tone: 'danger', private: true };
}

/** Where approval requests of this platform go. */
export function approvalsTarget(services: Services, plan: RunPlanRow): ChatTarget {
  const configured = plan.platform === 'slack' ? services.config.approvals.channel.slack : plan.platform === 'discord' ? services.config.approvals.channel.discord : undefined;
  return configured ? { platform: plan.platform, workspaceId: plan.workspaceId, channelId: configured } : planTarget(plan);
}

function postedOf(approval: ApprovalRow, plan: RunPlanRow): PostedMessage | undefined {
  if (!approval.messageRef || !approval.channelId) return undefined;
  return { platform: plan.platform, workspaceId: plan.workspaceId, channelId: approval.channelId, messageRef: approval.messageRef };
}

/** Edits the request card (in the requester's language) and tells the requester; delivery failures never undo a decision. */
export async function announce(services: Services, approval: ApprovalRow, plan: RunPlanRow, notice: Text, vars: Record<string, string | number>): Promise<void> {
  const t = translator(plan.requesterLocale);
  const card = await editCard(services, approval, plan);
  try {
    await services.chat.notify(requesterOf(plan), { ...card, title: t(notice, vars), private: true }, planTarget(plan));
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id }, 'could not tell the requester about an approval');
  }
}

/** Edits the request card to show its state now (in the requester's language); returns it. */
async function editCard(services: Services, approval: ApprovalRow, plan: RunPlanRow): Promise<Message> {
  const card = approvalMessage(approval, plan, translator(plan.requesterLocale), plan.requesterLocale);
  const posted = postedOf(approval, plan);
  try {
    if (posted) await services.chat.update(posted, card);
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id }, 'could not edit an approval card');
  }
  return card;
}

/** Files the approval request of a plan the caller moved to 'requested', and posts it. */
export async function requestApproval(context: CommandContext, plan: RunPlanRow): Promise<Message> {
  const { services, t } = context;
  const expiresAt = new Date(services.now().getTime() + services.config.approvals.expiryMinutes * 60_000);
  const target = approvalsTarget(services, plan);
  const { approval, created } = await insertApproval(services.db, {
    idempotencyKey: `plan:${plan.id}`,
    platform: plan.platform,
    workspaceId: plan.workspaceId,
    requesterChatUserId: plan.requesterChatUserId,
    requesterIamUser: plan.requesterIamUser,
    scriptUuid: plan.scriptUuid,
    scriptName: plan.scriptName,
    scriptContentHash: plan.scriptContentHash,
    scriptGmtModified: plan.scriptGmtModified,
    plan: { planId: plan.id, hosts: planDetails(plan).batches.flatMap((b) => b.hosts.map((h) => ({ resourceId: h.resourceId, regionId: h.regionId, name: h.name }))), params: planDetails(plan).shownParams },
    channelId: target.channelId,
    expiresAt,
    createdAt: services.now(),
  });
  const linked = (await moveRunPlan(services.db, plan.id, ['requested'], 'requested', { approvalId: approval.id })) ?? plan;
  context.audit.target = approval.id;
  if (created) {
    // The card is in the requester's language: approvers see who asked and what, not prose.
    const card = approvalMessage(approval, linked, translator(plan.requesterLocale), plan.requesterLocale);
    try {
      const posted = await services.chat.post(target, card);
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { messageRef: posted.messageRef, channelId: posted.channelId });
    } catch (error) {
      services.log.warn({ err: error, approval: approval.id }, 'could not post an approval request; it is listed by "approvals"');
    }
  }
  const where = target.channelId !== plan.channelId ? t(APPROVAL_TEXT.inChannel, { channel: target.channelId }) : '';
  return {
    title: t(APPROVAL_TEXT.requested),
    text: t(APPROVAL_TEXT.requestedText, { script: plan.scriptName, where, time: utcTime(approval.expiresAt.getTime()) }),
    tone: 'info',
    footer: `approval ${approval.id}`,
  };
}

function stateRefusal(approval: ApprovalRow, plan: RunPlanRow | undefined, t: Translate, locale: CommandContext['locale']): Message {
  const card = plan ? approvalMessage(approval, plan, t, locale) : undefined;
  return refusal(t(APPROVAL_TEXT.alreadyDecided), card?.fields?.[0]?.value ?? approval.state);
}

async function change(services: Services, approval: ApprovalRow, changes: ApprovalChanges): Promise<ApprovalRow | undefined> {
  return updateApprovalIfVersion(services.db, approval.id, approval.version, changes);
}

/** Marks an open request expired (if it still is open) and tells everyone once. */
async function expire(services: Services, approval: ApprovalRow, plan: RunPlanRow | undefined): Promise<void> {
  const expired = await change(services, approval, { state: 'expired' });
  if (!expired || !plan) return;
  await moveRunPlan(services.db, plan.id, ['requested'], 'expired');
  await announce(services, expired, plan, APPROVAL_TEXT.toRequesterExpired, { script: plan.scriptName });
}

/** The same person as the requester: the same chat user, or the same IAM user from anywhere. */
function isRequester(context: CommandContext, approval: ApprovalRow): boolean {
  const { actor, identity } = context;
  const sameChatUser = actor.platform === approval.platform && actor.workspaceId === approval.workspaceId && actor.userId === approval.requesterChatUserId;
  return sameChatUser || identity.iamUserName.toLowerCase() === approval.requesterIamUser.toLowerCase();
}

/** The request a click decides, while it is still open; else the refusal that says why not. */
async function openRequest(context: CommandContext, approvalId: string): Promise<{ approval: ApprovalRow; plan: RunPlanRow | undefined } | Message> {
  const { services, t, locale } = context;
  context.audit.target = approvalId;
  const approval = await getApproval(services.db, approvalId);
  if (!approval) return refusal(t(APPROVAL_TEXT.notFound), t(APPROVAL_TEXT.notFoundText, { id: approvalId }));
  const plan = await getRunPlanByApproval(services.db, approvalId);
  if (approval.state !== 'requested') return stateRefusal(approval, plan, t, locale);
  return { approval, plan };
}

/** Refuses a request past its expiry (closing it if the sweep has not yet); undefined while it is in time. */
async function expiredRefusal(context: CommandContext, approval: ApprovalRow, plan: RunPlanRow | undefined): Promise<Message | undefined> {
  if (context.services.now().getTime() < approval.expiresAt.getTime()) return undefined;
  await expire(context.services, approval, plan);
  return refusal(context.t(APPROVAL_TEXT.expired), context.t(APPROVAL_TEXT.expiredText, { requester: approval.requesterIamUser, time: utcTime(approval.expiresAt.getTime()) }));
}

export async function approve(context: CommandContext, approvalId: string): Promise<Message> {
  const { services, t, locale, actor, identity } = context;
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, plan } = open;
  if (isRequester(context, approval)) {
    return refusal(t(APPROVAL_TEXT.own), t(APPROVAL_TEXT.ownText, { requester: approval.requesterIamUser }));
  }
  const expired = await expiredRefusal(context, approval, plan);
  if (expired) return expired;
  if (!plan) return refusal(t(APPROVAL_TEXT.notFound), t(APPROVAL_TEXT.notFoundText, { id: approvalId }));

  // The script as it is now, read with the approver's rights: it must be what was requested.
  let unchanged: boolean;
  try {
    const script = await context.coc.getScript(plan.scriptUuid);
    unchanged = scriptContentHash(script) === approval.scriptContentHash && (script.gmt_modified ?? 0) === approval.scriptGmtModified;
  } catch (error) {
    if (!(error instanceof CocApiError && error.status === 404)) throw error;
    unchanged = false;
  }
  if (!unchanged) {
    const voided = await change(services, approval, { state: 'void', decisionNote: translator(plan.requesterLocale)(APPROVAL_TEXT.changedNote) });
    if (voided) {
      await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: 'script changed after the request' });
      await announce(services, voided, plan, APPROVAL_TEXT.toRequesterVoid, { script: plan.scriptName });
    }
    return refusal(t(APPROVAL_TEXT.changed), t(APPROVAL_TEXT.changedText, { script: plan.scriptName, requester: approval.requesterIamUser }));
  }

  // The single winner: of any number of concurrent clicks, one changes the row.
  const won = await change(services, approval, {
    state: 'approved',
    approverChatUserId: actor.userId,
    approverIamUser: identity.iamUserName,
    decidedAt: services.now(),
  });
  if (!won) {
    const now = (await getApproval(services.db, approvalId)) ?? approval;
    return stateRefusal(now, plan, t, locale);
  }
  services.metrics.approvalWait((services.now().getTime() - approval.createdAt.getTime()) / 1000);
  const starting = await moveRunPlan(services.db, plan.id, ['requested'], 'starting');
  const vars = { approver: identity.iamUserName, script: plan.scriptName };
  // A reason is stored as the requester reads it (their plan, their card) and said to the approver in theirs.
  const fail = async (reason: Phrase): Promise<Message> => {
    const failed = await change(services, won, { state: 'failed', error: say(reason, translator(plan.requesterLocale)) });
    if (failed) await announce(services, failed, plan, APPROVAL_TEXT.toRequesterFailed, vars);
    return refusal(t(APPROVAL_TEXT.approvedFailed), say(reason, t));
  };
  if (!starting) return fail(phrase(FAILURE_TEXTS.notWaiting, { state: plan.state }));
  // Nothing is sent yet: whatever stops the run here fails it with the reason, and the request with it.
  let values: Record<string, string>;
  let coc: CocClient;
  try {
    values = { ...planDetails(starting).plainParams, ...(starting.sealedParams ? context.services.sealer.unseal(starting.sealedParams) : {}) };
    // Executed with the requester's own COC rights when they have a credential of their own.
    coc = services.cocFor({ credentialRef: starting.credentialRef ?? undefined, iamUserName: starting.requesterIamUser });
  } catch (error) {
    const reason = notReadyReason(error);
    await moveRunPlan(services.db, plan.id, ['starting'], 'failed', { error: say(reason, translator(plan.requesterLocale)) });
    return fail(reason);
  }
  const outcome = await startPlan(services, coc, starting, values);
  if (outcome.kind === 'started') {
    const executed = await change(services, won, { state: 'executed', executeUuid: outcome.executeUuid });
    if (executed) await announce(services, executed, plan, APPROVAL_TEXT.toRequesterApproved, { ...vars, uuid: outcome.executeUuid });
    context.audit.maskedParameters = { ...context.audit.maskedParameters, executeUuid: outcome.executeUuid };
    const hosts = planDetails(starting).batches.reduce((n, b) => n + b.hosts.length, 0);
    return {
      title: t(APPROVAL_TEXT.approvedStarted, { uuid: outcome.executeUuid }),
      text: t(APPROVAL_TEXT.approvedStartedText, { script: plan.scriptName, hosts }),
      tone: 'success',
    };
  }
  const failed = await change(services, won, { state: 'failed', error: say(outcome.reason, translator(plan.requesterLocale)) });
  if (failed) await announce(services, failed, plan, outcome.kind === 'unknown' ? APPROVAL_TEXT.toRequesterUnknown : APPROVAL_TEXT.toRequesterFailed, vars);
  return refusal(t(outcome.kind === 'unknown' ? APPROVAL_TEXT.approvedUnknown : APPROVAL_TEXT.approvedFailed), say(outcome.reason, t));
}

export async function reject(context: CommandContext, approvalId: string, note: string): Promise<Message> {
  const { services, t, locale, actor, identity } = context;
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, plan } = open;
  const expired = await expiredRefusal(context, approval, plan);
  if (expired) return expired;
  // Rejecting one's own request is withdrawing it: allowed, recorded as void (a decision by
  // someone else it is not — the database's four-eyes rule keeps the approver column for those).
  if (isRequester(context, approval)) {
    const withdrawn = await change(services, approval, {
      state: 'void',
      decidedAt: services.now(),
      decisionNote: translator(plan?.requesterLocale ?? locale)(APPROVAL_TEXT.withdrawnNote, { requester: approval.requesterIamUser, reason: note }),
    });
    if (!withdrawn) return stateRefusal((await getApproval(services.db, approvalId)) ?? approval, plan, t, locale);
    if (plan) {
      await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: 'withdrawn by the requester' });
      await editCard(services, withdrawn, plan);
    }
    return { title: t(APPROVAL_TEXT.withdrawn), text: t(APPROVAL_TEXT.withdrawnText, { script: approval.scriptName }), tone: 'success' };
  }
  const won = await change(services, approval, {
    state: 'rejected',
    approverChatUserId: actor.userId,
    approverIamUser: identity.iamUserName,
    decidedAt: services.now(),
    decisionNote: note,
  });
  if (!won) return stateRefusal((await getApproval(services.db, approvalId)) ?? approval, plan, t, locale);
  if (plan) {
    await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: 'rejected' });
    await announce(services, won, plan, APPROVAL_TEXT.toRequesterRejected, { approver: identity.iamUserName, script: plan.scriptName });
  }
  return { title: t(APPROVAL_TEXT.rejected), text: t(APPROVAL_TEXT.rejectedText, { script: approval.scriptName, requester: approval.requesterIamUser }), tone: 'success' };
}

/** The background sweep: open requests past their time become expired, each announced once. */
export async function expireDueApprovals(services: Services): Promise<number> {
  const { rows } = await services.db.query<{ id: string }>(`SELECT id FROM approvals WHERE state = 'requested' AND expires_at <= $1 LIMIT 100`, [services.now()]);
  let expired = 0;
  for (const { id } of rows) {
    const approval = await getApproval(services.db, id);
    if (!approval || approval.state !== 'requested') continue;
    const plan = await getRunPlanByApproval(services.db, id);
    const done = await change(services, approval, { state: 'expired' });
    if (!done) continue;
    expired++;
    if (plan) {
      await moveRunPlan(services.db, plan.id, ['requested'], 'expired');
      await announce(services, done, plan, APPROVAL_TEXT.toRequesterExpired, { script: plan.scriptName });
    }
    await insertAuditEvent(services.db, {
      platform: 'system',
      workspaceId: approval.workspaceId,
      command: 'approval expired',
      target: approval.id,
      maskedParameters: { script: approval.scriptName, requester: approval.requesterIamUser },
      outcome: 'succeeded',
    });
  }
  return expired;
}
