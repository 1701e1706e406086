/**
 * Fresh in-memory stores for tests, fast: the first one in a test worker is created and
 * migrated as usual; every later one is a copy of it (PGlite's clone), which skips creating
 * the database and running the migrations again.
 */
import { clonePgliteDb } from '../../src/store/pglite-driver.js';
import { openStore, type Store } from '../../src/store/index.js';

let template: Promise<Store> | undefined;

export async function freshMemoryStore(): Promise<Store> {
  template ??= openStore({ dataDir: 'memory://' });
  const base = await template;
  const db = await clonePgliteDb(base.db);
  return { db, migrations: base.migrations, close: () => db.close() };
}
