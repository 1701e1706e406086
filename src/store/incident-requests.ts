import { z } from 'zod';
import type { Queryable } from './db.js';
import { columnsOf, parseRow } from './rows.js';

/**
 * Requests that create something in COC, claimed before they are sent: a redelivered chat
 * event (same interaction) or a second replica (same announcement) finds the claim and does
 * not send again. 'unknown' = sent, but COC's answer never arrived.
 */
export const INCIDENT_REQUEST_STATES = ['sending', 'done', 'unknown'] as const;

export const incidentRequestRowSchema = z.object({
  requestKey: z.string(),
  state: z.enum(INCIDENT_REQUEST_STATES),
  incidentNum: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type IncidentRequestRow = z.infer<typeof incidentRequestRowSchema>;

const TABLE = 'incident_requests';
const COLUMNS = columnsOf(incidentRequestRowSchema);

/** Claims a request key; when somebody claimed it first, their row comes back with `claimed: false`. */
export async function claimIncidentRequest(
  db: Queryable,
  key: string,
  incidentNum?: string,
): Promise<{ claimed: true } | { claimed: false; existing: IncidentRequestRow }> {
  const { rowCount } = await db.query(
    `INSERT INTO incident_requests (request_key, incident_num) VALUES ($1, $2) ON CONFLICT (request_key) DO NOTHING`,
    [key, incidentNum ?? null],
  );
  if (rowCount === 1) return { claimed: true };
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM incident_requests WHERE request_key = $1`, [key]);
  return { claimed: false, existing: parseRow(incidentRequestRowSchema, TABLE, rows[0]) };
}

export async function finishIncidentRequest(db: Queryable, key: string, state: 'done' | 'unknown', incidentNum?: string): Promise<void> {
  await db.query(
    `UPDATE incident_requests SET state = $2, incident_num = COALESCE($3, incident_num), updated_at = now() WHERE request_key = $1`,
    [key, state, incidentNum ?? null],
  );
}

/** Forgets a claim whose request COC refused outright (nothing was created), so it may be tried again. */
export async function dropIncidentRequest(db: Queryable, key: string): Promise<void> {
  await db.query(`DELETE FROM incident_requests WHERE request_key = $1 AND state = 'sending'`, [key]);
}
