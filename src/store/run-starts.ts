/**
 * Who started each of these runs from chat (and who approved it): one query for a whole page of
 * orders, so a list names people without a query per row. A run the bot did not start has none.
 */
import { z } from 'zod';
import type { RunId } from '../backends/ids.js';
import type { Queryable } from './db.js';
import { runIdColumn } from './id-columns.js';
import { CHAT_PLATFORMS } from './vocabulary.js';

const runStartRowSchema = z.object({
  runId: runIdColumn,
  platform: z.enum(CHAT_PLATFORMS),
  chatUser: z.string(),
  iamUser: z.string(),
  approverChatUser: z.string().nullable(),
  approverIamUser: z.string().nullable(),
});

export interface ChatPerson {
  readonly chatUser: string;
  readonly iamUser: string;
}

export interface RunStart extends ChatPerson {
  /** Where it was asked for. */
  readonly platform: (typeof CHAT_PLATFORMS)[number];
  /** Who approved it, for a run that needed a second person. */
  readonly approver?: ChatPerson;
}

export async function runStartsOf(db: Queryable, runIds: readonly RunId[]): Promise<ReadonlyMap<RunId, RunStart>> {
  const starts = new Map<RunId, RunStart>();
  if (runIds.length === 0) return starts;
  const { rows } = await db.query<unknown>(
    `SELECT p.run_id AS "runId", p.platform, p.requester_chat_user_id AS "chatUser", p.requester_iam_user AS "iamUser",
            a.approver_chat_user_id AS "approverChatUser", a.approver_iam_user AS "approverIamUser"
       FROM run_plans p LEFT JOIN approvals a ON a.id = p.approval_id
      WHERE p.run_id = ANY($1::text[])`,
    [[...new Set(runIds)]],
  );
  for (const raw of rows) {
    const row = runStartRowSchema.parse(raw);
    const approver = row.approverChatUser && row.approverIamUser ? { chatUser: row.approverChatUser, iamUser: row.approverIamUser } : undefined;
    starts.set(row.runId, { platform: row.platform, chatUser: row.chatUser, iamUser: row.iamUser, ...(approver ? { approver } : {}) });
  }
  return starts;
}
