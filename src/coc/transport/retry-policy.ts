/**
 * When a COC call may be repeated. Only GET is ever retried: executing a script twice is the
 * worst thing this bot can do, so a POST/PUT/DELETE that failed in any way (even a timeout or
 * a reset, where it may well have run) is reported, never repeated.
 */

export interface RetryOptions {
  /** Further attempts after the first one (GET only). Default 3. */
  readonly retries?: number;
  /** Backoff base; attempt n waits a random time in [0, min(cap, base·2^n)). Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Backoff cap. Default 5 s. */
  readonly maxDelayMs?: number;
  /** The longest `Retry-After` the client waits; a longer one ends the call at once. Default 30 s. */
  readonly maxRetryAfterMs?: number;
  /**
   * Wall-clock budget of one GET including all retries and waits: the read's one deadline, at
   * which the person is told the platform did not answer (not after some number of tries).
   * Default 30 s.
   */
  readonly budgetMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  retries: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
  budgetMs: 30_000,
};

export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  return {
    retries: options?.retries ?? DEFAULT_RETRY.retries,
    baseDelayMs: options?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: options?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
    budgetMs: options?.budgetMs ?? DEFAULT_RETRY.budgetMs,
  };
}

/** What went wrong in one attempt, as far as the retry decision cares. */
export type AttemptFailure =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'network' }
  | { readonly kind: 'timeout' };

export function isRetryableMethod(method: string): boolean {
  return method.toUpperCase() === 'GET';
}

export function isRetryableFailure(failure: AttemptFailure): boolean {
  if (failure.kind !== 'status') return true;
  return failure.status === 429 || failure.status >= 500;
}

/** Full-jitter exponential backoff for retry number `retry` (0 = the first retry). */
export function backoffDelayMs(retry: number, options: ResolvedRetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false };

/**
 * Decides whether attempt number `attempt` (1-based) is followed by another one, and after
 * how long. `remainingMs` is what is left of the call's budget.
 */
export function decideRetry(
  method: string,
  attempt: number,
  failure: AttemptFailure,
  remainingMs: number,
  options: ResolvedRetryOptions,
  random: () => number,
): RetryDecision {
  if (!isRetryableMethod(method) || !isRetryableFailure(failure)) return { retry: false };
  if (attempt > options.retries) return { retry: false };
  const retryAfterMs = failure.kind === 'status' ? failure.retryAfterMs : undefined;
  if (retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs) return { retry: false };
  const delayMs = retryAfterMs ?? backoffDelayMs(attempt - 1, options, random);
  // Waiting only to run out of budget mid-attempt helps nobody: stop and report now.
  if (delayMs >= remainingMs) return { retry: false };
  return { retry: true, delayMs };
}
