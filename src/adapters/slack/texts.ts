/** What the Slack adapter itself says (around the commands' own replies), in both languages. */
export const SLACK_TEXTS = {
  shortened: {
    'en-US': 'Shortened to fit Slack: {count} more part(s) not shown. Narrow the command (--limit, filters) to see the rest.',
    'zh-CN': '为符合 Slack 的限制已截短：另有 {count} 部分未显示。请缩小命令范围（--limit、筛选条件）查看其余内容。',
  },
  moreRows: { 'en-US': '… {count} more row(s) not shown', 'zh-CN': '… 另有 {count} 行未显示' },
  moreFields: { 'en-US': '… {count} more field(s) not shown', 'zh-CN': '… 另有 {count} 个字段未显示' },
  moreText: { 'en-US': '… ({count} more characters not shown)', 'zh-CN': '…（另有 {count} 个字符未显示）' },
  moreOptions: { 'en-US': 'The menu shows the first {shown} of {total} choices; type to search.', 'zh-CN': '菜单仅显示 {total} 个选项中的前 {shown} 个；输入文字可搜索。' },
  longValues: {
    'en-US': '{count} choice(s) or button(s) could not be offered in Slack (their value is too long).',
    'zh-CN': '有 {count} 个选项或按钮无法在 Slack 中提供（其值过长）。',
  },
  working: { 'en-US': 'Working on `/coc {command}`…', 'zh-CN': '正在处理 `/coc {command}`…' },
  alreadyHandled: { 'en-US': 'This request is already being handled; its answer comes once.', 'zh-CN': '此请求已在处理中，回复只会出现一次。' },
  notRecorded: {
    'en-US': 'This request could not be recorded (the bot’s database did not answer), so it was not run. Try again in a moment.',
    'zh-CN': '无法记录此请求（机器人的数据库未响应），因此未执行。请稍后重试。',
  },
  formNotOpened: {
    'en-US': 'The form "{title}" could not be opened in Slack ({reason}). Nothing was submitted; run the command again.',
    'zh-CN': '无法在 Slack 中打开表单“{title}”（{reason}）。未提交任何内容；请重新执行命令。',
  },
  formTooLarge: { 'en-US': 'it is larger than Slack allows', 'zh-CN': '超出 Slack 允许的大小' },
  formExpired: { 'en-US': 'Slack no longer allowed it to open', 'zh-CN': 'Slack 已不允许打开' },
  formRefused: { 'en-US': 'Nothing was submitted: please fix these fields', 'zh-CN': '未提交：请修改以下字段' },
  formClose: { 'en-US': 'Cancel', 'zh-CN': '取消' },
  secretHint: {
    'en-US': 'Sensitive: never shown in any message, log or audit record.',
    'zh-CN': '敏感信息：不会出现在任何消息、日志或审计记录中。',
  },
  incidentThread: {
    'en-US': ':rotating_light: Incident {num}: {title}. Its updates follow in this thread.',
    'zh-CN': ':rotating_light: 事件 {num}：{title}。后续更新见本话题。',
  },
  incidentPeople: { 'en-US': 'People: {people}', 'zh-CN': '相关人员：{people}' },
  keepTypingGroup: { 'en-US': 'Still searching: keep typing to narrow', 'zh-CN': '仍在搜索：请继续输入以缩小范围' },
  keepTypingOption: { 'en-US': 'Still searching… keep typing', 'zh-CN': '仍在搜索…请继续输入' },
  placeholderTitle: { 'en-US': 'One moment', 'zh-CN': '请稍候' },
  placeholderText: {
    'en-US': ':hourglass_flowing_sand: Asking COC… This window fills in when the answer comes.',
    'zh-CN': ':hourglass_flowing_sand: 正在询问 COC… 收到答复后此窗口会自动更新。',
  },
  workingTitle: { 'en-US': 'Working', 'zh-CN': '处理中' },
  workingText: {
    'en-US': ':hourglass_flowing_sand: Submitted. Waiting for COC… This window shows the next step or the answer when it comes.',
    'zh-CN': ':hourglass_flowing_sand: 已提交，正在等待 COC… 收到答复后此窗口会显示下一步或结果。',
  },
  answerTitle: { 'en-US': 'Answer', 'zh-CN': '结果' },
  answerClose: { 'en-US': 'Close', 'zh-CN': '关闭' },
  answerAlsoPosted: {
    'en-US': 'The buttons and choices are in the message posted in the conversation.',
    'zh-CN': '按钮和选项在会话中发布的消息里。',
  },
  settled: { 'en-US': '✓ {who} chose {choice} · {time} UTC', 'zh-CN': '✓ {who} 选择了“{choice}” · {time} UTC' },
  noIncidentChannel: {
    'en-US': 'no Slack channel for incident threads: set incidents.slack.channel (SLACK_INCIDENT_CHANNEL) or create the incident from a channel',
    'zh-CN': '没有用于事件话题的 Slack 频道：请设置 incidents.slack.channel（SLACK_INCIDENT_CHANNEL），或在频道中创建事件',
  },
} as const;
