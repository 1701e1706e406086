/**
 * Error codes the simulator answers with. Documented COC codes are used where the reference
 * names one; the rest (marked "sim") follow the documented families so a client classifies
 * them the same way it would classify real ones.
 */
export const ErrorCodes = {
  /** Script/resource validation failure, duplicate script name, invalid paramValue (documented). */
  JOB_INVALID_PARAM: 'COC.00040601',
  /** Unknown script uuid, HTTP 404 (sim). */
  JOB_SCRIPT_NOT_FOUND: 'COC.00040602',
  /** Unknown execute_uuid, HTTP 404 (sim). */
  JOB_ORDER_NOT_FOUND: 'COC.00040603',
  /** Order operation that does not fit the order's state, HTTP 400 (sim). */
  JOB_OPERATION_NOT_ALLOWED: 'COC.00040604',
  /** Target host unknown or not in the given region, HTTP 400 (sim). */
  JOB_TARGET_INVALID: 'COC.00040605',
  /** Internal error (documented). */
  JOB_INTERNAL: 'COC.00040701',

  GOM_SUCCESS: 'GOM.00000000',
  /** Invalid incident/WarRoom parameters or operate_key (documented). */
  GOM_INVALID_PARAM: 'GOM.00007256',
  /** Unknown incident number, HTTP 404 (sim). */
  GOM_NOT_FOUND: 'GOM.00007257',
  GOM_INTERNAL: 'GOM.00000500',

  EVENT_SUCCESS: 'COC.00000000',
  /** Custom-event body invalid, or unknown integration key (documented code). */
  EVENT_INVALID: 'COC.00000001',

  /** Patch API parameter error, HTTP 500 like every patch error (sim). */
  PATCH_INVALID_PARAM: 'COC.00050001',
  /** Unknown compliance report id, HTTP 500 (sim). */
  PATCH_NOT_FOUND: 'COC.00050002',

  /** Token missing, invalid or expired (documented). */
  TOKEN_INVALID: 'common.01010001',
  /** Bad, missing or stale AK/SK signature (API Gateway). */
  APIG_AUTH: 'APIG.0303',
  /** No API at this method and path (API Gateway). */
  APIG_NOT_FOUND: 'APIG.0101',
  /** Throttled (API Gateway). */
  APIG_THROTTLED: 'APIG.0308',
  /** Request body too large (API Gateway). */
  APIG_TOO_LARGE: 'APIG.0201',
} as const;
