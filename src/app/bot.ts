/**
 * Assembles the bot from its configuration: store, COC (real or simulated), identity,
 * policy, audit, the command registry and the dispatcher. Adapters get the dispatcher.
 */
import { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config.js';
import { cocConnection, storeOptionsFrom } from '../config.js';
import type { Services } from '../core/command.js';
import { Dispatcher } from '../core/dispatcher.js';
import { Registry } from '../core/registry.js';
import { DEMO_MAPPINGS } from '../identity/demo.js';
import { IdentityService } from '../identity/identity-service.js';
import { Policy } from '../policy/policy.js';
import { openStore, type Store } from '../store/index.js';
import { ACTIONS, COMMANDS } from './commands.js';
import { connectCoc, type ConnectedCoc } from './coc-connection.js';

export interface Bot {
  readonly dispatcher: Dispatcher;
  readonly services: Services;
  readonly store: Store;
  readonly connected: ConnectedCoc;
  /** True when the terminal's demo people (alice, bob, carol, dave) are in use. */
  readonly demoIdentities: boolean;
  close(): Promise<void>;
}

export interface BotOptions {
  readonly cwd?: string;
  readonly onUnexpected?: (error: unknown) => void;
}

export async function startBot(config: Config, options: BotOptions = {}): Promise<Bot> {
  const store = await openStore(storeOptionsFrom(config, options.cwd));
  let connected: ConnectedCoc | undefined;
  try {
    const audit = new AuditLog(store.db);
    connected = await connectCoc(config, audit.observeCocCall);
    const identities = new IdentityService(store.db, config.locale);
    // With the simulator and nobody configured, the terminal gets demo people so that a
    // newcomer can request as one and approve as another at once.
    const demoIdentities = cocConnection(config).kind === 'simulator' && config.identity.mappings.length === 0;
    await identities.syncFromConfig(demoIdentities ? DEMO_MAPPINGS : config.identity.mappings);
    const services: Services = {
      coc: connected.coc,
      identities,
      audit,
      policy: new Policy(config.policy),
      ...(connected.integrationKey ? { integrationKey: connected.integrationKey } : {}),
    };
    const dispatcher = new Dispatcher(new Registry(COMMANDS, ACTIONS), services, options.onUnexpected, config.locale);
    const coc = connected;
    return {
      dispatcher,
      services,
      store,
      connected: coc,
      demoIdentities,
      async close() {
        await coc.close();
        await store.close();
      },
    };
  } catch (error) {
    await connected?.close();
    await store.close();
    throw error;
  }
}
