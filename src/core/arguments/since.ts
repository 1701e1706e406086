/** Reading a point in time typed as "this long ago" (`30m`, `2h`, `1d`, `2w`) or as a UTC date or date-time. */

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `2h`, `1d`, `2w` back from `nowMs`, or an ISO date / date-time (UTC unless it says otherwise). */
export function parseSince(raw: string, nowMs: number): number | undefined {
  const relative = /^(\d{1,5})\s*([mhdw])$/i.exec(raw.trim());
  if (relative) return nowMs - Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase()]!;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(raw.trim());
  if (!iso) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = iso;
  const offset = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  // Date.parse may roll 2026-02-31 over to March; refuse days that do not exist.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCMonth() + 1 !== Number(mo) || day.getUTCDate() !== Number(d)) return undefined;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A time typed this far ahead still counts as now (clocks differ a little). */
export const SINCE_FUTURE_SLACK_MS = 60_000;

const DURATION_UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `5m`, `2h`, `1d` → milliseconds; undefined when it is not such a duration. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d{1,6})\s*([smhd])$/i.exec(raw.trim());
  return match ? Number(match[1]) * DURATION_UNIT_MS[match[2]!.toLowerCase()]! : undefined;
}
