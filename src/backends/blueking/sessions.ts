/**
 * BlueKing as each person: ESB takes the app's code and secret and a user name (`bk_username`,
 * the app being on the skip-user-auth whitelist), so a person's rights apply with no secret of
 * their own — every session is the same app acting as the mapped BlueKing user. The bot's own
 * calls act as the configured service user. Sessions share one keep-alive agent and are kept
 * (lru-cache) so a busy person does not rebuild theirs on every command.
 */
import { LRUCache } from 'lru-cache';
import { Agent } from 'undici';
import type { Secret } from '../../config/secret.js';
import type { Backend, BackendSessions } from '../backend.js';
import { BackendAuthError } from '../errors.js';
import type { BackendHooks } from '../observe.js';
import { EsbClient } from './esb/client.js';
import { createBluekingBackend } from './index.js';
import type { BluekingSettings } from './settings.js';

/** How the app reaches ESB: the same for every person. */
export interface BluekingConnection {
  /** The PaaS host (`bk_paas_host`). */
  readonly endpoint: string;
  readonly appCode: string;
  readonly appSecret: Secret;
  readonly timeoutMs?: number;
  readonly hooks?: BackendHooks;
}

export interface BluekingSessionsOptions {
  readonly connection: BluekingConnection;
  readonly settings: BluekingSettings;
  /** The BlueKing user the bot's own calls act as (tracker, recovery, watchers). */
  readonly serviceUser: string;
}

const MAX_SESSIONS = 500;

export class BluekingSessions implements BackendSessions {
  readonly #agent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });
  readonly #bot: { readonly client: EsbClient; readonly backend: Backend };
  readonly #sessions = new LRUCache<string, Backend>({ max: MAX_SESSIONS });
  readonly #client: EsbClient;
  readonly #settings: BluekingSettings;

  constructor(options: BluekingSessionsOptions) {
    const { connection } = options;
    this.#settings = options.settings;
    this.#client = new EsbClient({
      endpoint: connection.endpoint,
      appCode: connection.appCode,
      appSecret: connection.appSecret,
      username: options.serviceUser,
      agent: this.#agent,
      ...(connection.timeoutMs !== undefined ? { timeoutMs: connection.timeoutMs } : {}),
      ...(connection.hooks ? { hooks: connection.hooks } : {}),
    });
    this.#bot = { client: this.#client, backend: createBluekingBackend(this.#client, this.#settings) };
  }

  /** BlueKing as the service user. */
  get botBackend(): Backend {
    return this.#bot.backend;
  }

  /** The client the bot's own calls go through (readiness probes). */
  get botClient(): EsbClient {
    return this.#bot.client;
  }

  /** BlueKing as the person's mapped user (`iamUserName` holds the BlueKing user name); no credential is ever needed. */
  backendFor(identity: { readonly credentialRef?: string | undefined; readonly iamUserName: string }): Backend {
    const username = identity.iamUserName.trim();
    // A person with no BlueKing user would act as nobody (or, worse, be mistaken for another): refused, nothing sent.
    if (username === '') throw new BackendAuthError('no BlueKing user name is mapped for this person', 'blueking', undefined, {}, false);
    if (username === this.#client.username) return this.#bot.backend;
    const cached = this.#sessions.get(username);
    if (cached) return cached;
    const backend = createBluekingBackend(this.#client.as(username), this.#settings);
    this.#sessions.set(username, backend);
    return backend;
  }

  /** Forgets the sessions and closes the shared connections. */
  async close(): Promise<void> {
    this.#sessions.clear();
    await this.#agent.close();
  }
}
