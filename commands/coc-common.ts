/**
 * What `scripts`, `public scripts`, `hosts`, `patch` and `alarm` share: reading flags with
 * refusals in the reader's language that say what is allowed, risk badges, times, masking of
 * sensitive values, and the "next page" command line.
 *
 * A handler throws `Refusal` (through `refuse`) from anywhere; `guarded` turns it into the
 * reply, so checks can live in small helpers instead of every handler's main line.
 */
import { suggest, type ParsedArgs } from '../src/core/args.js';
import type { CommandContext } from '../src/core/command.js';
import { flagValue } from '../src/core/flags.js';
import type { Message } from '../src/core/message.js';
import { Refusal, refuse } from '../src/core/refusal.js';
import { label, type Coded, type RiskState, type Vocabulary } from '../src/backends/index.js';
import type { Locale, Text, Translate } from '../src/i18n/translate.js';

export const TEXT = {
  notRight: { 'en-US': 'That command is not quite right', 'zh-CN': '命令格式不正确' },
  noWords: {
    'en-US': '{command} takes no plain words, got "{words}". Use its --options instead (type "help {command}").',
    'zh-CN': '{command} 不接受普通参数，收到的是“{words}”。请改用它的 --选项（输入 "help {command}" 查看）。',
  },
  wholeNumber: {
    'en-US': '--{name} must be a whole number from {min} to {max}, got "{value}".',
    'zh-CN': '--{name} 必须是 {min} 到 {max} 之间的整数，收到的是“{value}”。',
  },
  notAllowed: {
    'en-US': '--{name} "{value}" is not allowed.{hint} Allowed: {allowed}.',
    'zh-CN': '--{name} 不接受“{value}”。{hint}可选值：{allowed}。',
  },
  didYouMean: { 'en-US': ' Did you mean {value}?', 'zh-CN': '您是不是想输入 {value}？' },
  tooLong: {
    'en-US': '--{name} may be at most {max} characters, got {length}.',
    'zh-CN': '--{name} 最多 {max} 个字符，收到的是 {length} 个。',
  },
  blank: { 'en-US': '--{name} must not be empty.', 'zh-CN': '--{name} 不能为空。' },
  keyValue: {
    'en-US': '--{name} must look like key=value (for example --{name} env=prod), got "{value}".',
    'zh-CN': '--{name} 的格式应为 key=value（例如 --{name} env=prod），收到的是“{value}”。',
  },
  oneTarget: {
    'en-US': 'Say which {what}: {usage}',
    'zh-CN': '请指明{what}：{usage}',
  },
  oneTargetOnly: {
    'en-US': 'Give one {what}, got {count} words: "{words}". Usage: {usage}',
    'zh-CN': '只能给出一个{what}，收到了 {count} 个词：“{words}”。用法：{usage}',
  },
  badRegion: {
    'en-US': '--{name} must be a region id such as cn-north-4 or ap-southeast-3, got "{value}".',
    'zh-CN': '--{name} 必须是区域 ID，例如 cn-north-4 或 ap-southeast-3，收到的是“{value}”。',
  },
  none: { 'en-US': '—', 'zh-CN': '—' },
  more: { 'en-US': 'More: {command}', 'zh-CN': '下一页：{command}' },
} satisfies Record<string, Text>;

export { Refusal, refuse } from '../src/core/refusal.js';

/** A command handler whose `Refusal`s become its reply. */
export function guarded<A>(run: (context: CommandContext, args: A) => Promise<Message>): (context: CommandContext, args: A) => Promise<Message> {
  return async (context, args) => {
    try {
      return await run(context, args);
    } catch (error) {
      if (error instanceof Refusal) return error.reply;
      throw error;
    }
  };
}

/** Printable, one line, at most `max` characters: for echoing what somebody typed. */
export function shown(value: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const flat = Array.from(value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' '));
  return flat.length > max ? `${flat.slice(0, max - 1).join('')}…` : flat.join('');
}

export function noWords(t: Translate, args: ParsedArgs, command: string): void {
  if (args.positionals.length > 0) refuse(t(TEXT.notRight), t(TEXT.noWords, { command, words: shown(args.positionals.join(' ')) }));
}

/** Exactly one plain word after the command: a name or an id. */
export function oneTarget(t: Translate, args: ParsedArgs, what: Text, usage: string): string {
  const words = args.positionals;
  if (words.length === 0) refuse(t(TEXT.notRight), t(TEXT.oneTarget, { what: t(what), usage }));
  if (words.length > 1) refuse(t(TEXT.notRight), t(TEXT.oneTargetOnly, { what: t(what), count: words.length, words: shown(words.join(' ')), usage }));
  return words[0]!;
}

export function wholeNumber(t: Translate, args: ParsedArgs, name: string, min: number, max: number, fallback: number): number {
  const raw = flagValue(args, name);
  if (raw === undefined) return fallback;
  const value = /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) refuse(t(TEXT.notRight), t(TEXT.wholeNumber, { name, min, max, value: shown(raw) }));
  return value;
}

/** How a choice is typed: lower case, `-` for `_` (`non-compliant`, `installed-other`). */
export function typed(value: string): string {
  return value.toLowerCase().replace(/_/g, '-');
}

/** One of `choices`, typed in any case and with `-` or `_`; the refusal lists them all. */
export function choice<T extends string>(t: Translate, args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const raw = flagValue(args, name);
  if (raw === undefined) return undefined;
  const match = choices.find((c) => typed(c) === typed(raw.trim()));
  if (match) return match;
  const hint = suggest(typed(raw), choices.map(typed));
  refuse(
    t(TEXT.notRight),
    t(TEXT.notAllowed, { name, value: shown(raw), hint: hint ? t(TEXT.didYouMean, { value: hint }) : '', allowed: choices.map(typed).join(', ') }),
  );
}

/** A free-text flag, trimmed, 1..max characters (what COC accepts for that field). */
export function textFlag(t: Translate, args: ParsedArgs, name: string, max: number): string | undefined {
  const raw = flagValue(args, name);
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (value === '') refuse(t(TEXT.notRight), t(TEXT.blank, { name }));
  const length = Array.from(value).length;
  if (length > max) refuse(t(TEXT.notRight), t(TEXT.tooLong, { name, max, length }));
  return value;
}

export function keyValue(t: Translate, args: ParsedArgs, name: string): { key: string; value: string } | undefined {
  const raw = flagValue(args, name);
  if (raw === undefined) return undefined;
  const eq = raw.indexOf('=');
  if (eq <= 0) refuse(t(TEXT.notRight), t(TEXT.keyValue, { name, value: shown(raw) }));
  return { key: raw.slice(0, eq).trim(), value: raw.slice(eq + 1).trim() };
}

/** Region ids: lower-case words and digits joined by dashes (cn-north-4, eu-west-101). */
const REGION_ID = /^[a-z]{2,}(?:-[a-z0-9]+){1,4}$/;

export function regionFlag(t: Translate, args: ParsedArgs, name = 'region'): string | undefined {
  const region = textFlag(t, args, name, 64);
  if (region !== undefined && !REGION_ID.test(region)) refuse(t(TEXT.notRight), t(TEXT.badRegion, { name, value: shown(region) }));
  return region;
}

const RISK_DOT: Readonly<Record<RiskState, string>> = { low: '🟢', medium: '🟡', high: '🔴', unclassified: '⚪' };

/** `🔴 HIGH` / `🔴 高`: the platform's own level in the reader's words; an unknown level is shown as it came, with a white dot. */
export function riskBadge(vocabulary: Vocabulary, risk: Coded<RiskState>, locale: Locale): string {
  if (!risk.code) return '⚪ ?';
  const name = locale === 'en-US' ? risk.code.toUpperCase() : label(vocabulary, 'riskLevel', risk.code, locale);
  return `${RISK_DOT[risk.state]} ${name}`;
}

/** `2025-04-27 12:31 UTC`, or a dash. */
export function utcTime(ms: number | null | undefined, t: Translate): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return t(TEXT.none);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A command-line word, quoted when it has to be. */
export function quoted(word: string): string {
  return /^[^\s"'“”‘’\\]+$/.test(word) ? word : `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The command line that shows the next page: the same filters, the new cursor (paged lists take no switches). */
export function nextPageHint(t: Translate, command: string, args: ParsedArgs, cursorFlag: string, cursor: string | number): string {
  const parts = [command, ...args.positionals.map(quoted)];
  for (const [name, values] of args.flags) {
    if (name === cursorFlag) continue;
    for (const value of values) parts.push(`--${name} ${quoted(value)}`);
  }
  parts.push(`--${cursorFlag} ${quoted(String(cursor))}`);
  return t(TEXT.more, { command: parts.join(' ') });
}

/** What stands in for a sensitive value wherever it would be shown. */
export const MASK = '••••••';
