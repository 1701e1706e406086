/**
 * The callback inbox of bot-driven batches: a random token per batch, written before the batch is
 * sent and handed to the platform as the place to report the execution's end (BlueKing Job's
 * `bk_callback_url`). The ops server records the execution a callback names; reconciliation of a
 * batch whose answer was lost reads it here. The token is the only credential of a callback, so
 * it is long, random, and never logged.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';

export interface CallbackRecord {
  readonly planId: string;
  readonly batchIndex: number;
  readonly executionId: string | null;
  readonly finished: boolean;
  readonly receivedAt: Date | null;
}

const RECORD = `plan_id AS "planId", batch_index AS "batchIndex", execution_id AS "executionId", finished, received_at AS "receivedAt"`;

/** The batch's token: made on the first call, the same one after (so a repeated send path names one place). */
export async function callbackTokenFor(db: Queryable, planId: string, batchIndex: number): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  const { rows } = await db.query<{ token: string }>(
    `INSERT INTO backend_callbacks (token, plan_id, batch_index) VALUES ($1, $2, $3)
     ON CONFLICT (plan_id, batch_index) DO NOTHING RETURNING token`,
    [token, planId, batchIndex],
  );
  if (rows[0]) return rows[0].token;
  const existing = await db.query<{ token: string }>('SELECT token FROM backend_callbacks WHERE plan_id = $1 AND batch_index = $2', [planId, batchIndex]);
  return existing.rows[0]!.token;
}

/**
 * Records what a callback says: the first execution named for a token is kept (a second, different
 * one is refused: undefined); `finished` only ever becomes true. Undefined for an unknown token.
 */
export async function recordCallback(db: Queryable, token: string, executionId: string, finished: boolean, now: Date): Promise<CallbackRecord | undefined> {
  const { rows } = await db.query<CallbackRecord>(
    `UPDATE backend_callbacks
        SET execution_id = $2, finished = finished OR $3, received_at = coalesce(received_at, $4)
      WHERE token = $1 AND (execution_id IS NULL OR execution_id = $2)
      RETURNING ${RECORD}`,
    [token, executionId, finished, now],
  );
  return rows[0];
}

/** What the inbox holds for a batch; undefined when no callback was ever prepared for it. */
export async function callbackOf(db: Queryable, planId: string, batchIndex: number): Promise<CallbackRecord | undefined> {
  const { rows } = await db.query<CallbackRecord>(`SELECT ${RECORD} FROM backend_callbacks WHERE plan_id = $1 AND batch_index = $2`, [planId, batchIndex]);
  return rows[0];
}

export async function callbackTokenExists(db: Queryable, token: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM backend_callbacks WHERE token = $1', [token]);
  return rowCount > 0;
}
