/**
 * Connects the deployment's one backend: Huawei Cloud COC or Tencent BlueKing, each the real
 * platform when configured and otherwise its built-in simulator started in this process. What
 * the rest of the bot needs is the same for both: whose rights a call acts with (sessions), a
 * cheap probe for readiness, a printable description and a close.
 */
import { dirname, join, relative, resolve } from 'node:path';
import type { BackendHooks, BackendName, BackendSessions } from '../backends/index.js';
import { connectCoc, described, type ConnectedCoc } from '../backends/coc/connect.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import { CONNECTED_TEXTS as C } from '../i18n/catalogues/connected.js';
import type { BluekingSettings, RiskRule } from '../backends/blueking/settings.js';
import { bluekingConnection, bluekingSettingsFrom, cocConnection, Secret, type Config } from '../config.js';
import type { BluekingSimulator } from '../sim/blueking/server.js';
import { IN_MEMORY_DATA_DIR } from '../store/in-memory.js';

interface Connected {
  readonly kind: BackendName;
  /** The platform's name in logs and readiness: `COC`, `BlueKing`. */
  readonly platform: string;
  /** The platform as the bot and as each person. */
  readonly sessions: BackendSessions;
  /** Where calls go, safe to print (English, for logs). */
  readonly description: string;
  /** The same, in the reader's words (the first screen). */
  readonly describedAs: Phrase;
  /** The built-in simulator keeping its world in a file: "restored from …" or "a fresh world (…)", for the first screen. */
  readonly simulatorNote?: Phrase;
  /** True when the built-in simulator answers: the terminal then offers its demo people. */
  readonly simulated: boolean;
  /** One cheap read with the bot's rights, for readiness; its outcome reaches the hooks' `onCall`. */
  probe(): Promise<unknown>;
  close(): Promise<void>;
}

export interface ConnectedCocBackend extends Connected, Omit<ConnectedCoc, keyof Connected> {
  readonly kind: 'coc';
}

export interface ConnectedBluekingBackend extends Connected {
  readonly kind: 'blueking';
  readonly settings: BluekingSettings;
  /** Set when the built-in simulator answers instead of BlueKing. */
  readonly simulator?: BluekingSimulator;
}

export type ConnectedBackend = ConnectedCocBackend | ConnectedBluekingBackend;

/** The built-in simulator's world file, beside the PGlite folder. */
const SIMULATOR_WORLD_FILE = 'simulator-world.json';
/** How often the embedded BlueKing simulator moves jobs and tasks along when the config does not say. */
const DEFAULT_SIM_TICK_MS = 1000;
/** Readiness asks at most this long: a probe is a question, not a wait. */
const PROBE_TIMEOUT_MS = 3_000;
/** The simulator's user the bot's own reads act as (BK_SIM_USERS names it; people are the others). */
const SIM_SERVICE_USER = 'chatops-bot';

/**
 * The simulator's scripts by risk, so that a newcomer sees every path at once: LOW runs start,
 * MEDIUM ones ask once more, HIGH ones (rotate_password, and anything unmatched) wait for approval.
 * Used only when the configuration gives no rules of its own.
 */
const SIM_DEMO_RISK_RULES: readonly RiskRule[] = [
  { namePattern: 'check_*', risk: 'low' },
  { namePattern: 'collect_logs', risk: 'low' },
  { namePattern: 'fail_always', risk: 'low' },
  { namePattern: 'uptime', risk: 'low' },
  { namePattern: 'ping_check', risk: 'low' },
  { namePattern: 'pay_health', risk: 'low' },
  { namePattern: 'clear_tmp', risk: 'medium' },
  { namePattern: 'restart_*', risk: 'medium' },
  { namePattern: 'win_services', risk: 'medium' },
  { namePattern: 'rotate_password', risk: 'high', sensitiveArgs: true },
];

/**
 * Where the built-in simulator keeps its world for a store in `dataDir` (beside the PGlite
 * folder: `data/simulator-world.json` for `data/pglite`); undefined for a store kept in memory.
 */
export function simulatorWorldFileFor(dataDir: string | undefined): string | undefined {
  return dataDir === undefined || dataDir === IN_MEMORY_DATA_DIR ? undefined : join(dirname(resolve(dataDir)), SIMULATOR_WORLD_FILE);
}

export interface ConnectBackendOptions {
  /** The built-in COC simulator keeps its world in this file (see `simulatorWorldFileFor`); unset: in memory only. */
  readonly simulatorWorldFile?: string;
}

export async function connectBackend(config: Config, hooks: BackendHooks = {}, options: ConnectBackendOptions = {}): Promise<ConnectedBackend> {
  if (config.backend === 'blueking') return connectBluekingBackend(config, hooks);
  const file = options.simulatorWorldFile;
  const shown = file === undefined ? undefined : relative(process.cwd(), file);
  const coc = await connectCoc(config, hooks, file === undefined ? {} : { simulatorWorldFile: file, simulatorWorldFileShown: shown && !shown.startsWith('..') ? shown : file });
  return { ...coc, kind: 'coc', platform: 'COC', simulated: cocConnection(config).kind === 'simulator', probe: coc.probe, close: coc.close };
}

async function connectBluekingBackend(config: Config, hooks: BackendHooks): Promise<ConnectedBluekingBackend> {
  // Loaded here, not at the top: a deployment on COC then never compiles the BlueKing client or its simulator.
  const { connectBlueking } = await import('../backends/blueking/connect.js');
  const connection = bluekingConnection(config);
  if (connection.kind === 'blueking') {
    const settings = bluekingSettingsFrom(config);
    const sessions = connectBlueking({
      endpoint: connection.endpoint,
      appCode: connection.appCode,
      appSecret: connection.appSecret,
      timeoutMs: connection.timeoutMs,
      serviceUser: connection.serviceUser,
      settings,
      hooks,
    });
    return {
      kind: 'blueking',
      platform: 'BlueKing',
      settings,
      sessions,
      simulated: false,
      ...described(phrase(C.blueking, { endpoint: connection.endpoint, app: connection.appCode, user: connection.serviceUser, biz: settings.defaultBiz })),
      probe: probeOf(sessions),
      close: () => sessions.close(),
    };
  }
  const { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, BK_SIM_BIZ_ID, BK_SIM_USERS, startBluekingSimulator } = await import('../sim/blueking/server.js');
  const { BK_SIM_APPROVAL_SERVICE_ID } = await import('../sim/blueking/defaults.js');
  if (!BK_SIM_USERS.includes(SIM_SERVICE_USER)) throw new Error(`the BlueKing simulator does not know its service user ${SIM_SERVICE_USER}`);
  const { port, seed, tickMs } = connection.sim;
  const simulator = await startBluekingSimulator({
    ...(port !== undefined ? { port } : {}),
    ...(seed !== undefined ? { seed } : {}),
    tickMs: tickMs ?? DEFAULT_SIM_TICK_MS,
  });
  try {
    const settings = bluekingSettingsFrom(config, {
      url: simulator.url,
      bizId: BK_SIM_BIZ_ID,
      itsmServiceId: BK_SIM_APPROVAL_SERVICE_ID,
      riskRules: SIM_DEMO_RISK_RULES,
    });
    const sessions = connectBlueking({
      endpoint: simulator.url,
      appCode: BK_SIM_APP_CODE,
      // The simulator knows only its own application; a configured one belongs to a real BlueKing.
      appSecret: new Secret(BK_SIM_APP_SECRET),
      timeoutMs: connection.timeoutMs,
      serviceUser: SIM_SERVICE_USER,
      settings,
      hooks,
    });
    return {
      kind: 'blueking',
      platform: 'BlueKing',
      settings,
      sessions,
      simulator,
      simulated: true,
      ...described(phrase(C.bluekingSimulator, { url: simulator.url, seed: simulator.world.seed, biz: settings.defaultBiz })),
      probe: probeOf(sessions),
      async close() {
        await sessions.close();
        await simulator.close();
      },
    };
  } catch (error) {
    await simulator.close();
    throw error;
  }
}

/** The bot's rights reading one script: cheap, and it crosses the whole path (ESB, app auth, user). */
function probeOf(sessions: BackendSessions): () => Promise<unknown> {
  return async () => {
    const scripts = sessions.botBackend.scripts;
    if (!scripts) throw new Error('the BlueKing backend has no scripts to probe with');
    return scripts.list({ limit: 1 }, { timeoutMs: PROBE_TIMEOUT_MS });
  };
}
