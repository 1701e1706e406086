/**
 * Whether a WarRoom is still running. COC names the status in `war_room_status` (id, name_en,
 * name_zh: RUNNING / Running / 进行中, CLOSED / Closed / 已关闭 in the simulator; the
 * references list no ids); when the status says neither, a room whose fault has no recovery
 * time yet counts as running.
 */
import type { WarRoom } from '../backends/index.js';
import type { Locale } from '../i18n/translate.js';
import { between, minutesSpan } from './durations.js';

const RUNNING = /^(running|in[ _-]?progress|进行中)$/i;
const CLOSED = /^(closed|finished|已关闭|已结束)$/i;

export function isRunning(room: WarRoom): boolean {
  const names = [room.status?.code, room.status?.en, room.status?.zh].filter((name): name is string => Boolean(name)).map((name) => name.trim());
  if (names.some((name) => CLOSED.test(name))) return false;
  if (names.some((name) => RUNNING.test(name))) return true;
  return !room.recoveredAt;
}

/**
 * How long a room has lasted, in words. The reference gives both durations in whole minutes
 * (处理时长/恢复时长 "(分钟)"). A running room has not recovered, so it has no time to
 * recover: only how long it has been in progress, COC's minutes when it counts them, else
 * from its start (COC may keep 0 until the room closes). A closed one: how long it was
 * handled and how long recovery took.
 */
export function warRoomDurations(
  room: WarRoom,
  now: number,
  locale: Locale,
): { readonly running: true; readonly inProgress: string } | { readonly running: false; readonly handled: string; readonly toRecover: string } {
  if (isRunning(room)) {
    const counted = room.processingMinutes !== undefined && room.processingMinutes >= 1 ? minutesSpan(room.processingMinutes, locale) : '';
    return { running: true, inProgress: counted || between(room.createdAt, now, locale) || minutesSpan(room.processingMinutes, locale) };
  }
  return { running: false, handled: minutesSpan(room.processingMinutes, locale), toRecover: minutesSpan(room.restorationMinutes, locale) };
}
