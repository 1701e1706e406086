/**
 * The work a request starts after it was acknowledged (dispatching, answering through the Web
 * API) waits its turn: it begins only once the event loop has taken in what is pending (other
 * requests waiting for their acknowledgement), and only a few run at once. Under a burst,
 * every request is acknowledged first and the answers follow, instead of the answers to the
 * first requests delaying the acknowledgements of the last ones past Slack's 3 s.
 */
export class AfterAckQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly concurrency = 8) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#running >= this.concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}
