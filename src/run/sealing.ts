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
import type { Text } from '../i18n/translate.js';
import type { SealingKey, SealingKeyOrigin } from './sealing-key.js';

const FORMAT = 'v1';
const valuesSchema = z.record(z.string(), z.string());

/** Why sealed values could not be opened, in both languages. */
export const UNSEAL_TEXTS = {
  format: { 'en-US': 'the sealed values are not in a known format', 'zh-CN': '加密保存的参数值格式无法识别' },
  process: {
    'en-US': 'the sensitive values were sealed by another process (a restart, or another replica) and no shared key is configured (store.secretKey / COC_CHATOPS_SECRET_KEY)',
    'zh-CN': '敏感参数值由另一个进程加密（重启或另一个副本），且未配置共享密钥（store.secretKey / COC_CHATOPS_SECRET_KEY）',
  },
  file: {
    'en-US': 'the sensitive values cannot be opened with the key file beside the database (replaced or restored from elsewhere?)',
    'zh-CN': '无法用数据库旁的密钥文件解开敏感参数值（文件被替换或从别处恢复？）',
  },
  configured: {
    'en-US': 'the sensitive values cannot be opened with the configured key (store.secretKey / COC_CHATOPS_SECRET_KEY changed?)',
    'zh-CN': '无法用配置的密钥解开敏感参数值（store.secretKey / COC_CHATOPS_SECRET_KEY 是否已更改？）',
  },
} satisfies Record<SealingKeyOrigin | 'format', Text>;

export class UnsealError extends Error {
  override readonly name = 'UnsealError';
  constructor(readonly why: keyof typeof UNSEAL_TEXTS) {
    super(UNSEAL_TEXTS[why]['en-US']);
  }
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
    if (format !== FORMAT || !iv || !tag || body === undefined) throw new UnsealError('format');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      return valuesSchema.parse(JSON.parse(text));
    } catch {
      throw new UnsealError(this.origin);
    }
  }
}
