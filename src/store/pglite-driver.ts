import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions, type Results } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './db.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { StoreClosedError } from './errors.js';
import { channelName, notifyPayload } from './notify-channel.js';
import { INT8_OID, parseInt8 } from './int8.js';
import {
  assertNoTransactionForBegin,
  assertNoTransactionForQuery,
  endableHandle,
  withTransactionMarked,
} from './transaction-scope.js';

import { IN_MEMORY_DATA_DIR } from './in-memory.js';
import { compilePgliteWasm } from './pglite-artifacts.js';

export { IN_MEMORY_DATA_DIR };

export interface PgliteDbOptions {
  dataDir: string;
  /** Schema to create tables in; must already be a validated identifier. */
  schema?: string;
}

type PgliteRunner = Pick<PGlite, 'query' | 'exec'>;

/**
 * PGlite's own start-up parameters plus a small buffer cache. Postgres's default shared_buffers
 * (128 MB) sits in PGlite's WebAssembly memory, inside the bot's process, and is touched as the
 * store opens: it took ~140 MB of resident memory on opening an existing store and made opening
 * slower. 16 MB still cost ~10 MB more than 4 MB when opened. The bot's tables are small (live
 * orders, cards, approvals, the audit trail read by key), and pages that fall out of the cache
 * are read again from the data folder, which the OS keeps cached, so 4 MB is enough.
 * Given as start-up parameters, not in postgresql.conf: nothing is written to the data folder.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=4MB'];

// PGlite's WebAssembly runs on V8's baseline compiler only: set by pglite-artifacts.ts, which
// also compiles it, once per process and ahead of the opening when a start begins with it.

/**
 * The data folder the build made (scripts/build.mjs: initdb and every migration), next to the
 * bundled code. A new store starts as a copy of it instead of running PGlite's initdb in the
 * bot's process, which took ~560 MB more memory and seconds of CPU. Absent when the bot runs
 * from its sources (tsx): a new store is then created as before.
 */
const BUILT_TEMPLATE_DIR = fileURLToPath(new URL('./store-template/', import.meta.url));

/**
 * Makes a new data folder a copy of the build's template, when there is one. Copied beside it
 * and renamed into place, so a start that stops half-way leaves no half-made store behind. A
 * folder that exists and holds anything is left to PGlite.
 */
function seedFromTemplate(dataDir: string): void {
  if (!existsSync(join(BUILT_TEMPLATE_DIR, 'PG_VERSION'))) return;
  if (existsSync(dataDir)) {
    if (readdirSync(dataDir).length > 0) return;
    rmSync(dataDir, { recursive: true });
  }
  const partial = `${dataDir}.new-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  // The template is a link to a folder the builds share: copy what it points to.
  cpSync(realpathSync(BUILT_TEMPLATE_DIR), partial, { recursive: true });
  renameSync(partial, dataDir);
}

/** Every PGlite this module starts, whether created, opened or loaded from a copy. */
const PGLITE_OPTIONS = { parsers: { [INT8_OID]: parseInt8 }, startParams: PGLITE_START_PARAMS };

/** PGLITE_OPTIONS with PGlite's WebAssembly already compiled (when it could be). */
async function pgliteOptions(): Promise<PGliteOptions> {
  const pgliteWasmModule = await compilePgliteWasm();
  return pgliteWasmModule ? { ...PGLITE_OPTIONS, pgliteWasmModule } : PGLITE_OPTIONS;
}

function toResult<T>(results: Results<T>): QueryResult<T> {
  // PGlite reports affectedRows only for INSERT/UPDATE/DELETE; PostgreSQL's rowCount also counts SELECT rows.
  const affected = results.affectedRows ?? 0;
  return { rows: results.rows, rowCount: affected > 0 ? affected : results.rows.length };
}

function runnerHandle(runner: PgliteRunner): Queryable {
  return {
    async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      return toResult(await runner.query<T>(sql, [...params]));
    },
    async exec(sql: string): Promise<void> {
      await runner.exec(sql);
    },
  };
}

export async function openPgliteDb(options: PgliteDbOptions): Promise<Db> {
  const inMemory = options.dataDir === IN_MEMORY_DATA_DIR;
  const dataDir = inMemory ? options.dataDir : resolve(options.dataDir);
  let lock: DataDirLock | undefined;
  if (!inMemory) {
    // PGlite creates the folder itself but not its parents.
    mkdirSync(dirname(dataDir), { recursive: true });
    lock = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    if (!inMemory) seedFromTemplate(dataDir);
    pglite = await PGlite.create(dataDir, await pgliteOptions());
    if (options.schema) await pglite.exec(`SET search_path TO ${options.schema}`);
  } catch (error) {
    lock?.release();
    throw error;
  }

  return wrapPglite(pglite, inMemory ? 'PGlite in memory' : `PGlite in ${dataDir}`, options.schema, lock);
}

/** The PGlite behind each Db this module made, so an in-memory one can be copied. */
const instances = new WeakMap<Db, PGlite>();

/**
 * Everything an in-memory database opened by this module holds (tables, rows, migrations), as
 * a tarball that `loadPgliteDb` turns into a new database — in this process or another — in a
 * fraction of the time creating and migrating one takes. For throwaway stores (tests).
 */
export async function dumpPgliteDb(source: Db): Promise<Blob> {
  const pglite = instances.get(source);
  if (!pglite) throw new TypeError('only a PGlite store opened by this module can be copied');
  return pglite.dumpDataDir('none');
}

/**
 * A new in-memory database from a `dumpPgliteDb` tarball. Started like every other PGlite here
 * (same parsers, same buffer cache), which PGlite's own `clone()` does not do.
 */
export async function loadPgliteDb(tarball: Blob): Promise<Db> {
  const pglite = await PGlite.create({ ...(await pgliteOptions()), loadDataDir: tarball });
  return wrapPglite(pglite, 'PGlite in memory (copy)', undefined, undefined);
}

/** A new in-memory database with everything `source` holds. For throwaway stores (tests). */
export async function clonePgliteDb(source: Db): Promise<Db> {
  return loadPgliteDb(await dumpPgliteDb(source));
}

function wrapPglite(pglite: PGlite, description: string, schema: string | undefined, lock: DataDirLock | undefined): Db {
  const options = { schema };
  const direct = runnerHandle(pglite);
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new StoreClosedError();
  };

  const db: Db = {
    kind: 'pglite',
    description,
    async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      assertOpen();
      assertNoTransactionForQuery(db);
      return direct.query<T>(sql, params);
    },
    async queryWithoutFlushWait(sql: string, params?: readonly unknown[]): Promise<void> {
      // One connection, and nothing to relax: a plain query.
      assertOpen();
      assertNoTransactionForQuery(db);
      await direct.query(sql, params);
    },
    async exec(sql: string): Promise<void> {
      assertOpen();
      assertNoTransactionForQuery(db);
      return direct.exec(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      assertOpen();
      assertNoTransactionForBegin(db);
      // PGlite's own transaction() issues BEGIN/COMMIT/ROLLBACK and holds its mutex, so
      // queries from elsewhere in the process wait instead of landing inside this transaction.
      return pglite.transaction(async (tx) => {
        const { handle, end } = endableHandle(runnerHandle(tx));
        try {
          return await withTransactionMarked(db, () => fn(handle));
        } finally {
          end();
        }
      });
    },
    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      assertOpen();
      const unlisten = await pglite.listen(channelName(channel, options.schema), onPayload);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    async notify(channel: string, payload: string): Promise<void> {
      await db.query('SELECT pg_notify($1, $2)', [channelName(channel, options.schema), notifyPayload.parse(payload)]);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
  instances.set(db, pglite);
  return db;
}
