/**
 * After an order operation whose answer was lost (5xx, timeout, reset, unreadable body, an
 * error envelope on a 2xx: coc/write-outcome.ts "unknown"), the order itself says whether the
 * operation took effect. This reads it back once (and the batch, for skip-batch and
 * cancel-instance) and decides:
 *
 * - done: the order shows the operation's effect (CANCELED, PAUSED, the hosts canceled…);
 * - not-done: it clearly shows the operation did not happen (still PAUSED after continue,
 *   still running after cancel, the host still waiting…);
 * - unknown: it cannot tell (unreadable, or a pause while a batch is running: COC applies it
 *   only when the batch finishes, and the order does not show a pending pause).
 *
 * Nothing here sends anything: the operation is never retried blindly.
 */
import type { CocClient } from '../src/coc/client.js';
import type { ExecInstance, ScriptOrder } from '../src/coc/schemas/orders.js';
import { currentBatchIndex, readOrder } from '../src/orders/order-card.js';

export type ReadBackVerdict = 'done' | 'not-done' | 'unknown';

/** What the operation was meant to change, as planned before it was sent. */
export type SentOperation =
  | { readonly operation: 'pause' | 'continue' | 'cancel' }
  | { readonly operation: 'skip-batch'; readonly batch: number; readonly instanceIds: readonly number[] }
  | { readonly operation: 'cancel-instance'; readonly batch: number; readonly instanceId: number };

export interface ReadBack {
  readonly verdict: ReadBackVerdict;
  /** The order as read back; undefined when it could not be read. */
  readonly order: ScriptOrder | undefined;
}

const ACTIVE = new Set(['READY', 'PROCESSING', 'PAUSED']);
const UNFINISHED = new Set(['READY', 'PROCESSING']);

async function quietly<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

function orderVerdict(sent: SentOperation['operation'], status: string): ReadBackVerdict {
  switch (sent) {
    case 'cancel':
      // Any other end (FINISHED, ERROR…) or still running means the cancel did not happen.
      return status === 'CANCELED' ? 'done' : 'not-done';
    case 'continue':
      if (status === 'PAUSED') return 'not-done';
      // A paused order only moves on when continued; a cancel by someone else is not ours.
      return status === 'CANCELED' ? 'unknown' : 'done';
    case 'pause':
      if (status === 'PAUSED') return 'done';
      // COC pauses a running order only after its current batch: "still running" proves nothing
      // until the batch is read (pauseVerdict).
      return ACTIVE.has(status) ? 'unknown' : 'not-done';
    default:
      return 'unknown';
  }
}

function instancesVerdict(instances: readonly ExecInstance[], ids: readonly number[]): ReadBackVerdict {
  const ours = instances.filter((instance) => ids.includes(instance.id));
  if (ours.length !== ids.length || ours.length === 0) return 'unknown';
  if (ours.every((instance) => instance.status === 'CANCELED')) return 'done';
  if (ours.every((instance) => instance.status !== 'CANCELED')) return 'not-done';
  return 'unknown';
}

/**
 * A pause COC received pauses at once when no host of the current batch is running, and a
 * paused order stays paused until someone continues it. So an active order whose current
 * batch runs no host now was not paused; one that is running a host may still pause.
 */
async function pauseVerdict(coc: CocClient, order: ScriptOrder): Promise<ReadBackVerdict> {
  const verdict = orderVerdict('pause', order.status);
  if (verdict !== 'unknown') return verdict;
  const batches = await quietly(() => coc.listScriptOrderBatches(order.execute_uuid));
  if (!batches) return 'unknown';
  const batch = await quietly(() => coc.getScriptOrderBatch(order.execute_uuid, currentBatchIndex(order, batches), { limit: 50 }));
  if (!batch) return 'unknown';
  return batch.execute_instances.some((instance) => instance.status === 'PROCESSING') ? 'unknown' : 'not-done';
}

/** Reads the order (and the batch) back after a lost answer; never throws. */
export async function readBackOperation(coc: CocClient, uuid: string, sent: SentOperation): Promise<ReadBack> {
  const order = await quietly(() => readOrder(coc, uuid));
  if (!order) return { verdict: 'unknown', order };
  if (sent.operation === 'pause') return { verdict: await pauseVerdict(coc, order), order };
  if (sent.operation !== 'skip-batch' && sent.operation !== 'cancel-instance') return { verdict: orderVerdict(sent.operation, order.status), order };
  const batch = await quietly(() => coc.getScriptOrderBatch(uuid, sent.batch, { limit: 50 }));
  if (!batch) return { verdict: 'unknown', order };
  const ids = sent.operation === 'skip-batch' ? sent.instanceIds : [sent.instanceId];
  const verdict = instancesVerdict(batch.execute_instances, ids);
  // An order that ended while its hosts were still waiting canceled them itself: not ours to claim.
  if (verdict === 'done' && order.status === 'CANCELED') return { verdict: 'unknown', order };
  if (verdict === 'not-done' && !ACTIVE.has(order.status) && batch.execute_instances.some((i) => UNFINISHED.has(i.status))) return { verdict: 'unknown', order };
  return { verdict, order };
}
