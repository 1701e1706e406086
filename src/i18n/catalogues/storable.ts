/**
 * Refusals of text a store cannot hold (a NUL byte, an unpaired UTF-16 surrogate), in both
 * languages: which field, what was wrong, what is allowed. Nothing was done when they are said.
 */
import type { Text } from '../translate.js';

export const STORABLE_TEXTS = {
  nul: {
    'en-US': '{what} holds a NUL character (U+0000) at position {at}, which cannot be stored. Nothing was done; retype it without that character (any other text is fine).',
    'zh-CN': '{what}在第 {at} 个位置含有 NUL 字符（U+0000），无法保存。未执行任何操作，请去掉该字符后重新输入（其他文字均可）。',
  },
  surrogate: {
    'en-US': '{what} holds a broken character (an unpaired UTF-16 surrogate) at position {at}, which cannot be stored. Nothing was done; retype it (any letters, digits, punctuation or emoji are fine).',
    'zh-CN': '{what}在第 {at} 个位置含有损坏的字符（不成对的 UTF-16 代理项），无法保存。未执行任何操作，请重新输入（任何文字、数字、标点或表情均可）。',
  },
  /** Shown next to a form field, which already names it. */
  fieldNul: {
    'en-US': 'holds a NUL character (U+0000) at position {at}, which cannot be stored; nothing was submitted. Retype it without that character.',
    'zh-CN': '第 {at} 个位置含有 NUL 字符（U+0000），无法保存；未提交任何内容。请去掉该字符后重新输入。',
  },
  fieldSurrogate: {
    'en-US': 'holds a broken character (an unpaired UTF-16 surrogate) at position {at}, which cannot be stored; nothing was submitted. Retype it.',
    'zh-CN': '第 {at} 个位置含有损坏的字符（不成对的 UTF-16 代理项），无法保存；未提交任何内容。请重新输入。',
  },
  formTitle: { 'en-US': 'Nothing was submitted: a field holds text that cannot be stored', 'zh-CN': '未提交：某个字段含有无法保存的文字' },
  option: { 'en-US': 'The option --{name}', 'zh-CN': '选项 --{name}' },
} satisfies Record<string, Text>;
