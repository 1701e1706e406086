/**
 * A whole bot around a fresh simulator and an in-memory store, for tests that drive the real
 * Dispatcher: `run('alice', 'scripts')` and `click('bob', 'order:cancel', uuid)` return the
 * reply rendered as plain terminal text; `handle` returns the Message itself.
 */
import { existsSync } from 'node:fs';
import { AuditLog } from '../../src/audit/audit-log.js';
import { CocClient, type CocClientOptions } from '../../src/coc/client.js';
import { loadConfig, Secret, type Config, type IdentityMappingConfig } from '../../src/config.js';
import { assembleCore, type Core } from '../../src/app/assemble.js';
import type { Services } from '../../src/core/command.js';
import type { Dispatcher } from '../../src/core/dispatcher.js';
import type { Invocation, Place } from '../../src/core/invocation.js';
import type { Message } from '../../src/core/message.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../../src/identity/demo.js';
import type { Locale } from '../../src/i18n/translate.js';
import { RecordingSurface } from './recording-surface.js';
import { freshMemoryStore } from './memory-store.js';
import { CocSessions } from '../../src/backends/coc/sessions.js';
import { cocHooks } from '../../src/backends/coc/hooks.js';
import { SIM_DOMAIN_NAME } from '../../src/sim/defaults.js';
import { PLAIN } from '../../src/adapters/shell/ansi.js';
import { renderMessage } from '../../src/adapters/shell/render.js';
import { SHELL_PLACE } from '../../src/adapters/shell/session.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_INTEGRATION_KEY, SIM_DEFAULT_SK, startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/server.js';
import { IN_MEMORY_DATA_DIR, openStore, type Store, type StoreOptions } from '../../src/store/index.js';
import { seedMigratedDataDir } from './data-dir.js';
import { keyFileFor } from '../../src/run/sealing-key.js';
import { hangExpiry, HANG_ONLY_TIMEOUT_MS } from './hang-expiry.js';

export interface TestBotOptions {
  readonly locale?: Locale;
  /** Default: the terminal demo people (alice operator, bob approver, carol viewer, dave admin). */
  readonly mappings?: readonly IdentityMappingConfig[];
  /** Overrides merged into the configuration (e.g. a policy). */
  readonly config?: Record<string, unknown>;
  readonly sim?: SimulatorOptions;
  /** Use this running simulator (shared with another bot, a second replica) instead of starting one; it is not closed. */
  readonly simulator?: Simulator;
  /**
   * Where the store lives; default a fresh in-memory PGlite. Two bots on one PostgreSQL schema
   * are two replicas. A PGlite data folder that does not exist yet starts as a copy of the
   * migrated template (what the first start would make of it, without initdb's seconds).
   */
  readonly store?: StoreOptions;
  /** A fake clock for the bot (the simulator keeps its own; see `sim.advanceClock`). */
  readonly now?: () => Date;
  /** COC client settings (e.g. short timeouts and few retries for fault tests). */
  readonly cocClient?: Pick<CocClientOptions, 'timeoutMs' | 'retry'>;
  /**
   * The COC clients' attempts end only when the simulator holds them in a hang, at once (see
   * helpers/hang-expiry.ts), never by a real timer: hang tests wait for nothing and a slow machine
   * never looks like a hanging COC. The time limit becomes HANG_ONLY_TIMEOUT_MS. `'when-told'`:
   * a held attempt ends when the test calls `expireHung()` (to see what the bot shows meanwhile).
   */
  readonly expireOnlyHangs?: boolean | 'when-told';
  /** Environment the people's own COC credentials are read from (COC_CREDENTIAL_<REF>_…). */
  readonly env?: NodeJS.ProcessEnv;
  /** Start the background tasks (order tracking, expiry, …) at once. Default false: tests drive them. */
  readonly startBackground?: boolean;
}

export interface TestBot {
  readonly dispatcher: Dispatcher;
  readonly services: Services;
  readonly sim: Simulator;
  readonly store: Store;
  readonly coc: CocClient;
  readonly config: Config;
  /** The assembled core: registry, background tasks, chat surfaces. */
  readonly core: Core;
  /** Everything the bot posted, edited or told people in the terminal's chat (platform "shell"). */
  readonly surface: RecordingSurface;
  handle(invocation: Invocation): Promise<Message>;
  run(user: string, line: string, place?: Place): Promise<string>;
  click(user: string, actionId: string, value: string, place?: Place): Promise<string>;
  /** With `expireOnlyHangs: 'when-told'`: ends the COC attempts the simulator holds in a hang now, as timed out; returns how many. */
  expireHung(): number;
  close(): Promise<void>;
}

/** Overrides merged section by section, so `{ approvals: { channel } }` keeps the section's other defaults. */
function mergeOverrides(base: unknown, overrides: unknown): unknown {
  const isPlain = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
  if (!isPlain(base) || !isPlain(overrides)) return overrides;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) merged[key] = key in base ? mergeOverrides(base[key], value) : value;
  return merged;
}

async function openStoreAt(options: StoreOptions): Promise<Store> {
  const { dataDir, databaseUrl } = options;
  if (!databaseUrl && dataDir && dataDir !== IN_MEMORY_DATA_DIR && !existsSync(dataDir)) await seedMigratedDataDir(dataDir);
  return openStore(options);
}

export async function makeTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error(`test configuration is invalid: ${loaded.problems.map((p) => p.path).join(', ')}`);
  const config = mergeOverrides(loaded.config, { ...(options.locale ? { locale: options.locale } : {}), ...(options.config ?? {}) }) as Config;
  const sim = options.simulator ?? (await startSimulator({ tickMs: 0, ...options.sim }));
  const store = options.store ? await openStoreAt(options.store) : await freshMemoryStore();
  const audit = new AuditLog(store.db);
  const audited = cocHooks({ onCall: audit.observeCall, beforeWrite: audit.beforeWrite });
  const hangs = options.expireOnlyHangs ? hangExpiry(sim, { atOnce: options.expireOnlyHangs === true }) : undefined;
  const clientOptions = { ...options.cocClient, ...(hangs ? { timeoutMs: HANG_ONLY_TIMEOUT_MS, expiry: hangs.expiry } : {}) };
  const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, ...audited, ...clientOptions });
  const integrationKey = new Secret(SIM_DEFAULT_INTEGRATION_KEY);
  const sessions = new CocSessions(
    coc,
    {
      create: (auth) => new CocClient({ endpoint: sim.url, auth, ...audited, ...clientOptions }),
      defaults: { iamEndpoint: sim.url, domain: SIM_DOMAIN_NAME, project: 'cn-north-4' },
      env: options.env ?? {},
    },
    { integrationKey },
  );
  const core = assembleCore({
    config,
    db: store.db,
    audit,
    sessions,
    ...(options.now ? { now: options.now } : {}),
    // As the real bot: an embedded store on disk keeps its sealing key beside it.
    ...(options.store?.dataDir && !config.store.secretKey ? { sealingKeyFile: keyFileFor(options.store.dataDir) } : {}),
    onUnexpected: (error) => {
      throw error instanceof Error ? error : new Error(String(error));
    },
  });
  const { services, dispatcher } = core;
  await services.identities.syncFromConfig(options.mappings ?? DEMO_MAPPINGS);
  const surface = new RecordingSurface('shell', () => (options.now ? options.now() : new Date()).getTime());
  core.chat.register(surface);
  if (options.startBackground) core.background.start();
  const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: SHELL_WORKSPACE, userId: user });
  const handle = (invocation: Invocation) => dispatcher.handle(invocation);
  return {
    dispatcher,
    services,
    sim,
    store,
    coc,
    config,
    core,
    surface,
    handle,
    async run(user, line, place = SHELL_PLACE) {
      return renderMessage(await handle({ kind: 'command', actor: actor(user), place, text: line }), PLAIN);
    },
    async click(user, actionId, value, place = SHELL_PLACE) {
      return renderMessage(await handle({ kind: 'action', actor: actor(user), place, actionId, value }), PLAIN);
    },
    expireHung: () => hangs?.expireHung() ?? 0,
    async close() {
      await core.background.stop();
      await sessions.close();
      await coc.close();
      await store.close();
      if (!options.simulator) await sim.close();
    },
  };
}
