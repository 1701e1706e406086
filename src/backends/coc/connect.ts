/**
 * Builds the COC client the configuration asks for: the real COC with AK/SK or an IAM
 * token, or — with nothing configured — the built-in simulator started in this process.
 * Its backend, and every person's own (sessions.ts), report to the same neutral hooks.
 */
import { CocClient } from '../../coc/client.js';
import type { CocAuth } from '../../coc/auth/credentials.js';
import { cocConnection, Secret, type Config } from '../../config.js';
import type { Simulator } from '../../sim/server.js';
import type { Backend } from '../backend.js';
import { cocHooks, type BackendHooks } from './hooks.js';
import { phrase, sayInEnglish, type Phrase } from '../../i18n/phrase.js';
import { CONNECTED_TEXTS as C } from '../../i18n/catalogues/connected.js';
import { CocSessions, loginDefaultsFor } from './sessions.js';

export interface ConnectedCoc {
  readonly coc: CocClient;
  /** COC with the bot's own rights. */
  readonly backend: Backend;
  /** Set when the built-in simulator answers instead of COC. */
  readonly simulator?: Simulator;
  /** Where COC calls go, safe to print (English, for logs). */
  readonly description: string;
  /** The same, in the reader's words (the first screen). */
  readonly describedAs: Phrase;
  /** The built-in simulator keeping its world in a file: whether it was restored or is fresh, for the first screen. */
  readonly simulatorNote?: Phrase;
  /** The custom-event integration key `alarm` uses: the configured one, or the simulator's. */
  readonly integrationKey?: Secret;
  /** COC as each person (mappings with a credentialRef act with their own credential). */
  readonly sessions: CocSessions;
  /** One cheap read with the bot's rights, for readiness; its outcome reaches the hooks' `onCall`. */
  probe(): Promise<unknown>;
  close(): Promise<void>;
}

/** How often the embedded simulator moves orders along when the config does not say. */
const DEFAULT_SIM_TICK_MS = 1000;
/** Readiness asks at most this long: a probe is a question, not a wait. */
const PROBE_TIMEOUT_MS = 3_000;

const probeOf = (coc: CocClient) => () => coc.listScripts({ limit: 1 }, { timeoutMs: PROBE_TIMEOUT_MS });

export interface ConnectCocOptions {
  /** The built-in simulator keeps its world in this file (restored at start); unset: in memory only. */
  readonly simulatorWorldFile?: string;
  /** How the file is named on the first screen (relative to the working directory, say); default the path. */
  readonly simulatorWorldFileShown?: string;
}

/** What the first screen says of the simulator's world: restored from its file, or fresh and why. */
function worldNote(simulator: Simulator, shown: string | undefined): Phrase | undefined {
  const origin = simulator.origin;
  if (!origin) return undefined;
  const where = shown ?? origin.path;
  if (origin.kind === 'restored') return phrase(C.worldRestored, { where, orders: origin.orders });
  if (origin.keptAside !== undefined) return phrase(C.worldFreshAside, { reason: origin.reason, aside: where + origin.keptAside.slice(origin.path.length), where });
  return origin.reason === 'no saved world yet' ? phrase(C.worldFreshKept, { where }) : phrase(C.worldFresh, { reason: origin.reason });
}

/** Where calls go: in English for logs, and as a phrase for the reader. */
export function described(describedAs: Phrase): { readonly description: string; readonly describedAs: Phrase } {
  return { description: sayInEnglish(describedAs), describedAs };
}

export async function connectCoc(config: Config, hooks: BackendHooks = {}, options: ConnectCocOptions = {}): Promise<ConnectedCoc> {
  const connection = cocConnection(config);
  const observed = cocHooks(hooks);
  if (connection.kind === 'simulator') {
    const { port, seed, tickMs } = connection.sim;
    // Loaded only when it answers instead of COC: a bot connected to COC never evaluates the
    // simulator's routes, world and schemas (~0.05 s of a start's one thread).
    const { SIM_DEFAULT_AK, SIM_DEFAULT_INTEGRATION_KEY, SIM_DEFAULT_SK, startSimulator } = await import('../../sim/server.js');
    const simulator = await startSimulator({
      ...(port !== undefined ? { port } : {}),
      ...(seed !== undefined ? { seed } : {}),
      tickMs: tickMs ?? DEFAULT_SIM_TICK_MS,
      ...(options.simulatorWorldFile !== undefined ? { worldFile: options.simulatorWorldFile } : {}),
    });
    const coc = new CocClient({ endpoint: simulator.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, language: connection.language, ...observed });
    // The simulator knows only its own key; a configured key belongs to the real COC.
    const integrationKey = new Secret(SIM_DEFAULT_INTEGRATION_KEY);
    const sessions = new CocSessions(
      coc,
      {
        create: (auth) => new CocClient({ endpoint: simulator.url, auth, language: connection.language, ...observed }),
        defaults: loginDefaultsFor(connection, simulator.url, config.coc.region),
      },
      { integrationKey },
    );
    return {
      coc,
      backend: sessions.botBackend,
      simulator,
      ...described(phrase(C.cocSimulator, { url: simulator.url, seed: simulator.world.seed })),
      ...(simulator.origin ? { simulatorNote: worldNote(simulator, options.simulatorWorldFileShown)! } : {}),
      integrationKey,
      sessions,
      probe: probeOf(coc),
      async close() {
        await sessions.close();
        await coc.close();
        await simulator.close();
      },
    };
  }
  const auth: CocAuth =
    connection.auth.method === 'aksk'
      ? {
          kind: 'aksk',
          ak: connection.auth.ak.reveal(),
          sk: connection.auth.sk.reveal(),
          projectId: connection.auth.projectId,
          ...(connection.auth.securityToken ? { securityToken: connection.auth.securityToken.reveal() } : {}),
        }
      : {
          kind: 'token',
          iamEndpoint: connection.auth.iamEndpoint,
          domain: connection.auth.domain,
          user: connection.auth.user,
          password: connection.auth.password.reveal(),
          project: connection.auth.project,
        };
  const coc = new CocClient({ endpoint: connection.endpoint, auth, timeoutMs: connection.timeoutMs, language: connection.language, ...observed });
  const sessions = new CocSessions(
    coc,
    {
      create: (userAuth) => new CocClient({ endpoint: connection.endpoint, auth: userAuth, timeoutMs: connection.timeoutMs, language: connection.language, ...observed }),
      defaults: loginDefaultsFor(connection, connection.endpoint, connection.region),
    },
    config.coc.integrationKey ? { integrationKey: config.coc.integrationKey } : {},
  );
  return {
    coc,
    backend: sessions.botBackend,
    ...described(phrase(C.coc, { endpoint: connection.endpoint, auth: connection.auth.method === 'aksk' ? phrase(C.akskSigning) : phrase(C.iamToken, { user: connection.auth.user }) })),
    ...(config.coc.integrationKey ? { integrationKey: config.coc.integrationKey } : {}),
    sessions,
    probe: probeOf(coc),
    async close() {
      await sessions.close();
      await coc.close();
    },
  };
}
