/**
 * One replica of the bot's live order tracker, as the tracker bench (bench/tracker.ts) measures
 * it: a process of its own, so that its RSS and CPU are the tracker's (client, store, cards) and
 * nothing else's. Driven by the bench over IPC:
 *
 *   { cmd: 'seed', uuids }     stores one card request per order (as `order watch` does), in bulk
 *   { cmd: 'rounds', count }   polling rounds back to back; answers each round's CPU and wall time
 *   { cmd: 'live' }            the bot's own polling loop, every `tracker.pollIntervalMs`
 *   { cmd: 'stop' }            stops the loop (letting go of the leases) and answers what it saw:
 *                              each card edit's wall time, the orders each round polled, RSS
 *
 *   node --import tsx bench/tracker-replica.ts <simulator url> <pglite:<dir> | postgres:<url>#<schema>> <maxOrders>
 *
 * The chat platform is a surface that only counts and timestamps; COC is the simulator.
 */
import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
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
import { startAllocationProfile } from './alloc-profile.js';

export type ReplicaCommand =
  | { readonly cmd: 'seed'; readonly uuids: readonly string[] }
  | { readonly cmd: 'rounds'; readonly count: number }
  | { readonly cmd: 'live' }
  | { readonly cmd: 'stop' };

export type ReplicaReply =
  /** Sent after every round of the loop (not an answer to a command). */
  | { readonly kind: 'round' }
  | { readonly kind: 'ready'; readonly rssAtStartMb: number; readonly rssWithStoreMb: number }
  | { readonly kind: 'seeded'; readonly ms: number }
  | { readonly kind: 'rounds'; readonly rounds: readonly { readonly polled: number; readonly cpuMs: number; readonly wallMs: number }[]; readonly posts: number; readonly edits: number }
  | {
      readonly kind: 'stopped';
      /** Card (message ref) and wall time (epoch ms) of every edit since `live`. */
      readonly edits: readonly (readonly [string, number])[];
      /** When each round of the loop started and ended (epoch ms), how many orders it polled and the process's CPU time (ms) meanwhile. */
      readonly polledPerRound: readonly (readonly [number, number, number, number])[];
      /** When each page of the order list was asked for and answered (epoch ms). */
      readonly listPages: readonly (readonly [number, number])[];
      /** Every order this replica read, with when it first and last read it (epoch ms). */
      readonly polledOrders: readonly (readonly [string, number, number])[];
      readonly cpuMsPerRound: readonly number[];
      readonly peakRssMb: number;
      readonly heapUsedMb: number;
      readonly unexpected: number;
      readonly cocFailures: number;
    };

const [url, storeSpec, maxOrdersArg] = process.argv.slice(2);
if (!url || !storeSpec || !maxOrdersArg || !process.send) throw new Error('usage: tracker-replica.ts <simulator url> <store> <maxOrders> (spawned with an IPC channel)');
const send = (reply: ReplicaReply) => process.send!(reply);
/**
 * Sends and waits until the message is written: a large answer (every order's poll times) is
 * still being written when the replica goes on to disconnect, and disconnecting drops it.
 */
const sendWritten = (reply: ReplicaReply) =>
  new Promise<void>((resolve, reject) => process.send!(reply, undefined, {}, (error: Error | null) => (error ? reject(error) : resolve())));
const mb = (bytes: number) => Math.round(bytes / 1048576);

/**
 * BENCH_TRACKER_MEMORY=1: RSS sampled every 20 ms, and at its highest what it was made of (V8's
 * spaces, external memory) and what the replica was doing, printed when it stops: the peak the
 * bench reports is one moment, and the figures after the rounds need not be that moment's.
 */
const memoryWatch = process.env['BENCH_TRACKER_MEMORY'] === '1';
let phase = 'start';
let peak = { rss: 0, text: '' };
if (memoryWatch) {
  setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss <= peak.rss) return;
    const m = process.memoryUsage();
    const spaces = getHeapSpaceStatistics()
      .filter((space) => space.space_size > 1048576)
      .map((space) => `${space.space_name.replace(/_space$/, '')} ${mb(space.space_used_size)}/${mb(space.space_size)}`)
      .join(', ');
    peak = { rss, text: `rss ${mb(rss)} MB during ${phase}: heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB (${spaces}), external ${mb(m.external)} MB, array buffers ${mb(m.arrayBuffers)} MB` };
  }, 20).unref();
}

/**
 * A chat surface that only counts and notes when each card was edited. Its message refs carry
 * the process id: replicas sharing a store edit each other's cards, and the bench tells the
 * cards apart by ref.
 */
class CountingSurface implements ChatSurface {
  readonly platform = 'shell' as const;
  posts = 0;
  edits = 0;
  recording = false;
  readonly editTimes: [string, number][] = [];
  async post(target: ChatTarget, _message: Message): Promise<PostedMessage> {
    this.posts++;
    return { ...target, messageRef: `${process.pid}-${this.posts}` };
  }
  async update(posted: PostedMessage): Promise<void> {
    this.edits++;
    if (this.recording) this.editTimes.push([posted.messageRef, Date.now()]);
  }
  async notify(): Promise<void> {}
  async openIncidentPlace(): Promise<ChatTarget> {
    throw new Error('not used by the tracker');
  }
}

const rssAtStart = process.memoryUsage().rss;
const coc = new CocClient({ endpoint: url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
const [kind, rest] = [storeSpec.slice(0, storeSpec.indexOf(':')), storeSpec.slice(storeSpec.indexOf(':') + 1)];
const store = await (kind === 'pglite'
  ? openStore({ dataDir: rest })
  : openStore({ databaseUrl: rest.slice(0, rest.lastIndexOf('#')), schema: rest.slice(rest.lastIndexOf('#') + 1) }));
const rssWithStore = process.memoryUsage().rss;
const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
if (!loaded.ok) throw new Error('the default configuration is invalid');
const surface = new CountingSurface();
const chat = new ChatSurfaces();
chat.register(surface);
const polledPerRound: [number, number, number, number][] = [];
/** When the round under way started (epoch ms) and the CPU used until then: the loop's rounds are timed from outside the tracker. */
let roundStartedAt = Date.now();
let roundStartCpu = process.cpuUsage();
const cpuMsPerRound: number[] = [];
/** When each page of the order list (paused orders) was asked for and answered (epoch ms). */
const listPages: [number, number][] = [];
/**
 * When this replica first and last read each order from COC: the three-replica run checks that no
 * two replicas polled an order over the same stretch of time (one may take over from another).
 */
const polledOrders = new Map<string, [number, number]>();
const backend = createCocBackend(coc);
const runs = backend.runs!;
const tracker = new OrderTracker({
  db: store.db,
  backend: {
    ...backend,
    runs: {
      ...runs,
      progress: (id, options) => {
        if (surface.recording) {
          const now = Date.now();
          const span = polledOrders.get(id);
          if (span) span[1] = now;
          else polledOrders.set(id, [now, now]);
        }
        return runs.progress(id, options);
      },
      list: async (query, options) => {
        const asked = Date.now();
        const page = await runs.list!(query, options);
        if (surface.recording) listPages.push([asked, Date.now()]);
        return page;
      },
    },
  },
  chat,
  now: () => new Date(),
  config: { tracker: { ...loaded.config.tracker, maxOrders: Number(maxOrdersArg) } },
  metrics: {
    trackedOrders: (count) => {
      const used = process.cpuUsage(roundStartCpu);
      polledPerRound.push([roundStartedAt, Date.now(), count, (used.user + used.system) / 1000]);
      if (surface.recording) send({ kind: 'round' });
    },
  },
});

// The loop calls tick() for each round: wrapped, it notes when each round starts.
const tick = tracker.tick.bind(tracker);
let liveRounds = 0;
tracker.tick = () => {
  if (surface.recording) phase = `the live loop, round ${++liveRounds}`;
  roundStartedAt = Date.now();
  roundStartCpu = process.cpuUsage();
  return tick();
};

/** Stores the card requests of these orders as `order watch` does before its first read, many rows per statement. */
async function seed(uuids: readonly string[]): Promise<void> {
  const CHUNK = 1000;
  for (let start = 0; start < uuids.length; start += CHUNK) {
    const runs = uuids.slice(start, start + CHUNK).map((uuid) => makeId('coc', 'run', uuid));
    await store.db.query(
      `INSERT INTO tracked_orders (run_id, backend, platform, workspace_id, channel_id)
       SELECT run_id, 'coc', 'shell', 'bench', 'ops' FROM unnest($1::text[]) AS run_id ON CONFLICT (run_id) DO NOTHING`,
      [runs],
    );
    await store.db.query(
      `INSERT INTO tracked_order_cards (run_id, platform, workspace_id, channel_id, thread_ref, locale)
       SELECT run_id, 'shell', 'bench', 'ops', '', 'en-US' FROM unnest($1::text[]) AS run_id ON CONFLICT DO NOTHING`,
      [runs],
    );
  }
}

let roundCpu = process.cpuUsage();
process.on('message', (command: ReplicaCommand) => {
  void (async () => {
    if (command.cmd === 'seed') {
      const started = performance.now();
      await seed(command.uuids);
      send({ kind: 'seeded', ms: performance.now() - started });
    } else if (command.cmd === 'rounds') {
      const rounds = [];
      // BENCH_ALLOC_PROFILE=<file>: what the idle rounds allocate (bench/alloc-profile.ts), the first round left out.
      const endProfile = command.count > 1 ? await startAllocationProfile(process.env['BENCH_ALLOC_PROFILE']) : undefined;
      for (let r = 0; r < command.count; r++) {
        phase = `${command.count === 1 ? 'the first' : 'an idle'} round`;
        const cpu = process.cpuUsage();
        const started = performance.now();
        const polled = await tracker.tick();
        const used = process.cpuUsage(cpu);
        rounds.push({ polled, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started });
      }
      await endProfile?.();
      // BENCH_TRACKER_HEAPSNAPSHOT=<file>: the heap after the idle rounds (writing it adds its own memory to the peak).
      const snapshotFile = process.env['BENCH_TRACKER_HEAPSNAPSHOT'];
      if (snapshotFile && command.count > 1) writeHeapSnapshot(snapshotFile);
      if (memoryWatch) {
        const m = process.memoryUsage();
        process.stderr.write(`replica memory after ${command.count} round(s): rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, array buffers ${mb(m.arrayBuffers)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
      }
      send({ kind: 'rounds', rounds, posts: surface.posts, edits: surface.edits });
    } else if (command.cmd === 'live') {
      polledPerRound.length = 0;
      surface.recording = true;
      roundCpu = process.cpuUsage();
      phase = 'the live loop';
      tracker.task.start();
    } else {
      const maxRssBeforeStop = Math.round(process.resourceUsage().maxRSS / 1024);
      phase = 'stopping';
      await tracker.task.stop();
      surface.recording = false;
      if (memoryWatch) process.stderr.write(`replica peak memory: ${peak.text}; peak before stopping ${maxRssBeforeStop} MB, after ${Math.round(process.resourceUsage().maxRSS / 1024)} MB, rss now ${mb(process.memoryUsage.rss())} MB\n`);
      const used = process.cpuUsage(roundCpu);
      const rounds = polledPerRound.filter(([, , n]) => n > 0).length;
      await sendWritten({
        kind: 'stopped',
        edits: surface.editTimes,
        polledPerRound: polledPerRound.slice(0, -1), // the last one is stop()'s zero
        listPages,
        polledOrders: [...polledOrders].map(([id, [first, last]]) => [id, first, last] as const),
        cpuMsPerRound: rounds > 0 ? [(used.user + used.system) / 1000 / rounds] : [],
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        heapUsedMb: mb(process.memoryUsage().heapUsed),
        unexpected: tracker.stats.unexpected,
        cocFailures: tracker.stats.cocFailures,
      });
      await coc.close();
      await store.close();
      process.disconnect();
    }
  })().catch((error: unknown) => {
    process.stderr.write(`tracker replica: ${String(error)}\n`);
    process.exit(1);
  });
});
send({ kind: 'ready', rssAtStartMb: mb(rssAtStart), rssWithStoreMb: mb(rssWithStore) });
