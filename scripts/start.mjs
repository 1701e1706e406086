/**
 * Runs one of the bot's scripts from the compiled build: `node scripts/start.mjs <name> [args…]`
 * (`npm start` is `… main`; names in scripts/build.mjs). Builds first when the build is missing
 * or older than the sources, and reuses it otherwise. The script runs in this very process (not
 * a child), so signals such as SIGTERM reach the bot itself.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { BuildError, ENTRY_POINTS, ensureBuild, freshBuildDir } from './build.mjs';

const [name = 'main', ...args] = process.argv.slice(2);
if (!Object.hasOwn(ENTRY_POINTS, name)) {
  process.stderr.write(`Unknown script "${name}": one of ${Object.keys(ENTRY_POINTS).join(', ')}.\n`);
  process.exit(2);
}

let dir = freshBuildDir();
if (!dir) {
  process.stderr.write('Building the bot from its sources (once, until they change)…\n');
  try {
    dir = await ensureBuild();
  } catch (error) {
    process.stderr.write(`${error instanceof BuildError ? error.message : error?.stack ?? String(error)}\n`);
    process.exit(1);
  }
}
const entry = join(dir, `${name}.mjs`);
// The script sees itself as the program that was started, with its own arguments.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
