/**
 * Paused orders that are still paused, learnt from the platform's order list instead of one
 * statistics read per order.
 *
 * Of many live orders most wait, paused between batches, for someone to continue them. A paused
 * order whose last statistics had no host running cannot move until someone operates it, and an
 * operation (continue, cancel) changes its status. So one page of the order list, filtered on the
 * paused status (up to 100 orders per request), tells a round which of them it need not read:
 * those the list still shows paused. Everything else is read as before:
 *
 * - an order the list does not show (its status changed, the list was cut short, the platform
 *   failed or answered a page it did not fill) is read: only a positive "still paused" skips one;
 * - a click in the bot, a failing or not-found order, and one whose last statistics had a host
 *   running are never skipped;
 * - the safety-net read of every ORDER_READ_EVERY rounds still comes (an operation on a paused
 *   order that keeps it paused, such as canceling a waiting host from the platform's console,
 *   shows within that many rounds).
 */
import type { Backend, RunId } from '../backends/index.js';
import { ORDER_READ_EVERY, type OrderWatch } from './tracker-observe.js';

/** Orders per page of the platform's list (COC's maximum). */
const LIST_PAGE = 100;
/**
 * Pages read per status, as a multiple of the pages the candidates alone would fill: the list also
 * shows paused orders this replica does not poll (other replicas', orders nobody watches).
 */
const PAGES_PER_CANDIDATE_PAGE = 4;
/** Pages read per status at least, however few the candidates. */
const MIN_PAGES = 10;
/** Orders created this long before the oldest candidate are listed too (clocks and rounding). */
const CREATED_MARGIN_MS = 60_000;

/** Whether the order list may answer for this order this round instead of its statistics. */
export function mayBeSkippedWhilePaused(watch: OrderWatch, nudged: boolean): boolean {
  return (
    watch.state === 'paused' &&
    !watch.running &&
    watch.hasSnapshot &&
    watch.status !== undefined &&
    watch.createdAt !== undefined &&
    !watch.gone &&
    !watch.forceRead &&
    !nudged &&
    watch.failures === 0 &&
    watch.notFoundRounds === 0 &&
    watch.roundsSinceOrderRead < ORDER_READ_EVERY - 1
  );
}

/**
 * The candidates the platform's list shows with the status their watch last read (still paused).
 * Never throws: a list that fails answers none, and those orders are read one by one.
 */
export async function stillPaused(backend: Backend, candidates: readonly OrderWatch[]): Promise<Set<RunId>> {
  const found = new Set<RunId>();
  const runs = backend.runs;
  if (!runs?.list || runs.advance || candidates.length === 0) return found;
  const byStatus = new Map<string, Map<RunId, OrderWatch>>();
  for (const watch of candidates) {
    const code = watch.status!;
    if (!runs.listStatusCodes.includes(code)) continue;
    let group = byStatus.get(code);
    if (!group) byStatus.set(code, (group = new Map()));
    group.set(watch.runId, watch);
  }
  for (const [statusCode, group] of byStatus) {
    let from = Number.POSITIVE_INFINITY;
    for (const watch of group.values()) from = Math.min(from, watch.createdAt!);
    const maxPages = Math.max(MIN_PAGES, PAGES_PER_CANDIDATE_PAGE * Math.ceil(group.size / LIST_PAGE));
    let after: string | undefined;
    let matched = 0;
    try {
      for (let page = 0; page < maxPages && matched < group.size; page++) {
        const listed = await runs.list({ statusCode, from: Math.max(0, from - CREATED_MARGIN_MS), limit: LIST_PAGE, ...(after !== undefined ? { after } : {}) });
        for (const item of listed.items) {
          // The list may name a status it was not asked for (a platform that ignores the filter): only the same code counts.
          if (item.status.code === statusCode && group.has(item.id) && !found.has(item.id)) {
            found.add(item.id);
            matched++;
          }
        }
        if (listed.next === undefined || listed.items.length === 0) break;
        after = listed.next;
      }
    } catch {
      // The list failed part way: what it showed before stands (each item was paused when listed).
    }
  }
  return found;
}
