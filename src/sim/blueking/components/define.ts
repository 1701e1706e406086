/**
 * How a component is declared: its ESB path (`<system>/<name>`), the HTTP method the reference
 * gives it, a zod schema of its own parameters (the common bk_* ones are checked before) and a
 * handler that returns `data` or throws EsbError. Parameter helpers accept what a Django view
 * accepts: numbers or numeric strings, booleans or "true"/"false", since GET sends strings.
 */
import { z } from 'zod';
import { argumentError } from '../errors.js';
import type { BkUser, BkWorld } from '../state/world.js';

export type Method = 'GET' | 'POST' | 'ANY';

export interface CallContext<P> {
  readonly params: P;
  readonly user: BkUser;
  readonly world: BkWorld;
}

export interface Reply {
  readonly data: unknown;
  /** Envelope fields beside `data` (e.g. monitor's `_meta`). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface Component {
  /** `job/fast_execute_script` — also the fault key. */
  readonly key: string;
  readonly method: Method;
  run(raw: Record<string, unknown>, context: Omit<CallContext<unknown>, 'params'>): Reply;
}

export function defineComponent<S extends z.ZodType>(spec: {
  readonly key: string;
  readonly method: Method;
  readonly params: S;
  readonly handle: (context: CallContext<z.output<S>>) => Reply;
}): Component {
  return {
    key: spec.key,
    method: spec.method,
    run(raw, context) {
      const parsed = spec.params.safeParse(raw);
      if (!parsed.success) throw argumentError(describeIssues(parsed.error.issues));
      return spec.handle({ ...context, params: parsed.data });
    },
  };
}

export function ok(data: unknown, extra?: Record<string, unknown>): Reply {
  return extra ? { data, extra } : { data };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}

const expecting = (what: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) });

/** An integer, or a string of digits (GET parameters are strings). */
export const int = () => z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)], expecting('an integer'));

export const str = () => z.string(expecting('a string'));

export const nonEmpty = () => z.string(expecting('a string')).min(1, { error: 'must not be empty' });

export const bool = () =>
  z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False', '1', '0']).transform((value) => value === 'true' || value === 'True' || value === '1'), z.union([z.literal(0), z.literal(1)]).transform((value) => value === 1)], expecting('true or false'));

export const array = <T extends z.ZodType>(item: T) => z.array(item, expecting('an array'));

export const record = () => z.record(z.string(), z.unknown(), expecting('an object'));
