import type { Db } from './db.js';
import { writeHeldAuditRows } from './audit-events.js';
import { runMigrations, type MigrationReport } from './migrations.js';
import { assertSchemaName } from './schema-name.js';

export const DEFAULT_DATA_DIR = './data/pglite';

export interface StoreOptions {
  /** A PostgreSQL connection string; when set, PostgreSQL is used and `dataDir` is ignored. */
  databaseUrl?: string;
  /** The embedded PGlite data folder, or `memory://`. Default `./data/pglite`. */
  dataDir?: string;
  /** Put the tables in this schema (created if missing) instead of the default one. */
  schema?: string;
  /** PostgreSQL only: most pooled connections. */
  maxConnections?: number;
  /** PostgreSQL only: errors on idle pooled connections. */
  onBackgroundError?: (error: Error) => void;
  /** PostgreSQL only: how long getting a connection may take (default 5 s). */
  connectTimeoutMs?: number;
  /** PostgreSQL only: how long one statement outside migrations may run (default 15 s). */
  statementTimeoutMs?: number;
}

export interface Store {
  readonly db: Db;
  /** What the start-up migration run did. */
  readonly migrations: MigrationReport;
  close(): Promise<void>;
}

/** Opens the configured database and brings its schema up to date before anything uses it. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const schema = options.schema === undefined ? undefined : assertSchemaName(options.schema);
  // Only the driver in use is loaded: PGlite's WebAssembly module is large, and a PostgreSQL
  // deployment never needs it.
  const db = options.databaseUrl
    ? await (await import('./postgres-driver.js')).openPostgresDb({
        databaseUrl: options.databaseUrl,
        ...(schema ? { schema } : {}),
        ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
        ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
        ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
        ...(options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
      })
    : await (await import('./pglite-driver.js')).openPgliteDb({ dataDir: options.dataDir ?? DEFAULT_DATA_DIR, ...(schema ? { schema } : {}) });
  try {
    const migrations = await runMigrations(db, schema ? { schema } : {});
    return {
      db,
      migrations,
      close: async () => {
        // Reads' audit rows are written just after their answers: the last ones go before the store closes.
        try {
          await writeHeldAuditRows(db);
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
