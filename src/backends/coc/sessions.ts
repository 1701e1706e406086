/**
 * A person's own COC credential, so that COC enforces that person's IAM rights instead of the
 * bot's. A mapping names the credential (`credentialRef`); the secret itself stays outside the
 * configuration file and the database, in the environment:
 *
 *   COC_CREDENTIAL_<REF>_AK, _SK [, _PROJECT_ID, _SECURITY_TOKEN]    AK/SK signing
 *   COC_CREDENTIAL_<REF>_PASSWORD [, _USER, _DOMAIN, _PROJECT]       IAM password → token
 *
 * <REF> is the reference upper-cased with every other character turned into "_". Missing
 * parts default to the bot's own connection (project, IAM endpoint, domain; the user defaults
 * to the mapping's IAM user). With the built-in simulator, a password login goes to the
 * simulator's IAM.
 *
 * A person whose credential is named but not set is refused (`UserCredentialMissingError`,
 * nothing sent) rather than quietly given the bot's (usually wider) rights.
 */
import { LRUCache } from 'lru-cache';
import type { CocAuth } from '../../coc/auth/credentials.js';
import type { CocClient } from '../../coc/client.js';
import type { CocConnection } from '../../config.js';
import type { Identity } from '../../identity/identity-service.js';
import { UserCredentialMissingError } from '../../identity/user-credentials.js';
import { SIM_DOMAIN_NAME } from '../../sim/defaults.js';
import type { Backend } from '../backend.js';
import { createCocBackend, type CocBackendOptions } from './index.js';

export function credentialEnvPrefix(ref: string): string {
  return `COC_CREDENTIAL_${ref.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
}

/** Where a password login goes when the bot itself signs with AK/SK or talks to the simulator. */
export interface LoginDefaults {
  readonly iamEndpoint: string;
  readonly domain?: string;
  readonly project: string;
  readonly projectId?: string;
}

export function loginDefaultsFor(connection: CocConnection, endpoint: string, region: string): LoginDefaults {
  if (connection.kind === 'simulator') return { iamEndpoint: endpoint, domain: SIM_DOMAIN_NAME, project: region };
  if (connection.auth.method === 'token') {
    return { iamEndpoint: connection.auth.iamEndpoint, domain: connection.auth.domain, project: connection.auth.project };
  }
  return { iamEndpoint: `https://iam.${connection.region}.myhuaweicloud.com`, project: connection.region, projectId: connection.auth.projectId };
}

export function userCocAuth(ref: string, iamUser: string, env: NodeJS.ProcessEnv, defaults: LoginDefaults): CocAuth {
  const prefix = credentialEnvPrefix(ref);
  const read = (part: string) => {
    const value = env[`${prefix}${part}`];
    return value === undefined || value === '' ? undefined : value;
  };
  const ak = read('AK');
  const sk = read('SK');
  if (ak || sk) {
    if (!ak || !sk) throw new UserCredentialMissingError(ref, [`both ${prefix}AK and ${prefix}SK`]);
    const projectId = read('PROJECT_ID') ?? defaults.projectId;
    const securityToken = read('SECURITY_TOKEN');
    return { kind: 'aksk', ak, sk, ...(projectId ? { projectId } : {}), ...(securityToken ? { securityToken } : {}) };
  }
  const password = read('PASSWORD');
  const domain = read('DOMAIN') ?? defaults.domain;
  if (!password || !domain) {
    throw new UserCredentialMissingError(ref, [`${prefix}AK and ${prefix}SK`, needsDomainText(prefix, !domain)]);
  }
  return { kind: 'token', iamEndpoint: defaults.iamEndpoint, domain, user: read('USER') ?? iamUser, password, project: read('PROJECT') ?? defaults.project };
}

function needsDomainText(prefix: string, needsDomain: boolean): string {
  return needsDomain ? `${prefix}PASSWORD with ${prefix}DOMAIN` : `${prefix}PASSWORD`;
}

/** Who a session acts as: the mapping's credential (if any) and IAM user. */
export type SessionIdentity = Pick<Identity, 'credentialRef' | 'iamUserName'>;

/** How people's own clients are made; absent when the deployment gives nobody their own. */
export interface PersonalClients {
  readonly create: (auth: CocAuth) => CocClient;
  readonly defaults: LoginDefaults;
  /** Where the credentials are read; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

interface Session {
  readonly client: CocClient;
  readonly backend: Backend;
}

/**
 * COC as each person: one client and its backend per credential, created on first use and kept
 * (lru-cache) so token logins and connection pools are reused; evicted clients are closed.
 * People without a named credential act with the bot's own client.
 */
export class CocSessions {
  readonly #sessions: LRUCache<string, Session>;
  readonly #personal: PersonalClients | undefined;
  readonly #bot: Session;
  readonly #backendOptions: CocBackendOptions;

  /** `backendOptions` (the alarm integration key) are the deployment's: every person's backend gets them. */
  constructor(botClient: CocClient, personal?: PersonalClients, backendOptions: CocBackendOptions = {}) {
    this.#backendOptions = backendOptions;
    this.#bot = { client: botClient, backend: createCocBackend(botClient, backendOptions) };
    this.#personal = personal;
    this.#sessions = new LRUCache<string, Session>({ max: 500, dispose: (session) => void session.client.close() });
  }

  /** COC with the bot's own rights. */
  get botBackend(): Backend {
    return this.#bot.backend;
  }

  /** The client that acts as this person in COC: their own credential, else the bot's. */
  clientFor(identity: SessionIdentity): CocClient {
    return this.#sessionOf(identity).client;
  }

  /** The backend that acts as this person (their own credential, else the bot's); throws `UserCredentialMissingError`. */
  backendFor(identity: SessionIdentity): Backend {
    return this.#sessionOf(identity).backend;
  }

  #sessionOf(identity: SessionIdentity): Session {
    const ref = identity.credentialRef;
    if (!ref) return this.#bot;
    const personal = this.#personal;
    if (!personal) {
      // Nobody has their own client here: a named credential is refused, never served with the bot's rights.
      const prefix = credentialEnvPrefix(ref);
      throw new UserCredentialMissingError(ref, [`${prefix}AK and ${prefix}SK`, `${prefix}PASSWORD`]);
    }
    const key = `${ref}\u0000${identity.iamUserName}`;
    const cached = this.#sessions.get(key);
    if (cached) return cached;
    const client = personal.create(userCocAuth(ref, identity.iamUserName, personal.env ?? process.env, personal.defaults));
    const session = { client, backend: createCocBackend(client, this.#backendOptions) };
    this.#sessions.set(key, session);
    return session;
  }

  /** Closes the people's own clients (the bot's belongs to whoever made it). */
  async close(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(sessions.map((session) => session.client.close()));
  }
}
