import { z } from 'zod';
import type { Db, Queryable } from './db.js';
import { columnsOf, jsonb, parseRow, parseRows } from './rows.js';
import { BACKEND_NAMES } from './id-columns.js';
import { AUDIT_OUTCOMES, AUDIT_PLATFORMS } from './vocabulary.js';

export const auditEventRowSchema = z.object({
  id: z.uuid(),
  occurredAt: z.date(),
  platform: z.enum(AUDIT_PLATFORMS),
  workspaceId: z.string().nullable(),
  channelId: z.string().nullable(),
  chatUserId: z.string().nullable(),
  iamUserName: z.string().nullable(),
  command: z.string(),
  target: z.string().nullable(),
  maskedParameters: z.record(z.string(), z.unknown()),
  outcome: z.enum(AUDIT_OUTCOMES),
  error: z.string().nullable(),
  requestId: z.string().nullable(),
  /** The backend the action went to; NULL on rows written before backends were named (COC's). */
  backend: z.enum(BACKEND_NAMES).nullable(),
});
export type AuditEventRow = z.infer<typeof auditEventRowSchema>;

export interface AuditEventInput {
  platform: AuditEventRow['platform'];
  workspaceId?: string | null;
  channelId?: string | null;
  /** Required unless the platform is 'system'. */
  chatUserId?: string | null;
  /** Absent when the chat user is not mapped to anyone. */
  iamUserName?: string | null;
  command: string;
  target?: string | null;
  /** Parameters with every sensitive value already replaced; the store cannot tell which are secret. */
  maskedParameters?: Record<string, unknown>;
  outcome: AuditEventRow['outcome'];
  error?: string | null;
  requestId?: string | null;
  /** The backend the action went to, when it went to one. */
  backend?: AuditEventRow['backend'];
  /** Defaults to the database's clock. */
  occurredAt?: Date;
}

export interface AuditEventFilter {
  iamUserName?: string;
  chatUser?: { platform: AuditEventRow['platform']; workspaceId: string; chatUserId: string };
  /** Inclusive lower bound. */
  since?: Date;
  /** Exclusive upper bound, for paging back in time. */
  before?: Date;
  /** Default 50, at most 500. */
  limit?: number;
}

const TABLE = 'audit_events';
const COLUMNS = columnsOf(auditEventRowSchema);
const MAX_LIMIT = 500;

const INSERT_COLUMNS = `(occurred_at, platform, workspace_id, channel_id, chat_user_id, iam_user_name, command, target,
        masked_parameters, outcome, error, request_id, backend)`;

/** One event's values in column order, and its VALUES tuple starting at parameter `base + 1`. */
function valuesOf(input: AuditEventInput, base: number): { params: unknown[]; tuple: string } {
  const params = [
    input.occurredAt ?? null,
    input.platform,
    input.workspaceId ?? null,
    input.channelId ?? null,
    input.chatUserId ?? null,
    input.iamUserName ?? null,
    input.command,
    input.target ?? null,
    jsonb(input.maskedParameters ?? {}),
    input.outcome,
    input.error ?? null,
    input.requestId ?? null,
    input.backend ?? null,
  ];
  const $ = (n: number) => `$${base + n}`;
  const tuple = `(coalesce(${$(1)}::timestamptz, now()), ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}::jsonb, ${$(10)}, ${$(11)}, ${$(12)}, ${$(13)})`;
  return { params, tuple };
}

export async function insertAuditEvent(db: Queryable, input: AuditEventInput): Promise<AuditEventRow> {
  const { params, tuple } = valuesOf(input, 0);
  const { rows } = await db.query(`INSERT INTO audit_events ${INSERT_COLUMNS} VALUES ${tuple} RETURNING ${COLUMNS}`, params);
  return parseRow(auditEventRowSchema, TABLE, rows[0]);
}

/**
 * Several events in one statement: one round trip, and atomic without a transaction (an
 * invocation's row and its COC calls' rows are stored together or not at all).
 */
export async function insertAuditEvents(db: Db | Queryable, waitForFlush: boolean, inputs: readonly AuditEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const params: unknown[] = [];
  const tuples = inputs.map((input) => {
    const one = valuesOf(input, params.length);
    params.push(...one.params);
    return one.tuple;
  });
  const sql = `INSERT INTO audit_events ${INSERT_COLUMNS} VALUES ${tuples.join(', ')}`;
  if (!waitForFlush && 'queryWithoutFlushWait' in db) await db.queryWithoutFlushWait(sql, params);
  else await db.query(sql, params);
}

/**
 * Audit rows accepted in this process but not yet written, by store: reads' rows are written just
 * after their answers, a few at a time (audit-log.ts). A listing in this process writes them
 * first (what was answered here is in what is listed here), and so does closing the store.
 */
const heldRows = new WeakMap<object, Set<() => Promise<void>>>();

/** `write` writes the rows `db`'s holder holds now; returns how to stop asking it. */
export function holdAuditRows(db: Queryable, write: () => Promise<void>): () => void {
  let writers = heldRows.get(db);
  if (!writers) heldRows.set(db, (writers = new Set()));
  writers.add(write);
  return () => void writers.delete(write);
}

/** Writes every audit row held for `db` in this process (before a listing, before the store closes). */
export async function writeHeldAuditRows(db: Queryable): Promise<void> {
  const writers = heldRows.get(db);
  if (writers) await Promise.all([...writers].map((write) => write()));
}

/** Newest first. */
export async function listAuditEvents(db: Queryable, filter: AuditEventFilter = {}): Promise<AuditEventRow[]> {
  await writeHeldAuditRows(db);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.iamUserName !== undefined) add((p) => `iam_user_name = ${p}`, filter.iamUserName);
  if (filter.chatUser !== undefined) {
    add((p) => `platform = ${p}`, filter.chatUser.platform);
    add((p) => `workspace_id = ${p}`, filter.chatUser.workspaceId);
    add((p) => `chat_user_id = ${p}`, filter.chatUser.chatUserId);
  }
  if (filter.since !== undefined) add((p) => `occurred_at >= ${p}`, filter.since);
  if (filter.before !== undefined) add((p) => `occurred_at < ${p}`, filter.before);
  const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? 50)), MAX_LIMIT);
  params.push(limit);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM audit_events ${where} ORDER BY occurred_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return parseRows(auditEventRowSchema, TABLE, rows);
}

/**
 * A write to COC about to be sent: one row, outcome 'pending', committed with the disk flush
 * waited for (it must survive kill -9 — it is the only trace of a call whose process dies).
 */
export async function insertWriteIntent(db: Queryable, input: Omit<AuditEventInput, 'outcome' | 'error' | 'requestId' | 'occurredAt'>): Promise<string> {
  const { params, tuple } = valuesOf({ ...input, outcome: 'pending' }, 0);
  // The same columns and values as any event, inside a row that is marked as an intent.
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO audit_events (write_intent, ${INSERT_COLUMNS.slice(1)} SELECT true, v.* FROM (VALUES ${tuple}) AS v RETURNING id`,
    params,
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('the write intent was not stored');
  return id;
}

export interface WriteIntentCompletion {
  readonly outcome: 'succeeded' | 'failed' | 'unknown';
  readonly error?: string | null;
  readonly requestId?: string | null;
  /** Merged into the row's parameters (existing keys are kept: the trail only gains). */
  readonly addParameters?: Record<string, unknown>;
  /** Fills the target when the intent had none. */
  readonly target?: string | null;
}

const OPEN_INTENT_STATES: Readonly<Record<WriteIntentCompletion['outcome'], readonly AuditEventRow['outcome'][]>> = {
  // A final answer may complete a pending intent, or settle one the sweep marked unknown.
  succeeded: ['pending', 'unknown'],
  failed: ['pending', 'unknown'],
  unknown: ['pending', 'unknown'],
};

/**
 * Completes a write intent still open (pending, or unknown); false when there is none by that
 * id or it is already final. The request id is kept when the completion brings none.
 */
export async function completeWriteIntent(db: Queryable, id: string, completion: WriteIntentCompletion): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE audit_events
        SET outcome = $2,
            error = $3,
            request_id = coalesce($4, request_id),
            masked_parameters = $5::jsonb || masked_parameters,
            target = coalesce(target, $6)
      WHERE id = $1 AND write_intent AND outcome = ANY($7::text[])`,
    [
      id,
      completion.outcome,
      completion.error ?? null,
      completion.requestId ?? null,
      jsonb(completion.addParameters ?? {}),
      completion.target ?? null,
      OPEN_INTENT_STATES[completion.outcome],
    ],
  );
  return rowCount > 0;
}

export const openWriteIntentSchema = z.object({
  id: z.uuid(),
  occurredAt: z.date(),
  command: z.string(),
  target: z.string().nullable(),
  maskedParameters: z.record(z.string(), z.unknown()),
});
export type OpenWriteIntent = z.infer<typeof openWriteIntentSchema>;

/**
 * Marks 'unknown' every write intent still 'pending' that began before `before` (a SQL
 * expression over the parameters from `$3` on, so the caller decides what "left behind" means),
 * with `error`; returns them, oldest first. At most `limit` per call.
 */
export async function settlePendingWriteIntents(
  db: Queryable,
  error: string,
  before: { readonly sql: string; readonly params: readonly unknown[] },
  limit: number,
): Promise<OpenWriteIntent[]> {
  const { rows } = await db.query(
    `UPDATE audit_events SET outcome = 'unknown', error = $1
      WHERE id IN (
        SELECT id FROM audit_events
         WHERE write_intent AND outcome = 'pending' AND occurred_at < ${before.sql}
         ORDER BY occurred_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
        AND outcome = 'pending'
      RETURNING ${columnsOf(openWriteIntentSchema)}`,
    [error, limit, ...before.params],
  );
  return parseRows(openWriteIntentSchema, TABLE, rows).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

/**
 * Write intents of one COC route made for one thing — the invocation's target is one of
 * `targets`, or its masked parameters name `plan` — with their outcomes, oldest first.
 */
export async function writeIntentsFor(db: Queryable, command: string, match: { readonly targets: readonly string[]; readonly plan: string }): Promise<{ id: string; outcome: AuditEventRow['outcome'] }[]> {
  const { rows } = await db.query<{ id: string; outcome: AuditEventRow['outcome'] }>(
    `SELECT id, outcome FROM audit_events
      WHERE write_intent AND command = $1
        AND (target = ANY($2::text[]) OR masked_parameters -> 'parameters' ->> 'plan' = $3)
      ORDER BY occurred_at`,
    [command, [...match.targets], match.plan],
  );
  return rows;
}
