/**
 * Whether a WarRoom is still running. COC names the status in `war_room_status` (id, name_en,
 * name_zh: RUNNING / Running / 进行中, CLOSED / Closed / 已关闭 in the simulator; the
 * references list no ids); when the status says neither, a room whose fault has no recovery
 * time yet counts as running.
 */
import type { WarRoom } from '../backends/index.js';

const RUNNING = /^(running|in[ _-]?progress|进行中)$/i;
const CLOSED = /^(closed|finished|已关闭|已结束)$/i;

export function isRunning(room: WarRoom): boolean {
  const names = [room.status?.code, room.status?.en, room.status?.zh].filter((name): name is string => Boolean(name)).map((name) => name.trim());
  if (names.some((name) => CLOSED.test(name))) return false;
  if (names.some((name) => RUNNING.test(name))) return true;
  return !room.recoveredAt;
}
