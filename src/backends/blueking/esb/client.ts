/**
 * The one way the BlueKing backend talks to ESB. Every component goes through `EsbClient.call`,
 * which checks the component's fields, adds the app's and the user's authentication as the
 * reference's "API 调用说明" says (`bk_app_code`, `bk_app_secret`, `bk_username`: query parameters
 * for GET, the JSON body for POST — the reference names no header), enforces a time limit per
 * attempt, reads the envelope `{result, code, message, data, request_id}` (success is
 * `result === true`, whatever the HTTP status or code says), checks `data` against the
 * component's zod schema and turns every failure into a typed error (esb/errors.ts).
 *
 * Reads are retried (a 5xx, a 429, a reset, a timeout) with jittered backoff, whether ESB takes
 * them as GET or POST (search_host is a POST that changes nothing). A write is sent exactly once,
 * whatever happens — a repeated fast_execute_script would run a script twice — and only after
 * `hooks.beforeWrite` recorded its intent; the intent is completed with the write's outcome.
 *
 * The app secret is revealed only to build the request: every text made from an answer is
 * redacted, and no error keeps the transport's own error (a GET's URL carries the secret).
 */
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { Secret } from '../../../config/secret.js';
import type { BackendCallEvent, BackendHooks, BackendOperation, CallOutcome, WriteIntent, WriteIntentResult } from '../../observe.js';
import { writeFailureOf } from '../../errors.js';
import { toBackendError } from '../errors.js';
import { componentPath, componentRoute, type EsbCallOptions, type EsbCaller, type EsbComponent } from './component.js';
import { EsbApiError, EsbError, EsbHttpError, EsbInputError, EsbNetworkError, EsbShapeError, EsbTimeoutError, EsbWriteNotAuditedError } from './errors.js';
import { isTimeoutCode, networkErrorCode } from '../../../core/network-errors.js';
import { commandTimeLeft, liftCommandDeadline } from '../../../core/command-deadline.js';
import type { CallScope } from '../../observe.js';
import { backoffMs, BodyTooLarge, headerValue, readBody, Redactor, retryAfterMs } from './transport.js';

export interface EsbClientOptions {
  /** The PaaS host (`bk_paas_host`), e.g. `https://paas.example.com`; a path prefix is kept. */
  readonly endpoint: string;
  readonly appCode: string;
  readonly appSecret: Secret;
  /** The BlueKing user every call acts as (`bk_username`; the app is on the skip-user-auth whitelist). */
  readonly username: string;
  /** Time limit of one attempt, headers and body. Default 15 s. */
  readonly timeoutMs?: number;
  /** Tries of a read in all (a write is tried once). Default 3. */
  readonly retries?: number;
  readonly hooks?: BackendHooks;
  /** A keep-alive agent shared with other clients (people's sessions); the client then does not close it. */
  readonly agent?: Agent;
  /** Largest answer accepted. Default 64 MiB (a job log of many hosts). */
  readonly maxResponseBytes?: number;
  /** For tests: waiting between tries, jitter, the clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_TRIES = 3;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The envelope every ESB component answers with; only `result` decides success. */
const envelope = z.looseObject({
  result: z.boolean(),
  code: z.union([z.string(), z.number()]).nullish(),
  message: z.string().nullish(),
  data: z.unknown().optional(),
  request_id: z.string().nullish(),
});

type Attempt<O> =
  | { readonly ok: true; readonly value: O; readonly status: number; readonly requestId: string | undefined }
  | {
      readonly ok: false;
      readonly error: EsbError;
      readonly outcome: Exclude<CallOutcome, 'ok'>;
      /** Whether another try could help (reads only). */
      readonly transient: boolean;
      readonly status?: number;
      readonly errorCode?: string;
      readonly requestId?: string;
      readonly retryAfterMs?: number;
    };

interface Prepared {
  readonly operation: BackendOperation;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body: string | undefined;
  readonly redactor: Redactor;
}

export class EsbClient implements EsbCaller {
  readonly username: string;
  readonly #options: EsbClientOptions;
  readonly #base: string;
  readonly #agent: Agent;
  readonly #ownsAgent: boolean;
  readonly #timeoutMs: number;
  readonly #tries: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  /** Whose calls these are and how long reads may take; undefined: the bot's own background work. */
  readonly #scope: CallScope | undefined;

  constructor(options: EsbClientOptions, scope?: CallScope) {
    this.#scope = scope;
    const url = new URL(options.endpoint);
    this.#base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.#options = options;
    this.username = options.username;
    this.#agent = options.agent ?? new Agent({ keepAliveTimeout: 30_000, connections: 16 });
    this.#ownsAgent = options.agent === undefined;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#tries = Math.max(1, options.retries ?? DEFAULT_TRIES);
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** Where calls go, safe to print. */
  get endpoint(): string {
    return this.#base;
  }

  /** The same app, agent and hooks acting as another BlueKing user (a person's session). */
  as(username: string): EsbClient {
    return new EsbClient({ ...this.#options, username, agent: this.#agent });
  }

  /** The same user, agent and hooks, its calls made in `scope`. */
  scoped(scope: CallScope): EsbClient {
    return new EsbClient({ ...this.#options, agent: this.#agent }, scope);
  }

  async call<I, O>(component: EsbComponent<I, O>, input: I, options: EsbCallOptions = {}): Promise<O> {
    const prepared = this.#prepare(component, input);
    const beforeWrite = this.#options.hooks?.beforeWrite;
    if (!component.write || !beforeWrite) return this.#send(component, prepared, options, undefined);
    let intent: WriteIntent | undefined;
    try {
      intent = await beforeWrite(prepared.operation, this.#scope);
    } catch (error) {
      throw new EsbWriteNotAuditedError(prepared.operation, { cause: error });
    }
    if (!intent) return this.#send(component, prepared, options, undefined);
    const started = this.#now();
    let last: BackendCallEvent | undefined;
    const facts = (): Omit<WriteIntentResult, 'outcome'> => ({
      durationMs: last?.durationMs ?? this.#now() - started,
      ...(last ? { callOutcome: last.outcome } : {}),
      ...(last?.status !== undefined ? { status: last.status } : {}),
      ...(last?.errorCode !== undefined ? { errorCode: last.errorCode } : {}),
      ...(last?.requestId !== undefined ? { requestId: last.requestId } : {}),
    });
    let value: O;
    try {
      value = await this.#send(component, prepared, options, (event) => (last = event));
    } catch (error) {
      await completeQuietly(intent, { outcome: writeFailureOf(toBackendError(error) ?? error), ...facts() });
      throw error;
    }
    await completeQuietly(intent, { outcome: 'done', ...facts() });
    return value;
  }

  /** Closes the keep-alive connections (when this client made the agent). */
  async close(): Promise<void> {
    if (this.#ownsAgent) await this.#agent.close();
  }

  #prepare<I, O>(component: EsbComponent<I, O>, input: I): Prepared {
    const operation: BackendOperation = { backend: 'blueking', method: component.method, route: componentRoute(component), write: component.write };
    const checked = component.request.safeParse(input);
    if (!checked.success) {
      throw new EsbInputError(
        operation,
        checked.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      );
    }
    const secret = this.#options.appSecret.reveal();
    const auth = { bk_app_code: this.#options.appCode, bk_app_secret: secret, bk_username: this.username };
    const fields = { ...(checked.data as Record<string, unknown>), ...auth };
    const redactor = new Redactor([secret, ...(component.sensitive?.(checked.data) ?? [])]);
    const path = `${this.#base}${componentPath(component)}`;
    if (component.method === 'GET') return { operation, url: `${path}?${queryOf(fields)}`, method: 'GET', body: undefined, redactor };
    return { operation, url: path, method: 'POST', body: JSON.stringify(fields), redactor };
  }

  async #send<I, O>(
    component: EsbComponent<I, O>,
    prepared: Prepared,
    options: EsbCallOptions,
    onFinal: ((event: BackendCallEvent) => void) | undefined,
  ): Promise<O> {
    const tries = component.write ? 1 : this.#tries;
    const ownTimeoutMs = options.timeoutMs ?? this.#timeoutMs;
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      const started = this.#now();
      // A read's tries fit in what its command has left, and one started after that fails at once
      // (see command-deadline.ts); a write keeps its own time limit, and lifts the deadline off what follows it.
      const command = component.write ? undefined : commandTimeLeft(this.#scope, started);
      if (component.write) liftCommandDeadline(this.#scope);
      if (command && command.leftMs <= 0) throw new EsbTimeoutError(prepared.operation, command.budgetMs);
      const timeoutMs = command ? Math.max(1, Math.min(ownTimeoutMs, command.leftMs)) : ownTimeoutMs;
      const attemptResult = await this.#attempt(component, prepared, timeoutMs, options.signal);
      const cut = command !== undefined && timeoutMs < ownTimeoutMs && !attemptResult.ok && attemptResult.error instanceof EsbTimeoutError;
      // A read cut by its command's deadline says the command's whole wait, and is not tried again.
      const result = cut ? { ...attemptResult, error: new EsbTimeoutError(prepared.operation, command.budgetMs), transient: false } : attemptResult;
      const durationMs = this.#now() - started;
      const retry = !result.ok && result.transient && attempt < tries && !options.signal?.aborted;
      const event: BackendCallEvent = {
        backend: 'blueking',
        method: prepared.operation.method,
        route: prepared.operation.route,
        ...(result.status !== undefined ? { status: result.status } : {}),
        ...(!result.ok && result.errorCode !== undefined ? { errorCode: result.errorCode } : {}),
        ...(result.requestId !== undefined ? { requestId: result.requestId } : {}),
        durationMs,
        attempt,
        outcome: result.ok ? 'ok' : result.outcome,
        willRetry: retry,
        ...(onFinal ? { intentRecorded: true } : {}),
      };
      if (!retry) onFinal?.(event);
      this.#emit(event);
      if (result.ok) return result.value;
      if (!retry) throw result.error;
      await this.#sleep(Math.max(result.retryAfterMs ?? 0, backoffMs(attempt, this.#random)));
    }
  }

  async #attempt<I, O>(component: EsbComponent<I, O>, prepared: Prepared, timeoutMs: number, callerSignal: AbortSignal | undefined): Promise<Attempt<O>> {
    const { operation } = prepared;
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    const onCallerAbort = () => abort.abort();
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    let status: number | undefined;
    let headerRequestId: string | undefined;
    try {
      const response = await undiciRequest(prepared.url, {
        method: prepared.method,
        dispatcher: this.#agent,
        headers: { accept: 'application/json', ...(prepared.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(prepared.body !== undefined ? { body: prepared.body } : {}),
        signal: abort.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      headerRequestId = headerValue(response.headers, 'x-request-id') ?? headerValue(response.headers, 'x-bkapi-request-id');
      const raw = await readBody(response.body, this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
      return this.#judge(component, operation, status, headerRequestId, raw, response.headers, prepared.redactor);
    } catch (error) {
      if (callerSignal?.aborted && !timedOut) throw callerSignal.reason;
      if (error instanceof BodyTooLarge) {
        return { ok: false, error: new EsbShapeError(operation, status ?? 0, ['(root): the answer is too large'], headerRequestId), outcome: 'shape-error', transient: false, ...(status !== undefined ? { status } : {}) };
      }
      const code = networkErrorCode(error);
      if (timedOut || isTimeoutCode(code)) {
        return { ok: false, error: new EsbTimeoutError(operation, timeoutMs), outcome: 'timeout', transient: true, ...(status !== undefined ? { status } : {}) };
      }
      if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_URL') throw new EsbNetworkError(operation, code);
      return { ok: false, error: new EsbNetworkError(operation, code), outcome: 'network-error', transient: true, ...(status !== undefined ? { status } : {}) };
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** What one answer means: the component's data, ESB's refusal, or a lost answer. */
  #judge<I, O>(
    component: EsbComponent<I, O>,
    operation: BackendOperation,
    status: number,
    headerRequestId: string | undefined,
    raw: string,
    headers: Dispatcher.ResponseData['headers'],
    redactor: Redactor,
  ): Attempt<O> {
    const body = envelope.safeParse(parseJson(raw));
    const env = body.success ? body.data : undefined;
    const requestId = env?.request_id ?? headerRequestId ?? undefined;
    const code = env?.code === undefined || env.code === null || env.code === '' ? undefined : String(env.code);
    const message = redactor.redactOptional(env?.message ?? undefined);
    const base = { status, ...(requestId !== undefined ? { requestId } : {}) };
    if (status < 200 || status >= 300) {
      // A 4xx carrying ESB's own refusal is a refusal; anything else outside 2xx lost the answer.
      if (env && env.result === false && status >= 400 && status < 500 && status !== 429) {
        return { ok: false, error: new EsbApiError(operation, status, code, message, requestId), outcome: 'api-error', transient: false, ...base, ...(code !== undefined ? { errorCode: code } : {}) };
      }
      const after = retryAfterMs(headerValue(headers, 'retry-after'), this.#now());
      return {
        ok: false,
        error: new EsbHttpError(operation, status, requestId, code, message, after),
        outcome: 'api-error',
        transient: status === 429 || status >= 500,
        ...base,
        ...(code !== undefined ? { errorCode: code } : {}),
        ...(after !== undefined ? { retryAfterMs: after } : {}),
      };
    }
    if (!env) {
      const issues = raw.trim() === '' ? ['(root): empty answer where an envelope was expected'] : ['(root): the answer is not an ESB envelope {result, code, message, data}'];
      return { ok: false, error: new EsbShapeError(operation, status, issues, requestId), outcome: 'shape-error', transient: false, ...base };
    }
    if (!env.result) {
      return { ok: false, error: new EsbApiError(operation, status, code, message, requestId), outcome: 'api-error', transient: false, ...base, ...(code !== undefined ? { errorCode: code } : {}) };
    }
    const data = component.data.safeParse(env.data);
    if (data.success) return { ok: true, value: data.data, ...base, requestId };
    const issues = data.error.issues.slice(0, 10).map((issue) => redactor.redact(`data.${issue.path.map(String).join('.')}: ${issue.message}`));
    return { ok: false, error: new EsbShapeError(operation, status, issues, requestId), outcome: 'shape-error', transient: false, ...base };
  }

  #emit(event: BackendCallEvent): void {
    const onCall = this.#options.hooks?.onCall;
    if (!onCall) return;
    try {
      onCall(event, this.#scope);
    } catch {
      // An observer must never change the outcome of a call.
    }
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** GET fields as query parameters: scalars as text, lists and objects as JSON; absent ones left out. */
function queryOf(fields: Readonly<Record<string, unknown>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    query.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return query.toString();
}

/** Completes a write's intent; failing to record the outcome never changes the call's outcome. */
async function completeQuietly(intent: WriteIntent, result: WriteIntentResult): Promise<void> {
  try {
    await intent.complete(result);
  } catch {
    // The intent stays pending; the audit sweep marks it unknown.
  }
}
