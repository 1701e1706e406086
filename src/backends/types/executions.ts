/**
 * Executions: one start of a script on a set of hosts, for platforms with no batches, pause or
 * cancel of their own (BlueKing Job: `fast_execute_script`). The bot drives the batches of a run
 * from its store (src/batches): each batch is one execution, claimed before it is sent, never sent
 * twice. A backend offers either `runs` (the platform batches) or `executions` (the bot batches).
 */
import type { CallOptions } from '../backend.js';
import type { HostId, Id, ScriptId } from '../ids.js';
import type { BackendOperation } from '../observe.js';
import type { Coded } from './coded.js';
import type { HostTarget } from './hosts.js';
import type { HostRunState, RunLimits, RunState } from './runs.js';

/** `blueking:execution:<biz>:<job_instance_id>`. */
export type ExecutionId = Id<'execution'>;

export interface SingleExecutionRequest {
  readonly script: { readonly id: ScriptId };
  readonly hosts: readonly HostTarget[];
  readonly timeoutSeconds: number;
  /** The OS account the script runs as (BlueKing: an account alias of the business). */
  readonly runAs: string;
  /** Parameter values by name, in the script's order. */
  readonly params: Readonly<Record<string, string>>;
  /** Names of parameters whose values are secret: sent as sensitive, never echoed or logged. */
  readonly sensitive?: readonly string[];
  /** The name the execution carries on the platform, for a person to find it by hand: `chatops-<plan8>-b<n>`. */
  readonly label: string;
  /** Where the platform reports the end (BlueKing `bk_callback_url`); absent = no callback. */
  readonly callback?: string;
}

export interface HostExecution {
  readonly host: { readonly id?: HostId; readonly name?: string; readonly ip?: string };
  readonly status: Coded<HostRunState>;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly durationMs?: number;
  readonly exitCode?: number;
}

export interface ExecutionStatus {
  readonly id: ExecutionId;
  /** The execution as a whole: `waiting`/`running` until it has ended. */
  readonly status: Coded<RunState>;
  /** True once the platform says the execution has ended (whatever its outcome). */
  readonly finished: boolean;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly durationMs?: number;
  /** Every host of the execution with its own state (may be empty before the platform dispatched it). */
  readonly hosts: readonly HostExecution[];
}

export interface ExecutionsCapability {
  readonly limits: RunLimits;
  /** The operation a start is recorded under in the audit trail (its intent rows). */
  readonly startOperation: BackendOperation;
  /** Checks a request against the platform's own rules without sending it: problems, or none. */
  check(request: SingleExecutionRequest): readonly { readonly path: string; readonly message: string }[];
  /** A write, never retried: a failure is refused or unknown (errors.ts). */
  start(request: SingleExecutionRequest, options?: CallOptions): Promise<ExecutionId>;
  /** undefined = the platform does not know the execution. */
  read(id: ExecutionId, options?: CallOptions): Promise<ExecutionStatus | undefined>;
  /** The script's output per host, raw (cards redact it); hosts the platform has no log for are absent. */
  output(id: ExecutionId, hosts: readonly HostId[], options?: CallOptions): Promise<ReadonlyMap<HostId, string>>;
  /** Turns the body the platform posts to a start's callback into the execution and whether it ended; undefined = not a callback body. */
  parseCallback?(body: unknown): { readonly id: ExecutionId; readonly finished: boolean } | undefined;
}
