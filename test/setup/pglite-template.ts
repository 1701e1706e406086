/**
 * Global setup: the migrated database, in the two forms tests start from instead of running
 * initdb and every migration again (seconds of WebAssembly work each):
 *
 * - a tarball that each test worker loads as an in-memory store (test/helpers/memory-store.ts);
 * - a data folder on disk that tests copy as the store of a bot they start, in this process or
 *   as a separate one (test/helpers/data-dir.ts).
 *
 * Also, from the same initdb, the database before any migration (test/helpers/unmigrated.ts):
 * for the tests of the migrations themselves, which need a database initdb made but nothing
 * migrated, and whose point is the migrations, not initdb.
 *
 * Making them takes seconds before any test can start, so they are kept between runs (under
 * node_modules/.cache) and made again only when what they are made from changes: PGlite's
 * version, the driver, the migrations and this file (see templateKey). Nothing opens them in
 * place: tests load the tarballs and copy the folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { dumpPgliteDb, openPgliteDb } from '../../src/store/pglite-driver.js';
import { IN_MEMORY_DATA_DIR, loadMigrations, runMigrations } from '../../src/store/index.js';

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
  readonly tarball: string;
  readonly folder: string;
  readonly unmigrated: string;
}

const root = join(import.meta.dirname, '..', '..');
const CACHE = join(root, 'node_modules', '.cache', 'coc-chatops-pglite-template');
/** Templates of other keys are removed once this old: a run that started before a change may still use its own. */
const STALE_MS = 24 * 60 * 60_000;

/** Made once per run even when several projects run this setup. */
const shared = globalThis as { cocChatopsPgliteTemplate?: Promise<Made> };

/** Everything the templates' bytes depend on. */
function templateKey(): string {
  const hash = createHash('sha256');
  for (const file of ['node_modules/@electric-sql/pglite/package.json', 'src/store/pglite-driver.ts', 'src/store/migrations.ts', 'test/setup/pglite-template.ts']) {
    hash.update(readFileSync(join(root, file)));
  }
  for (const migration of loadMigrations()) hash.update(`${migration.version} ${migration.name} ${migration.checksum}\n`);
  return hash.digest('hex').slice(0, 16);
}

function madeIn(dir: string): Made {
  return { tarball: join(dir, 'migrated.tar'), folder: join(dir, 'migrated-data'), unmigrated: join(dir, 'unmigrated.tar') };
}

async function makeIn(dir: string): Promise<void> {
  const made = madeIn(dir);
  // What openStore does (the driver's open, then the migrations), with initdb's output kept in between.
  const db = await openPgliteDb({ dataDir: IN_MEMORY_DATA_DIR });
  let tarball: Blob;
  try {
    writeFileSync(made.unmigrated, new Uint8Array(await (await dumpPgliteDb(db)).arrayBuffer()));
    await runMigrations(db);
    tarball = await dumpPgliteDb(db);
  } finally {
    await db.close();
  }
  writeFileSync(made.tarball, new Uint8Array(await tarball.arrayBuffer()));
  // The same files PGlite writes when it creates a data folder (initdb's output, then the
  // migrations): loaded from the tarball straight into the folder.
  const onDisk = await PGlite.create(made.folder, { loadDataDir: tarball });
  await onDisk.close();
}

function removeStale(keep: string): void {
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    if (name !== keep && Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
}

async function make(): Promise<Made> {
  const key = templateKey();
  const dir = join(CACHE, key);
  // A key's folder appears complete or not at all: made under another name, then renamed.
  if (existsSync(dir)) return madeIn(dir);
  mkdirSync(CACHE, { recursive: true });
  const building = mkdtempSync(join(CACHE, `${key}.building-`));
  try {
    await makeIn(building);
    renameSync(building, dir);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    // Another run made the same one meanwhile.
    if (!existsSync(dir)) throw error;
  }
  removeStale(key);
  return madeIn(dir);
}

export default async function setup(project: TestProject): Promise<void> {
  shared.cocChatopsPgliteTemplate ??= make();
  const made = await shared.cocChatopsPgliteTemplate;
  project.provide('pgliteTemplate', made.tarball);
  project.provide('pgliteTemplateDir', made.folder);
  project.provide('pgliteUnmigrated', made.unmigrated);
}
