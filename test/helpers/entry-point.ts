/**
 * How a test starts one of the bot's scripts as a separate process: the arguments for
 * `node` that run it — its bundle made once per run (test/setup/bot-bundle.ts), or, where no
 * bundle was made, its TypeScript source through tsx (as `npm start` runs it).
 */
import { join } from 'node:path';
import { inject } from 'vitest';
import { ENTRY_POINTS } from '../setup/entry-points.js';

const root = join(import.meta.dirname, '..', '..');
const TSX_LOADER = join(root, 'node_modules/tsx/dist/esm/index.mjs');

export type EntryPoint = (typeof ENTRY_POINTS)[keyof typeof ENTRY_POINTS];

/** `node` arguments that run `script` (a path from the repository root), before its own arguments. */
export function nodeArgsFor(script: EntryPoint): string[] {
  const bundleDir = inject('botBundleDir');
  const name = Object.entries(ENTRY_POINTS).find(([, path]) => path === script)?.[0];
  if (bundleDir && name) return [join(bundleDir, `${name}.mjs`)];
  return ['--import', TSX_LOADER, join(root, script)];
}
