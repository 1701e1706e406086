/**
 * One undici Pool per origin, shared by everything a client talks to (COC and IAM), so that
 * `close()` in one place releases every socket.
 */
import type { Pool } from 'undici';
import { UndiciPool } from './undici-pool.js';

export interface PoolTuning {
  /** Sockets per origin. */
  readonly connections?: number;
  /** How long an idle keep-alive socket is kept. */
  readonly keepAliveTimeoutMs?: number;
}

/** How long a closing client lets its running requests finish before destroying their sockets. */
const CLOSE_GRACE_MS = 1_000;

export class PoolSet {
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(private readonly tuning: PoolTuning = {}) {}

  /** The pool for `origin` (scheme://host[:port]), created on first use. */
  for(origin: string): Pool {
    if (this.#closed) throw new Error('the COC connection pools are closed');
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new UndiciPool(origin, {
        connections: this.tuning.connections ?? 16,
        keepAliveTimeout: this.tuning.keepAliveTimeoutMs ?? 4_000,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * Closes every pool: requests still running get `graceMs` to finish, then their sockets are
   * destroyed. A stop must not wait a whole COC timeout on a request nobody waits for any more
   * (the chat adapters drained, and audited what they cut short, before the client closes).
   */
  async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    const closed = Promise.all(pools.map((pool) => pool.close()));
    // Destroying a pool settles its pending close too; either way that promise is not waited on then.
    closed.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => {
      timer = setTimeout(resolve, graceMs, 'late');
      timer.unref();
    });
    const first = await Promise.race([closed.then(() => 'closed' as const), grace]);
    clearTimeout(timer);
    if (first === 'late') await Promise.all(pools.map((pool) => pool.destroy()));
  }
}
