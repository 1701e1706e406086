/**
 * `npm start`'s compiled build (scripts/build.mjs, scripts/start.mjs), in a copy of the
 * repository's sources as a clean clone has them: the first start builds, the next ones reuse
 * the build, and a source saved after the build (or a file added) makes the next start build
 * again. `npm start -- --exec whoami` answers from the build, and a new embedded store starts as
 * a copy of the build's template. node_modules is this checkout's,
 * linked: installing packages is npm's job, not what is tested here.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMigratedDataDir } from './helpers/data-dir.js';

const repository = join(import.meta.dirname, '..');
const workDir = mkdtempSync(join(tmpdir(), 'coc-build-'));
const clone = join(workDir, 'clone');
const dataDir = join(workDir, 'store');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], store = dataDir): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: clone,
      env: { PATH: process.env['PATH'], HOME: workDir, NO_COLOR: '1', COC_CHATOPS_DATA_DIR: store },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const startWhoami = () => run(process.execPath, ['scripts/start.mjs', 'main', '--exec', 'whoami']);
const currentBuild = () => (JSON.parse(readFileSync(join(clone, 'dist/current.json'), 'utf8')) as { dir: string }).dir;

beforeAll(async () => {
  for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts', 'src', 'commands']) {
    cpSync(join(repository, path), join(clone, path), { recursive: true });
  }
  symlinkSync(join(repository, 'node_modules'), join(clone, 'node_modules'), 'dir');
  await seedMigratedDataDir(dataDir);
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("npm start's compiled build", () => {
  it('is built by the first start, reused by the next, and built again once a source is newer or a file is added', async () => {
    expect(existsSync(join(clone, 'dist'))).toBe(false);

    const first = await startWhoami();
    expect(first.stderr).toContain('Building the bot');
    expect(first.stdout).toContain('alice');
    expect(first.code).toBe(0);
    const built = currentBuild();
    expect(existsSync(join(clone, 'dist', built, 'main.mjs'))).toBe(true);
    expect(existsSync(join(clone, 'dist', built, 'migrations'))).toBe(true);
    // The created, migrated store a new one is copied from, instead of running initdb in the bot.
    expect(existsSync(join(clone, 'dist', built, 'store-template', 'PG_VERSION'))).toBe(true);

    const second = await startWhoami();
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(currentBuild()).toBe(built);

    // Saved after the build: a modification time later than any the build saw.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(clone, 'src/main.ts'), later, later);
    const third = await startWhoami();
    expect(third.stderr).toContain('Building the bot');
    expect(third.code).toBe(0);
    const rebuilt = currentBuild();
    expect(rebuilt).not.toBe(built);

    writeFileSync(join(clone, 'src/added-after-the-build.ts'), 'export const added = true;\n');
    const fourth = await startWhoami();
    expect(fourth.stderr).toContain('Building the bot');
    expect(currentBuild()).not.toBe(rebuilt);
    // The build before the current one stays (a bot started from it may still load its chunks); older ones go.
    expect(existsSync(join(clone, 'dist', built))).toBe(false);
    expect(existsSync(join(clone, 'dist', rebuilt))).toBe(true);
  });

  it('is what `npm install` leaves (its prepare script) and what `npm start -- --exec whoami` runs', async () => {
    const prepare = await run('npm', ['run', '--silent', 'prepare']);
    expect(prepare.code).toBe(0);
    expect(prepare.stdout).toMatch(/^(Built the bot|The build is up to date): dist\/build-/);
    const before = currentBuild();

    const start = await run('npm', ['start', '--silent', '--', '--exec', 'whoami']);
    expect(start.stderr).toBe('');
    expect(start.stdout).toContain('alice');
    expect(start.code).toBe(0);
    expect(currentBuild()).toBe(before);
  });

  it('runs the build as it is where the sources are not shipped (the container image), and makes a new store from its template', async () => {
    rmSync(join(clone, 'src'), { recursive: true });
    const newStore = join(workDir, 'new-store');
    const start = await run(process.execPath, ['scripts/start.mjs', 'main', '--exec', 'whoami'], newStore);
    expect(existsSync(join(newStore, 'PG_VERSION'))).toBe(true);
    expect(start.stderr).toBe('');
    expect(start.stdout).toContain('alice');
    expect(start.code).toBe(0);
  });
});
