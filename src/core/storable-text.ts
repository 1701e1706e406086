/**
 * Text that PostgreSQL will take. Chat input can hold anything: a NUL byte (which text and
 * jsonb columns refuse: "invalid byte sequence for encoding UTF8: 0x00"), a lone UTF-16
 * surrogate (refused by jsonb, and not valid UTF-8), or a 100 KB value. Identity lookups and
 * the audit trail must not fail on such input, or the attempt would go unrecorded.
 */

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NUL = /\u0000/g;

/** Index of the first unpaired UTF-16 surrogate (text that is not valid Unicode), or -1. */
export function loneSurrogateIndex(text: string): number {
  LONE_SURROGATE.lastIndex = 0;
  const match = LONE_SURROGATE.exec(text);
  LONE_SURROGATE.lastIndex = 0;
  return match ? match.index : -1;
}

/** True when `text` can be stored and compared as it is. */
export function isStorableText(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** `text` with NULs and lone surrogates replaced by U+FFFD, cut to `max` characters (default 2,000). */
export function toStorableText(text: string, max = 2_000): string {
  let clean = text.replace(NUL, '\ufffd').replace(LONE_SURROGATE, '\ufffd');
  if (clean.length > max) {
    clean = clean.slice(0, max - 1);
    // Do not leave half a surrogate pair at the cut.
    if (/[\ud800-\udbff]$/.test(clean)) clean = clean.slice(0, -1);
    clean += '…';
  }
  return clean;
}

/** Every string in a JSON-like value (keys included) made storable; other values kept. */
export function toStorableJson(value: unknown, max = 2_000, depth = 0): unknown {
  if (typeof value === 'string') return toStorableText(value, max);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[too deep]';
  if (Array.isArray(value)) return value.slice(0, 200).map((item) => toStorableJson(item, max, depth + 1));
  return Object.fromEntries(Object.entries(value).slice(0, 200).map(([key, item]) => [toStorableText(key, 200), toStorableJson(item, max, depth + 1)]));
}

/** Why a text cannot be stored: a NUL byte, or an unpaired UTF-16 surrogate (not Unicode). */
export type UnstorableKind = 'nul' | 'surrogate';

export interface UnstorableChar {
  /** 0-based index in the text. */
  readonly index: number;
  readonly kind: UnstorableKind;
}

/** The first character of `text` a store cannot hold, or undefined when all of it can be stored. */
export function firstUnstorable(text: string): UnstorableChar | undefined {
  const nul = text.indexOf('\u0000');
  const surrogate = loneSurrogateIndex(text);
  if (nul === -1 && surrogate === -1) return undefined;
  if (surrogate === -1 || (nul !== -1 && nul < surrogate)) return { index: nul, kind: 'nul' };
  return { index: surrogate, kind: 'surrogate' };
}
