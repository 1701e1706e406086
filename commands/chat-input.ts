/**
 * What the orders, incidents, run and approvals commands share: refusals in the reader's
 * language, flag readers whose refusals say what is allowed (in both languages), id checks,
 * and time and duration formatting.
 */
import type { ParsedArgs } from '../src/core/args.js';
import type { Message, Tone } from '../src/core/message.js';
import { flagValue } from '../src/core/flags.js';
import { parseSince } from '../src/core/arguments/since.js';
import { Refusal } from '../src/core/refusal.js';
import type { Locale, Text, Translate } from '../src/i18n/translate.js';

export { duration, utcTime } from '../src/i18n/format.js';

const TEXT = {
  badSince: { 'en-US': '--since "{value}" is not a time', 'zh-CN': '--since “{value}”不是有效的时间' },
  badSinceText: {
    'en-US': 'Give a duration back from now (30m, 2h, 1d, 2w) or a UTC date or time (2026-05-01, 2026-05-01T08:00Z).',
    'zh-CN': '请给出距现在的时长（30m、2h、1d、2w）或 UTC 日期/时间（2026-05-01、2026-05-01T08:00Z）。',
  },
  futureSince: { 'en-US': '--since "{value}" is in the future', 'zh-CN': '--since “{value}”是将来的时间' },
  futureSinceText: { 'en-US': 'Give a time in the past.', 'zh-CN': '请给出过去的时间。' },
  badNumber: { 'en-US': '--{name} "{value}" is not allowed', 'zh-CN': '--{name} “{value}”不被允许' },
  badNumberText: { 'en-US': 'Give a whole number from {min} to {max}.', 'zh-CN': '请给出 {min} 到 {max} 之间的整数。' },
  badChoice: { 'en-US': '--{name} "{value}" is not allowed', 'zh-CN': '--{name} “{value}”不被允许' },
  badChoiceText: { 'en-US': 'Allowed: {allowed}.{hint}', 'zh-CN': '可选值：{allowed}。{hint}' },
  severalHint: { 'en-US': ' Several at once: separate them with commas.', 'zh-CN': '可用逗号分隔多个值。' },
  badId: { 'en-US': '"{value}" is not {what}', 'zh-CN': '“{value}”不是有效的{what}' },
  badIdText: {
    'en-US': '{What} is 1-64 letters, digits, "-" or "_", for example {example}.',
    'zh-CN': '{What}由 1-64 个字母、数字、“-”或“_”组成，例如 {example}。',
  },
  missingIdText: { 'en-US': 'Usage: {usage}', 'zh-CN': '用法：{usage}' },
  plainWords: { 'en-US': '{command} takes no plain words, got "{words}"', 'zh-CN': '{command} 不接受这些内容：“{words}”' },
  extraWords: { 'en-US': 'Unexpected "{words}"', 'zh-CN': '多余的内容“{words}”' },
  extraWordsText: { 'en-US': 'Usage: {usage}', 'zh-CN': '用法：{usage}' },
} satisfies Record<string, Text>;

export { Refusal } from '../src/core/refusal.js';

/** Runs a handler, turning a thrown Refusal into its reply; anything else goes to the dispatcher. */
export async function guarded(run: () => Promise<Message>): Promise<Message> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Refusal) return error.reply;
    throw error;
  }
}

/** Visible but harmless: at most 60 characters, control characters removed. */
export function shown(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

/** Moved to src/core/arguments/since.ts, where typed `since` arguments read it too. */
export { parseSince };

/** `--since` as epoch ms, or undefined when not given. */
export function sinceFlag(args: ParsedArgs, t: Translate, nowMs: number = Date.now()): number | undefined {
  const raw = flagValue(args, 'since');
  if (raw === undefined) return undefined;
  const ms = parseSince(raw, nowMs);
  if (ms === undefined) throw new Refusal(t(TEXT.badSince, { value: shown(raw) }), t(TEXT.badSinceText));
  if (ms > nowMs + 60_000) throw new Refusal(t(TEXT.futureSince, { value: shown(raw) }), t(TEXT.futureSinceText));
  return ms;
}

export function wholeNumberFlag(args: ParsedArgs, name: string, min: number, max: number, t: Translate): number | undefined {
  const raw = flagValue(args, name);
  if (raw === undefined) return undefined;
  const value = /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Refusal(t(TEXT.badNumber, { name, value: shown(raw) }), t(TEXT.badNumberText, { min, max }));
  }
  return value;
}

/**
 * One or more comma-separated words, each matched case-insensitively against `aliases`
 * (word → the value COC uses). `shownChoices` is what the refusal lists as allowed.
 */
export function choiceListFlag(
  args: ParsedArgs,
  name: string,
  aliases: Readonly<Record<string, string>>,
  shownChoices: readonly string[],
  t: Translate,
  several = true,
): string[] | undefined {
  const raw = flagValue(args, name);
  if (raw === undefined) return undefined;
  const words = several ? raw.split(',').map((word) => word.trim()).filter(Boolean) : [raw.trim()];
  const lookup = new Map(Object.entries(aliases).map(([word, value]) => [word.toLowerCase(), value]));
  const values: string[] = [];
  for (const word of words) {
    const value = lookup.get(word.toLowerCase());
    if (value === undefined) {
      throw new Refusal(
        t(TEXT.badChoice, { name, value: shown(word) }),
        t(TEXT.badChoiceText, { allowed: shownChoices.join(', '), hint: several ? t(TEXT.severalHint) : '' }),
      );
    }
    if (!values.includes(value)) values.push(value);
  }
  if (values.length === 0) {
    throw new Refusal(t(TEXT.badChoice, { name, value: shown(raw) }), t(TEXT.badChoiceText, { allowed: shownChoices.join(', '), hint: several ? t(TEXT.severalHint) : '' }));
  }
  return values;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface IdKind {
  /** "Which order? Give its execute uuid." */
  readonly which: Text;
  /** "an order id (execute uuid)", "工单 ID" */
  readonly what: Text;
  /** "An order id", "工单 ID" */
  readonly What: Text;
  readonly example: string;
}

/** The one positional a `… show <id>` command takes, checked before it goes into a URL. */
export function singleId(args: ParsedArgs, kind: IdKind, usage: string, t: Translate): string {
  const [id, ...rest] = args.positionals;
  if (id === undefined) throw new Refusal(t(kind.which), t(TEXT.missingIdText, { usage }));
  if (rest.length > 0) throw new Refusal(t(TEXT.extraWords, { words: shown(rest.join(' ')) }), t(TEXT.extraWordsText, { usage }));
  if (!ID_PATTERN.test(id)) {
    throw new Refusal(t(TEXT.badId, { value: shown(id), what: t(kind.what) }), t(TEXT.badIdText, { What: t(kind.What), example: kind.example }));
  }
  return id;
}

/** For list commands: everything comes as --options. */
export function noPlainWords(words: readonly string[], usage: string, t: Translate): void {
  if (words.length > 0) {
    throw new Refusal(t(TEXT.plainWords, { command: usage.split(' ')[0] ?? '', words: shown(words.join(' ')) }), t(TEXT.extraWordsText, { usage }));
  }
}

export function isPlausibleId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** The bot's own ids (run plans, approval requests): uuids as PostgreSQL writes them, lower case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Footer sentences: spaced in English, run together in Chinese (which ends each with 。). */
export function joinNotes(notes: readonly string[], locale: Locale): string {
  return notes.join(locale === 'zh-CN' ? '' : ' ');
}

/** A table with a header and no rows says nothing the "none" text does not. */
export function withoutEmptyTable(message: Message): Message {
  if (!message.table || message.table.rows.length > 0) return message;
  const { table: _empty, ...rest } = message;
  return rest;
}

/** Cuts a cell to `max` characters. */
export function cell(value: string | null | undefined, max = 60): string {
  if (!value) return '';
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
