/**
 * Typed errors raised by the COC client. Messages never contain secrets, tokens or
 * sensitive parameter values: they are built only from fields known to be safe.
 */

export type CocOperation = { readonly method: string; readonly route: string };

export abstract class CocError extends Error {
  abstract readonly kind: 'api' | 'network' | 'timeout' | 'shape' | 'validation' | 'auth';
  constructor(
    message: string,
    readonly operation: CocOperation | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** COC answered with an error: HTTP status, COC's error_code / error_msg and the request id. */
export class CocApiError extends CocError {
  readonly kind = 'api' as const;
  constructor(
    operation: CocOperation,
    readonly status: number,
    readonly errorCode: string | undefined,
    readonly errorMsg: string | undefined,
    readonly requestId: string | undefined,
    readonly retryAfterMs?: number,
  ) {
    super(
      `COC ${operation.method} ${operation.route} failed: HTTP ${status}${errorCode ? ` ${errorCode}` : ''}${errorMsg ? ` — ${errorMsg}` : ''}${requestId ? ` (request ${requestId})` : ''}`,
      operation,
    );
  }
}

/**
 * COC answered 2xx in the form its reference documents for a failed execute (coc-api-notes §1.8,
 * §3 row 2): HTTP 204, or a 2xx body carrying `error_code`/`error_msg` and no `data`. HTTP gives a
 * 204 no body, so COC's code and message arrive only when a 2xx other than 204 carries them (a 204's
 * body, if COC sends one, is not part of the answer and is never read).
 *
 * It does not prove that nothing happened: the same reference's status table (§5.1) reads 204 as
 * "the task is successfully delivered", and the code of its 204 example, COC.00040701, is
 * documented as an internal server error. A write answered so has an unknown outcome
 * (write-outcome.ts) and is reconciled, never reported as "not started".
 */
export class CocFailureAnswerError extends CocApiError {
  constructor(operation: CocOperation, status: number, errorCode: string | undefined, errorMsg: string | undefined, requestId: string | undefined) {
    super(operation, status, errorCode, errorMsg, requestId);
    const reason = [errorCode, errorMsg].filter(Boolean).join(' — ');
    const said = status === 204 ? `HTTP 204, the execute's documented failure status, ${reason ? `with ${reason}` : 'without a reason'}` : `HTTP ${status} with an error and no data${reason ? `: ${reason}` : ''}`;
    this.message = `COC ${operation.method} ${operation.route} answered ${said}${requestId ? ` (request ${requestId})` : ''}`;
  }
}

/** The connection failed or was reset before a complete answer arrived. */
export class CocNetworkError extends CocError {
  readonly kind = 'network' as const;
  constructor(operation: CocOperation, readonly code: string | undefined, options?: { cause?: unknown }) {
    super(`COC ${operation.method} ${operation.route} could not be reached${code ? ` (${code})` : ''}`, operation, options);
  }
}

/** No complete answer within the call's timeout. For a POST the outcome is unknown: it may have run. */
export class CocTimeoutError extends CocError {
  readonly kind = 'timeout' as const;
  constructor(operation: CocOperation, readonly timeoutMs: number) {
    super(`COC ${operation.method} ${operation.route} did not answer within ${timeoutMs} ms`, operation);
  }
}

/** COC answered 2xx, but not with the shape the API defines (or not JSON at all). */
export class CocResponseShapeError extends CocError {
  readonly kind = 'shape' as const;
  constructor(operation: CocOperation, readonly status: number, readonly issues: readonly string[], readonly requestId?: string) {
    super(`COC ${operation.method} ${operation.route} returned an unexpected response: ${issues.slice(0, 3).join('; ')}`, operation);
  }
}

/** One problem with an input, named by field path, with what is allowed. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** The input was refused before anything was sent. */
export class CocValidationError extends CocError {
  readonly kind = 'validation' as const;
  constructor(operation: CocOperation | undefined, readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '), operation);
  }
}

/** Credentials could not be used (IAM token could not be obtained, or are missing). */
export class CocAuthError extends CocError {
  readonly kind = 'auth' as const;
  constructor(message: string, operation?: CocOperation, options?: { cause?: unknown }) {
    super(message, operation, options);
  }
}

export function isCocError(error: unknown): error is CocError {
  return error instanceof CocError;
}
