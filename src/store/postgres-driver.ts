import pg from 'pg';
import { STORE_TIMEOUT_DEFAULTS } from '../config/sections/store.js';
import type { Db, Queryable, QueryResult } from './db.js';
import { StoreClosedError } from './errors.js';
import { channelName, notifyPayload } from './notify-channel.js';
import { PostgresListener } from './postgres-listener.js';
import { INT8_OID, parseInt8 } from './int8.js';
import { assertSchemaCanBeApplied, describePostgresUrl } from './postgres-url.js';
import {
  assertNoTransactionForBegin,
  assertNoTransactionForQuery,
  endableHandle,
  withTransactionMarked,
} from './transaction-scope.js';

export interface PostgresDbOptions {
  databaseUrl: string;
  /** Schema to create tables in; must already be a validated identifier. */
  schema?: string;
  /** Most connections one replica opens. */
  maxConnections?: number;
  /** Errors on idle pooled connections (server restart, network drop); the pool replaces them. */
  onBackgroundError?: (error: Error) => void;
  /** How long getting a connection may take before the query fails. Default 5 s. */
  connectTimeoutMs?: number;
  /**
   * How long one statement outside a transaction may run (the server cancels it; the client gives
   * up a little later if the server does not answer at all). Default 15 s: the store's queries
   * take milliseconds, and a claim that hangs must fail so the request is refused, not held.
   */
  statementTimeoutMs?: number;
  /**
   * The same inside a transaction (only migrations use them: DDL, and waiting for another
   * replica's migration under its own lock timeout). Default 10 minutes.
   */
  transactionStatementTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS: number = STORE_TIMEOUT_DEFAULTS.connectTimeoutMs;
export const DEFAULT_STATEMENT_TIMEOUT_MS: number = STORE_TIMEOUT_DEFAULTS.statementTimeoutMs;
export const DEFAULT_TRANSACTION_STATEMENT_TIMEOUT_MS = 600_000;
/** The client's own limit comes this long after the server's, so the server's cancel normally wins. */
const CLIENT_TIMEOUT_GRACE_MS = 5_000;

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

type PgRunner = Pick<pg.PoolClient, 'query'>;

/** `queryTimeoutMs`: the client's own limit for each query (the pool's when undefined). */
function runnerHandle(runner: PgRunner, queryTimeoutMs?: number): Queryable {
  const timeout = queryTimeoutMs === undefined ? {} : { query_timeout: queryTimeoutMs };
  return {
    async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await runner.query({ text: sql, values: [...params], ...timeout });
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await runner.query({ text: sql, ...timeout });
    },
  };
}

function reportToStderr(error: Error): void {
  process.stderr.write(`store: idle PostgreSQL connection failed: ${error.message}\n`);
}

function positiveMs(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

export async function openPostgresDb(options: PostgresDbOptions): Promise<Db> {
  if (options.schema) assertSchemaCanBeApplied(options.databaseUrl);
  const statementMs = positiveMs(options.statementTimeoutMs, DEFAULT_STATEMENT_TIMEOUT_MS);
  const transactionStatementMs = positiveMs(options.transactionStatementTimeoutMs, DEFAULT_TRANSACTION_STATEMENT_TIMEOUT_MS);
  // A slow or exhausted server fails the query instead of holding it (and the request) forever.
  const limits = {
    connectionTimeoutMillis: positiveMs(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
    query_timeout: statementMs + CLIENT_TIMEOUT_GRACE_MS,
  };
  const searchPath = [options.schema ? `-c search_path=${options.schema}` : '', `-c statement_timeout=${statementMs}`].filter(Boolean).join(' ');
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    application_name: 'coc-chatops',
    types: typeParsers,
    ...limits,
    options: searchPath,
  });
  pool.on('error', options.onBackgroundError ?? reportToStderr);
  // Connections whose commits do not wait for the WAL flush (see Db.queryWithoutFlushWait);
  // opened on first use.
  let unflushed: pg.Pool | undefined;
  const unflushedPool = (): pg.Pool => {
    if (!unflushed) {
      unflushed = new pg.Pool({
        connectionString: options.databaseUrl,
        max: 2,
        application_name: 'coc-chatops-unflushed',
        types: typeParsers,
        ...limits,
        options: `${searchPath} -c synchronous_commit=off`.trim(),
      });
      unflushed.on('error', options.onBackgroundError ?? reportToStderr);
    }
    return unflushed;
  };

  // Fail at start, not on the first chat command, when the server is unreachable.
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw error;
  }

  const direct = runnerHandle(pool);
  const listener = new PostgresListener(
    // LISTEN holds its connection open but runs no long statement; only connecting is bounded.
    () => new pg.Client({ connectionString: options.databaseUrl, application_name: 'coc-chatops-listen', connectionTimeoutMillis: limits.connectionTimeoutMillis }),
    options.onBackgroundError ?? reportToStderr,
  );
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new StoreClosedError();
  };

  const db: Db = {
    kind: 'postgres',
    description: describePostgresUrl(options.databaseUrl),
    async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      assertOpen();
      assertNoTransactionForQuery(db);
      return direct.query<T>(sql, params);
    },
    async exec(sql: string): Promise<void> {
      assertOpen();
      assertNoTransactionForQuery(db);
      return direct.exec(sql);
    },
    async queryWithoutFlushWait(sql: string, params: readonly unknown[] = []): Promise<void> {
      assertOpen();
      assertNoTransactionForQuery(db);
      await unflushedPool().query(sql, [...params]);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      assertOpen();
      assertNoTransactionForBegin(db);
      const client = await pool.connect();
      const { handle, end } = endableHandle(runnerHandle(client, transactionStatementMs + CLIENT_TIMEOUT_GRACE_MS));
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        // Migrations' DDL and lock waits may take longer than one query of the store should.
        await client.query(`SET LOCAL statement_timeout = ${transactionStatementMs}`);
        const result = await withTransactionMarked(db, () => fn(handle));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // A connection that cannot roll back is in an unknown state: destroy it, never reuse it.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        end();
        client.release(broken);
      }
    },
    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      assertOpen();
      return listener.listen(channelName(channel, options.schema), onPayload);
    },
    async notify(channel: string, payload: string): Promise<void> {
      await db.query('SELECT pg_notify($1, $2)', [channelName(channel, options.schema), notifyPayload.parse(payload)]);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await listener.close();
      await Promise.all([pool.end(), unflushed?.end()]);
    },
  };
  return db;
}
