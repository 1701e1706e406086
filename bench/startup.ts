/**
 * Start-up to ready on an existing store (goal ≤ 2 s): the bot is started as the container
 * starts it (`node --import tsx src/main.ts`), in a fresh process, on a store that already
 * exists and is migrated, and timed from spawn until `/readyz` answers 200 — the moment a load
 * balancer would send it traffic. Printed against a baseline measured in the same run: a bare
 * Node process with the same tsx loader that answers HTTP, i.e. what any TypeScript service
 * pays before its first line runs.
 *
 * Runs on embedded PGlite (a data folder made and migrated first), and on PostgreSQL too when
 * TEST_DATABASE_URL is set (in a schema of its own).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { openStore } from '../src/store/index.js';

const ROUNDS = 5;
const GOAL_SECONDS = 2;
const GIVE_UP_MS = 60_000;
const root = join(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Milliseconds from `started` until GET `url` answers 200, polling every 10 ms. */
async function until200(url: string, started: number, child: ChildProcess): Promise<number> {
  while (performance.now() - started < GIVE_UP_MS) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} before ${url} answered`);
    try {
      const response = await request(url, { headersTimeout: 3_000, bodyTimeout: 3_000 });
      await response.body.dump();
      if (response.statusCode === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} did not answer 200 within ${GIVE_UP_MS / 1000} s`);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Startup {
  readonly healthyMs: number;
  readonly readyMs: number;
}

/** One start of the bot: spawn, wait for /healthz and /readyz, then leave through the prompt's "exit" so the store closes cleanly. */
async function startBotOnce(env: Record<string, string>): Promise<Startup> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main.ts')], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir(), NO_COLOR: '1', COC_OPS_PORT: String(port), COC_OPS_HOST: '127.0.0.1', ...env },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  try {
    const healthyMs = await until200(`http://127.0.0.1:${port}/healthz`, started, child);
    const readyMs = await until200(`http://127.0.0.1:${port}/readyz`, started, child);
    return { healthyMs, readyMs };
  } finally {
    child.stdin?.end('exit\n');
    const stopped = exited(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await stopped;
    clearTimeout(timer);
  }
}

/** The floor: a Node process with the tsx loader that answers HTTP. */
async function baselineOnce(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `import { createServer } from 'node:http'; createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1');`],
    { cwd: root, stdio: 'ignore' },
  );
  try {
    return await until200(`http://127.0.0.1:${port}/`, started, child);
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function measure(label: string, env: Record<string, string>, baselineMs: number): Promise<string[]> {
  await startBotOnce(env); // warm-up: tsx's transform cache, the OS file cache
  const runs: Startup[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await startBotOnce(env));
  const ready = median(runs.map((run) => run.readyMs));
  const healthy = median(runs.map((run) => run.healthyMs));
  const worst = Math.max(...runs.map((run) => run.readyMs));
  const verdict = ready / 1000 <= GOAL_SECONDS ? `goal ≤ ${GOAL_SECONDS} s: met` : `goal ≤ ${GOAL_SECONDS} s: MISSED`;
  return [
    `  ${label.padEnd(34)} ready ${seconds(ready)} (median of ${ROUNDS}, worst ${seconds(worst)}; /healthz after ${seconds(healthy)}) ` +
      `= ${(ready / baselineMs).toFixed(1)}× the bare process  (${verdict})`,
  ];
}

const workDir = mkdtempSync(join(tmpdir(), 'coc-bench-startup-'));
const lines: string[] = ['start-up to ready on an existing store (spawn → /readyz 200), vs a bare node+tsx process answering HTTP:'];
try {
  const dataDir = join(workDir, 'pglite');
  const existing = await openStore({ dataDir });
  await existing.close();

  await baselineOnce();
  const baselines: number[] = [];
  for (let i = 0; i < ROUNDS; i++) baselines.push(await baselineOnce());
  const baselineMs = median(baselines);
  lines.push(`  ${'bare node --import tsx, HTTP 200'.padEnd(34)} ${seconds(baselineMs)} (median of ${ROUNDS})`);

  lines.push(...(await measure('embedded PGlite', { COC_CHATOPS_DATA_DIR: dataDir }, baselineMs)));

  const databaseUrl = process.env['TEST_DATABASE_URL'];
  if (databaseUrl) {
    const schema = 'bench_startup';
    const pg = await openStore({ databaseUrl, schema });
    await pg.close();
    lines.push(...(await measure('PostgreSQL', { DATABASE_URL: databaseUrl, COC_CHATOPS_DB_SCHEMA: schema }, baselineMs)));
  } else {
    lines.push('  PostgreSQL                         skipped: TEST_DATABASE_URL is not set');
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.stdout.write(`${lines.join('\n')}\n`);
