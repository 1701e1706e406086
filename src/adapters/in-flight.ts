/**
 * Work a chat adapter acknowledged and is still doing, so that a graceful stop (SIGTERM, a
 * rolling upgrade) lets it finish instead of dropping it: the platform was told "got it", the
 * person is waiting for the answer, and a COC write may be under way. Stopping waits for that
 * work up to a deadline and reports what is still running, for the audit trail to record as
 * cut short (its outcome unknown) rather than losing it silently.
 */

/** How long a stop waits by default: Docker and compose send SIGKILL 10 s after SIGTERM, and the audit rows of what is left need the rest. */
export const STOP_DRAIN_MS = 8_000;

export class InFlightWork<About> {
  readonly #running = new Map<Promise<void>, About>();

  /** Tracks `work` until it settles; `about` says what it is (read when a stop cuts it short, so it may be filled in later). */
  track(work: Promise<unknown>, about: About): Promise<void> {
    const settled: Promise<void> = work.then(
      () => undefined,
      () => undefined,
    );
    const tracked = settled.finally(() => this.#running.delete(tracked));
    this.#running.set(tracked, about);
    return tracked;
  }

  get size(): number {
    return this.#running.size;
  }

  /**
   * Resolves when every piece of tracked work has settled (work started meanwhile included), or
   * when `deadlineMs` has passed; returns what is still running then.
   */
  async drain(deadlineMs: number): Promise<About[]> {
    let timer: NodeJS.Timeout | undefined;
    let late = false;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        late = true;
        resolve();
      }, Math.max(0, deadlineMs));
    });
    try {
      while (this.#running.size > 0 && !late) await Promise.race([Promise.all(this.#running.keys()), deadline]);
    } finally {
      clearTimeout(timer);
    }
    return [...this.#running.values()];
  }
}
