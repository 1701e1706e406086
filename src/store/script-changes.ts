/**
 * Proposed changes to the platform's scripts, each beside its four-eyes request (an `approvals`
 * row): what was proposed (sensitive defaults sealed, never in clear), the difference the
 * approver saw, and where its write is (migration 0014).
 */
import { z } from 'zod';
import type { Queryable } from './db.js';
import { BACKEND_NAMES, scriptIdColumn } from './id-columns.js';
import { columnsOf, jsonb, parseRow, parseRows } from './rows.js';
import { LOCALES } from './vocabulary.js';

export const SCRIPT_CHANGE_ACTIONS = ['create', 'edit', 'delete'] as const;
export type ScriptChangeAction = (typeof SCRIPT_CHANGE_ACTIONS)[number];

export const WRITE_STATES = ['none', 'sending', 'done', 'refused', 'unknown'] as const;
export type ScriptWriteState = (typeof WRITE_STATES)[number];

export const scriptChangeRowSchema = z.object({
  approvalId: z.uuid(),
  action: z.enum(SCRIPT_CHANGE_ACTIONS),
  backend: z.enum(BACKEND_NAMES),
  scriptId: scriptIdColumn.nullable(),
  scriptName: z.string(),
  requesterLocale: z.enum(LOCALES),
  channelId: z.string(),
  threadRef: z.string().nullable(),
  draft: z.record(z.string(), z.unknown()).nullable(),
  sealedDefaults: z.string().nullable(),
  diff: z.string(),
  writeState: z.enum(WRITE_STATES),
  resultScriptId: scriptIdColumn.nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ScriptChangeRow = z.infer<typeof scriptChangeRowSchema>;

export type NewScriptChange = Pick<ScriptChangeRow, 'approvalId' | 'action' | 'backend' | 'scriptId' | 'scriptName' | 'requesterLocale' | 'channelId' | 'threadRef' | 'draft' | 'sealedDefaults' | 'diff'>;

const TABLE = 'script_changes';
const COLUMNS = columnsOf(scriptChangeRowSchema);

/** Files the change of a request just filed; a redelivered request finds the one on file. */
export async function insertScriptChange(db: Queryable, input: NewScriptChange): Promise<ScriptChangeRow> {
  const { rows } = await db.query(
    `INSERT INTO script_changes (approval_id, action, backend, script_id, script_name, requester_locale, channel_id, thread_ref, draft, sealed_defaults, diff)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)
     ON CONFLICT (approval_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      input.approvalId,
      input.action,
      input.backend,
      input.scriptId,
      input.scriptName,
      input.requesterLocale,
      input.channelId,
      input.threadRef,
      input.draft === null ? null : jsonb(input.draft),
      input.sealedDefaults,
      input.diff,
    ],
  );
  if (rows.length > 0) return parseRow(scriptChangeRowSchema, TABLE, rows[0]);
  return (await getScriptChange(db, input.approvalId))!;
}

export async function getScriptChange(db: Queryable, approvalId: string): Promise<ScriptChangeRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM script_changes WHERE approval_id = $1`, [approvalId]);
  return rows.length === 0 ? undefined : parseRow(scriptChangeRowSchema, TABLE, rows[0]);
}

export interface ScriptWriteChanges {
  readonly writeState: ScriptWriteState;
  readonly resultScriptId?: string | null;
  readonly error?: string | null;
  /** Drops the sealed defaults (the write was sent, or never will be). */
  readonly dropSealed?: boolean;
}

/**
 * Moves the write on, only from one of `from`: of two callers only one stamps 'sending', so a
 * write is sent at most once. undefined = it was not in one of `from`.
 */
export async function moveScriptWrite(db: Queryable, approvalId: string, from: readonly ScriptWriteState[], changes: ScriptWriteChanges): Promise<ScriptChangeRow | undefined> {
  const { rows } = await db.query(
    `UPDATE script_changes
        SET write_state = $3,
            result_script_id = coalesce($4, result_script_id),
            error = coalesce($5, error),
            sealed_defaults = CASE WHEN $6 THEN NULL ELSE sealed_defaults END,
            updated_at = now()
      WHERE approval_id = $1 AND write_state = ANY($2::text[])
      RETURNING ${COLUMNS}`,
    [approvalId, [...from], changes.writeState, changes.resultScriptId ?? null, changes.error ?? null, changes.dropSealed === true],
  );
  return rows.length === 0 ? undefined : parseRow(scriptChangeRowSchema, TABLE, rows[0]);
}

/** Drops the sealed defaults of a change that will never be written (rejected, expired, void). */
export async function dropSealedDefaults(db: Queryable, approvalId: string): Promise<void> {
  await db.query(`UPDATE script_changes SET sealed_defaults = NULL, updated_at = now() WHERE approval_id = $1 AND write_state = 'none'`, [approvalId]);
}

/** Changes whose write's outcome is unknown, changed within the last `withinHours`: read back by recovery, oldest first. */
export async function listUnknownWrites(db: Queryable, withinHours: number, limit: number): Promise<ScriptChangeRow[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM script_changes WHERE write_state = 'unknown' AND updated_at > now() - make_interval(hours => $1) ORDER BY updated_at LIMIT $2`,
    [withinHours, limit],
  );
  return parseRows(scriptChangeRowSchema, TABLE, rows);
}
