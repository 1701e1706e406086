/** The words of a runbook waiting for, or run after, a second person's approval. */
import type { Text } from '../../i18n/translate.js';
import { SHARED_ACTION_TEXT, type ActionTexts } from './texts.js';

export const RUNBOOK_APPROVAL_TEXT = {
  ...SHARED_ACTION_TEXT,
  cardTitle: { 'en-US': 'Approve running runbook {runbook}?', 'zh-CN': '是否批准执行作业 {runbook}？' },
  cardText: {
    'en-US': '{requester} asks {platform} to run runbook {runbook} ({id}, {risk} risk) with the values below. A second authorised person must approve; nothing has been sent yet.',
    'zh-CN': '{requester} 请求 {platform} 以下列取值执行作业 {runbook}（{id}，{risk}风险）。须由另一位有权限的人批准；尚未发送任何内容。',
  },
  runbook: { 'en-US': 'Runbook', 'zh-CN': '作业' },
  version: { 'en-US': 'Version', 'zh-CN': '版本' },
  execution: { 'en-US': 'Execution', 'zh-CN': '执行' },
  approveConfirmTitle: { 'en-US': 'Run runbook {runbook} now?', 'zh-CN': '现在执行作业 {runbook}？' },
  approveConfirmText: { 'en-US': '{platform} starts it at once with the values shown, as {requester}.', 'zh-CN': '{platform} 将立即以 {requester} 的身份按所示取值开始执行。' },
  state_executed: { 'en-US': 'Approved by {approver}; the runbook started{order}', 'zh-CN': '已由 {approver} 批准；作业已开始执行{order}' },
  resultShown: { 'en-US': ' (execution {order})', 'zh-CN': '（执行 {order}）' },
  requested: { 'en-US': 'Approval requested: runbook {runbook}', 'zh-CN': '已提交审批请求：执行作业 {runbook}' },
  requestedDirect: { 'en-US': 'Approval requested by direct message: runbook {runbook}', 'zh-CN': '已通过私信提交审批请求：执行作业 {runbook}' },
  ownText: {
    'en-US': 'Four eyes: someone else who may approve must approve {requester}’s run of runbook {runbook}. Nothing was done.',
    'zh-CN': '四眼原则：须由其他有权限的人批准 {requester} 执行作业 {runbook} 的请求。未执行任何操作。',
  },
  changedSince: { 'en-US': 'Runbook {runbook} changed since the request', 'zh-CN': '作业 {runbook} 在请求提交后已变化' },
  staleText: {
    'en-US': 'What was requested is not what would run now, so the request is void and nothing was sent. {requester} was told and can preview again with "runbook run {id}".',
    'zh-CN': '申请的内容与现在将执行的内容不同，因此请求已作废，未发送任何内容。已通知 {requester}，可用“runbook run {id}”重新预览。',
  },
  unreadable: { 'en-US': 'Runbook {runbook} cannot be read now', 'zh-CN': '现在无法读取作业 {runbook}' },
  unreadableText: {
    'en-US': 'Nothing was sent and the request stays open: it is approved only once the runbook is read as requested ({why}). Try again shortly.',
    'zh-CN': '未发送任何内容，请求仍待审批：只有读到作业与申请时一致才能批准（{why}）。请稍后重试。',
  },
  done: { 'en-US': 'Approved: runbook {runbook} started', 'zh-CN': '已批准：作业 {runbook} 已开始执行' },
  doneText: { 'en-US': '{requester} was told. Its card, read again: runbook execution {result}', 'zh-CN': '已通知 {requester}。重新读取其卡片：runbook execution {result}' },
  doneLate: {
    'en-US': 'Confirmed by the runbook’s executions after {platform}’s answer was lost ({answer}); it was not sent again.',
    'zh-CN': '{platform} 的响应丢失（{answer}），之后由作业的执行记录确认已启动；未重复发送。',
  },
  notDoneNote: {
    'en-US': '{platform}’s answer was lost ({answer}) and the runbook’s executions show no new one; nothing was retried',
    'zh-CN': '{platform} 的响应丢失（{answer}），作业的执行记录中没有新的执行；未重试',
  },
  unknown: { 'en-US': 'Approved; whether runbook {runbook} started is unknown', 'zh-CN': '已批准；作业 {runbook} 是否已开始执行未知' },
  unknownNote: {
    'en-US': '{platform}’s answer was lost ({answer}) and the runbook’s executions could not prove either way; it was not retried. Check its executions in {platform} before asking again',
    'zh-CN': '{platform} 的响应丢失（{answer}），作业的执行记录也无法确认；未重试。再次申请前请先在 {platform} 中查看其执行记录',
  },
  // To the requester, privately.
  toRequesterDone: { 'en-US': '{approver} approved your run of runbook {runbook}: it started', 'zh-CN': '{approver} 批准了您执行作业 {runbook} 的请求：已开始执行' },
  toRequesterNotRun: { 'en-US': '{approver} approved your run of runbook {runbook}, but it did not run', 'zh-CN': '{approver} 批准了您执行作业 {runbook} 的请求，但未执行' },
  toRequesterUnknown: { 'en-US': '{approver} approved your run of runbook {runbook}; whether it started is unknown', 'zh-CN': '{approver} 批准了您执行作业 {runbook} 的请求；是否已开始执行未知' },
  toRequesterRejected: { 'en-US': '{approver} rejected your run of runbook {runbook}', 'zh-CN': '{approver} 拒绝了您执行作业 {runbook} 的请求' },
  toRequesterVoid: { 'en-US': 'Your run of runbook {runbook} is void', 'zh-CN': '您执行作业 {runbook} 的请求已作废' },
  toRequesterExpired: { 'en-US': 'Your run of runbook {runbook} expired', 'zh-CN': '您执行作业 {runbook} 的请求已过期' },
  withdrawnText: { 'en-US': 'Your run of runbook {runbook} is withdrawn; nothing was sent.', 'zh-CN': '您执行作业 {runbook} 的请求已撤回，未发送任何内容。' },
  rejectedText: { 'en-US': 'The run of runbook {runbook} was rejected; nothing was sent. {requester} was told.', 'zh-CN': '执行作业 {runbook} 的请求已被拒绝，未发送任何内容。已通知 {requester}。' },
} satisfies ActionTexts & Record<string, Text>;
