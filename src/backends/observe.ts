/**
 * What a backend reports about its calls, for the audit trail, metrics and logs: every call as an
 * event, and every write announced before it is sent (an intent the audit trail records first, so
 * a write is never sent unrecorded and its outcome is completed afterwards).
 */
import type { AuditScope } from '../audit/audit-log.js';
import type { CommandDeadline } from '../core/command-deadline.js';
import type { BackendName } from './ids.js';

/**
 * Whose a call is and how long it may take, handed down by the invocation that makes it
 * (`Backend.within`), never looked up from an implicit async context: Node's AsyncLocalStorage
 * puts a hook on every promise the process makes, which cost 10–15% of the CPU of each answered
 * command. A call without a scope is the bot's own background work.
 */
export interface CallScope {
  /** The invocation's audit scope: it collects the calls, and a write's intent names who asked. */
  readonly audit?: AuditScope;
  /** The invocation's deadline: its reads fit in what is left (command-deadline.ts). */
  readonly deadline?: CommandDeadline;
}

/** One platform operation: COC `POST /v1/job/scripts/{script_uuid}`. */
export interface BackendOperation {
  readonly backend: BackendName;
  readonly method: string;
  readonly route: string;
  readonly write: boolean;
}

export type CallOutcome = 'ok' | 'api-error' | 'network-error' | 'timeout' | 'shape-error' | 'auth-error';

export interface BackendCallEvent {
  readonly backend: BackendName;
  readonly method: string;
  readonly route: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly requestId?: string;
  readonly durationMs: number;
  readonly attempt: number;
  readonly outcome: CallOutcome;
  readonly willRetry: boolean;
  readonly intentRecorded?: boolean;
}

/** done: the platform acted; refused: it said no before acting; unknown: it may have acted. */
export type WriteOutcome = 'done' | 'refused' | 'unknown';

export interface WriteIntentResult {
  readonly outcome: WriteOutcome;
  readonly callOutcome?: CallOutcome;
  readonly status?: number;
  readonly errorCode?: string;
  readonly requestId?: string;
  readonly durationMs: number;
}

export interface WriteIntent {
  complete(result: WriteIntentResult): Promise<void>;
}

/** Called before every write, with the scope of whoever sends it; a throw (or a failed record) means the write is not sent. */
export type BeforeWrite = (operation: BackendOperation, scope: CallScope | undefined) => Promise<WriteIntent | undefined>;

/** What every backend's clients report to: each call (with the scope it was made in), and each write before it is sent. */
export interface BackendHooks {
  readonly onCall?: (event: BackendCallEvent, scope: CallScope | undefined) => void;
  /** Awaited before each write is sent (the bot's and people's own clients alike): no write goes unrecorded. */
  readonly beforeWrite?: BeforeWrite;
}
