/**
 * The words of an approved platform action's request, as every kind has them: the kind's own
 * table (alarm-run-texts.ts, runbook-execute-texts.ts) spreads the shared ones below and says the
 * rest in its own words.
 */
import type { Text } from '../../i18n/translate.js';

export const SHARED_ACTION_TEXT = {
  risk: { 'en-US': 'Risk', 'zh-CN': '风险' },
  region: { 'en-US': 'Region', 'zh-CN': '区域' },
  parameters: { 'en-US': 'Parameters', 'zh-CN': '参数' },
  noParameters: { 'en-US': 'none', 'zh-CN': '无' },
  state_requested: { 'en-US': 'Waiting for approval (expires {time})', 'zh-CN': '等待审批（{time} 过期）' },
  state_approved: { 'en-US': 'Approved by {approver}; being sent', 'zh-CN': '已由 {approver} 批准；正在发送' },
  state_rejected: { 'en-US': 'Rejected by {approver}: {note}', 'zh-CN': '已被 {approver} 拒绝：{note}' },
  state_expired: { 'en-US': 'Expired at {time}; nothing ran', 'zh-CN': '已于 {time} 过期；未执行任何操作' },
  state_void: { 'en-US': 'Void: {note}; nothing ran', 'zh-CN': '已作废：{note}；未执行任何操作' },
  state_failed: { 'en-US': 'Approved by {approver}, not run: {note}', 'zh-CN': '已由 {approver} 批准，未执行：{note}' },
  state_unknown: { 'en-US': 'Approved by {approver}; whether it ran is unknown: {note}', 'zh-CN': '已由 {approver} 批准；是否已执行未知：{note}' },
  requestedText: {
    'en-US': 'Your request waits for a second authorised person{where}. It expires at {time}; you will be told the outcome here. Nothing has been sent yet.',
    'zh-CN': '您的请求正在等待另一位有权限的人审批{where}。将于 {time} 过期；结果会在此通知您。尚未发送任何内容。',
  },
  reachedNobody: { 'en-US': 'Approval request not sent: it reached nobody who may approve', 'zh-CN': '审批请求未送达：没有可审批的人收到' },
  reachedNobodyText: {
    'en-US': 'It could not be posted in {where} ({why}), nor sent to an approver directly. Nothing runs and nothing waits: the request is void.',
    'zh-CN': '无法发布到 {where}（{why}），也无法直接发送给审批人。不会执行任何操作，也没有请求在等待：该请求已作废。',
  },
  reachedNobodyNote: { 'en-US': 'the request reached nobody who may approve', 'zh-CN': '该请求未送达任何可审批的人' },
  requestButton: { 'en-US': 'Request approval', 'zh-CN': '申请审批' },
  stepApproval: {
    'en-US': '{risk} risk: Request approval files it for a second authorised person; nothing is sent before they approve.',
    'zh-CN': '{risk}风险：按“申请审批”提交给另一位有权限的人；批准前不会发送任何内容。',
  },
  own: { 'en-US': 'You cannot approve your own request', 'zh-CN': '不能审批自己的请求' },
  notReady: { 'en-US': 'The requester’s rights are not ready', 'zh-CN': '申请人的权限尚未就绪' },
  refused: { 'en-US': 'Approved, but {platform} refused to run it', 'zh-CN': '已批准，但 {platform} 拒绝执行' },
  notDone: { 'en-US': 'Approved, but it did not run', 'zh-CN': '已批准，但未执行' },
  interruptedNote: {
    'en-US': 'the bot stopped after the approval, before the request was sent: nothing ran. Request it again',
    'zh-CN': '批准后、请求发送前机器人中断：未执行任何操作。请重新申请',
  },
  interruptedSendingNote: { 'en-US': 'the bot stopped while the request was being sent', 'zh-CN': '发送请求时机器人中断' },
  withdrawn: { 'en-US': 'Withdrawn', 'zh-CN': '已撤回' },
} satisfies Record<string, Text>;

/** What a kind says in its own words (its vars fill them). */
type OwnKeys =
  | 'cardTitle'
  | 'cardText'
  | 'approveConfirmTitle'
  | 'approveConfirmText'
  | 'state_executed'
  | 'resultShown'
  | 'requested'
  | 'requestedDirect'
  | 'ownText'
  | 'staleText'
  | 'unreadable'
  | 'unreadableText'
  | 'done'
  | 'doneText'
  | 'doneLate'
  | 'notDoneNote'
  | 'unknown'
  | 'unknownNote'
  | 'toRequesterDone'
  | 'toRequesterNotRun'
  | 'toRequesterUnknown'
  | 'toRequesterRejected'
  | 'toRequesterVoid'
  | 'toRequesterExpired'
  | 'withdrawnText'
  | 'rejectedText';

export type ActionTexts = Readonly<Record<keyof typeof SHARED_ACTION_TEXT | OwnKeys, Text>>;
