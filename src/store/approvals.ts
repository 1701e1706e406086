import { z } from 'zod';
import { backendOf, type RunId, type ScriptId } from '../backends/ids.js';
import type { Queryable } from './db.js';
import { BACKEND_NAMES, runIdColumn, scriptIdColumn } from './id-columns.js';
import { columnsOf, jsonb, parseRow, parseRows, snakeCase } from './rows.js';
import { APPROVAL_STATES, CHAT_PLATFORMS } from './vocabulary.js';
import { isIdOf, type Id } from '../backends/ids.js';
import type { LeftBehind } from './recovery.js';

/** Where a request is decided: in chat only, or on the platform's ITSM as well (`approvals.via`). */
export const APPROVAL_VIAS = ['bot', 'itsm'] as const;
export type ApprovalVia = (typeof APPROVAL_VIAS)[number];

/** Where an ITSM request's ticket is in its own life (migration 0013 says what each means). */
export const EXTERNAL_STATES = ['opening', 'open', 'approving', 'rejecting', 'approve-unknown', 'reject-unknown', 'closed'] as const;
export type ExternalState = (typeof EXTERNAL_STATES)[number];

const ticketIdColumn = z.custom<Id<'ticket'>>((value) => typeof value === 'string' && isIdOf(value, 'ticket'), { message: 'not a ticket id' });

export const approvalRowSchema = z.object({
  id: z.uuid(),
  state: z.enum(APPROVAL_STATES),
  idempotencyKey: z.string().nullable(),
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  requesterChatUserId: z.string(),
  requesterIamUser: z.string(),
  approverChatUserId: z.string().nullable(),
  approverIamUser: z.string().nullable(),
  /** Which backend runs the request; its ids below are that backend's. */
  backend: z.enum(BACKEND_NAMES),
  scriptId: scriptIdColumn,
  scriptName: z.string(),
  scriptContentHash: z.string(),
  /** The script's modification time as the backend reported it, epoch milliseconds. */
  scriptModifiedAt: z.number().int(),
  plan: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
  decisionNote: z.string().nullable(),
  channelId: z.string().nullable(),
  messageRef: z.string().nullable(),
  createdAt: z.date(),
  expiresAt: z.date(),
  decidedAt: z.date().nullable(),
  runId: runIdColumn.nullable(),
  error: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.date(),
  via: z.enum(APPROVAL_VIAS),
  /** The ticket on the platform (via 'itsm'), once opened. */
  externalRef: ticketIdColumn.nullable(),
  externalUrl: z.string().nullable(),
  externalState: z.enum(EXTERNAL_STATES).nullable(),
  externalCheckedAt: z.date().nullable(),
});
export type ApprovalRow = z.infer<typeof approvalRowSchema>;

export interface NewApproval {
  idempotencyKey?: string | null;
  platform: ApprovalRow['platform'];
  workspaceId: string;
  requesterChatUserId: string;
  requesterIamUser: string;
  scriptId: ScriptId;
  scriptName: string;
  scriptContentHash: string;
  scriptModifiedAt: number;
  /** Hosts, batches and masked parameters. */
  plan: Record<string, unknown>;
  reason?: string | null;
  channelId?: string | null;
  messageRef?: string | null;
  expiresAt: Date;
  /** The bot's clock (default: the database's); expiry is measured from the same clock. */
  createdAt?: Date;
  /** Default 'bot'; an 'itsm' request starts with its ticket 'opening'. */
  via?: ApprovalVia;
}

/** Columns a state change may set; everything else is fixed at request time. */
export interface ApprovalChanges {
  state?: ApprovalRow['state'];
  approverChatUserId?: string | null;
  approverIamUser?: string | null;
  decidedAt?: Date | null;
  decisionNote?: string | null;
  channelId?: string | null;
  messageRef?: string | null;
  runId?: RunId | null;
  error?: string | null;
  externalRef?: Id<'ticket'> | null;
  externalUrl?: string | null;
  externalState?: ExternalState | null;
}

const TABLE = 'approvals';
const COLUMNS = columnsOf(approvalRowSchema);
const CHANGEABLE = [
  'state',
  'approverChatUserId',
  'approverIamUser',
  'decidedAt',
  'decisionNote',
  'channelId',
  'messageRef',
  'runId',
  'error',
  'externalRef',
  'externalUrl',
  'externalState',
] as const satisfies readonly (keyof ApprovalChanges)[];

/**
 * Files a request. With an idempotency key already on file (double click, redelivered event),
 * nothing new is written and the existing request comes back with `created: false`.
 */
export async function insertApproval(
  db: Queryable,
  input: NewApproval,
): Promise<{ approval: ApprovalRow; created: boolean }> {
  const { rows } = await db.query(
    `INSERT INTO approvals
       (idempotency_key, platform, workspace_id, requester_chat_user_id, requester_iam_user, backend, script_id,
        script_name, script_content_hash, script_modified_at, plan, reason, channel_id, message_ref, expires_at, created_at,
        via, external_state)
     VALUES ($1, $2, $3, $4, $5, $16, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, coalesce($15::timestamptz, now()),
             $17, CASE WHEN $17 = 'itsm' THEN 'opening' END)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      input.idempotencyKey ?? null,
      input.platform,
      input.workspaceId,
      input.requesterChatUserId,
      input.requesterIamUser,
      input.scriptId,
      input.scriptName,
      input.scriptContentHash,
      input.scriptModifiedAt,
      jsonb(input.plan),
      input.reason ?? null,
      input.channelId ?? null,
      input.messageRef ?? null,
      input.expiresAt,
      input.createdAt ?? null,
      backendOf(input.scriptId),
      input.via ?? 'bot',
    ],
  );
  if (rows.length > 0) return { approval: parseRow(approvalRowSchema, TABLE, rows[0]), created: true };
  const existing = await db.query(`SELECT ${COLUMNS} FROM approvals WHERE idempotency_key = $1`, [
    input.idempotencyKey,
  ]);
  return { approval: parseRow(approvalRowSchema, TABLE, existing.rows[0]), created: false };
}

export async function getApproval(db: Queryable, id: string): Promise<ApprovalRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM approvals WHERE id = $1`, [id]);
  return rows.length === 0 ? undefined : parseRow(approvalRowSchema, TABLE, rows[0]);
}

/**
 * Optimistic concurrency: applies `changes` only if the row still has `expectedVersion`, and
 * bumps the version. `undefined` means someone else changed it first (or it does not exist);
 * the caller re-reads and decides again, so two clicks never both approve or both execute.
 */
export async function updateApprovalIfVersion(
  db: Queryable,
  id: string,
  expectedVersion: number,
  changes: ApprovalChanges,
): Promise<ApprovalRow | undefined> {
  const params: unknown[] = [id, expectedVersion];
  const assignments = ['version = version + 1', 'updated_at = now()'];
  for (const key of CHANGEABLE) {
    if (changes[key] === undefined) continue;
    params.push(changes[key]);
    assignments.push(`${snakeCase(key)} = $${params.length}`);
  }
  const { rows } = await db.query(
    `UPDATE approvals SET ${assignments.join(', ')} WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return rows.length === 0 ? undefined : parseRow(approvalRowSchema, TABLE, rows[0]);
}

/** Requests still open and in time, oldest first (what `approvals` lists). */
export async function listOpenApprovals(db: Queryable, now: Date, limit: number): Promise<ApprovalRow[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM approvals WHERE state = 'requested' AND expires_at > $1 ORDER BY created_at LIMIT $2`, [now, limit]);
  return parseRows(approvalRowSchema, TABLE, rows);
}

/**
 * Ids of open requests past their expiry (at most 100 a round), for the expiry sweep. A request
 * whose decision is on its way to ITSM (or whose answer was lost) is not among them: what ITSM
 * did is read first (listTicketsToRead), and it expires once it is known to be undecided.
 */
export async function listDueApprovalIds(db: Queryable, now: Date): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM approvals
      WHERE state = 'requested' AND expires_at <= $1
        AND (external_state IS NULL OR external_state NOT IN ('approving', 'rejecting', 'approve-unknown', 'reject-unknown'))
      LIMIT 100`,
    [now],
  );
  return rows.map((row) => row.id);
}

/**
 * Open ITSM requests whose ticket is read this round, least recently read first: open tickets
 * (a decision made in ITSM's own UI), decisions whose answer was lost, and — once left behind
 * by whoever was waiting on them — decisions still on their way and tickets still opening.
 */
export async function listTicketsToRead(db: Queryable, window: LeftBehind, limit: number): Promise<ApprovalRow[]> {
  const left = `updated_at < greatest(now() - make_interval(secs => $1::double precision), $2::timestamptz)`;
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM approvals
      WHERE state = 'requested' AND via = 'itsm'
        AND (external_state IN ('open', 'approve-unknown', 'reject-unknown')
             OR (external_state IN ('opening', 'approving', 'rejecting') AND ${left}))
      ORDER BY external_checked_at NULLS FIRST, created_at
      LIMIT $3`,
    [window.leftAfterMs / 1000, window.leftBefore ?? new Date(0), limit],
  );
  return parseRows(approvalRowSchema, TABLE, rows);
}

/** Notes that a ticket's status was read: its turn comes again after the others'. Not a change of the request (its version stays). */
export async function noteTicketRead(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query(`UPDATE approvals SET external_checked_at = $2 WHERE id = $1`, [id, at]);
}
