/**
 * Runbooks: documents (job templates) of the platform that run a sequence of steps, and their
 * executions, as far as chat needs them. COC has them (documents and executions); BlueKing
 * declares none (its job plans are `tasks`), so a backend without `runbooks` refuses the commands.
 */
import type { CallOptions, Page } from '../backend.js';
import type { Id } from '../ids.js';
import type { RiskState } from './scripts.js';

/** `coc:template:<document id>`. */
export type RunbookId = Id<'template'>;
/** `coc:execution:<execution id>`. */
export type RunbookExecutionId = Id<'execution'>;

/** One parameter a runbook takes, as its definition says. */
export interface RunbookParameter {
  readonly name: string;
  readonly description?: string;
  readonly required: boolean;
  readonly defaultValue?: string;
  /** The only values allowed, when the definition lists them. */
  readonly allowed?: readonly string[];
  /** A regular expression a value must match, when the definition gives one. */
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface Runbook {
  readonly id: RunbookId;
  readonly name: string;
  readonly description?: string;
  /** The risk the document was made with; `unclassified` when it says none the bot knows. */
  readonly risk: RiskState;
  readonly version?: string;
  readonly creator?: string;
  readonly updatedAt?: number;
  /** Present on a runbook read by id; lists may leave them out. */
  readonly parameters?: readonly RunbookParameter[];
}

/** What an execution is doing, in neutral words; `other` for a state the bot does not know. */
export type RunbookExecutionState = 'waiting' | 'running' | 'paused' | 'failed' | 'canceled' | 'finished' | 'other';

/** What may be asked of an execution. */
export type RunbookOperation = 'resume' | 'terminate' | 'retry' | 'skip';

export interface RunbookStep {
  readonly id: string;
  readonly name: string;
  readonly state: RunbookExecutionState;
  /** The platform's own status word. */
  readonly statusCode: string;
  readonly message?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
}

export interface RunbookExecution {
  readonly id: RunbookExecutionId;
  readonly runbook?: RunbookId;
  readonly runbookName?: string;
  readonly state: RunbookExecutionState;
  readonly statusCode: string;
  readonly creator?: string;
  readonly description?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** When the platform last changed it (a step began or ended, an operation): equal = nothing moved. */
  readonly updatedAt?: number;
  readonly parameters: readonly { readonly name: string; readonly value: string }[];
  readonly steps: readonly RunbookStep[];
}

export interface RunbookQuery {
  readonly nameLike?: string;
  readonly limit: number;
  readonly offset?: number;
}

export interface RunbooksCapability {
  list(query: RunbookQuery, options?: CallOptions): Promise<Page<Runbook>>;
  /** undefined = no such runbook. */
  get(id: RunbookId, options?: CallOptions): Promise<Runbook | undefined>;
  /** Starts an execution (a write) of the runbook (of that version, when given: another version is refused); returns its id. */
  execute(request: { readonly id: RunbookId; readonly version?: string; readonly parameters: Readonly<Record<string, string>>; readonly description?: string }, options?: CallOptions): Promise<RunbookExecutionId>;
  /**
   * The runbook's executions (started after `since`, epoch ms, when given), newest first, at most 100,
   * with how many there are in all: how a preview notices a run since it and a lost execute
   * answer is settled.
   */
  executionsOf(id: RunbookId, since?: number, options?: CallOptions): Promise<{ readonly total: number; readonly items: readonly RunbookExecution[] }>;
  /** The execution with its steps; undefined = no such execution. */
  execution(id: RunbookExecutionId, options?: CallOptions): Promise<RunbookExecution | undefined>;
  /**
   * The execution alone, its `steps` empty (one read): what a live card reads every round to learn
   * whether it moved. undefined = no such execution.
   */
  executionHead(id: RunbookExecutionId, options?: CallOptions): Promise<RunbookExecution | undefined>;
  /** The execution's steps (one read), read when its head moved. */
  executionSteps(id: RunbookExecutionId, options?: CallOptions): Promise<readonly RunbookStep[]>;
  /** Which operations fit the execution's state now. */
  operationsFor(execution: RunbookExecution): readonly RunbookOperation[];
  /** Resumes, terminates, retries or skips (a write). */
  operate(request: { readonly id: RunbookExecutionId; readonly operation: RunbookOperation }, options?: CallOptions): Promise<void>;
}
