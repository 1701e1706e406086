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
    'en-US': '{command} takes no plain words, got "{words}". Use its --options instead.',
    'zh-CN': '{command} 不接受普通词语，收到的是“{words}”。请改用它的 --选项。',
  },
  needsOneMoreWord: { 'en-US': '"{word}" needs one more word: {family}.', 'zh-CN': '“{word}”后面还需要一个词：{family}。' },
  unknownCommand: { 'en-US': 'unknown command "{command}".{hint} Type "help" for the list.', 'zh-CN': '未知命令“{command}”。{hint}输入“help”查看命令列表。' },
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
