import { z } from 'zod';
import type { Queryable } from './db.js';
import { columnsOf, parseRows } from './rows.js';
import { CHAT_PLATFORMS } from './vocabulary.js';

/** An execution order that belongs to an incident: run from its place, or linked explicitly. */
export const incidentOrderRowSchema = z.object({
  incidentNum: z.string(),
  executeUuid: z.string(),
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
  executeUuid: string;
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
    `INSERT INTO incident_orders (incident_num, execute_uuid, platform, workspace_id, channel_id, thread_ref, linked_by_iam_user, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8::timestamptz, now()))
     ON CONFLICT (incident_num, execute_uuid) DO NOTHING`,
    [link.incidentNum, link.executeUuid, link.platform, link.workspaceId, link.channelId, link.threadRef ?? null, link.linkedByIamUser ?? null, link.at ?? null],
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
       SELECT incident_num, execute_uuid, platform, workspace_id, channel_id, thread_ref, linked_by_iam_user, created_at
       FROM incident_orders WHERE incident_num = $1
       UNION ALL
       SELECT c.incident_num, t.execute_uuid, t.platform, t.workspace_id, t.channel_id, t.thread_ref, t.started_by_iam_user, t.created_at
       FROM incident_channels c
       JOIN tracked_orders t
         ON t.platform = c.platform AND t.workspace_id = c.workspace_id AND t.channel_id = c.channel_id
        AND (c.thread_ref IS NULL OR t.thread_ref = c.thread_ref)
       WHERE c.incident_num = $1 AND t.created_at >= c.created_at
         AND NOT EXISTS (SELECT 1 FROM incident_orders l WHERE l.incident_num = $1 AND l.execute_uuid = t.execute_uuid)
     ) AS linked
     ORDER BY created_at DESC, execute_uuid LIMIT $2`,
    [incidentNum, limit],
  );
  // One order may be tracked in two places of the same incident: keep its first row.
  const unique = new Map<string, IncidentOrderRow>();
  for (const row of parseRows(incidentOrderRowSchema, TABLE, rows)) if (!unique.has(row.executeUuid)) unique.set(row.executeUuid, row);
  return [...unique.values()];
}
