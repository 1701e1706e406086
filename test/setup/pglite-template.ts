/**
 * Global setup: the migrated database, made once per run, in the two forms tests start from
 * instead of running initdb and every migration again (seconds of WebAssembly work each):
 *
 * - a tarball that each test worker loads as an in-memory store (test/helpers/memory-store.ts);
 * - a data folder on disk that tests copy as the store of a bot they start, in this process or
 *   as a separate one (test/helpers/data-dir.ts).
 *
 * Also, from the same initdb, the database before any migration (test/helpers/unmigrated.ts):
 * for the tests of the migrations themselves, which need a database initdb made but nothing
 * migrated, and whose point is the migrations, not initdb.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { dumpPgliteDb, openPgliteDb } from '../../src/store/pglite-driver.js';
import { IN_MEMORY_DATA_DIR, runMigrations } from '../../src/store/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated database's tarball. */
    pgliteTemplate: string;
    /** Path of a data folder holding the migrated database (never opened by a test: copied). */
    pgliteTemplateDir: string;
    /** Path of the tarball of the database as initdb left it, before any migration. */
    pgliteUnmigrated: string;
  }
}

interface Made {
  readonly dir: string;
  readonly tarball: string;
  readonly folder: string;
  readonly unmigrated: string;
}

/** Made once per run even when several projects run this setup; removed after the last one. */
const shared = globalThis as { cocChatopsPgliteTemplate?: { made: Promise<Made>; users: number } };

async function make(): Promise<Made> {
  const dir = mkdtempSync(join(tmpdir(), 'coc-chatops-pglite-template-'));
  // What openStore does (the driver's open, then the migrations), with initdb's output kept in between.
  const db = await openPgliteDb({ dataDir: IN_MEMORY_DATA_DIR });
  let tarball: Blob;
  const unmigrated = join(dir, 'unmigrated.tar');
  try {
    writeFileSync(unmigrated, new Uint8Array(await (await dumpPgliteDb(db)).arrayBuffer()));
    await runMigrations(db);
    tarball = await dumpPgliteDb(db);
  } finally {
    await db.close();
  }
  const path = join(dir, 'migrated.tar');
  writeFileSync(path, new Uint8Array(await tarball.arrayBuffer()));
  // The same files PGlite writes when it creates a data folder (initdb's output, then the
  // migrations): loaded from the tarball straight into the folder.
  const folder = join(dir, 'migrated-data');
  const onDisk = await PGlite.create(folder, { loadDataDir: tarball });
  await onDisk.close();
  return { dir, tarball: path, folder, unmigrated };
}

export default async function setup(project: TestProject): Promise<() => void> {
  shared.cocChatopsPgliteTemplate ??= { made: make(), users: 0 };
  const entry = shared.cocChatopsPgliteTemplate;
  entry.users++;
  const made = await entry.made;
  project.provide('pgliteTemplate', made.tarball);
  project.provide('pgliteTemplateDir', made.folder);
  project.provide('pgliteUnmigrated', made.unmigrated);
  return () => {
    if (--entry.users > 0) return;
    delete shared.cocChatopsPgliteTemplate;
    rmSync(made.dir, { recursive: true, force: true });
  };
}
