/**
 * Assembles the bot from its configuration: store, COC (real or simulated), identity,
 * policy, audit, the command registry and the dispatcher. Adapters get the dispatcher and
 * register their chat surface; then `start()` starts the background work.
 */
import { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config.js';
import { cocConnection, storeOptionsFrom } from '../config.js';
import type { ChatSurfaces } from '../core/chat-surface.js';
import type { Services } from '../core/command.js';
import type { Dispatcher } from '../core/dispatcher.js';
import { DEMO_MAPPINGS } from '../identity/demo.js';
import { openStore, type Store } from '../store/index.js';
import { assembleCore } from './assemble.js';
import type { BackgroundTasks } from './background.js';
import { connectCoc, type ConnectedCoc } from './coc-connection.js';

export interface Bot {
  readonly dispatcher: Dispatcher;
  readonly services: Services;
  readonly store: Store;
  readonly connected: ConnectedCoc;
  readonly chat: ChatSurfaces;
  readonly background: BackgroundTasks;
  /** True when the terminal's demo people (alice, bob, carol, dave) are in use. */
  readonly demoIdentities: boolean;
  /** Starts the background work (order tracking, expiry, incident watching); call after registering surfaces. */
  start(): void;
  close(): Promise<void>;
}

export interface BotOptions {
  readonly cwd?: string;
  readonly onUnexpected?: (error: unknown) => void;
  readonly now?: () => Date;
}

export async function startBot(config: Config, options: BotOptions = {}): Promise<Bot> {
  const store = await openStore(storeOptionsFrom(config, options.cwd));
  let connected: ConnectedCoc | undefined;
  try {
    const audit = new AuditLog(store.db);
    connected = await connectCoc(config, audit.observeCocCall);
    const core = assembleCore({
      config,
      db: store.db,
      coc: connected.coc,
      audit,
      ...(connected.integrationKey ? { integrationKey: connected.integrationKey } : {}),
      userClients: connected.userClients,
      ...(options.now ? { now: options.now } : {}),
      ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
    });
    // With the simulator and nobody configured, the terminal gets demo people so that a
    // newcomer can request as one and approve as another at once.
    const demoIdentities = cocConnection(config).kind === 'simulator' && config.identity.mappings.length === 0;
    await core.services.identities.syncFromConfig(demoIdentities ? DEMO_MAPPINGS : config.identity.mappings);
    const coc = connected;
    return {
      dispatcher: core.dispatcher,
      services: core.services,
      store,
      connected: coc,
      chat: core.chat,
      background: core.background,
      demoIdentities,
      start: () => core.background.start(),
      async close() {
        await core.background.stop();
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
