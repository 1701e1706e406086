/**
 * What a bot-driven run needs besides its backend's executions: the store, a clock, this
 * replica's name in claims, and how a later batch is sent (with whose rights, inside which audit
 * scope, with which sealed values, reporting to which callback place).
 */
import { makeId, parseId, type BackendName, type ExecutionsCapability, type RunId, type ScriptsCapability } from '../backends/index.js';
import type { Db } from '../store/db.js';
import type { RunPlanRow } from '../store/run-plans.js';
import type { CallScope } from '../backends/observe.js';

/** Seals and opens sensitive parameter values (src/run/sealing.ts ParamSealer). */
export interface ValueSealer {
  seal(values: Readonly<Record<string, string>>): string;
  unseal(sealed: string): Record<string, string>;
}

export interface BotBatchDeps {
  readonly db: Db;
  /** The backend's executions with the rights of whoever this backend acts for. */
  readonly executions: ExecutionsCapability;
  /**
   * The plan requester's rights, for batches after the first (sent by the tracker), its calls made
   * in `scope` when one is given (the send's audit scope); default `executions`.
   */
  readonly executionsFor?: (plan: RunPlanRow, scope?: CallScope) => ExecutionsCapability;
  /**
   * The platform's scripts: each later batch reads its script first and is sent only while it is
   * still the one previewed and approved (content and modification time, the plan's pin).
   */
  readonly scripts?: Pick<ScriptsCapability, 'get' | 'getPublic'>;
  readonly backend: BackendName;
  readonly now: () => Date;
  /** This replica's name in claims. */
  readonly replicaId: string;
  /**
   * The bot's public base URL the platform calls back (`POST <base>/bk/job-done/<token>`, served by
   * the ops server); absent = no callbacks (a lost answer then waits for its deadline).
   */
  readonly callbackBaseUrl?: string;
  /** Runs a later batch's send in an audit scope (handed to `send`), so its write intent names the plan and batch. */
  readonly audit?: <T>(plan: RunPlanRow, batch: number, send: (scope: CallScope) => Promise<T>) => Promise<T>;
  /** Keeps sensitive values for later batches; without it a run with sensitive values sends batch 1 only. */
  readonly sealer?: ValueSealer;
  /** How long a start may take to be answered (default 60 s): a batch 'sending' longer is 'unknown'. */
  readonly requestTimeoutMs?: number;
  /** How long a claim may stay unsent before it is given back (default 60 s). */
  readonly claimLeaseMs?: number;
  readonly log?: { warn(details: object, message: string): void; error(details: object, message: string): void };
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_CLAIM_LEASE_MS = 60_000;
/** After a batch's own time limit and the request's, how long news of an unknown batch is waited for. */
export const UNKNOWN_GRACE_MS = 5 * 60_000;
/** The path of a batch's callback place on the ops server. */
export const JOB_DONE_PATH = '/bk/job-done/';

/** `<backend>:run:<plan id>`: a bot-driven run is named after its plan. */
export function runIdOfPlan(backend: BackendName, planId: string): RunId {
  return makeId(backend, 'run', planId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The plan a run id names, or undefined when it is not a run of this backend's plans. */
export function planIdOfRun(backend: BackendName, id: RunId): string | undefined {
  const parsed = parseId(id);
  if (!parsed || parsed.backend !== backend || parsed.kind !== 'run' || !UUID.test(parsed.native)) return undefined;
  return parsed.native.toLowerCase();
}

/** The name a batch's execution carries on the platform, for a person to find it by hand. */
export function batchLabel(planId: string, index: number): string {
  return `chatops-${planId.slice(0, 8)}-b${index}`;
}

export function callbackUrlOf(deps: Pick<BotBatchDeps, 'callbackBaseUrl'>, token: string): string | undefined {
  if (!deps.callbackBaseUrl) return undefined;
  return `${deps.callbackBaseUrl.replace(/\/+$/, '')}${JOB_DONE_PATH}${token}`;
}
