import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * What every start needs of the option catalogue: which environment variable sets which option
 * (and whether it is a whole number or true/false), and which options are secrets. Read straight
 * from the schema's shape and metadata, the way `z.toJSONSchema` (catalogue.ts) reads them on the
 * input side, without building the whole JSON Schema: that took ~18 ms of every start, while the
 * full catalogue (descriptions, defaults, allowed values) is only needed to explain a problem or
 * to write documentation. test/config-bindings.test.ts keeps the two readings equal.
 */
export interface OptionBinding {
  readonly path: readonly string[];
  readonly env: string | undefined;
  readonly secret: boolean;
  /** How an environment variable's text becomes the option's value. */
  readonly kind: 'integer' | 'boolean' | 'text';
}

type AnySchema = z.core.$ZodType;

/** Wrappers whose input side is the schema inside them. */
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional', 'success']);

interface Unwrapped {
  readonly schema: AnySchema;
  readonly meta: { env?: unknown; secret?: unknown };
}

/** Down to the schema that says the input's shape; metadata of an outer wrapper wins, as in JSON Schema. */
function unwrap(schema: AnySchema): Unwrapped {
  const metas: object[] = [];
  let node = schema;
  for (;;) {
    const meta = z.globalRegistry.get(node);
    if (meta) metas.unshift(meta);
    const def = node._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema; getter?: () => AnySchema };
    if (WRAPPERS.has(def.type) && def.innerType) node = def.innerType;
    else if (def.type === 'pipe' && def.in) node = def.in;
    else if (def.type === 'lazy' && def.getter) node = def.getter();
    else break;
  }
  return { schema: node, meta: Object.assign({}, ...metas) as Unwrapped['meta'] };
}

function kindOf(schema: AnySchema): OptionBinding['kind'] {
  const def = schema._zod.def as { type: string };
  if (def.type === 'boolean') return 'boolean';
  if (def.type !== 'number') return 'text';
  // A whole number is a number with an integer format among its checks (or one itself, as z.int() is).
  const checks = [schema, ...((schema._zod.def as { checks?: AnySchema[] }).checks ?? [])];
  const whole = checks.some((check) => {
    const format = (check._zod.def as { check?: string; format?: unknown }).format;
    return typeof format === 'string' && format.includes('int');
  });
  return whole ? 'integer' : 'text';
}

function shapeOf(schema: AnySchema): Record<string, AnySchema> | undefined {
  const def = schema._zod.def as { type: string; shape?: Record<string, AnySchema> };
  return def.type === 'object' ? def.shape : undefined;
}

function collect(schema: AnySchema, path: string[], out: OptionBinding[]): void {
  const { schema: inner, meta } = unwrap(schema);
  const def = inner._zod.def as { type: string; element?: AnySchema };
  const element = def.type === 'array' && def.element ? unwrap(def.element).schema : undefined;
  const children = shapeOf(inner) ?? (element && shapeOf(element));
  if (path.length > 0) {
    out.push({
      path,
      env: typeof meta.env === 'string' ? meta.env : undefined,
      secret: meta.secret === true,
      kind: kindOf(inner),
    });
  }
  if (!children) return;
  // Same `[]` segment as the catalogue (ARRAY_ITEM), written here so this module needs nothing of it.
  const base = element && shapeOf(element) ? [...path, '[]'] : path;
  for (const [key, child] of Object.entries(children)) collect(child, [...base, key], out);
}

let cached: readonly OptionBinding[] | undefined;

/** Every option with its environment variable, secret flag and kind, in the catalogue's order. */
export function optionBindings(): readonly OptionBinding[] {
  if (!cached) {
    const out: OptionBinding[] = [];
    collect(configSchema, [], out);
    cached = out;
  }
  return cached;
}
