/**
 * BlueKing's times as text: `2018-04-26 16:08:34 +0800` (SOPS), `2018-11-27 02:30:25+0800`
 * (Monitor), `2019-09-16 10:01:07` (ITSM, no zone: read as UTC, as Monitor documents for its own
 * filters). Turned into epoch ms; anything else is undefined, never a guess.
 */
const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export function parseBluekingTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const match = TIME.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, zone] = match;
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second ?? 0));
  if (Number.isNaN(utc)) return undefined;
  if (!zone || zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return utc - sign * offsetMinutes * 60_000;
}

/** `YYYY-MM-DD hh:mm:ss` in UTC, as Monitor's filters take a time without a zone. */
export function formatUtcTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}
