/**
 * Runs: a script started on hosts in batches, read back (status, batches, hosts, logs) and
 * operated (pause, continue, cancel, skip a batch, cancel a host) where the platform can.
 */
import type { CallOptions, Page } from '../backend.js';
import type { BackendOperation } from '../observe.js';
import type { HostId, HostRunRef, RunId, ScriptId } from '../ids.js';
import type { Coded } from './coded.js';
import type { HostTarget } from './hosts.js';

/** What happens after a batch: go on, or pause for a person. The stored plans' own spelling. */
export const ROTATIONS = ['CONTINUE', 'PAUSE'] as const;
export type Rotation = (typeof ROTATIONS)[number];

export const RUN_STATES = ['waiting', 'running', 'paused', 'succeeded', 'failed', 'canceled', 'error', 'rolled-back', 'other'] as const;
export type RunState = (typeof RUN_STATES)[number];
/** States after which nothing changes any more. */
export const ENDED_RUN_STATES: ReadonlySet<RunState> = new Set(['succeeded', 'failed', 'canceled', 'error', 'rolled-back']);

export const HOST_RUN_STATES = ['waiting', 'running', 'succeeded', 'failed', 'canceled', 'rolled-back', 'other'] as const;
export type HostRunState = (typeof HOST_RUN_STATES)[number];

export interface RunLimits {
  readonly maxHosts: number;
  readonly maxHostsPerBatch: number;
  readonly maxBatches: number;
  readonly timeoutSeconds: { readonly min: number; readonly max: number; readonly default: number };
  readonly successRate: { readonly min: number; readonly max: number; readonly default: number };
  /** The OS user a script runs as by default, and the longest name the platform takes. */
  readonly runAs: { readonly default: string; readonly maxLength: number };
}

export interface ExecutionBatch {
  readonly index: number;
  readonly rotation: Rotation;
  readonly hosts: readonly HostTarget[];
}

/** Everything a start needs; checked by the backend against the platform's own rules before sending. */
export interface ExecutionRequest {
  readonly script: { readonly id: ScriptId };
  readonly batches: readonly ExecutionBatch[];
  readonly timeoutSeconds: number;
  readonly successRate: number;
  readonly runAs: string;
  /** Parameter values by name, in the script's order. */
  readonly params: Readonly<Record<string, string>>;
  /** Names of parameters whose values are secret: never echoed in an error text or a log. */
  readonly sensitive?: readonly string[];
  /** The stored plan this request starts (bot-batched runs are named after it); absent in a preview's check. */
  readonly planId?: string;
}

export interface RunSummary {
  readonly id: RunId;
  readonly status: Coded<RunState>;
  /** The batch running now (1-based); 0 = unknown. */
  readonly currentBatch?: number;
  readonly script: { readonly id?: ScriptId; readonly name?: string; readonly version?: string; readonly source?: string };
  /** The parameters as the platform echoes them back. */
  readonly params: readonly { readonly name: string; readonly value?: string; readonly fromStore?: boolean }[];
  readonly timeoutSeconds?: number;
  readonly successRate?: number;
  readonly runAs?: string;
  readonly creator?: string;
  readonly createdAt?: number;
  readonly finishedAt?: number;
  readonly durationMs?: number;
  /** The platform's own order number or name, where it has one (COC list rows). */
  readonly label?: string;
  /** Regions the run touched, as the platform lists them. */
  readonly regions?: string;
  /** Where the row stands in the platform's list: what a person types to page on after it (COC's order id). */
  readonly listPosition?: string;
}

export interface BatchSummary {
  readonly index: number;
  readonly hostCount?: number;
  readonly rotation?: Coded<'continue' | 'pause' | 'other'>;
}

export interface RunProgress {
  readonly total?: number;
  readonly counts: readonly { readonly status: Coded<HostRunState>; readonly count?: number; readonly batches: readonly number[] }[];
}

export interface HostRun {
  readonly ref: HostRunRef;
  readonly host: { readonly id?: HostId; readonly name?: string; readonly ip?: string; readonly floatingIp?: string; readonly region?: string };
  readonly status: Coded<HostRunState>;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly durationMs?: number;
  /** The script's output as the platform gives it (raw: cards redact it). */
  readonly output?: string;
}

export interface BatchHosts {
  readonly index?: number;
  readonly hostCount?: number;
  readonly hosts: readonly HostRun[];
}

export type RunOperation =
  | { readonly kind: 'pause' }
  | { readonly kind: 'continue' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'skip-batch'; readonly batch: number }
  | { readonly kind: 'cancel-host'; readonly batch: number; readonly host: HostRunRef };
export type RunOperationKind = RunOperation['kind'];

export interface RunListQuery {
  readonly from?: number;
  readonly to?: number;
  readonly creator?: string;
  /** The platform's own status code. */
  readonly statusCode?: string;
  readonly limit: number;
  readonly after?: string;
}

/** Where reconciliation looks for a start whose answer was lost. */
export interface FindQuery {
  readonly sentAt: Date;
  readonly request: ExecutionRequest;
  /** How long a start may take to be answered: the window to look in. */
  readonly windowMs: number;
  /** Whether a run found is already another plan's (the store answers; backends never query it). */
  readonly takenByOther: (id: RunId) => Promise<boolean>;
}

export type FindOutcome =
  | { readonly kind: 'found'; readonly id: RunId }
  | { readonly kind: 'absent'; readonly candidates: number }
  | { readonly kind: 'too-many'; readonly candidates: number }
  /**
   * Nobody can tell. `stopped`: the look itself gave up on the run (bot-driven batches: no news by
   * the lost batch's deadline), so the run stays unknown for good — the requester is told once.
   */
  | { readonly kind: 'cannot-tell'; readonly stopped?: { readonly task: string } };

export interface RunsCapability {
  readonly limits: RunLimits;
  /**
   * Who runs the batches: the platform (COC: one start for the whole run, batches and pauses on
   * the platform), or the bot between one execution per batch (BlueKing Job, src/batches): a
   * running batch always finishes, pause/continue/skip/cancel apply before the next one.
   */
  readonly batching: 'platform' | 'bot';
  /** Operations the platform offers on a run. */
  readonly operations: ReadonlySet<RunOperationKind>;
  /** The platform's own name of each operation, as the audit trail records it (absent: the kind). */
  readonly operationCodes?: Readonly<Partial<Record<RunOperationKind, string>>>;
  /** The platform's status codes a list can filter on, in its order. */
  readonly listStatusCodes: readonly string[];
  /** Everyday words people type for some of those codes (e.g. `failed`), by word. */
  readonly listStatusWords?: Readonly<Record<string, string>>;
  /** The operation a start is recorded under in the audit trail (its intent rows). */
  readonly startOperation: Omit<BackendOperation, 'backend'> & { readonly backend: BackendOperation['backend'] };
  /**
   * Where a platform starts some scripts through another route (COC's public scripts), the
   * operation a start of this script is recorded under; absent: always `startOperation`.
   */
  startOperationFor?(script: ScriptId): Omit<BackendOperation, 'backend'> & { readonly backend: BackendOperation['backend'] };
  /** A write, never retried: a failure is refused or unknown (errors.ts). */
  start(request: ExecutionRequest, options?: CallOptions): Promise<RunId>;
  /** Checks a request against the platform's own rules without sending it: problems, or none. */
  check(request: ExecutionRequest): readonly { readonly path: string; readonly message: string }[];
  /** undefined = the platform does not know the run. */
  read(id: RunId, options?: CallOptions): Promise<RunSummary | undefined>;
  progress(id: RunId, options?: CallOptions): Promise<RunProgress>;
  batches(id: RunId, options?: CallOptions): Promise<readonly BatchSummary[]>;
  batch(id: RunId, index: number, query: { readonly state?: HostRunState; readonly limit?: number; readonly after?: string }, options?: CallOptions): Promise<BatchHosts>;
  operate?(id: RunId, operation: RunOperation, options?: CallOptions): Promise<void>;
  list?(query: RunListQuery, options?: CallOptions): Promise<Page<RunSummary>>;
  find?(query: FindQuery, options?: CallOptions): Promise<FindOutcome>;
  /**
   * Moves a run on where the bot drives it (bot batching): settles a batch that ended and starts the
   * next one unless it is held. Called by the replica that holds the run's lease, once per round.
   */
  advance?(id: RunId, options?: CallOptions): Promise<void>;
}
