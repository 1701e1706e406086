/**
 * Whether a failed read means "no such thing". ESB documents no not-found code, so a refusal of a
 * read is taken as not-found only when the platform's own message says the thing does not exist
 * (ITSM `单据不存在`, SOPS `task[id=…] does not exist`…); any other refusal stays an error.
 */
import { BackendRefusedError, isNotFound, normalizeError } from '../errors.js';

const SAYS_MISSING = /不存在|未找到|找不到|does ?not ?exist|not ?exist|not ?found|no such/i;

export function isMissing(error: unknown): boolean {
  if (isNotFound(error)) return true;
  const known = normalizeError(error);
  return known instanceof BackendRefusedError && known.operation?.write !== true && SAYS_MISSING.test(known.detail.platformMessage ?? '');
}
