/**
 * The one way the client talks to COC. Every endpoint function goes through `CocHttp.call`,
 * which builds the URL, serialises the body once (the same bytes are signed and sent), adds
 * authentication, enforces a time limit that covers headers and body, unwraps COC's envelope,
 * checks the answer against a zod schema and turns every failure into a typed error.
 *
 * Only GET is retried (429, 5xx, network errors, timeouts), with full-jitter backoff and
 * `Retry-After`. POST, PUT and DELETE are sent exactly once, whatever happens: a repeated
 * execute could run a script twice. Before one is sent, `beforeWrite` records its intent (see
 * write-intent.ts); it is completed with the write's outcome once that is known.
 */
import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Authenticator } from './auth/credentials.js';
import {
  CocApiError,
  CocAuthError,
  CocError,
  CocFailureAnswerError,
  CocNetworkError,
  CocResponseShapeError,
  CocTimeoutError,
  CocValidationError,
  type CocOperation,
} from './errors.js';
import { checkResponse } from './schemas/problems.js';
import { parseJsonBody, readErrorFields } from './transport/error-body.js';
import { unwrapEnvelope, type EnvelopeKind, type SuccessBody } from './transport/envelopes.js';
import { isTimeoutCode, networkErrorCode } from '../core/network-errors.js';
import { commandTimeLeft, liftCommandDeadline } from '../core/command-deadline.js';
import type { CallScope } from '../backends/observe.js';
import { CocWriteNotAuditedError, isCocWrite, type BeforeWrite, type WriteIntent } from './write-intent.js';
import { writeFailureOf } from './write-outcome.js';
import { PoolSet } from './transport/pools.js';
import { Redactor } from './transport/redact.js';
import { parseRetryAfter } from './transport/retry-after.js';
import { decideRetry, isRetryableMethod, resolveRetryOptions, type AttemptFailure, type ResolvedRetryOptions, type RetryOptions } from './transport/retry-policy.js';
import { buildQuery, expandRoute, parseEndpoint, pathParamProblems, type ParsedEndpoint, type PathParams, type QueryParams } from './transport/url.js';

export type CocMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type CocLanguage = 'en-us' | 'zh-cn';

export type CallOutcome = 'ok' | 'api-error' | 'network-error' | 'timeout' | 'shape-error' | 'auth-error';

/** One attempt of one call, for the audit log. Only fields that are safe to store. */
export interface CocCallEvent {
  readonly method: string;
  /** The route template, e.g. `/v1/job/scripts/{script_uuid}` (never the filled-in path). */
  readonly route: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly requestId?: string;
  readonly durationMs: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly outcome: CallOutcome;
  /** Another attempt follows (GET only). */
  readonly willRetry: boolean;
  /** A write whose intent `beforeWrite` recorded: its outcome is recorded there, not from this event. */
  readonly intentRecorded?: boolean;
}

/** Per-call options every endpoint function accepts as its last argument. */
export interface CallOptions {
  /** Time limit of this call (each attempt, for a GET). Default: the client's. */
  readonly timeoutMs?: number;
  /** Abort the call; the abort reason is thrown as-is. */
  readonly signal?: AbortSignal;
  /** Language of COC's messages, where the API supports it. */
  readonly language?: CocLanguage;
}

/** What an endpoint function asks for. */
export interface CocRequest<S extends z.ZodType> {
  readonly method: CocMethod;
  /** The path template exactly as in the API notes. */
  readonly route: string;
  readonly pathParams?: PathParams;
  readonly query?: QueryParams;
  /** JSON body; undefined sends none. */
  readonly body?: unknown;
  readonly envelope: EnvelopeKind;
  /** Schema of the payload (inside the envelope). */
  readonly response: S;
  /** The API honours `X-Language` (script, job and public-script APIs). */
  readonly localized?: boolean;
  /** Values to hide in any error text (sensitive script parameters, integration keys). */
  readonly sensitiveValues?: readonly (string | undefined)[];
}

export interface CocHttpOptions {
  /** COC endpoint, e.g. `https://coc.myhuaweicloud.com` (a path prefix is kept). */
  readonly endpoint: string;
  readonly auth: Authenticator;
  /** Time limit of one request, headers and body. Default 15 s. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Default `X-Language` for APIs that honour it; unset sends none. */
  readonly language?: CocLanguage;
  /** Told about every attempt; exceptions it throws are ignored. */
  readonly onCall?: (event: CocCallEvent, scope: CallScope | undefined) => void;
  /** Awaited before every POST, PUT and DELETE is sent; when it throws, the write is not sent. */
  readonly beforeWrite?: BeforeWrite;
  /** Share pools with other clients (and the IAM token provider). */
  readonly pools?: PoolSet;
  /** Largest response body accepted. Default 64 MiB (a batch of 50 hosts can carry 50 logs of 1 MB). */
  readonly maxResponseBytes?: number;
  readonly userAgent?: string;
  /** For tests: waiting between retries, jitter, and the clock (epoch ms). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  /**
   * For tests: what ends one attempt for lack of an answer. Default: a real timer of `timeoutMs`.
   * A test can end exactly the attempts its simulator holds in a hang, at once, and never a healthy one.
   */
  readonly expiry?: AttemptExpiry;
}

/** What one attempt sent, as seen by an `AttemptExpiry` (signed headers included, for matching it). */
export interface AttemptSent {
  readonly method: CocMethod;
  /** Path with the endpoint's base path and the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Arms the end of one attempt: `expire()` ends it as timed out; the returned function disarms it. */
export type AttemptExpiry = (timeoutMs: number, expire: () => void, sent: AttemptSent) => () => void;

const realTimerExpiry: AttemptExpiry = (timeoutMs, expire) => {
  const timer = setTimeout(expire, timeoutMs);
  return () => clearTimeout(timer);
};

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
/** HTTP 204 No Content: the status COC's reference gives a failed execute (see CocFailureAnswerError). */
const NO_CONTENT = 204;

interface Prepared {
  readonly operation: CocOperation;
  readonly path: string;
  readonly url: string;
  readonly bodyText: string | undefined;
  readonly headers: Record<string, string>;
  /** The request's values to hide in error text (with the credentials' secrets). */
  readonly sensitiveValues: readonly (string | undefined)[] | undefined;
}

type AttemptResult<T> =
  | { readonly ok: true; readonly value: T; readonly status: number; readonly requestId: string | undefined }
  | {
      readonly ok: false;
      readonly error: CocError;
      readonly outcome: Exclude<CallOutcome, 'ok'>;
      /** Undefined: not a failure any retry could fix. */
      readonly failure: AttemptFailure | undefined;
      readonly status?: number;
      readonly errorCode?: string;
      readonly requestId?: string;
    };

class ResponseTooLarge extends Error {}

/** A transport's settings with their defaults filled in. */
interface ResolvedSettings {
  readonly endpoint: ParsedEndpoint;
  readonly auth: Authenticator;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly language: CocLanguage | undefined;
  readonly onCall: ((event: CocCallEvent, scope: CallScope | undefined) => void) | undefined;
  readonly beforeWrite: BeforeWrite | undefined;
  readonly pools: PoolSet;
  readonly maxResponseBytes: number;
  readonly userAgent: string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly expiry: AttemptExpiry;
}

function resolveSettings(options: CocHttpOptions): ResolvedSettings {
  return {
    endpoint: parseEndpoint(options.endpoint),
    auth: options.auth,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: resolveRetryOptions(options.retry),
    language: options.language,
    onCall: options.onCall,
    beforeWrite: options.beforeWrite,
    pools: options.pools ?? new PoolSet(),
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    userAgent: options.userAgent ?? 'coc-chatops',
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    expiry: options.expiry ?? realTimerExpiry,
  };
}

/** A scoped view of a transport (`scoped`): its parent's settings, its calls made in `scope`. */
interface ScopedView {
  readonly parent: CocHttp;
  readonly scope: CallScope;
}

export class CocHttp {
  /** What the transport was made with, resolved once: shared by its scoped views. */
  readonly #s: ResolvedSettings;
  readonly #ownsPools: boolean;
  /** Whose calls these are and how long reads may take; undefined: the bot's own background work. */
  readonly #scope: CallScope | undefined;

  constructor(options: CocHttpOptions | ScopedView) {
    if ('parent' in options) {
      // A scoped view shares its parent's settings, its connections included, and owns none.
      this.#s = options.parent.#s;
      this.#ownsPools = false;
      this.#scope = options.scope;
      return;
    }
    this.#s = resolveSettings(options);
    this.#ownsPools = options.pools === undefined;
    this.#scope = undefined;
  }

  get endpoint(): string {
    return `${this.#s.endpoint.origin}${this.#s.endpoint.basePath}`;
  }

  /** The same transport (its connections, credentials and hooks), its calls made in `scope`. */
  scoped(scope: CallScope): CocHttp {
    return new CocHttp({ parent: this, scope });
  }

  /** Sends one COC request (retrying a GET where allowed) and returns the checked payload. */
  async call<S extends z.ZodType>(request: CocRequest<S>, options: CallOptions = {}): Promise<z.output<S>> {
    const prepared = this.#prepare(request, options);
    if (!this.#s.beforeWrite || !isCocWrite(prepared.operation)) return this.#send(request, prepared, options, undefined);
    const intent = await this.#recordIntent(this.#s.beforeWrite, prepared.operation);
    if (!intent) return this.#send(request, prepared, options, undefined);
    const started = this.#s.now();
    let last: CocCallEvent | undefined;
    const facts = () => ({
      durationMs: last?.durationMs ?? this.#s.now() - started,
      ...(last ? { callOutcome: last.outcome } : {}),
      ...(last?.status !== undefined ? { status: last.status } : {}),
      ...(last?.errorCode !== undefined ? { errorCode: last.errorCode } : {}),
      ...(last?.requestId !== undefined ? { requestId: last.requestId } : {}),
    });
    let value: z.output<S>;
    try {
      value = await this.#send(request, prepared, options, (event) => (last = event));
    } catch (error) {
      await completeQuietly(intent, { outcome: writeFailureOf(error), ...facts() });
      throw error;
    }
    await completeQuietly(intent, { outcome: 'done', ...facts() });
    return value;
  }

  /** The write's intent, recorded; a write that cannot be recorded is refused, never sent. */
  async #recordIntent(beforeWrite: BeforeWrite, operation: CocOperation): Promise<WriteIntent | undefined> {
    try {
      return await beforeWrite(operation, this.#scope);
    } catch (error) {
      throw new CocWriteNotAuditedError(operation, { cause: error });
    }
  }

  /** The attempts of one call; `onFinal` (set for a write with an intent) hears the last one. */
  async #send<S extends z.ZodType>(
    request: CocRequest<S>,
    prepared: Prepared,
    options: CallOptions,
    onFinal: ((event: CocCallEvent) => void) | undefined,
  ): Promise<z.output<S>> {
    const intentRecorded = onFinal !== undefined;
    const observed = this.#s.onCall !== undefined || intentRecorded;
    const timeoutMs = options.timeoutMs ?? this.#s.timeoutMs;
    const retryable = isRetryableMethod(request.method);
    const started = this.#s.now();
    // A read fits in what its command has left, and one started after that fails at once (see
    // command-deadline.ts); a write keeps its own time limit, and lifts the deadline off what follows it.
    const write = isCocWrite(prepared.operation);
    const command = write ? undefined : commandTimeLeft(this.#scope, started);
    if (write) liftCommandDeadline(this.#scope);
    if (command && command.leftMs <= 0) throw new CocTimeoutError(prepared.operation, command.budgetMs);
    const ownDeadline = started + (retryable ? Math.max(this.#s.retry.budgetMs, timeoutMs) : timeoutMs);
    const deadline = command ? Math.min(ownDeadline, started + command.leftMs) : ownDeadline;
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      const attemptStarted = this.#s.now();
      const attemptTimeout = retryable || command ? Math.max(1, Math.min(timeoutMs, deadline - attemptStarted)) : timeoutMs;
      const result = await this.#attempt(request, prepared, attemptTimeout, options.signal);
      const durationMs = this.#s.now() - attemptStarted;
      if (result.ok) {
        if (observed) {
          const event: CocCallEvent = { method: prepared.operation.method, route: prepared.operation.route, status: result.status, requestId: result.requestId, durationMs, attempt, outcome: 'ok', willRetry: false, ...(intentRecorded ? { intentRecorded } : {}) };
          onFinal?.(event);
          this.#emit(event);
        }
        return result.value;
      }
      const decision =
        result.failure === undefined || options.signal?.aborted
          ? ({ retry: false } as const)
          : decideRetry(request.method, attempt, result.failure, deadline - this.#s.now(), this.#s.retry, this.#s.random);
      if (observed) {
        const event: CocCallEvent = {
          method: prepared.operation.method,
          route: prepared.operation.route,
          status: result.status,
          errorCode: result.errorCode,
          requestId: result.requestId,
          durationMs,
          attempt,
          outcome: result.outcome,
          willRetry: decision.retry,
          ...(intentRecorded ? { intentRecorded } : {}),
        };
        if (!decision.retry) onFinal?.(event);
        this.#emit(event);
      }
      if (!decision.retry) {
        // A read that ran out of time says how long it waited in all, not its last try's rest.
        // One that ran into its command's deadline says the command's whole wait.
        if (command && deadline < ownDeadline && result.error instanceof CocTimeoutError) throw new CocTimeoutError(prepared.operation, command.budgetMs);
        if (retryable && attempt > 1 && result.error instanceof CocTimeoutError) throw new CocTimeoutError(prepared.operation, this.#s.now() - started);
        throw result.error;
      }
      await this.#s.sleep(decision.delayMs);
    }
  }

  /** Releases the connection pools (when this instance owns them). */
  async close(): Promise<void> {
    if (this.#ownsPools) await this.#s.pools.close();
  }

  #prepare<S extends z.ZodType>(request: CocRequest<S>, options: CallOptions): Prepared {
    const operation: CocOperation = { method: request.method, route: request.route };
    const problems = pathParamProblems(request.route, request.pathParams);
    if (problems.length > 0) throw new CocValidationError(operation, problems);
    const query = buildQuery(request.query);
    const path = `${this.#s.endpoint.basePath}${expandRoute(request.route, request.pathParams)}${query ? `?${query}` : ''}`;
    const bodyText = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.#s.userAgent };
    if (bodyText !== undefined) headers['Content-Type'] = JSON_CONTENT_TYPE;
    const language = options.language ?? this.#s.language;
    if (request.localized && language) headers['X-Language'] = language;
    return {
      operation,
      path,
      url: `${this.#s.endpoint.origin}${path}`,
      bodyText,
      headers,
      sensitiveValues: request.sensitiveValues,
    };
  }

  async #attempt<S extends z.ZodType>(
    request: CocRequest<S>,
    prepared: Prepared,
    timeoutMs: number,
    callerSignal: AbortSignal | undefined,
  ): Promise<AttemptResult<z.output<S>>> {
    const { operation } = prepared;
    let headers: Record<string, string>;
    try {
      headers = await this.#s.auth.authorize({ method: request.method, url: prepared.url, headers: prepared.headers, body: prepared.bodyText });
    } catch (error) {
      if (error instanceof CocAuthError) return { ok: false, error, outcome: 'auth-error', failure: undefined };
      throw error;
    }
    // The token or security token used for this attempt is hidden too, should COC echo it.
    const redactor = new LazyRedactor(this.#s.auth, prepared.sensitiveValues, headers);

    // Outside the try: a closed client is a programming error, not a network failure.
    const pool = this.#s.pools.for(this.#s.endpoint.origin);
    const abort = new AttemptAbort();
    if (callerSignal?.aborted) throw callerSignal.reason;
    const disarm = this.#s.expiry(timeoutMs, () => expire(abort), { method: request.method, path: prepared.path, headers });
    callerSignal?.addEventListener('abort', abort, { once: true });
    let status: number | undefined;
    let requestId: string | undefined;
    try {
      const response = await pool.request({
        method: request.method,
        path: prepared.path,
        headers,
        body: prepared.bodyText,
        signal: abort,
        // undici's own inactivity timers back up the overall timer above.
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      requestId = headerValue(response.headers, 'x-request-id');
      const raw = status === NO_CONTENT ? await this.#discardBody(response.body) : await this.#readBody(response.body);
      if (status >= 200 && status < 300) return this.#success(request, operation, status, requestId, raw, redactor);
      return this.#failure(operation, status, requestId, raw, response.headers, redactor);
    } catch (error) {
      if (callerSignal?.aborted && !abort.timedOut) throw callerSignal.reason;
      if (error instanceof ResponseTooLarge) {
        const shape = new CocResponseShapeError(operation, status ?? 0, [`(root): response body exceeds ${this.#s.maxResponseBytes} bytes`], requestId);
        return { ok: false, error: shape, outcome: 'shape-error', failure: undefined, status, requestId };
      }
      const code = networkErrorCode(error);
      if (abort.timedOut || isTimeoutCode(code)) {
        return { ok: false, error: new CocTimeoutError(operation, timeoutMs), outcome: 'timeout', failure: { kind: 'timeout' }, status, requestId };
      }
      if (isInvalidArgument(code)) throw error;
      return { ok: false, error: new CocNetworkError(operation, code, { cause: error }), outcome: 'network-error', failure: { kind: 'network' }, status, requestId };
    } finally {
      disarm();
      callerSignal?.removeEventListener('abort', abort);
    }
  }

  #success<S extends z.ZodType>(
    request: CocRequest<S>,
    operation: CocOperation,
    status: number,
    requestId: string | undefined,
    raw: string,
    redactor: LazyRedactor,
  ): AttemptResult<z.output<S>> {
    const parsed = parseJsonBody(raw);
    if (!parsed.ok && !parsed.empty) return shapeError(operation, status, requestId, [`(root): response is not JSON (HTTP ${status})`], redactor);
    const body: SuccessBody = parsed.ok ? { present: true, value: parsed.value } : { present: false };
    const unwrapped = unwrapEnvelope(request.envelope, body);
    if (unwrapped.kind === 'shape') return shapeError(operation, status, requestId, unwrapped.issues, redactor);
    if (unwrapped.kind === 'api-error') {
      const errorMsg = redactor.redactOptional(unwrapped.errorMsg);
      // The incident APIs' envelope says failure with its code on every status; elsewhere a 2xx
      // carrying an error is the execute call's documented failure form.
      const failureForm = status === NO_CONTENT || request.envelope !== 'pce';
      return {
        ok: false,
        error: failureForm ? new CocFailureAnswerError(operation, status, unwrapped.errorCode, errorMsg, requestId) : new CocApiError(operation, status, unwrapped.errorCode, errorMsg, requestId),
        outcome: 'api-error',
        failure: undefined,
        status,
        errorCode: unwrapped.errorCode,
        requestId,
      };
    }
    const checked = checkResponse(request.response, unwrapped.payload);
    if (checked.ok) return { ok: true, value: checked.value, status, requestId };
    if (status === NO_CONTENT) {
      // No payload where the call defines one: COC's documented failure status, without a reason.
      return { ok: false, error: new CocFailureAnswerError(operation, status, undefined, undefined, requestId), outcome: 'api-error', failure: undefined, status, requestId };
    }
    if (!body.present) return shapeError(operation, status, requestId, [`(root): empty response body (HTTP ${status}) where a payload was expected`], redactor);
    return shapeError(operation, status, requestId, checked.issues, redactor);
  }

  #failure(
    operation: CocOperation,
    status: number,
    requestId: string | undefined,
    raw: string,
    responseHeaders: Dispatcher.ResponseData['headers'],
    redactor: LazyRedactor,
  ): AttemptResult<never> {
    const parsed = parseJsonBody(raw);
    const { errorCode, errorMsg } = readErrorFields(parsed.ok ? parsed.value : undefined);
    const retryAfterMs = parseRetryAfter(headerValue(responseHeaders, 'retry-after'), this.#s.now());
    if (status === 401) this.#s.auth.rejected();
    return {
      ok: false,
      error: new CocApiError(operation, status, errorCode, redactor.redactOptional(errorMsg), requestId, retryAfterMs),
      outcome: 'api-error',
      failure: { kind: 'status', status, retryAfterMs },
      status,
      errorCode,
      requestId,
    };
  }

  /**
   * The body as text, at most `maxResponseBytes`. Read with listeners, not an async iterator:
   * every answer from COC passes here (a thousand tracked orders are a thousand answers every
   * few seconds), and the iterator's promises and stream bookkeeping allocated more than most
   * answers weigh. Fails as the iterator did: with the stream's error, or a premature close.
   */
  #readBody(body: Dispatcher.ResponseData['body']): Promise<string> {
    const max = this.#s.maxResponseBytes;
    return new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      body.on('data', (chunk: Buffer | Uint8Array) => {
        if (settled) return;
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        size += buffer.length;
        if (size > max) {
          fail(new ResponseTooLarge());
          body.destroy();
          return;
        }
        chunks.push(buffer);
      });
      body.once('end', () => {
        if (settled) return;
        settled = true;
        resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8'));
      });
      body.once('error', fail);
      body.once('close', () => fail(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })));
    });
  }

  /**
   * A 204's body: none, whatever follows its headers. COC's reference shows a 204 carrying
   * `{error_code, error_msg}`; HTTP gives a 204 no content, so undici drops such bytes or, when a
   * Content-Length announces them, fails the body. Neither makes the status line COC sent any
   * less of an answer: it is kept, and the body is not read.
   */
  async #discardBody(body: Dispatcher.ResponseData['body']): Promise<string> {
    try {
      await body.dump();
    } catch {
      // The bytes a 204 cannot carry (see above).
    }
    return '';
  }

  #emit(event: CocCallEvent): void {
    if (!this.#s.onCall) return;
    try {
      this.#s.onCall(stripUndefined(event), this.#scope);
    } catch {
      // An observer must never change the outcome of a call.
    }
  }
}

/** Completes a write's intent; a failure to record the outcome never changes the call's outcome. */
async function completeQuietly(intent: WriteIntent, result: Parameters<WriteIntent['complete']>[0]): Promise<void> {
  try {
    await intent.complete(result);
  } catch {
    // The intent stays pending; the sweep marks it unknown (see audit/write-intents.ts).
  }
}

function shapeError(operation: CocOperation, status: number, requestId: string | undefined, issues: readonly string[], redactor: LazyRedactor): AttemptResult<never> {
  return {
    ok: false,
    error: new CocResponseShapeError(operation, status, issues.map((issue) => redactor.redact(issue)), requestId),
    outcome: 'shape-error',
    failure: undefined,
    status,
    requestId,
  };
}

/**
 * What undici aborts one attempt with. undici accepts an EventEmitter that emits 'abort' as well
 * as an AbortSignal, and it costs far less per request: no AbortController, no AbortSignal.any,
 * no EventTarget listeners inside undici. It fires when the time limit runs out (`timedOut`) or
 * when the caller's signal aborts (it is that signal's listener, via `handleEvent`).
 */
class AttemptAbort extends EventEmitter {
  timedOut = false;

  handleEvent(): void {
    this.emit('abort');
  }
}

function expire(abort: AttemptAbort): void {
  abort.timedOut = true;
  abort.emit('abort');
}

/**
 * The Redactor of one attempt (the credentials' secrets, the request's sensitive values and the
 * token or security token this attempt sent), built on first use: a successful answer never needs it.
 */
class LazyRedactor {
  #redactor: Redactor | undefined;

  constructor(
    private readonly auth: Authenticator,
    private readonly sensitiveValues: readonly (string | undefined)[] | undefined,
    private readonly headers: Readonly<Record<string, string>>,
  ) {}

  #get(): Redactor {
    return (this.#redactor ??= new Redactor([
      ...this.auth.secrets(),
      ...(this.sensitiveValues ?? []),
      headerValue(this.headers, 'x-auth-token'),
      headerValue(this.headers, 'x-security-token'),
    ]));
  }

  redact(text: string): string {
    return this.#get().redact(text);
  }

  redactOptional(text: string | undefined): string | undefined {
    return this.#get().redactOptional(text);
  }
}

function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, lowerName: string): string | undefined {
  // undici names response headers in lower case: try that first, scan for other spellings only when it is not there.
  const exact = headers[lowerName];
  const exactFirst = Array.isArray(exact) ? exact[0] : exact;
  if (exactFirst !== undefined && exactFirst !== '') return exactFirst;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== lowerName) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== '') return first;
  }
  return undefined;
}

function isInvalidArgument(code: string | undefined): boolean {
  return code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_ARG_VALUE';
}

function stripUndefined(event: CocCallEvent): CocCallEvent {
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)) as unknown as CocCallEvent;
}
