import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeAll, beforeEach, onTestFinished } from 'vitest';
import { openStore, type Db, type Store, type StoreOptions } from '../../src/store/index.js';
import { freshMemoryStore } from './memory-store.js';

/**
 * Runs the same store tests on PGlite (always) and on PostgreSQL (when TEST_DATABASE_URL is
 * set). On PostgreSQL every store lives in its own throwaway schema, dropped after the file's
 * tests (see releaseFileStores), so parallel runs and parallel test files never see each other's tables.
 */

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || undefined;

export interface StoreLeg {
  readonly name: 'PGlite' | 'PostgreSQL';
  readonly skipReason: string | undefined;
  /** Options for a store nobody else uses. */
  freshOptions(): StoreOptions;
  /** A new, migrated store (without options: an empty copy of one); closed automatically after the file's tests. */
  open(options?: StoreOptions): Promise<Store>;
}

const createdSchemas: string[] = [];
const openedStores: Store[] = [];

function uniqueSchema(): string {
  return `coc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function openTracked(options: StoreOptions): Promise<Store> {
  const store = await openStore(options);
  openedStores.push(store);
  return store;
}

/**
 * Closes the stores the current test file opened and drops its PostgreSQL schemas. Run after
 * each file's tests by test/setup/per-file.ts: a hook registered here, at import, would belong
 * only to the first file of a worker that several files share.
 */
export async function releaseFileStores(): Promise<void> {
  const stores = openedStores.splice(0);
  const schemas = createdSchemas.splice(0);
  await Promise.allSettled(stores.map((store) => store.close()));
  if (TEST_DATABASE_URL && schemas.length > 0) {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await admin.end();
    }
  }
}

export const pgliteLeg: StoreLeg = {
  name: 'PGlite',
  skipReason: undefined,
  freshOptions: () => ({ dataDir: 'memory://' }),
  // Without options, a migrated in-memory store from the worker's pool (see memory-store.ts),
  // handed back when the test that opened it ends (when opened outside a test, after the
  // file's tests); with options, a store created and migrated by openStore itself.
  open: async (options) => {
    if (options) return openTracked(options);
    const store = await freshMemoryStore();
    openedStores.push(store);
    try {
      onTestFinished(() => store.close());
    } catch {
      // Not inside a test (a beforeAll): closed with the others after the file's tests.
    }
    return store;
  },
};

export const postgresLeg: StoreLeg = {
  name: 'PostgreSQL',
  skipReason: TEST_DATABASE_URL ? undefined : 'TEST_DATABASE_URL is not set',
  freshOptions() {
    if (!TEST_DATABASE_URL) throw new Error('PostgreSQL leg used without TEST_DATABASE_URL');
    const schema = uniqueSchema();
    createdSchemas.push(schema);
    return { databaseUrl: TEST_DATABASE_URL, schema };
  },
  open(options) {
    return openTracked(options ?? this.freshOptions());
  },
};

export const storeLegs: readonly StoreLeg[] = [pgliteLeg, postgresLeg];

/** Says out loud why a leg is skipped, so a green run without PostgreSQL is not mistaken for full coverage. */
const announced = new Set<string>();

export function announceSkip(leg: StoreLeg, file: string): void {
  const key = `${file}\u0000${leg.name}`;
  if (!leg.skipReason || announced.has(key)) return;
  announced.add(key);
  console.info(`[${file}] skipping the ${leg.name} tests: ${leg.skipReason}`);
}

/**
 * One migrated store for a whole describe block, emptied before each test. Starting PGlite
 * takes a second or two, so tests that only need empty tables share one instance.
 */
export function useCleanStore(leg: StoreLeg): { readonly db: Db } {
  let store: Store | undefined;
  beforeAll(async () => {
    if (leg.skipReason === undefined) store = await leg.open();
  });
  beforeEach(async () => {
    if (!store) return;
    const { rows } = await store.db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`,
    );
    if (rows.length > 0) await store.db.exec(`TRUNCATE ${rows.map((row) => row.name).join(', ')} CASCADE`);
  });
  return {
    get db(): Db {
      if (!store) throw new Error(`the ${leg.name} store is not open`);
      return store.db;
    },
  };
}
