/**
 * The work a request starts after it was acknowledged (dispatching, answering through the Web
 * API) waits its turn. Slack's 3 s deadline is on the acknowledgement, never on the answer, so
 * acknowledgements go first:
 *
 * - work begins only once requests have stopped arriving for `quietMs` (a short burst is taken
 *   in and acknowledged before any answer is worked on), but never waits more than `maxDeferMs`
 *   for that quiet, so neither a long burst nor a steady stream holds the answers back: from
 *   `maxDeferMs` after its arrival a request's answer takes turns with the acknowledgements still
 *   coming in. At 250 ms, a burst of 200 was acknowledged whole (in 40–120 ms) before its first
 *   answer began, and its answers then came in one crush at the end: the last of them 1.14–1.20×
 *   a bare app's that answers each request at once (`whoami`, the median of 41 rounds in three
 *   runs, bench/slack-answer.ts); at 30 ms, 0.91–1.03×, and the acknowledgements no later
 *   (bench/slack-ack.ts: p99 0.87× a bare app's that only acks, as at 250 ms). A request
 *   that came alone — none within `quietMs` before it, and none since — is no burst and its work
 *   begins at once: waiting for a quiet that is already there cost every answer `quietMs` (at
 *   200 commands a second, the bot's p50 was 4 ms against a bare app's 1 ms). So the first
 *   request of a burst may begin at once too, when the next arrives after its turn came: one
 *   piece, and the rest of the burst then waits for the quiet. Waiting
 *   instead only while acknowledgements were pending at the server let answers start between
 *   the batches a burst is parsed in, and a 200 burst's ack p50 went from 1.08× to 2.65× a bare
 *   app's (bench/slack-ack.ts);
 * - only so many pieces run at once: `concurrency` to begin with and whenever the event loop
 *   is held up `lagBoundMs` or more, one more each time a piece ends while it is not, up to
 *   `maxConcurrency`. A burst of 200 answers 8 at a time went through in ~25 waves of store
 *   round trips (p99 ~1.3× a bare app's, 64 at a time ~1×); but 64 at once under a steady
 *   overload kept the process from reading requests and senders saw their connections reset,
 *   so the width follows whether the loop keeps up, and falls back at once when it does not.
 *
 * A turn ends when the work ends or after `sliceMs`, whichever comes first: work that waits
 * on COC (which may hang for its whole timeout) gives its place to the next one, so a stuck
 * COC never holds up everyone else's commands.
 */
export interface AfterAckSettings {
  /** Pieces at once to begin with, and whenever the loop is held up. */
  readonly concurrency: number;
  /** The widest it grows while the loop keeps up. */
  readonly maxConcurrency: number;
  /** The loop held up this long or more (lately): back to `concurrency`. */
  readonly lagBoundMs: number;
  readonly sliceMs: number;
  readonly quietMs: number;
  readonly maxDeferMs: number;
}

export const AFTER_ACK_DEFAULTS: AfterAckSettings = { concurrency: 8, maxConcurrency: 48, lagBoundMs: 40, sliceMs: 200, quietMs: 3, maxDeferMs: 30 };

/** How long the event loop was held up lately, in ms (without one, the width stays `concurrency`). */
export type LoopLagSource = () => number;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AfterAckQueue {
  #running = 0;
  #lastArrival = Number.NEGATIVE_INFINITY;
  /** How long before the last arrival the one before it came. */
  #gapBeforeLast = Number.POSITIVE_INFINITY;
  readonly #waiting: (() => void)[] = [];
  readonly #settings: AfterAckSettings;
  readonly #lagMs: LoopLagSource | undefined;
  #width: number;

  constructor(settings: Partial<AfterAckSettings> = {}, lagMs?: LoopLagSource) {
    this.#settings = { ...AFTER_ACK_DEFAULTS, ...settings };
    this.#lagMs = lagMs;
    this.#width = this.#settings.concurrency;
  }

  /** How many pieces may run at once now. */
  get width(): number {
    return this.#width;
  }

  /** Narrow at once while the loop is held up; widen by one piece ended while it keeps up. */
  #adapt(pieceEnded: boolean): void {
    if (!this.#lagMs) return;
    const { concurrency, maxConcurrency, lagBoundMs } = this.#settings;
    if (this.#lagMs() >= lagBoundMs) this.#width = concurrency;
    else if (pieceEnded) this.#width = Math.min(maxConcurrency, Math.max(concurrency, this.#width + 1));
  }

  /** A request arrived that will want its acknowledgement: answers wait a little longer. */
  arrived(): void {
    const now = performance.now();
    this.#gapBeforeLast = now - this.#lastArrival;
    this.#lastArrival = now;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const { sliceMs, quietMs, maxDeferMs } = this.#settings;
    const queued = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      // The last request came alone: no burst to let in first.
      if (this.#gapBeforeLast >= quietMs) break;
      const now = performance.now();
      const wait = Math.min(quietMs - (now - this.#lastArrival), maxDeferMs - (now - queued));
      if (wait <= 0) break;
      await sleep(Math.ceil(wait));
    }
    this.#adapt(false);
    // A waiting piece is handed its place by the one that ends (counted there), so none slips past it.
    if (this.#running >= this.#width) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.#running--;
      this.#adapt(true);
      // A wider turn lets more than one waiting piece begin.
      while (this.#running < this.#width && this.#waiting.length > 0) {
        this.#running++;
        this.#waiting.shift()!();
      }
    };
    const timer = setTimeout(release, sliceMs);
    timer.unref();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
