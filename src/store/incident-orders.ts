import { z } from 'zod';
import type { RunId } from '../backends/ids.js';
import type { Queryable } from './db.js';
import { runIdColumn } from './id-columns.js';
import { columnsOf, parseRows } from './rows.js';
import { CHAT_PLATFORMS } from './vocabulary.js';

/** A run that belongs to an incident: run from its place, or linked explicitly. */
export const incidentOrderRowSchema = z.object({
  incidentNum: z.string(),
  runId: runIdColumn,
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  channelId: z.string(),
  threadRef: z.string().nullable(),
  linkedByIamUser: z.string().nullable(),
  createdAt: z.date(),
});
export type IncidentOrderRow = z.infer<typeof incidentOrderRowSchema>;

export interface IncidentOrderLink {
  incidentNum: string;
  runId: RunId;
  platform: IncidentOrderRow['platform'];
  workspaceId: string;
  channelId: string;
  threadRef?: string | null;
  linkedByIamUser?: string | null;
  at?: Date;
}

const TABLE = 'incident_orders';
const COLUMNS = columnsOf(incidentOrderRowSchema);

/** Links an order to an incident; linking it twice keeps the first link. True when this call linked it. */
export async function insertIncidentOrder(db: Queryable, link: IncidentOrderLink): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO incident_orders (incident_num, run_id, platform, workspace_id, channel_id, thread_ref, linked_by_iam_user, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8::timestamptz, now()))
     ON CONFLICT (incident_num, run_id) DO NOTHING`,
    [link.incidentNum, link.runId, link.platform, link.workspaceId, link.channelId, link.threadRef ?? null, link.linkedByIamUser ?? null, link.at ?? null],
  );
  return rowCount === 1;
}

/**
 * Orders of an incident, newest first: those linked explicitly, and those the order tracker
 * follows in one of the incident's places (same channel, and same thread when the place is one).
 */
export async function listIncidentOrders(db: Queryable, incidentNum: string, limit = 20): Promise<IncidentOrderRow[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM (
       SELECT incident_num, run_id, platform, workspace_id, channel_id, thread_ref, linked_by_iam_user, created_at
       FROM incident_orders WHERE incident_num = $1
       UNION ALL
       SELECT c.incident_num, t.run_id, t.platform, t.workspace_id, t.channel_id, t.thread_ref, t.started_by_iam_user, t.created_at
       FROM incident_channels c
       JOIN tracked_orders t
         ON t.platform = c.platform AND t.workspace_id = c.workspace_id AND t.channel_id = c.channel_id
        AND (c.thread_ref IS NULL OR t.thread_ref = c.thread_ref)
       WHERE c.incident_num = $1 AND t.created_at >= c.created_at
         AND NOT EXISTS (SELECT 1 FROM incident_orders l WHERE l.incident_num = $1 AND l.run_id = t.run_id)
     ) AS linked
     ORDER BY created_at DESC, run_id LIMIT $2`,
    [incidentNum, limit],
  );
  // One order may be tracked in two places of the same incident: keep its first row.
  const unique = new Map<RunId, IncidentOrderRow>();
  for (const row of parseRows(incidentOrderRowSchema, TABLE, rows)) if (!unique.has(row.runId)) unique.set(row.runId, row);
  return [...unique.values()];
}
