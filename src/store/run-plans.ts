import { z } from 'zod';
import { backendOf, type RunId } from '../backends/ids.js';
import type { Queryable } from './db.js';
import { columnsOf, jsonb, parseRow, parseRows } from './rows.js';
import { BACKEND_NAMES, runIdColumn, scriptIdColumn } from './id-columns.js';
import { CHAT_PLATFORMS, LOCALES } from './vocabulary.js';

export const RUN_PLAN_STATES = ['previewed', 'confirming', 'requested', 'starting', 'unknown', 'started', 'failed', 'canceled', 'expired'] as const;
export type RunPlanState = (typeof RUN_PLAN_STATES)[number];

export const runPlanRowSchema = z.object({
  id: z.uuid(),
  state: z.enum(RUN_PLAN_STATES),
  idempotencyKey: z.string().nullable(),
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  channelId: z.string(),
  threadRef: z.string().nullable(),
  requesterChatUserId: z.string(),
  requesterIamUser: z.string(),
  requesterLocale: z.enum(LOCALES),
  credentialRef: z.string().nullable(),
  /** Which backend the plan runs on; its ids below are that backend's. */
  backend: z.enum(BACKEND_NAMES),
  scriptId: scriptIdColumn,
  scriptName: z.string(),
  riskLevel: z.string(),
  scriptContentHash: z.string(),
  /** The script's modification time as the backend reported it at preview (epoch milliseconds). */
  scriptModifiedAt: z.number().int(),
  plan: z.record(z.string(), z.unknown()),
  sealedParams: z.string().nullable(),
  approvalId: z.uuid().nullable(),
  runId: runIdColumn.nullable(),
  error: z.string().nullable(),
  executeSentAt: z.date().nullable(),
  absentSince: z.date().nullable(),
  createdAt: z.date(),
  expiresAt: z.date(),
  updatedAt: z.date(),
});
export type RunPlanRow = z.infer<typeof runPlanRowSchema>;

export type NewRunPlan = Omit<RunPlanRow, 'id' | 'state' | 'backend' | 'approvalId' | 'runId' | 'error' | 'executeSentAt' | 'absentSince' | 'createdAt' | 'updatedAt'>;

const TABLE = 'run_plans';
const COLUMNS = columnsOf(runPlanRowSchema);

/** Files a plan; the same idempotency key (a redelivered command) returns the first one. */
export async function insertRunPlan(db: Queryable, input: NewRunPlan): Promise<RunPlanRow> {
  const { rows } = await db.query(
    `INSERT INTO run_plans
       (idempotency_key, platform, workspace_id, channel_id, thread_ref, requester_chat_user_id, requester_iam_user,
        requester_locale, credential_ref, backend, script_id, script_name, risk_level, script_content_hash, script_modified_at,
        plan, sealed_params, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $18, $10, $11, $12, $13, $14, $15::jsonb, $16, $17)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      input.idempotencyKey,
      input.platform,
      input.workspaceId,
      input.channelId,
      input.threadRef,
      input.requesterChatUserId,
      input.requesterIamUser,
      input.requesterLocale,
      input.credentialRef,
      input.scriptId,
      input.scriptName,
      input.riskLevel,
      input.scriptContentHash,
      input.scriptModifiedAt,
      jsonb(input.plan),
      input.sealedParams,
      input.expiresAt,
      backendOf(input.scriptId),
    ],
  );
  if (rows.length > 0) return parseRow(runPlanRowSchema, TABLE, rows[0]);
  const existing = await db.query(`SELECT ${COLUMNS} FROM run_plans WHERE idempotency_key = $1`, [input.idempotencyKey]);
  return parseRow(runPlanRowSchema, TABLE, existing.rows[0]);
}

export async function getRunPlan(db: Queryable, id: string): Promise<RunPlanRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM run_plans WHERE id = $1`, [id]);
  return rows.length === 0 ? undefined : parseRow(runPlanRowSchema, TABLE, rows[0]);
}

export async function getRunPlanByApproval(db: Queryable, approvalId: string): Promise<RunPlanRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM run_plans WHERE approval_id = $1`, [approvalId]);
  return rows.length === 0 ? undefined : parseRow(runPlanRowSchema, TABLE, rows[0]);
}

/**
 * Moves a plan from one of `from` to `to`, only if it is still there: of any number of
 * concurrent clicks exactly one gets the row back. Sensitive values are dropped once a plan
 * can no longer run (they are needed for nothing after; an unknown outcome is never resent).
 */
export async function moveRunPlan(
  db: Queryable,
  id: string,
  from: readonly RunPlanState[],
  to: RunPlanState,
  changes: { approvalId?: string; runId?: RunId; error?: string; executeSentAt?: Date; onlyIfUnsent?: boolean } = {},
): Promise<RunPlanRow | undefined> {
  const ends = to === 'started' || to === 'failed' || to === 'canceled' || to === 'expired' || to === 'unknown';
  const { rows } = await db.query(
    `UPDATE run_plans
        SET state = $3,
            approval_id = coalesce($4, approval_id),
            run_id = coalesce($5, run_id),
            error = coalesce($6, error),
            sealed_params = CASE WHEN $7 THEN NULL ELSE sealed_params END,
            execute_sent_at = coalesce($8, execute_sent_at),
            updated_at = now()
      WHERE id = $1 AND state = ANY($2::text[]) AND (NOT $9 OR execute_sent_at IS NULL)
      RETURNING ${COLUMNS}`,
    [id, [...from], to, changes.approvalId ?? null, changes.runId ?? null, changes.error ?? null, ends, changes.executeSentAt ?? null, changes.onlyIfUnsent ?? false],
  );
  return rows.length === 0 ? undefined : parseRow(runPlanRowSchema, TABLE, rows[0]);
}

/**
 * Stamps, immediately before its execute request, when a plan's request is sent — only while the
 * plan is still 'starting'. Undefined: someone settled the plan meanwhile (recovery judged a
 * stalled start unsent), so nothing may be sent. Once stamped, recovery never calls it unsent.
 */
export async function markRunPlanSent(db: Queryable, id: string): Promise<RunPlanRow | undefined> {
  const { rows } = await db.query(
    `UPDATE run_plans SET execute_sent_at = now(), updated_at = now() WHERE id = $1 AND state = 'starting' RETURNING ${COLUMNS}`,
    [id],
  );
  return rows.length === 0 ? undefined : parseRow(runPlanRowSchema, TABLE, rows[0]);
}

export type AbsenceCheck =
  /** The request may still be running (not yet `minAgeMs` past its sending): nothing noted. */
  | { readonly kind: 'too-early' }
  /** Absence first seen at `since`; proven once the database's clock is `settleMs` past it. */
  | { readonly kind: 'noted'; readonly since: Date; readonly proven: boolean; readonly at: Date };

/**
 * Notes a read of COC's order list that did not find an unknown plan's order, once the request
 * is `minAgeMs` past its sending; the first such read is kept. Judged on the database's clock,
 * which stamped the sending, so replicas with different clocks agree.
 */
export async function noteRunPlanAbsent(db: Queryable, id: string, minAgeMs: number, settleMs: number): Promise<AbsenceCheck> {
  const { rows } = await db.query<{ since: Date; at: Date; proven: boolean }>(
    `UPDATE run_plans SET absent_since = coalesce(absent_since, now())
      WHERE id = $1 AND state = 'unknown' AND coalesce(execute_sent_at, updated_at) < now() - make_interval(secs => $2::double precision)
      RETURNING absent_since AS since, now() AS at, absent_since <= now() - make_interval(secs => $3::double precision) AS proven`,
    [id, minAgeMs / 1000, settleMs / 1000],
  );
  const row = rows[0];
  return row ? { kind: 'noted', since: row.since, at: row.at, proven: row.proven } : { kind: 'too-early' };
}

/** Whether another plan already holds this run (a run adopted once is never adopted twice). */
export async function isOrderOfAnotherPlan(db: Queryable, run: RunId, planId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM run_plans WHERE run_id = $1 AND id <> $2`, [run, planId]);
  return rows.length > 0;
}

/**
 * Previews nobody acted on before they expired (the expiry sweep): closed, and their sealed
 * values dropped — a value kept for a run that can no longer happen is kept for nothing.
 */
export async function expireDuePlans(db: Queryable, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE run_plans SET state = 'expired', sealed_params = NULL, updated_at = now()
      WHERE state IN ('previewed', 'confirming') AND expires_at <= $1`,
    [now],
  );
  return rowCount;
}

/** One person's plans whose outcome is unknown, touched within the last day, oldest first (at most 20). */
export async function listUnknownPlansOf(db: Queryable, iamUserName: string): Promise<RunPlanRow[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM ${TABLE}
      WHERE state = 'unknown' AND lower(requester_iam_user) = lower($1) AND updated_at > now() - interval '1 day'
      ORDER BY updated_at LIMIT 20`,
    [iamUserName],
  );
  return parseRows(runPlanRowSchema, TABLE, rows);
}
