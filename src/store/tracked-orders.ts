/**
 * Orders whose live cards the bot keeps up to date, and the cards themselves.
 *
 * `tracked_orders` holds one row per order: the first place that asked for it, which replica
 * polls it (lease_owner / lease_expires_at) and whether everything about it has been posted.
 * `tracked_order_cards` holds one row per place that watches it, with what its card shows now
 * (a hash), when it was last edited and how far its final summary got.
 *
 * Every time in these queries is passed in by the caller (the bot's clock), so a fake clock in
 * the tests drives lease expiry and edit spacing exactly as the real one does in production.
 */
import { z } from 'zod';
import { backendOf, type RunId } from '../backends/ids.js';
import type { Db, Queryable } from './db.js';
import { BACKEND_NAMES, runIdColumn } from './id-columns.js';
import { columnsOf, parseRow, parseRows } from './rows.js';
import { CHAT_PLATFORMS, LOCALES } from './vocabulary.js';

export const trackedOrderRowSchema = z.object({
  runId: runIdColumn,
  backend: z.enum(BACKEND_NAMES),
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  channelId: z.string(),
  messageRef: z.string().nullable(),
  threadRef: z.string().nullable(),
  approvalId: z.uuid().nullable(),
  startedByIamUser: z.string().nullable(),
  lastStateHash: z.string().nullable(),
  lastEditedAt: z.date().nullable(),
  finalPosted: z.boolean(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: z.date().nullable(),
  lastStatus: z.string().nullable(),
  backendFailingSince: z.date().nullable(),
  nudgedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TrackedOrderRow = z.infer<typeof trackedOrderRowSchema>;

export interface NewTrackedOrder {
  runId: RunId;
  platform: TrackedOrderRow['platform'];
  workspaceId: string;
  channelId: string;
  messageRef?: string | null;
  threadRef?: string | null;
  approvalId?: string | null;
  startedByIamUser?: string | null;
}

const TABLE = 'tracked_orders';
const COLUMNS = columnsOf(trackedOrderRowSchema);

/**
 * What a polling round needs of each order it leases. A round lists every order the replica
 * polls (a thousand, say) and keeps the list until the round ends, so it reads these columns
 * only, not whole rows.
 */
export const trackedOrderLeaseSchema = trackedOrderRowSchema.pick({
  runId: true,
  leaseExpiresAt: true,
  lastStatus: true,
  backendFailingSince: true,
  nudgedAt: true,
});
export type TrackedOrderLease = z.infer<typeof trackedOrderLeaseSchema>;
const LEASE_COLUMNS = columnsOf(trackedOrderLeaseSchema);

/** Starts tracking an order; tracking the same order twice keeps the first row. */
export async function insertTrackedOrder(db: Queryable, input: NewTrackedOrder): Promise<TrackedOrderRow> {
  await db.query(
    `INSERT INTO tracked_orders
       (run_id, backend, platform, workspace_id, channel_id, message_ref, thread_ref, approval_id, started_by_iam_user)
     VALUES ($1, $9, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (run_id) DO NOTHING`,
    [
      input.runId,
      input.platform,
      input.workspaceId,
      input.channelId,
      input.messageRef ?? null,
      input.threadRef ?? null,
      input.approvalId ?? null,
      input.startedByIamUser ?? null,
      backendOf(input.runId),
    ],
  );
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM tracked_orders WHERE run_id = $1`, [input.runId]);
  return parseRow(trackedOrderRowSchema, TABLE, rows[0]);
}

export async function getTrackedOrder(db: Queryable, runId: RunId): Promise<TrackedOrderRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM tracked_orders WHERE run_id = $1`, [runId]);
  return rows.length === 0 ? undefined : parseRow(trackedOrderRowSchema, TABLE, rows[0]);
}

// ---- leases ------------------------------------------------------------------------------

export interface LeaseRequest {
  /** This replica. */
  readonly owner: string;
  readonly now: Date;
  readonly leaseMs: number;
}

/** Leased orders read per fetch (leaseTrackedOrders). */
const LEASE_PAGE = 500;

/**
 * The orders this replica polls this round, at most `limit`, oldest first, each made into what
 * the round keeps of it by `as` as soon as it is read: those it holds, plus those nobody holds or
 * whose lease expired (a replica that died), which it takes. Rows another replica is leasing at
 * this very moment are skipped, not waited for.
 *
 * A held lease is renewed only once less than half of it is left, so a replica with many
 * orders does not rewrite every row every round; whoever polls checks that a good part of the
 * lease remains before acting on an order.
 *
 * Taken and renewed by one statement, then read through a cursor LEASE_PAGE rows at a time, in
 * one transaction. Ten thousand rows read at once were made into objects all at once (the
 * embedded store's rows, then the schema's), more than the young generation holds: ~4.6 MB moved
 * to the old generation to die there every round, against ~0.7 MB read a page at a time. (Pages
 * read by statements of their own cost the embedded store a scan and a sort each.)
 */
export async function leaseTrackedOrders<T>(db: Db, request: LeaseRequest & { readonly limit: number }, as: (row: TrackedOrderLease) => T): Promise<T[]> {
  const expires = new Date(request.now.getTime() + request.leaseMs);
  const renewBefore = new Date(request.now.getTime() + request.leaseMs / 2);
  return db.transaction(async (tx) => {
    await tx.query(
      `WITH held AS (
         SELECT 1 FROM tracked_orders
         WHERE lease_owner = $1 AND lease_expires_at >= $5 AND NOT final_posted
         LIMIT $4
       )
       UPDATE tracked_orders SET lease_owner = $1, lease_expires_at = $3
       WHERE run_id IN (
         SELECT run_id FROM tracked_orders
         WHERE NOT final_posted
           AND (lease_expires_at IS NULL OR lease_expires_at < $2 OR (lease_owner = $1 AND lease_expires_at < $5))
         ORDER BY (lease_owner IS NOT DISTINCT FROM $1) DESC, created_at, run_id
         LIMIT GREATEST(0, $4 - (SELECT count(*) FROM held))
         FOR UPDATE SKIP LOCKED)`,
      [request.owner, request.now, expires, request.limit, renewBefore],
    );
    // Held now: the ones held before (more than half of their lease left) and the ones just taken or renewed.
    await tx.query(
      `DECLARE leased_orders NO SCROLL CURSOR FOR
       SELECT ${LEASE_COLUMNS} FROM tracked_orders
       WHERE lease_owner = $1 AND lease_expires_at >= $2 AND NOT final_posted
       ORDER BY created_at, run_id
       LIMIT $3`,
      [request.owner, renewBefore, request.limit],
    );
    const leased: T[] = [];
    for (;;) {
      const { rows } = await tx.query(`FETCH ${LEASE_PAGE} FROM leased_orders`);
      for (const row of parseRows(trackedOrderLeaseSchema, TABLE, rows)) leased.push(as(row));
      if (rows.length < LEASE_PAGE) return leased;
    }
  });
}

/**
 * Renews this replica's leases of these orders (a long round, such as the first after a restart
 * that reads every order afresh, would otherwise outlast them); returns the orders still held
 * and their new expiry. An order another replica took meanwhile is not returned.
 */
export async function renewTrackedOrderLeases(db: Queryable, runIds: readonly RunId[], request: LeaseRequest): Promise<Map<string, Date>> {
  if (runIds.length === 0) return new Map();
  const expires = new Date(request.now.getTime() + request.leaseMs);
  const { rows } = await db.query<{ run_id: string }>(
    `UPDATE tracked_orders SET lease_expires_at = $3
     WHERE run_id = ANY($1::text[]) AND lease_owner = $2 AND NOT final_posted
     RETURNING run_id`,
    [runIds, request.owner, expires],
  );
  return new Map(rows.map((row) => [row.run_id, expires]));
}

/** Takes the lease of one order if it is free, expired or already ours; false if another replica holds it. */
export async function leaseTrackedOrder(db: Queryable, runId: RunId, request: LeaseRequest): Promise<TrackedOrderRow | undefined> {
  const expires = new Date(request.now.getTime() + request.leaseMs);
  const { rows } = await db.query(
    `UPDATE tracked_orders SET lease_owner = $2, lease_expires_at = $4
     WHERE run_id = (
       SELECT run_id FROM tracked_orders
       WHERE run_id = $1 AND (lease_expires_at IS NULL OR lease_expires_at < $3 OR lease_owner = $2)
       FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [runId, request.owner, request.now, expires],
  );
  return rows.length === 0 ? undefined : parseRow(trackedOrderRowSchema, TABLE, rows[0]);
}

/** Gives up every lease of this replica (on shutdown), so another replica resumes at once. */
export async function releaseTrackedOrderLeases(db: Queryable, owner: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE tracked_orders SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1`,
    [owner],
  );
  return rowCount;
}

/** A card of this order is live again (a new place asked to watch it). */
export async function reopenTrackedOrder(db: Queryable, runId: RunId): Promise<void> {
  await db.query(`UPDATE tracked_orders SET final_posted = false, updated_at = now() WHERE run_id = $1 AND final_posted`, [runId]);
}

/**
 * Ends the tracking of an order once none of its cards has anything left to post, and lets go
 * of its lease. Only the replica holding the lease may do it.
 */
export async function finishTrackedOrder(db: Queryable, runId: RunId, owner: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tracked_orders o SET final_posted = true, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE o.run_id = $1 AND o.lease_owner = $2 AND NOT o.final_posted
       AND NOT EXISTS (SELECT 1 FROM tracked_order_cards c
                       WHERE c.run_id = o.run_id AND c.final_state NOT IN ('done', 'abandoned'))`,
    [runId, owner],
  );
  return rowCount === 1;
}

/** What the backend last said about the run, kept for operators and for a replica that takes over. */
export async function recordTrackedOrderState(
  db: Queryable,
  runId: RunId,
  owner: string,
  state: { readonly lastStatus: string | null; readonly backendFailingSince: Date | null },
): Promise<void> {
  await db.query(
    `UPDATE tracked_orders SET last_status = $3, backend_failing_since = $4, updated_at = now()
     WHERE run_id = $1 AND lease_owner = $2`,
    [runId, owner, state.lastStatus, state.backendFailingSince],
  );
}

/** What the backend last said about one run, as a polling round records it (recordTrackedOrderStates). */
export interface TrackedOrderState {
  readonly runId: RunId;
  readonly lastStatus: string | null;
  readonly backendFailingSince: Date | null;
}

/**
 * recordTrackedOrderState for many runs in one statement: a round records what it read of a
 * chunk of orders at once, instead of one statement per order (the first round after a restart
 * reads every order afresh, and each statement costs the embedded store as much as a small read).
 */
export async function recordTrackedOrderStates(db: Queryable, owner: string, states: readonly TrackedOrderState[]): Promise<void> {
  if (states.length === 0) return;
  await db.query(
    `UPDATE tracked_orders o SET last_status = s.last_status, backend_failing_since = s.failing_since, updated_at = now()
     FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS s(run_id, last_status, failing_since)
     WHERE o.run_id = s.run_id AND o.lease_owner = $1`,
    [owner, states.map((state) => state.runId), states.map((state) => state.lastStatus), states.map((state) => state.backendFailingSince?.toISOString() ?? null)],
  );
}

/** Asks the replica polling the order for a fresh read at its next round (after a click on its card). */
export async function nudgeTrackedOrder(db: Queryable, runId: RunId, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE tracked_orders SET nudged_at = $2 WHERE run_id = $1 AND NOT final_posted`, [runId, at]);
  return rowCount === 1;
}

// ---- cards -------------------------------------------------------------------------------

export const CARD_FINAL_STATES = ['live', 'final_claimed', 'final_edited', 'done', 'abandoned'] as const;

export const trackedCardRowSchema = z.object({
  id: z.uuid(),
  runId: runIdColumn,
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  channelId: z.string(),
  threadRef: z.string(),
  messageRef: z.string().nullable(),
  locale: z.enum(LOCALES),
  requesterUserId: z.string().nullable(),
  lastStateHash: z.string().nullable(),
  lastEditedAt: z.date().nullable(),
  retryAfter: z.date().nullable(),
  editFailures: z.number().int(),
  reposted: z.boolean(),
  finalState: z.enum(CARD_FINAL_STATES),
  finalClaimedAt: z.date().nullable(),
  finalEditedAt: z.date().nullable(),
  noticeState: z.enum(['none', 'sent', 'failed', 'skipped']),
  noticeAttempts: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TrackedCardRow = z.infer<typeof trackedCardRowSchema>;

const CARDS = 'tracked_order_cards';
const CARD_COLUMNS = columnsOf(trackedCardRowSchema);

/**
 * What the tracker needs of a card to serve it: where it is, what it shows (hash), when it was
 * last edited and how far its final summary got. Polling rounds list the open cards of every
 * order they poll, so they read these columns only.
 */
export const trackedCardStateSchema = trackedCardRowSchema.pick({
  id: true,
  runId: true,
  platform: true,
  workspaceId: true,
  channelId: true,
  threadRef: true,
  messageRef: true,
  locale: true,
  requesterUserId: true,
  lastStateHash: true,
  lastEditedAt: true,
  retryAfter: true,
  finalState: true,
  noticeState: true,
  noticeAttempts: true,
});
export type TrackedCardState = z.infer<typeof trackedCardStateSchema>;
const CARD_STATE_COLUMNS = columnsOf(trackedCardStateSchema);

export interface NewTrackedCard {
  runId: RunId;
  platform: TrackedCardRow['platform'];
  workspaceId: string;
  channelId: string;
  threadRef?: string | null;
  locale: TrackedCardRow['locale'];
  requesterUserId?: string | null;
}

/** Adds a card for a place; a place that already has a card for the order keeps it (`created: false`). */
export async function insertTrackedCard(db: Queryable, input: NewTrackedCard): Promise<{ card: TrackedCardRow; created: boolean }> {
  const inserted = await db.query(
    `INSERT INTO tracked_order_cards (run_id, platform, workspace_id, channel_id, thread_ref, locale, requester_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (run_id, platform, workspace_id, channel_id, thread_ref) DO NOTHING
     RETURNING ${CARD_COLUMNS}`,
    [input.runId, input.platform, input.workspaceId, input.channelId, input.threadRef ?? '', input.locale, input.requesterUserId ?? null],
  );
  if (inserted.rows.length === 1) return { card: parseRow(trackedCardRowSchema, CARDS, inserted.rows[0]), created: true };
  const { rows } = await db.query(
    `SELECT ${CARD_COLUMNS} FROM tracked_order_cards
     WHERE run_id = $1 AND platform = $2 AND workspace_id = $3 AND channel_id = $4 AND thread_ref = $5`,
    [input.runId, input.platform, input.workspaceId, input.channelId, input.threadRef ?? ''],
  );
  return { card: parseRow(trackedCardRowSchema, CARDS, rows[0]), created: false };
}

export async function getTrackedCard(db: Queryable, id: string): Promise<TrackedCardRow | undefined> {
  const { rows } = await db.query(`SELECT ${CARD_COLUMNS} FROM tracked_order_cards WHERE id = $1`, [id]);
  return rows.length === 0 ? undefined : parseRow(trackedCardRowSchema, CARDS, rows[0]);
}

export async function listTrackedCards(db: Queryable, runId: RunId): Promise<TrackedCardRow[]> {
  const { rows } = await db.query(`SELECT ${CARD_COLUMNS} FROM tracked_order_cards WHERE run_id = $1 ORDER BY created_at, id`, [runId]);
  return parseRows(trackedCardRowSchema, CARDS, rows);
}

/** Cards of these orders that still have something to show or post. */
export async function listOpenTrackedCards(db: Queryable, runIds: readonly RunId[]): Promise<TrackedCardState[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query(
    `SELECT ${CARD_STATE_COLUMNS} FROM tracked_order_cards
     WHERE run_id = ANY($1::text[]) AND final_state NOT IN ('done', 'abandoned')
     ORDER BY created_at, id`,
    [runIds],
  );
  return parseRows(trackedCardStateSchema, CARDS, rows);
}

/** The card was posted (first time, or again after it could not be edited). */
export async function recordCardPosted(db: Queryable, id: string, posted: { messageRef: string; hash: string; at: Date }): Promise<void> {
  await db.query(
    `UPDATE tracked_order_cards SET message_ref = $2, last_state_hash = $3, last_edited_at = $4, edit_failures = 0, retry_after = NULL, updated_at = now()
     WHERE id = $1`,
    [id, posted.messageRef, posted.hash, posted.at],
  );
}

export async function recordCardEdited(db: Queryable, id: string, edited: { hash: string; at: Date }): Promise<void> {
  await db.query(
    `UPDATE tracked_order_cards SET last_state_hash = $2, last_edited_at = $3, edit_failures = 0, retry_after = NULL, updated_at = now() WHERE id = $1`,
    [id, edited.hash, edited.at],
  );
}

/** An edit failed; `retryAfter` when the platform asked to wait. Returns the failures in a row. */
export async function recordCardEditFailed(db: Queryable, id: string, retryAfter: Date | null): Promise<number> {
  const { rows } = await db.query<{ failures: number }>(
    `UPDATE tracked_order_cards
     SET edit_failures = edit_failures + CASE WHEN $2::timestamptz IS NULL THEN 1 ELSE 0 END, retry_after = $2, updated_at = now()
     WHERE id = $1 RETURNING edit_failures AS failures`,
    [id, retryAfter],
  );
  return rows[0]?.failures ?? 0;
}

/** Claims the one repost a card gets when it cannot be edited (deleted, no access). */
export async function claimCardRepost(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE tracked_order_cards SET reposted = true, updated_at = now() WHERE id = $1 AND NOT reposted`, [id]);
  return rowCount === 1;
}

export async function abandonCard(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE tracked_order_cards SET final_state = 'abandoned', updated_at = now() WHERE id = $1 AND final_state NOT IN ('done', 'abandoned')`, [id]);
}

/**
 * Claims the writing of the card's final summary: only a live card, and only by the replica
 * holding the order's lease. The one caller that gets `true` writes the summary.
 */
export async function claimCardFinal(db: Queryable, id: string, owner: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tracked_order_cards c SET final_state = 'final_claimed', final_claimed_at = $3, updated_at = now()
     FROM tracked_orders o
     WHERE c.id = $1 AND c.final_state = 'live'
       AND o.run_id = c.run_id AND o.lease_owner = $2 AND o.lease_expires_at > $3`,
    [id, owner, now],
  );
  return rowCount === 1;
}

/** The card shows its final summary; after this it is never edited again. */
export async function recordCardFinalEdited(db: Queryable, id: string, edited: { hash: string; at: Date; messageRef?: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tracked_order_cards
     SET final_state = 'final_edited', final_edited_at = $3, last_state_hash = $2, last_edited_at = $3,
         message_ref = COALESCE($4, message_ref), edit_failures = 0, retry_after = NULL, updated_at = now()
     WHERE id = $1 AND final_state = 'final_claimed'`,
    [id, edited.hash, edited.at, edited.messageRef ?? null],
  );
  return rowCount === 1;
}

/** Claims the requester's notification before it is sent: it goes out at most once. */
export async function claimCardNotice(db: Queryable, id: string, maxAttempts: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tracked_order_cards SET notice_state = 'sent', notice_attempts = notice_attempts + 1, updated_at = now()
     WHERE id = $1 AND notice_state = 'none' AND notice_attempts < $2`,
    [id, maxAttempts],
  );
  return rowCount === 1;
}

/** The platform refused the notification (nothing was delivered): try again later, or give up. */
export async function recordCardNoticeFailed(db: Queryable, id: string, maxAttempts: number): Promise<void> {
  await db.query(
    `UPDATE tracked_order_cards SET notice_state = CASE WHEN notice_attempts < $2 THEN 'none' ELSE 'failed' END, updated_at = now()
     WHERE id = $1 AND notice_state = 'sent'`,
    [id, maxAttempts],
  );
}

/** No notification for this card: the order had ended before the card was asked for. */
export async function skipCardNotice(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE tracked_order_cards SET notice_state = 'skipped', updated_at = now() WHERE id = $1 AND notice_state = 'none'`, [id]);
}

/** Nothing is left to do for this card. */
export async function markCardDone(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE tracked_order_cards SET final_state = 'done', updated_at = now() WHERE id = $1 AND final_state = 'final_edited'`, [id]);
}
