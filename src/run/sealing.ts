/**
 * Sensitive script parameter values between a request and its execution (a HIGH-risk run
 * waits for its approval): sealed with AES-256-GCM before they reach the database, so a
 * database dump or backup never holds them in clear.
 *
 * The key (sealing-key.ts) comes from `store.secretKey` (COC_CHATOPS_SECRET_KEY), else from a
 * key file beside the embedded database, else it is this process's own: sealed values then
 * survive neither a restart nor a click handled by another replica — such a run is refused
 * with that reason, never executed with wrong values. Production (PostgreSQL, replicas) sets
 * the key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SealingKey, SealingKeyOrigin } from './sealing-key.js';

const FORMAT = 'v1';
const valuesSchema = z.record(z.string(), z.string());

export class UnsealError extends Error {
  override readonly name = 'UnsealError';
}

export class ParamSealer {
  readonly #key: Buffer;
  readonly origin: SealingKeyOrigin;
  /** True when the key is this process's own (neither configured nor in a key file). */
  readonly ephemeral: boolean;

  constructor(key: SealingKey) {
    this.#key = key.key;
    this.origin = key.origin;
    this.ephemeral = key.origin === 'process';
  }

  seal(values: Readonly<Record<string, string>>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  unseal(sealed: string): Record<string, string> {
    const [format, iv, tag, body] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || body === undefined) throw new UnsealError('the sealed values are not in a known format');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      return valuesSchema.parse(JSON.parse(text));
    } catch {
      throw new UnsealError(
        this.origin === 'process'
          ? 'the sensitive values were sealed by another process (a restart, or another replica) and no shared key is configured (store.secretKey / COC_CHATOPS_SECRET_KEY)'
          : this.origin === 'file'
            ? 'the sensitive values cannot be opened with the key file beside the database (replaced or restored from elsewhere?)'
            : 'the sensitive values cannot be opened with the configured key (store.secretKey / COC_CHATOPS_SECRET_KEY changed?)',
      );
    }
  }
}
