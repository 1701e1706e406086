/**
 * Sensitive script parameter values between a request and its execution (a HIGH-risk run
 * waits for its approval): sealed with AES-256-GCM before they reach the database, so a
 * database dump or backup never holds them in clear.
 *
 * The key comes from `store.secretKey` (COC_CHATOPS_SECRET_KEY). Without one, each process
 * makes a random key of its own: sealed values then survive neither a restart nor a click
 * handled by another replica — such a run is refused with that reason, never executed with
 * wrong values. Production (PostgreSQL, replicas) sets the key.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

const FORMAT = 'v1';
const valuesSchema = z.record(z.string(), z.string());

export class UnsealError extends Error {
  override readonly name = 'UnsealError';
}

export class ParamSealer {
  readonly #key: Buffer;
  /** True when the key is this process's own (not configured). */
  readonly ephemeral: boolean;

  constructor(secretKey: string | undefined) {
    this.ephemeral = secretKey === undefined;
    this.#key = secretKey === undefined ? randomBytes(32) : createHash('sha256').update(secretKey, 'utf8').digest();
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
        this.ephemeral
          ? 'the sensitive values were sealed by another process (a restart, or another replica) and no shared key is configured (store.secretKey / COC_CHATOPS_SECRET_KEY)'
          : 'the sensitive values cannot be opened with the configured key (store.secretKey / COC_CHATOPS_SECRET_KEY changed?)',
      );
    }
  }
}
