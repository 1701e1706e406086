/**
 * Telling people about an approval request's decision: the request card is edited to show its
 * state (in the requester's language) and the requester gets a private note. Delivery failures
 * never undo a decision: they are logged.
 */
import type { PostedMessage } from '../core/chat-surface.js';
import type { Services } from '../core/command.js';
import type { Message } from '../core/message.js';
import { translator, type Text } from '../i18n/translate.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { RunPlanRow } from '../store/run-plans.js';
import { approvalCard } from './card.js';
import { approverRuleOf, reviewerLinks } from './approvers.js';
import { planTarget, requesterOf } from '../run/targets.js';

export const APPROVAL_TEXT = {
  requested: { 'en-US': 'Approval requested', 'zh-CN': '已提交审批请求' },
  requestedText: {
    'en-US': 'Your request to run {script} waits for an approver{where}. It expires at {time}; you will be told the outcome here.',
    'zh-CN': '您执行 {script} 的请求正在等待审批{where}。将于 {time} 过期；结果会在此通知您。',
  },
  inChannel: { 'en-US': ' in {channel}', 'zh-CN': '（{channel}）' },
  requestedDirect: { 'en-US': 'Approval requested by direct message', 'zh-CN': '已通过私信提交审批请求' },
  requestedDirectText: {
    'en-US': 'Your request to run {script} could not be posted in {where}: {why}. It was sent to {count:approver|approvers} by direct message instead. It expires at {time}; you will be told the outcome privately.',
    'zh-CN': '您执行 {script} 的请求无法发布到 {where}：{why}。已改为通过私信发送给 {count} 位审批人。将于 {time} 过期；结果会私下通知您。',
  },
  reachedNobody: { 'en-US': 'Approval request not sent: it reached no approver', 'zh-CN': '审批请求未送达：没有审批人收到' },
  reachedNobodyText: {
    'en-US': 'Your request to run {script} could not be posted in {where}: {why}. {direct} Nothing runs and nothing waits: the request is void. Request again once it can reach an approver.',
    'zh-CN': '您执行 {script} 的请求无法发布到 {where}：{why}。{direct}不会执行任何操作，也没有请求在等待：该请求已作废。请在能送达审批人后重新申请。',
  },
  directOff: {
    'en-US': 'Sending it to approvers by direct message is turned off (approvals.directMessageFallback).',
    'zh-CN': '通过私信发送给审批人的功能已关闭（approvals.directMessageFallback）。',
  },
  noApprovers: {
    'en-US': 'Nobody else with the approver role is linked on this platform, so it could not go by direct message either.',
    'zh-CN': '此平台上没有其他已关联的审批人，因此也无法通过私信发送。',
  },
  directFailed: {
    'en-US': 'Sending it by direct message failed too ({count:approver|approvers} tried).',
    'zh-CN': '通过私信发送也失败了（已尝试 {count} 位审批人）。',
  },
  reachedNobodyNote: { 'en-US': 'the request reached no approver', 'zh-CN': '该请求未送达任何审批人' },
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
  requesterGone: { 'en-US': 'The requester is no longer linked', 'zh-CN': '申请人已不再关联' },
  requesterGoneText: {
    'en-US': '{requester} is no longer linked to the bot as an operator, so their request is void and nothing ran. They can request again once linked.',
    'zh-CN': '{requester} 已不再以操作员身份关联到机器人，因此其请求已作废，未执行任何操作。重新关联后可再次申请。',
  },
  requesterGoneNote: { 'en-US': 'the requester is no longer linked', 'zh-CN': '申请人已不再关联' },
  gone: { 'en-US': 'The script no longer exists in COC', 'zh-CN': '该脚本在 COC 中已不存在' },
  approvedStarted: { 'en-US': 'Approved: order {uuid} started', 'zh-CN': '已批准：工单 {uuid} 已开始执行' },
  approvedStartedText: { 'en-US': '{script} runs on {hosts:host|hosts}; its live card is in the requester\'s channel.', 'zh-CN': '{script} 正在 {hosts} 台主机上执行；实时卡片在申请人的频道中。' },
  approvedStartedNoCard: {
    'en-US': '{script} runs on {hosts:host|hosts}; its live card could not be posted in {where} (the requester was told why). "order {uuid}" shows how it is doing.',
    'zh-CN': '{script} 正在 {hosts} 台主机上执行；实时卡片无法发布到 {where}（已告知申请人原因）。用 "order {uuid}" 查看其进展。',
  },
  approvedFailed: { 'en-US': 'Approved, but the run did not start', 'zh-CN': '已批准，但执行未能启动' },
  approvedUnknown: { 'en-US': 'Approved; whether the run started is not known yet', 'zh-CN': '已批准；执行是否已启动尚不可知' },
  approvedFoundLate: { 'en-US': 'Approved: order {uuid} started (found in {platform} after its answer was lost)', 'zh-CN': '已批准：工单 {uuid} 已开始执行（应答丢失后在 {platform} 中找到）' },
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
  toRequesterFoundLate: {
    'en-US': 'Your run of {script} started: order {uuid} ({platform}\'s answer was lost; the bot found the order in {platform})',
    'zh-CN': '您执行 {script} 已开始：工单 {uuid}（{platform} 的应答丢失；机器人已在 {platform} 中找到该工单）',
  },
  toRequesterNotStarted: { 'en-US': 'Your run of {script} did not start', 'zh-CN': '您执行 {script} 未能启动' },
  toRequesterUnknown: { 'en-US': '{approver} approved your run of {script}; whether it started is unknown', 'zh-CN': '{approver} 批准了您执行 {script} 的请求；是否已启动未知' },
} satisfies Record<string, Text>;

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
export async function editCard(services: Services, approval: ApprovalRow, plan: RunPlanRow): Promise<Message> {
  // An open request (reopened) names its reviewers as linked now.
  const links = approval.state === 'requested' && approverRuleOf(approval).rule !== 'role' ? await reviewerLinks(services, approval) : undefined;
  const card = approvalCard(approval, plan, translator(plan.requesterLocale), plan.requesterLocale, services.backend.vocabulary, links);
  const posted = postedOf(approval, plan);
  try {
    if (posted) await services.chat.update(posted, card);
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id }, 'could not edit an approval card');
  }
  return card;
}

