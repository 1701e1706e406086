/**
 * One piece of work at a time per key, within this process: a double click on a button waits for
 * the first click's change, then finds the thing it acts on already moved on. Keys are independent;
 * a key's queue is dropped as soon as it runs empty, so the map holds only keys with work pending.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier piece of work for `key` has settled (succeeded or failed). */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.catch(() => undefined);
    this.tails.set(key, settled);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    }
  }

  /** Keys with work pending or running (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
