/**
 * Recently read order snapshots, so that several people looking at one order (or one person
 * asking twice) cost COC one read. An order that has ended never changes again and is kept
 * for a while; a running one only for a moment (less than the live card's polling interval).
 * Operations on an order drop its entries, so the next look is fresh.
 *
 * Entries are per credential: a snapshot read with one person's own COC rights is never shown
 * to someone acting with other rights.
 */
import { LRUCache } from 'lru-cache';
import type { OrderSnapshot } from './order-card.js';

const FINAL_STATUSES: ReadonlySet<string> = new Set(['FINISHED', 'CANCELED', 'ABNORMAL']);

export interface SnapshotKey {
  /** The person's own credential reference, or undefined for the bot's shared identity. */
  readonly credential: string | undefined;
  readonly uuid: string;
  readonly batch: number | undefined;
  readonly allBatches: boolean;
}

export interface SnapshotCacheOptions {
  /** How long a running order's snapshot is reused. Default 2 s. */
  readonly activeTtlMs?: number;
  /** How long an ended order's snapshot is kept. Default 10 minutes. */
  readonly finalTtlMs?: number;
  readonly max?: number;
}

export class OrderSnapshotCache {
  readonly #entries: LRUCache<string, OrderSnapshot>;
  readonly #keysByOrder = new Map<string, Set<string>>();
  readonly #activeTtlMs: number;
  readonly #finalTtlMs: number;

  constructor(options: SnapshotCacheOptions = {}) {
    this.#activeTtlMs = options.activeTtlMs ?? 2_000;
    this.#finalTtlMs = options.finalTtlMs ?? 600_000;
    this.#entries = new LRUCache<string, OrderSnapshot>({
      max: options.max ?? 1_000,
      ttlAutopurge: false,
      dispose: (snapshot, key) => this.#keysByOrder.get(snapshot.order.execute_uuid)?.delete(key),
    });
  }

  get(key: SnapshotKey): OrderSnapshot | undefined {
    return this.#entries.get(keyOf(key));
  }

  set(key: SnapshotKey, snapshot: OrderSnapshot): void {
    const text = keyOf(key);
    const ttl = FINAL_STATUSES.has(snapshot.order.status) ? this.#finalTtlMs : this.#activeTtlMs;
    this.#entries.set(text, snapshot, { ttl });
    let keys = this.#keysByOrder.get(key.uuid);
    if (!keys) {
      keys = new Set();
      this.#keysByOrder.set(key.uuid, keys);
    }
    keys.add(text);
  }

  /** Something was done to the order: its next look reads COC. */
  forget(uuid: string): void {
    const keys = this.#keysByOrder.get(uuid);
    this.#keysByOrder.delete(uuid);
    for (const key of keys ?? []) this.#entries.delete(key);
  }
}

function keyOf(key: SnapshotKey): string {
  return JSON.stringify([key.credential ?? null, key.uuid, key.batch ?? null, key.allBatches]);
}
