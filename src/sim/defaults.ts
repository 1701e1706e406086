/**
 * The demo tenant's well-known credentials. They exist so that `npm start` works with no
 * account; they open nothing but a local simulator. Do not reuse them anywhere real.
 */
import { createHash } from 'node:crypto';

/** Demo access key (20 chars, like a Huawei Cloud AK). */
export const SIM_DEFAULT_AK = 'SIMDEMOAK7Q2X4L9T3NB';
/** Demo secret key (40 chars, like a Huawei Cloud SK). Documented, never printed. */
export const SIM_DEFAULT_SK = 'SimDemoSecretKey0ForTheLocalCocSimulator';
/** IAM account (domain) the demo users belong to. */
export const SIM_DOMAIN_NAME = 'sim-demo-account';
/** Password of every default demo IAM user. */
export const SIM_DEFAULT_IAM_PASSWORD = 'Sim-Demo-Passw0rd';
/** Integration key accepted by the custom-event API unless `integrationKeys` says otherwise. */
export const SIM_DEFAULT_INTEGRATION_KEY = 'a3f1c0de5b7e4c2a9d8e6f4b2c1a0e9d';
/** Default seed of the simulated world. */
export const SIM_DEFAULT_SEED = 42;

/** Stable 32-hex ids derived from a name, so user ids do not change with the seed. */
export function stableHexId(kind: string, name: string, length = 32): string {
  return createHash('sha256').update(`${kind}:${name}`).digest('hex').slice(0, length);
}

export const SIM_DOMAIN_ID = stableHexId('domain', SIM_DOMAIN_NAME);

export interface SimUserSpec {
  readonly name: string;
  readonly password: string;
  readonly id?: string;
  readonly domainName?: string;
}

/**
 * Demo IAM users: `chatops-bot` owns the demo AK/SK; alice operates, bob reviews HIGH-risk
 * scripts, carol and dave are on call.
 */
export const SIM_DEFAULT_IAM_USERS: readonly SimUserSpec[] = ['chatops-bot', 'alice', 'bob', 'carol', 'dave'].map((name) => ({
  name,
  password: SIM_DEFAULT_IAM_PASSWORD,
}));

export function userIdFor(name: string): string {
  return stableHexId('user', name);
}

export interface SimCredential {
  readonly ak: string;
  readonly sk: string;
  /** When set, a request's X-Project-Id (if sent) must equal it. */
  readonly projectId?: string;
  /** IAM user that owns the key; shown as `creator` of what it creates. Default `chatops-bot`. */
  readonly userName?: string;
}

export const SIM_DEFAULT_CREDENTIALS: readonly SimCredential[] = [{ ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, userName: 'chatops-bot' }];
