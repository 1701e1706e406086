/**
 * Request validation with zod, reported the way COC reports it: one readable sentence per
 * problem naming the field (`execute_param.timeout must be at most 1800`), in the route's
 * error family.
 */
import { z } from 'zod';
import { validationFailure } from './envelopes.js';
import { SimError, type ErrorFamily } from './types.js';

type Issue = z.core.$ZodRawIssue;

function describeExpected(expected: unknown): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return `a ${String(expected)}`;
  }
}

/** Zod issue → the predicate part of a COC-style message ("must not be null"). */
function issueMessage(issue: Issue): string {
  const raw = issue as Issue & { origin?: string; minimum?: number | bigint; maximum?: number | bigint; values?: readonly unknown[]; expected?: unknown; keys?: readonly string[] };
  switch (raw.code) {
    case 'invalid_type':
      return raw.input === undefined || raw.input === null ? 'must not be null' : `must be ${describeExpected(raw.expected)}`;
    case 'too_small':
      if (raw.origin === 'string') return Number(raw.minimum) <= 1 ? 'must not be empty' : `length must be at least ${String(raw.minimum)}`;
      if (raw.origin === 'array' || raw.origin === 'set') return `size must be at least ${String(raw.minimum)}`;
      return `must be at least ${String(raw.minimum)}`;
    case 'too_big':
      if (raw.origin === 'string') return `length must be at most ${String(raw.maximum)}`;
      if (raw.origin === 'array' || raw.origin === 'set') return `size must be at most ${String(raw.maximum)}`;
      return `must be at most ${String(raw.maximum)}`;
    case 'invalid_value':
      return `must be one of ${(raw.values ?? []).map(String).join('|')}`;
    case 'invalid_format':
      return 'has an invalid format';
    case 'unrecognized_keys':
      return `has unknown fields ${(raw.keys ?? []).join(', ')}`;
    default:
      return 'is invalid';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export interface ValidationOptions {
  /** Joins several problems; the custom-event API uses " | " like its documented example. */
  readonly separator?: string;
  /** Name used when the whole body is wrong (not an object, missing). */
  readonly subject?: string;
}

export function problemsOf(error: z.ZodError, subject = 'request body'): string[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return `${path || subject} ${issue.message}`;
  });
}

/** Parse or throw a SimError in the family's validation format. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, family: ErrorFamily, options: ValidationOptions = {}): z.output<S> {
  const result = schema.safeParse(input, { error: (issue) => issueMessage(issue as Issue) });
  if (result.success) return result.data;
  const { status, code } = validationFailure(family);
  throw new SimError(status, code, problemsOf(result.error, options.subject).join(options.separator ?? '; '));
}

export function invalid(family: ErrorFamily, message: string): SimError {
  const { status, code } = validationFailure(family);
  return new SimError(status, code, message);
}

// ---- schema building blocks shared by routes -------------------------------------------

/**
 * Jackson (COC's JSON binder) accepts numeric strings for number fields — the doc examples
 * send `"success_rate": "100.0"` and `"batch_index": "1"` — so the simulator does too.
 */
function numericStringToNumber(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

export function jsonInt(min: number, max: number) {
  return z.preprocess(numericStringToNumber, z.number().int().min(min).max(max));
}

export function jsonNumber(min: number, max: number) {
  return z.preprocess(numericStringToNumber, z.number().min(min).max(max));
}

/** Query-string integer ("10"), bounded. */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^-?\d+$/, { error: 'must be an integer' })
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

/** Jackson also reads "true"/"false" strings as booleans. */
export function jsonBoolean() {
  return z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean());
}

export function boundedString(min: number, max: number) {
  return z.string().min(min).max(max);
}

/** A query parameter that may arrive once or repeated (`k=a&k=b`). */
export function queryList(maxItems: number) {
  return z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.string()).max(maxItems));
}
