/**
 * What the bot says about a file argument: where it could not be read, and what is allowed.
 * `{name}` is the flag (`--content`), `{file}` the file's own name.
 */
export const FILE_TEXTS = {
  placeholder: { 'en-US': 'file', 'zh-CN': '文件' },
  /** Short: Discord's option descriptions say it too, within their 8000-character budget. */
  allowed: { 'en-US': 'UTF-8 text, at most {kb} KB', 'zh-CN': 'UTF-8 文本，最多 {kb} KB' },
  /** `{name}` as refusals name the argument: `--content`. */
  blank: { 'en-US': '{name} needs a file.', 'zh-CN': '{name} 需要一个文件。' },
  title: { 'en-US': '--{name}: the file cannot be used', 'zh-CN': '--{name}：无法使用该文件' },
  missing: { 'en-US': 'No such file: {file}.', 'zh-CN': '没有这个文件：{file}。' },
  notRegular: { 'en-US': '{file} is not a file (a folder, a device or a link to one).', 'zh-CN': '{file} 不是普通文件（而是文件夹、设备或指向它们的链接）。' },
  tooLarge: { 'en-US': '{file} is larger than {kb} KB ({bytes} bytes; at most {max}).', 'zh-CN': '{file} 大于 {kb} KB（{bytes} 字节；最多 {max}）。' },
  notText: { 'en-US': '{file} is not a text file (only UTF-8 text is taken).', 'zh-CN': '{file} 不是文本文件（只接受 UTF-8 文本）。' },
  empty: { 'en-US': '{file} is empty.', 'zh-CN': '{file} 是空的。' },
  forbidden: { 'en-US': 'The bot may not read {file}: {why}', 'zh-CN': '机器人无权读取 {file}：{why}' },
  otherHost: { 'en-US': '{file} is not stored on {hosts}; files are only downloaded from there.', 'zh-CN': '{file} 不在 {hosts} 上；文件只从那里下载。' },
  unavailable: { 'en-US': '{file} could not be fetched now ({why}); try again in a moment.', 'zh-CN': '暂时无法获取 {file}（{why}），请稍后再试。' },
  unrecognised: { 'en-US': '"{file}" does not name a file here. {how}', 'zh-CN': '“{file}”在这里不指向任何文件。{how}' },
  noFilesHere: { 'en-US': 'Files cannot be given here. {how}', 'zh-CN': '这里不能提供文件。{how}' },
  allowedLine: { 'en-US': 'Allowed: {allowed}.', 'zh-CN': '允许：{allowed}。' },
  /** How each surface names a file, said after a reference it could not read. */
  howTerminal: { 'en-US': 'Give the path of a text file on this machine.', 'zh-CN': '请提供本机上文本文件的路径。' },
  howSlack: {
    'en-US': 'Share the file in this conversation, then give its link (or its id, F…).',
    'zh-CN': '请先在此会话中分享文件，再提供它的链接（或 F 开头的 id）。',
  },
  howDiscord: { 'en-US': 'Attach the file to the command.', 'zh-CN': '请把文件附加到命令上。' },
  howForm: { 'en-US': 'Paste the text into the form instead.', 'zh-CN': '请改为把文本粘贴到表单中。' },
  whyPermission: { 'en-US': 'permission denied.', 'zh-CN': '权限不足。' },
  whyUnreadable: { 'en-US': 'it could not be read ({code})', 'zh-CN': '无法读取（{code}）' },
  whyNotShared: {
    'en-US': 'it was neither shared by you nor shared in this conversation.',
    'zh-CN': '它既不是你分享的，也没有分享在此会话中。',
  },
  whyNotVisible: { 'en-US': 'Slack does not show it to the bot (deleted, or shared where the bot is not).', 'zh-CN': 'Slack 不向机器人显示它（已删除，或分享在机器人不在的地方）。' },
  whyRateLimited: { 'en-US': 'the chat platform asks to wait {seconds} s', 'zh-CN': '聊天平台要求等待 {seconds} 秒' },
  whyRefused: { 'en-US': 'the chat platform refused: {code}', 'zh-CN': '聊天平台拒绝：{code}' },
  whyNoAnswer: { 'en-US': 'the chat platform did not answer', 'zh-CN': '聊天平台没有响应' },
  whyDownload: { 'en-US': 'the download answered HTTP {status}', 'zh-CN': '下载返回 HTTP {status}' },
  formText: { 'en-US': 'The text', 'zh-CN': '该文本' },
  formHint: { 'en-US': 'Paste the text: {allowed}.', 'zh-CN': '粘贴文本：{allowed}。' },
} as const;
