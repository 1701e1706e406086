/**
 * Builds the COC client the configuration asks for: the real COC with AK/SK or an IAM
 * token, or — with nothing configured — the built-in simulator started in this process.
 */
import { CocClient } from '../coc/client.js';
import type { CocAuth } from '../coc/auth/credentials.js';
import type { CocCallEvent } from '../coc/http.js';
import type { BeforeWrite } from '../coc/write-intent.js';
import { cocConnection, Secret, type Config } from '../config.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_INTEGRATION_KEY, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../sim/server.js';
import { loginDefaultsFor, UserCocClients } from '../identity/user-credentials.js';

export interface ConnectedCoc {
  readonly coc: CocClient;
  /** Set when the built-in simulator answers instead of COC. */
  readonly simulator?: Simulator;
  /** Where COC calls go, safe to print. */
  readonly description: string;
  /** The custom-event integration key `alarm` uses: the configured one, or the simulator's. */
  readonly integrationKey?: Secret;
  /** Clients acting with people's own credentials (mappings with a credentialRef). */
  readonly userClients: UserCocClients;
  close(): Promise<void>;
}

/** How often the embedded simulator moves orders along when the config does not say. */
const DEFAULT_SIM_TICK_MS = 1000;

/** What every COC client built here is given: the calls' observer, and the audit trail's write intents. */
export interface CocHooks {
  readonly onCall?: (event: CocCallEvent) => void;
  /** Awaited before each write is sent (the bot's and people's own clients alike): no write goes unrecorded. */
  readonly beforeWrite?: BeforeWrite;
}

export async function connectCoc(config: Config, hooks: CocHooks = {}): Promise<ConnectedCoc> {
  const connection = cocConnection(config);
  const { onCall, beforeWrite } = hooks;
  const observed = { ...(onCall ? { onCall } : {}), ...(beforeWrite ? { beforeWrite } : {}) };
  if (connection.kind === 'simulator') {
    const { port, seed, tickMs } = connection.sim;
    const simulator = await startSimulator({
      ...(port !== undefined ? { port } : {}),
      ...(seed !== undefined ? { seed } : {}),
      tickMs: tickMs ?? DEFAULT_SIM_TICK_MS,
    });
    const coc = new CocClient({ endpoint: simulator.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, language: connection.language, ...observed });
    const userClients = new UserCocClients(
      coc,
      (auth) => new CocClient({ endpoint: simulator.url, auth, language: connection.language, ...observed }),
      loginDefaultsFor(connection, simulator.url, config.coc.region),
    );
    return {
      coc,
      simulator,
      description: `the built-in COC simulator at ${simulator.url} (seed ${simulator.world.seed})`,
      // The simulator knows only its own key; a configured key belongs to the real COC.
      integrationKey: new Secret(SIM_DEFAULT_INTEGRATION_KEY),
      userClients,
      async close() {
        await userClients.close();
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
  const userClients = new UserCocClients(
    coc,
    (userAuth) => new CocClient({ endpoint: connection.endpoint, auth: userAuth, timeoutMs: connection.timeoutMs, language: connection.language, ...observed }),
    loginDefaultsFor(connection, connection.endpoint, connection.region),
  );
  return {
    coc,
    description: `COC at ${connection.endpoint} (${connection.auth.method === 'aksk' ? 'AK/SK signing' : `IAM token of ${connection.auth.user}`})`,
    ...(config.coc.integrationKey ? { integrationKey: config.coc.integrationKey } : {}),
    userClients,
    async close() {
      await userClients.close();
      await coc.close();
    },
  };
}
