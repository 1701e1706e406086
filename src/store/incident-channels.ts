import { z } from 'zod';
import type { Queryable } from './db.js';
import { columnsOf, parseRow } from './rows.js';
import { CHAT_PLATFORMS } from './vocabulary.js';

export const incidentChannelRowSchema = z.object({
  incidentNum: z.string(),
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  channelId: z.string(),
  threadRef: z.string().nullable(),
  lastSeenStatus: z.string().nullable(),
  lastSummaryAt: z.date().nullable(),
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

/**
 * Records the channel opened for an incident. If another replica recorded one first, that one
 * wins and is returned, so the caller can archive the channel it just created.
 */
export async function claimIncidentChannel(
  db: Queryable,
  input: IncidentChannelKey & { channelId: string; threadRef?: string | null },
): Promise<{ channel: IncidentChannelRow; claimed: boolean }> {
  const inserted = await db.query(
    `INSERT INTO incident_channels (platform, workspace_id, incident_num, channel_id, thread_ref)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (platform, workspace_id, incident_num) DO NOTHING
     RETURNING ${COLUMNS}`,
    [input.platform, input.workspaceId, input.incidentNum, input.channelId, input.threadRef ?? null],
  );
  if (inserted.rows.length > 0) return { channel: parseRow(incidentChannelRowSchema, TABLE, inserted.rows[0]), claimed: true };
  const existing = await getIncidentChannel(db, input);
  return { channel: parseRow(incidentChannelRowSchema, TABLE, existing), claimed: false };
}

export async function getIncidentChannel(db: Queryable, key: IncidentChannelKey): Promise<IncidentChannelRow | undefined> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM incident_channels WHERE platform = $1 AND workspace_id = $2 AND incident_num = $3`,
    [key.platform, key.workspaceId, key.incidentNum],
  );
  return rows.length === 0 ? undefined : parseRow(incidentChannelRowSchema, TABLE, rows[0]);
}
