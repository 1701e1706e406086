/**
 * How the client proves who it is to COC: AK/SK request signing (the default) or an IAM
 * password token. Either way the result is the exact header set to send with one request.
 */
import { signRequest } from './signer.js';
import type { IamPasswordLogin, IamTokenProvider } from './token.js';

/** Permanent or temporary access keys. Temporary keys come with a security token. */
export interface AkSkAuth {
  readonly kind: 'aksk';
  readonly ak: string;
  readonly sk: string;
  /** Project id of the COC site's region, sent as X-Project-Id. */
  readonly projectId?: string | undefined;
  /** Account id, sent as X-Domain-Id (global credentials). */
  readonly domainId?: string | undefined;
  /** Security token of a temporary AK/SK, sent as X-Security-Token. */
  readonly securityToken?: string | undefined;
}

/** IAM user login; the token is fetched and cached by an IamTokenProvider. */
export interface TokenAuth extends IamPasswordLogin {
  readonly kind: 'token';
}

export type CocAuth = AkSkAuth | TokenAuth;

/** One request as it will go on the wire. */
export interface OutgoingRequest {
  readonly method: string;
  /** Absolute URL including the query exactly as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body bytes as sent; undefined for no body. */
  readonly body?: string | undefined;
}

export interface Authenticator {
  /** The complete headers to send: the request's own plus the authentication ones. */
  authorize(request: OutgoingRequest): Promise<Record<string, string>>;
  /** Values that must never appear in an error or a log line. */
  secrets(): readonly string[];
  /** COC refused the credentials (HTTP 401): drop anything cached. */
  rejected(): void;
}

/** Headers the authenticator sets itself; a caller's copies (in any case) are dropped. */
const AUTH_HEADERS = new Set(['authorization', 'x-sdk-date', 'x-project-id', 'x-domain-id', 'x-security-token', 'x-auth-token', 'host']);

function withoutAuthHeaders(headers: Readonly<Record<string, string>>, dropContentType: boolean): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (AUTH_HEADERS.has(lower)) continue;
    if (dropContentType && lower === 'content-type') continue;
    kept[name] = value;
  }
  return kept;
}

export interface AuthenticatorDeps {
  /** Needed for token auth. */
  readonly tokens?: IamTokenProvider;
  /** Signing clock, for tests. */
  readonly now?: () => Date;
}

/**
 * `scheme://authority` of an absolute URL, up to the first `/`, `?` or `#` after `://`; undefined
 * when the URL is not that plain (no `://`, a backslash or userinfo in it), for a full parse.
 */
function plainOrigin(url: string): string | undefined {
  const authority = url.indexOf('://');
  if (authority < 0) return undefined;
  let end = authority + 3;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 0x2f || c === 0x3f || c === 0x23) break; // / ? #
    if (c === 0x5c || c === 0x40) return undefined; // \ @
    end++;
  }
  return url.slice(0, end);
}

/**
 * `new URL(url).host`, remembered for the last origin: every request of a client goes to the same
 * one, and the host depends on nothing after it.
 */
function hostMemo(): (url: string) => string {
  let lastOrigin: string | undefined;
  let lastHost = '';
  return (url) => {
    const origin = plainOrigin(url);
    if (origin !== undefined && origin === lastOrigin) return lastHost;
    const host = new URL(url).host;
    lastOrigin = origin;
    lastHost = host;
    return host;
  };
}

function akskAuthenticator(auth: AkSkAuth, deps: AuthenticatorDeps): Authenticator {
  const hostOf = hostMemo();
  return {
    authorize(request) {
      // Sign content-type only when there is a body; a GET carries none.
      const headers = withoutAuthHeaders(request.headers, request.body === undefined);
      headers['Host'] = hostOf(request.url);
      if (auth.projectId) headers['X-Project-Id'] = auth.projectId;
      if (auth.domainId) headers['X-Domain-Id'] = auth.domainId;
      if (auth.securityToken) headers['X-Security-Token'] = auth.securityToken;
      const signed = signRequest(
        { method: request.method, url: request.url, headers, body: request.body },
        { ak: auth.ak, sk: auth.sk },
        deps.now ? { now: deps.now() } : {},
      );
      return Promise.resolve(signed);
    },
    secrets: () => [auth.sk, ...(auth.securityToken ? [auth.securityToken] : [])],
    rejected: () => undefined,
  };
}

function tokenAuthenticator(auth: TokenAuth, tokens: IamTokenProvider): Authenticator {
  return {
    async authorize(request) {
      const headers = withoutAuthHeaders(request.headers, request.body === undefined);
      headers['X-Auth-Token'] = await tokens.getToken(auth);
      return headers;
    },
    secrets: () => [auth.password],
    rejected: () => tokens.invalidate(auth),
  };
}

export function createAuthenticator(auth: CocAuth, deps: AuthenticatorDeps = {}): Authenticator {
  switch (auth.kind) {
    case 'aksk':
      return akskAuthenticator(auth, deps);
    case 'token':
      if (!deps.tokens) throw new TypeError('token authentication needs an IamTokenProvider');
      return tokenAuthenticator(auth, deps.tokens);
  }
}
