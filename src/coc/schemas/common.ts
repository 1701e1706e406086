/**
 * Lenient building blocks for response schemas. COC's answers differ from its own documents
 * (coc-api-notes §3): fields go missing or come back null, numbers arrive as strings, new
 * fields appear. A response schema insists only on what the bot cannot work without and lets
 * everything else through, so a harmless change on COC's side does not stop the bot.
 */
import { z } from 'zod';

/** A string that may be missing or null. */
export const optionalText = z.string().nullish();

/** A number that may be missing, null, a numeric string ("42") or an empty string (read as null). */
export const optionalNumber = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return null;
  return Number.isNaN(Number(value)) ? value : Number(value);
}, z.number().nullish());

/** Epoch milliseconds, possibly null (e.g. `gmt_finished` of a running order). */
export const timestamp = optionalNumber;

/** A boolean that may be missing, null, or the string "true"/"false". */
export const optionalBoolean = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean().nullish(),
);

/** A list that may be missing or null; read as an empty list. */
export function optionalList<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);
}

/** A required count (`total`, `count`): a number, or a numeric string. */
export const count = z.preprocess(
  (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
  z.number().int().min(0),
);

/** A string id that must be present: what the caller will address the object by. */
export const requiredId = z.string().min(1);

/** `provider_code` is "049" in most answers and the number 4 in some documented ones. */
export const providerCode = z.union([z.string(), z.number()]).nullish();

/**
 * A known enum value, or any other string. Known values keep their literal types for
 * exhaustive handling; unknown ones pass through instead of failing the whole answer.
 */
export function openEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.union([z.enum(values), z.string()]) as unknown as z.ZodType<T[number] | (string & {})>;
}

/**
 * Reads an untyped page (the SDK leaves such a `data` untyped) as `{ total, items }`: a bare
 * list, nothing (an empty page), or an object holding the list under the first of `listKeys`
 * that holds an array, with its total under the first of `totalKeys` present (else the list's
 * length). Anything else is passed on for the page's schema to refuse.
 */
export function untypedPage(listKeys: readonly string[], totalKeys: readonly string[]): (data: unknown) => unknown {
  return (data) => {
    if (Array.isArray(data)) return { total: data.length, items: data };
    if (data === null || data === undefined) return { total: 0, items: [] };
    if (typeof data !== 'object') return data;
    const record = data as Record<string, unknown>;
    const key = listKeys.find((candidate) => Array.isArray(record[candidate]));
    const items = key ? (record[key] as unknown[]) : [];
    const total = totalKeys.map((candidate) => record[candidate]).find((value) => value !== null && value !== undefined);
    return { total: total ?? items.length, items };
  };
}
