/**
 * Global setup: the bot's entry points bundled once per run, as the product build bundles them
 * (scripts/build.mjs), so that a test starting the bot as a separate process runs plain
 * JavaScript instead of compiling some hundreds of TypeScript modules in every child (seconds
 * each on a loaded machine). Tests reach it through test/helpers/entry-point.ts; without it (a file run by a
 * config that lacks this setup) they fall back to tsx.
 *
 * The bundle sits two folders below the repository, as the sources do, so the paths the code
 * finds next to itself hold: `../../package.json`, and `./migrations/` (a copy of the SQL files).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleEntryPoints } from '../../scripts/build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder of the bundled entry points (`<name>.mjs`, see entry-points.ts). */
    botBundleDir: string;
  }
}

const root = join(import.meta.dirname, '..', '..');

/** Made once per run even when several projects run this setup; removed after the last one. */
const shared = globalThis as { cocChatopsBotBundle?: { made: Promise<string>; users: number } };

async function make(): Promise<string> {
  // One folder per run: several runs may share the checkout.
  const dir = join(root, '.test-bundles', `${process.pid}-${Date.now()}`);
  await bundleEntryPoints(dir, root);
  return dir;
}

export default async function setup(project: TestProject): Promise<() => void> {
  shared.cocChatopsBotBundle ??= { made: make(), users: 0 };
  const entry = shared.cocChatopsBotBundle;
  entry.users++;
  const dir = await entry.made;
  project.provide('botBundleDir', dir);
  return () => {
    if (--entry.users > 0) return;
    delete shared.cocChatopsBotBundle;
    rmSync(dir, { recursive: true, force: true });
  };
}
