/** The words of an alarm's linked automation waiting for, or run after, a second person's approval. */
import type { Text } from '../../i18n/translate.js';
import { SHARED_ACTION_TEXT, type ActionTexts } from './texts.js';

export const ALARM_RUN_APPROVAL_TEXT = {
  ...SHARED_ACTION_TEXT,
  cardTitle: { 'en-US': 'Approve running {script} for alarm {id}?', 'zh-CN': '是否批准为告警 {id} 执行 {script}？' },
  cardText: {
    'en-US': '{requester} asks {platform} to run the {thing} linked to alarm "{alarm}" ({risk} risk). A second authorised person must approve; nothing has been sent yet.',
    'zh-CN': '{requester} 请求 {platform} 执行告警“{alarm}”关联的{thing}（{risk}风险）。须由另一位有权限的人批准；尚未发送任何内容。',
  },
  alarm: { 'en-US': 'Alarm', 'zh-CN': '告警' },
  script: { 'en-US': 'Script', 'zh-CN': '脚本' },
  workOrder: { 'en-US': 'Work order', 'zh-CN': '工单' },
  approveConfirmTitle: { 'en-US': 'Run {script} for alarm {id}?', 'zh-CN': '为告警 {id} 执行 {script}？' },
  approveConfirmText: { 'en-US': '{platform} runs it on the alarm’s targets at once, as {requester}.', 'zh-CN': '{platform} 将立即以 {requester} 的身份针对告警的目标执行。' },
  state_executed: { 'en-US': 'Approved by {approver}; the {thing} ran{order}', 'zh-CN': '已由 {approver} 批准；{thing}已执行{order}' },
  resultShown: { 'en-US': ' (work order {order})', 'zh-CN': '（工单 {order}）' },
  requested: { 'en-US': 'Approval requested: {script} for alarm {id}', 'zh-CN': '已提交审批请求：为告警 {id} 执行 {script}' },
  requestedDirect: { 'en-US': 'Approval requested by direct message: {script} for alarm {id}', 'zh-CN': '已通过私信提交审批请求：为告警 {id} 执行 {script}' },
  ownText: {
    'en-US': 'Four eyes: someone else who may approve must approve {requester}’s run of the alarm’s {thing}. Nothing was done.',
    'zh-CN': '四眼原则：须由其他有权限的人批准 {requester} 执行告警关联{thing}的请求。未执行任何操作。',
  },
  handledSince: { 'en-US': 'Alarm {id} was handled since the request', 'zh-CN': '告警 {id} 在请求提交后已被处理' },
  clearedSince: { 'en-US': 'Alarm {id} was cleared since the request', 'zh-CN': '告警 {id} 在请求提交后已被清除' },
  goneSince: { 'en-US': 'Alarm {id} no longer exists', 'zh-CN': '告警 {id} 已不存在' },
  relinkedSince: { 'en-US': 'Alarm {id} is no longer linked to {script}', 'zh-CN': '告警 {id} 已不再关联 {script}' },
  thingScript: { 'en-US': 'script', 'zh-CN': '脚本' },
  thingRunbook: { 'en-US': 'runbook', 'zh-CN': '作业' },
  runbook: { 'en-US': 'Runbook', 'zh-CN': '作业' },
  scriptChangedSince: { 'en-US': '{script} changed since the request', 'zh-CN': '{script} 在请求提交后已被修改' },
  staleText: {
    'en-US': 'What was requested is not what would run now, so the request is void and nothing was sent. {requester} was told and can preview again with "alarms run {id}".',
    'zh-CN': '申请的内容与现在将执行的内容不同，因此请求已作废，未发送任何内容。已通知 {requester}，可用“alarms run {id}”重新预览。',
  },
  unreadable: { 'en-US': 'Alarm {id} cannot be read now', 'zh-CN': '现在无法读取告警 {id}' },
  unreadableText: {
    'en-US': 'Nothing was sent and the request stays open: it is approved only once the alarm and its {thing} are read as requested ({why}). Try again shortly.',
    'zh-CN': '未发送任何内容，请求仍待审批：只有读到告警及其{thing}与申请时一致才能批准（{why}）。请稍后重试。',
  },
  done: { 'en-US': 'Approved: {script} started for alarm {id}', 'zh-CN': '已批准：已为告警 {id} 启动 {script}' },
  doneText: { 'en-US': '{requester} was told. Its result: alarms history {id}', 'zh-CN': '已通知 {requester}。查看结果：alarms history {id}' },
  doneLate: {
    'en-US': 'Confirmed by the alarm’s history after {platform}’s answer was lost ({answer}); it was not sent again.',
    'zh-CN': '{platform} 的响应丢失（{answer}），之后由告警的处理记录确认已执行；未重复发送。',
  },
  notDoneNote: {
    'en-US': '{platform}’s answer was lost ({answer}) and the alarm’s history shows no new handling; nothing was retried',
    'zh-CN': '{platform} 的响应丢失（{answer}），告警的处理记录中没有新的处理；未重试',
  },
  unknown: { 'en-US': 'Approved; whether the {thing} ran is unknown', 'zh-CN': '已批准；{thing}是否已执行未知' },
  unknownNote: {
    'en-US': '{platform}’s answer was lost ({answer}) and the alarm’s history could not prove either way; it was not retried. Check with "alarms history {id}"',
    'zh-CN': '{platform} 的响应丢失（{answer}），告警的处理记录也无法确认；未重试。请用“alarms history {id}”确认',
  },
  // To the requester, privately.
  toRequesterDone: { 'en-US': '{approver} approved your run of {script} for alarm {id}: it started', 'zh-CN': '{approver} 批准了您为告警 {id} 执行 {script} 的请求：已开始执行' },
  toRequesterNotRun: { 'en-US': '{approver} approved your run of {script} for alarm {id}, but it did not run', 'zh-CN': '{approver} 批准了您为告警 {id} 执行 {script} 的请求，但未执行' },
  toRequesterUnknown: { 'en-US': '{approver} approved your run of {script} for alarm {id}; whether it ran is unknown', 'zh-CN': '{approver} 批准了您为告警 {id} 执行 {script} 的请求；是否已执行未知' },
  toRequesterRejected: { 'en-US': '{approver} rejected your run of {script} for alarm {id}', 'zh-CN': '{approver} 拒绝了您为告警 {id} 执行 {script} 的请求' },
  toRequesterVoid: { 'en-US': 'Your run of {script} for alarm {id} is void', 'zh-CN': '您为告警 {id} 执行 {script} 的请求已作废' },
  toRequesterExpired: { 'en-US': 'Your run of {script} for alarm {id} expired', 'zh-CN': '您为告警 {id} 执行 {script} 的请求已过期' },
  withdrawnText: { 'en-US': 'Your run of {script} for alarm {id} is withdrawn; nothing was sent.', 'zh-CN': '您为告警 {id} 执行 {script} 的请求已撤回，未发送任何内容。' },
  rejectedText: { 'en-US': 'The run of {script} for alarm {id} was rejected; nothing was sent. {requester} was told.', 'zh-CN': '为告警 {id} 执行 {script} 的请求已被拒绝，未发送任何内容。已通知 {requester}。' },
} satisfies ActionTexts & Record<string, Text>;
