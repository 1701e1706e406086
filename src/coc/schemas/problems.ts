/**
 * Turns zod issues into FieldProblems a person can act on: a path such as
 * `execute_batches[1].target_instances` and a message that says what is allowed and what was
 * given ("at most 10 hosts per batch, got 12").
 *
 * Messages never repeat a string the caller passed (it may be a password or a sensitive script
 * parameter); they only state lengths, counts, numbers and short enum-like words.
 */
import { z } from 'zod';
import { CocValidationError, type CocOperation, type FieldProblem } from '../errors.js';

type PathKey = PropertyKey;

export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
  literal: 'a fixed value',
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'a non-finite number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Echo short code-like words (enum candidates) only; any other string stays unrepeated. */
export function echoWord(value: unknown): string {
  if (typeof value === 'string' && value.length <= 40 && /^[\w.-]*$/.test(value)) return `, got "${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `, got ${String(value)}`;
  return '';
}

function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value instanceof Set || value instanceof Map) return value.size;
  return undefined;
}

function bound(kind: 'min' | 'max', origin: string, limit: number | bigint, inclusive: boolean, input: unknown): string {
  const got = sizeOf(input) ?? (typeof input === 'number' ? input : undefined);
  const gotText = got === undefined ? '' : `, got ${got}`;
  if (origin === 'string') {
    if (kind === 'min' && Number(limit) === 1) return 'must not be empty';
    return `must be ${kind === 'min' ? 'at least' : 'at most'} ${limit} characters${gotText}`;
  }
  if (origin === 'array' || origin === 'set') return `must have ${kind === 'min' ? 'at least' : 'at most'} ${limit} items${gotText}`;
  const relation = kind === 'min' ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  return `must be ${relation} ${limit}${gotText}`;
}

/** Generic messages, used wherever a schema does not carry its own. */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${kindOf(issue.input)}`;
    case 'too_small':
      return bound('min', issue.origin, issue.minimum, issue.inclusive ?? true, issue.input);
    case 'too_big':
      return bound('max', issue.origin, issue.maximum, issue.inclusive ?? true, issue.input);
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}${echoWord(issue.input)}`;
    case 'invalid_union': {
      const options = (issue as { options?: readonly unknown[] }).options;
      if (options) return `must be one of ${options.map(String).join(', ')}${echoWord(issue.input)}`;
      return 'does not match any allowed form';
    }
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'is not a known field';
    case 'custom':
      return issue.message ?? 'is invalid';
    default:
      return undefined;
  }
};

/** One problem per issue; an unknown key becomes a problem on that key's own path. */
export function toFieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: formatPath([...issue.path, key]), message: 'is not a known field' });
      continue;
    }
    problems.push({ path: formatPath(issue.path), message: issue.message });
  }
  return problems;
}

/** The error map every check uses, as one shared params object (nothing allocated per parse). */
const PARSE_PARAMS = { error: describeIssue };

const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();
const seenOnce = new WeakSet<z.ZodType>();

/**
 * The schema's `z.compile` clone, made once per schema, on its second use (a schema built for
 * one call is never worth compiling). Zod documents identical results and identical errors:
 * valid input takes a generated fast path (several times faster for objects like the order
 * answers), invalid input falls back to the regular parser, and a schema the compiler cannot
 * handle comes back unchanged.
 */
function compiled<S extends z.ZodType>(schema: S): S {
  const fast = compiledSchemas.get(schema) as S | undefined;
  if (fast !== undefined) return fast;
  if (!seenOnce.has(schema)) {
    seenOnce.add(schema);
    return schema;
  }
  const made = z.compile(schema);
  compiledSchemas.set(schema, made);
  return made;
}

/** Checks an input against its request schema; nothing is sent unless this passes. */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown, operation: CocOperation): z.output<S> {
  const result = compiled(schema).safeParse(input, PARSE_PARAMS);
  if (result.success) return result.data;
  throw new CocValidationError(operation, toFieldProblems(result.error.issues));
}

/** Response check: issues as `path: message` strings (never the body itself). */
export function checkResponse<S extends z.ZodType>(
  schema: S,
  payload: unknown,
): { readonly ok: true; readonly value: z.output<S> } | { readonly ok: false; readonly issues: string[] } {
  const result = compiled(schema).safeParse(payload, PARSE_PARAMS);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: toFieldProblems(result.error.issues).map((problem) => `${problem.path || '(root)'}: ${problem.message}`) };
}
