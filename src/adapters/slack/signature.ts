/**
 * Slack's request signature (platform-rules §1.5): `X-Slack-Signature: v0=<hex>` is the
 * HMAC-SHA256, keyed with the signing secret, of `v0:<X-Slack-Request-Timestamp>:<raw body>`.
 * The headers are checked first, before any of the body is read; the signature once it is.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SIGNATURE_MAX_AGE_S } from './limits.js';

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

export interface SignatureHeaders {
  readonly timestamp: string;
  readonly signature: string;
}

export type HeaderVerdict =
  | { readonly kind: 'signed'; readonly headers: SignatureHeaders }
  /** Neither header: only Slack's `ssl_check` may come like this. */
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'refused'; readonly why: string };

function single(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? undefined : value;
}

/** The signature headers, well formed and with a timestamp within five minutes of now either way. */
export function checkSignatureHeaders(request: IncomingMessage, nowMs: number): HeaderVerdict {
  const timestamp = single(request, 'x-slack-request-timestamp');
  const signature = single(request, 'x-slack-signature');
  if (request.headers['x-slack-request-timestamp'] === undefined && request.headers['x-slack-signature'] === undefined) return { kind: 'unsigned' };
  if (timestamp === undefined || !TIMESTAMP.test(timestamp)) return { kind: 'refused', why: 'no valid x-slack-request-timestamp' };
  if (signature === undefined || !SIGNATURE.test(signature)) return { kind: 'refused', why: 'x-slack-signature is not v0= and 64 hex digits' };
  // Bolt refuses only stale timestamps; one from the future is a replay prepared with a skewed clock.
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_MAX_AGE_S) return { kind: 'refused', why: 'stale or future timestamp' };
  return { kind: 'signed', headers: { timestamp, signature } };
}

/** True when the body is the one the signing secret's holder signed, compared in constant time. */
export function isSignedBody(secret: string, headers: SignatureHeaders, body: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(`v0:${headers.timestamp}:`).update(body).digest();
  const given = Buffer.from(headers.signature.slice(3), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Slack's `ssl_check` (sent when a Request URL is saved, without signature headers): a short
 * form-encoded POST, `ssl_check=1&token=…`. Only this may be read without a signature, and only
 * this much of it.
 */
export const SSL_CHECK_MAX_BYTES = 1_024;

export function mayBeSslCheck(request: IncomingMessage): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const length = request.headers['content-length'];
  return type === 'application/x-www-form-urlencoded' && length !== undefined && /^\d{1,4}$/.test(length) && Number(length) <= SSL_CHECK_MAX_BYTES;
}

export function isSslCheck(body: Buffer): boolean {
  return new URLSearchParams(body.toString('utf8')).get('ssl_check') === '1';
}
