/**
 * Field builders whose messages name the allowed range and what was given, so every request
 * schema reads the same way ("must be 1–64 characters, got 70").
 */
import { z } from 'zod';
import { echoWord } from './problems.js';

function lengthOf(input: unknown): number | undefined {
  return typeof input === 'string' || Array.isArray(input) ? input.length : undefined;
}

function range(min: number, max: number): string {
  return min === max ? String(min) : `${min}–${max}`;
}

/** A string of `min`–`max` characters. */
export function text(min: number, max: number) {
  const message = (iss: { input?: unknown }): string => {
    const got = lengthOf(iss.input);
    if (got === 0 && min > 0) return `must not be empty (${range(min, max)} characters)`;
    return min === 0 ? `must be at most ${max} characters, got ${got}` : `must be ${range(min, max)} characters, got ${got}`;
  };
  return z
    .string()
    .min(min, { error: message })
    .max(max, { error: message })
    .refine(isWellFormedText, { error: BROKEN_TEXT_MESSAGE });
}

/** A lone UTF-16 surrogate cannot be encoded as UTF-8: it could be neither signed nor sent. */
const LONE_SURROGATE = /\p{Surrogate}/u;
export const BROKEN_TEXT_MESSAGE = 'contains a broken character (a lone UTF-16 surrogate); retype it';
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

export interface ListWording {
  /** What the items are, plural ("hosts"). */
  readonly noun?: string;
  /** Singular form, for "at least 1 host". */
  readonly one?: string;
  /** Qualifier after the noun ("per batch"). */
  readonly per?: string;
}

/** A list of `min`–`max` items. */
export function list<T extends z.ZodType>(item: T, min: number, max: number, wording: ListWording = {}) {
  const noun = wording.noun ?? 'items';
  const per = wording.per ? ` ${wording.per}` : '';
  const nounFor = (count: number) => (count === 1 ? (wording.one ?? noun) : noun);
  return z
    .array(item)
    .min(min, { error: (iss) => `at least ${min} ${nounFor(min)}${per}, got ${lengthOf(iss.input) ?? 0}` })
    .max(max, { error: (iss) => `at most ${max} ${nounFor(max)}${per}, got ${lengthOf(iss.input) ?? 0}` });
}

/** A whole number in `min`..`max`. */
export function int(min: number, max: number) {
  const message = (iss: { input?: unknown }) =>
    `must be a whole number from ${min} to ${max}${typeof iss.input === 'number' ? `, got ${iss.input}` : ''}`;
  return z.number().int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** One of a fixed set of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (iss) => (iss.input === undefined ? 'is required' : `must be one of ${values.join(', ')}${echoWord(iss.input)}`),
  });
}

/** The SDK's "long" (epoch ms and ids): a non-negative whole number. */
export function long() {
  return z
    .number()
    .int({ error: (iss) => `must be a whole number${typeof iss.input === 'number' ? `, got ${iss.input}` : ''}` })
    .min(0, { error: (iss) => `must not be negative, got ${String(iss.input)}` })
    .max(Number.MAX_SAFE_INTEGER);
}
