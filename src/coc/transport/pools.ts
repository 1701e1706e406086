/**
 * One undici Pool per origin, shared by everything a client talks to (COC and IAM), so that
 * `close()` in one place releases every socket.
 */
import { Pool } from 'undici';

export interface PoolTuning {
  /** Sockets per origin. */
  readonly connections?: number;
  /** How long an idle keep-alive socket is kept. */
  readonly keepAliveTimeoutMs?: number;
}

export class PoolSet {
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(private readonly tuning: PoolTuning = {}) {}

  /** The pool for `origin` (scheme://host[:port]), created on first use. */
  for(origin: string): Pool {
    if (this.#closed) throw new Error('the COC connection pools are closed');
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.tuning.connections ?? 16,
        keepAliveTimeout: this.tuning.keepAliveTimeoutMs ?? 4_000,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
