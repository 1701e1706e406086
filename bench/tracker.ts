/**
 * The live order tracker under load: 10,000 live orders, one card each, on one replica with the
 * embedded PGlite store (the default) and with PostgreSQL, then on three replicas sharing one
 * PostgreSQL. Prints figures, not assertions:
 *
 * - peak RSS of the tracking process (goal ≤ 200 MB, store included);
 * - CPU of one polling round over every order, rounds run back to back (goal ≤ 1,000 ms);
 * - COC requests per order per round while nothing changes (goal ≤ 1.05) and card edits then (goal 0);
 * - staleness: time from a change in COC to the card's edit, with the bot's own polling loop
 *   running every `tracker.pollIntervalMs` and a tenth of the orders (the others are paused)
 *   changed at a random moment of an interval (goal: p95 ≤ 2 intervals). After each change the
 *   loops run on for 2 intervals and then until every replica has run one whole round that
 *   started after them, so that every change has had its chance to be shown; a change counts as
 *   "never shown" only then. The orders have a batch for every change of every phase, so that
 *   each change moves every moving order (a tick after an order ended would change nothing);
 * - with three replicas: the same request rate, and every order polled by exactly one replica;
 *   beside the staleness, how long the replicas' rounds took while the changes were made (a round
 *   longer than the interval delays the next one) and where the time of the slowest 5 % went:
 *   waiting for the round that read the change to start, or within that round.
 *
 * Each replica is a process of its own (bench/tracker-replica.ts), so its RSS and CPU are the
 * tracker's; the simulator runs in another (`src/sim/main.ts`), driven and counted through its
 * control API, and the orders are started by a third (bench/tracker-orders.ts).
 *
 * `npm run bench` runs it in a process of its own; alone: `npx tsx bench/tracker.ts`.
 * BENCH_TRACKER_STORES=postgres measures PostgreSQL only, =replicas the three replicas only.
 * BENCH_TRACKER_DUMP=<file> writes what the three replicas saw as JSON.
 * BENCH_TRACKER_ORDERS changes the number of orders (BENCH_TRACKER_MEMORY=1: a replica prints its memory
 * after its rounds: V8 heap, external (PGlite's WebAssembly memory), and at its peak RSS what it was doing
 * and V8's spaces then; BENCH_TRACKER_HEAPSNAPSHOT=<file> writes the measured replica's heap after its idle
 * rounds, BENCH_ALLOC_PROFILE=<file> what those rounds allocated (bench/alloc-profile.ts)); PostgreSQL is measured when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL names one (in schemas of its own, dropped afterwards).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.js';
import type { ReplicaCommand, ReplicaReply } from './tracker-replica.js';
import { endBench } from './end.js';

const ORDERS = Number(process.env['BENCH_TRACKER_ORDERS'] ?? 10_000);
/** Idle rounds run back to back for CPU and the request rate (one in 30 also reads the order itself). */
const IDLE_ROUNDS = Number(process.env["BENCH_TRACKER_IDLE_ROUNDS"] ?? 5);
/** Changes of every order while the polling loop runs, each at a random moment. */
const CHANGES = 2;
const REPLICAS = 3;
/** Which phases run: PGlite (one replica), PostgreSQL (one replica), PostgreSQL (three replicas). */
const STORES = process.env['BENCH_TRACKER_STORES'] ?? 'all';
const databaseUrl = process.env['BENCH_DATABASE_URL'] || process.env['TEST_DATABASE_URL'] || undefined;
const PHASES = (STORES === 'all' ? 1 : 0) + (databaseUrl ? (STORES === 'replicas' ? 1 : 2) : 0);
/**
 * Ticks before the loops start: every order runs its first batch, and most then pause. A tick
 * ends the batch under way and starts the next one, so every change of every phase moves the
 * moving orders only if they have a batch for each tick; one more and the last change would end them.
 */
const FIRST_TICKS = 2;
const BATCHES = FIRST_TICKS + CHANGES * Math.max(1, PHASES);
/**
 * Every MOVING_EVERY-th order runs on from batch to batch, so a change in COC reaches a tenth of
 * the orders at once; the others are paused after their first batch (live, polled, unchanging).
 */
const MOVING_EVERY = 10;
const MOVING = Math.ceil(ORDERS / MOVING_EVERY);

const root = join(import.meta.dirname, '..');
const TSX_LOADER = join(root, 'node_modules/tsx/dist/esm/index.mjs');
const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
if (!loaded.ok) throw new Error('the default configuration is invalid');
const INTERVAL_MS = loaded.config.tracker.pollIntervalMs;

/** The Node options `npm start` runs the bot with (package.json), so a replica's memory is the bot's. */
const BOT_NODE_OPTIONS = ['--max-semi-space-size=2', '--max-old-space-size=512'];
/** The environment `npm start` and the image add (glibc's allocator limited to 2 arenas). */
const BOT_ENV = { MALLOC_ARENA_MAX: '2' };
/** Left out of the bundle as the bot's build leaves them out (scripts/build.mjs): they load files beside their own modules. */
const EXTERNAL_PACKAGES = ['@electric-sql/pglite', 'pino', 'pino-pretty', 'thread-stream', '@discordjs/ws', 'esbuild'];

/**
 * The replica bundled into plain JavaScript as the bot's build is (`npm start` runs the build, not
 * tsx): under tsx a process carries the TypeScript loader and its source maps, tens of MB the bot
 * does not have. Made under node_modules/.cache so that the packages left outside resolve; the
 * migrations go beside it, where the store looks for them. BENCH_TRACKER_TSX=1 runs it under tsx.
 */
async function replicaScript(): Promise<{ readonly entry: readonly string[]; readonly dir: string | undefined }> {
  if (process.env['BENCH_TRACKER_TSX'] === '1') return { entry: ['--import', TSX_LOADER, join(root, 'bench/tracker-replica.ts')], dir: undefined };
  const esbuild = await import('esbuild');
  const dir = join(root, 'node_modules/.cache', `coc-bench-tracker-${process.pid}`);
  await esbuild.build({
    entryPoints: { 'tracker-replica': join(root, 'bench/tracker-replica.ts') },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL_PACKAGES,
    banner: { js: "import { createRequire as __cocCreateRequire } from 'node:module'; const require = __cocCreateRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  cpSync(join(root, 'src/store/migrations'), join(dir, 'migrations'), { recursive: true });
  return { entry: [join(dir, 'tracker-replica.mjs')], dir };
}

async function startSimProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(root, 'src/sim/main.ts'), '--port', '0', '--tick-ms', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** A new, migrated PGlite data folder, made by a short-lived process (as the bot's first start does); returns its path. */
function createPgliteStore(): string {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'coc-bench-tracker-')), 'pglite');
  const storeModule = pathToFileURL(join(root, 'src/store/index.ts')).href;
  const script = `const { openStore } = await import(${JSON.stringify(storeModule)}); await (await openStore({ dataDir: ${JSON.stringify(dataDir)} })).close();`;
  const made = spawnSync(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', script], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error(`could not create the PGlite store (exit ${made.status})`);
  return dataDir;
}

/** Drops a bench schema of PostgreSQL (a short-lived process of its own). */
function dropSchema(databaseUrl: string, schema: string): void {
  const storeModule = pathToFileURL(join(root, 'src/store/index.ts')).href;
  const script = `const { openStore } = await import(${JSON.stringify(storeModule)}); const s = await openStore({ databaseUrl: ${JSON.stringify(databaseUrl)}, schema: ${JSON.stringify(schema)} }); await s.db.exec('DROP SCHEMA ${schema} CASCADE'); await s.close();`;
  spawnSync(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', script], { stdio: 'inherit' });
}

/** Starts the bench's orders through bench/tracker-orders.ts in a process of its own; their execute uuids. */
async function startOrders(url: string): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(root, 'bench/tracker-orders.ts'), url, String(ORDERS), String(BATCHES), String(MOVING_EVERY)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`starting the orders failed (exit ${code})`);
  const uuids = JSON.parse(out) as string[];
  if (uuids.length !== ORDERS) throw new Error(`${uuids.length} orders started, not ${ORDERS}`);
  return uuids;
}

/** A replica process and the replies it sends, awaited in order. */
class Replica {
  readonly #child: ChildProcess;
  readonly #replies: ReplicaReply[] = [];
  readonly #waiting: ((reply: ReplicaReply) => void)[] = [];
  readonly #exited: Promise<number | null>;
  #gone = false;
  /** Rounds of its polling loop ended so far. */
  rounds = 0;

  constructor(url: string, store: string, maxOrders: number) {
    // BENCH_TRACKER_NODE_ARGS: Node options for the replicas only (say `--cpu-prof --cpu-prof-dir=/tmp/prof`).
    const nodeArgs = (process.env['BENCH_TRACKER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    this.#child = spawn(process.execPath, [...BOT_NODE_OPTIONS, ...nodeArgs, ...replicaProgram.entry, url, store, String(maxOrders)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...BOT_ENV },
    });
    this.#child.on('message', (reply: ReplicaReply) => {
      if (reply.kind === 'round') {
        this.rounds++;
        return;
      }
      const waiter = this.#waiting.shift();
      if (waiter) waiter(reply);
      else this.#replies.push(reply);
    });
    // 'close', not 'exit': a replica's last answers may still be on their way when it exits;
    // 'close' comes once its IPC channel and output are closed, every message delivered.
    this.#exited = new Promise((resolve) =>
      this.#child.on('close', (code, signal) => {
        // An end while the bench waits for an answer is a failure whatever its code (a process
        // whose event loop ran dry ends with 0 and no message).
        if (code !== 0 || this.#waiting.length > 0) {
          process.stderr.write(`a tracker replica exited with code ${code} (signal ${signal ?? 'none'})${this.#waiting.length > 0 ? ' while the bench waited for its answer' : ''}\n`);
        }
        resolve(code);
      }),
    );
    void this.#exited.then(() => {
      this.#gone = true;
      for (const waiter of this.#waiting.splice(0)) waiter({ kind: 'ready', rssAtStartMb: Number.NaN, rssWithStoreMb: Number.NaN });
    });
  }

  send(command: ReplicaCommand): void {
    this.#child.send(command);
  }

  async next<K extends ReplicaReply['kind']>(kind: K): Promise<Extract<ReplicaReply, { kind: K }>> {
    if (this.#replies.length === 0 && this.#gone) throw new Error(`the replica is gone; it never answered ${kind}`);
    const reply = this.#replies.shift() ?? (await new Promise<ReplicaReply>((resolve) => this.#waiting.push(resolve)));
    if (reply.kind !== kind) throw new Error(`the replica answered ${reply.kind}, not ${kind}`);
    return reply as Extract<ReplicaReply, { kind: K }>;
  }

  async exited(): Promise<void> {
    const code = await this.#exited;
    if (code !== 0) throw new Error(`a tracker replica exited with ${code}`);
  }
}

const replicaProgram = await replicaScript();
const sim = await startSimProcess();
const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const response = await fetch(`${sim.url}/__sim${path}`, { method, ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
  return response.json();
};
/** COC requests the simulator received (every route) since the log was last cleared. */
const requestsSince = async (): Promise<number> => ((await admin('GET', '/requests/count')) as { count: number }).count;

/** Printed as soon as measured: a long run that is cut short still says what it found. */
const lines = { push: (line: string) => process.stdout.write(`${line}\n`) };
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const percentile = (values: readonly number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? Number.NaN;

/** Resolves once every replica has ended `more` rounds of its loop from now (a replica gone is not waited for past a bound). */
async function moreRounds(replicas: readonly Replica[], more: number): Promise<void> {
  const target = replicas.map((replica) => replica.rounds + more);
  const giveUpAt = Date.now() + 300_000;
  while (replicas.some((replica, i) => replica.rounds < target[i]!) && Date.now() < giveUpAt) await sleep(50);
}

/** What the changes made while the loops ran showed. */
interface ChangesSeen {
  readonly stopped: Extract<ReplicaReply, { kind: 'stopped' }>[];
  readonly staleness: number[];
  readonly missed: number;
  /** When the first change was made (epoch ms). */
  readonly changedFrom: number;
  /** When each change was made (epoch ms). */
  readonly changes: readonly number[];
  /** Of the slowest 5 % of the shown changes: ms from the change to the start of the round that showed it, and from then to the edit. */
  readonly slowWaitMs: number[];
  readonly slowWithinMs: number[];
}

/**
 * Every order changed CHANGES times, each at a random moment of an interval, while the polling
 * loops run; then the loops stop. Staleness of each card: from the change to its first edit.
 * After each change the loops run on for 2 intervals and then until every replica has ended two
 * more rounds (the one under way and a whole one started after the 2 intervals): a change not
 * shown by then counts as never shown.
 */
async function changesWhileLive(replicas: readonly Replica[]): Promise<ChangesSeen> {
  const changes: number[] = [];
  for (let k = 0; k < CHANGES; k++) {
    await sleep(Math.random() * INTERVAL_MS);
    changes.push(Date.now());
    await admin('POST', '/tick', { count: 1 });
    await sleep(2 * INTERVAL_MS);
    await moreRounds(replicas, 2);
  }
  for (const replica of replicas) replica.send({ cmd: 'stop' });
  const stopped = await Promise.all(replicas.map((replica) => replica.next('stopped')));
  const staleness: number[] = [];
  /** Each shown change: its staleness, and how long it waited for the round that showed it to start. */
  const shown: (readonly [number, number])[] = [];
  let missed = 0;
  for (let k = 0; k < changes.length; k++) {
    const from = changes[k]!;
    const until = changes[k + 1] ?? Number.POSITIVE_INFINITY;
    const firstEdit = new Map<string, readonly [number, number]>();
    stopped.forEach(({ edits }, replica) => {
      for (const [card, at] of edits) if (at >= from && at < until && !firstEdit.has(card)) firstEdit.set(card, [at, replica]);
    });
    for (const [at, replica] of firstEdit.values()) {
      const round = stopped[replica]!.polledPerRound.find(([started, ended]) => started <= at && at <= ended);
      staleness.push(at - from);
      shown.push([at - from, round ? Math.max(0, round[0] - from) : Number.NaN]);
    }
    missed += MOVING - firstEdit.size;
  }
  const p95 = percentile(staleness, 0.95);
  const slow = shown.filter(([stale]) => stale >= p95);
  return { stopped, staleness, missed, changedFrom: changes[0]!, changes, slowWaitMs: slow.map(([, wait]) => wait), slowWithinMs: slow.map(([stale, wait]) => stale - wait) };
}

function stalenessText({ staleness, missed, slowWaitMs, slowWithinMs }: ChangesSeen): string {
  const p95 = percentile(staleness, 0.95);
  return (
    `staleness (${int(MOVING)} orders changed at once, ${CHANGES} times) p50 ${fmt(median(staleness) / 1000, 1)} s, p95 ${fmt(p95 / 1000, 1)} s = ${fmt(p95 / INTERVAL_MS, 2)} intervals of ${INTERVAL_MS / 1000} s (goal ≤ 2), ` +
    `${int(missed)} changes never shown (goal 0); the slowest 5 % waited ${fmt(median(slowWaitMs) / 1000, 1)} s (median) for the round that showed them to start and ${fmt(median(slowWithinMs) / 1000, 1)} s within it`
  );
}

/** How long each replica's rounds took while the changes were made, against the interval. */
function roundsText({ stopped, changedFrom }: ChangesSeen): string {
  const text = stopped.map(({ polledPerRound, listPages }) => {
    const rounds = polledPerRound.filter(([started]) => started >= changedFrom);
    const walls = rounds.map(([started, ended]) => ended - started);
    // The order list of each round: its pages, and when the last one came, from the round's start.
    const lists = rounds.map(([started, ended]) => listPages.filter(([asked]) => asked >= started && asked <= ended)).filter((pages) => pages.length > 0);
    const listDone = lists.map((pages) => Math.max(...pages.map(([, answered]) => answered)) - Math.min(...pages.map(([asked]) => asked)));
    return (
      `${fmt(median(walls) / 1000, 1)} / ${fmt(Math.max(...walls) / 1000, 1)} s wall, ${fmt(Math.max(...rounds.map(([, , , cpu]) => cpu)) / 1000, 1)} s CPU at most, over ${int(median(rounds.map(([, , polled]) => polled)))} orders, ` +
      `order list ${int(median(lists.map((pages) => pages.length)))} pages in ${fmt(median(listDone) / 1000, 1)} / ${fmt(Math.max(...listDone) / 1000, 1)} s`
    );
  });
  return `rounds while the changes were made (p50 / max) ${text.join('; ')} (interval ${INTERVAL_MS / 1000} s)`;
}

/** One replica over every order: first round, idle rounds, then changes while its loop runs. */
async function oneReplica(label: string, store: string, uuids: readonly string[]): Promise<void> {
  // The card requests are stored by a process of their own, which then ends: the replica measured
  // starts on a store that already holds them, as the bot does after a restart (the bulk inserts,
  // which the bot never makes, leave the store's memory in the process that made them).
  const seeder = new Replica(sim.url, store, ORDERS);
  await seeder.next('ready');
  seeder.send({ cmd: 'seed', uuids });
  await seeder.next('seeded');
  seeder.send({ cmd: 'stop' });
  await seeder.next('stopped');
  await seeder.exited();
  const replica = new Replica(sim.url, store, ORDERS);
  const ready = await replica.next('ready');
  // The first round reads every order afresh and posts its card (as after a restart).
  replica.send({ cmd: 'rounds', count: 1 });
  const first = await replica.next('rounds');
  await admin('DELETE', '/requests');
  replica.send({ cmd: 'rounds', count: IDLE_ROUNDS });
  const idle = await replica.next('rounds');
  const idleRequests = await requestsSince();
  const polled = idle.rounds.reduce((sum, round) => sum + round.polled, 0);
  replica.send({ cmd: 'live' });
  await sleep(INTERVAL_MS);
  const seen = await changesWhileLive([replica]);
  const { stopped } = seen;
  await replica.exited();
  const cpu = median(idle.rounds.map((round) => round.cpuMs));
  lines.push(
    `tracker, ${int(ORDERS)} orders, ${label}: peak RSS ${stopped[0]!.peakRssMb} MB (goal ≤ 200), CPU per round ${int(cpu)} ms (goal ≤ 1,000), ` +
      `COC requests per order per round ${fmt(idleRequests / polled, 3)} (goal ≤ 1.05), idle edits ${idle.edits - first.edits} (goal 0), ${stalenessText(seen)}; ${roundsText(seen)}`,
  );
  lines.push(
    `  first round (every order read afresh, ${int(first.posts)} cards posted): ${fmt(first.rounds[0]!.wallMs / 1000, 1)} s wall, ${fmt(first.rounds[0]!.cpuMs / 1000, 1)} s CPU; ` +
      `idle round ${int(median(idle.rounds.map((round) => round.wallMs)))} ms wall (${fmt((cpu / INTERVAL_MS) * 100, 0)} % of a core at one round every ${INTERVAL_MS / 1000} s); ` +
      `RSS ${ready.rssAtStartMb} MB at start (Node, tsx, modules), ${ready.rssWithStoreMb} MB with the store open, JS heap ${stopped[0]!.heapUsedMb} MB at the end; ` +
      `unexpected errors ${stopped[0]!.unexpected}, COC read failures ${stopped[0]!.cocFailures}`,
  );
}

/** Three replicas on one PostgreSQL sharing every order, each running the bot's polling loop. */
async function threeReplicas(store: string, uuids: readonly string[]): Promise<void> {
  // A replica takes at most maxOrders; a third more than an even share leaves room for one to slow down.
  const maxOrders = Math.ceil((ORDERS / REPLICAS) * 1.2);
  // The first one creates the schema; the others open it once it exists.
  const replicas = [new Replica(sim.url, store, maxOrders)];
  await replicas[0]!.next('ready');
  for (let r = 1; r < REPLICAS; r++) replicas.push(new Replica(sim.url, store, maxOrders));
  await Promise.all(replicas.slice(1).map((replica) => replica.next('ready')));
  replicas[0]!.send({ cmd: 'seed', uuids });
  await replicas[0]!.next('seeded');
  for (const replica of replicas) replica.send({ cmd: 'live' });
  // First rounds read every order afresh (five reads each, longer than an interval with this
  // many orders): the quiet stretch that counts the request rate starts once every replica has
  // ended two rounds.
  const settleBy = Date.now() + 300_000;
  while (replicas.some((replica) => replica.rounds < 2) && Date.now() < settleBy) await sleep(250);
  await admin('DELETE', '/requests');
  const quietFrom = Date.now();
  await sleep(3 * INTERVAL_MS);
  const quietRequests = await requestsSince();
  const quietUntil = Date.now();
  const seen = await changesWhileLive(replicas);
  const { stopped } = seen;
  // BENCH_TRACKER_DUMP=<file>: what each replica saw (edits, rounds, orders polled), for a closer look.
  const dump = process.env['BENCH_TRACKER_DUMP'];
  if (dump) writeFileSync(dump, JSON.stringify({ intervalMs: INTERVAL_MS, changes: seen.changes, quietFrom, quietUntil, replicas: stopped }));
  await Promise.all(replicas.map((replica) => replica.exited()));
  const polled = stopped.reduce((sum, s) => sum + s.polledPerRound.filter(([, at]) => at >= quietFrom && at < quietUntil).reduce((n, [, , count]) => n + count, 0), 0);
  // Two replicas polled an order at once when the stretches of time over which each read it
  // overlap; one taking an order over from another (one stretch ending before the other starts) is not.
  const spans = new Map<string, (readonly [number, number])[]>();
  for (const s of stopped) {
    for (const [order, first, last] of s.polledOrders) {
      const list = spans.get(order);
      if (list) list.push([first, last]);
      else spans.set(order, [[first, last]]);
    }
  }
  const overlapping = (list: readonly (readonly [number, number])[]) =>
    list.some(([a0, a1], i) => list.some(([b0, b1], j) => j > i && a0 <= b1 && b0 <= a1));
  const twice = [...spans.values()].filter(overlapping).length;
  const handedOver = [...spans.values()].filter((list) => list.length > 1 && !overlapping(list)).length;
  const once = spans.size - twice;
  lines.push(
    `tracker, ${int(ORDERS)} orders, ${REPLICAS} replicas on one PostgreSQL (tracker.maxOrders ${int(maxOrders)}): orders per replica ${stopped.map((s) => int(s.polledOrders.length)).join(' / ')}; ` +
      `polled by one replica at a time ${int(once)} (${int(handedOver)} of them handed over), by two or more at once ${int(twice)}, by none ${int(ORDERS - spans.size)} (goal: all by one at a time); ` +
      `COC requests per order per round ${fmt(quietRequests / Math.max(1, polled), 3)} (goal ≤ 1.05); ${stalenessText(seen)}; ${roundsText(seen)}; ` +
      `peak RSS ${stopped.map((s) => s.peakRssMb).join(' / ')} MB; unexpected errors ${stopped.reduce((n, s) => n + s.unexpected, 0)}`,
  );
}

const pgliteDir = createPgliteStore();
const schemas: string[] = [];
try {
  const uuids = await startOrders(sim.url);
  // Every order runs its first batch (and most then pause) before any tracker reads it.
  await admin('POST', '/tick', { count: FIRST_TICKS });
  // BENCH_TRACKER_STORES=postgres measures PostgreSQL only, =replicas the three replicas only (shorter runs).
  if (STORES === 'all') await oneReplica('PGlite', `pglite:${pgliteDir}`, uuids);
  if (databaseUrl) {
    if (STORES !== 'replicas') {
      const schema = `bench_tracker_${process.pid}`;
      schemas.push(schema);
      await oneReplica('PostgreSQL', `postgres:${databaseUrl}#${schema}`, uuids);
    }
    const shared = `bench_tracker_shared_${process.pid}`;
    schemas.push(shared);
    await threeReplicas(`postgres:${databaseUrl}#${shared}`, uuids);
  } else {
    lines.push(`tracker, ${int(ORDERS)} orders, PostgreSQL: skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL`);
    lines.push(`tracker, ${int(ORDERS)} orders, ${REPLICAS} replicas: skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL`);
  }
} finally {
  for (const schema of schemas) dropSchema(databaseUrl!, schema);
  rmSync(dirname(pgliteDir), { recursive: true, force: true });
  if (replicaProgram.dir) rmSync(replicaProgram.dir, { recursive: true, force: true });
  sim.stop();
}
endBench();
