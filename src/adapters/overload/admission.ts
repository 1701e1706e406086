/**
 * How much acknowledged work may wait for its answer. Chat platforms' deadlines are on the
 * acknowledgement, so a bot that acks everything and answers later can hoard a flood of work
 * in memory and answer it minutes late, or never. Here the work taken in but not yet finished
 * is bounded: past the bound a request is told at once that the bot is busy and when to try
 * again (overload is shed, never hoarded), and nothing is done for it.
 *
 * The "try again in n s" is how long the work already taken should take to drain at the rate
 * work has been finishing lately.
 */
export interface AdmissionSettings {
  /** Requests taken in and not yet finished (running and waiting) past which new ones are turned away. */
  readonly maxInFlight: number;
  /** The window over which the finishing rate is measured. */
  readonly rateWindowMs?: number;
  /**
   * When set, the bound also follows how fast work drains: no more is let in than finishes
   * within this long at the rate measured while work was queued (never fewer than
   * `minInFlight`, never more than `maxInFlight`), so that what is let in is answered in time
   * on a slower or loaded machine too. Unset, the bound is `maxInFlight` alone.
   */
  readonly drainWithinMs?: number;
  /** The least the drain-sized bound lets in (a burst a person may cause at once). */
  readonly minInFlight?: number;
  /**
   * Work in flight from which it is taken to be queued: only finishes at this depth or deeper
   * measure the drain rate (shallower, they follow the arrivals, not what the bot can do).
   */
  readonly queuedAt?: number;
}

/** A request that was let in: `done()` once its work has finished (idempotent). */
export interface Admitted {
  readonly admitted: true;
  readonly done: () => void;
}

/** A request turned away: say so at once, with when to try again. */
export interface TurnedAway {
  readonly admitted: false;
  readonly retryAfterSeconds: number;
}

const DEFAULT_RATE_WINDOW_MS = 5_000;
/** How much each new drain interval moves the running estimate. */
const DRAIN_SMOOTHING = 0.1;
const MIN_RETRY_SECONDS = 1;
const MAX_RETRY_SECONDS = 60;

export class WorkAdmission {
  readonly #settings: Required<Omit<AdmissionSettings, 'drainWithinMs'>> & Pick<AdmissionSettings, 'drainWithinMs'>;
  readonly #now: () => number;
  #inFlight = 0;
  /** When each recent piece of work finished, oldest first, within the rate window. */
  readonly #finished: number[] = [];
  /** Running estimate of the time between finishes while work is queued (ms); undefined until measured. */
  #drainIntervalMs: number | undefined;
  /** When the last finish at the queued depth happened. */
  #lastQueuedFinish: number | undefined;

  constructor(settings: AdmissionSettings, now: () => number = () => performance.now()) {
    if (!Number.isInteger(settings.maxInFlight) || settings.maxInFlight < 1) throw new RangeError('maxInFlight must be a positive integer');
    this.#settings = { rateWindowMs: DEFAULT_RATE_WINDOW_MS, minInFlight: 1, queuedAt: 1, ...settings };
    this.#now = now;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** How many may be in flight now: `maxInFlight`, or what drains in `drainWithinMs` at the measured rate. */
  get bound(): number {
    const { maxInFlight, minInFlight, drainWithinMs } = this.#settings;
    if (drainWithinMs === undefined || this.#drainIntervalMs === undefined) return maxInFlight;
    return Math.min(maxInFlight, Math.max(minInFlight, Math.floor(drainWithinMs / this.#drainIntervalMs)));
  }

  admit(): Admitted | TurnedAway {
    if (this.#inFlight >= this.bound) return { admitted: false, retryAfterSeconds: this.retryAfterSeconds() };
    this.#inFlight++;
    let finished = false;
    return {
      admitted: true,
      done: () => {
        if (finished) return;
        finished = true;
        const now = this.#now();
        this.#measureDrain(now);
        this.#inFlight--;
        this.#finished.push(now);
        this.#forgetOld();
      },
    };
  }

  /** Seconds until the work in flight now should have drained, from the recent finishing rate. */
  retryAfterSeconds(): number {
    this.#forgetOld();
    const windowSeconds = this.#settings.rateWindowMs / 1000;
    const perSecond = this.#finished.length / windowSeconds;
    // Nothing finished lately: COC may be hanging; the longest honest answer.
    if (perSecond === 0) return MAX_RETRY_SECONDS;
    return Math.min(MAX_RETRY_SECONDS, Math.max(MIN_RETRY_SECONDS, Math.ceil(this.#inFlight / perSecond)));
  }

  /** A finish with work queued behind it: the time since the previous such finish is how fast work drains. */
  #measureDrain(now: number): void {
    if (this.#settings.drainWithinMs === undefined) return;
    if (this.#inFlight < this.#settings.queuedAt) {
      this.#lastQueuedFinish = undefined;
      return;
    }
    if (this.#lastQueuedFinish !== undefined) {
      const interval = Math.max(0.01, now - this.#lastQueuedFinish);
      this.#drainIntervalMs = this.#drainIntervalMs === undefined ? interval : this.#drainIntervalMs + DRAIN_SMOOTHING * (interval - this.#drainIntervalMs);
    }
    this.#lastQueuedFinish = now;
  }

  #forgetOld(): void {
    const since = this.#now() - this.#settings.rateWindowMs;
    let old = 0;
    while (old < this.#finished.length && this.#finished[old]! < since) old++;
    if (old > 0) this.#finished.splice(0, old);
  }
}
