/**
 * What can go wrong calling an ESB component, as typed errors. Each carries only safe facts: the
 * component's route, the HTTP status, ESB's code, message and request id — never the app secret,
 * a request body or a parameter value (the client redacts the platform's own texts before they
 * get here). src/backends/blueking/errors.ts turns these into the neutral family.
 */
import type { BackendOperation } from '../../observe.js';

export abstract class EsbError extends Error {
  constructor(
    message: string,
    /** The component called (`job/fast_execute_script`) and whether it writes. */
    readonly operation: BackendOperation,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The envelope said `result: false`: ESB or the system behind it answered, and said no. */
export class EsbApiError extends EsbError {
  constructor(
    operation: BackendOperation,
    readonly status: number,
    /** ESB's `code` as text; undefined when the envelope carried none. */
    readonly code: string | undefined,
    readonly esbMessage: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(`BlueKing ${operation.route} answered result=false${code !== undefined ? ` (code ${code})` : ''}${esbMessage ? `: ${esbMessage}` : ''}`, operation);
  }
}

/** A status outside 2xx without an envelope that says `result: false` (a gateway, a proxy, a crash). */
export class EsbHttpError extends EsbError {
  constructor(
    operation: BackendOperation,
    readonly status: number,
    readonly requestId: string | undefined,
    /** ESB's code and message when a body with them came along anyway. */
    readonly code?: string,
    readonly esbMessage?: string,
    readonly retryAfterMs?: number,
  ) {
    super(`BlueKing ${operation.route} answered HTTP ${status}${code !== undefined ? ` (code ${code})` : ''}`, operation);
  }
}

/** No answer within the call's time limit. */
export class EsbTimeoutError extends EsbError {
  constructor(operation: BackendOperation, readonly timeoutMs: number) {
    super(`BlueKing ${operation.route} did not answer within ${timeoutMs} ms`, operation);
  }
}

/** The connection failed or was reset. The undici error is not kept: a GET's URL carries the app secret. */
export class EsbNetworkError extends EsbError {
  constructor(operation: BackendOperation, readonly networkCode: string | undefined) {
    super(`BlueKing ${operation.route} could not be reached${networkCode ? ` (${networkCode})` : ''}`, operation);
  }
}

/** A 2xx whose body is not an envelope, or whose `data` is not what the component defines. */
export class EsbShapeError extends EsbError {
  constructor(
    operation: BackendOperation,
    readonly status: number,
    readonly issues: readonly string[],
    readonly requestId: string | undefined,
  ) {
    super(`BlueKing ${operation.route} answered in an unexpected shape: ${issues.slice(0, 3).join('; ')}`, operation);
  }
}

/** Our own check of the component's fields refused the input: nothing was sent. */
export class EsbInputError extends EsbError {
  constructor(operation: BackendOperation, readonly problems: readonly { readonly path: string; readonly message: string }[]) {
    super(`BlueKing ${operation.route}: ${problems.map((p) => `${p.path || '(input)'}: ${p.message}`).join('; ')}`, operation);
  }
}

/** The write's intent could not be recorded in the audit trail, so it was not sent. */
export class EsbWriteNotAuditedError extends EsbError {
  constructor(operation: BackendOperation, options?: { cause?: unknown }) {
    super(`BlueKing ${operation.route} was not sent: its intent could not be recorded`, operation, options);
  }
}
