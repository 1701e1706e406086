/**
 * Write intents: the audit rows of writes to COC, committed before the request is sent (see
 * AuditLog.beforeWrite) and completed with the outcome:
 *
 *   pending → succeeded (COC did it) | failed (COC refused before acting) | unknown (it may have)
 *
 * A row left 'pending' belongs to a process that died during the call (kill -9, a crash, a
 * stop that could not wait). Once it is older than any COC request can take, it is settled as
 * 'unknown' — never as failed: COC may well have acted — and handed to reconciliation, which
 * checks COC and may later say what happened (`resolveWriteIntent`).
 */
import { z } from 'zod';
import type { WriteIntentResult } from '../backends/index.js';
import { toStorableText } from '../core/storable-text.js';
import {
  completeWriteIntent,
  settlePendingWriteIntents,
  type OpenWriteIntent,
  type WriteIntentCompletion,
} from '../store/audit-events.js';
import type { Db, Queryable } from '../store/db.js';

/** What a dangling intent's row says: stored in English, as every audit error is. */
export const DANGLING_INTENT_ERROR =
  'outcome unknown: the bot stopped during this COC call, so COC may or may not have acted. It was not sent again; check in COC before repeating it.';

/** How the settled rows are handed on: the row's id, what was called, on what, and its safe parameters. */
export type SettledWriteIntent = Pick<OpenWriteIntent, 'id' | 'command' | 'target' | 'maskedParameters'>;

export const settleOptionsSchema = z.object({
  /** A pending intent older than this is dangling: longer than any COC request can take. */
  olderThanMs: z.number().nonnegative(),
  /**
   * Also dangling: intents begun before this instant (an embedded store belongs to one process,
   * so what it holds from before this process started was left by an earlier one).
   */
  leftBefore: z.date().optional(),
  /** Most rows settled per call (default 100); the next round takes the rest. */
  limit: z.number().int().positive().optional(),
});
export type SettleOptions = z.infer<typeof settleOptionsSchema>;

const DEFAULT_LIMIT = 100;

/** Pending write intents whose process is gone, marked 'unknown'; returned oldest first. */
export async function settleDanglingWriteIntents(db: Queryable, options: SettleOptions): Promise<SettledWriteIntent[]> {
  const { olderThanMs, leftBefore, limit } = settleOptionsSchema.parse(options);
  // The same judgement as recovery's "left behind": older than the longest request, or from
  // before this process took an embedded store. The database's clock, as the rows were stamped.
  const before = {
    sql: 'greatest(now() - make_interval(secs => $3::double precision), $4::timestamptz)',
    params: [olderThanMs / 1000, leftBefore ?? new Date(0)],
  };
  const settled = await settlePendingWriteIntents(db, DANGLING_INTENT_ERROR, before, limit ?? DEFAULT_LIMIT);
  return settled.map(({ id, command, target, maskedParameters }) => ({ id, command, target, maskedParameters }));
}

/** What reconciliation learned about an intent: what COC did, and how that is known. */
export type ResolvedOutcome = 'succeeded' | 'failed' | 'unknown';

/**
 * Records what reconciliation found for a write intent still open (pending or unknown):
 * `note` says how it is known ("order SCT… found in COC's order list", "absent after two
 * reads"). False when the intent is unknown to the store or already final.
 */
export async function resolveWriteIntent(db: Db | Queryable, id: string, outcome: ResolvedOutcome, note: string): Promise<boolean> {
  const text = toStorableText(note, 1_000);
  return completeWriteIntent(db, id, {
    outcome,
    error: outcome === 'succeeded' ? null : text,
    addParameters: { resolution: text },
  });
}

/** The row's completion for a finished call, as the backend reports it. */
export function intentCompletion(result: WriteIntentResult): WriteIntentCompletion {
  const addParameters = {
    ...(result.status !== undefined ? { status: result.status } : {}),
    durationMs: Math.round(result.durationMs),
    attempt: 1,
  };
  const requestId = result.requestId === undefined ? null : toStorableText(result.requestId, 300);
  if (result.outcome === 'done') return { outcome: 'succeeded', error: null, requestId, addParameters };
  const how = `${result.callOutcome ?? 'not sent'}${result.errorCode ? ` ${result.errorCode}` : ''}`;
  const error = result.outcome === 'refused' ? how : `${how}; outcome unknown: COC may have acted`;
  return { outcome: result.outcome === 'refused' ? 'failed' : 'unknown', error: toStorableText(error, 1_000), requestId, addParameters };
}
