/**
 * An alarm's linked HIGH-risk script waiting for, or run after, a second person's approval:
 * beside its four-eyes request (an `approvals` row), what the preview showed (the alarm, the
 * script as linked, the parameters, the alarm's handlings then) and where its one write is
 * (migration 0016).
 */
import { z } from 'zod';
import { isIdOf, type Id } from '../backends/ids.js';
import type { Queryable } from './db.js';
import { BACKEND_NAMES } from './id-columns.js';
import { columnsOf, jsonb, parseRow } from './rows.js';
import { LOCALES } from './vocabulary.js';

export const ALARM_RUN_WRITE_STATES = ['none', 'sending', 'done', 'refused', 'unknown'] as const;
export type AlarmRunWriteState = (typeof ALARM_RUN_WRITE_STATES)[number];

const alarmIdColumn = z.custom<Id<'alarm'>>((value) => typeof value === 'string' && isIdOf(value, 'alarm'), { message: 'not an alarm id' });

export const alarmRunAutomationSchema = z.object({
  kind: z.enum(['script', 'runbook']),
  id: z.string(),
  name: z.string(),
  shared: z.boolean(),
});

export const alarmRunRowSchema = z.object({
  approvalId: z.uuid(),
  backend: z.enum(BACKEND_NAMES),
  alarmId: alarmIdColumn,
  alarmTitle: z.string(),
  region: z.string().nullable(),
  automation: alarmRunAutomationSchema,
  parameters: z.record(z.string(), z.string()),
  riskLevel: z.string(),
  handlings: z.number().int().nullable(),
  requesterLocale: z.enum(LOCALES),
  channelId: z.string(),
  threadRef: z.string().nullable(),
  writeState: z.enum(ALARM_RUN_WRITE_STATES),
  workOrder: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type AlarmRunRow = z.infer<typeof alarmRunRowSchema>;

export type NewAlarmRun = Pick<
  AlarmRunRow,
  'approvalId' | 'backend' | 'alarmId' | 'alarmTitle' | 'region' | 'automation' | 'parameters' | 'riskLevel' | 'handlings' | 'requesterLocale' | 'channelId' | 'threadRef'
>;

const TABLE = 'alarm_runs';
const COLUMNS = columnsOf(alarmRunRowSchema);

/** Files the alarm run of a request just filed; a redelivered request finds the one on file. */
export async function insertAlarmRun(db: Queryable, input: NewAlarmRun): Promise<AlarmRunRow> {
  const { rows } = await db.query(
    `INSERT INTO alarm_runs (approval_id, backend, alarm_id, alarm_title, region, automation, parameters, risk_level, handlings, requester_locale, channel_id, thread_ref)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $12)
     ON CONFLICT (approval_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      input.approvalId,
      input.backend,
      input.alarmId,
      input.alarmTitle,
      input.region,
      jsonb(input.automation),
      jsonb(input.parameters),
      input.riskLevel,
      input.handlings,
      input.requesterLocale,
      input.channelId,
      input.threadRef,
    ],
  );
  if (rows.length > 0) return parseRow(alarmRunRowSchema, TABLE, rows[0]);
  return (await getAlarmRun(db, input.approvalId))!;
}

export async function getAlarmRun(db: Queryable, approvalId: string): Promise<AlarmRunRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM alarm_runs WHERE approval_id = $1`, [approvalId]);
  return rows.length === 0 ? undefined : parseRow(alarmRunRowSchema, TABLE, rows[0]);
}

/**
 * Moves the write on, only from one of `from`: of any number of callers (clicks on several
 * replicas, recovery) only one stamps 'sending', so the platform is asked at most once.
 * undefined = it was not in one of `from`.
 */
export async function moveAlarmRunWrite(
  db: Queryable,
  approvalId: string,
  from: readonly AlarmRunWriteState[],
  changes: { readonly writeState: AlarmRunWriteState; readonly workOrder?: string; readonly error?: string },
): Promise<AlarmRunRow | undefined> {
  const { rows } = await db.query(
    `UPDATE alarm_runs
        SET write_state = $3, work_order = coalesce($4, work_order), error = coalesce($5, error), updated_at = now()
      WHERE approval_id = $1 AND write_state = ANY($2::text[])
      RETURNING ${COLUMNS}`,
    [approvalId, [...from], changes.writeState, changes.workOrder ?? null, changes.error ?? null],
  );
  return rows.length === 0 ? undefined : parseRow(alarmRunRowSchema, TABLE, rows[0]);
}
