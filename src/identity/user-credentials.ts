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
 * A person whose credential is named but not set is refused rather than quietly given the
 * bot's (usually wider) rights.
 */
import { LRUCache } from 'lru-cache';
import type { CocAuth } from '../coc/auth/credentials.js';
import type { CocClient } from '../coc/client.js';
import type { CocConnection } from '../config.js';
import { SIM_DOMAIN_NAME } from '../sim/defaults.js';
import type { Identity } from './identity-service.js';

export class UserCredentialMissingError extends Error {
  override readonly name = 'UserCredentialMissingError';
  constructor(
    readonly ref: string,
    /** Each a complete way to set it, e.g. "COC_CREDENTIAL_X_AK and COC_CREDENTIAL_X_SK". */
    readonly variables: readonly string[],
  ) {
    super(
      `your COC credential "${ref}" is named in your mapping but not set on the bot (set ${variables.join(', or ')}; or remove the credential from the mapping to act with the bot's identity). Nothing was sent to COC; ask an admin.`,
    );
  }
}

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

/**
 * One COC client per credential, created on first use and kept (lru-cache) so token logins
 * and connection pools are reused; evicted clients are closed.
 */
export class UserCocClients {
  readonly #clients: LRUCache<string, CocClient>;

  constructor(
    private readonly shared: CocClient,
    private readonly create: (auth: CocAuth) => CocClient,
    private readonly defaults: LoginDefaults,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.#clients = new LRUCache<string, CocClient>({ max: 500, dispose: (client) => void client.close() });
  }

  /** The client that acts as this person in COC: their own credential, else the bot's. */
  for(identity: Pick<Identity, 'credentialRef' | 'iamUserName'>): CocClient {
    const ref = identity.credentialRef;
    if (!ref) return this.shared;
    const key = `${ref}\u0000${identity.iamUserName}`;
    const cached = this.#clients.get(key);
    if (cached) return cached;
    const client = this.create(userCocAuth(ref, identity.iamUserName, this.env, this.defaults));
    this.#clients.set(key, client);
    return client;
  }

  async close(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}
