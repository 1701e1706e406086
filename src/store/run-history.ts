/**
 * The runs a person started from chat, newest first: what `orders --mine` lists for someone who
 * acts with the bot's shared identity (the platform names the bot as every run's creator).
 */
import { z } from 'zod';
import type { RunId } from '../backends/ids.js';
import type { Queryable } from './db.js';
import { runIdColumn } from './id-columns.js';

const runHistoryRowSchema = z.object({
  runId: runIdColumn.nullable(),
  scriptName: z.string(),
  updatedAt: z.date(),
});

export interface RunHistoryEntry {
  /** Undefined while the start's outcome is unknown (its run not found yet). */
  readonly run: RunId | undefined;
  readonly scriptName: string;
  readonly updatedAt: Date;
}

/** Runs `iamUser` started (or whose outcome is still unknown) since `since`, newest first, at most `limit`. */
export async function listRunsStartedBy(db: Queryable, iamUser: string, options: { readonly since: Date; readonly limit: number }): Promise<RunHistoryEntry[]> {
  const { rows } = await db.query<unknown>(
    `SELECT run_id AS "runId", script_name AS "scriptName", updated_at AS "updatedAt"
       FROM run_plans
      WHERE lower(requester_iam_user) = lower($1) AND (run_id IS NOT NULL OR state = 'unknown') AND updated_at >= $2
      ORDER BY updated_at DESC LIMIT $3`,
    [iamUser, options.since, options.limit],
  );
  return rows.map((raw) => {
    const row = runHistoryRowSchema.parse(raw);
    return { run: row.runId ?? undefined, scriptName: row.scriptName, updatedAt: row.updatedAt };
  });
}
