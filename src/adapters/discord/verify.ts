/**
 * Ed25519 verification of HTTP interactions (platform-rules §2.5): Discord signs
 * `X-Signature-Timestamp + raw body` with the application's key; the bot checks it with the
 * public key from General Information, using node:crypto alone. Requests that are not signed,
 * badly signed, or signed more than five minutes away from now are refused (Discord sends
 * deliberately bad signatures to check that they are).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
export const MAX_SKEW_MS = 5 * 60_000;

export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TypeError('a Discord public key is 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export type Verdict = 'valid' | 'unsigned' | 'bad-signature' | 'stale';

export function verifyRequest(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  nowMs: number,
): Verdict {
  if (!signature || !timestamp) return 'unsigned';
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return 'bad-signature';
  const valid = verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
  if (!valid) return 'bad-signature';
  // Checked after the signature, so the timestamp is known to be Discord's own.
  return Math.abs(nowMs - Number(timestamp) * 1000) > MAX_SKEW_MS ? 'stale' : 'valid';
}
