/**
 * The transport's seam for recording a write before it is sent. `CocHttp` awaits `beforeWrite`
 * before every POST, PUT and DELETE (present and future: no endpoint function can forget it);
 * the intent it returns is completed once the call's outcome is known. When the intent cannot
 * be recorded the write is not sent: nothing is done that the audit trail could not show.
 */
import type { CallScope } from '../backends/observe.js';
import { CocValidationError, type CocOperation } from './errors.js';
import type { CallOutcome } from './http.js';
import type { WriteFailure } from './write-outcome.js';

/**
 * Whether a call may change something in COC: every POST, PUT and DELETE, except COC's list
 * APIs that take their filter in a POST body (`/v2/incidents/list`, `/v1/external/warrooms/list`,
 * an incident's `/v2/incidents/{incident_id}/histories`, the tickets' `/v1/{ticket_type}/list-tickets`)
 * and only read.
 */
export function isCocWrite(operation: CocOperation): boolean {
  if (operation.method === 'GET') return false;
  return !(operation.method === 'POST' && (/\/list(-tickets)?$/.test(operation.route) || operation.route === '/v2/incidents/{incident_id}/histories'));
}

/** What a write came to: done (COC said so), refused (before acting), unknown (may have acted). */
export type WriteOutcome = 'done' | WriteFailure;

/** The safe facts of a finished write (no body, no filled-in path, no parameter). */
export interface WriteIntentResult {
  readonly outcome: WriteOutcome;
  /** How the attempt ended, in the transport's words; absent when no attempt was made. */
  readonly callOutcome?: CallOutcome;
  readonly status?: number;
  readonly errorCode?: string;
  readonly requestId?: string;
  readonly durationMs: number;
}

/** A recorded intent, waiting for its outcome. */
export interface WriteIntent {
  /** Called once. It must not throw: the write has happened, whatever its record does. */
  complete(result: WriteIntentResult): Promise<void>;
}

/** Records an intent for `operation` (method and route template), sent in `scope`; undefined: nothing to record. */
export type BeforeWrite = (operation: CocOperation, scope: CallScope | undefined) => Promise<WriteIntent | undefined>;

/**
 * The audit trail could not record the write, so it was not sent. A refusal (nothing reached
 * COC; `writeFailureOf` says 'refused'), hence a `CocValidationError`: everything that shows
 * "not sent to COC" shows it, and no caller mistakes it for a write that may have run.
 */
export class CocWriteNotAuditedError extends CocValidationError {
  constructor(operation: CocOperation, options?: { cause?: unknown }) {
    super(operation, [
      {
        path: 'audit trail',
        message: 'the audit trail could not record this change, so nothing was sent to COC. Try again once the database answers.',
      },
    ]);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
