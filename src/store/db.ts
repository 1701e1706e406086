/**
 * The driver interface every part of the bot talks to. Two implementations exist (PGlite and
 * PostgreSQL); both speak the same SQL dialect, so repositories are written once.
 */

export interface QueryResult<T> {
  readonly rows: T[];
  /** Rows returned by a SELECT, or rows touched by INSERT/UPDATE/DELETE. */
  readonly rowCount: number;
}

/** Anything that can run SQL: the database itself or an open transaction. */
export interface Queryable {
  /** One statement with `$1…$n` parameters. Pass jsonb values as `JSON.stringify(v)` with `$n::jsonb`. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Where the data lives, safe to print: never contains credentials. */
  readonly description: string;
  /**
   * Runs `fn` between BEGIN and COMMIT, rolling back if it throws. Inside `fn`, use only the
   * `tx` handle: calling `db.query` or `db.transaction` from within is refused, because the
   * first would run outside the transaction (PostgreSQL) or wait for it forever (PGlite).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * One statement whose commit does not wait for the write-ahead log to reach the disk
   * (PostgreSQL's `synchronous_commit = off`, on connections kept for it). A crash of the bot
   * loses none of these writes and nothing is ever corrupted; only a crash of the database
   * server itself may lose the last fraction of a second of them. For records that can bear
   * that and are written on a reply's path: the audit rows of reads. On PGlite, `query`.
   */
  queryWithoutFlushWait(sql: string, params?: readonly unknown[]): Promise<void>;
  /**
   * Hears NOTIFYs on `channel` (from this process or any replica on the same database and
   * schema). Delivery is best effort — a dropped connection loses what was sent meanwhile —
   * so listeners use it to act sooner, never as the only way to learn something.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Sends a NOTIFY at once (call it after the transaction whose change it announces has committed). */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}
