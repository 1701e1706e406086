import { REDACTED, Secret } from './secret.js';

/** The same shape with every secret replaced by the mask, safe to print or log. */
export type Redacted<T> = T extends Secret
  ? typeof REDACTED
  : T extends readonly (infer Item)[]
    ? Redacted<Item>[]
    : T extends Date
      ? T
      : T extends object
        ? { [K in keyof T]: Redacted<T[K]> }
        : T;

export function redactConfig<T>(value: T): Redacted<T> {
  return redactValue(value) as Redacted<T>;
}

function redactValue(value: unknown): unknown {
  if (value instanceof Secret) return REDACTED;
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, redactValue(child)]));
  }
  return value;
}
