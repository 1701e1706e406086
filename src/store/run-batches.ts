/**
 * The batches of runs the bot drives (src/batches): one row per batch, each change a conditional
 * UPDATE so that of any number of callers (rounds, clicks, replicas, a restart) exactly one wins.
 *
 * A batch is claimed before it is sent, in a transaction that first locks its plan's row, so two
 * claims of one run serialize: only the lowest waiting batch, only when it is released and no
 * batch of the run is open or failed. The claim is stamped 'sending' immediately before the
 * request; a claim never stamped was never sent and goes back to waiting after its lease.
 *
 * Times are the caller's clock (`now`), passed in, so that every judgement of age uses one clock.
 */
import { z } from 'zod';
import type { Db, Queryable } from './db.js';
import { columnsOf, parseRow, parseRows } from './rows.js';

export const RUN_BATCH_STATES = ['waiting', 'claimed', 'sending', 'unknown', 'running', 'succeeded', 'failed', 'skipped', 'canceled', 'not-run'] as const;
export type RunBatchState = (typeof RUN_BATCH_STATES)[number];
/** A batch in one of these may have reached the platform and has not ended: no other batch may start. */
export const OPEN_BATCH_STATES: readonly RunBatchState[] = ['claimed', 'sending', 'unknown', 'running'];

export const runBatchRowSchema = z.object({
  planId: z.uuid(),
  batchIndex: z.number().int(),
  state: z.enum(RUN_BATCH_STATES),
  hold: z.enum(['released', 'held']),
  executionId: z.string().nullable(),
  claimedBy: z.string().nullable(),
  claimedAt: z.date().nullable(),
  sentAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  succeeded: z.number().int().nullable(),
  failed: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type RunBatchRow = z.infer<typeof runBatchRowSchema>;

const TABLE = 'run_batches';
/** Every column but the sealed values, which only a claim reads. */
const COLUMNS = columnsOf(runBatchRowSchema);
const OPEN = `('claimed', 'sending', 'unknown', 'running')`;
/**
 * A batch is claimed and sent only while its plan is starting (the first) or started (the rest):
 * once a plan is settled otherwise (unknown, failed, canceled) nothing of it is sent any more, so
 * a batch never stamped as sent is then known never to have been.
 */
const PLAN_MAY_SEND = `EXISTS (SELECT 1 FROM run_plans p WHERE p.id = $1 AND p.state IN ('starting', 'started'))`;

export interface NewRunBatch {
  readonly index: number;
  readonly held: boolean;
  /** Sensitive values this batch will need when it is sent (sealed); null when there are none. */
  readonly sealedParams: string | null;
}

/** Files a run's batches; rows already there are kept as they are (a repeated call changes nothing). */
export async function insertRunBatches(db: Queryable, planId: string, batches: readonly NewRunBatch[]): Promise<void> {
  if (batches.length === 0) return;
  await db.query(
    `INSERT INTO run_batches (plan_id, batch_index, hold, sealed_params)
     SELECT $1, b.batch_index, CASE WHEN b.held THEN 'held' ELSE 'released' END, b.sealed_params
       FROM unnest($2::int[], $3::boolean[], $4::text[]) AS b(batch_index, held, sealed_params)
     ON CONFLICT (plan_id, batch_index) DO NOTHING`,
    [planId, batches.map((b) => b.index), batches.map((b) => b.held), batches.map((b) => b.sealedParams)],
  );
}

export async function listRunBatches(db: Queryable, planId: string): Promise<RunBatchRow[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE plan_id = $1 ORDER BY batch_index`, [planId]);
  return parseRows(runBatchRowSchema, TABLE, rows);
}

export async function getRunBatch(db: Queryable, planId: string, index: number): Promise<RunBatchRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE plan_id = $1 AND batch_index = $2`, [planId, index]);
  return rows.length === 0 ? undefined : parseRow(runBatchRowSchema, TABLE, rows[0]);
}

/** Serializes every change that decides whether a batch may start (claims, ends, stops). */
async function lockPlan(tx: Queryable, planId: string): Promise<void> {
  await tx.query('SELECT 1 FROM run_plans WHERE id = $1 FOR UPDATE', [planId]);
}

/** Batches not yet sent will never be: the run stopped (a failed batch, an unknown one given up). */
async function stopWaiting(tx: Queryable, planId: string, now: Date): Promise<void> {
  await tx.query(`UPDATE ${TABLE} SET state = 'not-run', finished_at = $2, sealed_params = NULL WHERE plan_id = $1 AND state = 'waiting'`, [planId, now]);
}

export interface ClaimedBatch {
  readonly row: RunBatchRow;
  readonly sealedParams: string | null;
}

/**
 * Claims the run's next batch for `by`: the lowest waiting one, if it is released and no batch of
 * the run is open or failed. Undefined when there is nothing to claim (or another caller won).
 */
export async function claimNextRunBatch(db: Db, planId: string, by: string, now: Date): Promise<ClaimedBatch | undefined> {
  return db.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const { rows } = await tx.query<Record<string, unknown> & { sealedParams: string | null }>(
      `UPDATE ${TABLE} SET state = 'claimed', claimed_by = $2, claimed_at = $3
        WHERE plan_id = $1 AND state = 'waiting' AND hold = 'released'
          AND batch_index = (SELECT min(w.batch_index) FROM ${TABLE} w WHERE w.plan_id = $1 AND w.state = 'waiting')
          AND NOT EXISTS (SELECT 1 FROM ${TABLE} o WHERE o.plan_id = $1 AND (o.state IN ${OPEN} OR o.state = 'failed'))
          AND ${PLAN_MAY_SEND}
        RETURNING ${COLUMNS}, sealed_params AS "sealedParams"`,
      [planId, by, now],
    );
    const row = rows[0];
    return row ? { row: parseRow(runBatchRowSchema, TABLE, row), sealedParams: row.sealedParams } : undefined;
  });
}

/**
 * Stamps a claim as being sent, immediately before the request, only while it is still this
 * claim (`by` at `claimedAt`): a claim that recovery put back meanwhile is not sent. The sealed
 * values are dropped here (the caller holds them for this one request).
 */
export async function markRunBatchSending(db: Queryable, planId: string, index: number, by: string, claimedAt: Date, now: Date): Promise<RunBatchRow | undefined> {
  // The plan's row is locked (shared) while it is read: a settling of the plan committed at the same
  // moment is waited for and seen, so a stamp never lands on a plan already judged never sent.
  const { rows } = await db.query(
    `WITH plan AS (SELECT 1 FROM run_plans p WHERE p.id = $1 AND p.state IN ('starting', 'started') FOR SHARE)
     UPDATE ${TABLE} SET state = 'sending', sent_at = $5, sealed_params = NULL
      WHERE plan_id = $1 AND batch_index = $2 AND state = 'claimed' AND claimed_by = $3 AND claimed_at = $4 AND EXISTS (SELECT 1 FROM plan)
      RETURNING ${COLUMNS}`,
    [planId, index, by, claimedAt, now],
  );
  return rows.length === 0 ? undefined : parseRow(runBatchRowSchema, TABLE, rows[0]);
}

/** The platform's execution of a batch that was sent (its answer, or found later): the batch runs. */
export async function recordRunBatchExecution(db: Queryable, planId: string, index: number, executionId: string, from: readonly RunBatchState[]): Promise<RunBatchRow | undefined> {
  const { rows } = await db.query(
    `UPDATE ${TABLE} SET state = 'running', execution_id = $3, error = NULL
      WHERE plan_id = $1 AND batch_index = $2 AND state = ANY($4::text[])
        AND NOT EXISTS (SELECT 1 FROM ${TABLE} o WHERE o.execution_id = $3)
      RETURNING ${COLUMNS}`,
    [planId, index, executionId, [...from]],
  );
  return rows.length === 0 ? undefined : parseRow(runBatchRowSchema, TABLE, rows[0]);
}

/** The request's answer was lost: the batch may be running; it is never sent again. */
export async function markRunBatchUnknown(db: Queryable, planId: string, index: number, error: string): Promise<RunBatchRow | undefined> {
  const { rows } = await db.query(
    `UPDATE ${TABLE} SET state = 'unknown', error = $3 WHERE plan_id = $1 AND batch_index = $2 AND state = 'sending' RETURNING ${COLUMNS}`,
    [planId, index, error],
  );
  return rows.length === 0 ? undefined : parseRow(runBatchRowSchema, TABLE, rows[0]);
}

/**
 * The batch did not run and the run stops: `failed` (refused before acting, or fewer hosts
 * succeeded than the plan's rate) with the reason, every waiting batch 'not-run'. In one
 * transaction with the plan locked, so no claim sees the failed batch without the stop.
 */
export async function failRunBatch(
  db: Db,
  planId: string,
  index: number,
  from: readonly RunBatchState[],
  outcome: { readonly error: string | null; readonly succeeded?: number; readonly failed?: number },
  now: Date,
): Promise<RunBatchRow | undefined> {
  return db.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const { rows } = await tx.query(
      `UPDATE ${TABLE} SET state = 'failed', error = $4, succeeded = $5, failed = $6, finished_at = $7, sealed_params = NULL
        WHERE plan_id = $1 AND batch_index = $2 AND state = ANY($3::text[])
        RETURNING ${COLUMNS}`,
      [planId, index, [...from], outcome.error, outcome.succeeded ?? null, outcome.failed ?? null, now],
    );
    if (rows.length === 0) return undefined;
    await stopWaiting(tx, planId, now);
    return parseRow(runBatchRowSchema, TABLE, rows[0]);
  });
}

/** A running batch ended well enough: its counts are kept (the next batch may be claimed). */
export async function succeedRunBatch(db: Queryable, planId: string, index: number, counts: { readonly succeeded: number; readonly failed: number }, now: Date): Promise<RunBatchRow | undefined> {
  const { rows } = await db.query(
    `UPDATE ${TABLE} SET state = 'succeeded', succeeded = $3, failed = $4, finished_at = $5
      WHERE plan_id = $1 AND batch_index = $2 AND state = 'running'
      RETURNING ${COLUMNS}`,
    [planId, index, counts.succeeded, counts.failed, now],
  );
  return rows.length === 0 ? undefined : parseRow(runBatchRowSchema, TABLE, rows[0]);
}

/**
 * A batch whose outcome stayed unknown past its deadline: the run stops there (the row keeps
 * 'unknown', now with `finished_at` and the reason), later batches never run.
 */
export async function giveUpUnknownRunBatch(db: Db, planId: string, index: number, error: string, now: Date): Promise<RunBatchRow | undefined> {
  return db.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const { rows } = await tx.query(
      `UPDATE ${TABLE} SET error = $3, finished_at = $4
        WHERE plan_id = $1 AND batch_index = $2 AND state = 'unknown' AND finished_at IS NULL
        RETURNING ${COLUMNS}`,
      [planId, index, error, now],
    );
    if (rows.length === 0) return undefined;
    await stopWaiting(tx, planId, now);
    return parseRow(runBatchRowSchema, TABLE, rows[0]);
  });
}

/**
 * A running batch whose execution the platform stopped knowing: it may still run, so its outcome
 * is unknown, not failed. The run stops there as for an unknown batch given up (the row is
 * 'unknown' with `finished_at` and the reason); later batches never run.
 */
export async function loseRunningRunBatch(db: Db, planId: string, index: number, error: string, now: Date): Promise<RunBatchRow | undefined> {
  return db.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const { rows } = await tx.query(
      `UPDATE ${TABLE} SET state = 'unknown', error = $3, finished_at = $4
        WHERE plan_id = $1 AND batch_index = $2 AND state = 'running'
        RETURNING ${COLUMNS}`,
      [planId, index, error, now],
    );
    if (rows.length === 0) return undefined;
    await stopWaiting(tx, planId, now);
    return parseRow(runBatchRowSchema, TABLE, rows[0]);
  });
}

/** Claims never stamped as sent (the claimer stopped before sending) older than `before`: waiting again. */
export async function releaseStaleRunBatchClaims(db: Queryable, planId: string, before: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${TABLE} SET state = 'waiting', claimed_by = NULL, claimed_at = NULL
      WHERE plan_id = $1 AND state = 'claimed' AND sent_at IS NULL AND claimed_at < $2`,
    [planId, before],
  );
  return rowCount;
}

/** Batches stamped as sending before `before` with no answer recorded: their outcome is unknown. */
export async function expireSendingRunBatches(db: Queryable, planId: string, before: Date, error: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${TABLE} SET state = 'unknown', error = $3 WHERE plan_id = $1 AND state = 'sending' AND sent_at < $2`,
    [planId, before, error],
  );
  return rowCount;
}

// ---- a person's operations: between batches, never on one that was sent -----------------

/** Holds the run's next waiting batch (pause); its index, or undefined when none was released. */
export async function holdNextRunBatch(db: Queryable, planId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ batchIndex: number }>(
    `UPDATE ${TABLE} SET hold = 'held'
      WHERE plan_id = $1 AND state = 'waiting' AND hold = 'released'
        AND batch_index = (SELECT min(w.batch_index) FROM ${TABLE} w WHERE w.plan_id = $1 AND w.state = 'waiting')
      RETURNING batch_index AS "batchIndex"`,
    [planId],
  );
  return rows[0]?.batchIndex;
}

/** Releases the run's next waiting batch (continue); its index, or undefined when it was not held. */
export async function releaseNextRunBatch(db: Queryable, planId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ batchIndex: number }>(
    `UPDATE ${TABLE} SET hold = 'released'
      WHERE plan_id = $1 AND state = 'waiting' AND hold = 'held'
        AND batch_index = (SELECT min(w.batch_index) FROM ${TABLE} w WHERE w.plan_id = $1 AND w.state = 'waiting')
      RETURNING batch_index AS "batchIndex"`,
    [planId],
  );
  return rows[0]?.batchIndex;
}

/**
 * Skips a waiting batch. A held batch passes its hold to the next waiting one, so a paused run
 * stays paused (as a platform that pauses at a skipped batch does). False when it was not waiting.
 */
export async function skipRunBatch(db: Db, planId: string, index: number, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockPlan(tx, planId);
    const { rows } = await tx.query<{ hold: string }>(
      `UPDATE ${TABLE} SET state = 'skipped', finished_at = $3, sealed_params = NULL
        WHERE plan_id = $1 AND batch_index = $2 AND state IN ('waiting', 'claimed')
        RETURNING hold`,
      [planId, index, now],
    );
    const skipped = rows[0];
    if (!skipped) return false;
    if (skipped.hold === 'held') {
      await tx.query(
        `UPDATE ${TABLE} SET hold = 'held'
          WHERE plan_id = $1 AND state = 'waiting' AND batch_index = (SELECT min(w.batch_index) FROM ${TABLE} w WHERE w.plan_id = $1 AND w.state = 'waiting')`,
        [planId],
      );
    }
    return true;
  });
}

/**
 * Cancels every batch not sent yet (a batch already sent finishes); how many were canceled. A
 * claimed batch is not sent yet (its stamp comes first, and needs the claim): canceling it here
 * means a claimer that is alive sends nothing, and one that died never has its claim given back.
 */
export async function cancelWaitingRunBatches(db: Queryable, planId: string, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${TABLE} SET state = 'canceled', finished_at = $2, sealed_params = NULL WHERE plan_id = $1 AND state IN ('waiting', 'claimed')`,
    [planId, now],
  );
  return rowCount;
}
