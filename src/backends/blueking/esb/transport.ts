/**
 * The small transport helpers the ESB client needs: how long to wait before the next try of a
 * read, how a response body is read with a size limit, and how secrets are taken out of any text
 * the platform sends back. How a failed attempt is named is shared with COC's client
 * (src/core/network-errors.ts).
 */
import type { Dispatcher } from 'undici';
import { REDACTED } from '../../../config/secret.js';

/** Full-jitter exponential backoff: somewhere in [0, base·2^(attempt-1)], capped. */
export function backoffMs(attempt: number, random: () => number, baseMs = 200, capMs = 5_000): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
}

/** `Retry-After` in seconds or as an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class BodyTooLarge extends Error {}

/** The body as text, at most `max` bytes. */
export async function readBody(body: Dispatcher.ResponseData['body'], max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > max) {
      body.destroy();
      throw new BodyTooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Hides every listed secret in a text (the app secret, sensitive parameters, and their URL-encoded forms). */
export class Redactor {
  readonly #needles: readonly string[];

  constructor(secrets: readonly (string | undefined)[]) {
    const all = new Set<string>();
    for (const secret of secrets) {
      // Even a short value is hidden: blanking an ordinary word is cheaper than showing a secret.
      if (!secret) continue;
      all.add(secret);
      all.add(encodeURIComponent(secret));
      all.add(JSON.stringify(secret).slice(1, -1));
    }
    this.#needles = [...all].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const needle of this.#needles) out = out.split(needle).join(REDACTED);
    return out;
  }

  redactOptional(text: string | undefined): string | undefined {
    return text === undefined ? undefined : this.redact(text);
  }
}

export function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, lowerName: string): string | undefined {
  const value = headers[lowerName];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
