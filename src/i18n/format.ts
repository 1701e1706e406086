/**
 * Text as chat replies show it: UTC times, durations with localized units, words echoed back
 * to the person who typed them, table cells, command-line words and footer sentences.
 */
import type { Locale, Text, Translate } from './translate.js';

const FORMAT_TEXT = {
  none: { 'en-US': '—', 'zh-CN': '—' },
} satisfies Record<string, Text>;

/**
 * `2026-03-14 09:30 UTC`, or '' when there is no time. Zero and earlier count as none: the
 * platforms send 0 for "never", and no object the bot shows was made before 1970.
 */
export function utcTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `text`, or a dash where an empty value would leave a field looking broken. */
export function orNone(text: string, t: Translate): string {
  return text === '' ? t(FORMAT_TEXT.none) : text;
}

/** `850 ms`, `42 s`, `3 min 05 s`, `2 h 04 min` (the same in both languages, with localized units). */
export function duration(ms: number | null | undefined, locale: Locale): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const zh = locale === 'zh-CN';
  if (ms < 1000) return zh ? `${Math.round(ms)} 毫秒` : `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return zh ? `${seconds} 秒` : `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const s = String(seconds % 60).padStart(2, '0');
    return zh ? `${minutes} 分 ${s} 秒` : `${minutes} min ${s} s`;
  }
  const hours = Math.floor(minutes / 60);
  const m = String(minutes % 60).padStart(2, '0');
  return zh ? `${hours} 小时 ${m} 分` : `${hours} h ${m} min`;
}

/**
 * Printable, one line, at most `max` code points: for echoing what somebody typed. Counted in
 * code points so an emoji is never cut in half; control characters and line or paragraph
 * separators become spaces, so an echo cannot break the reply's layout.
 */
export function shown(value: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const flat = Array.from(value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' '));
  return flat.length > max ? `${flat.slice(0, max - 1).join('')}…` : flat.join('');
}

/** A table cell: whitespace runs made one space, cut to `max` characters; '' when empty. */
export function cell(value: string | null | undefined, max = 60): string {
  if (!value) return '';
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A command-line word, quoted when it has to be. */
export function quoted(word: string): string {
  return /^[^\s"'“”‘’\\]+$/.test(word) ? word : `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Footer sentences: spaced in English, run together in Chinese (which ends each with 。). */
export function joinNotes(notes: readonly string[], locale: Locale): string {
  return notes.join(locale === 'zh-CN' ? '' : ' ');
}
