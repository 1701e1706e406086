/**
 * The codes a `result: false` answer carries. ESB's own (`1306xxx`) come from its error table
 * (13 = BlueKing PaaS, 06 = ESB). The reference documents no per-system codes, so the systems'
 * (Job, CMDB, SOPS, ITSM, monitor) are this simulator's choice, one small stable set each.
 */
export const EsbCodes = {
  OPERATOR_REQUIRED: 1306401,
  USER_PERMISSION_DENIED: 1306402,
  COMPONENT_NOT_FOUND: 1306404,
  ARGUMENT_ERROR: 1306406,
  RATE_LIMIT: 1306429,
  COMMON_ERROR: 1306000,
  THIRD_PARTY_ERROR: 1306201,
  /** CMDB: a business, set or module that does not exist. */
  CC_NOT_FOUND: 1199019,
  /** Job: no such job instance / script / account, or hosts outside the business. */
  JOB_NOT_FOUND: 1240001,
  JOB_INVALID: 1240002,
  /** SOPS: no such template or task; an operation the task's state does not allow. */
  SOPS_NOT_FOUND: 3512001,
  SOPS_INVALID_STATE: 3512002,
  /** ITSM: no such service or ticket; operator not a processor; state does not allow; form incomplete. */
  ITSM_NOT_FOUND: 3900001,
  ITSM_PERMISSION_DENIED: 3900002,
  ITSM_INVALID_STATE: 3900003,
  ITSM_FIELDS_INVALID: 3900004,
  /** Monitor: no such alarm. */
  MONITOR_NOT_FOUND: 3300001,
} as const;

/** Thrown by a component handler: becomes `{result: false, code, message, data: null}` with HTTP 200. */
export class EsbError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'EsbError';
  }
}

export function argumentError(reason: string): EsbError {
  return new EsbError(EsbCodes.ARGUMENT_ERROR, `Parameters error, ${reason}`);
}
