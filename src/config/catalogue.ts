import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * Every option of the configuration, read from the schema's JSON Schema form (input side), with
 * the metadata the sections attach: description, environment variable, secret flag. Array
 * items appear with a `[]` path segment (`identity.mappings[].role`).
 */
export interface OptionInfo {
  readonly path: readonly string[];
  readonly description: string | undefined;
  readonly env: string | undefined;
  readonly secret: boolean;
  readonly type: string | undefined;
  readonly values: readonly string[] | undefined;
  readonly defaultValue: unknown;
  /** Has no options of its own (a value, or a list of values). */
  readonly leaf: boolean;
}

export const ARRAY_ITEM = '[]';

interface JsonSchemaNode {
  type?: string;
  description?: string;
  env?: string;
  secret?: boolean;
  enum?: string[];
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
}

function collect(node: JsonSchemaNode, path: string[], out: OptionInfo[]): void {
  const children = node.properties ?? node.items?.properties;
  const isObjectList = node.type === 'array' && node.items?.properties !== undefined;
  if (path.length > 0) {
    out.push({
      path,
      description: node.description,
      env: node.env,
      secret: node.secret === true,
      type: node.type,
      values: node.enum ?? node.items?.enum,
      defaultValue: node.default,
      leaf: children === undefined,
    });
  }
  if (!children) return;
  const base = isObjectList ? [...path, ARRAY_ITEM] : path;
  for (const [key, child] of Object.entries(children)) collect(child, [...base, key], out);
}

let cached: readonly OptionInfo[] | undefined;

export function configOptions(): readonly OptionInfo[] {
  if (!cached) {
    const jsonSchema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
    const options: OptionInfo[] = [];
    collect(jsonSchema, [], options);
    cached = options;
  }
  return cached;
}

/** Array indices become `[]`, so `identity.mappings.0.role` finds `identity.mappings[].role`. */
function catalogueKey(path: readonly PropertyKey[]): string {
  return path.map((segment) => (typeof segment === 'number' ? ARRAY_ITEM : String(segment))).join('.');
}

export function optionAt(path: readonly PropertyKey[]): OptionInfo | undefined {
  const key = catalogueKey(path);
  return configOptions().find((option) => catalogueKey(option.path) === key);
}

/** The options directly inside the object at `path`. */
export function optionsUnder(path: readonly PropertyKey[]): OptionInfo[] {
  const key = catalogueKey(path);
  return configOptions().filter((option) => catalogueKey(option.path.slice(0, -1)) === key);
}

/** `identity.mappings[0].role` for people. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    if (segment === ARRAY_ITEM) return `${text}[]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, '');
}
