/**
 * Fresh in-memory stores for tests, fast. Creating a PGlite database and migrating it takes
 * seconds of WebAssembly work, so:
 *
 * - the migrated database is made once per run (`test/setup/pglite-template.ts`) and kept as a
 *   tarball; a test worker loads it instead of running initdb and the migrations again;
 * - a store a test closes goes back to a pool in its worker, emptied to exactly that migrated
 *   state (every table truncated, the session reset, listeners dropped), and the next fresh
 *   store is that database: milliseconds instead of seconds.
 *
 * A store is pooled only when it is provably back to the template's state: its schema
 * (tables, columns, defaults, constraints, indexes, triggers and whether they are enabled,
 * functions, schemas) and its migration records match the template's fingerprint, and nothing
 * it ran was still in flight when it was closed. Anything else (a test that altered the schema,
 * left a transaction open, closed the store mid-query) closes that database for good.
 *
 * A closed store refuses every later call (StoreClosedError), as a closed PGlite does, so a
 * late query of a stopped bot can never land in the next test's data.
 */
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { StoreClosedError } from '../../src/store/errors.js';
import { dumpPgliteDb, loadPgliteDb } from '../../src/store/pglite-driver.js';
import { loadMigrations, openStore, type Db, type MigrationReport, type Queryable, type QueryResult, type Store } from '../../src/store/index.js';

/** What a freshly created store reports, as `openStore` does on a new database. */
function freshReport(): MigrationReport {
  return { applied: loadMigrations().map((migration) => migration.version), alreadyApplied: [], unknown: [] };
}

/**
 * The schema as the catalogue describes it, plus the migration records: equal fingerprints mean
 * equal databases once every other table is empty.
 */
const FINGERPRINT_SQL = `
  SELECT md5(string_agg(item, E'\\n' ORDER BY item)) AS fingerprint FROM (
    SELECT 'schema ' || nspname AS item FROM pg_namespace
    UNION ALL
    SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce((
      SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
    WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    UNION ALL
    SELECT 'index ' || schemaname || ' ' || indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL
    SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text || ' ' || tgfoid::regprocedure::text FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc) FROM pg_proc p
    WHERE p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    UNION ALL
    SELECT 'migration ' || version || ' ' || name || ' ' || checksum FROM schema_migrations
  ) items`;

async function fingerprintOf(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ fingerprint: string }>(FINGERPRINT_SQL);
  return rows[0]!.fingerprint;
}

interface Template {
  readonly tarball: Blob;
  readonly fingerprint: string;
  /** Every table a test may fill (all but the migration records). */
  readonly tables: readonly string[];
}

/** The run's tarball (made by the global setup), or one made here when the setup did not run. */
async function templateTarball(): Promise<Blob> {
  let path: string | undefined;
  try {
    path = inject('pgliteTemplate');
  } catch {
    path = undefined;
  }
  if (path) return new Blob([await readFile(path)]);
  const store = await openStore({ dataDir: 'memory://' });
  try {
    return await dumpPgliteDb(store.db);
  } finally {
    await store.close();
  }
}

async function makeTemplate(): Promise<{ template: Template; first: Db }> {
  const tarball = await templateTarball();
  const first = await loadPgliteDb(tarball);
  const { rows } = await first.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename`,
  );
  const { rows: migrated } = await first.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations ORDER BY version');
  const expected = loadMigrations().map((migration) => ({ version: migration.version, checksum: migration.checksum }));
  if (JSON.stringify(migrated) !== JSON.stringify(expected)) {
    throw new Error('the in-memory store template does not hold the current migrations: run the tests through vitest.config.ts');
  }
  return { template: { tarball, fingerprint: await fingerprintOf(first), tables: rows.map((row) => row.name) }, first };
}

let templateReady: Promise<Template> | undefined;
/** Databases at the template's state, ready to hand out. */
const idle: Db[] = [];
/** More idle databases than this are closed: a worker rarely needs more at once. */
const MAX_IDLE = 3;

async function template(): Promise<Template> {
  templateReady ??= makeTemplate().then(({ template: made, first }) => {
    idle.push(first);
    return made;
  });
  return templateReady;
}

/** Back to the template's state, or false when that cannot be proven (the database is then closed). */
async function reset(db: Db, made: Template): Promise<boolean> {
  try {
    await db.exec(`TRUNCATE ${made.tables.join(', ')}`);
    // Session state: prepared statements, temporary tables, settings, LISTENs, advisory locks.
    await db.exec('DISCARD ALL');
    if ((await fingerprintOf(db)) === made.fingerprint) return true;
  } catch {
    // Not resettable (e.g. a transaction left open): closed below.
  }
  await db.close().catch(() => undefined);
  return false;
}

async function giveBack(db: Db, made: Template): Promise<void> {
  if (!(await reset(db, made))) return;
  if (idle.length < MAX_IDLE) idle.push(db);
  else await db.close();
}

/** A store over `base` for one test; closing it hands `base` back to the pool. */
function lease(base: Db, made: Template): Store {
  let closed = false;
  let inFlight = 0;
  const unlisteners = new Set<() => Promise<void>>();
  const tracked = async <T>(run: () => Promise<T>): Promise<T> => {
    if (closed) throw new StoreClosedError();
    inFlight++;
    try {
      return await run();
    } finally {
      inFlight--;
    }
  };
  const db: Db = {
    kind: base.kind,
    description: base.description,
    query: <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> => tracked(() => base.query<T>(sql, params)),
    queryWithoutFlushWait: (sql, params) => tracked(() => base.queryWithoutFlushWait(sql, params)),
    exec: (sql) => tracked(() => base.exec(sql)),
    transaction: (fn) => tracked(() => base.transaction(fn)),
    notify: (channel, payload) => tracked(() => base.notify(channel, payload)),
    listen: (channel, onPayload) =>
      tracked(async () => {
        const unlisten = await base.listen(channel, onPayload);
        const once = async (): Promise<void> => {
          if (!unlisteners.delete(once)) return;
          await unlisten();
        };
        unlisteners.add(once);
        return once;
      }),
    async close() {
      if (closed) return;
      closed = true;
      const settledIdle = inFlight === 0;
      try {
        for (const unlisten of [...unlisteners]) await unlisten();
      } catch {
        await base.close().catch(() => undefined);
        return;
      }
      // Closed in the middle of a query: what it leaves behind cannot be judged; not reused.
      if (!settledIdle) {
        await base.close().catch(() => undefined);
        return;
      }
      await giveBack(base, made);
    },
  };
  return { db, migrations: freshReport(), close: () => db.close() };
}

export async function freshMemoryStore(): Promise<Store> {
  const made = await template();
  const base = idle.pop() ?? (await loadPgliteDb(made.tarball));
  return lease(base, made);
}
