/**
 * Global setup: the migrated in-memory database, made once per run and written as a tarball
 * that every test worker loads (test/helpers/memory-store.ts) instead of running initdb and
 * every migration again in each test file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { dumpPgliteDb } from '../../src/store/pglite-driver.js';
import { openStore } from '../../src/store/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite database's tarball. */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'coc-chatops-pglite-template-'));
  const store = await openStore({ dataDir: 'memory://' });
  try {
    const path = join(dir, 'migrated.tar');
    writeFileSync(path, new Uint8Array(await (await dumpPgliteDb(store.db)).arrayBuffer()));
    project.provide('pgliteTemplate', path);
  } finally {
    await store.close();
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
