/**
 * The work a request starts after it was acknowledged (dispatching, answering through the Web
 * API) waits its turn. Slack's 3 s deadline is on the acknowledgement, never on the answer, so
 * acknowledgements go first:
 *
 * - work begins only once no request is waiting for its acknowledgement (HTTP mode counts them
 *   from their arrival at the server to their response, see `awaitingAck`) and requests have
 *   stopped reaching Bolt for `quietMs` (the server parses a burst in batches, and between two
 *   batches nothing is waiting yet), so a burst is taken in and acknowledged before any answer
 *   is worked on; but work never waits more than `maxDeferMs`, so a steady stream of requests
 *   does not starve the answers (from about 300 requests a second on, each answer waits that
 *   long: the price of acks that win);
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

import { within } from '../../core/within.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AfterAckQueue {
  #running = 0;
  #lastArrival = Number.NEGATIVE_INFINITY;
  #awaitingAck = 0;
  /** Resolved (and dropped) when no request is waiting for its acknowledgement any more. */
  #allAcked: { readonly promise: Promise<void>; readonly resolve: () => void } | undefined;
  readonly #waiting: (() => void)[] = [];
  readonly #settings: AfterAckSettings;

  constructor(settings: Partial<AfterAckSettings> = {}) {
    this.#settings = { ...DEFAULTS, ...settings };
  }

  /** A request arrived that will want its acknowledgement: answers wait a little longer. */
  arrived(): void {
    this.#lastArrival = performance.now();
  }

  /** A request reached the server and wants its acknowledgement: call the returned function once it has its response (idempotent). */
  awaitingAck(): () => void {
    this.#awaitingAck++;
    let answered = false;
    return () => {
      if (answered) return;
      answered = true;
      this.#awaitingAck--;
      if (this.#awaitingAck === 0 && this.#allAcked) {
        this.#allAcked.resolve();
        this.#allAcked = undefined;
      }
    };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const { concurrency, sliceMs, quietMs, maxDeferMs } = this.#settings;
    const queued = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      const now = performance.now();
      const left = maxDeferMs - (now - queued);
      if (left <= 0) break;
      const quiet = quietMs - (now - this.#lastArrival);
      if (this.#awaitingAck > 0) {
        // Acknowledgements are being written: they go first; one promise for every waiting piece.
        if (!this.#allAcked) {
          let resolve = () => {};
          const promise = new Promise<void>((done) => (resolve = done));
          this.#allAcked = { promise, resolve };
        }
        await within(this.#allAcked.promise, left);
        continue;
      }
      if (quiet <= 0) break;
      await sleep(Math.ceil(Math.min(quiet, left)));
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
