import pg from 'pg';
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
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

type PgRunner = Pick<pg.PoolClient, 'query'>;

function runnerHandle(runner: PgRunner): Queryable {
  return {
    async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await runner.query(sql, [...params]);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await runner.query(sql);
    },
  };
}

function reportToStderr(error: Error): void {
  process.stderr.write(`store: idle PostgreSQL connection failed: ${error.message}\n`);
}

export async function openPostgresDb(options: PostgresDbOptions): Promise<Db> {
  if (options.schema) assertSchemaCanBeApplied(options.databaseUrl);
  const searchPath = options.schema ? `-c search_path=${options.schema}` : '';
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    application_name: 'coc-chatops',
    types: typeParsers,
    ...(searchPath ? { options: searchPath } : {}),
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
    () => new pg.Client({ connectionString: options.databaseUrl, application_name: 'coc-chatops-listen' }),
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
      const { handle, end } = endableHandle(runnerHandle(client));
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
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
