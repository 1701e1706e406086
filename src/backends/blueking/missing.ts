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

/**
 * Job's own answer that a job instance does not exist: a refusal of the read (ESB's
 * `result: false` with a code) whose message names the job instance. The reference documents no
 * code for it, so neither a bare 404 (a proxy's) nor any other refusal that says something is
 * missing ("user does not exist" when the requester's rights lapsed) counts: the job may still run.
 */
const SAYS_JOB_INSTANCE_MISSING = /job[ _]?instance\b.*(not ?exists?|not ?found)|作业实例.*(不存在|未找到|找不到)/i;

export function isMissingJobInstance(error: unknown): boolean {
  const known = normalizeError(error);
  return (
    known instanceof BackendRefusedError &&
    known.operation?.write !== true &&
    known.detail.code !== undefined &&
    SAYS_JOB_INSTANCE_MISSING.test(known.detail.platformMessage ?? '')
  );
}
