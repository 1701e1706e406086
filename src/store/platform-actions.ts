/**
 * Approved platform actions: beside a four-eyes request (an `approvals` row), the typed plan of
 * what the platform is to do once approved — an alarm's linked automation auto-processed, or a
 * runbook executed — and where its one write is (migration 0017). The plan's zod schema is the
 * source of truth of its shape; a row whose plan does not fit it is refused on read.
 */
import { z } from 'zod';
import { isIdOf, type Id } from '../backends/ids.js';
import type { Queryable } from './db.js';
import { BACKEND_NAMES } from './id-columns.js';
import { columnsOf, jsonb, parseRow } from './rows.js';
import { CHAT_PLATFORMS, LOCALES } from './vocabulary.js';

export const PLATFORM_ACTION_WRITE_STATES = ['none', 'sending', 'done', 'refused', 'unknown'] as const;
export type PlatformActionWriteState = (typeof PLATFORM_ACTION_WRITE_STATES)[number];

const alarmIdColumn = z.custom<Id<'alarm'>>((value) => typeof value === 'string' && isIdOf(value, 'alarm'), { message: 'not an alarm id' });
const runbookIdColumn = z.custom<Id<'template'>>((value) => typeof value === 'string' && isIdOf(value, 'template'), { message: 'not a runbook id' });

/** A runbook as previewed: what Approve compares it with (its version, definition and risk). */
export const runbookPinSchema = z.object({
  version: z.string().nullable(),
  /** sha256 of the runbook's parameter definitions, version and risk (src/runbooks/pin.ts). */
  definitionHash: z.string(),
});

export const alarmRunPlanSchema = z.object({
  kind: z.literal('alarm-run'),
  alarmId: alarmIdColumn,
  alarmTitle: z.string(),
  region: z.string().nullable(),
  /** The linked script or runbook as previewed. */
  automation: z.object({ kind: z.enum(['script', 'runbook']), id: z.string(), name: z.string(), shared: z.boolean() }),
  /** The values sent with it (a script's non-sensitive defaults; a runbook's checked values). */
  parameters: z.record(z.string(), z.string()),
  risk: z.string(),
  /** How many handlings the alarm had at the preview (null: its history could not be read). */
  handlings: z.number().int().nullable(),
  /** A runbook-linked alarm: the runbook as previewed. */
  runbook: runbookPinSchema.optional(),
});

export const runbookExecutePlanSchema = z.object({
  kind: z.literal('runbook-execute'),
  runbookId: runbookIdColumn,
  runbookName: z.string(),
  ...runbookPinSchema.shape,
  /** The checked values to send (defaults filled in), by name. */
  parameters: z.record(z.string(), z.string()),
  risk: z.string(),
  /** Who asked and where: the execution is described as theirs. */
  requestedBy: z.string(),
  where: z.object({ platform: z.enum(CHAT_PLATFORMS), channelId: z.string(), threadRef: z.string().nullable() }),
  /** How many executions the runbook had at the preview: a lost answer is settled against it. */
  executions: z.number().int().nonnegative(),
});

export const platformActionPlanSchema = z.discriminatedUnion('kind', [alarmRunPlanSchema, runbookExecutePlanSchema]);
export type PlatformActionPlan = z.infer<typeof platformActionPlanSchema>;
export type AlarmRunPlan = z.infer<typeof alarmRunPlanSchema>;
export type RunbookExecutePlan = z.infer<typeof runbookExecutePlanSchema>;
export type PlatformActionKind = PlatformActionPlan['kind'];

export const platformActionRowSchema = z.object({
  approvalId: z.uuid(),
  backend: z.enum(BACKEND_NAMES),
  kind: z.enum(['alarm-run', 'runbook-execute']),
  plan: platformActionPlanSchema,
  requesterLocale: z.enum(LOCALES),
  channelId: z.string(),
  threadRef: z.string().nullable(),
  writeState: z.enum(PLATFORM_ACTION_WRITE_STATES),
  /** What the platform made, once known: a work order, an execution. */
  result: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** A row whose plan is of kind `K`. */
export type PlatformActionRow<K extends PlatformActionKind = PlatformActionKind> = Omit<z.infer<typeof platformActionRowSchema>, 'plan' | 'kind'> & {
  readonly kind: K;
  readonly plan: Extract<PlatformActionPlan, { kind: K }>;
};

export type NewPlatformAction = Pick<PlatformActionRow, 'approvalId' | 'backend' | 'plan' | 'requesterLocale' | 'channelId' | 'threadRef'>;

const TABLE = 'platform_actions';
const COLUMNS = columnsOf(platformActionRowSchema);

function parsed(row: unknown): PlatformActionRow {
  return parseRow(platformActionRowSchema, TABLE, row) as PlatformActionRow;
}

/** Files the action of a request just filed; a redelivered request finds the one on file. */
export async function insertPlatformAction(db: Queryable, input: NewPlatformAction): Promise<PlatformActionRow> {
  const plan = platformActionPlanSchema.parse(input.plan);
  const { rows } = await db.query(
    `INSERT INTO platform_actions (approval_id, backend, kind, plan, requester_locale, channel_id, thread_ref)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
     ON CONFLICT (approval_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [input.approvalId, input.backend, plan.kind, jsonb(plan), input.requesterLocale, input.channelId, input.threadRef],
  );
  if (rows.length > 0) return parsed(rows[0]);
  return (await getPlatformAction(db, input.approvalId))!;
}

export async function getPlatformAction(db: Queryable, approvalId: string): Promise<PlatformActionRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM platform_actions WHERE approval_id = $1`, [approvalId]);
  return rows.length === 0 ? undefined : parsed(rows[0]);
}

/**
 * Moves the write on, only from one of `from`: of any number of callers (clicks on several
 * replicas, recovery) only one stamps 'sending', so the platform is asked at most once.
 * undefined = it was not in one of `from`.
 */
export async function movePlatformActionWrite(
  db: Queryable,
  approvalId: string,
  from: readonly PlatformActionWriteState[],
  changes: { readonly writeState: PlatformActionWriteState; readonly result?: string; readonly error?: string },
): Promise<PlatformActionRow | undefined> {
  const { rows } = await db.query(
    `UPDATE platform_actions
        SET write_state = $3, result = coalesce($4, result), error = coalesce($5, error), updated_at = now()
      WHERE approval_id = $1 AND write_state = ANY($2::text[])
      RETURNING ${COLUMNS}`,
    [approvalId, [...from], changes.writeState, changes.result ?? null, changes.error ?? null],
  );
  return rows.length === 0 ? undefined : parsed(rows[0]);
}

/** Actions whose write's outcome is unknown, changed within the last `withinHours`: each read back once per round. */
export async function listUnknownPlatformActions(db: Queryable, withinHours: number, limit: number): Promise<PlatformActionRow[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM platform_actions
      WHERE write_state = 'unknown' AND updated_at > now() - make_interval(hours => $1::int)
      ORDER BY updated_at LIMIT $2`,
    [withinHours, limit],
  );
  return rows.map(parsed);
}
