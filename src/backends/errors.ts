/**
 * Errors a backend raises, whatever its platform. Each backend maps its own errors to these
 * (the COC backend: src/backends/coc/errors.ts) and decides one thing neutral code cannot: whether
 * a failed write may have acted (`mayHaveActed`). A write has three outcomes, never two — done,
 * refused (the platform said no before acting, or nothing was sent), unknown (it may have acted):
 * an unknown outcome is never reported as "did not happen" and never retried blindly.
 */
import type { BackendName } from './ids.js';
import type { BackendOperation } from './observe.js';

export type BackendErrorKind = 'refused' | 'not-found' | 'rate-limited' | 'invalid' | 'not-audited' | 'auth' | 'unavailable';

/** One problem with an input, named by field path, with what is allowed. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** What instead of an answer came back, when no usable answer did. */
export type LostAnswer = 'status' | 'envelope' | 'timeout' | 'network' | 'shape';

/** The safe facts of a failure: never a secret, a body or a parameter value. */
export interface ErrorDetail {
  readonly status?: number;
  readonly code?: string;
  readonly platformMessage?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly timeoutMs?: number;
  /** The network error's code (ECONNRESET…). */
  readonly networkCode?: string;
  readonly problems?: readonly FieldProblem[];
  /** Shape problems of an unreadable answer. */
  readonly issues?: readonly string[];
  readonly lost?: LostAnswer;
}

export abstract class BackendError extends Error {
  abstract readonly kind: BackendErrorKind;
  constructor(
    message: string,
    readonly backend: BackendName,
    readonly operation: BackendOperation | undefined,
    readonly detail: ErrorDetail,
    /** The platform may have acted (writes only; always false for what was never sent). */
    readonly mayHaveActed: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The platform said no before acting (a 4xx with the platform's own error). */
export class BackendRefusedError extends BackendError {
  readonly kind = 'refused' as const;
}
/** The platform says the thing does not exist. */
export class BackendNotFoundError extends BackendError {
  readonly kind = 'not-found' as const;
}
/** Too many requests: refused, try again after `detail.retryAfterMs`. */
export class BackendRateLimitedError extends BackendError {
  readonly kind = 'rate-limited' as const;
}
/** Our own check of the input refused it: nothing was sent (`detail.problems`). */
export class BackendInputError extends BackendError {
  readonly kind: BackendErrorKind = 'invalid';
}
/** The intent could not be recorded in the audit trail, so the write was not sent. */
export class BackendNotAuditedError extends BackendInputError {
  override readonly kind = 'not-audited' as const;
}
/** Credentials could not be used: nothing was sent. */
export class BackendAuthError extends BackendError {
  readonly kind = 'auth' as const;
}
/** No usable answer: a 5xx, a timeout, a reset, an unreadable body. For a write the platform may have acted. */
export class BackendUnavailableError extends BackendError {
  readonly kind = 'unavailable' as const;
}

export type WriteFailure = 'refused' | 'unknown';

type Mapper = (error: unknown) => BackendError | undefined;
const mappers: Mapper[] = [];

/**
 * Backends register how to read their own errors, so an error that escaped unwrapped (from a
 * client used directly) is still judged by the backend's rule, never guessed at.
 */
export function registerErrorMapper(map: Mapper): void {
  if (!mappers.includes(map)) mappers.push(map);
}

/** The neutral form of `error`, or undefined when it is not a backend's error at all. */
export function normalizeError(error: unknown): BackendError | undefined {
  if (error instanceof BackendError) return error;
  for (const map of mappers) {
    const mapped = map(error);
    if (mapped) return mapped;
  }
  return undefined;
}

/** Whether a failed write was refused before acting, or may have acted (anything not known to be a refusal). */
export function writeFailureOf(error: unknown): WriteFailure {
  const known = normalizeError(error);
  if (!known) return 'unknown';
  return known.mayHaveActed ? 'unknown' : 'refused';
}

/** True when the write may have taken effect although the call failed. */
export function mayHaveActed(error: unknown): boolean {
  return writeFailureOf(error) === 'unknown';
}

/** Not found, as reads take it: the platform's own "no such thing", or a bare 404. */
export function isNotFound(error: unknown): boolean {
  const known = normalizeError(error);
  return known instanceof BackendNotFoundError || (known?.kind === 'unavailable' && known.detail.status === 404);
}

export function isBackendError(error: unknown): boolean {
  return normalizeError(error) !== undefined;
}
