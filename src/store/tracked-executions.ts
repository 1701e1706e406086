/**
 * Runbook executions whose live cards the bot keeps up to date, and the cards themselves.
 *
 * `tracked_executions` holds one row per execution: which replica polls it (lease_owner /
 * lease_expires_at) and whether its tracking has ended. `tracked_execution_cards` holds one row
 * per place that shows it, with what its card shows now (a hash), when it was last edited and
 * whether it is live, final or given up.
 *
 * Every time is passed in by the caller (the bot's clock), so a fake clock in the tests drives
 * lease expiry and edit spacing exactly as the real one does.
 */
import { z } from 'zod';
import { isIdOf, type RunbookExecutionId } from '../backends/index.js';
import type { Queryable } from './db.js';
import { columnsOf, parseRow, parseRows } from './rows.js';
import { trackedCardRowSchema } from './tracked-orders.js';

const executionIdColumn = z.custom<RunbookExecutionId>((value) => typeof value === 'string' && isIdOf(value, 'execution'), { message: 'not an execution id' });

export const trackedExecutionRowSchema = z.object({
  executionId: executionIdColumn,
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: z.date().nullable(),
  lastStatus: z.string().nullable(),
  nudgedAt: z.date().nullable(),
  ended: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TrackedExecutionRow = z.infer<typeof trackedExecutionRowSchema>;

const EXECUTIONS = 'tracked_executions';
const EXECUTION_COLUMNS = columnsOf(trackedExecutionRowSchema);

/** What a polling round needs of each execution it leases. */
export const executionLeaseSchema = trackedExecutionRowSchema.pick({ executionId: true, leaseExpiresAt: true, lastStatus: true, nudgedAt: true });
export type ExecutionLease = z.infer<typeof executionLeaseSchema>;
const LEASE_COLUMNS = columnsOf(executionLeaseSchema);

export interface ExecutionLeaseRequest {
  /** This replica. */
  readonly owner: string;
  readonly now: Date;
  readonly leaseMs: number;
}

/** Starts tracking an execution; tracking it twice keeps the first row. */
export async function insertTrackedExecution(db: Queryable, executionId: RunbookExecutionId): Promise<void> {
  await db.query(`INSERT INTO tracked_executions (execution_id) VALUES ($1) ON CONFLICT (execution_id) DO NOTHING`, [executionId]);
}

/** A card of this execution is live again (a new place asked for it after its tracking had ended). */
export async function reopenTrackedExecution(db: Queryable, executionId: RunbookExecutionId): Promise<void> {
  await db.query(`UPDATE tracked_executions SET ended = false, updated_at = now() WHERE execution_id = $1 AND ended`, [executionId]);
}

export async function getTrackedExecution(db: Queryable, executionId: RunbookExecutionId): Promise<TrackedExecutionRow | undefined> {
  const { rows } = await db.query(`SELECT ${EXECUTION_COLUMNS} FROM tracked_executions WHERE execution_id = $1`, [executionId]);
  return rows.length === 0 ? undefined : parseRow(trackedExecutionRowSchema, EXECUTIONS, rows[0]);
}

/**
 * The executions this replica polls this round, at most `limit`, their leases taken or renewed in
 * one statement: those it holds, those nobody holds and those whose lease expired (a replica that
 * died). Rows another replica is leasing at this very moment are skipped, not waited for.
 */
export async function leaseTrackedExecutions(db: Queryable, request: ExecutionLeaseRequest & { readonly limit: number }): Promise<ExecutionLease[]> {
  const { rows } = await db.query(
    `UPDATE tracked_executions SET lease_owner = $1, lease_expires_at = $3
     WHERE execution_id IN (
       SELECT execution_id FROM tracked_executions
       WHERE NOT ended AND (lease_expires_at IS NULL OR lease_expires_at < $2 OR lease_owner = $1)
       ORDER BY created_at, execution_id LIMIT $4
       FOR UPDATE SKIP LOCKED)
     RETURNING ${LEASE_COLUMNS}`,
    [request.owner, request.now, new Date(request.now.getTime() + request.leaseMs), request.limit],
  );
  return parseRows(executionLeaseSchema, EXECUTIONS, rows);
}

/** Takes the lease of one execution if it is free, expired or already ours; undefined if another replica holds it. */
export async function leaseTrackedExecution(db: Queryable, executionId: RunbookExecutionId, request: ExecutionLeaseRequest): Promise<ExecutionLease | undefined> {
  const { rows } = await db.query(
    `UPDATE tracked_executions SET lease_owner = $2, lease_expires_at = $4
     WHERE execution_id = (
       SELECT execution_id FROM tracked_executions
       WHERE execution_id = $1 AND NOT ended AND (lease_expires_at IS NULL OR lease_expires_at < $3 OR lease_owner = $2)
       FOR UPDATE SKIP LOCKED)
     RETURNING ${LEASE_COLUMNS}`,
    [executionId, request.owner, request.now, new Date(request.now.getTime() + request.leaseMs)],
  );
  return rows.length === 0 ? undefined : parseRow(executionLeaseSchema, EXECUTIONS, rows[0]);
}

/** Gives up every lease of this replica (on shutdown), so another replica resumes at once. */
export async function releaseExecutionLeases(db: Queryable, owner: string): Promise<number> {
  const { rowCount } = await db.query(`UPDATE tracked_executions SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1`, [owner]);
  return rowCount;
}

/**
 * Ends the tracking of an execution once none of its cards is live, and lets go of its lease.
 * Only the replica holding the lease may do it; true for that one call.
 */
export async function finishTrackedExecution(db: Queryable, executionId: RunbookExecutionId, owner: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tracked_executions e SET ended = true, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE e.execution_id = $1 AND e.lease_owner = $2 AND NOT e.ended
       AND NOT EXISTS (SELECT 1 FROM tracked_execution_cards c WHERE c.execution_id = e.execution_id AND c.card_state = 'live')`,
    [executionId, owner],
  );
  return rowCount === 1;
}

/** The status COC last gave, kept for operators and for a replica that takes over. */
export async function recordExecutionStatus(db: Queryable, executionId: RunbookExecutionId, owner: string, status: string | null): Promise<void> {
  await db.query(`UPDATE tracked_executions SET last_status = $3, updated_at = now() WHERE execution_id = $1 AND lease_owner = $2`, [executionId, owner, status]);
}

/** Asks the replica polling the execution for a fresh read at its next round (after a click on its card). */
export async function nudgeTrackedExecution(db: Queryable, executionId: RunbookExecutionId, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE tracked_executions SET nudged_at = $2 WHERE execution_id = $1 AND NOT ended`, [executionId, at]);
  return rowCount === 1;
}

// ---- cards -------------------------------------------------------------------------------

export const EXECUTION_CARD_STATES = ['live', 'final', 'abandoned'] as const;

/** A card's place, message and edit bookkeeping are the order cards' columns; what it shows and how far it got are its own. */
export const executionCardRowSchema = trackedCardRowSchema
  .omit({ runId: true, finalState: true, finalClaimedAt: true, finalEditedAt: true, noticeState: true, noticeAttempts: true })
  .extend({ executionId: executionIdColumn, cardState: z.enum(EXECUTION_CARD_STATES) });
export type ExecutionCardRow = z.infer<typeof executionCardRowSchema>;

const CARDS = 'tracked_execution_cards';
const CARD_COLUMNS = columnsOf(executionCardRowSchema);

export interface NewExecutionCard {
  readonly executionId: RunbookExecutionId;
  readonly platform: ExecutionCardRow['platform'];
  readonly workspaceId: string;
  readonly channelId: string;
  readonly threadRef?: string | null;
  readonly locale: ExecutionCardRow['locale'];
  readonly requesterUserId?: string | null;
}

/** The cards that meet `condition` (SQL over the card's columns, parameters from $1), oldest first. */
async function cardsWhere(db: Queryable, condition: string, params: readonly unknown[]): Promise<ExecutionCardRow[]> {
  const { rows } = await db.query(`SELECT ${CARD_COLUMNS} FROM tracked_execution_cards WHERE ${condition} ORDER BY created_at, id`, params);
  return parseRows(executionCardRowSchema, CARDS, rows);
}

/**
 * Adds a card for a place; a place that already has one keeps it (`created: false`), unless it
 * was given up before it was ever posted: that one is tried afresh (the bot may have been invited since).
 */
export async function insertExecutionCard(db: Queryable, input: NewExecutionCard): Promise<{ card: ExecutionCardRow; created: boolean }> {
  const place = [input.executionId, input.platform, input.workspaceId, input.channelId, input.threadRef ?? ''];
  const { rows } = await db.query(
    `INSERT INTO tracked_execution_cards (execution_id, platform, workspace_id, channel_id, thread_ref, locale, requester_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (execution_id, platform, workspace_id, channel_id, thread_ref) DO UPDATE
       SET card_state = 'live', edit_failures = 0, retry_after = NULL, reposted = false, locale = EXCLUDED.locale,
           requester_user_id = EXCLUDED.requester_user_id, updated_at = now()
       WHERE tracked_execution_cards.card_state = 'abandoned' AND tracked_execution_cards.message_ref IS NULL
     RETURNING ${CARD_COLUMNS}`,
    [...place, input.locale, input.requesterUserId ?? null],
  );
  if (rows.length === 1) return { card: parseRow(executionCardRowSchema, CARDS, rows[0]), created: true };
  const [kept] = await cardsWhere(db, 'execution_id = $1 AND platform = $2 AND workspace_id = $3 AND channel_id = $4 AND thread_ref = $5', place);
  return { card: parseRow(executionCardRowSchema, CARDS, kept), created: false };
}

export async function getExecutionCard(db: Queryable, id: string): Promise<ExecutionCardRow | undefined> {
  return (await cardsWhere(db, 'id = $1', [id]))[0];
}

/** Every card of an execution. */
export function listExecutionCards(db: Queryable, executionId: RunbookExecutionId): Promise<ExecutionCardRow[]> {
  return cardsWhere(db, 'execution_id = $1', [executionId]);
}

/** The live cards of these executions (those with something left to show). */
export async function listLiveExecutionCards(db: Queryable, executionIds: readonly RunbookExecutionId[]): Promise<ExecutionCardRow[]> {
  return executionIds.length === 0 ? [] : cardsWhere(db, `execution_id = ANY($1::text[]) AND card_state = 'live'`, [executionIds]);
}

/**
 * The card shows `hash` now: posted (`messageRef`, first time or again) or edited; `final` when
 * what it shows is the end, after which it is never edited again. Only a live card changes.
 */
export async function recordExecutionCardShown(
  db: Queryable,
  id: string,
  shown: { readonly hash: string; readonly at: Date; readonly messageRef?: string; readonly final: boolean },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tracked_execution_cards
     SET message_ref = COALESCE($4, message_ref), last_state_hash = $2, last_edited_at = $3, edit_failures = 0, retry_after = NULL,
         card_state = CASE WHEN $5 THEN 'final' ELSE card_state END, updated_at = now()
     WHERE id = $1 AND card_state = 'live'`,
    [id, shown.hash, shown.at, shown.messageRef ?? null, shown.final],
  );
  return rowCount === 1;
}

/**
 * A delivery failed. With `retryAfter` (the platform asked to wait) it is only waited out;
 * otherwise it counts as a failure in a row. Returns the failures in a row.
 */
export async function recordExecutionCardFailed(db: Queryable, id: string, retryAfter: Date | null): Promise<number> {
  const { rows } = await db.query<{ failures: number }>(
    `UPDATE tracked_execution_cards
     SET edit_failures = edit_failures + (CASE WHEN $2::timestamptz IS NULL THEN 1 ELSE 0 END), retry_after = $2, updated_at = now()
     WHERE id = $1 RETURNING edit_failures AS failures`,
    [id, retryAfter],
  );
  return rows[0]?.failures ?? 0;
}

/** Claims the one repost a card gets when it cannot be edited any more (deleted, no access). */
export async function claimExecutionCardRepost(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE tracked_execution_cards SET reposted = true, updated_at = now() WHERE id = $1 AND NOT reposted AND card_state = 'live'`, [id]);
  return rowCount === 1;
}

/** Gives the card up (the platform will not take it); true for the one caller that did. */
export async function abandonExecutionCard(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE tracked_execution_cards SET card_state = 'abandoned', updated_at = now() WHERE id = $1 AND card_state = 'live'`, [id]);
  return rowCount === 1;
}
