/**
 * Reads COC's error code and message out of an error body the way the official SDK does
 * (coc-api-notes §0.3): `error_code`+`error_msg`, else `code`+`message`, else the same pair
 * nested one level down (IAM answers `{error: {code, title, message}}`).
 */

export interface ErrorFields {
  readonly errorCode: string | undefined;
  readonly errorMsg: string | undefined;
}

const NONE: ErrorFields = { errorCode: undefined, errorMsg: undefined };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function pairAt(record: Record<string, unknown>): ErrorFields | undefined {
  if ('error_code' in record || 'error_msg' in record) {
    return { errorCode: text(record['error_code']), errorMsg: text(record['error_msg']) };
  }
  if ('code' in record || 'message' in record) {
    return { errorCode: text(record['code']), errorMsg: text(record['message']) };
  }
  return undefined;
}

export function readErrorFields(body: unknown): ErrorFields {
  if (!isRecord(body)) return NONE;
  const top = pairAt(body);
  if (top) return top;
  for (const value of Object.values(body)) {
    if (!isRecord(value)) continue;
    const nested = pairAt(value);
    if (nested) return nested;
  }
  return NONE;
}

/** Parses a body as JSON; `undefined` when it is empty or not JSON. */
export function parseJsonBody(raw: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly empty: boolean } {
  if (raw.trim() === '') return { ok: false, empty: true };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, empty: false };
  }
}
