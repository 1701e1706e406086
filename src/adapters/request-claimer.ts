/**
 * Runs a request once however often it is delivered, and to whichever replica: Slack retries
 * and Socket Mode redelivers, Discord's gateway may resume with an interaction again, and a
 * captured signed request stays valid for minutes and can be sent to every replica behind the
 * load balancer. Each request is claimed in the store by its platform id before it runs; only
 * the delivery that wins the claim runs. An in-process cache answers repeats this process has
 * already seen without a query; the store decides everything else.
 */
import { hostname } from 'node:os';
import { LRUCache } from 'lru-cache';
import type { Queryable } from '../store/db.js';
import { claimNewRequests, claimRequest, sweepRequestClaims } from '../store/request-claims.js';

/**
 * How long a claim holds: longer than any window in which a platform may deliver the request
 * again or a replay is still accepted — Slack signs requests for 5 minutes (and a response_url
 * lives 30), a Discord interaction token 15 minutes. A replay older than this is refused by its
 * signature's age before it gets here.
 */
export const CLAIM_TTL_MS = 30 * 60_000;
/** Expired claims are deleted at most this often per process, after a claim, off the ack path. */
const SWEEP_EVERY_MS = 5 * 60_000;
/** Keys claimed together at most: one statement stays small, whatever the burst. */
const MAX_CLAIMS_PER_STATEMENT = 500;

export interface RequestClaimerOptions {
  readonly db: Queryable;
  readonly ttlMs?: number;
  /** Written beside each claim, to tell which replica took a request. Default host:pid. */
  readonly holder?: string;
  /** A failed sweep (the next one tries again). */
  readonly onSweepError?: (error: unknown) => void;
}

export class RequestClaimer {
  readonly #db: Queryable;
  readonly #ttlMs: number;
  readonly #holder: string;
  readonly #onSweepError: (error: unknown) => void;
  readonly #seen: LRUCache<string, true>;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: RequestClaimerOptions) {
    this.#db = options.db;
    this.#ttlMs = options.ttlMs ?? CLAIM_TTL_MS;
    this.#holder = options.holder ?? `${hostname()}:${process.pid}`;
    this.#onSweepError = options.onSweepError ?? (() => {});
    this.#seen = new LRUCache({ max: 100_000, ttl: this.#ttlMs });
  }

  /**
   * True for the one delivery of `key` that may run, false for every other (in this process or
   * any replica). Throws when the store cannot say: the caller must then not run the request.
   */
  async claim(key: string): Promise<boolean> {
    if (this.#seen.has(key)) return false;
    // Noted before the query, so a second delivery arriving meanwhile is refused at once.
    this.#seen.set(key, true);
    let won: boolean;
    try {
      won = await this.#claimInBatch(key);
    } catch (error) {
      // Unknown whether anybody holds it: forget it here, so a retry asks the store again.
      this.#seen.delete(key);
      throw error;
    }
    this.#sweepSometimes();
    return won;
  }

  /**
   * Group commit: the claims asked for in one turn of the event loop, and while one claim
   * statement is at the store, wait and then go together in one statement. Alone, a claim is one statement as before; in a burst
   * of 200 the store sees a few statements instead of 200 (each a round trip, and on the
   * embedded store a turn of its single-threaded engine).
   */
  #claimInBatch(key: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#waiting.push({ key, resolve, reject });
      if (this.#claiming) return;
      // After this turn of the event loop: the requests a burst delivers in one turn (on the
      // embedded store no request is read while a statement runs) are claimed in one statement.
      this.#claiming = true;
      setImmediate(() => void this.#claimWaiting());
    });
  }

  readonly #waiting: { key: string; resolve: (won: boolean) => void; reject: (error: unknown) => void }[] = [];
  #claiming = false;

  async #claimWaiting(): Promise<void> {
    this.#claiming = true;
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0, MAX_CLAIMS_PER_STATEMENT);
        try {
          if (batch.length === 1) {
            batch[0]!.resolve(await claimRequest(this.#db, batch[0]!.key, this.#ttlMs, this.#holder));
            continue;
          }
          const inserted = await claimNewRequests(this.#db, batch.map((one) => one.key), this.#ttlMs, this.#holder);
          for (const one of batch) {
            if (inserted.has(one.key)) one.resolve(true);
            // Already there (perhaps expired, to take over): the one-key statement decides.
            else claimRequest(this.#db, one.key, this.#ttlMs, this.#holder).then(one.resolve, one.reject);
          }
        } catch (error) {
          // The batch is unknown as a whole: none of its requests may run.
          for (const one of batch) one.reject(error);
        }
      }
    } finally {
      this.#claiming = false;
    }
  }

  #sweepSometimes(): void {
    const now = performance.now();
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    sweepRequestClaims(this.#db).catch(this.#onSweepError);
  }
}

/** Anything that can claim a request: the store-backed claimer, or the local one below. */
export interface RequestClaims {
  claim(key: string): Promise<boolean>;
}

/**
 * Claims kept in this process only, for an adapter run without a store (tests of one process):
 * repeats to this process run once, nothing more is promised.
 */
export function localClaims(ttlMs: number = CLAIM_TTL_MS): RequestClaims {
  const seen = new LRUCache<string, true>({ max: 100_000, ttl: ttlMs });
  return {
    async claim(key) {
      if (seen.has(key)) return false;
      seen.set(key, true);
      return true;
    },
  };
}
