import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.js';
import { MigrationChecksumError, MigrationError, MigrationLockTimeoutError } from './errors.js';
import { SqlState, sqlStateOf } from './sqlstate.js';

/**
 * Schema migrations: numbered SQL files in `./migrations`, applied in order, each once. The
 * whole run happens in one transaction under a transaction-scoped advisory lock, so replicas
 * starting together queue up behind the first one and then find nothing left to do, and a
 * failing migration leaves the database exactly as it was. Migration files must therefore not
 * contain BEGIN/COMMIT of their own.
 */

export interface Migration {
  /** Four digits, the order of application. */
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  /** sha256 of the text, to notice a migration edited after it was applied. */
  readonly checksum: string;
}

export interface MigrationReport {
  /** Versions this run applied. */
  readonly applied: string[];
  /** Versions found already applied. */
  readonly alreadyApplied: string[];
  /** Versions recorded in the database that this code does not know (a newer replica ran them). */
  readonly unknown: string[];
}

export interface RunMigrationsOptions {
  /** Schema to create (if missing) and lock on; absent = the connection's current schema. */
  schema?: string;
  migrations?: readonly Migration[];
  /** How long to wait for another replica's migration run before giving up. */
  lockTimeoutMs?: number;
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** First half of the advisory lock key, chosen for this application; the second is the schema. */
const LOCK_NAMESPACE = 0x0c0c_0001;
const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

function checksumOf(sql: string): string {
  // Line endings are normalised so a checkout with CRLF does not look like an edited migration.
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export function loadMigrations(dir: string = migrationsDir): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) throw new MigrationError(`migration file ${file} is not named NNNN_lowercase_name.sql`);
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return { version: match[1] ?? '', name: match[2] ?? '', sql, checksum: checksumOf(sql) };
    });
  const seen = new Set<string>();
  for (const migration of migrations) {
    if (seen.has(migration.version)) throw new MigrationError(`two migrations share version ${migration.version}`);
    seen.add(migration.version);
  }
  return migrations;
}

interface AppliedRow {
  version: string;
  checksum: string;
}

async function lockMigrations(tx: Queryable, schema: string | undefined, timeoutMs: number): Promise<void> {
  await tx.query(`SELECT set_config('lock_timeout', $1, true)`, [`${Math.max(1, Math.floor(timeoutMs))}ms`]);
  try {
    await tx.query(
      `SELECT pg_advisory_xact_lock($1, hashtext(coalesce($2::text, current_schema()::text, '')))`,
      [LOCK_NAMESPACE, schema ?? null],
    );
  } catch (error) {
    if (sqlStateOf(error) === SqlState.lockNotAvailable) {
      throw new MigrationLockTimeoutError(
        `another instance has been migrating the database for over ${timeoutMs} ms; check for a stuck instance`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * PostgreSQL checks the CREATE privilege before IF NOT EXISTS, so a role that may only use a
 * schema an administrator created would fail on CREATE SCHEMA IF NOT EXISTS: look first.
 */
async function ensureSchema(tx: Queryable, schema: string): Promise<void> {
  const { rowCount } = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (rowCount === 0) await tx.exec(`CREATE SCHEMA ${schema}`);
}

/**
 * The report of a run that has nothing to do, when one read shows every migration applied with
 * its checksum (the usual restart); undefined when anything is missing, different or cannot be
 * read (no table or schema yet), for the full run under the lock to deal with. Reading without
 * the lock is safe: a recorded migration is committed and never taken back, and one that
 * another replica is applying right now is not seen yet, which sends this one to the lock.
 */
async function nothingToDo(db: Db, migrations: readonly Migration[]): Promise<MigrationReport | undefined> {
  let rows: AppliedRow[];
  try {
    ({ rows } = await db.query<AppliedRow>('SELECT version, checksum FROM schema_migrations ORDER BY version'));
  } catch {
    return undefined;
  }
  const recorded = new Map(rows.map((row) => [row.version, row.checksum]));
  if (!migrations.every((migration) => recorded.get(migration.version) === migration.checksum)) return undefined;
  const known = new Set(migrations.map((migration) => migration.version));
  const unknown = [...recorded.keys()].filter((version) => !known.has(version));
  return { applied: [], alreadyApplied: migrations.map((migration) => migration.version), unknown };
}

export async function runMigrations(db: Db, options: RunMigrationsOptions = {}): Promise<MigrationReport> {
  const migrations = options.migrations ?? loadMigrations();
  // Every start comes here; a restart on an up-to-date database needs one read, not the
  // transaction, the advisory lock and the DDL below (start-up time, on PGlite above all).
  const settled = await nothingToDo(db, migrations);
  if (settled) return settled;
  return db.transaction(async (tx) => {
    await lockMigrations(tx, options.schema, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    if (options.schema) await ensureSchema(tx, options.schema);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    text        PRIMARY KEY,
        name       text        NOT NULL,
        checksum   text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await tx.query<AppliedRow>('SELECT version, checksum FROM schema_migrations ORDER BY version');
    const recorded = new Map(rows.map((row) => [row.version, row.checksum]));

    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const migration of migrations) {
      const checksum = recorded.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) throw new MigrationChecksumError(migration.version);
        alreadyApplied.push(migration.version);
        continue;
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`migration ${migration.version}_${migration.name} failed: ${reason}`, { cause: error });
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      applied.push(migration.version);
    }
    const known = new Set(migrations.map((migration) => migration.version));
    const unknown = [...recorded.keys()].filter((version) => !known.has(version));
    return { applied, alreadyApplied, unknown };
  });
}
