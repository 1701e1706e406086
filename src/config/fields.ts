import { z } from 'zod';
import { Secret } from './secret.js';

/**
 * Field builders shared by the sections. Every option carries metadata in the schema itself:
 * `description` (documentation), `env` (the environment variable that overrides it) and
 * `secret` (never printed). The loader, the redaction and the documentation test all read it
 * from there, so the schema stays the single source of truth.
 */

export interface OptionMeta {
  description: string;
  env?: string;
  secret?: true;
}

/** A secret string; checks run on the plain text before it is wrapped. */
export function secretString(check?: (text: z.ZodString) => z.ZodString) {
  const text = z.string().min(1, { error: 'must not be empty' });
  return (check ? check(text) : text).transform((value) => new Secret(value));
}

export function port(): z.ZodNumber {
  return z
    .number({ error: 'must be a port number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be between 1 and 65535' })
    .max(65535, { error: 'must be between 1 and 65535' });
}

export function wholeNumber(min: number, max: number): z.ZodNumber {
  const range = `must be between ${min} and ${max}`;
  return z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: range })
    .max(max, { error: range });
}

export function nonEmpty(): z.ZodString {
  return z.string().min(1, { error: 'must not be empty' });
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL; plain http only on this machine (a simulator started with `npm run sim`). */
export function serviceUrl(): z.ZodString {
  return z.string().refine(
    (text) => {
      try {
        const url = new URL(text);
        return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
      } catch {
        return false;
      }
    },
    { error: 'must be an https:// URL (http:// only for localhost)' },
  );
}
