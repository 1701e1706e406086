/** What people read about a request decided through ITSM, in both languages. */
import type { Text } from '../i18n/translate.js';

export const ITSM_TEXT = {
  // the ticket (in the requester's language: it is theirs)
  ticketTitle: { 'en-US': 'coc-chatops: {script} on {hosts:host|hosts}', 'zh-CN': 'coc-chatops：{script}（{hosts} 台主机）' },
  fieldScript: { 'en-US': 'Script', 'zh-CN': '脚本' },
  fieldHosts: { 'en-US': 'Hosts', 'zh-CN': '主机' },
  fieldParameters: { 'en-US': 'Parameters (sensitive ones masked)', 'zh-CN': '参数（敏感参数已屏蔽）' },
  fieldBatches: { 'en-US': 'Batches', 'zh-CN': '批次' },
  fieldRequester: { 'en-US': 'Requester', 'zh-CN': '申请人' },
  fieldReason: { 'en-US': 'Reason', 'zh-CN': '原因' },
  fieldRequest: { 'en-US': 'Chat request', 'zh-CN': '聊天审批请求' },
  noParameters: { 'en-US': '(none)', 'zh-CN': '（无）' },
  noReason: { 'en-US': '(none given)', 'zh-CN': '（未填写）' },
  batchLine: { 'en-US': 'batch {index}: {hosts:host|hosts}, then {rotation}', 'zh-CN': '第 {index} 批：{hosts} 台主机，之后 {rotation}' },
  requesterLine: { 'en-US': '{user} ({chatUser} on {platform})', 'zh-CN': '{user}（{platform} 上的 {chatUser}）' },
  // the card
  ticket: { 'en-US': 'ITSM ticket', 'zh-CN': 'ITSM 单据' },
  decidedThere: { 'en-US': 'Approve or reject here or in ITSM; only a processor of the ticket can decide.', 'zh-CN': '可在此处或 ITSM 中批准或拒绝；只有单据的处理人可以审批。' },
  // opening the ticket
  openRefused: { 'en-US': 'ITSM refused the approval ticket', 'zh-CN': 'ITSM 拒绝创建审批单据' },
  openRefusedText: {
    'en-US': 'The request to run {script} needs an ITSM ticket, and ITSM refused to open it: {reason}. Nothing runs and nothing waits: the request is void.',
    'zh-CN': '执行 {script} 的请求需要 ITSM 单据，而 ITSM 拒绝创建：{reason}。不会执行任何操作，也没有请求在等待：该请求已作废。',
  },
  openUnknown: { 'en-US': 'Whether ITSM opened the approval ticket is not known', 'zh-CN': 'ITSM 是否已创建审批单据未知' },
  openUnknownText: {
    'en-US': 'The answer to opening the ticket for {script} was lost ({why}). A ticket titled "{title}" may exist in ITSM: withdraw it there if you find it. It was not opened again. Nothing runs from it and no approver is asked here: the request is void. Request again.',
    'zh-CN': '为 {script} 创建单据的应答丢失（{why}）。ITSM 中可能存在标题为“{title}”的单据：如找到请在 ITSM 中撤回。未再次创建。该单据不会触发任何执行，此处也不会请求审批人：该请求已作废。请重新申请。',
  },
  openRefusedNote: { 'en-US': 'ITSM refused the ticket: {reason}', 'zh-CN': 'ITSM 拒绝创建单据：{reason}' },
  openUnknownNote: { 'en-US': 'whether ITSM opened the ticket is not known; nothing runs from it', 'zh-CN': 'ITSM 是否已创建单据未知；不会据此执行' },
  openInterruptedNote: {
    'en-US': 'the bot stopped while opening the ITSM ticket; a ticket may exist in ITSM, nothing runs from it',
    'zh-CN': '创建 ITSM 单据时机器人中断；ITSM 中可能存在单据，但不会据此执行',
  },
  refusedBy: { 'en-US': 'ITSM refused: {detail}', 'zh-CN': 'ITSM 拒绝：{detail}' },
  // a click while the ticket is not open for decisions
  notOpenYet: { 'en-US': 'This request cannot be decided yet', 'zh-CN': '该请求暂不能审批' },
  notOpenYetText: { 'en-US': 'Its ITSM ticket is not open yet. Nothing was done.', 'zh-CN': '其 ITSM 单据尚未创建完成。未执行任何操作。' },
  deciding: { 'en-US': 'A decision on this request is on its way to ITSM', 'zh-CN': '该请求的审批结果正在提交到 ITSM' },
  decidingText: {
    'en-US': '{approver} decided it; the bot is waiting for ITSM (or reading the ticket, its answer was lost) and acts once on what ITSM did. Nothing was done.',
    'zh-CN': '{approver} 已审批；机器人正在等待 ITSM（或因应答丢失正在读取单据），并将按 ITSM 的结果只处理一次。未执行任何操作。',
  },
  noItsm: { 'en-US': 'ITSM is not available to this bot', 'zh-CN': '此机器人无法使用 ITSM' },
  noItsmText: {
    'en-US': 'This request was filed with an ITSM ticket, and the platform the bot uses now has no ITSM. Nothing was done.',
    'zh-CN': '该请求附有 ITSM 单据，而机器人当前使用的平台没有 ITSM。未执行任何操作。',
  },
  // the winner's decision sent to ITSM
  decisionRefused: { 'en-US': 'ITSM refused your decision', 'zh-CN': 'ITSM 拒绝了您的审批' },
  decisionRefusedText: {
    'en-US': '{reason}. You may not be a processor of ticket {ticket}. Nothing ran; the request is still open for someone ITSM lets decide.',
    'zh-CN': '{reason}。您可能不是单据 {ticket} 的处理人。未执行任何操作；该请求仍可由 ITSM 允许的处理人审批。',
  },
  approvalLanded: { 'en-US': 'Your approval reached ITSM; the ticket waits for more', 'zh-CN': '您的审批已提交到 ITSM；单据仍在等待后续审批' },
  approvalLandedText: {
    'en-US': 'ITSM took your approval on ticket {ticket}, but the ticket is not approved yet (it is {status}): another step of it must be decided first. Nothing runs until ITSM approves the ticket; the bot reads it and starts the run once it is.',
    'zh-CN': 'ITSM 已接受您对单据 {ticket} 的审批，但单据尚未通过（当前：{status}）：还需先处理其中的其他步骤。ITSM 批准单据之前不会执行；机器人会读取单据，批准后只启动一次。',
  },
  decisionUnknown: { 'en-US': 'Your decision was sent to ITSM; its answer was lost', 'zh-CN': '您的审批已提交到 ITSM，但应答丢失' },
  decisionUnknownText: {
    'en-US': 'ITSM did not answer clearly ({why}), so the request stays undecided here. The decision was not sent again: the bot reads ticket {ticket} and acts once on what ITSM did — the run starts only if ITSM approved.',
    'zh-CN': 'ITSM 未给出明确应答（{why}），因此此处请求仍未决。审批未重新提交：机器人将读取单据 {ticket}，并按 ITSM 的结果只处理一次——只有 ITSM 已批准时才会执行。',
  },
  // decisions read from the ticket
  toApproverNotLanded: {
    'en-US': 'Your decision on the run of {script} did not reach ITSM (ticket {ticket} is still open): the request is open again',
    'zh-CN': '您对 {script} 执行请求的审批未到达 ITSM（单据 {ticket} 仍处于打开状态）：该请求已重新开放',
  },
  rejectedInItsmNote: { 'en-US': 'rejected in ITSM', 'zh-CN': '已在 ITSM 中拒绝' },
  withdrawnInItsmNote: { 'en-US': 'the ITSM ticket was withdrawn', 'zh-CN': 'ITSM 单据已撤回' },
  goneInItsmNote: { 'en-US': 'the ITSM ticket no longer exists', 'zh-CN': 'ITSM 单据已不存在' },
  ownInItsmNote: {
    'en-US': 'approved in ITSM by the requester {requester}: four eyes need someone else, so nothing runs',
    'zh-CN': '申请人 {requester} 在 ITSM 中自行批准：四眼原则要求由他人批准，因此不会执行',
  },
} satisfies Record<string, Text>;
