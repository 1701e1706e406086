/** Texts of the dispatcher, the policy and error replies, in both languages. */
import type { Text } from '../translate.js';

export const CORE_TEXTS = {
  badCommand: { 'en-US': 'That command is not quite right', 'zh-CN': '命令有误' },
  notSent: { 'en-US': 'Not sent to {platform}: the input breaks its rules', 'zh-CN': '未发送到 {platform}：输入不符合规则' },
  notAudited: { 'en-US': 'Not sent to {platform}: the audit trail could not record it', 'zh-CN': '未发送到 {platform}：审计记录无法写入' },
  notAuditedText: {
    'en-US': 'Every change is recorded before it is sent, and the database did not take the record, so nothing reached {platform}. Try again once the database answers.',
    'zh-CN': '每项变更在发送前都会先记录，而数据库未能写入该记录，因此没有任何内容发送到 {platform}。数据库恢复后请重试。',
  },
  input: { 'en-US': 'input', 'zh-CN': '输入' },
  cocRefused: { 'en-US': '{platform} refused the request (HTTP {status})', 'zh-CN': '{platform} 拒绝了请求（HTTP {status}）' },
  cocNoReason: { 'en-US': '{platform} gave no reason.', 'zh-CN': '{platform} 未给出原因。' },
  cocRequestId: { 'en-US': '{platform} request id {id}', 'zh-CN': '{platform} 请求 ID {id}' },
  cocTimeout: { 'en-US': '{platform} did not answer in time', 'zh-CN': '{platform} 未及时响应' },
  cocTimeoutRead: { 'en-US': '{platform} did not answer within {seconds} s. Nothing was changed; try again in a moment.', 'zh-CN': '{platform} 在 {seconds} 秒内未响应。未做任何更改；请稍后重试。' },
  cocUnreachable: { 'en-US': '{platform} could not be reached', 'zh-CN': '无法连接 {platform}' },
  cocUnreachableText: { 'en-US': '{detail}. Check the endpoint and the network, then try again.', 'zh-CN': '{detail}。请检查端点和网络后重试。' },
  cocShape: { 'en-US': '{platform} answered in an unexpected form', 'zh-CN': '{platform} 的响应格式不符合预期' },
  cocCredentials: { 'en-US': '{platform} credentials could not be used', 'zh-CN': '无法使用 {platform} 凭证' },
  busy: { 'en-US': 'Busy: too many requests are waiting. Try again in {seconds} s.', 'zh-CN': '繁忙：等待处理的请求过多。请在 {seconds} 秒后重试。' },
  busyText: {
    'en-US': 'Nothing was done for this request. The bot answers the requests it has already taken first, then takes new ones.',
    'zh-CN': '此请求未执行任何操作。机器人会先处理已接收的请求，再接收新的请求。',
  },
  unexpected: { 'en-US': 'Something went wrong', 'zh-CN': '出现了意外错误' },
  unexpectedText: { 'en-US': 'The command failed unexpectedly; it has been logged.', 'zh-CN': '命令意外失败，已记录。' },
  auditWriteFailed: { 'en-US': 'Warning: this could not be written to the audit trail.', 'zh-CN': '警告：此操作未能写入审计记录。' },
  unknownForm: { 'en-US': 'This form is not known', 'zh-CN': '未知的表单' },
  unknownFormText: { 'en-US': 'No form is called "{form}".', 'zh-CN': '没有名为“{form}”的表单。' },
  unknownButton: { 'en-US': 'This button is not known', 'zh-CN': '未知的按钮' },
  unknownButtonText: { 'en-US': 'It may come from an older version of the bot. Run the command again.', 'zh-CN': '它可能来自旧版本的机器人，请重新执行命令。' },
  mayNotUse: { 'en-US': 'You may not use "{command}" here', 'zh-CN': '您不能在此处使用“{command}”' },
  mayNotDo: { 'en-US': 'You may not do that here', 'zh-CN': '您不能在此处执行该操作' },
  deniedRole: {
    'en-US': 'This needs the {required} role or higher; you are {role}. Ask an admin if you need more.',
    'zh-CN': '此操作需要 {required} 或更高角色；您的角色是 {role}。如需更多权限，请联系管理员。',
  },
  deniedChannel: {
    'en-US': '"{family}" commands are not allowed in this channel. Try a channel where they are.',
    'zh-CN': '此频道不允许“{family}”类命令，请到允许的频道使用。',
  },
  deniedDm: {
    'en-US': 'Changes are not made from direct messages, where nobody else sees them. Use a team channel.',
    'zh-CN': '不在私信中执行变更（其他人看不到）。请在团队频道中操作。',
  },
  unmapped: { 'en-US': 'You are not linked to a COC (IAM) user yet', 'zh-CN': '您尚未关联 COC（IAM）用户' },
  unmappedText: {
    'en-US': 'Nothing was done. Ask a coc-chatops admin to link you: {slash} admin link {user} <iam-user-name> <viewer|operator|approver|admin> (your {platform} id is {user}{where}).',
    'zh-CN': '未执行任何操作。请让 coc-chatops 管理员为您关联：{slash} admin link {user} <IAM用户名> <viewer|operator|approver|admin>（您的 {platform} ID 是 {user}{where}）。',
  },
  inWorkspace: { 'en-US': ' in workspace {workspace}', 'zh-CN': '，工作区 {workspace}' },
  helpTitle: { 'en-US': 'coc-chatops commands you can use here', 'zh-CN': '您在此处可用的 coc-chatops 命令' },
  helpColumns: { 'en-US': 'COMMAND|WHAT IT DOES', 'zh-CN': '命令|用途' },
  helpFooter: { 'en-US': 'You are {user} ({role}). Type "help <command>" for its options.', 'zh-CN': '您是 {user}（{role}）。输入“help <命令>”查看其选项。' },
  usage: { 'en-US': 'Usage: {slash} {usage}', 'zh-CN': '用法：{slash} {usage}' },
  needsRole: { 'en-US': 'Needs the {role} role. Examples: {examples}', 'zh-CN': '需要 {role} 角色。示例：{examples}' },
} satisfies Record<string, Text>;
