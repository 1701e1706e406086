/** What the Discord adapter itself says (around the commands' own replies), in both languages. */
import type { Locale, Text } from '../../i18n/translate.js';

export const DISCORD_TEXTS = {
  shortened: {
    'en-US': 'Shortened to fit Discord: {count} more part(s) not shown. Narrow the command (--limit, filters) to see the rest.',
    'zh-CN': '为符合 Discord 的限制已截短：另有 {count} 部分未显示。请缩小命令范围（--limit、筛选条件）查看其余内容。',
  },
  moreButtons: { 'en-US': '{count} more button(s) are not shown (Discord allows 25).', 'zh-CN': '另有 {count} 个按钮未显示（Discord 最多允许 25 个）。' },
  moreOptions: { 'en-US': 'The menu shows the first {shown} of {total} choices.', 'zh-CN': '菜单仅显示 {total} 个选项中的前 {shown} 个。' },
  continued: { 'en-US': '(continued)', 'zh-CN': '（续）' },
  emptyReply: { 'en-US': '(no reply)', 'zh-CN': '（无回复）' },
  notRecorded: {
    'en-US': 'This request could not be recorded (the bot’s database did not answer), so it was not run. Try again in a moment.',
    'zh-CN': '无法记录此请求（机器人的数据库未响应），因此未执行。请稍后重试。',
  },
  alreadyReceived: { 'en-US': 'This request was already received; it is handled once.', 'zh-CN': '此请求已收到，只会处理一次。' },
  expired: { 'en-US': 'This button has expired', 'zh-CN': '此按钮已过期' },
  expiredText: {
    'en-US': 'Nothing was done. Run the command again for a fresh message.',
    'zh-CN': '未执行任何操作。请重新执行命令以获取新的消息。',
  },
  notDone: { 'en-US': 'Not done: "{label}" was not confirmed.', 'zh-CN': '未执行：未确认“{label}”。' },
  decided: { 'en-US': '✓ <@{user}> chose {label} · {time}', 'zh-CN': '✓ <@{user}> 选择了“{label}” · {time}' },
  decidedUnlabelled: { 'en-US': '✓ Decided by <@{user}> · {time}', 'zh-CN': '✓ 已由 <@{user}> 决定 · {time}' },
  notDoneShort: { 'en-US': 'Not done.', 'zh-CN': '未执行。' },
  openForm: { 'en-US': 'Open the form', 'zh-CN': '打开表单' },
  openFormAgain: { 'en-US': 'Fix and submit again', 'zh-CN': '修改后重新提交' },
  formAfterWait: {
    'en-US': 'The answer took a moment, so Discord no longer lets the form open by itself: use the button.',
    'zh-CN': '回复耗时较长，Discord 已不允许自动打开表单：请点击按钮。',
  },
  formRefused: { 'en-US': 'Nothing was submitted: please fix these fields', 'zh-CN': '未提交：请修改以下字段' },
  formStep: { 'en-US': 'Step {page} of {pages} kept. Continue with the next part of "{title}".', 'zh-CN': '已保存第 {page}/{pages} 步。请继续填写“{title}”的下一部分。' },
  formContinue: { 'en-US': 'Continue ({page}/{pages})', 'zh-CN': '继续（{page}/{pages}）' },
  draftLost: {
    'en-US': 'The earlier steps of this form are no longer here (they are kept 15 minutes, on one bot instance). Nothing was submitted; open the form again.',
    'zh-CN': '此表单之前步骤的内容已不存在（仅在一个机器人实例上保留 15 分钟）。未提交任何内容，请重新打开表单。',
  },
  searchHint: { 'en-US': 'Type the value; /coc autocompletes it in commands.', 'zh-CN': '请直接输入取值；在 /coc 命令中可自动补全。' },
  optionsHint: { 'en-US': 'One of: {options}', 'zh-CN': '可选：{options}' },
  severalHint: { 'en-US': 'Several: separate them with commas.', 'zh-CN': '多个值请用逗号分隔。' },
  secretHint: { 'en-US': 'Sensitive: never shown in messages or logs.', 'zh-CN': '敏感信息：不会出现在消息或日志中。' },
  dmFailed: {
    'en-US': '<@{user}>, a private message from coc-chatops could not reach you. Allow direct messages from this server\'s members, then ask again.',
    'zh-CN': '<@{user}>，coc-chatops 无法向您发送私信。请允许来自本服务器成员的私信后重试。',
  },
  deliveredBelow: { 'en-US': 'Answered below.', 'zh-CN': '回复见下方。' },
  badOption: { 'en-US': 'That option value cannot be used', 'zh-CN': '该选项值无法使用' },
  dashValue: {
    'en-US': 'The value of "{option}" starts with "--", which would read as an option. Give the plain value.',
    'zh-CN': '“{option}”的值以“--”开头，会被当作选项。请给出普通的值。',
  },
  openQuote: {
    'en-US': 'The value of "{option}" has a quote that is not closed. Close it, or leave quotes out.',
    'zh-CN': '“{option}”的值中有未闭合的引号。请闭合引号，或不使用引号。',
  },
  unknownCommand: { 'en-US': 'This command is not known', 'zh-CN': '未知的命令' },
  unknownCommandText: {
    'en-US': 'Discord sent a command this bot does not have (the registered commands may be out of date: run npm run discord:register).',
    'zh-CN': 'Discord 发来了本机器人没有的命令（已注册的命令可能已过期：请运行 npm run discord:register）。',
  },
} satisfies Record<string, Text>;

/** The reader's language from the Discord client's locale (en-US unless it is Chinese). */
export function localeOf(discordLocale: string | undefined): Locale {
  return discordLocale?.startsWith('zh') ? 'zh-CN' : 'en-US';
}
