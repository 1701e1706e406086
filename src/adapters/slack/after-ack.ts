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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AfterAckQueue {
  #running = 0;
  #lastArrival = Number.NEGATIVE_INFINITY;
  readonly #waiting: (() => void)[] = [];
  readonly #settings: AfterAckSettings;

  constructor(settings: Partial<AfterAckSettings> = {}) {
    this.#settings = { ...DEFAULTS, ...settings };
  }

  /** A request arrived that will want its acknowledgement: answers wait a little longer. */
  arrived(): void {
    this.#lastArrival = performance.now();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const { concurrency, sliceMs, quietMs, maxDeferMs } = this.#settings;
    const queued = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      const now = performance.now();
      const wait = Math.min(quietMs - (now - this.#lastArrival), maxDeferMs - (now - queued));
      if (wait <= 0) break;
      await sleep(Math.ceil(wait));
    }
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
}
