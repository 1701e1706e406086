/** Texts of the command-line parser's refusals, in both languages (what was wrong, what is allowed). */
import type { Text } from '../translate.js';

export const ARG_TEXTS = {
  unknownOption: { 'en-US': 'unknown option --{name}.{hint} Allowed: {allowed}.', 'zh-CN': '未知选项 --{name}。{hint}可用选项：{allowed}。' },
  didYouMeanOption: { 'en-US': ' Did you mean --{hint}?', 'zh-CN': '您是不是想输入 --{hint}？' },
  none: { 'en-US': 'none', 'zh-CN': '无' },
  needsValue: { 'en-US': '--{name} needs a value: {description}.', 'zh-CN': '--{name} 需要一个值：{description}。' },
  switchTakesNoValue: { 'en-US': '--{name} is a switch and takes no value.', 'zh-CN': '--{name} 是开关选项，不接受值。' },
  givenTwice: { 'en-US': '--{name} was given more than once; give it once.', 'zh-CN': '--{name} 给出了多次；只能给一次。' },
  noPlainWords: {
    'en-US': '{command} takes no plain words, got "{words}". Use its --options instead (type "help {command}").',
    'zh-CN': '{command} 不接受普通词语，收到的是“{words}”。请改用它的 --选项（输入“help {command}”查看）。',
  },
  needsOneMoreWord: { 'en-US': '"{word}" needs one more word: {family}.', 'zh-CN': '“{word}”后面还需要一个词：{family}。' },
  notOnThisPlatform: {
    'en-US': '"{command}" is not available here: {platform} does not offer it. Type "help" for what is.',
    'zh-CN': '此处不能使用“{command}”：{platform} 不提供该功能。输入“help”查看可用命令。',
  },
  unknownCommand: { 'en-US': 'unknown command "{command}".{hint} Type "help" for the list.', 'zh-CN': '未知命令“{command}”。{hint}输入“help”查看命令列表。' },
  noCommandToExplain: { 'en-US': 'No command "{command}".{hint} Type "help" for the list.', 'zh-CN': '没有“{command}”这个命令。{hint}输入“help”查看命令列表。' },
  didYouMeanCommand: { 'en-US': ' Did you mean "{hint}"?', 'zh-CN': '您是不是想输入“{hint}”？' },
  brokenText: {
    'en-US': '{what} holds a broken character (an unpaired UTF-16 surrogate) at position {at}. Nothing was done; retype it.',
    'zh-CN': '{what}在第 {at} 个位置含有损坏的字符（不成对的 UTF-16 代理项）。未执行任何操作，请重新输入。',
  },
  unclosedQuote: { 'en-US': 'a {quote} quote is not closed', 'zh-CN': '{quote} 引号没有闭合' },
} satisfies Record<string, Text>;

export const BROKEN_TEXT_PLACES = {
  command: { 'en-US': 'The command', 'zh-CN': '命令' },
  button: { 'en-US': "The button's value", 'zh-CN': '按钮的值' },
  field: { 'en-US': 'The field "{field}"', 'zh-CN': '字段“{field}”' },
  formState: { 'en-US': "The form's state", 'zh-CN': '表单的状态' },
} satisfies Record<string, Text>;

/**
 * Refusals of typed arguments (src/core/arguments), worded as the flag readers they replace
 * word them today, and the pieces of generated usage lines and help.
 */
export const TYPED_ARG_TEXTS = {
  notRight: { 'en-US': 'That command is not quite right', 'zh-CN': '命令格式不正确' },
  wholeNumber: {
    'en-US': '--{name} must be a whole number from {min} to {max}, got "{value}".',
    'zh-CN': '--{name} 必须是 {min} 到 {max} 之间的整数，收到的是“{value}”。',
  },
  wholeNumberAt: {
    'en-US': '"{value}" is not {aWhat}: give a whole number from {min} to {max}.',
    'zh-CN': '“{value}”不是有效的{what}：请给出 {min} 到 {max} 之间的整数。',
  },
  notAllowed: { 'en-US': '--{name} "{value}" is not allowed.{hint} Allowed: {allowed}.', 'zh-CN': '--{name} 不接受“{value}”。{hint}可选值：{allowed}。' },
  notAllowedAt: { 'en-US': '"{value}" is not {aWhat}.{hint} Allowed: {allowed}.', 'zh-CN': '“{value}”不是有效的{what}。{hint}可选值：{allowed}。' },
  // A choice list this platform leaves empty: said as such, never as "Allowed: ." (nothing).
  noChoices: { 'en-US': '--{name} "{value}" cannot be used here: this platform offers nothing to choose for --{name}. Leave it out.', 'zh-CN': '--{name} “{value}”在此无法使用：此平台没有可供 --{name} 选择的值。请省略它。' },
  noChoicesAt: { 'en-US': '"{value}" cannot be used here: this platform offers no {what} to choose from.', 'zh-CN': '“{value}”在此无法使用：此平台没有可选的{what}。' },
  didYouMean: { 'en-US': ' Did you mean {value}?', 'zh-CN': '您是不是想输入 {value}？' },
  severalHint: { 'en-US': ' Several at once: separate them with commas.', 'zh-CN': '可用逗号分隔多个值。' },
  tooLong: { 'en-US': '--{name} may be at most {max} characters, got {length}.', 'zh-CN': '--{name} 最多 {max} 个字符，收到的是 {length} 个。' },
  tooShort: { 'en-US': '--{name} needs at least {min} characters, got {length}.', 'zh-CN': '--{name} 至少需要 {min} 个字符，收到的是 {length} 个。' },
  tooLongAt: { 'en-US': 'The {what} may be at most {max} characters, got {length}.', 'zh-CN': '{what}最多 {max} 个字符，收到的是 {length} 个。' },
  tooShortAt: { 'en-US': 'The {what} needs at least {min} characters, got {length}.', 'zh-CN': '{what}至少需要 {min} 个字符，收到的是 {length} 个。' },
  blankAt: { 'en-US': 'The {what} must not be empty.', 'zh-CN': '{what}不能为空。' },
  blank: { 'en-US': '--{name} must not be empty.', 'zh-CN': '--{name} 不能为空。' },
  badPattern: { 'en-US': '--{name} "{value}" is not allowed: {says}.', 'zh-CN': '--{name} 不接受“{value}”：{says}。' },
  badPatternAt: { 'en-US': '"{value}" is not {aWhat}: {says}.', 'zh-CN': '“{value}”不是有效的{what}：{says}。' },
  keyValue: {
    'en-US': '{name} must look like key=value (for example {name} env=prod), got "{value}".',
    'zh-CN': '{name} 的格式应为 key=value（例如 {name} env=prod），收到的是“{value}”。',
  },
  badKey: { 'en-US': '{name}: the key "{key}" is not allowed.', 'zh-CN': '{name}：不接受键“{key}”。' },
  valueTooLong: { 'en-US': '{name}: the value may be at most {max} characters, got {length}.', 'zh-CN': '{name}：值最多 {max} 个字符，收到的是 {length} 个。' },
  hiddenValue: {
    'en-US': '{name} holds {hidden}, the placeholder a remembered line keeps instead of the value: type the real value.',
    'zh-CN': '{name} 的值是 {hidden}（历史记录中代替真实值的占位符），请输入真实的值。',
  },
  tooManyHosts: { 'en-US': '{name} names {count} hosts; at most {max} at once.', 'zh-CN': '{name} 指定了 {count} 台主机；一次最多 {max} 台。' },
  noHosts: { 'en-US': '{name} names no host.', 'zh-CN': '{name} 没有指定任何主机。' },
  badSince: { 'en-US': '{name} "{value}" is not a time', 'zh-CN': '{name} “{value}”不是有效的时间' },
  badSinceText: {
    'en-US': 'Give a duration back from now (30m, 2h, 1d, 2w) or a UTC date or time (2026-05-01, 2026-05-01T08:00Z).',
    'zh-CN': '请给出距现在的时长（30m、2h、1d、2w）或 UTC 日期/时间（2026-05-01、2026-05-01T08:00Z）。',
  },
  futureSince: { 'en-US': '{name} "{value}" is in the future', 'zh-CN': '{name} “{value}”是将来的时间' },
  futureSinceText: { 'en-US': 'Give a time in the past.', 'zh-CN': '请给出过去的时间。' },
  badDuration: {
    'en-US': '{name} must be a duration such as 30s, 5m or 2h, from {min} to {max}, got "{value}".',
    'zh-CN': '{name} 必须是 30s、5m、2h 这样的时长，范围 {min} 到 {max}，收到的是“{value}”。',
  },
  badId: { 'en-US': '"{value}" is not {what}', 'zh-CN': '“{value}”不是有效的{what}' },
  badIdText: { 'en-US': 'For example {example}.', 'zh-CN': '例如 {example}。' },
  missingPositional: { 'en-US': 'Which {what}? Usage: {usage}', 'zh-CN': '请指明{what}。用法：{usage}' },
  /** Several problems in one line, each on its own line. */
  problems: { 'en-US': '{count} things to fix:\n{items}', 'zh-CN': '有 {count} 处需要修改：\n{items}' },
  problemItem: { 'en-US': '• {problem}', 'zh-CN': '• {problem}' },
  titledProblem: { 'en-US': '{title}: {text}', 'zh-CN': '{title}：{text}' },
  flagSubject: { 'en-US': '--{name}', 'zh-CN': '--{name}' },
  anArticle: { 'en-US': 'an {what}', 'zh-CN': '{what}' },
  aArticle: { 'en-US': 'a {what}', 'zh-CN': '{what}' },
  extraWords: { 'en-US': 'Unexpected "{words}". Usage: {usage}', 'zh-CN': '多余的内容“{words}”。用法：{usage}' },
  missingFlag: { 'en-US': '--{name} is needed: {description}. Usage: {usage}', 'zh-CN': '需要 --{name}：{description}。用法：{usage}' },
  oneOf: { 'en-US': 'Give only one of {flags}.', 'zh-CN': '{flags} 只能给出其中一个。' },
  or: { 'en-US': ' or ', 'zh-CN': ' 或 ' },
  range: { 'en-US': '{min}-{max}', 'zh-CN': '{min}-{max}' },
  defaultIs: { 'en-US': 'default {value}', 'zh-CN': '默认 {value}' },
  several: { 'en-US': 'several, comma separated', 'zh-CN': '可多个，逗号分隔' },
  repeatable: { 'en-US': 'may be given more than once', 'zh-CN': '可多次给出' },
  switch: { 'en-US': 'a switch', 'zh-CN': '开关' },
  hostsPlaceholder: { 'en-US': 'host,host', 'zh-CN': '主机,主机' },
  keyValuePlaceholder: { 'en-US': 'key=value', 'zh-CN': '键=值' },
  sincePlaceholder: { 'en-US': '30m|2h|1d|2w|date', 'zh-CN': '30m|2h|1d|2w|日期' },
  durationPlaceholder: { 'en-US': '30s|5m|2h', 'zh-CN': '30s|5m|2h' },
  textPlaceholder: { 'en-US': 'text', 'zh-CN': '文本' },
  secretPlaceholder: { 'en-US': 'secret', 'zh-CN': '密文' },
  hostsMax: { 'en-US': 'at most {max}', 'zh-CN': '最多 {max} 个' },
  maxCharacters: { 'en-US': 'at most {max} characters', 'zh-CN': '最多 {max} 个字符' },
  withDetails: { 'en-US': '{description} ({details})', 'zh-CN': '{description}（{details}）' },
  detailsSeparator: { 'en-US': ', ', 'zh-CN': '，' },
  fieldWholeNumber: { 'en-US': 'a whole number from {min} to {max}', 'zh-CN': '{min} 到 {max} 之间的整数' },
  fieldNeeded: { 'en-US': 'needed', 'zh-CN': '必填' },
  fieldOneOf: { 'en-US': 'one of: {values}', 'zh-CN': '可选值：{values}' },
  fieldNo: { 'en-US': 'No', 'zh-CN': '否' },
  fieldYes: { 'en-US': 'Yes', 'zh-CN': '是' },
  fieldYesMeaning: { 'en-US': 'Yes: {meaning}', 'zh-CN': '是：{meaning}' },
  discordSeveral: { 'en-US': '{description} (several: separate with spaces)', 'zh-CN': '{description}（多个：以空格分隔）' },
} satisfies Record<string, Text>;
