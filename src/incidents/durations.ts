/**
 * How long incidents and WarRooms have lasted, in words people read at a glance. Incidents stay
 * open for days and the reference's own example is years old, so spans of a day or more are
 * told in days and hours ("3 d 04 h"), not in thousands of hours; shorter ones as `duration`
 * tells them. WarRoom durations come in whole minutes (the reference's 处理时长/恢复时长 are
 * "(分钟)"), so 0 means "under a minute", never "0 ms".
 */
import { duration } from '../i18n/format.js';
import { translator, type Locale, type Text } from '../i18n/translate.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const TEXT = {
  days: { 'en-US': '{days} d {hours} h', 'zh-CN': '{days} 天 {hours} 小时' },
  underAMinute: { 'en-US': 'under a minute', 'zh-CN': '不到 1 分钟' },
} satisfies Record<string, Text>;

/** A span of time in milliseconds; '' when there is none (unknown or negative). */
export function span(ms: number | null | undefined, locale: Locale): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < DAY_MS) return duration(ms, locale);
  const days = Math.floor(ms / DAY_MS);
  const hours = String(Math.floor((ms % DAY_MS) / HOUR_MS)).padStart(2, '0');
  return translator(locale)(TEXT.days, { days, hours });
}

/** A span the platform gives in whole minutes; '' when there is none. */
export function minutesSpan(minutes: number | null | undefined, locale: Locale): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes) || minutes < 0) return '';
  if (minutes < 1) return translator(locale)(TEXT.underAMinute);
  return span(Math.round(minutes) * 60_000, locale);
}

/** From `from` to `to` (epoch ms); '' when either is unknown or they are the wrong way round. */
export function between(from: number | null | undefined, to: number | null | undefined, locale: Locale): string {
  // The platforms send 0 for "never".
  if (!from || !to || from <= 0 || to <= 0 || to < from) return '';
  return span(to - from, locale);
}
