/**
 * Starts Discord for a running core: the REST client (discord.js's queue, which honours
 * Discord's rate limits), the chat surface, the interaction handler, and either the gateway
 * connection or the HTTP interactions endpoint, as configured.
 *
 * The caller registers `surface` on the core's chat surfaces and then starts the background
 * work; `close()` stops taking interactions and waits for those in progress, up to a deadline,
 * then records those still running in the audit trail as cut short (outcome unknown).
 *
 * Interactions that can act are claimed in the store by their id before they run, so one runs
 * once however often it arrives and at whichever replica.
 */
import { REST } from 'discord.js';
import type { Config } from '../../config.js';
import type { Dispatcher } from '../../core/dispatcher.js';
import type { Registry } from '../../core/registry.js';
import type { Metrics } from '../../ops/metrics.js';
import { failed, passed, type Readiness } from '../../ops/readiness.js';
import { recordCutShort } from '../../audit/cut-short.js';
import type { Db } from '../../store/db.js';
import { STOP_DRAIN_MS } from '../in-flight.js';
import { WorkAdmission } from '../overload/admission.js';
import { EventLoopLag } from '../overload/loop-lag.js';
import { RequestClaimer, type RequestClaims } from '../request-claimer.js';
import { planCommands, type CommandPlan } from './command-map.js';
import { ComponentState } from './component-state.js';
import { createGateway, type Gateway } from './gateway.js';
import { startInteractionsEndpoint, type InteractionsEndpoint } from './http-endpoint.js';
import { DiscordInteractions, type AckBudget } from './interactions.js';
import { DiscordSurface } from './surface.js';

export interface DiscordAdapterOptions {
  readonly config: Config;
  readonly dispatcher: Pick<Dispatcher, 'handle' | 'suggest'>;
  readonly registry: Registry;
  readonly db: Db;
  readonly onUnexpected?: (error: unknown) => void;
  /** Ack latency, missed deadlines, card edits. */
  readonly metrics?: Pick<Metrics, 'ackLatency' | 'missedDeadline' | 'cardEdit'> & Partial<Pick<Metrics, 'shedRequest'>>;
  /** Where /readyz learns whether Discord is connected. */
  readonly readiness?: Pick<Readiness, 'add'>;
  /** The bot's clock, for pruning old component state. */
  readonly now?: () => Date;
  /** Overrides for tests: how long the dispatcher may take before a deferral; where HTTP listens. */
  readonly ackBudgetMs?: AckBudget;
  /** Override for tests: whether the process is running behind (default: its event loop held up a second or more, ../overload/loop-lag.ts). */
  readonly behind?: () => boolean;
  readonly host?: string;
  readonly port?: number;
  /** How long `close()` waits for interactions in progress. Default STOP_DRAIN_MS. */
  readonly stopDrainMs?: number;
  /** Where interactions are claimed before they run. Default: the store (`db`); a test may pass a slow one. */
  readonly claims?: RequestClaims;
}

export interface DiscordAdapter {
  readonly mode: 'gateway' | 'http';
  readonly surface: DiscordSurface;
  readonly interactions: DiscordInteractions;
  readonly plan: CommandPlan;
  readonly rest: REST;
  /** Set in http mode. */
  readonly endpoint?: InteractionsEndpoint;
  readonly gateway?: Gateway;
  close(): Promise<void>;
}

export async function startDiscordAdapter(options: DiscordAdapterOptions): Promise<DiscordAdapter> {
  const { config } = options;
  const discord = config.discord;
  if (!discord.botToken || !discord.applicationId) throw new Error('Discord needs discord.botToken and discord.applicationId');
  const token = discord.botToken.reveal();
  const api = discord.apiUrl;
  const gateway = discord.mode === 'gateway' ? createGateway({ token, ...(api ? { api } : {}), ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}) }) : undefined;
  const rest = gateway?.rest ?? new REST(api ? { api } : {}).setToken(token);
  // Answers through the interaction's token are not bound to the bot's global rate limit
  // (Discord's rate-limit documentation): a REST of their own, without discord.js's 50/s global
  // cap, which held a burst of 200 answers back for 4 s. Per-route limits (429) still apply.
  // Each token is a route of its own: idle ones are swept every minute, not every hour.
  const webhookRest = new REST({ ...(api ? { api } : {}), globalRequestsPerSecond: Number.POSITIVE_INFINITY, handlerSweepInterval: 60_000 });

  const state = new ComponentState(options.db);
  try {
    await state.prune((options.now ?? (() => new Date()))());
  } catch (error) {
    options.onUnexpected?.(error);
  }
  const plan = planCommands(options.registry);
  const incidentChannel = config.incidents.discord.channel;
  const surface = new DiscordSurface({
    rest,
    state,
    locale: config.locale,
    ...(incidentChannel ? { incidentChannel } : {}),
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const loopLag = options.behind ? { behind: options.behind, close: () => undefined } : new EventLoopLag();
  const interactions = new DiscordInteractions({
    dispatcher: options.dispatcher,
    rest,
    webhookRest,
    applicationId: discord.applicationId,
    state,
    plan,
    surface,
    ...(discord.guildId ? { dmWorkspace: discord.guildId } : {}),
    ...(options.ackBudgetMs !== undefined ? { ackBudgetMs: options.ackBudgetMs } : {}),
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    // Overload is shed, never hoarded: past the bound, "busy, try again in n s" at once.
    admission: new WorkAdmission({ maxInFlight: discord.maxInFlight }),
    // On a loaded machine the wait is before the endpoint reads a request: a held-up loop sheds too.
    behind: () => loopLag.behind(),
    claims: options.claims ?? new RequestClaimer({ db: options.db, ...(options.onUnexpected ? { onSweepError: options.onUnexpected } : {}) }),
  });
  /** Lets the interactions in progress finish, up to the deadline; records the rest as cut short. */
  const drain = async (): Promise<void> => {
    const cutShort = await interactions.drain(options.stopDrainMs ?? STOP_DRAIN_MS);
    if (cutShort.length === 0) return;
    try {
      await recordCutShort(options.db, cutShort);
    } catch (error) {
      options.onUnexpected?.(error);
    }
  };

  if (gateway) {
    try {
      await gateway.connect(interactions);
    } catch (error) {
      await gateway.close();
      throw error;
    }
    const unready = options.readiness?.add({
      name: 'discord',
      check: () => (gateway.client.isReady() ? passed('gateway connected') : failed('gateway not connected')),
    });
    return {
      mode: 'gateway',
      surface,
      interactions,
      plan,
      rest,
      gateway,
      async close() {
        unready?.();
        gateway.stopTaking();
        await drain();
        await gateway.close();
        loopLag.close();
      },
    };
  }
  if (!discord.publicKey) throw new Error('Discord http mode needs discord.publicKey');
  const endpoint = await startInteractionsEndpoint({
    port: options.port ?? discord.port,
    ...(options.host ? { host: options.host } : {}),
    publicKey: discord.publicKey,
    limits: { maxBodyBytes: discord.maxBodyBytes, maxConnections: discord.maxConnections, maxConnectionsPerAddress: discord.maxConnectionsPerAddress, pendingBodyBytes: discord.pendingBodyBytes },
    interactions,
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
  });
  const unready = options.readiness?.add({ name: 'discord', check: () => passed(`interactions endpoint on port ${endpoint.port}`) });
  return {
    mode: 'http',
    surface,
    interactions,
    plan,
    rest,
    endpoint,
    async close() {
      unready?.();
      await endpoint.close();
      await drain();
      loopLag.close();
    },
  };
}
