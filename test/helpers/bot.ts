/**
 * A whole bot around a fresh simulator and an in-memory store, for tests that drive the real
 * Dispatcher: `run('alice', 'scripts')` and `click('bob', 'order:cancel', uuid)` return the
 * reply rendered as plain terminal text; `handle` returns the Message itself.
 */
import { AuditLog } from '../../src/audit/audit-log.js';
import { CocClient } from '../../src/coc/client.js';
import { loadConfig, Secret, type Config, type IdentityMappingConfig } from '../../src/config.js';
import { ACTIONS, COMMANDS } from '../../src/app/commands.js';
import type { Services } from '../../src/core/command.js';
import { Dispatcher } from '../../src/core/dispatcher.js';
import type { Invocation, Place } from '../../src/core/invocation.js';
import type { Message } from '../../src/core/message.js';
import { Registry } from '../../src/core/registry.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../../src/identity/demo.js';
import { IdentityService } from '../../src/identity/identity-service.js';
import type { Locale } from '../../src/i18n/translate.js';
import { Policy } from '../../src/policy/policy.js';
import { PLAIN } from '../../src/adapters/shell/ansi.js';
import { renderMessage } from '../../src/adapters/shell/render.js';
import { SHELL_PLACE } from '../../src/adapters/shell/session.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_INTEGRATION_KEY, SIM_DEFAULT_SK, startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/server.js';
import { openStore, type Store } from '../../src/store/index.js';

export interface TestBotOptions {
  readonly locale?: Locale;
  /** Default: the terminal demo people (alice operator, bob approver, carol viewer, dave admin). */
  readonly mappings?: readonly IdentityMappingConfig[];
  /** Overrides merged into the configuration (e.g. a policy). */
  readonly config?: Record<string, unknown>;
  readonly sim?: SimulatorOptions;
}

export interface TestBot {
  readonly dispatcher: Dispatcher;
  readonly services: Services;
  readonly sim: Simulator;
  readonly store: Store;
  readonly coc: CocClient;
  readonly config: Config;
  handle(invocation: Invocation): Promise<Message>;
  run(user: string, line: string, place?: Place): Promise<string>;
  click(user: string, actionId: string, value: string, place?: Place): Promise<string>;
  close(): Promise<void>;
}

export async function makeTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error(`test configuration is invalid: ${loaded.problems.map((p) => p.path).join(', ')}`);
  const config: Config = { ...loaded.config, ...(options.locale ? { locale: options.locale } : {}), ...(options.config ?? {}) } as Config;
  const sim = await startSimulator({ tickMs: 0, ...options.sim });
  const store = await openStore({ dataDir: 'memory://' });
  const audit = new AuditLog(store.db);
  const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, onCall: audit.observeCocCall });
  const identities = new IdentityService(store.db, config.locale);
  await identities.syncFromConfig(options.mappings ?? DEMO_MAPPINGS);
  const services: Services = { coc, identities, audit, policy: new Policy(config.policy), integrationKey: new Secret(SIM_DEFAULT_INTEGRATION_KEY) };
  const dispatcher = new Dispatcher(new Registry(COMMANDS, ACTIONS), services, (error) => {
    throw error instanceof Error ? error : new Error(String(error));
  }, config.locale);
  const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: SHELL_WORKSPACE, userId: user });
  const handle = (invocation: Invocation) => dispatcher.handle(invocation);
  return {
    dispatcher,
    services,
    sim,
    store,
    coc,
    config,
    handle,
    async run(user, line, place = SHELL_PLACE) {
      return renderMessage(await handle({ kind: 'command', actor: actor(user), place, text: line }), PLAIN);
    },
    async click(user, actionId, value, place = SHELL_PLACE) {
      return renderMessage(await handle({ kind: 'action', actor: actor(user), place, actionId, value }), PLAIN);
    },
    async close() {
      await coc.close();
      await store.close();
      await sim.close();
    },
  };
}
