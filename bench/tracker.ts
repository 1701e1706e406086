/**
 * The live order tracker under load: 1,000 live orders, one card each, polled in rounds as the
 * bot does every `tracker.pollIntervalMs` (the tracker's clock moves 3 s per round, so the
 * bench does not sleep between rounds). Prints figures, not assertions:
 *
 * - COC requests per order per round while nothing changes (goal ≤ 1.05), and while every
 *   order moves one step every few rounds (each change costs the reads that show it);
 * - card edits while nothing changes (goal 0), and edits per order per change;
 * - final summaries and notifications (each exactly once per card);
 * - CPU and wall time of a round, and the peak RSS of this process (goal ≤ 200 MB).
 *
 * The simulator runs in its own process (`src/sim/main.ts`) and is driven and counted through
 * its control API, and the orders are started by another (`bench/tracker-orders.ts`), so the
 * RSS and CPU here are the tracker's: client, store, cards.
 *
 * What the peak RSS is made of: Node, tsx (its loader thread has a heap of its own) and the
 * modules before tracking; V8's young generation (up to 32 MB once the process allocates
 * steadily); what the tracker keeps per order (a few KB: the last snapshot, as the cards show
 * it, and the hashes of its cards); and the garbage V8 lets the old generation grow by before a
 * full collection. That last part follows V8's estimate of how fast garbage reaches the old
 * generation: rounds run back to back here, far faster than the bot's one every 3 s, so what
 * outlives a round (rows held through it, a hidden class made per request) weighs far more
 * here than it would in the bot. `--trace-gc-verbose` prints V8's growing factor.
 *
 * `npm run bench` runs it in a process of its own; alone: `npx tsx bench/tracker.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CocClient } from '../src/coc/client.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { makeId } from '../src/backends/index.js';
import { loadConfig } from '../src/config.js';
import { ChatSurfaces, type ChatSurface, type ChatTarget, type PostedMessage } from '../src/core/chat-surface.js';
import type { Message } from '../src/core/message.js';
import { OrderTracker } from '../src/orders/tracker.js';
// The demo credentials only: the simulator's code is not loaded into the measured process.
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../src/sim/defaults.js';
import { openStore } from '../src/store/index.js';

const ORDERS = 1000;
const BATCHES = 6;
const ROUND_MS = 3000;
/** Enough rounds to include the occasional safety-net read of every order. */
const IDLE_ROUNDS = 30;
const LIVE_ROUNDS = 20;
/** While "live", the simulator moves every order one step this often. */
const STEP_EVERY = 5;

const root = join(import.meta.dirname, '..');
const TSX_LOADER = join(root, 'node_modules/tsx/dist/esm/index.mjs');

/** A chat surface that only counts (no terminal, no platform). */
class CountingSurface implements ChatSurface {
  readonly platform = 'shell' as const;
  posts = 0;
  edits = 0;
  notices = 0;
  async post(target: ChatTarget, _message: Message): Promise<PostedMessage> {
    this.posts++;
    return { ...target, messageRef: `b${this.posts}` };
  }
  async update(): Promise<void> {
    this.edits++;
  }
  async notify(): Promise<void> {
    this.notices++;
  }
  async openIncidentPlace(): Promise<ChatTarget> {
    throw new Error('not used by the tracker');
  }
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

/** A new, migrated PGlite data folder, made by a short-lived process; returns its path. */
function createPgliteStore(): string {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'coc-bench-tracker-')), 'pglite');
  const storeModule = pathToFileURL(join(root, 'src/store/index.ts')).href;
  const script = `const { openStore } = await import(${JSON.stringify(storeModule)}); await (await openStore({ dataDir: ${JSON.stringify(dataDir)} })).close();`;
  const made = spawnSync(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', script], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error(`could not create the PGlite store (exit ${made.status})`);
  return dataDir;
}

/** Starts the bench's orders through bench/tracker-orders.ts in a process of its own; their execute uuids. */
async function startOrders(url: string): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(root, 'bench/tracker-orders.ts'), url, String(ORDERS), String(BATCHES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`starting the orders failed (exit ${code})`);
  const uuids = JSON.parse(out) as string[];
  if (uuids.length !== ORDERS) throw new Error(`${uuids.length} orders started, not ${ORDERS}`);
  return uuids;
}

const sim = await startSimProcess();
const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const response = await fetch(`${sim.url}/__sim${path}`, { method, ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
  return response.json();
};
/** COC requests the simulator received (every route) since the log was last cleared. */
const requestsSince = async (): Promise<number> => ((await admin('GET', '/requests/count')) as { count: number }).count;

const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
const rssAtStart = process.memoryUsage().rss;
const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
// PostgreSQL when TEST_DATABASE_URL names one (as several replicas run), in a schema of its own
// dropped afterwards; else the embedded PGlite the single-process bot uses, on a data folder
// that exists already, as the bot's does at every start but its first. The folder is made (and
// migrated) by a process of its own: creating a store runs PGlite's initdb in a second
// PGlite instance, a one-off peak of several hundred MB that the bot does not keep.
const databaseUrl = process.env['TEST_DATABASE_URL'] || undefined;
const schema = `bench_tracker_${process.pid}`;
const pgliteDir = databaseUrl ? undefined : createPgliteStore();
const store = await openStore(databaseUrl ? { databaseUrl, schema } : { dataDir: pgliteDir! });
const rssWithStore = process.memoryUsage().rss;
const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
if (!loaded.ok) throw new Error('the default configuration is invalid');
let clockMs = Date.UTC(2026, 2, 14, 9, 30);
const surface = new CountingSurface();
const chat = new ChatSurfaces();
chat.register(surface);
const tracker = new OrderTracker({ db: store.db, backend: createCocBackend(coc), chat, now: () => new Date(clockMs), config: { tracker: { ...loaded.config.tracker, maxOrders: ORDERS } } });
const lines: string[] = [];
const fmt = (n: number, digits = 2) => n.toFixed(digits);

try {
  // 1,000 orders of six one-host batches on healthy hosts, started by a process of their own.
  const uuids = await startOrders(sim.url);

  const trackStarted = performance.now();
  for (const uuid of uuids) await tracker.track({ run: makeId('coc', 'run', uuid), target: { platform: 'shell', workspaceId: 'bench', channelId: 'ops' }, locale: 'en-US' });
  const trackMs = performance.now() - trackStarted;
  lines.push(`tracker (${store.db.kind}): ${ORDERS} live orders, ${surface.posts} cards posted in ${fmt(trackMs / 1000, 1)} s (${fmt(trackMs / ORDERS, 1)} ms per track())`);

  const round = async (): Promise<{ wallMs: number; cpuMs: number }> => {
    clockMs += ROUND_MS;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const polled = await tracker.tick();
    if (polled !== ORDERS && polled !== 0) throw new Error(`a round polled ${polled} orders`);
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };

  // Nothing changes: one statistics read per order, no edits.
  await admin('DELETE', '/requests');
  const editsBefore = surface.edits;
  const idle: { wallMs: number; cpuMs: number }[] = [];
  for (let r = 0; r < IDLE_ROUNDS; r++) idle.push(await round());
  const idleRequests = await requestsSince();
  const idleEdits = surface.edits - editsBefore;
  lines.push(`  COC requests per order per round, nothing changed: ${fmt(idleRequests / (ORDERS * IDLE_ROUNDS), 3)} (goal ≤ 1.05)`);
  lines.push(`  card edits when nothing changed: ${idleEdits} (goal 0)`);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  lines.push(
    `  one round over ${ORDERS} orders: ${fmt(median(idle.map((r) => r.wallMs)), 0)} ms wall, ${fmt(median(idle.map((r) => r.cpuMs)), 0)} ms CPU ` +
      `(${fmt((median(idle.map((r) => r.cpuMs)) * 1000) / ORDERS, 0)} µs CPU per order; a round every ${ROUND_MS / 1000} s uses ${fmt((median(idle.map((r) => r.cpuMs)) / ROUND_MS) * 100, 1)}% of a core)`,
  );

  // Every order moves one step every STEP_EVERY rounds.
  await admin('DELETE', '/requests');
  const liveEditsBefore = surface.edits;
  let steps = 0;
  for (let r = 0; r < LIVE_ROUNDS; r++) {
    if (r % STEP_EVERY === 0) {
      await admin('POST', '/tick', { count: 1 });
      steps++;
    }
    await round();
  }
  const liveRequests = await requestsSince();
  lines.push(
    `  COC requests per order per round, every order moving one step every ${STEP_EVERY} rounds: ${fmt(liveRequests / (ORDERS * LIVE_ROUNDS), 3)} ` +
      `(${fmt(liveRequests / (ORDERS * steps), 2)} per order per step, reads that show the change included)`,
  );
  lines.push(`  card edits per order per step: ${fmt((surface.edits - liveEditsBefore) / (ORDERS * steps), 2)}`);

  // Every order ends: one final summary per card.
  await admin('POST', '/tick', { count: BATCHES * 2 + 2 });
  const finalsBefore = tracker.stats.finals;
  for (let r = 0; r < 4 && tracker.stats.finals - finalsBefore < ORDERS; r++) await round();
  clockMs += ROUND_MS;
  const stillPolled = await tracker.tick(); // nothing left: no order is polled any more
  lines.push(`  final summaries: ${tracker.stats.finals} for ${ORDERS} orders; orders still polled afterwards: ${stillPolled}`);
  const atEnd = process.memoryUsage();
  lines.push(
    `  peak RSS of the tracking process: ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MB (goal ≤ 200 MB; the simulator runs in its own process): ` +
      `${mb(rssAtStart)} MB at start (Node, tsx, the modules), ${mb(rssWithStore)} MB with the store open (${store.db.kind}), ${mb(atEnd.rss)} MB at the end; ` +
      `JavaScript heap in use at the end ${mb(atEnd.heapUsed)} MB`,
  );
  lines.push(`  unexpected errors: ${tracker.stats.unexpected}, COC read failures: ${tracker.stats.cocFailures}`);
} finally {
  await coc.close();
  if (databaseUrl) await store.db.exec(`DROP SCHEMA ${schema} CASCADE`);
  await store.close();
  if (pgliteDir) rmSync(dirname(pgliteDir), { recursive: true, force: true });
  sim.stop();
}
process.stdout.write(`${lines.join('\n')}\n`);
