/**
 * Reading one tracked order from the backend as cheaply as change detection allows.
 *
 * Each polling round asks the backend for the run's progress only (per-status instance counts and
 * the batches they are in): every host that starts, finishes, fails or is canceled changes
 * them. Only when they changed does the tracker read the order, the batch on the card and the
 * failing hosts' output. The order itself is also read when its status is about to change
 * without the counts moving (every host is done but the order is still active), when a click
 * asked for a fresh read, and every ORDER_READ_EVERY rounds as a safety net.
 *
 * Things that never change during an order are read once and kept: the batch plan, the
 * script's secret parameter names, and the failing hosts of batches that have finished.
 */
import { nativeOf, need, normalizeError, type Backend, type BatchHosts, type BatchSummary, type HostRun, type RunId, type RunProgress, type RunState, type RunSummary, type HostRunState } from '../backends/index.js';
import { batchCount, batchHasUnfinished, currentBatchIndex, failedBatchesBesides, loadSecrets, type LocatedHostRun, type OrderSnapshot, type Secrets } from './order-card.js';
import { SnapshotPacker } from './snapshot-pack.js';

/** Run states after which nothing changes any more. */
export const FINAL_RUN_STATES: ReadonlySet<RunState> = new Set(['succeeded', 'canceled', 'failed', 'error', 'rolled-back']);
const ACTIVE_RUN_STATES: ReadonlySet<RunState> = new Set(['waiting', 'running', 'paused']);
const UNFINISHED_HOST_STATES: ReadonlySet<HostRunState> = new Set(['waiting', 'running']);
const FAILED: HostRunState = 'failed';
/** Hosts of a batch read at once; a COC batch holds at most 10. */
const BATCH_PAGE = 50;
/** Batches with failures read for the card besides the one it shows (as `order show`). */
const MAX_FAILING_BATCHES = 5;
/** Rounds between two reads of the order when its counts do not move. */
export const ORDER_READ_EVERY = 30;
/**
 * Rounds in a row whose answer was "no such order" before the order is taken as gone: one stray
 * 404 (a load balancer, a replica of the platform that lags) does not end a card for good.
 */
export const GONE_AFTER_NOT_FOUND = 3;
/**
 * And at least this long since the first of them: statistics of a new order and a lagging
 * replica can both answer "no such order" for several seconds, so rounds alone (a few seconds
 * apart) are not enough to end a card for good.
 */
export const GONE_AFTER_MS = 60_000;

/** What a watch keeps of a snapshot besides its packed bytes: the words and the rules for secrets it is read with. */
type PackedParts = Omit<OrderSnapshot, 'secrets' | 'vocabulary'>;

/** Every watch's snapshots are packed with the same shapes and small objects. */
const packer = new SnapshotPacker();
/**
 * Keys many watches hold alike, one string for all: most paused orders' statistics and status read
 * the same, and the card kinds a hash is kept for are a handful. Emptied when it grows past a
 * bound (the strings kept stay with their watches; only the sharing of new ones starts afresh).
 */
const sharedKeys = new Map<string, string>();
const SHARED_KEYS_KEPT = 4096;

function shared(key: string): string {
  const kept = sharedKeys.get(key);
  if (kept !== undefined) return kept;
  if (sharedKeys.size >= SHARED_KEYS_KEPT) sharedKeys.clear();
  sharedKeys.set(key, key);
  return key;
}

/**
 * What the tracker remembers of one order between rounds (memory only; rebuilt after a restart).
 * One is kept per live order — ten thousand of them on one replica — so between rounds it holds
 * what the next round needs and no more: the order's status and the keys that tell whether COC's
 * answer changed, the hash of each card kind rendered, and the last snapshot packed (snapshot-pack.ts:
 * ~0.6 KB for an order of four one-host batches against 15–20 KB of objects; not compressed: zlib's
 * state per call cost far more memory and CPU than it saved). Cards are rendered from the snapshot only when it
 * changed, when an edit was held back by the edit spacing, or when COC cannot be read: it is
 * unpacked then. While a round works on the order, the snapshot it read is kept as it is, and
 * `pack()` folds it away once the round is done with the order.
 */
export class OrderWatch {
  #live: OrderSnapshot | undefined;
  /**
   * The serialized bytes held as a one-byte string, one character per byte: a string lives in V8's
   * heap, which the garbage collector compacts. A Buffer apiece put ten thousand small blocks in
   * the C allocator (each as large as the serializer's buffer had grown), scattered among the
   * round's short-lived allocations, and that memory was never given back.
   */
  #packed: string | undefined;
  /** The script's rules for secrets (not serializable: it holds a function); kept as read. */
  secrets: Secrets | undefined;
  #vocabulary: OrderSnapshot['vocabulary'] | undefined;
  /** The platform's own status code and what it means, of the last snapshot. */
  #statusCode: string | undefined;
  #state: RunState | undefined;
  /** Of the last snapshot: whether any host is waiting or running, and running. */
  #unfinished = false;
  #running = false;
  #orderKey: string | undefined;
  #createdAt: number | undefined;
  /** COC no longer knows the order (it said so GONE_AFTER_NOT_FOUND rounds in a row). */
  gone = false;
  /** Rounds in a row whose answer was the platform's own "no such order", and when the first was. */
  notFoundRounds = 0;
  notFoundSince: number | undefined;
  /** Reads from COC that failed in a row, and since when. */
  failures = 0;
  failingSince: Date | undefined;
  /** The last nudge (click) seen in the store, epoch ms. */
  nudgeSeen: number | undefined;
  /** Set by a click in this process: read everything at the next round. */
  forceRead = false;
  roundsSinceOrderRead: number;
  statisticsKey: string | undefined;
  /** Failing hosts of batches that have finished (they do not change any more); made when one has. */
  settledFailures: Map<number, readonly LocatedHostRun[]> | undefined;
  /** The run's own id on its platform, as cards and the audit trail show it. */
  readonly executeUuid: string;
  /** Hashes of the cards rendered from the current state: kind|locale and hash, one after the other. */
  #hashes: string[] | undefined;
  /**
   * Every card of the order showed the current state when the last round served them (posted,
   * live, its hash the current one): until the state changes, or a card is added (which nudges
   * the order), a round need not list its cards.
   */
  cardsInSync = false;

  constructor(readonly runId: RunId) {
    this.executeUuid = nativeOf(runId);
    // Spread the safety-net reads of many orders over the rounds instead of all at once.
    let spread = 0;
    for (const char of this.executeUuid) spread = (spread * 31 + char.charCodeAt(0)) % ORDER_READ_EVERY;
    this.roundsSinceOrderRead = spread;
  }

  /** The last snapshot read (unpacked on demand between rounds). */
  get snapshot(): OrderSnapshot | undefined {
    if (this.#live) return this.#live;
    if (!this.#packed) return undefined;
    const parts = packer.unpack(this.#packed) as PackedParts;
    return { ...parts, secrets: this.secrets!, vocabulary: this.#vocabulary! };
  }

  set snapshot(snapshot: OrderSnapshot | undefined) {
    this.#live = snapshot;
    this.#packed = undefined;
    this.secrets = snapshot?.secrets;
    this.#vocabulary = snapshot?.vocabulary;
    this.#statusCode = snapshot?.run.status.code;
    this.#state = snapshot?.run.status.state;
    this.#unfinished = snapshot ? anyUnfinished(snapshot.progress) : false;
    this.#running = snapshot ? snapshot.progress.counts.some((c) => c.status.state === 'running' && (c.count ?? 0) > 0) : false;
    this.#orderKey = snapshot ? shared(orderKey(snapshot.run)) : undefined;
    this.#createdAt = snapshot?.run.createdAt;
  }

  /** Whether a snapshot was read (without unpacking it). */
  get hasSnapshot(): boolean {
    return this.#live !== undefined || this.#packed !== undefined;
  }

  /** The round is done with the order: the snapshot is packed until it is needed again. */
  pack(): void {
    const live = this.#live;
    if (!live) return;
    const { secrets: _secrets, vocabulary: _vocabulary, ...parts } = live;
    this.#packed = packer.pack(parts);
    this.#live = undefined;
  }

  /** The hash of a card kind rendered from the current state, if it was rendered since it changed. */
  hashOf(key: string): string | undefined {
    const hashes = this.#hashes;
    if (!hashes) return undefined;
    for (let i = 0; i < hashes.length; i += 2) if (hashes[i] === key) return hashes[i + 1];
    return undefined;
  }

  rememberHash(key: string, hash: string): void {
    // The key as one string for every watch (it is built afresh for each card), in an array just
    // as long as its hashes: a pushed-to array keeps room for 16 more.
    const kind = shared(key);
    this.#hashes = this.#hashes ? [...this.#hashes, kind, hash] : [kind, hash];
  }

  /** What the cards show may have changed: every card kind is rendered (and hashed) again. */
  changed(): void {
    this.#hashes = undefined;
    this.cardsInSync = false;
  }

  /** The platform's own status code (the tracked row and the audit trail keep it). */
  get status(): string | undefined {
    return this.#statusCode;
  }

  /** What the status means, of the last snapshot. */
  get state(): RunState | undefined {
    return this.#state;
  }

  /** When the order was created (epoch ms, as the platform says), of the last snapshot. */
  get createdAt(): number | undefined {
    return this.#createdAt;
  }

  /** Whether the last statistics had a host running (a paused order may still finish its running hosts). */
  get running(): boolean {
    return this.#running;
  }

  /** The order's status and position, as compared between two reads. */
  get orderKey(): string | undefined {
    return this.#orderKey;
  }

  /** The order is active but nothing is left to run: COC is about to give it its final status. */
  get statusDue(): boolean {
    const state = this.#state;
    return state !== undefined && ACTIVE_RUN_STATES.has(state) && state !== 'paused' && !this.#unfinished;
  }

  /** The order has ended (or vanished): its cards get their final summary. */
  get final(): boolean {
    return this.gone || (this.#state !== undefined && FINAL_RUN_STATES.has(this.#state));
  }
}

/**
 * The statistics as one short string: equal keys mean nothing moved. Computed for every order
 * every round, so it copies and sorts only what COC did not already send in order.
 */
export function statisticsKey(progress: RunProgress): string {
  const rows = progress.counts.map((c) => `${c.status.code}:${c.count ?? 0}:${sortedList(c.batches)}`);
  if (!inOrder(rows)) rows.sort();
  return `${progress.total ?? ''}|${rows.join(';')}`;
}

function inOrder(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return false;
  return true;
}

function sortedList(indexes: readonly number[] | null | undefined): string {
  if (!indexes || indexes.length === 0) return '';
  for (let i = 1; i < indexes.length; i++) {
    if (indexes[i - 1]! > indexes[i]!) return [...indexes].sort((a, b) => a - b).join(',');
  }
  return indexes.join(',');
}

function orderKey(run: RunSummary): string {
  return `${run.status.code}|${run.currentBatch ?? ''}|${run.finishedAt ?? ''}`;
}

function anyUnfinished(progress: RunProgress): boolean {
  return progress.counts.some((c) => UNFINISHED_HOST_STATES.has(c.status.state) && (c.count ?? 0) > 0);
}

/*
 * A watch keeps, of COC's answers, what the cards show and nothing else: one is kept per live
 * order for as long as it runs. `test/tracker-card-view.test.ts` renders the cards from these
 * views and from COC's whole answers and expects the same messages.
 */

/** A host as the cards show it: name, address, status, timing and, when it failed, its output. */
export function cardHostRun(run: HostRun): HostRun {
  const host = run.host;
  return {
    ref: run.ref,
    host: {
      ...(host.id !== undefined ? { id: host.id } : {}),
      ...(host.name !== undefined ? { name: host.name } : {}),
      ...(host.ip !== undefined ? { ip: host.ip } : {}),
      ...(host.floatingIp !== undefined ? { floatingIp: host.floatingIp } : {}),
    },
    status: run.status,
    ...(run.startedAt !== undefined ? { startedAt: run.startedAt } : {}),
    ...(run.finishedAt !== undefined ? { finishedAt: run.finishedAt } : {}),
    ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
    // The output of hosts that did not fail is never shown on the card.
    ...(run.status.state === FAILED && run.output !== undefined ? { output: run.output } : {}),
  };
}

/** The batch the card lists, its hosts as the cards show them. */
export function cardBatch(batch: BatchHosts): BatchHosts {
  return { ...(batch.index !== undefined ? { index: batch.index } : {}), ...(batch.hostCount !== undefined ? { hostCount: batch.hostCount } : {}), hosts: batch.hosts.map(cardHostRun) };
}

/** The batch plan as the cards use it: numbers and rotation. */
export function cardBatches(batches: readonly BatchSummary[]): BatchSummary[] {
  return batches.map((batch) => ({ index: batch.index, ...(batch.rotation !== undefined ? { rotation: batch.rotation } : {}) }));
}

function failingOf(index: number, batch: BatchHosts): LocatedHostRun[] {
  return batch.hosts.filter((host) => host.status.state === FAILED).map((host) => ({ batchIndex: index, host: cardHostRun(host) }));
}

/** Host refs in a stable order: numerically where they are numbers (COC's instance ids). */
function compareRefs(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * One round for one order. Returns true when the snapshot changed (the cards may need an edit).
 * Backend errors are thrown to the caller, which counts them; nothing here writes to the platform.
 */
export async function observeOrder(backend: Backend, watch: OrderWatch, options: { readonly fullRead: boolean; readonly now?: () => Date }): Promise<boolean> {
  const now = options.now ?? (() => new Date());
  const runs = need(backend, 'runs');
  const id = watch.runId;
  const hadSnapshot = watch.hasSnapshot;
  // After an answer of "no such order" the order itself is read again each round until it is
  // known again or taken as gone: the statistics alone may not move either way.
  const readOrderNow = options.fullRead || !hadSnapshot || watch.notFoundRounds > 0 || watch.roundsSinceOrderRead >= ORDER_READ_EVERY - 1 || watch.statusDue;

  let run: RunSummary | undefined;
  let progress: RunProgress | undefined;
  if (readOrderNow) {
    const [order, statistics] = await Promise.allSettled([runs.read(id), runs.progress(id)]);
    watch.roundsSinceOrderRead = 0;
    if (order.status === 'rejected') throw order.reason;
    run = order.value;
    // Only the order's own "no such order" counts: statistics that COC cannot find while the
    // order reads fine (not ready yet for a new order, a lagging replica) are a failed read.
    if (!run) return notFound(watch, now());
    if (statistics.status === 'rejected') throw statistics.reason;
    progress = statistics.value;
  } else {
    try {
      progress = await runs.progress(id);
    } catch (error) {
      if (normalizeError(error)?.kind !== 'not-found') throw error;
      // The statistics alone do not say the order is gone: ask the order itself.
      run = await runs.read(id);
      watch.roundsSinceOrderRead = 0;
      if (!run) return notFound(watch, now());
      throw error;
    }
    watch.roundsSinceOrderRead++;
    if (statisticsKey(progress) === watch.statisticsKey) return false;
    run = await runs.read(id);
    watch.roundsSinceOrderRead = 0;
    if (!run) return notFound(watch, now());
  }
  watch.notFoundRounds = 0;
  watch.notFoundSince = undefined;
  // The statistics may be older than the order's final status (read alongside it, or before it
  // when they moved): a final card must never say hosts are still running that have ended. They
  // are read once more after the final status, and what they say then is what the card shows.
  if (FINAL_RUN_STATES.has(run.status.state) && anyUnfinished(progress)) progress = await runs.progress(id);

  const key = statisticsKey(progress);
  if (!options.fullRead && hadSnapshot && key === watch.statisticsKey && orderKey(run) === watch.orderKey) return false;

  // The batch plan never changes: taken from the last snapshot (unpacked only now that it changed).
  const batches = watch.snapshot?.batches ?? cardBatches(await runs.batches(id));
  const secrets = watch.secrets ?? (await loadSecrets(backend, run));
  const m = batchCount(batches);
  const shownBatchIndex = currentBatchIndex(run, batches);
  const shownBatch = cardBatch(await runs.batch(id, shownBatchIndex, { limit: BATCH_PAGE }));

  const failedBatches = failedBatchesBesides(progress, m, shownBatchIndex)
    .sort((a, b) => a - b)
    .slice(0, MAX_FAILING_BATCHES);
  const failing: LocatedHostRun[] = [...failingOf(shownBatchIndex, shownBatch)];
  await Promise.all(
    failedBatches.map(async (index) => {
      const settled = watch.settledFailures?.get(index);
      if (settled) {
        failing.push(...settled);
        return;
      }
      const batch = await runs.batch(id, index, { limit: BATCH_PAGE, state: FAILED });
      const found = failingOf(index, batch);
      failing.push(...found);
      if (!batchHasUnfinished(progress, index)) (watch.settledFailures ??= new Map()).set(index, found);
    }),
  );
  failing.sort((a, b) => a.batchIndex - b.batchIndex || compareRefs(a.host.ref, b.host.ref));

  watch.statisticsKey = shared(key);
  watch.snapshot = { run, batches, progress, shownBatchIndex, shownBatch, failing, secrets, vocabulary: backend.vocabulary, ...(runs.batching === 'bot' ? { betweenBatchesOnly: true } : {}) };
  watch.gone = false;
  watch.changed();
  return true;
}

/**
 * One more round whose order read answered "no such order"; the order is gone once that happened
 * often enough in a row and for long enough.
 */
function notFound(watch: OrderWatch, now: Date): boolean {
  if (watch.gone) return false;
  watch.notFoundRounds++;
  watch.notFoundSince ??= now.getTime();
  if (watch.notFoundRounds < GONE_AFTER_NOT_FOUND || now.getTime() - watch.notFoundSince < GONE_AFTER_MS) return false;
  watch.gone = true;
  watch.changed();
  return true;
}
