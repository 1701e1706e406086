/**
 * Embedded databases as initdb leaves them, before any migration: for the tests of the
 * migrations themselves. initdb is seconds of WebAssembly work per database (more on disk), and
 * is PGlite's own, not what those tests are about; its output is made once per run by the global
 * setup (test/setup/pglite-template.ts) and loaded from there. A test about the bot's first start
 * on a new folder (initdb included) does not use this.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import type { Db } from '../../src/store/index.js';
import { IN_MEMORY_DATA_DIR } from '../../src/store/index.js';
import { dumpPgliteDb, loadPgliteDb, openPgliteDb } from '../../src/store/pglite-driver.js';

let fallback: Promise<Blob> | undefined;

/** initdb's output as a tarball: the run's, or one made in this worker when the global setup did not run. */
async function unmigratedTarball(): Promise<Blob> {
  let provided: string | undefined;
  try {
    provided = inject('pgliteUnmigrated');
  } catch {
    provided = undefined;
  }
  if (provided) return new Blob([await readFile(provided)]);
  fallback ??= (async () => {
    const db = await openPgliteDb({ dataDir: IN_MEMORY_DATA_DIR });
    try {
      return await dumpPgliteDb(db);
    } finally {
      await db.close();
    }
  })();
  return fallback;
}

/** A new in-memory database with nothing migrated; the caller closes it. */
export async function openUnmigratedInMemory(): Promise<Db> {
  return loadPgliteDb(await unmigratedTarball());
}

/** Makes `dataDir` (which must not exist yet) a data folder as initdb leaves it, nothing migrated. */
export async function seedUnmigratedDataDir(dataDir: string): Promise<void> {
  if (existsSync(dataDir)) throw new Error(`${dataDir} already exists: only a new data folder is seeded`);
  mkdirSync(dirname(dataDir), { recursive: true });
  const pglite = await PGlite.create(dataDir, { loadDataDir: await unmigratedTarball() });
  await pglite.close();
}
