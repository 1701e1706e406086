/**
 * The short code of a transport failure (ECONNRESET, ECONNREFUSED, …), from the error or its
 * cause. undici reports a peer that closed the connection mid-request as UND_ERR_SOCKET
 * "other side closed"; for the caller that is a reset, so it is reported as ECONNRESET.
 */

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function networkErrorCode(error: unknown): string | undefined {
  const own = codeOf(error);
  const cause = codeOf((error as { cause?: unknown } | null)?.cause);
  // An OS-level code (E…) is the most telling; undici's own codes come second.
  const code = [own, cause].find((candidate) => candidate?.startsWith('E')) ?? own ?? cause;
  return code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : code;
}

/** undici's own timers (headers, body, connect) fired: the answer did not come in time. */
export function isTimeoutCode(code: string | undefined): boolean {
  return code !== undefined && TIMEOUT_CODES.has(code);
}
