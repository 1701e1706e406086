import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  NestedTransactionError,
  StoreClosedError,
  TransactionScopeError,
  getSetting,
  loadMigrations,
  openStore,
  setSetting,
  type Queryable,
} from '../src/store/index.js';
import { z } from 'zod';
import { seedMigratedDataDir } from './helpers/data-dir.js';
import { announceSkip, storeLegs, useCleanStore } from './helpers/store-legs.js';

const folders = mkdtempSync(join(tmpdir(), 'coc-chatops-store-db-'));
afterAll(() => rmSync(folders, { recursive: true, force: true }));
let folderCount = 0;

/** A new data folder holding a created, migrated, empty store. */
async function migratedFolder(): Promise<string> {
  const dataDir = join(folders, `migrated-${++folderCount}`);
  await seedMigratedDataDir(dataDir);
  return dataDir;
}

async function settingCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM settings');
  return rows[0]?.n ?? -1;
}

for (const leg of storeLegs) {
  announceSkip(leg, 'store-db');
  describe.skipIf(leg.skipReason !== undefined)(`Db driver on ${leg.name}`, () => {
    const fixture = useCleanStore(leg);

    it('reports its kind and a description without credentials', async () => {
      const store = { db: fixture.db };
      expect(store.db.kind).toBe(leg.name === 'PGlite' ? 'pglite' : 'postgres');
      expect(store.db.description).not.toMatch(/coc_chatops:coc_chatops|password/);
    });

    it('writes without waiting for the disk flush only when asked, in the same schema, visible at once', async () => {
      const db = fixture.db;
      await db.exec('CREATE TABLE flush_probe (via text, sync text)');
      await db.query("INSERT INTO flush_probe SELECT 'query', current_setting('synchronous_commit')");
      await db.queryWithoutFlushWait("INSERT INTO flush_probe SELECT $1, current_setting('synchronous_commit')", ['unflushed']);
      const { rows } = await db.query<{ via: string; sync: string }>('SELECT via, sync FROM flush_probe ORDER BY via');
      expect(rows).toEqual([
        { via: 'query', sync: 'on' },
        // PGlite has one connection and nothing to relax; PostgreSQL commits it without the flush.
        { via: 'unflushed', sync: leg.name === 'PGlite' ? 'on' : 'off' },
      ]);
    });

    it('commits a transaction that returns normally', async () => {
      const db = fixture.db;
      const result = await db.transaction(async (tx) => {
        await setSetting(tx, 'a', 1);
        await setSetting(tx, 'b', 2);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await settingCount(db)).toBe(2);
    });

    it('rolls back every statement of a transaction that throws', async () => {
      const db = fixture.db;
      await setSetting(db, 'before', true);
      await expect(
        db.transaction(async (tx) => {
          await setSetting(tx, 'inside', true);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await getSetting(db, 'inside', z.boolean())).toBeUndefined();
      expect(await settingCount(db)).toBe(1);
    });

    it('rolls back when a statement inside fails', async () => {
      const db = fixture.db;
      await expect(
        db.transaction(async (tx) => {
          await setSetting(tx, 'inside', true);
          await tx.query('SELECT * FROM no_such_table');
        }),
      ).rejects.toThrow();
      expect(await settingCount(db)).toBe(0);
      // The driver is still usable afterwards.
      await db.transaction((tx) => setSetting(tx, 'after', true));
      expect(await settingCount(db)).toBe(1);
    });

    it('refuses a nested transaction and rolls back the outer one', async () => {
      const db = fixture.db;
      await expect(
        db.transaction(async (tx) => {
          await setSetting(tx, 'outer', true);
          await db.transaction(async (inner) => setSetting(inner, 'inner', true));
        }),
      ).rejects.toBeInstanceOf(NestedTransactionError);
      expect(await settingCount(db)).toBe(0);
    });

    it('refuses db.query inside a transaction instead of deadlocking or escaping it', async () => {
      const db = fixture.db;
      await expect(db.transaction(async () => db.query('SELECT 1'))).rejects.toBeInstanceOf(TransactionScopeError);
    });

    it('refuses a transaction handle used after its transaction ended', async () => {
      const db = fixture.db;
      let leaked: Queryable | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.query('SELECT 1')).rejects.toBeInstanceOf(TransactionScopeError);
    });

    it('runs independent transactions concurrently without mixing them', async () => {
      const db = fixture.db;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          db.transaction(async (tx) => {
            await setSetting(tx, `k${i}`, i);
            if (i % 2 === 1) throw new Error(`odd ${i}`);
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
      const { rows } = await db.query<{ key: string }>('SELECT key FROM settings ORDER BY key');
      expect(rows.map((r) => r.key)).toEqual(['k0', 'k2', 'k4']);
    });

    it('returns bigint as number and jsonb as parsed JSON on both drivers', async () => {
      const db = fixture.db;
      const { rows } = await db.query<{ big: number; doc: unknown; count: number }>(
        `SELECT 1700000000123::bigint AS big, $1::jsonb AS doc, count(*) AS count FROM settings`,
        [JSON.stringify(['a', { b: 1 }])],
      );
      expect(rows[0]).toEqual({ big: 1700000000123, doc: ['a', { b: 1 }], count: 0 });
      await expect(db.query(`SELECT 9223372036854775807::bigint AS too_big`)).rejects.toThrow(/safe integer/);
    });

    it('counts rows touched by a write', async () => {
      const db = fixture.db;
      await setSetting(db, 'x', 1);
      await setSetting(db, 'y', 1);
      const result = await db.query(`UPDATE settings SET value = '2'::jsonb`);
      expect(result.rowCount).toBe(2);
    });

    it('refuses use after close, and closing twice is harmless', async () => {
      // The driver's own store (not one from the worker's pool); on PGlite a copy of the migrated folder, without initdb's seconds.
      const store = await openStore(leg.name === 'PGlite' ? { dataDir: await migratedFolder() } : leg.freshOptions());
      await store.close();
      await store.close();
      await expect(store.db.query('SELECT 1')).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.db.transaction(async () => undefined)).rejects.toBeInstanceOf(StoreClosedError);
    });
  });
}

describe('openStore options', () => {
  it('refuses a schema name that would need quoting', async () => {
    await expect(openStore({ dataDir: 'memory://', schema: 'Robert"); DROP' })).rejects.toThrow(/lower-case identifier/);
  });

  it('puts tables in the requested schema on PGlite too', async () => {
    // A copy of the migrated folder (without initdb's seconds), whose default schema holds the
    // tables already: every migration runs again, in the requested schema, and is used there.
    const store = await openStore({ dataDir: await migratedFolder(), schema: 'chatops' });
    try {
      expect(store.migrations.applied).toEqual(loadMigrations().map((migration) => migration.version));
      const { rows } = await store.db.query<{ schema: string }>(
        `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'approvals' ORDER BY table_schema`,
      );
      expect(rows).toEqual([{ schema: 'chatops' }, { schema: 'public' }]);
      expect((await store.db.query<{ schema: string }>('SELECT current_schema() AS schema')).rows).toEqual([{ schema: 'chatops' }]);
    } finally {
      await store.close();
    }
  });
});
