/**
 * Recently read order snapshots, so that several people looking at one order (or one person
 * asking twice) cost the platform one read. An order that has ended never changes again and is kept
 * for a while; a running one only for a moment (less than the live card's polling interval).
 * Operations on an order drop its entries, so the next look is fresh.
 *
 * Entries are per credential: a snapshot read with one person's own platform rights is never shown
 * to someone acting with other rights.
 *
 * Memory is bounded by the hosts' output the snapshots carry (up to 1 MB per host, and `--log`
 * reads every batch), not only by their number: a snapshot heavier than the whole budget is not
 * kept at all, and lighter ones push the least recently used out.
 */
import { LRUCache } from 'lru-cache';
import type { RunId, RunState } from '../backends/index.js';
import type { OrderSnapshot } from './order-card.js';

const FINAL_STATES: ReadonlySet<RunState> = new Set(['succeeded', 'canceled', 'failed']);

export interface SnapshotKey {
  /** The person's own credential reference, or undefined for the bot's shared identity. */
  readonly credential: string | undefined;
  readonly run: RunId;
  readonly batch: number | undefined;
  readonly allBatches: boolean;
}

export interface SnapshotCacheOptions {
  /** How long a running order's snapshot is reused. Default 2 s. */
  readonly activeTtlMs?: number;
  /** How long an ended order's snapshot is kept. Default 10 minutes. */
  readonly finalTtlMs?: number;
  readonly max?: number;
  /** Hosts' output all entries may carry together, in characters. Default 32 Mi. */
  readonly maxOutputChars?: number;
}

/** Hosts' output is counted in KiB; every entry weighs at least one. */
const SIZE_UNIT = 1024;

/** Characters of hosts' output in a snapshot (an instance listed twice counts twice: an upper bound). */
function outputChars(snapshot: OrderSnapshot): number {
  let chars = 0;
  for (const host of snapshot.shownBatch?.hosts ?? []) chars += host.output?.length ?? 0;
  for (const located of snapshot.failing) chars += located.host.output?.length ?? 0;
  for (const located of snapshot.all ?? []) chars += located.host.output?.length ?? 0;
  return chars;
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
      maxSize: Math.max(1, Math.floor((options.maxOutputChars ?? 32 * 1024 * 1024) / SIZE_UNIT)),
      sizeCalculation: (snapshot) => 1 + Math.ceil(outputChars(snapshot) / SIZE_UNIT),
      ttlAutopurge: false,
      dispose: (snapshot, key) => {
        const keys = this.#keysByOrder.get(snapshot.run.id);
        keys?.delete(key);
        if (keys?.size === 0) this.#keysByOrder.delete(snapshot.run.id);
      },
    });
  }

  get(key: SnapshotKey): OrderSnapshot | undefined {
    return this.#entries.get(keyOf(key));
  }

  /** Reads under way, by key: people looking at one order at the same moment share one read. */
  readonly #reading = new Map<string, { readonly run: RunId; promise: Promise<OrderSnapshot> }>();

  /**
   * The kept snapshot, else the one being read for the same key now, else `read()`'s (kept for
   * the next look). A failed read is every sharer's failure and is not kept; a read the run was
   * operated during (`forget`) is answered to those who asked before, but not kept or shared.
   */
  getOrRead(key: SnapshotKey, read: () => Promise<OrderSnapshot>): Promise<OrderSnapshot> {
    const kept = this.get(key);
    if (kept) return Promise.resolve(kept);
    const text = keyOf(key);
    const under = this.#reading.get(text);
    if (under) return under.promise;
    const entry: { readonly run: RunId; promise: Promise<OrderSnapshot> } = { run: key.run, promise: Promise.resolve() as unknown as Promise<OrderSnapshot> };
    entry.promise = read()
      .then((snapshot) => {
        if (this.#reading.get(text) === entry) this.set(key, snapshot);
        return snapshot;
      })
      .finally(() => {
        if (this.#reading.get(text) === entry) this.#reading.delete(text);
      });
    this.#reading.set(text, entry);
    return entry.promise;
  }

  set(key: SnapshotKey, snapshot: OrderSnapshot): void {
    const text = keyOf(key);
    const ttl = FINAL_STATES.has(snapshot.run.status.state) ? this.#finalTtlMs : this.#activeTtlMs;
    this.#entries.set(text, snapshot, { ttl });
    // Heavier than the whole budget: not kept, and nothing to forget later.
    if (!this.#entries.has(text)) return;
    let keys = this.#keysByOrder.get(key.run);
    if (!keys) {
      keys = new Set();
      this.#keysByOrder.set(key.run, keys);
    }
    keys.add(text);
  }

  /** Something was done to the run: its next look reads the platform. */
  forget(run: RunId): void {
    // A read under way began before what was done: the next look reads afresh.
    for (const [text, entry] of this.#reading) if (entry.run === run) this.#reading.delete(text);
    const keys = this.#keysByOrder.get(run);
    this.#keysByOrder.delete(run);
    for (const key of keys ?? []) this.#entries.delete(key);
  }
}

function keyOf(key: SnapshotKey): string {
  return JSON.stringify([key.credential ?? null, key.run, key.batch ?? null, key.allBatches]);
}
