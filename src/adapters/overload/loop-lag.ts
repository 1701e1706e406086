/**
 * Whether this process is running behind: the longest the event loop was held up over the last
 * moment (node's event-loop delay histogram, read and reset every quarter second). On a loaded
 * machine interactions wait for the loop before the endpoint even reads them, so the bound on
 * work taken in is not reached while answers already take seconds; a loop held up for a second
 * or more, twice running, says so, and new interactions are then turned away ("busy, try again") instead of
 * being queued behind the work already taken.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Held up this long or more in the last window: behind (a third of Slack's and Discord's 3 s deadline for an answer). */
export const LOOP_BEHIND_MS = 1_000;
const WINDOW_MS = 250;

export class EventLoopLag {
  readonly #histogram: IntervalHistogram;
  readonly #timer: NodeJS.Timeout;
  #lastMaxMs = 0;
  #previousMaxMs = 0;

  constructor(readonly behindMs = LOOP_BEHIND_MS) {
    this.#histogram = monitorEventLoopDelay({ resolution: 20 });
    this.#histogram.enable();
    this.#timer = setInterval(() => {
      this.#previousMaxMs = this.#lastMaxMs;
      this.#lastMaxMs = this.#histogram.max / 1e6;
      this.#histogram.reset();
    }, WINDOW_MS);
    this.#timer.unref();
  }

  /**
   * The loop was held up `behindMs` or more in each of the last two windows: running behind, not
   * one long pause (a collection, a slow statement of the embedded store) that is already over.
   */
  behind(): boolean {
    return Math.min(this.#lastMaxMs, this.#previousMaxMs) >= this.behindMs;
  }

  /** The longest the loop was held up in the last window and the one under way, in ms. */
  recentMaxMs(): number {
    return Math.max(this.#lastMaxMs, this.#histogram.max / 1e6);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}
