/**
 * Data folders for embedded stores on disk that start out created and migrated, as a bot's
 * first start leaves them: a copy of the run's migrated folder (test/setup/pglite-template.ts)
 * instead of initdb and every migration again, which takes several CPU-seconds per folder.
 * Where a test is about that first start itself, it does not use this.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { openStore } from '../../src/store/index.js';

let fallback: Promise<string> | undefined;

/** The run's migrated folder, or one made in this worker when the global setup did not run. */
async function templateDir(): Promise<string> {
  let provided: string | undefined;
  try {
    provided = inject('pgliteTemplateDir');
  } catch {
    provided = undefined;
  }
  if (provided) return provided;
  fallback ??= (async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'coc-chatops-migrated-')), 'data');
    await (await openStore({ dataDir: folder })).close();
    return folder;
  })();
  return fallback;
}

/** Makes `dataDir` (which must not exist yet) a created, migrated, empty store's data folder. */
export async function seedMigratedDataDir(dataDir: string): Promise<void> {
  if (existsSync(dataDir)) throw new Error(`${dataDir} already exists: only a new data folder is seeded`);
  const template = await templateDir();
  mkdirSync(dirname(dataDir), { recursive: true });
  cpSync(template, dataDir, { recursive: true });
}
