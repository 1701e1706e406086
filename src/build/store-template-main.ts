/**
 * Build step (scripts/build.mjs): makes the data folder a new embedded store starts as — PGlite's
 * initdb and every migration, done once by the build instead of by the bot's first start, whose
 * peak memory they multiplied (initdb alone took ~560 MB more). `node store-template.mjs <folder>`.
 */
import { openStore } from '../store/index.js';

const folder = process.argv[2];
if (!folder) {
  process.stderr.write('usage: store-template.mjs <folder>\n');
  process.exit(2);
}
const store = await openStore({ dataDir: folder });
await store.close();
