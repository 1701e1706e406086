/**
 * Reading one tracked order from COC as cheaply as change detection allows.
 *
 * Each polling round asks COC for the order's statistics only (per-status instance counts and
 * the batches they are in): every host that starts, finishes, fails or is canceled changes
 * them. Only when they changed does the tracker read the order, the batch on the card and the
 * failing hosts' output. The order itself is also read when its status is about to change
 * without the counts moving (every host is done but the order is still active), when a click
 * asked for a fresh read, and every ORDER_READ_EVERY rounds as a safety net.
 *
 * Things that never change during an order are read once and kept: the batch plan, the
 * script's secret parameter names, and the failing hosts of batches that have finished.
 */
import type { CocClient } from '../coc/client.js';
import type { ExecInstance, ScriptOrder, ScriptOrderBatch, ScriptOrderBatchSummary, ScriptOrderStatistics } from '../coc/schemas/orders.js';
import { batchCount, batchHasUnfinished, currentBatchIndex, loadSecrets, readOrder, type LocatedInstance, type OrderSnapshot, type Secrets } from './order-card.js';

/** Order statuses after which nothing changes any more. */
export const FINAL_ORDER_STATUSES: ReadonlySet<string> = new Set(['FINISHED', 'CANCELED', 'ABNORMAL', 'ERROR', 'ROLLBACKED']);
const ACTIVE_ORDER_STATUSES: ReadonlySet<string> = new Set(['READY', 'PROCESSING', 'PAUSED']);
const UNFINISHED_INSTANCE_STATUSES: ReadonlySet<string> = new Set(['READY', 'PROCESSING']);
const FAILED = 'ABNORMAL';
/** COC's page cap for a batch's hosts; a batch holds at most 10. */
const BATCH_PAGE = 50;
/** Batches with failures read for the card besides the one it shows (as `order show`). */
const MAX_FAILING_BATCHES = 5;
/** Rounds between two reads of the order when its counts do not move. */
export const ORDER_READ_EVERY = 30;

/**
 * What the tracker remembers of one order between rounds (memory only; rebuilt after a restart).
 * One is kept per live order, so it holds what the next round needs and no more: the last
 * snapshot (cards are rendered from it when it changed, when an edit was held back by the edit
 * spacing, or when COC cannot be read), the keys that tell whether COC's answer changed, and
 * the hash of each card kind rendered from the snapshot, not the rendered message.
 */
export class OrderWatch {
  snapshot: OrderSnapshot | undefined;
  /** COC no longer knows the order (404). */
  gone = false;
  /** Reads from COC that failed in a row, and since when. */
  failures = 0;
  failingSince: Date | undefined;
  /** The last nudge (click) seen in the store, epoch ms. */
  nudgeSeen: number | undefined;
  /** Set by a click in this process: read everything at the next round. */
  forceRead = false;
  roundsSinceOrderRead: number;
  statisticsKey: string | undefined;
  batches: readonly ScriptOrderBatchSummary[] | undefined;
  secrets: Secrets | undefined;
  /** Failing hosts of batches that have finished (they do not change any more). */
  readonly settledFailures = new Map<number, readonly LocatedInstance[]>();

  constructor(readonly executeUuid: string) {
    // Spread the safety-net reads of many orders over the rounds instead of all at once.
    let spread = 0;
    for (const char of executeUuid) spread = (spread * 31 + char.charCodeAt(0)) % ORDER_READ_EVERY;
    this.roundsSinceOrderRead = spread;
  }

  /**
   * Hashes of the cards rendered from the current state, by kind and locale; emptied when the
   * state changes. An unchanged order is compared by hash alone; the message itself is rendered
   * again only when a card must be edited.
   */
  readonly hashes = new Map<string, string>();

  /** What the cards show may have changed. */
  changed(): void {
    this.hashes.clear();
  }

  get status(): string | undefined {
    return this.snapshot?.order.status;
  }

  /** The order has ended (or vanished): its cards get their final summary. */
  get final(): boolean {
    return this.gone || (this.snapshot !== undefined && FINAL_ORDER_STATUSES.has(this.snapshot.order.status));
  }
}

/**
 * The statistics as one short string: equal keys mean nothing moved. Computed for every order
 * every round, so it copies and sorts only what COC did not already send in order.
 */
export function statisticsKey(statistics: ScriptOrderStatistics): string {
  const rows = statistics.execute_statistics.map((s) => `${s.instance_status}:${s.instance_count ?? 0}:${sortedList(s.batch_indexes)}`);
  if (!inOrder(rows)) rows.sort();
  return `${statistics.total_instance ?? ''}|${rows.join(';')}`;
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

function orderKey(order: ScriptOrder): string {
  return `${order.status}|${order.properties?.current_execute_batch_index ?? ''}|${order.gmt_finished ?? ''}`;
}

function anyUnfinished(statistics: ScriptOrderStatistics): boolean {
  return statistics.execute_statistics.some((s) => UNFINISHED_INSTANCE_STATUSES.has(s.instance_status) && (s.instance_count ?? 0) > 0);
}

/** The order is active but nothing is left to run: COC is about to give it its final status. */
function statusDue(snapshot: OrderSnapshot): boolean {
  return ACTIVE_ORDER_STATUSES.has(snapshot.order.status) && snapshot.order.status !== 'PAUSED' && !anyUnfinished(snapshot.statistics);
}

/*
 * A watch keeps, of COC's answers, what the cards show and nothing else: one is kept per live
 * order for as long as it runs. `test/tracker-card-view.test.ts` renders the cards from these
 * views and from COC's whole answers and expects the same messages.
 */

/** A host as the cards show it: name, address, status, timing and, when it failed, its output. */
export function cardInstance(instance: ExecInstance): ExecInstance {
  const target = instance.target_instance;
  const props = target?.properties;
  return {
    id: instance.id,
    gmt_created: instance.gmt_created,
    gmt_finished: instance.gmt_finished,
    execute_costs: instance.execute_costs,
    status: instance.status,
    // The output of hosts that did not fail is never shown on the card.
    message: instance.status === FAILED ? instance.message : undefined,
    target_instance: target && {
      resource_id: target.resource_id,
      custom_attributes: [],
      properties: props && { host_name: props.host_name, fixed_ip: props.fixed_ip, floating_ip: props.floating_ip },
    },
  };
}

/** The batch the card lists, its hosts as the cards show them. */
export function cardBatch(batch: ScriptOrderBatch): ScriptOrderBatch {
  return { batch_index: batch.batch_index, total_instances: batch.total_instances, execute_instances: batch.execute_instances.map(cardInstance) };
}

/** The batch plan as the cards use it: numbers and rotation. */
export function cardBatches(batches: readonly ScriptOrderBatchSummary[]): ScriptOrderBatchSummary[] {
  return batches.map((batch) => ({ batch_index: batch.batch_index, rotation_strategy: batch.rotation_strategy }));
}

function failingOf(index: number, batch: ScriptOrderBatch): LocatedInstance[] {
  return batch.execute_instances.filter((instance) => instance.status === FAILED).map((instance) => ({ batchIndex: index, instance: cardInstance(instance) }));
}

/**
 * One round for one order. Returns true when the snapshot changed (the cards may need an edit).
 * COC errors are thrown to the caller, which counts them; nothing here writes to COC.
 */
export async function observeOrder(coc: CocClient, watch: OrderWatch, options: { readonly fullRead: boolean }): Promise<boolean> {
  const uuid = watch.executeUuid;
  const previous = watch.snapshot;
  const readOrderNow = options.fullRead || !previous || watch.roundsSinceOrderRead >= ORDER_READ_EVERY - 1 || statusDue(previous);

  let order: ScriptOrder | undefined;
  let statistics: ScriptOrderStatistics;
  if (readOrderNow) {
    [order, statistics] = await Promise.all([readOrder(coc, uuid), coc.getScriptOrderStatistics(uuid)]);
    watch.roundsSinceOrderRead = 0;
    if (!order) return markGone(watch);
  } else {
    statistics = await coc.getScriptOrderStatistics(uuid);
    watch.roundsSinceOrderRead++;
    if (statisticsKey(statistics) === watch.statisticsKey) return false;
    order = await readOrder(coc, uuid);
    watch.roundsSinceOrderRead = 0;
    if (!order) return markGone(watch);
  }

  const key = statisticsKey(statistics);
  if (!options.fullRead && previous && key === watch.statisticsKey && orderKey(order) === orderKey(previous.order)) return false;

  const batches = watch.batches ?? cardBatches(await coc.listScriptOrderBatches(uuid));
  const secrets = watch.secrets ?? (await loadSecrets(coc, order));
  const m = batchCount(order, batches);
  const shownBatchIndex = currentBatchIndex(order, batches);
  const shownBatch = cardBatch(await coc.getScriptOrderBatch(uuid, shownBatchIndex, { limit: BATCH_PAGE }));

  const failedBatches = (statistics.execute_statistics.find((s) => s.instance_status === FAILED)?.batch_indexes ?? [])
    .filter((index) => Number.isInteger(index) && index >= 1 && index <= m && index !== shownBatchIndex)
    .sort((a, b) => a - b)
    .slice(0, MAX_FAILING_BATCHES);
  const failing: LocatedInstance[] = [...failingOf(shownBatchIndex, shownBatch)];
  await Promise.all(
    failedBatches.map(async (index) => {
      const settled = watch.settledFailures.get(index);
      if (settled) {
        failing.push(...settled);
        return;
      }
      const batch = await coc.getScriptOrderBatch(uuid, index, { limit: BATCH_PAGE, status: FAILED });
      const found = failingOf(index, batch);
      failing.push(...found);
      if (!batchHasUnfinished(statistics, index)) watch.settledFailures.set(index, found);
    }),
  );
  failing.sort((a, b) => a.batchIndex - b.batchIndex || a.instance.id - b.instance.id);

  watch.batches = batches;
  watch.secrets = secrets;
  watch.statisticsKey = key;
  watch.snapshot = { order, batches, statistics, shownBatchIndex, shownBatch, failing, secrets };
  watch.gone = false;
  watch.changed();
  return true;
}

function markGone(watch: OrderWatch): boolean {
  if (watch.gone) return false;
  watch.gone = true;
  watch.changed();
  return true;
}
