/** Request claims that answer only when the test says so: a store as slow as the test wants, with no sleeps. */
import type { RequestClaims } from '../../src/adapters/request-claimer.js';

/** A claim the test decides: `true` runs, `false` is a repeat, an error is a store that failed. */
export interface HeldClaim {
  readonly key: string;
  release(outcome: boolean | Error): void;
  released: boolean;
}

export class HeldClaims implements RequestClaims {
  readonly #waiting: ((claim: HeldClaim) => void)[] = [];
  readonly #held: HeldClaim[] = [];

  claim(key: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const held: HeldClaim = {
        key,
        released: false,
        release(outcome) {
          held.released = true;
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      };
      const waiter = this.#waiting.shift();
      if (waiter) waiter(held);
      else this.#held.push(held);
    });
  }

  /** The next claim asked for (now or later). */
  next(): Promise<HeldClaim> {
    const held = this.#held.shift();
    return held ? Promise.resolve(held) : new Promise((resolve) => this.#waiting.push(resolve));
  }
}
