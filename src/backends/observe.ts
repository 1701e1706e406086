/**
 * What a backend reports about its calls, for the audit trail, metrics and logs: every call as an
 * event, and every write announced before it is sent (an intent the audit trail records first, so
 * a write is never sent unrecorded and its outcome is completed afterwards).
 */
import type { BackendName } from './ids.js';

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

/** Called before every write; a throw (or a failed record) means the write is not sent. */
export type BeforeWrite = (operation: BackendOperation) => Promise<WriteIntent | undefined>;

/** What every backend's clients report to: each call, and each write before it is sent. */
export interface BackendHooks {
  readonly onCall?: (event: BackendCallEvent) => void;
  /** Awaited before each write is sent (the bot's and people's own clients alike): no write goes unrecorded. */
  readonly beforeWrite?: BeforeWrite;
}
