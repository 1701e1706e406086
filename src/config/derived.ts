import { resolve } from 'node:path';
import type { StoreOptions } from '../store/open-store.js';
import type { Config } from './schema.js';
import type { Secret } from './secret.js';
import { COC_ENDPOINTS, IAM_ENDPOINTS, type CocRegion } from './sections/coc.js';
import { STORE_TIMEOUT_DEFAULTS } from './sections/store.js';
import type { SimConfig } from './sections/sim.js';
import type { BluekingSettings, RiskRule } from '../backends/blueking/settings.js';

/**
 * Decisions that follow from the configuration (simulator or real COC, which adapters run,
 * which store), computed in one place so the bot and `check-config` never disagree.
 */

export type CocAuth =
  | { readonly method: 'aksk'; readonly ak: Secret; readonly sk: Secret; readonly projectId: string; readonly securityToken?: Secret }
  | {
      readonly method: 'token';
      readonly iamEndpoint: string;
      readonly domain: string;
      readonly user: string;
      readonly password: Secret;
      readonly project: string;
    };

export type CocConnection =
  | { readonly kind: 'simulator'; readonly sim: SimConfig; readonly language: Config['coc']['language'] }
  | {
      readonly kind: 'coc';
      readonly endpoint: string;
      readonly region: CocRegion;
      readonly auth: CocAuth;
      readonly timeoutMs: number;
      readonly language: Config['coc']['language'];
    };

/** The schema's rules guarantee one of the shapes below; anything else means it was bypassed. */
export class UnvalidatedConfigError extends Error {
  constructor(what: string) {
    super(`configuration was not validated: ${what}`);
    this.name = 'UnvalidatedConfigError';
  }
}

export function cocConnection(config: Config): CocConnection {
  const { coc } = config;
  const { ak, sk, securityToken, projectId, iam } = coc.auth;
  const endpoint = coc.endpoint ?? COC_ENDPOINTS[coc.region];
  const common = { endpoint, region: coc.region, timeoutMs: coc.timeoutMs, language: coc.language } as const;
  if (ak && sk) {
    if (!projectId) throw new UnvalidatedConfigError('AK/SK without a project id');
    return { kind: 'coc', ...common, auth: { method: 'aksk', ak, sk, projectId, ...(securityToken ? { securityToken } : {}) } };
  }
  if (iam.domain && iam.user && iam.password) {
    return {
      kind: 'coc',
      ...common,
      auth: {
        method: 'token',
        iamEndpoint: iam.endpoint ?? IAM_ENDPOINTS[coc.region],
        domain: iam.domain,
        user: iam.user,
        password: iam.password,
        project: iam.project ?? coc.region,
      },
    };
  }
  if (ak || sk || iam.domain || iam.user || iam.password || coc.endpoint) {
    throw new UnvalidatedConfigError('incomplete COC credentials');
  }
  return { kind: 'simulator', sim: config.sim, language: coc.language };
}

export type BluekingConnection =
  | { readonly kind: 'simulator'; readonly sim: SimConfig; readonly timeoutMs: number }
  | {
      readonly kind: 'blueking';
      /** bk_paas_host: where the ESB components are. */
      readonly endpoint: string;
      readonly appCode: string;
      readonly appSecret: Secret;
      /** Who the bot's own calls act as (bk_username). */
      readonly serviceUser: string;
      readonly defaultBiz: number;
      readonly timeoutMs: number;
    };

/** The real BlueKing when a PaaS host is set (the schema then guarantees the rest), else the built-in simulator. */
export function bluekingConnection(config: Config): BluekingConnection {
  const { paasHost, appCode, appSecret, serviceUser, defaultBiz, timeoutMs } = config.blueking;
  if (paasHost === undefined) {
    if (appCode || appSecret || serviceUser) throw new UnvalidatedConfigError('BlueKing credentials without a PaaS host');
    return { kind: 'simulator', sim: config.sim, timeoutMs };
  }
  if (!appCode || !appSecret || !serviceUser || defaultBiz === undefined) throw new UnvalidatedConfigError('incomplete BlueKing connection');
  return { kind: 'blueking', endpoint: paasHost.replace(/\/+$/, ''), appCode, appSecret, serviceUser, defaultBiz, timeoutMs };
}

/** What stands in for the configuration's PaaS host and business when the built-in simulator answers. */
export interface BluekingSimulatorPlace {
  readonly url: string;
  readonly bizId: number;
  /** Its ITSM service with an approval node, for approvals.via itsm without a configured one. */
  readonly itsmServiceId?: number;
  /** Risk of its demo scripts, when the configuration gives no rules of its own. */
  readonly riskRules?: readonly RiskRule[];
}

const RISK_OF: Readonly<Record<Config['blueking']['risk'][number]['risk'], RiskRule['risk']>> = { LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };

/**
 * The BlueKing backend's settings from `blueking.*` (and `approvals.via`). With the simulator, its
 * address and business stand in for the PaaS host and an unset default business.
 */
export function bluekingSettingsFrom(config: Config, simulator?: BluekingSimulatorPlace): BluekingSettings {
  const { blueking } = config;
  const paasHost = blueking.paasHost?.replace(/\/+$/, '') ?? simulator?.url;
  const defaultBiz = blueking.defaultBiz ?? simulator?.bizId;
  if (paasHost === undefined || defaultBiz === undefined) throw new UnvalidatedConfigError('BlueKing settings without a PaaS host or business');
  const configured = blueking.risk.map(
    (rule): RiskRule => ({
      ...(rule.scriptId !== undefined ? { scriptId: rule.scriptId } : {}),
      ...(rule.namePattern !== undefined ? { namePattern: rule.namePattern } : {}),
      ...(rule.biz !== undefined ? { biz: rule.biz } : {}),
      risk: RISK_OF[rule.risk],
      ...(rule.sensitiveArgs !== undefined ? { sensitiveArgs: rule.sensitiveArgs } : {}),
    }),
  );
  const riskRules = configured.length === 0 && simulator?.riskRules ? simulator.riskRules : configured;
  // ITSM tickets only when approvals go through ITSM: a service id alone changes nothing.
  const itsmServiceId = config.approvals.via === 'itsm' ? (blueking.itsm.serviceId ?? simulator?.itsmServiceId) : undefined;
  return {
    defaultBiz,
    riskRules,
    defaultAccount: blueking.defaultAccount,
    ...(itsmServiceId !== undefined ? { itsmServiceId } : {}),
    ...(blueking.callbackBaseUrl ? { callbackBaseUrl: blueking.callbackBaseUrl.replace(/\/+$/, '') } : {}),
    paasHost,
  };
}

/** The time limit of one request to the deployment's backend: how long a write may still be under way. */
export function backendTimeoutMs(config: Config): number {
  return config.backend === 'blueking' ? config.blueking.timeoutMs : config.coc.timeoutMs;
}

/** How long one command may wait, in all, for the deployment's backend to answer its reads. */
export function commandDeadlineMs(config: Config): number {
  return config.backend === 'blueking' ? config.blueking.commandDeadlineMs : config.coc.commandDeadlineMs;
}

export interface EnabledAdapters {
  readonly slack: boolean;
  readonly discord: boolean;
  readonly shell: boolean;
}

export function enabledAdapters(config: Config): EnabledAdapters {
  const slack = config.slack.botToken !== undefined;
  const discord = config.discord.botToken !== undefined;
  return { slack, discord, shell: config.shell.enabled ?? (!slack && !discord) };
}

/** What `openStore` needs. The database URL is revealed here because the driver must connect with it. */
export function storeOptionsFrom(config: Config, cwd: string = process.cwd()): StoreOptions {
  const { databaseUrl, dataDir, schema, connectTimeoutMs, statementTimeoutMs } = config.store;
  const location = databaseUrl
    ? {
        databaseUrl: databaseUrl.reveal(),
        // Only limits that differ from the driver's own defaults.
        ...(connectTimeoutMs !== STORE_TIMEOUT_DEFAULTS.connectTimeoutMs ? { connectTimeoutMs } : {}),
        ...(statementTimeoutMs !== STORE_TIMEOUT_DEFAULTS.statementTimeoutMs ? { statementTimeoutMs } : {}),
      }
    : { dataDir: dataDir === 'memory://' ? dataDir : resolve(cwd, dataDir) };
  return { ...location, ...(schema ? { schema } : {}) };
}
