/**
 * Time as BlueKing prints it. The community edition runs in China Standard Time, so every
 * timestamp the simulator renders is UTC+8: `YYYY-MM-DD HH:mm:ss` (what the reference's tables
 * name) or with ` +0800` where its examples carry the zone (Job status, SOPS).
 */
const CST_OFFSET_MS = 8 * 3_600_000;

export function bkTime(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);
}

export function bkTimeZoned(ms: number): string {
  return `${bkTime(ms)} +0800`;
}

/** `2018-03-22T16:52:53.239+08:00`, as CMDB prints create_time. */
export function ccTime(ms: number): string {
  return `${new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}

/** `yyyyMMddHHmmss` in UTC+8, as ITSM embeds it in ticket numbers. */
export function compactCst(ms: number): string {
  return bkTime(ms).replace(/[-: ]/g, '');
}

/**
 * Reads the time filters of monitor components: `YYYY-MM-DD hh:mm:ss` with an optional
 * `+0800`-style zone; no zone = UTC, as the reference notes ("不输入时区信息默认为零时区").
 */
export function parseBkTime(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*(?:([+-])(\d{2}):?(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, date, time, sign, hours, minutes] = match;
  const base = Date.parse(`${date}T${time}Z`);
  if (Number.isNaN(base)) return undefined;
  if (!sign) return base;
  const offset = (Number(hours) * 60 + Number(minutes)) * 60_000;
  return sign === '+' ? base - offset : base + offset;
}
