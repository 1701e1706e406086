/**
 * ESB's errors in the neutral form. The reference documents no error codes of its own (only that
 * `code` is 0 for success and greater for a failure), so every `result: false` that carries a code
 * is a refusal: ESB or the system behind it said no before acting. A status of 5xx, a timeout, a
 * reset, an answer that is not an envelope, a `result: false` without a code or a `data` that is
 * not what the component defines lost the answer: for a write, BlueKing may have acted.
 */
import {
  BackendError,
  BackendInputError,
  BackendNotAuditedError,
  BackendRateLimitedError,
  BackendRefusedError,
  BackendUnavailableError,
  registerErrorMapper,
  type ErrorDetail,
} from '../errors.js';
import {
  EsbApiError,
  EsbError,
  EsbHttpError,
  EsbInputError,
  EsbNetworkError,
  EsbShapeError,
  EsbTimeoutError,
  EsbWriteNotAuditedError,
} from './esb/errors.js';

function platformFacts(error: { status?: number; code?: string | undefined; esbMessage?: string | undefined; requestId?: string | undefined }): ErrorDetail {
  return {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.esbMessage ? { platformMessage: error.esbMessage } : {}),
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
  };
}

/** The neutral error for an ESB error; undefined for anything else. */
export function toBackendError(error: unknown): BackendError | undefined {
  if (error instanceof BackendError) return error;
  if (!(error instanceof EsbError)) return undefined;
  const { operation } = error;
  // Only a write can have acted; a failed read changed nothing.
  const acted = operation.write;
  const options = { cause: error };
  if (error instanceof EsbWriteNotAuditedError) return new BackendNotAuditedError(error.message, 'blueking', operation, {}, false, options);
  if (error instanceof EsbInputError) return new BackendInputError(error.message, 'blueking', operation, { problems: error.problems }, false, options);
  if (error instanceof EsbApiError) {
    const detail = platformFacts(error);
    if (error.code !== undefined) return new BackendRefusedError(error.message, 'blueking', operation, detail, false, options);
    return new BackendUnavailableError(error.message, 'blueking', operation, { ...detail, lost: 'envelope' }, acted, options);
  }
  if (error instanceof EsbHttpError) {
    const detail = { ...platformFacts(error), ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
    if (error.status === 429) return new BackendRateLimitedError(error.message, 'blueking', operation, detail, false, options);
    return new BackendUnavailableError(error.message, 'blueking', operation, { ...detail, lost: 'status' }, acted, options);
  }
  if (error instanceof EsbTimeoutError) return new BackendUnavailableError(error.message, 'blueking', operation, { timeoutMs: error.timeoutMs, lost: 'timeout' }, acted, options);
  if (error instanceof EsbNetworkError) {
    return new BackendUnavailableError(error.message, 'blueking', operation, { ...(error.networkCode ? { networkCode: error.networkCode } : {}), lost: 'network' }, acted, options);
  }
  if (error instanceof EsbShapeError) {
    const detail = { status: error.status, issues: error.issues, ...(error.requestId !== undefined ? { requestId: error.requestId } : {}), lost: 'shape' as const };
    return new BackendUnavailableError(error.message, 'blueking', operation, detail, acted, options);
  }
  return new BackendUnavailableError(error.message, 'blueking', operation, {}, acted, options);
}

registerErrorMapper(toBackendError);

/** Runs ESB calls and rethrows their failure in the neutral form. */
export async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toBackendError(error) ?? error;
  }
}
