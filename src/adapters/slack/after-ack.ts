/**
 * The work a request starts after it was acknowledged (dispatching, answering through the Web
 * API) waits its turn: it begins only once the event loop has taken in what is pending (other
 * requests waiting for their acknowledgement), and only a few begin at once. Under a burst,
 * every request is acknowledged first and the answers follow, instead of the answers to the
 * first requests delaying the acknowledgements of the last ones.
 *
 * A turn ends when the work ends or after `sliceMs`, whichever comes first: work that waits
 * on COC (which may hang for its whole timeout) gives its place to the next one, so a stuck
 * COC never holds up everyone else's commands.
 */
export class AfterAckQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency = 8,
    private readonly sliceMs = 200,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#running >= this.concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.#running--;
      this.#waiting.shift()?.();
    };
    const timer = setTimeout(release, this.sliceMs);
    timer.unref();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
