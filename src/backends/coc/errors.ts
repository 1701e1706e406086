/**
 * COC's errors in the neutral form, judged by COC's write rule (src/coc/write-outcome.ts): a 4xx
 * carrying COC's own error body, a 429, our own validation and unusable credentials are refusals
 * (nothing acted); a 5xx, a timeout, a reset, an unreadable body, a 2xx error envelope or a 4xx
 * without COC's body may have acted.
 */
import {
  CocApiError,
  CocAuthError,
  CocError,
  CocNetworkError,
  CocResponseShapeError,
  CocTimeoutError,
  CocValidationError,
  type CocOperation,
} from '../../coc/errors.js';
import { CocWriteNotAuditedError } from '../../coc/write-intent.js';
import { isCocWrite } from '../../coc/write-intent.js';
import { mayHaveActed as cocMayHaveActed } from '../../coc/write-outcome.js';
import {
  BackendAuthError,
  BackendError,
  BackendInputError,
  BackendNotAuditedError,
  BackendNotFoundError,
  BackendRateLimitedError,
  BackendRefusedError,
  BackendUnavailableError,
  registerErrorMapper,
  type LostAnswer,
} from '../errors.js';
import type { BackendOperation } from '../observe.js';

export function cocOperation(operation: CocOperation | undefined): BackendOperation | undefined {
  return operation ? { backend: 'coc', method: operation.method, route: operation.route, write: isCocWrite(operation) } : undefined;
}

/** The neutral error for a COC error; undefined for anything else. */
export function toBackendError(error: unknown): BackendError | undefined {
  if (error instanceof BackendError) return error;
  if (!(error instanceof CocError)) return undefined;
  const operation = cocOperation(error.operation);
  // COC's rule does not look at the method: for a read the answer is simply never asked for.
  const acted = cocMayHaveActed(error);
  const options = { cause: error };
  if (error instanceof CocWriteNotAuditedError) return new BackendNotAuditedError(error.message, 'coc', operation, {}, false, options);
  if (error instanceof CocValidationError) return new BackendInputError(error.message, 'coc', operation, { problems: error.problems }, false, options);
  if (error instanceof CocAuthError) return new BackendAuthError(error.message, 'coc', operation, {}, false, options);
  if (error instanceof CocApiError) {
    const detail = {
      status: error.status,
      ...(error.errorCode !== undefined ? { code: error.errorCode } : {}),
      ...(error.errorMsg !== undefined ? { platformMessage: error.errorMsg } : {}),
      ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    };
    if (error.status === 429) return new BackendRateLimitedError(error.message, 'coc', operation, detail, false, options);
    const cocSaidNo = error.status >= 400 && error.status < 500 && error.errorCode !== undefined;
    if (cocSaidNo && error.status === 404) return new BackendNotFoundError(error.message, 'coc', operation, detail, false, options);
    if (cocSaidNo) return new BackendRefusedError(error.message, 'coc', operation, detail, false, options);
    const lost: LostAnswer = error.status >= 200 && error.status < 300 ? 'envelope' : 'status';
    return new BackendUnavailableError(error.message, 'coc', operation, { ...detail, lost }, acted, options);
  }
  if (error instanceof CocTimeoutError) return new BackendUnavailableError(error.message, 'coc', operation, { timeoutMs: error.timeoutMs, lost: 'timeout' }, acted, options);
  if (error instanceof CocNetworkError) {
    return new BackendUnavailableError(error.message, 'coc', operation, { ...(error.code ? { networkCode: error.code } : {}), lost: 'network' }, acted, options);
  }
  if (error instanceof CocResponseShapeError) {
    const detail = { status: error.status, issues: error.issues, ...(error.requestId ? { requestId: error.requestId } : {}), lost: 'shape' as const };
    return new BackendUnavailableError(error.message, 'coc', operation, detail, acted, options);
  }
  return new BackendUnavailableError(error.message, 'coc', operation, {}, acted, options);
}

registerErrorMapper(toBackendError);

/** Runs a COC call and rethrows its failure in the neutral form. */
export async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toBackendError(error) ?? error;
  }
}
