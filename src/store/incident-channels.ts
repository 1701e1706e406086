import { z } from 'zod';
import type { Queryable } from './db.js';
import { columnsOf, jsonb, parseRow, parseRows } from './rows.js';
import { CHAT_PLATFORMS } from './vocabulary.js';

export const incidentChannelRowSchema = z.object({
  incidentNum: z.string(),
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  channelId: z.string(),
  threadRef: z.string().nullable(),
  lastSeenStatus: z.string().nullable(),
  lastSummaryAt: z.date().nullable(),
  /** What the last summary showed, to say what changed since (shape owned by the summary code). */
  summaryState: z.record(z.string(), z.unknown()).nullable(),
  /** Set once the incident is completed or gone: no more polling, no more summaries. */
  closedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type IncidentChannelRow = z.infer<typeof incidentChannelRowSchema>;

export interface IncidentChannelKey {
  platform: IncidentChannelRow['platform'];
  workspaceId: string;
  incidentNum: string;
}

const TABLE = 'incident_channels';
const COLUMNS = columnsOf(incidentChannelRowSchema);
const KEY = 'platform = $1 AND workspace_id = $2 AND incident_num = $3';

function keyParams(key: IncidentChannelKey): unknown[] {
  return [key.platform, key.workspaceId, key.incidentNum];
}

/**
 * Records the channel opened for an incident. If another replica recorded one first, that one
 * wins and is returned, so the caller can archive the channel it just created.
 * `lastSeenStatus` is the status the incident had when the place was opened (its card shows
 * it), so only later changes are announced.
 */
export async function claimIncidentChannel(
  db: Queryable,
  input: IncidentChannelKey & { channelId: string; threadRef?: string | null; lastSeenStatus?: string | null },
): Promise<{ channel: IncidentChannelRow; claimed: boolean }> {
  const inserted = await db.query(
    `INSERT INTO incident_channels (platform, workspace_id, incident_num, channel_id, thread_ref, last_seen_status)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (platform, workspace_id, incident_num) DO NOTHING
     RETURNING ${COLUMNS}`,
    [input.platform, input.workspaceId, input.incidentNum, input.channelId, input.threadRef ?? null, input.lastSeenStatus ?? null],
  );
  if (inserted.rows.length > 0) return { channel: parseRow(incidentChannelRowSchema, TABLE, inserted.rows[0]), claimed: true };
  const existing = await getIncidentChannel(db, input);
  return { channel: parseRow(incidentChannelRowSchema, TABLE, existing), claimed: false };
}

export async function getIncidentChannel(db: Queryable, key: IncidentChannelKey): Promise<IncidentChannelRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM incident_channels WHERE ${KEY}`, keyParams(key));
  return rows.length === 0 ? undefined : parseRow(incidentChannelRowSchema, TABLE, rows[0]);
}

/** Every place of one incident, on every platform. */
export async function listIncidentChannels(db: Queryable, incidentNum: string): Promise<IncidentChannelRow[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM incident_channels WHERE incident_num = $1 ORDER BY created_at, platform, workspace_id`, [incidentNum]);
  return parseRows(incidentChannelRowSchema, TABLE, rows);
}

/** Places still watched (incident not completed), oldest first, on the given platforms. */
export async function listOpenIncidentChannels(db: Queryable, platforms: readonly IncidentChannelRow['platform'][], limit = 500): Promise<IncidentChannelRow[]> {
  if (platforms.length === 0) return [];
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM incident_channels
     WHERE closed_at IS NULL AND platform = ANY($1::text[])
     ORDER BY created_at, incident_num LIMIT $2`,
    [platforms, limit],
  );
  return parseRows(incidentChannelRowSchema, TABLE, rows);
}

/** The incident whose place is this channel (and thread, when the place is a thread). */
export async function findIncidentChannelByPlace(
  db: Queryable,
  place: { platform: IncidentChannelRow['platform']; workspaceId: string; channelId: string; threadRef?: string | null },
): Promise<IncidentChannelRow | undefined> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM incident_channels
     WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND thread_ref IS NOT DISTINCT FROM $4
     ORDER BY closed_at NULLS FIRST, created_at DESC LIMIT 1`,
    [place.platform, place.workspaceId, place.channelId, place.threadRef ?? null],
  );
  return rows.length === 0 ? undefined : parseRow(incidentChannelRowSchema, TABLE, rows[0]);
}

/**
 * Claims the announcement of one status change in one place: moves `last_seen_status` from
 * what the caller saw to the new status. Exactly one caller (handler, poller, replica) wins
 * each change; the others get false and post nothing.
 */
export async function claimStatusTransition(db: Queryable, key: IncidentChannelKey, from: string | null, to: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE incident_channels SET last_seen_status = $5, updated_at = now()
     WHERE ${KEY} AND last_seen_status IS NOT DISTINCT FROM $4 AND closed_at IS NULL`,
    [...keyParams(key), from, to],
  );
  return rowCount === 1;
}

/** Gives a claimed change back (its post failed), unless somebody moved on since. */
export async function releaseStatusTransition(db: Queryable, key: IncidentChannelKey, from: string | null, to: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE incident_channels SET last_seen_status = $4, updated_at = now() WHERE ${KEY} AND last_seen_status = $5`,
    [...keyParams(key), from, to],
  );
  return rowCount === 1;
}

/**
 * Claims the next summary of a place: only if its last summary is still the one the caller
 * saw (`seen`, null = none yet), so two replicas due at once post one summary between them.
 */
export async function claimSummary(
  db: Queryable,
  key: IncidentChannelKey,
  seen: Date | null,
  at: Date,
  state: Record<string, unknown>,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE incident_channels SET last_summary_at = $5, summary_state = $6::jsonb, updated_at = now()
     WHERE ${KEY} AND last_summary_at IS NOT DISTINCT FROM $4::timestamptz AND closed_at IS NULL`,
    [...keyParams(key), seen, at, jsonb(state)],
  );
  return rowCount === 1;
}

/** Gives a claimed summary back (its post failed), unless a later one was claimed since. */
export async function releaseSummary(db: Queryable, key: IncidentChannelKey, previous: IncidentChannelRow, claimedAt: Date): Promise<void> {
  await db.query(
    `UPDATE incident_channels SET last_summary_at = $4::timestamptz, summary_state = $5::jsonb, updated_at = now()
     WHERE ${KEY} AND last_summary_at = $6::timestamptz`,
    [...keyParams(key), previous.lastSummaryAt, previous.summaryState === null ? null : jsonb(previous.summaryState), claimedAt],
  );
}

/** Records a summary asked for on demand in the place itself: the next periodic one counts from it. */
export async function recordSummary(db: Queryable, key: IncidentChannelKey, at: Date, state: Record<string, unknown>): Promise<void> {
  await db.query(
    `UPDATE incident_channels SET last_summary_at = $4, summary_state = $5::jsonb, updated_at = now() WHERE ${KEY}`,
    [...keyParams(key), at, jsonb(state)],
  );
}

/** Stops watching a place (the incident completed or no longer exists); true for the call that closed it. */
export async function closeIncidentChannel(db: Queryable, key: IncidentChannelKey, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE incident_channels SET closed_at = $4, updated_at = now() WHERE ${KEY} AND closed_at IS NULL`, [...keyParams(key), at]);
  return rowCount === 1;
}
