/**
 * The bot's compiled build: its entry points bundled by esbuild into plain JavaScript, so that
 * `npm start` (and the other scripts) run without compiling hundreds of TypeScript modules at
 * every start. Plain JavaScript itself, so that it runs before anything is built.
 *
 * A build is a folder two levels below the repository, `dist/<id>/`, as the sources are
 * (`src/<folder>/`): the paths the code finds next to itself hold — `../../package.json`, and
 * `./migrations/` (a copy of the SQL files). Beside them, `./store-template/`: a link to a created
 * and migrated embedded store (`dist/store-template-<key>/`) that a new one starts as a copy of. `dist/current.json` names the current build and the
 * sources it was made from; it is replaced in one rename, so a bot starting while another
 * process builds sees either the old build or the new one, never half of one.
 *
 *   node scripts/build.mjs          build when the build is missing or older than the sources
 *   node scripts/build.mjs --force  build whatever the state
 *
 * Also used by the test set-up (test/setup/bot-bundle.ts) to bundle the same entry points.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(ROOT, 'dist');

/** The scripts that run as processes of their own, by the name of their bundled file (`<name>.mjs`). */
export const ENTRY_POINTS = {
  main: 'src/main.ts',
  'check-config': 'src/check-config.ts',
  'register-cli': 'src/adapters/discord/register-cli.ts',
  manifest: 'src/adapters/slack/manifest-main.ts',
  'discord-commands': 'src/adapters/discord/commands-file-main.ts',
  sim: 'src/sim/main.ts',
  'sim-blueking': 'src/sim/blueking/main.ts',
  'store-template': 'src/build/store-template-main.ts',
};

/** Dependencies that load from node_modules rather than from the bundle (why: at `external` below). */
const EXTERNAL_PACKAGES = ['@electric-sql/pglite', 'pino', 'pino-pretty', 'thread-stream', '@discordjs/ws', 'esbuild'];

/** What a build is made from: the folders whose files are bundled or copied, and the files that change how. */
const SOURCE_DIRS = ['src', 'commands'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];

/** The build could not be made: esbuild is missing (production-only install) or the sources do not compile. */
export class BuildError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'BuildError';
  }
}

/**
 * Bundles the entry points (by default the bot's; the benchmarks bundle theirs the same way, so
 * they measure the bot as it ships) into `outDir` (made if missing) and copies the migrations
 * beside them. esbuild is loaded here only, so starting a build that is already made never loads it.
 */
export async function bundleEntryPoints(outDir, root = ROOT, entryPoints = ENTRY_POINTS) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new BuildError('esbuild is not installed (it is a development dependency): run `npm install` to build the bot.', { cause: error });
  }
  mkdirSync(outDir, { recursive: true });
  try {
    await esbuild.build({
      entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, path]) => [name, join(root, path)])),
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Dependencies are bundled too: one start then resolves and compiles a few files instead of
      // hundreds in node_modules. Left outside: PGlite, which finds its wasm and data files next to
      // its own modules; pino and discord.js's gateway, which start workers from their packages' files.
      external: EXTERNAL_PACKAGES,
      // Whitespace and redundant syntax out, names kept (stack traces stay readable): a start reads,
      // decodes and parses ~25% less JavaScript, which took ~0.1 s of its CPU.
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'eof',
      // Bundled CommonJS dependencies require Node's built-in modules; an ES module has no `require`.
      banner: { js: "import { createRequire as __cocCreateRequire } from 'node:module'; const require = __cocCreateRequire(import.meta.url);" },
      logLevel: 'silent',
    });
  } catch (error) {
    throw new BuildError(`the bot's sources did not build:\n${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  cpSync(join(root, 'src/store/migrations'), join(outDir, 'migrations'), { recursive: true });
}

/** What the new-store template is made from: the migrations, the code that runs them, and PGlite. */
function templateKey(root) {
  const hash = createHash('sha256');
  const migrations = join(root, 'src/store/migrations');
  for (const name of readdirSync(migrations).sort()) hash.update(name).update(readFileSync(join(migrations, name)));
  for (const file of ['src/store/migrations.ts', 'src/store/pglite-driver.ts', 'src/build/store-template-main.ts', 'node_modules/@electric-sql/pglite/package.json']) {
    hash.update(file).update(existsSync(join(root, file)) ? readFileSync(join(root, file)) : '');
  }
  return `store-template-${hash.digest('hex').slice(0, 16)}`;
}

/**
 * The data folder a new embedded store starts as (src/store/pglite-driver.ts copies it from
 * `<build>/store-template`, a link). Made by the bundle just built, in a process of its own —
 * PGlite's initdb peaks near 850 MB, which the bot then never pays — and shared by the builds
 * whose migrations and PGlite are the same, so most builds take no time for it.
 */
function linkStoreTemplate(buildDir, distDir, root) {
  const name = templateKey(root);
  const template = join(distDir, name);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    const partial = `${template}.${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    const made = spawnSync(process.execPath, [join(buildDir, 'store-template.mjs'), partial], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, COC_LOG_LEVEL: 'silent' },
    });
    if (made.status !== 0) throw new BuildError(`the new-store template was not made:\n${made.stderr?.toString() ?? made.error?.message ?? ''}`);
    rmSync(template, { recursive: true, force: true });
    renameSync(partial, template);
  }
  symlinkSync(join('..', name), join(buildDir, 'store-template'), 'dir');
  return name;
}

function walk(dir, files) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, files);
    else files.push(path);
  }
}

/**
 * The sources as they are now: a digest of their paths (a file added or removed changes it) and
 * the newest modification time among them. Only `stat`s: a few milliseconds for the whole tree.
 */
export function sourceState(root = ROOT) {
  const files = [];
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir), files);
  for (const file of SOURCE_FILES) if (existsSync(join(root, file))) files.push(join(root, file));
  let newestMtimeMs = 0;
  for (const file of files) newestMtimeMs = Math.max(newestMtimeMs, statSync(file).mtimeMs);
  const paths = files.map((file) => relative(root, file)).sort();
  return { pathsDigest: createHash('sha256').update(paths.join('\n')).digest('hex'), newestMtimeMs, count: paths.length };
}

function readCurrent(distDir) {
  try {
    const current = JSON.parse(readFileSync(join(distDir, 'current.json'), 'utf8'));
    if (typeof current?.dir !== 'string' || typeof current?.sources?.pathsDigest !== 'string') return undefined;
    if (!existsSync(join(distDir, current.dir, 'main.mjs'))) return undefined;
    return current;
  } catch {
    return undefined;
  }
}

/**
 * The folder of the current build when it is up to date with the sources, else undefined. A
 * checkout without sources (the container image copies only the build) takes the build as it is.
 */
export function freshBuildDir({ root = ROOT, distDir = join(root, 'dist') } = {}) {
  const current = readCurrent(distDir);
  if (!current) return undefined;
  if (!existsSync(join(root, 'src'))) return join(distDir, current.dir);
  const now = sourceState(root);
  const fresh = now.pathsDigest === current.sources.pathsDigest && now.newestMtimeMs <= current.sources.newestMtimeMs;
  return fresh ? join(distDir, current.dir) : undefined;
}

/**
 * Makes a new build and makes it the current one. The sources are read before bundling, so a
 * file saved during the build makes the next start build again. Earlier builds are removed,
 * except the one just replaced (a bot started from it may still load its chunks).
 */
export async function build({ root = ROOT, distDir = join(root, 'dist') } = {}) {
  const sources = sourceState(root);
  const id = `build-${Date.now()}-${process.pid}`;
  await bundleEntryPoints(join(distDir, id), root);
  const storeTemplate = linkStoreTemplate(join(distDir, id), distDir, root);
  const previous = readCurrent(distDir);
  const temporary = join(distDir, `current.${process.pid}.json`);
  writeFileSync(temporary, `${JSON.stringify({ dir: id, storeTemplate, builtAt: new Date().toISOString(), sources }, null, 2)}\n`);
  renameSync(temporary, join(distDir, 'current.json'));
  const kept = new Set([id, storeTemplate, previous?.dir, previous?.storeTemplate]);
  for (const entry of readdirSync(distDir)) {
    if (/^(build|store-template)-[^.]+$/.test(entry) && !kept.has(entry)) rmSync(join(distDir, entry), { recursive: true, force: true });
  }
  return join(distDir, id);
}

/** The current build's folder, building first when it is missing or older than the sources. */
export async function ensureBuild(options = {}) {
  return freshBuildDir(options) ?? (await build(options));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  try {
    const fresh = force ? undefined : freshBuildDir();
    const dir = fresh ?? (await build());
    process.stdout.write(`${fresh ? 'The build is up to date' : 'Built the bot'}: ${relative(ROOT, dir)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof BuildError ? error.message : error?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
