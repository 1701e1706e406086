/**
 * COC wraps answers in one of three envelopes, by API group (coc-api-notes §0.3):
 *
 * - `data`: `{data: payload}` (resources, scripts, orders). The reference PDFs show some of
 *   these unwrapped, so a body without `data` (or an unwrapped page `{total, data: [...]}`)
 *   is taken as the payload itself (notes §3 row 1).
 * - `pce`: `{provider_code, error_code, error_msg, data}` (incidents, WarRooms, events);
 *   success needs HTTP 2xx and an `error_code` ending in `00000000`, or the bare "0" the
 *   Chinese WarRoom tables give as the normal value ("正常时取值：0").
 * - `bare`: the payload is the body (patch reports).
 *
 * A 2xx body that carries an `error_code` but no `data` is an error (notes §3 row 2: the
 * reference documents an execute-script failure as "204 {error_code, error_msg}").
 */

export type EnvelopeKind = 'data' | 'pce' | 'bare';

export type Unwrapped =
  | { readonly kind: 'payload'; readonly payload: unknown }
  | { readonly kind: 'api-error'; readonly errorCode: string | undefined; readonly errorMsg: string | undefined }
  | { readonly kind: 'shape'; readonly issues: readonly string[] };

/** A 2xx body: parsed JSON, or nothing at all (204, or an empty 200). */
export type SuccessBody = { readonly present: true; readonly value: unknown } | { readonly present: false };

const SUCCESS_CODE_SUFFIX = '00000000';
/** The WarRoom tables' "normal" value; nothing else short counts as success. */
const BARE_SUCCESS_CODE = '0';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function codeText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function messageText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function isSuccessCode(code: string): boolean {
  return code === BARE_SUCCESS_CODE || code.endsWith(SUCCESS_CODE_SUFFIX);
}

/** `{error_code: "COC.00040701", error_msg: "..."}` with no `data`, on a 2xx. */
function embeddedError(body: Record<string, unknown>): Unwrapped | undefined {
  if ('data' in body) return undefined;
  const code = codeText(body['error_code']);
  if (code === undefined || isSuccessCode(code)) return undefined;
  return { kind: 'api-error', errorCode: code, errorMsg: messageText(body['error_msg']) };
}

function unwrapData(body: unknown): Unwrapped {
  if (!isRecord(body)) return { kind: 'payload', payload: body };
  const error = embeddedError(body);
  if (error) return error;
  if (!('data' in body)) return { kind: 'payload', payload: body };
  const unwrappedPage = Array.isArray(body['data']) && 'total' in body;
  return { kind: 'payload', payload: unwrappedPage ? body : body['data'] };
}

function unwrapPce(body: unknown): Unwrapped {
  if (!isRecord(body)) return { kind: 'shape', issues: ['(root): expected the {provider_code, error_code, error_msg, data} envelope'] };
  const code = codeText(body['error_code']);
  if (code === undefined) return { kind: 'shape', issues: ['error_code: missing from the {provider_code, error_code, error_msg, data} envelope'] };
  const provider = body['provider_code'];
  if (provider !== undefined && provider !== null && typeof provider !== 'string' && typeof provider !== 'number') {
    return { kind: 'shape', issues: ['provider_code: expected a string or a number'] };
  }
  if (!isSuccessCode(code)) return { kind: 'api-error', errorCode: code, errorMsg: messageText(body['error_msg']) };
  return { kind: 'payload', payload: body['data'] };
}

function unwrapBare(body: unknown): Unwrapped {
  if (isRecord(body)) {
    const error = embeddedError(body);
    if (error) return error;
  }
  return { kind: 'payload', payload: body };
}

export function unwrapEnvelope(kind: EnvelopeKind, body: SuccessBody): Unwrapped {
  if (!body.present) {
    // Nothing to unwrap: the response schema decides whether "no payload" is acceptable.
    if (kind === 'pce') return { kind: 'shape', issues: ['(root): empty response body, expected the {provider_code, error_code, error_msg, data} envelope'] };
    return { kind: 'payload', payload: undefined };
  }
  switch (kind) {
    case 'data':
      return unwrapData(body.value);
    case 'pce':
      return unwrapPce(body.value);
    case 'bare':
      return unwrapBare(body.value);
  }
}
