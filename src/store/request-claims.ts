import { z } from 'zod';
import type { Queryable } from './db.js';
import { columnsOf, parseRows } from './rows.js';
import { StoreError } from './errors.js';

/**
 * Once-only requests across replicas: a request is claimed by its platform id with one INSERT
 * … ON CONFLICT DO NOTHING, which PostgreSQL (and PGlite) decide atomically, so of any number
 * of deliveries of one request, to any replicas at the same moment, exactly one gets the row.
 * Times are the database's, one clock for every replica.
 */

export const requestClaimRowSchema = z.object({
  claimKey: z.string().min(1),
  holder: z.string(),
  claimedAt: z.date(),
  expiresAt: z.date(),
});
export type RequestClaimRow = z.infer<typeof requestClaimRowSchema>;

const TABLE = 'request_claims';
const COLUMNS = columnsOf(requestClaimRowSchema);
/** Keys are platform ids joined with a few fixed words; anything longer is not one of ours. */
export const MAX_CLAIM_KEY_LENGTH = 1_000;

/** A claim that could not be asked for (a bad key): a programming error, never a replay. */
export class RequestClaimKeyError extends StoreError {}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_CLAIM_KEY_LENGTH || key.includes('\u0000')) {
    throw new RequestClaimKeyError(`a request claim key must be 1-${MAX_CLAIM_KEY_LENGTH} characters without NUL`);
  }
}

/**
 * Claims `key` for `ttlMs`: true for the one caller that gets it, false for every other while
 * the claim lasts. The usual case (a request seen for the first time) is the single INSERT; only
 * a key that is already there costs a second statement, to take it over if it has expired
 * (conditional, so two replicas taking over one expired claim still get one winner between them).
 */
export async function claimRequest(db: Queryable, key: string, ttlMs: number, holder: string): Promise<boolean> {
  checkKey(key);
  const ttl = Math.max(0, Math.floor(ttlMs));
  // A key swept between the statements is simply inserted again; twice is enough, because
  // only expired rows are ever swept and a fresh claim then holds the key.
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await db.query(
      `INSERT INTO request_claims (claim_key, holder, expires_at)
       VALUES ($1, $2, now() + $3::int * interval '1 millisecond')
       ON CONFLICT (claim_key) DO NOTHING`,
      [key, holder, ttl],
    );
    if (inserted.rowCount === 1) return true;
    const { rows } = await db.query<{ expired: boolean; present: boolean }>(
      `WITH taken AS (
         UPDATE request_claims SET holder = $2, claimed_at = now(), expires_at = now() + $3::int * interval '1 millisecond'
         WHERE claim_key = $1 AND expires_at <= now()
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM taken) > 0 AS expired,
              EXISTS (SELECT 1 FROM request_claims WHERE claim_key = $1) AS present`,
      [key, holder, ttl],
    );
    const row = rows[0];
    if (row?.expired) return true;
    if (row?.present === false) continue;
    // Seen there, live, by the statement's snapshot. A sweep may have deleted it while the
    // statement waited for its lock, and the snapshot still shows it: every contender would
    // then be refused and the request run by nobody. A statement of its own says whether it is
    // still there; gone, the key is inserted again.
    const still = await db.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM request_claims WHERE claim_key = $1) AS present', [key]);
    if (still.rows[0]?.present !== false) return false;
  }
  return false;
}

/**
 * Gives up a claim `holder` still holds (a write the platform proved it did not act on may be
 * tried again at once); a claim taken over by someone else since is left alone.
 */
export async function releaseRequestClaim(db: Queryable, key: string, holder: string): Promise<void> {
  checkKey(key);
  await db.query('DELETE FROM request_claims WHERE claim_key = $1 AND holder = $2', [key, holder]);
}

/**
 * Claims many keys in one statement (a burst of requests waiting for the store): returns the
 * keys inserted now. A key left out was there already; `claimRequest` decides it (it may have
 * expired and be taken over).
 */
export async function claimNewRequests(db: Queryable, keys: readonly string[], ttlMs: number, holder: string): Promise<Set<string>> {
  for (const key of keys) checkKey(key);
  const ttl = Math.max(0, Math.floor(ttlMs));
  const { rows } = await db.query<{ claim_key: string }>(
    `INSERT INTO request_claims (claim_key, holder, expires_at)
     SELECT key, $2, now() + $3::int * interval '1 millisecond' FROM unnest($1::text[]) AS key
     ON CONFLICT (claim_key) DO NOTHING
     RETURNING claim_key`,
    [keys, holder, ttl],
  );
  return new Set(rows.map((row) => row.claim_key));
}

/** Deletes claims past their expiry; returns how many. Cheap with the expiry index. */
export async function sweepRequestClaims(db: Queryable): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM request_claims WHERE expires_at <= now()');
  return rowCount;
}

/** The claim on `key`, expired or not (diagnostics and tests). */
export async function getRequestClaim(db: Queryable, key: string): Promise<RequestClaimRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM request_claims WHERE claim_key = $1`, [key]);
  return parseRows(requestClaimRowSchema, TABLE, rows)[0];
}
