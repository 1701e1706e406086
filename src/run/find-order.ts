/**
 * Finding, in COC itself, the order an execute request created when its answer was lost.
 *
 * COC gives no idempotency key, so an order is recognised by what the plan sent: created in the
 * window since the request was sent, the same script, and exactly the same hosts in the same
 * batches (resource ids, batch by batch). An order another plan already holds is never taken,
 * so two identical runs whose answers were both lost each get their own order.
 */
import type { CocClient } from '../coc/client.js';
import type { ScriptOrderListItem } from '../coc/schemas/orders.js';
import type { Queryable } from '../store/db.js';
import { isOrderOfAnotherPlan, type RunPlanRow } from '../store/run-plans.js';
import { planDetails } from './plan-details.js';

/** COC's clock and ours may differ: the window opens this much before the request was sent. */
export const CLOCK_SKEW_MS = 5 * 60_000;
const PAGE = 100;
/** Orders created in the window read at most (a busy tenant); beyond it the outcome stays unknown. */
const MAX_CANDIDATES = 500;
/** Hosts read per batch page (COC's maximum). */
const BATCH_PAGE = 50;

export type FoundOrder =
  | { readonly kind: 'found'; readonly executeUuid: string }
  /** The whole window was read and no order matches. */
  | { readonly kind: 'absent'; readonly candidates: number }
  /** The window holds more orders than are read: neither found nor proven absent. */
  | { readonly kind: 'too-many'; readonly candidates: number };

/** Reads COC's order list in the plan's window and returns the plan's order, if COC has it. */
export async function findOrderOfPlan(coc: CocClient, db: Queryable, plan: RunPlanRow, sentAt: Date, requestTimeoutMs: number): Promise<FoundOrder> {
  const candidates: ScriptOrderListItem[] = [];
  let marker: number | undefined;
  // COC creates the order while it handles the request: not later than the request's own timeout.
  const window = { start_time: sentAt.getTime() - CLOCK_SKEW_MS, end_time: sentAt.getTime() + requestTimeoutMs + CLOCK_SKEW_MS };
  for (;;) {
    const page = await coc.listScriptOrders({ ...window, limit: PAGE, ...(marker !== undefined ? { marker } : {}) });
    const rows = page.data ?? [];
    candidates.push(...rows);
    if (candidates.length > MAX_CANDIDATES) return { kind: 'too-many', candidates: candidates.length };
    const last = rows.at(-1)?.order_id;
    if (rows.length < PAGE || last === undefined || last === null) break;
    marker = last;
  }
  for (const candidate of candidates) {
    if (await matches(coc, db, plan, candidate.execute_uuid)) return { kind: 'found', executeUuid: candidate.execute_uuid };
  }
  return { kind: 'absent', candidates: candidates.length };
}

/** Same script, same hosts in the same batches, and not another plan's order. */
async function matches(coc: CocClient, db: Queryable, plan: RunPlanRow, executeUuid: string): Promise<boolean> {
  if (await isOrderOfAnotherPlan(db, executeUuid, plan.id)) return false;
  const order = await coc.getScriptOrder(executeUuid);
  if (order.properties?.script_uuid !== plan.scriptUuid) return false;
  const wanted = planDetails(plan).batches;
  const batches = await coc.listScriptOrderBatches(executeUuid);
  if (batches.length !== wanted.length) return false;
  for (const batch of wanted) {
    const summary = batches.find((b) => b.batch_index === batch.index);
    if (!summary || (summary.total_instances ?? -1) !== batch.hosts.length) return false;
  }
  for (const batch of wanted) {
    const ids = await resourceIdsOfBatch(coc, executeUuid, batch.index);
    const expected = new Set(batch.hosts.map((host) => host.resourceId));
    if (ids.length !== expected.size || !ids.every((id) => expected.has(id))) return false;
  }
  return true;
}

async function resourceIdsOfBatch(coc: CocClient, executeUuid: string, batchIndex: number): Promise<string[]> {
  const ids: string[] = [];
  let marker: number | undefined;
  for (;;) {
    const page = await coc.getScriptOrderBatch(executeUuid, batchIndex, { limit: BATCH_PAGE, ...(marker !== undefined ? { marker } : {}) });
    const instances = page.execute_instances ?? [];
    for (const instance of instances) ids.push(instance.target_instance?.resource_id ?? '');
    if (instances.length < BATCH_PAGE) return ids;
    marker = instances.at(-1)!.id;
  }
}
