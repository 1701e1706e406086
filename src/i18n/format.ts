/** Times and durations as chat replies show them: UTC times, durations with localized units. */
import type { Locale } from './translate.js';

/** `2026-03-14 09:30 UTC`. */
export function utcTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
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
