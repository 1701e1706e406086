/**
 * The work a request starts after it was acknowledged (dispatching, answering through the Web
 * API) waits its turn. Slack's 3 s deadline is on the acknowledgement, never on the answer, so
 * acknowledgements go first:
 *
 * - work begins only once requests have stopped arriving for `quietMs` (a burst is taken in and
 *   acknowledged before any answer is worked on), but never waits more than `maxDeferMs` for
 *   that quiet, so a steady stream of requests does not starve the answers (from about 300
 *   requests a second on, each answer waits that long: the price of acks that win). Waiting
 *   instead only while acknowledgements were pending at the server let answers start between
 *   the batches a burst is parsed in, and a 200 burst's ack p50 went from 1.08× to 2.65× a bare
 *   app's (bench/slack-ack.ts);
 * - only `concurrency` pieces run at once.
 *
 * A turn ends when the work ends or after `sliceMs`, whichever comes first: work that waits
 * on COC (which may hang for its whole timeout) gives its place to the next one, so a stuck
 * COC never holds up everyone else's commands.
 */
export interface AfterAckSettings {
  readonly concurrency: number;
  readonly sliceMs: number;
  readonly quietMs: number;
  readonly maxDeferMs: number;
}

const DEFAULTS: AfterAckSettings = { concurrency: 8, sliceMs: 200, quietMs: 3, maxDeferMs: 250 };

/** A piece of work waiting for the quiet moment, or for its own bound on that wait. */
interface Deferred {
  readonly until: number;
  readonly go: () => void;
}

export class AfterAckQueue {
  #running = 0;
  #lastArrival = Number.NEGATIVE_INFINITY;
  readonly #waiting: (() => void)[] = [];
  /**
   * Work waiting for the quiet moment, oldest first (so its bounds come in order). One timer
   * watches them all: a burst of hundreds does not wake hundreds of timers every few ms.
   */
  readonly #deferred: Deferred[] = [];
  #gate: NodeJS.Timeout | undefined;
  readonly #settings: AfterAckSettings;

  constructor(settings: Partial<AfterAckSettings> = {}) {
    this.#settings = { ...DEFAULTS, ...settings };
  }

  /** A request arrived that will want its acknowledgement: answers wait a little longer. */
  arrived(): void {
    this.#lastArrival = performance.now();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const { concurrency, sliceMs } = this.#settings;
    await this.#quietMoment();
    if (this.#running >= concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.#running--;
      this.#waiting.shift()?.();
    };
    const timer = setTimeout(release, sliceMs);
    timer.unref();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Resolves once requests have stopped arriving for `quietMs`, or `maxDeferMs` from now. */
  #quietMoment(): Promise<void> {
    return new Promise<void>((go) => {
      this.#deferred.push({ until: performance.now() + this.#settings.maxDeferMs, go });
      // Checked on the next turn of the loop at the earliest: requests parsed in the same turn count as arriving.
      if (this.#gate === undefined) this.#watch(0);
    });
  }

  #watch(afterMs: number): void {
    this.#gate = setTimeout(() => {
      this.#gate = undefined;
      this.#open();
    }, afterMs);
  }

  /** Lets go what may go now, and watches for the rest. */
  #open(): void {
    const now = performance.now();
    const quietIn = this.#settings.quietMs - (now - this.#lastArrival);
    if (quietIn <= 0) {
      for (const deferred of this.#deferred.splice(0)) deferred.go();
      return;
    }
    let due = 0;
    while (due < this.#deferred.length && this.#deferred[due]!.until <= now) due++;
    for (const deferred of this.#deferred.splice(0, due)) deferred.go();
    const next = this.#deferred[0];
    if (next) this.#watch(Math.ceil(Math.min(quietIn, next.until - now)));
  }
}
