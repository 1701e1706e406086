/**
 * A test bot behind the Discord adapter's real HTTP interactions endpoint: the bot with the
 * Discord people (DISCORD_MAPPINGS), a fake Discord API, a test signing key, the adapter in HTTP
 * mode on 127.0.0.1 (port 0) with its surface registered, and `post(body)` for signed
 * interactions. What the dispatcher ran (`dispatched`), which keys were claimed (`claimed`) and
 * what the adapter reported as unexpected (`unexpected`) are recorded for the test.
 */
import { startDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from '../../src/adapters/discord/adapter.js';
import { localClaims, type RequestClaims } from '../../src/adapters/request-claimer.js';
import { Secret, type Config } from '../../src/config.js';
import type { Invocation } from '../../src/core/invocation.js';
import type { Metrics } from '../../src/ops/metrics.js';
import { makeTestBot, type TestBot, type TestBotOptions } from './bot.js';
import { APP, DISCORD_MAPPINGS, GUILD, postInteraction, testKeys, type PostedInteraction } from './discord-interactions.js';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

/** What the tests may set on the adapter; everything else is the helper's. */
export type EndpointAdapterOptions = Partial<Pick<DiscordAdapterOptions, 'metrics' | 'readiness' | 'ackBudgetMs' | 'behind'>>;

export interface DiscordEndpointBotOptions {
  /** For makeTestBot, besides `mappings` (DISCORD_MAPPINGS unless given). */
  readonly bot?: TestBotOptions;
  /** Merged into the configuration's `discord` section after the HTTP-mode settings (e.g. `{ maxInFlight: 2 }`). */
  readonly discord?: Record<string, unknown>;
  /**
   * Where interactions are claimed: default claims kept in this process (localClaims); these
   * claims instead (e.g. HeldClaims); or `'store'`, the adapter's own default. Claimed keys are
   * recorded in `claimed`, except with `'store'`.
   */
  readonly claims?: RequestClaims | 'store';
  /** Adapter settings: metrics, readiness, ack budget, "behind"; a function when they need the bot. */
  readonly adapter?: EndpointAdapterOptions | ((bot: TestBot) => EndpointAdapterOptions);
}

export type PostOptions = Parameters<typeof postInteraction>[3];

export interface DiscordEndpointBot<R = unknown> {
  readonly bot: TestBot;
  readonly fake: FakeDiscord;
  readonly adapter: DiscordAdapter;
  readonly keys: ReturnType<typeof testKeys>;
  /** POSTs an interaction to the endpoint, signed with the test key (see postInteraction). */
  readonly post: (body: unknown, options?: PostOptions) => Promise<PostedInteraction<R>>;
  /** Every invocation handed to the dispatcher, in order. */
  readonly dispatched: Invocation[];
  /** Every key the adapter claimed, in order. */
  readonly claimed: string[];
  /** What the adapter reported through onUnexpected. */
  readonly unexpected: unknown[];
  /** Closes the adapter, the bot and the fake Discord, in that order. */
  readonly close: () => Promise<void>;
}

export async function startDiscordEndpointBot<R = unknown>(options: DiscordEndpointBotOptions = {}): Promise<DiscordEndpointBot<R>> {
  const dispatched: Invocation[] = [];
  const claimed: string[] = [];
  const unexpected: unknown[] = [];
  let bot: TestBot | undefined;
  let fake: FakeDiscord | undefined;
  let adapter: DiscordAdapter | undefined;
  const close = async (): Promise<void> => {
    await adapter?.close();
    await bot?.close();
    await fake?.close();
  };
  try {
    bot = await makeTestBot({ mappings: DISCORD_MAPPINGS, ...options.bot });
    fake = await startFakeDiscord();
    const keys = testKeys();
    const config = {
      ...bot.config,
      discord: {
        ...bot.config.discord,
        botToken: new Secret('MTIz.fake.token'),
        applicationId: APP,
        publicKey: keys.publicKeyHex,
        mode: 'http',
        guildId: GUILD,
        apiUrl: fake.api,
        ...options.discord,
      },
    } as Config;
    const claims = recording(options.claims === undefined ? localClaims() : options.claims, claimed);
    const running = bot;
    adapter = await startDiscordAdapter({
      config,
      dispatcher: {
        handle: (invocation) => {
          dispatched.push(invocation);
          return running.dispatcher.handle(invocation);
        },
        suggest: (...args) => running.dispatcher.suggest(...args),
      },
      registry: bot.core.registry,
      db: bot.store.db,
      port: 0,
      host: '127.0.0.1',
      ...(typeof options.adapter === 'function' ? options.adapter(bot) : options.adapter),
      ...(claims ? { claims } : {}),
      onUnexpected: (error) => unexpected.push(error),
    });
    bot.core.chat.register(adapter.surface);
    const url = adapter.endpoint!.url;
    const post = (body: unknown, postOptions?: PostOptions) => postInteraction<R>(url, keys.privateKey, body, postOptions);
    return { bot, fake, adapter, keys, post, dispatched, claimed, unexpected, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The claims, recording each key asked for; none for `'store'` (the adapter's own). */
function recording(claims: RequestClaims | 'store', claimed: string[]): RequestClaims | undefined {
  if (claims === 'store') return undefined;
  return {
    claim: (key) => {
      claimed.push(key);
      return claims.claim(key);
    },
  };
}

/** The path of an interaction's original response (what a deferral's edit PATCHes). */
export const originalOf = (token: string) => new RegExp(`^/webhooks/${APP}/${token}/messages/@original$`);

/** How many Discord requests these metrics counted as shed (busy). */
export async function shedCount(metrics: Metrics): Promise<number> {
  const { body } = await metrics.exposition();
  return sampleValue(parsePrometheusText(body), 'coc_chatops_shed_requests_total', { platform: 'discord' }) ?? 0;
}
