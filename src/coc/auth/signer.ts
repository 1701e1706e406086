/**
 * SDK-HMAC-SHA256 request signing, as Huawei Cloud API Gateway verifies it
 * (coc-api-notes §4). One implementation serves both sides: the COC client signs with it
 * and the simulator verifies with it, so a signature bug cannot hide behind a matching twin.
 */
import { createHash, createHmac, hash, timingSafeEqual } from 'node:crypto';

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface AkSk {
  readonly ak: string;
  readonly sk: string;
}

/** What the canonical request is built from: the URL (path and query) as sent, headers and body bytes. */
export interface SignableRequest {
  readonly method: string;
  /** Absolute URL, or a path with an optional query (`/v1/x?a=1`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
}

/** Percent-encode UTF-8 bytes, keeping only A-Z a-z 0-9 - _ . ~ (upper-case hex). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Only characters that decoding and encoding leave as they are (no `%`). */
const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

/**
 * Canonical URI as the official SDK signs it (huaweicloud-sdk-go-v3 `core/auth/signer`
 * `CanonicalURI`): the path with its parameters filled in unencoded, split at every "/", each
 * segment percent-encoded (all but A-Z a-z 0-9 - _ . ~), always ending with "/". From a path as
 * sent, that is: decoded, then split — so an encoded "/" (`%2F`) inside a segment separates
 * segments as the SDK's raw "/" does. The client never sends one (a path parameter holding "/"
 * is refused, transport/url.ts); the simulator verifies by this same rule.
 */
export function canonicalUri(pathname: string): string {
  // Every request signs its path: a plain one (the usual case) is its own encoding.
  const encoded = PLAIN_PATH.test(pathname)
    ? pathname
    : pathname
        .split('/')
        .map(safeDecode)
        .join('/')
        .split('/')
        .map(encodeRfc3986)
        .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Canonical query: keys sorted by code unit, each key's values sorted, repeated keys kept. */
export function canonicalQuery(search: URLSearchParams): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of search) {
    const values = byKey.get(key) ?? [];
    values.push(value);
    byKey.set(key, values);
  }
  const parts: string[] = [];
  for (const key of [...byKey.keys()].sort(compareCodeUnits)) {
    for (const value of (byKey.get(key) ?? []).sort(compareCodeUnits)) {
      parts.push(`${encodeRfc3986(key)}=${encodeRfc3986(value)}`);
    }
  }
  return parts.join('&');
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) lower.set(name.toLowerCase(), value);
  return lower;
}

export function payloadHash(body: string | Uint8Array | undefined, headers: ReadonlyMap<string, string>): string {
  const declared = headers.get('x-sdk-content-sha256');
  if (declared !== undefined) return declared;
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return createHash('sha256').update(body).digest('hex');
}

function parseUrl(url: string): URL {
  return new URL(url, 'http://signing.invalid');
}

export function canonicalRequest(request: SignableRequest, signedHeaderNames: readonly string[]): string {
  return canonicalOf(request, lowerCaseHeaders(request.headers), signedHeaderNames);
}

/** The canonical request, from headers already lower-cased (every COC request is signed: kept lean). */
function canonicalOf(request: SignableRequest, headers: ReadonlyMap<string, string>, signedHeaderNames: readonly string[]): string {
  const url = parseUrl(request.url);
  let canonicalHeaders = '';
  for (const name of signedHeaderNames) canonicalHeaders += `${name}:${(headers.get(name) ?? '').trim()}\n`;
  // No query: nothing to sort (and no URLSearchParams to build).
  const query = url.search === '' ? '' : canonicalQuery(url.searchParams);
  return `${request.method.toUpperCase()}\n${canonicalUri(url.pathname)}\n${query}\n${canonicalHeaders}\n${signedHeaderNames.join(';')}\n${payloadHash(request.body, headers)}`;
}

export function stringToSign(canonical: string, sdkDate: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${hash('sha256', canonical, 'hex')}`;
}

export function computeSignature(request: SignableRequest, signedHeaderNames: readonly string[], sk: string): string {
  return signatureOf(request, lowerCaseHeaders(request.headers), signedHeaderNames, sk);
}

function signatureOf(request: SignableRequest, headers: ReadonlyMap<string, string>, signedHeaderNames: readonly string[], sk: string): string {
  const date = headers.get('x-sdk-date') ?? '';
  return createHmac('sha256', sk).update(stringToSign(canonicalOf(request, headers, signedHeaderNames), date)).digest('hex');
}

/** The last date formatted: requests signed within the same second share it. */
let lastSdkDate: { readonly second: number; readonly text: string } | undefined;

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC. */
export function formatSdkDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (lastSdkDate?.second === second) return lastSdkDate.text;
  const text = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  if (Number.isFinite(second)) lastSdkDate = { second, text };
  return text;
}

export function parseSdkDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const parsed = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** Headers the client signs when present: never User-Agent or anything a proxy may rewrite. */
const SIGNABLE_HEADERS = new Set(['content-type', 'host', 'x-project-id', 'x-domain-id', 'x-sdk-date', 'x-security-token', 'x-sdk-content-sha256']);
/** The same, in signing order (sorted by code unit), so the names present need no sorting. */
const SIGNABLE_IN_ORDER = [...SIGNABLE_HEADERS].sort(compareCodeUnits);

export interface SignOptions {
  readonly now?: Date;
  /** Explicit header names to sign; default: the signable headers present plus x-sdk-date. */
  readonly signedHeaders?: readonly string[];
}

/**
 * Signs a request. Returns the complete header set to send: the caller's headers plus
 * `X-Sdk-Date` (unless already given) and `Authorization`.
 */
export function signRequest(request: SignableRequest, credentials: AkSk, options: SignOptions = {}): Record<string, string> {
  // Copied with Object.assign, not spread: on Node 20 a spread copy that then gets more
  // properties (the date, the signature) gets a hidden class of its own on every request.
  const headers: Record<string, string> = Object.assign({}, request.headers);
  const present = lowerCaseHeaders(headers);
  if (!present.has('x-sdk-date')) {
    headers['X-Sdk-Date'] = formatSdkDate(options.now ?? new Date());
    present.set('x-sdk-date', headers['X-Sdk-Date']);
  }
  const names = options.signedHeaders
    ? options.signedHeaders.map((name) => name.toLowerCase()).sort(compareCodeUnits)
    : SIGNABLE_IN_ORDER.filter((name) => present.has(name));
  // The canonical request reads the headers from `present` (which has the date), the rest from `request`.
  const signature = signatureOf(request, present, names, credentials.sk);
  headers['Authorization'] = `${SIGNING_ALGORITHM} Access=${credentials.ak}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}

export interface ParsedAuthorization {
  readonly access: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export function parseAuthorization(value: string | undefined): ParsedAuthorization | undefined {
  if (!value) return undefined;
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(value.trim());
  if (!m) return undefined;
  return { access: m[1]!, signedHeaders: m[2]!.split(';'), signature: m[3]! };
}

export type VerifyResult =
  | { readonly ok: true; readonly access: string }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'unknown-key' | 'date-missing' | 'clock-skew' | 'x-sdk-date-unsigned' | 'mismatch' };

export interface VerifyOptions {
  readonly now?: Date;
  readonly maxSkewMs?: number;
  readonly secretFor: (ak: string) => string | undefined;
}

/** Server side: what API Gateway checks. `x-sdk-date` must be signed and within the skew window. */
export function verifyRequest(request: SignableRequest, options: VerifyOptions): VerifyResult {
  const headers = lowerCaseHeaders(request.headers);
  const authorization = headers.get('authorization');
  if (!authorization) return { ok: false, reason: 'missing' };
  const parsed = parseAuthorization(authorization);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const sk = options.secretFor(parsed.access);
  if (sk === undefined) return { ok: false, reason: 'unknown-key' };
  if (!parsed.signedHeaders.includes('x-sdk-date')) return { ok: false, reason: 'x-sdk-date-unsigned' };
  const date = parseSdkDate(headers.get('x-sdk-date') ?? '');
  if (!date) return { ok: false, reason: 'date-missing' };
  const skew = Math.abs((options.now ?? new Date()).getTime() - date.getTime());
  if (skew > (options.maxSkewMs ?? 15 * 60_000)) return { ok: false, reason: 'clock-skew' };
  const expected = Buffer.from(computeSignature(request, parsed.signedHeaders, sk), 'hex');
  const given = Buffer.from(parsed.signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  return { ok: true, access: parsed.access };
}
