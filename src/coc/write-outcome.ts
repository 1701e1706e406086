/**
 * What a failed write to COC tells us about whether COC acted. A write (POST, PUT, DELETE) has
 * three outcomes, never two:
 *
 * - done: COC answered 2xx with the payload the API defines (the call returned);
 * - refused: COC said no before acting — a 4xx carrying COC's own error body, a 429, or the
 *   request was never sent (our own validation, credentials that could not be used);
 * - unknown: anything after which COC may have acted — a 5xx, a timeout, a reset connection, a
 *   body that is not what the API defines, a 2xx carrying an error envelope or a 204 where a
 *   payload was due (CocFailureAnswerError: COC's reference gives that form for a failed execute,
 *   but also reads 204 as "task delivered", so it proves nothing), a 4xx without COC's error body
 *   (a proxy may have answered after COC acted).
 *
 * An unknown outcome is never reported as "did not happen" and never retried blindly: it is
 * reconciled against COC (read back) or reported as unknown with a check that works.
 */
import { CocApiError, CocAuthError, CocValidationError } from './errors.js';

export type WriteFailure = 'refused' | 'unknown';

/** Whether COC refused the write before acting (`refused`), or may have acted (`unknown`). */
export function writeFailureOf(error: unknown): WriteFailure {
  if (error instanceof CocValidationError || error instanceof CocAuthError) return 'refused';
  if (error instanceof CocApiError) {
    if (error.status === 429) return 'refused';
    const cocSaidNo = error.status >= 400 && error.status < 500 && error.errorCode !== undefined;
    return cocSaidNo ? 'refused' : 'unknown';
  }
  return 'unknown';
}

/** True when the write may have taken effect although the call failed. */
export function mayHaveActed(error: unknown): boolean {
  return writeFailureOf(error) === 'unknown';
}
