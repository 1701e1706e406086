/**
 * Makes any value safe to write to the log: secret-looking keys and sensitive script
 * parameters masked at any depth, `Secret`s shown as `***`, strings passed through the same
 * secret-pattern redaction as script output (`password=…`, `Bearer …`, credentials in URLs,
 * AK/SK-looking strings), errors turned into plain records, and everything bounded so one
 * log line stays a line.
 */
import { REDACTED, Secret } from '../config/secret.js';
import { MASK, redactLog } from '../orders/redact-log.js';

/** Keys whose values are secret wherever they appear (COC auth, chat tokens, database URLs, headers). */
const SECRET_KEY =
  /(passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|credential|access[_-]?key|authorization|cookie|signature|database[_-]?url|integration[_-]?key|^ak$|^sk$|^pass$)/i;

/**
 * Script parameter values are never logged, sensitive or not: the log cannot know which ones a
 * script marks sensitive when only the values travel (an execute request), and the audit trail
 * already keeps them, masked where they must be.
 */
const PARAMETER_VALUE_KEY = /^param_value$/;

/** Fields that hold a value in a parameter or form field that calls itself sensitive or secret. */
const VALUE_KEYS = ['param_value', 'value', 'default', 'defaultValue'] as const;

const MAX_DEPTH = 8;
const MAX_ITEMS = 100;
const MAX_STRING = 4_000;

export interface ScrubOptions {
  /** Values to hide wherever they appear (the configured secrets, revealed). */
  readonly secrets?: readonly string[];
}

export function scrubText(text: string, options: ScrubOptions = {}): string {
  // One mask in the whole log: the one `Secret` prints.
  const redacted = redactLog(text, options.secrets ? { secrets: options.secrets } : {})
    .split(MASK)
    .join(REDACTED);
  return redacted.length > MAX_STRING ? `${redacted.slice(0, MAX_STRING)}…` : redacted;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || PARAMETER_VALUE_KEY.test(key);
}

/** A parameter (COC script parameter, a form field) that says of itself that it is sensitive. */
function isSensitiveRecord(record: Record<string, unknown>): boolean {
  return record['sensitive'] === true || record['secret'] === true;
}

export function scrub(value: unknown, options: ScrubOptions = {}): unknown {
  const seen = new WeakSet<object>();

  const visit = (node: unknown, depth: number): unknown => {
    if (node instanceof Secret) return REDACTED;
    switch (typeof node) {
      case 'string':
        return scrubText(node, options);
      case 'number':
      case 'boolean':
      case 'undefined':
        return node;
      case 'bigint':
        return node.toString();
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (node === null) return null;
    const object = node as object;
    if (seen.has(object)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[…]';
    seen.add(object);
    try {
      if (object instanceof Error) return visitError(object, depth);
      if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
      if (ArrayBuffer.isView(object)) return `[${object.byteLength} bytes]`;
      if (Array.isArray(object)) {
        const items = object.slice(0, MAX_ITEMS).map((item) => visit(item, depth + 1));
        if (object.length > MAX_ITEMS) items.push(`… ${object.length - MAX_ITEMS} more`);
        return items;
      }
      if (object instanceof Map) return visit(Object.fromEntries(object), depth);
      if (object instanceof Set) return visit([...object], depth);
      const toJSON = (object as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return visit(toJSON.call(object), depth + 1);
      return visitRecord(object as Record<string, unknown>, depth);
    } finally {
      seen.delete(object);
    }
  };

  const visitRecord = (record: Record<string, unknown>, depth: number): Record<string, unknown> => {
    const sensitive = isSensitiveRecord(record);
    const out: Record<string, unknown> = {};
    let count = 0;
    for (const [key, item] of Object.entries(record)) {
      if (++count > MAX_ITEMS) {
        out['…'] = `${Object.keys(record).length - MAX_ITEMS} more keys`;
        break;
      }
      const hidden = (isSecretKey(key) || (sensitive && (VALUE_KEYS as readonly string[]).includes(key))) && item !== undefined && item !== null && typeof item !== 'boolean';
      out[key] = hidden ? REDACTED : visit(item, depth + 1);
    }
    return out;
  };

  const visitError = (error: Error, depth: number): Record<string, unknown> => {
    // The name and message first, then whatever the error carries (COC error code, status, route).
    const out: Record<string, unknown> = { type: error.name, message: scrubText(error.message, options) };
    if (error.stack) out['stack'] = scrubText(error.stack, options);
    for (const [key, item] of Object.entries(error)) {
      if (key in out) continue;
      out[key] = isSecretKey(key) && item !== undefined && item !== null ? REDACTED : visit(item, depth + 1);
    }
    if (error.cause !== undefined) out['cause'] = visit(error.cause, depth + 1);
    return out;
  };

  return visit(value, 0);
}
