import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DataDirBusyError,
  MigrationChecksumError,
  MigrationError,
  loadMigrations,
  openStore,
  runMigrations,
  setSetting,
  getSetting,
  type Migration,
} from '../src/store/index.js';
import { z } from 'zod';
import { seedMigratedDataDir } from './helpers/data-dir.js';
import { announceSkip, pgliteLeg, postgresLeg, storeLegs } from './helpers/store-legs.js';

const migrations = loadMigrations();
const versions = migrations.map((m) => m.version);
const TABLES = [
  'approvals',
  'audit_events',
  'identity_mappings',
  'incident_channels',
  'incident_orders',
  'incident_requests',
  'request_claims',
  'run_plans',
  'schema_migrations',
  'settings',
  'tracked_order_cards',
  'tracked_orders',
];

describe('migration files', () => {
  it('are numbered, ordered and checksummed', () => {
    expect(versions.length).toBeGreaterThan(0);
    expect(versions).toEqual([...versions].sort());
    for (const migration of migrations) expect(migration.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

for (const leg of storeLegs) {
  announceSkip(leg, 'store-migrations');
  describe.skipIf(leg.skipReason !== undefined)(`migrations on ${leg.name}`, () => {
    it('applies every migration on a fresh database and records each once', async () => {
      // Created and migrated here, not taken from the tests' pool of migrated copies.
      const store = await leg.open(leg.freshOptions());
      expect(store.migrations.applied).toEqual(versions);
      expect(store.migrations.alreadyApplied).toEqual([]);
      const recorded = await store.db.query<{ version: string; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations ORDER BY version',
      );
      expect(recorded.rows).toEqual(migrations.map((m) => ({ version: m.version, checksum: m.checksum })));
      const tables = await store.db.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() ORDER BY table_name`,
      );
      expect(tables.rows.map((row) => row.name)).toEqual(TABLES);
    });

    it('is idempotent: running again applies nothing', async () => {
      const store = await leg.open();
      const again = await runMigrations(store.db);
      expect(again).toEqual({ applied: [], alreadyApplied: versions, unknown: [] });
      const count = await store.db.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
      expect(count.rows[0]?.n).toBe(versions.length);
    });

    it('refuses a migration edited after it was applied', async () => {
      const store = await leg.open();
      const edited: Migration[] = migrations.map((m, i) =>
        i === 0 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: 'f'.repeat(64) } : m,
      );
      await expect(runMigrations(store.db, { migrations: edited })).rejects.toBeInstanceOf(MigrationChecksumError);
    });

    it('reports versions the database has but this code does not', async () => {
      const store = await leg.open();
      await store.db.query(`INSERT INTO schema_migrations (version, name, checksum) VALUES ('9999', 'future', 'x')`);
      const report = await runMigrations(store.db);
      expect(report.unknown).toEqual(['9999']);
    });

    it('rolls the whole run back when one migration fails', async () => {
      const store = await leg.open();
      const broken: Migration[] = [
        ...migrations,
        { version: '9001', name: 'creates', sql: 'CREATE TABLE half_done (x int);', checksum: 'a'.repeat(64) },
        { version: '9002', name: 'broken', sql: 'CREATE TABLE broken (x no_such_type);', checksum: 'b'.repeat(64) },
      ];
      await expect(runMigrations(store.db, { migrations: broken })).rejects.toBeInstanceOf(MigrationError);
      const leftovers = await store.db.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'half_done'`,
      );
      expect(leftovers.rowCount).toBe(0);
      const recorded = await store.db.query(`SELECT 1 FROM schema_migrations WHERE version >= '9000'`);
      expect(recorded.rowCount).toBe(0);
    });
  });
}

announceSkip(postgresLeg, 'store-migrations');
describe.skipIf(postgresLeg.skipReason !== undefined)('migrations on PostgreSQL with several replicas', () => {
  it('re-opening the same schema applies nothing and keeps the data', async () => {
    const options = postgresLeg.freshOptions();
    const first = await postgresLeg.open(options);
    await setSetting(first.db, 'kept', { n: 1 });
    await first.close();
    const second = await postgresLeg.open(options);
    expect(second.migrations.applied).toEqual([]);
    expect(second.migrations.alreadyApplied).toEqual(versions);
    expect(await getSetting(second.db, 'kept', z.object({ n: z.number() }))).toEqual({ n: 1 });
  });

  it('replicas starting together apply the migrations exactly once', async () => {
    const options = postgresLeg.freshOptions();
    const stores = await Promise.all(Array.from({ length: 5 }, () => postgresLeg.open(options)));
    const appliedBy = stores.filter((store) => store.migrations.applied.length > 0);
    expect(appliedBy).toHaveLength(1);
    expect(appliedBy[0]?.migrations.applied).toEqual(versions);
    for (const store of stores.filter((s) => s !== appliedBy[0])) {
      expect(store.migrations.alreadyApplied).toEqual(versions);
    }
    const count = await stores[0]!.db.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
    expect(count.rows[0]?.n).toBe(versions.length);
  });

  it('keeps separate schemas separate', async () => {
    const a = await postgresLeg.open();
    const b = await postgresLeg.open();
    await setSetting(a.db, 'only-in-a', true);
    expect(await getSetting(b.db, 'only-in-a', z.boolean())).toBeUndefined();
  });
});

describe('PGlite persisted in a data folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'coc-chatops-store-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /**
   * A data folder already created and migrated, for the lock tests (what they open matters, not
   * how it was first made): a copy of the run's migrated folder, instead of initdb and every
   * migration again. The test above creates its folder itself.
   */
  async function migratedCopy(name: string): Promise<string> {
    const dataDir = join(root, name);
    await seedMigratedDataDir(dataDir);
    return dataDir;
  }

  it('keeps data across close and reopen, and migrates only the first time', async () => {
    const dataDir = join(root, 'nested', 'pglite');
    const first = await pgliteLeg.open({ dataDir });
    expect(first.db.description).toBe(`PGlite in ${dataDir}`);
    expect(first.migrations.applied).toEqual(versions);
    await setSetting(first.db, 'greeting', 'hello');
    await first.close();

    const second = await pgliteLeg.open({ dataDir });
    expect(second.migrations.applied).toEqual([]);
    expect(second.migrations.alreadyApplied).toEqual(versions);
    expect(await getSetting(second.db, 'greeting', z.string())).toBe('hello');
    await second.close();
  });

  it('refuses a second opener of the same folder while the first is open', async () => {
    const dataDir = await migratedCopy('busy');
    const first = await pgliteLeg.open({ dataDir });
    await expect(openStore({ dataDir })).rejects.toBeInstanceOf(DataDirBusyError);
    await first.close();
    const again = await pgliteLeg.open({ dataDir });
    await again.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = await migratedCopy('stale');
    // A pid far above any real one: no such process.
    writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    const store = await pgliteLeg.open({ dataDir });
    await store.close();
  });

  it('takes over a lock with our own pid that this process does not hold (a restarted container)', async () => {
    const dataDir = await migratedCopy('restarted');
    writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: process.pid, host: hostname() }));
    const store = await pgliteLeg.open({ dataDir });
    await store.close();
  });

  it('honours a fresh lock from another host and takes over one not refreshed for a while', async () => {
    const dataDir = await migratedCopy('other-host');
    const lockPath = `${dataDir}.lock`;
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'some-other-container' }));
    await expect(openStore({ dataDir })).rejects.toBeInstanceOf(DataDirBusyError);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(lockPath, longAgo, longAgo);
    const store = await pgliteLeg.open({ dataDir });
    await store.close();
  });
});
