import { z } from 'zod';
import type { Queryable } from './db.js';
import { columnsOf, parseRow } from './rows.js';
import { CHAT_PLATFORMS } from './vocabulary.js';

export const trackedOrderRowSchema = z.object({
  executeUuid: z.string(),
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  channelId: z.string(),
  messageRef: z.string().nullable(),
  threadRef: z.string().nullable(),
  approvalId: z.uuid().nullable(),
  startedByIamUser: z.string().nullable(),
  lastStateHash: z.string().nullable(),
  lastEditedAt: z.date().nullable(),
  finalPosted: z.boolean(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TrackedOrderRow = z.infer<typeof trackedOrderRowSchema>;

export interface NewTrackedOrder {
  executeUuid: string;
  platform: TrackedOrderRow['platform'];
  workspaceId: string;
  channelId: string;
  messageRef?: string | null;
  threadRef?: string | null;
  approvalId?: string | null;
  startedByIamUser?: string | null;
}

const TABLE = 'tracked_orders';
const COLUMNS = columnsOf(trackedOrderRowSchema);

/** Starts tracking an order; tracking the same order twice keeps the first row. */
export async function insertTrackedOrder(db: Queryable, input: NewTrackedOrder): Promise<TrackedOrderRow> {
  await db.query(
    `INSERT INTO tracked_orders
       (execute_uuid, platform, workspace_id, channel_id, message_ref, thread_ref, approval_id, started_by_iam_user)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (execute_uuid) DO NOTHING`,
    [
      input.executeUuid,
      input.platform,
      input.workspaceId,
      input.channelId,
      input.messageRef ?? null,
      input.threadRef ?? null,
      input.approvalId ?? null,
      input.startedByIamUser ?? null,
    ],
  );
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM tracked_orders WHERE execute_uuid = $1`, [input.executeUuid]);
  return parseRow(trackedOrderRowSchema, TABLE, rows[0]);
}

export async function getTrackedOrder(db: Queryable, executeUuid: string): Promise<TrackedOrderRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM tracked_orders WHERE execute_uuid = $1`, [executeUuid]);
  return rows.length === 0 ? undefined : parseRow(trackedOrderRowSchema, TABLE, rows[0]);
}
