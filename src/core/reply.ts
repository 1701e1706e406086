/**
 * Pieces several commands build their replies from: the shared refusal title, risk badges,
 * the "next page" command line, and a table left out when it has no rows.
 */
import type { ParsedArgs } from './args.js';
import type { Message } from './message.js';
import { label, type Coded, type RiskState, type Vocabulary } from '../backends/index.js';
import { quoted } from '../i18n/format.js';
import { RISK_DOT } from './risk-badge.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';

/** Texts several commands say alike. */
export const REPLY_TEXT = {
  notRight: { 'en-US': 'That command is not quite right', 'zh-CN': '命令格式不正确' },
  none: { 'en-US': '—', 'zh-CN': '—' },
  more: { 'en-US': 'More: {command}', 'zh-CN': '下一页：{command}' },
} satisfies Record<string, Text>;

/** `🔴 HIGH` / `🔴 高`: the platform's own level in the reader's words; an unknown level is shown as it came, with a white dot. */
export function riskBadge(vocabulary: Vocabulary, risk: Coded<RiskState>, locale: Locale): string {
  if (!risk.code) return '⚪ ?';
  const name = locale === 'en-US' ? risk.code.toUpperCase() : label(vocabulary, 'riskLevel', risk.code, locale);
  return `${RISK_DOT[risk.state]} ${name}`;
}

/** The command line that shows the next page: the same filters, the new cursor (paged lists take no switches). */
export function nextPageHint(t: Translate, command: string, args: ParsedArgs, cursorFlag: string, cursor: string | number): string {
  const parts = [command, ...args.positionals.map(quoted)];
  for (const [name, values] of args.flags) {
    if (name === cursorFlag) continue;
    for (const value of values) parts.push(`--${name} ${quoted(value)}`);
  }
  parts.push(`--${cursorFlag} ${quoted(String(cursor))}`);
  return t(REPLY_TEXT.more, { command: parts.join(' ') });
}

/** A table with a header and no rows says nothing the "none" text does not. */
export function withoutEmptyTable(message: Message): Message {
  if (!message.table || message.table.rows.length > 0) return message;
  const { table: _empty, ...rest } = message;
  return rest;
}
