/**
 * Time as the simulator sees it: an injectable base clock plus an offset that tests (or the
 * admin endpoint) can advance, e.g. to expire IAM tokens or to push a signature out of the
 * skew window without waiting.
 */
export type NowFn = () => number;

export class SimClock {
  private offsetMs = 0;

  constructor(private readonly base: NowFn = Date.now) {}

  now(): number {
    return this.base() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** A clock that only moves when told to; handy for tests that compare timestamps. */
export interface ManualClock {
  readonly now: NowFn;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createManualClock(startMs: number): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

/** `yyyyMMddHHmmss` in UTC, the timestamp COC embeds in its ids. */
export function compactTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** `yyyy-MM-dd HH:mm:ss` in UTC, as script logs print it. */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
