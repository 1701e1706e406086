/**
 * Start-up from the compiled build (scripts/build.mjs), in fresh processes, on a store that
 * already exists and is migrated. The ready and RSS runs start the built main itself, as the
 * launcher (`node scripts/start.mjs main`, what `npm start` and the container run) does once it
 * has found the build up to date; `npm start` is timed as typed. The build is made first, so
 * none of these runs builds (unless a source changes meanwhile).
 *
 * - Ready (goal ≤ 1 s): spawn → `/readyz` 200, the moment a load balancer would send traffic;
 *   and spawn → the terminal's first prompt. Against a bare Node process answering HTTP.
 * - `npm start -- --exec whoami`, wall time (goal ≤ 2 s), and `node <built main> --exec whoami`
 *   without npm (npm itself costs ~0.3 s). Against a bare `node -e ''`.
 * - Idle RSS on PGlite (goal ≤ 150 MB): VmRSS a few seconds after ready. Against the bare process.
 * - A new PGlite store's peak RSS (goal ≤ 300 MB): VmHWM once the first start's prompt is up.
 *
 * Runs on embedded PGlite (a data folder made and migrated first), and the ready time on
 * PostgreSQL too when TEST_DATABASE_URL is set (in a schema of its own).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { ensureBuild } from '../scripts/build.mjs';
import { openStore } from '../src/store/index.js';
import { endBench } from './end.js';

const ROUNDS = 5;
const READY_GOAL_S = 1;
const WHOAMI_GOAL_S = 2;
const IDLE_RSS_GOAL_MB = 150;
const NEW_STORE_PEAK_GOAL_MB = 300;
const IDLE_MS = 3_000;
const GIVE_UP_MS = 120_000;
const root = join(import.meta.dirname, '..');
/** Node's own flags, as package.json's "start" and the Dockerfile's CMD give them. */
const NODE_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=512'];

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

/** Milliseconds from `started` until the child's standard output holds `text`. */
function untilPrinted(child: ChildProcess, text: string, started: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        child.stdout?.off('data', onData);
        resolve(performance.now() - started);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the process exited with ${code} before printing ${JSON.stringify(text)}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** VmRSS and VmHWM (peak) of a running process, in MB. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * CPU seconds (user + system) a running process has used: what a start costs whatever the
 * machine's load. With `mainThreadOnly`, those of its JavaScript thread alone: the part of a start
 * no other core can take, close to its wall time on an idle machine.
 */
function cpuSecondsOf(pid: number, mainThreadOnly = false): number {
  // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses; in clock ticks (100 a second).
  const fields = readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const botEnv = (port: number, env: Record<string, string>) => ({
  PATH: process.env['PATH'] ?? '',
  HOME: tmpdir(),
  NO_COLOR: '1',
  COC_OPS_PORT: String(port),
  COC_OPS_HOST: '127.0.0.1',
  ...env,
});

async function leave(child: ChildProcess): Promise<void> {
  child.stdin?.end('exit\n');
  const stopped = exited(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await stopped;
  clearTimeout(timer);
}

interface Startup {
  readonly readyMs: number;
  readonly promptMs: number;
  readonly cpuToReadyS: number;
  readonly mainThreadCpuToReadyS: number;
  readonly idleRssMb: number;
  readonly peakMb: number;
}

/** One start of the built bot: ready, first prompt, then (optionally) RSS after idling; leaves through "exit". */
async function startBotOnce(builtMain: string, env: Record<string, string>, idle: boolean): Promise<Startup> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, builtMain], { cwd: root, env: botEnv(port, env), stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const prompt = untilPrinted(child, '@coc> ', started);
    const readyMs = await until200(`http://127.0.0.1:${port}/readyz`, started, child);
    const promptMs = await prompt;
    const cpuToReadyS = cpuSecondsOf(child.pid!);
    const mainThreadCpuToReadyS = cpuSecondsOf(child.pid!, true);
    if (idle) await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const { rssMb, peakMb } = memoryOf(child.pid!);
    return { readyMs, promptMs, cpuToReadyS, mainThreadCpuToReadyS, idleRssMb: rssMb, peakMb };
  } finally {
    await leave(child);
  }
}

/** Wall milliseconds of one command run to its end. */
async function wallOnce(command: string, args: readonly string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, env: botEnv(0, env), stdio: ['ignore', 'ignore', 'inherit'] });
  await exited(child);
  if (child.exitCode !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode}`);
  return performance.now() - started;
}

/** The floor: a bare Node process that answers HTTP; its time to 200 and its RSS. */
async function baselineOnce(): Promise<{ readyMs: number; rssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `import { createServer } from 'node:http'; createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1');`],
    { cwd: root, stdio: 'ignore' },
  );
  try {
    const readyMs = await until200(`http://127.0.0.1:${port}/`, started, child);
    return { readyMs, rssMb: memoryOf(child.pid!).rssMb };
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

async function repeat<T>(times: number, once: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await once());
  return results;
}

const workDir = mkdtempSync(join(tmpdir(), 'coc-bench-startup-'));
const lines: string[] = [];
try {
  const buildDir = await ensureBuild();
  const builtMain = join(buildDir, 'main.mjs');
  const dataDir = join(workDir, 'pglite');
  const existing = await openStore({ dataDir });
  await existing.close();
  const pglite = { COC_CHATOPS_DATA_DIR: dataDir };

  await baselineOnce();
  const baselines = await repeat(ROUNDS, baselineOnce);
  const baselineMs = median(baselines.map((b) => b.readyMs));
  const baselineRssMb = median(baselines.map((b) => b.rssMb));
  const bareNodeMs = median(await repeat(ROUNDS, () => wallOnce(process.execPath, ['-e', ''], {})));
  lines.push(`start-up from the compiled build (${join('dist', buildDir.split('/').at(-1)!)}), fresh processes, median of ${ROUNDS}:`);
  lines.push(`  baseline: a bare node process answering HTTP ${seconds(baselineMs)}, RSS ${baselineRssMb.toFixed(0)} MB; bare \`node -e ''\` ${seconds(bareNodeMs)}`);

  await startBotOnce(builtMain, pglite, false); // warm-up: the OS file cache
  const runs = await repeat(ROUNDS, () => startBotOnce(builtMain, pglite, true));
  const ready = median(runs.map((r) => r.readyMs));
  const prompt = median(runs.map((r) => r.promptMs));
  const worst = Math.max(...runs.map((r) => r.readyMs));
  lines.push(
    `  start-up to ready, compiled, existing PGlite store: median ${seconds(ready)} (worst ${seconds(worst)}; first prompt ${seconds(prompt)}; ` +
      `CPU to ready ${median(runs.map((r) => r.cpuToReadyS)).toFixed(2)} s, ${median(runs.map((r) => r.mainThreadCpuToReadyS)).toFixed(2)} s of it on the JavaScript thread) ` +
      `= ${(ready / baselineMs).toFixed(1)}× the bare process (goal ≤ ${READY_GOAL_S} s: ${verdict(ready <= READY_GOAL_S * 1000)})`,
  );

  const idleRss = median(runs.map((r) => r.idleRssMb));
  lines.push(
    `  idle RSS, PGlite: ${idleRss.toFixed(0)} MB ${IDLE_MS / 1000} s after ready (range ${Math.min(...runs.map((r) => r.idleRssMb)).toFixed(0)}–${Math.max(...runs.map((r) => r.idleRssMb)).toFixed(0)}) ` +
      `= ${(idleRss / baselineRssMb).toFixed(1)}× the bare process (goal ≤ ${IDLE_RSS_GOAL_MB}: ${verdict(idleRss <= IDLE_RSS_GOAL_MB)})`,
  );

  const npmWhoami = median(await repeat(ROUNDS, () => wallOnce('npm', ['start', '--silent', '--', '--exec', 'whoami'], pglite)));
  const nodeWhoami = median(await repeat(ROUNDS, () => wallOnce(process.execPath, [...NODE_FLAGS, builtMain, '--exec', 'whoami'], pglite)));
  lines.push(
    `  npm start -- --exec whoami, wall: ${seconds(npmWhoami)} (goal ≤ ${WHOAMI_GOAL_S} s: ${verdict(npmWhoami <= WHOAMI_GOAL_S * 1000)}); ` +
      `node <built main> --exec whoami: ${seconds(nodeWhoami)} = ${(nodeWhoami / bareNodeMs).toFixed(1)}× bare \`node -e ''\``,
  );

  const newStores = await repeat(2, () => startBotOnce(builtMain, { COC_CHATOPS_DATA_DIR: join(mkdtempSync(join(workDir, 'new-')), 'pglite') }, false));
  const newPeak = Math.max(...newStores.map((r) => r.peakMb));
  lines.push(
    `  new PGlite store, peak RSS: ${newPeak.toFixed(0)} MB (worst of 2; ready after ${seconds(median(newStores.map((r) => r.readyMs)))}) ` +
      `= ${(newPeak / baselineRssMb).toFixed(1)}× the bare process (goal ≤ ${NEW_STORE_PEAK_GOAL_MB}: ${verdict(newPeak <= NEW_STORE_PEAK_GOAL_MB)})`,
  );

  const databaseUrl = process.env['TEST_DATABASE_URL'];
  if (databaseUrl) {
    const schema = 'bench_startup';
    const pg = await openStore({ databaseUrl, schema });
    await pg.close();
    const env = { DATABASE_URL: databaseUrl, COC_CHATOPS_DB_SCHEMA: schema };
    await startBotOnce(builtMain, env, false);
    const pgRuns = await repeat(ROUNDS, () => startBotOnce(builtMain, env, false));
    const pgReady = median(pgRuns.map((r) => r.readyMs));
    const pgCpu = median(pgRuns.map((r) => r.cpuToReadyS));
    const pgMainCpu = median(pgRuns.map((r) => r.mainThreadCpuToReadyS));
    lines.push(
      `  start-up to ready, compiled, PostgreSQL: median ${seconds(pgReady)} (CPU to ready ${pgCpu.toFixed(2)} s, ${pgMainCpu.toFixed(2)} s on the JavaScript thread) = ${(pgReady / baselineMs).toFixed(1)}× the bare process`,
    );
  } else {
    lines.push('  start-up to ready, compiled, PostgreSQL: skipped (TEST_DATABASE_URL is not set)');
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.stdout.write(`${lines.join('\n')}\n`);
endBench();
