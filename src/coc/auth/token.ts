/**
 * IAM password tokens (coc-api-notes §4.6): `POST {iam}/v3/auth/tokens`, answered 201 with the
 * token in the `X-Subject-Token` header and its expiry in `token.expires_at`.
 *
 * Tokens are valid for 24 h, so they are cached (lru-cache, one TTL per entry) until five
 * minutes before they expire; a call made in those last minutes gets a fresh token instead of
 * one that could expire on the way. Concurrent callers that miss the cache share a single
 * request to IAM. A failed request is never cached, and its error never contains the password.
 */
import { LRUCache } from 'lru-cache';
import { CocAuthError } from '../errors.js';
import { parseJsonBody, readErrorFields } from '../transport/error-body.js';
import { isTimeoutCode, networkErrorCode } from '../../core/network-errors.js';
import { PoolSet } from '../transport/pools.js';
import { Redactor } from '../transport/redact.js';
import { parseEndpoint } from '../transport/url.js';

/** What the bot logs in with. `project` is the project (region) name the token is scoped to. */
export interface IamPasswordLogin {
  readonly iamEndpoint: string;
  /** Account (domain) name. */
  readonly domain: string;
  readonly user: string;
  readonly password: string;
  readonly project: string;
}

export interface IamTokenProviderOptions {
  /** Shared connection pools; by default the provider owns its own. */
  readonly pools?: PoolSet;
  /** Time limit of one token request. Default 15 s. */
  readonly timeoutMs?: number;
  /** How long before `expires_at` a cached token is dropped. Default 5 minutes. */
  readonly refreshMarginMs?: number;
  /** Clock in epoch ms, for tests. */
  readonly now?: () => number;
}

const TOKEN_PATH = '/v3/auth/tokens';
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 15_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

export class IamTokenProvider {
  readonly #pools: PoolSet;
  readonly #ownsPools: boolean;
  readonly #timeoutMs: number;
  readonly #marginMs: number;
  readonly #now: () => number;
  readonly #cache: LRUCache<string, CachedToken>;
  readonly #inFlight = new Map<string, Promise<string>>();
  /** Bumped by `invalidate`, so a request started before it does not repopulate the cache. */
  readonly #generation = new Map<string, number>();

  constructor(options: IamTokenProviderOptions = {}) {
    this.#pools = options.pools ?? new PoolSet();
    this.#ownsPools = options.pools === undefined;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.#now = options.now ?? Date.now;
    // ttlResolution 0: read the (injectable) clock on every lookup instead of caching "now".
    this.#cache = new LRUCache<string, CachedToken>({ max: 64, perf: { now: this.#now }, ttlResolution: 0 });
  }

  /** A token for `login`, from the cache or from IAM. */
  getToken(login: IamPasswordLogin): Promise<string> {
    const key = cacheKey(login);
    const cached = this.#cache.get(key);
    // The TTL evicts the entry; this check makes the boundary exact (refresh AT expiry − margin).
    if (cached && this.#now() < cached.expiresAt - this.#marginMs) return Promise.resolve(cached.token);
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const generation = this.#generation.get(key) ?? 0;
    const request = this.#fetch(login)
      .then((issued) => {
        const ttl = issued.expiresAt - this.#marginMs - this.#now();
        if (ttl > 0 && (this.#generation.get(key) ?? 0) === generation) this.#cache.set(key, issued, { ttl });
        return issued.token;
      })
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, request);
    return request;
  }

  /** Forget the cached token, e.g. after COC answered 401 to it. */
  invalidate(login: IamPasswordLogin): void {
    const key = cacheKey(login);
    this.#cache.delete(key);
    this.#generation.set(key, (this.#generation.get(key) ?? 0) + 1);
  }

  async close(): Promise<void> {
    this.#cache.clear();
    if (this.#ownsPools) await this.#pools.close();
  }

  async #fetch(login: IamPasswordLogin): Promise<CachedToken> {
    const redactor = new Redactor([login.password]);
    const who = `user "${login.user}" of account "${login.domain}" (project ${login.project})`;
    const fail = (detail: string, cause?: unknown): never => {
      throw new CocAuthError(redactor.redact(`IAM token request for ${who} failed: ${detail}`), undefined, cause === undefined ? undefined : { cause });
    };
    let endpoint;
    try {
      endpoint = parseEndpoint(login.iamEndpoint);
    } catch (error) {
      return fail(error instanceof Error ? error.message : 'invalid IAM endpoint');
    }
    const body = JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: login.user, password: login.password, domain: { name: login.domain } } } },
        scope: { project: { name: login.project } },
      },
    });
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), this.#timeoutMs);
    try {
      const response = await this.#pools.for(endpoint.origin).request({
        method: 'POST',
        path: `${endpoint.basePath}${TOKEN_PATH}`,
        headers: { 'content-type': 'application/json;charset=UTF-8', accept: 'application/json' },
        body,
        signal: timer.signal,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const raw = await response.body.text();
      const parsed = parseJsonBody(raw);
      const json = parsed.ok ? parsed.value : undefined;
      const requestId = headerText(response.headers['x-request-id']);
      const suffix = requestId ? ` (request ${requestId})` : '';
      if (response.statusCode < 200 || response.statusCode >= 300) {
        const { errorCode, errorMsg } = readErrorFields(json);
        return fail(`HTTP ${response.statusCode}${errorCode ? ` ${errorCode}` : ''}${errorMsg ? ` — ${errorMsg}` : ''}${suffix}`);
      }
      const token = headerText(response.headers['x-subject-token']);
      if (!token) return fail(`HTTP ${response.statusCode} without an X-Subject-Token header${suffix}`);
      const expiresAt = Date.parse(readExpiresAt(json) ?? '');
      if (Number.isNaN(expiresAt)) return fail(`HTTP ${response.statusCode} without a valid token.expires_at${suffix}`);
      return { token, expiresAt };
    } catch (error) {
      if (error instanceof CocAuthError) throw error;
      if (timer.signal.aborted) return fail(`IAM did not answer within ${this.#timeoutMs} ms`);
      const code = networkErrorCode(error);
      if (isTimeoutCode(code)) return fail(`IAM did not answer within ${this.#timeoutMs} ms`);
      return fail(`IAM at ${endpoint.origin} could not be reached${code ? ` (${code})` : ''}`, error);
    } finally {
      clearTimeout(timeout);
    }
  }
}

function cacheKey(login: IamPasswordLogin): string {
  return JSON.stringify([login.iamEndpoint, login.domain, login.user, login.project]);
}

function headerText(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

function readExpiresAt(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const token = (body as { token?: unknown }).token;
  if (typeof token !== 'object' || token === null) return undefined;
  const expiresAt = (token as { expires_at?: unknown }).expires_at;
  return typeof expiresAt === 'string' ? expiresAt : undefined;
}
