/**
 * Assembles the bot from its configuration: store, the backend (COC or BlueKing, real or
 * simulated), identity, policy, audit, the command registry and the dispatcher. Adapters get the
 * dispatcher and register their chat surface; then `start()` starts the background work.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config.js';
import { storeOptionsFrom } from '../config.js';
import type { ChatSurfaces } from '../core/chat-surface.js';
import type { Services } from '../core/command.js';
import type { Dispatcher } from '../core/dispatcher.js';
import { startingPeople, type StartingPeople } from '../identity/demo.js';
import { backendCallLogger, createOps, listenOps, observeAll, startedCheck, storeCheck, type CreateOpsOptions } from '../ops/bot-ops.js';
import { BackendReachability } from '../ops/backend-reachability.js';
import type { Readiness } from '../ops/readiness.js';
import type { OpsServer } from '../ops/server.js';
import { openStore, type Store } from '../store/index.js';
import { forgetPgliteWasm } from '../store/pglite-artifacts.js';
import { assembleCore } from './assemble.js';
import { keyFileFor } from '../run/sealing-key.js';
import type { BackgroundTasks } from './background.js';
import { JOB_DONE_PATH, jobDoneInbox, type ValueSealer } from '../batches/index.js';
import { withBotBatchSessions } from './bot-batch-sessions.js';
import { connectBackend, simulatorWorldFileFor, type ConnectedBackend } from './connect-backend.js';
import { startFirstRoundsSoon, type FirstRounds } from './first-rounds.js';

/** The latest the background work's first rounds start after the bot's start (see first-rounds.ts). */
const FIRST_ROUNDS_LATEST_MS = 500;

export interface Bot {
  readonly dispatcher: Dispatcher;
  readonly services: Services;
  readonly store: Store;
  readonly connected: ConnectedBackend;
  readonly chat: ChatSurfaces;
  readonly background: BackgroundTasks;
  /** True when the terminal's demo people (alice, bob, carol, dave) are in use. */
  readonly demoIdentities: boolean;
  /** Who the bot knows from the start, and whether the demo people are among them. */
  readonly people: StartingPeople;
  /** What /readyz checks: store, the backend (coc or blueking), started; adapters add theirs (`readiness.add({ name: 'slack', check })`). */
  readonly readiness: Readiness;
  /** The /metrics, /healthz, /readyz server, when configured and its port was free. */
  readonly opsServer?: OpsServer;
  /** Starts the background work (order tracking, expiry, incident watching); call after registering surfaces. */
  start(): void;
  close(): Promise<void>;
}

export interface BotOptions {
  readonly cwd?: string;
  readonly onUnexpected?: (error: unknown) => void;
  readonly now?: () => Date;
  /** Where log lines go; default stderr. */
  readonly logDestination?: CreateOpsOptions['logDestination'];
  /**
   * An open store to use instead of opening the configured one (a test's in-memory store made
   * from an already migrated database, instead of running initdb and every migration); the bot
   * closes it when it stops.
   */
  readonly store?: Store;
}

export async function startBot(config: Config, options: BotOptions = {}): Promise<Bot> {
  const ops = createOps(config, options.logDestination ? { logDestination: options.logDestination } : {});
  const { log, metrics, readiness } = ops;
  const onUnexpected = (error: unknown): void => {
    log.error({ err: error }, 'unexpected error');
    options.onUnexpected?.(error);
  };
  // The ops server comes up first, so /healthz answers while the store opens and migrates.
  const opsServer = await listenOps(config, ops);
  let store: Store | undefined;
  let connected: ConnectedBackend | undefined;
  const platform = config.backend === 'blueking' ? 'BlueKing' : 'COC';
  try {
    const storeOptions = storeOptionsFrom(config, options.cwd);
    store = options.store ?? (await openStore({ ...storeOptions, onBackgroundError: (error) => log.warn({ err: error }, 'database connection dropped; reconnecting') }));
    readiness.add(storeCheck(store.db, store.migrations));
    // A start compiles the embedded store's WebAssembly ahead (src/main.ts) unless told of PostgreSQL
    // by the environment; a database URL from the configuration file is only known now.
    if (store.db.kind !== 'pglite') forgetPgliteWasm();
    const audit = new AuditLog(
      store.db,
      (error) => log.warn({ err: error }, `the outcome of a ${platform} write could not be recorded; the sweep will mark it unknown`),
      (error) => log.warn({ err: error }, `the audit rows of answered ${platform} reads could not be written`),
    );
    let probe: (() => Promise<unknown>) | undefined;
    const clock = options.now;
    const reachability = new BackendReachability({
      name: config.backend,
      platform,
      probe: async () => probe?.(),
      ...(clock ? { now: () => clock().getTime() } : {}),
    });
    const simulatorWorldFile = simulatorWorldFileFor(storeOptions.dataDir);
    connected = await connectBackend(
      config,
      {
        onCall: observeAll(audit.observeCall, metrics.observeCall, reachability.observe, backendCallLogger(log, platform)),
        // Every write is in the audit trail before it is sent, so one cut short by a crash is not lost.
        beforeWrite: audit.beforeWrite,
      },
      // The built-in simulator keeps its world beside an embedded store on disk, so a restart keeps the orders its cards show.
      simulatorWorldFile ? { simulatorWorldFile } : {},
    );
    probe = connected.probe;
    readiness.add(reachability);
    // With the ops endpoints up, the backend is asked now, while the rest of the bot is assembled:
    // the first /readyz then finds its answer instead of sending a probe and waiting for it.
    if (opsServer) void reachability.check();
    let started = false;
    let stopping = false;
    let firstRounds: FirstRounds | undefined;
    readiness.add(
      startedCheck(() => {
        firstRounds?.askedIfReady();
        return started && !stopping;
      }),
    );
    // The services' sealer exists once the core does; a batch needs it only when it is sent, later.
    let sealer: ValueSealer | undefined;
    const sealerOfCore: ValueSealer = {
      seal: (values) => coreSealer(sealer).seal(values),
      unseal: (sealed) => coreSealer(sealer).unseal(sealed),
    };
    const now = options.now ?? (() => new Date());
    const sessions = withBotBatchSessions(connected.sessions, {
      db: store.db,
      now,
      replicaId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      ...(config.backend === 'blueking' && config.blueking.callbackBaseUrl ? { callbackBaseUrl: config.blueking.callbackBaseUrl } : {}),
      audit,
      sealer: sealerOfCore,
      // Longer than one start can take to be answered: a batch 'sending' longer than this is 'unknown'.
      requestTimeoutMs: Math.max(60_000, 2 * config.blueking.timeoutMs),
      log,
    });
    const core = assembleCore({
      config,
      db: store.db,
      audit,
      sessions,
      ...(options.now ? { now: options.now } : {}),
      // An embedded store on disk keeps its sealing key beside it, so pending approvals survive a restart.
      ...(storeOptions.dataDir && !config.store.secretKey ? { sealingKeyFile: keyFileFor(storeOptions.dataDir) } : {}),
      onUnexpected,
      metrics,
      log,
    });
    sealer = core.services.sealer;
    // Job calls back at the end of each batch, to the ops endpoints: a batch whose answer was lost is recognised by it.
    const executions = connected.sessions.botBackend.executions;
    if (config.backend === 'blueking' && config.blueking.callbackBaseUrl && executions) {
      if (opsServer) {
        opsServer.setJobDone(jobDoneInbox({ db: store.db, executions, now }));
        log.info({ url: opsServer.url, path: JOB_DONE_PATH }, 'taking BlueKing Job callbacks');
      } else {
        log.warn({ callbackBaseUrl: config.blueking.callbackBaseUrl }, 'blueking.callbackBaseUrl is set but the ops endpoints are not listening: callbacks have nowhere to land');
      }
    }
    // With the simulator and nobody configured for the terminal, it gets demo people so that a
    // newcomer can request as one and approve as another at once.
    // The demo people's user names are the simulators' own users (COC's IAM and BlueKing's bk_login alike).
    const people = startingPeople(config.identity.mappings, connected.simulated);
    const demoIdentities = people.demo;
    await core.services.identities.syncFromConfig(people.mappings);
    const backend = connected;
    const opened = store;
    log.info({ store: opened.db.description, backend: backend.kind, [backend.kind]: backend.description, migrations: opened.migrations.applied.length }, 'coc-chatops assembled');
    return {
      dispatcher: core.dispatcher,
      services: core.services,
      store: opened,
      connected: backend,
      chat: core.chat,
      background: core.background,
      demoIdentities,
      people,
      readiness,
      ...(opsServer ? { opsServer } : {}),
      start: () => {
        firstRounds ??= startFirstRoundsSoon(() => core.background.start(), FIRST_ROUNDS_LATEST_MS);
        started = true;
        log.info('coc-chatops started');
      },
      async close() {
        // Not ready first, so a load balancer stops sending while the rest shuts down.
        stopping = true;
        firstRounds?.cancel();
        await core.background.stop();
        await backend.close();
        await opened.close();
        await opsServer?.close();
        log.info('coc-chatops stopped');
      },
    };
  } catch (error) {
    log.error({ err: error }, 'coc-chatops could not start');
    await connected?.close();
    await store?.close();
    await opsServer?.close();
    throw error;
  }
}

function coreSealer(sealer: ValueSealer | undefined): ValueSealer {
  if (!sealer) throw new Error('a batch was sealed before the bot was assembled');
  return sealer;
}
