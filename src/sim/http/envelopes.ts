/** Success and error bodies in the envelopes COC uses per API group (coc-api-notes §0.3). */
import { ErrorCodes } from './error-codes.js';
import type { ErrorFamily, SimResponse } from './types.js';

export const PROVIDER_CODE = '049';

/** Script, job and resource APIs: `{data: payload}`. */
export function dataResponse(payload: unknown, status = 200): SimResponse {
  return { status, body: { data: payload } };
}

/**
 * Incident and WarRoom APIs: PCE with GOM.00000000, or with another documented success code
 * (the Chinese WarRoom tables give "0" as the normal value).
 */
export function gomResponse(data: unknown, successCode: string = ErrorCodes.GOM_SUCCESS): SimResponse {
  return { status: 200, body: { provider_code: PROVIDER_CODE, error_code: successCode, error_msg: null, data } };
}

/** Custom-event API: PCE with COC.00000000 "success". */
export function eventSuccess(): SimResponse {
  return { status: 200, body: { error_code: ErrorCodes.EVENT_SUCCESS, error_msg: 'success', data: null, provider_code: PROVIDER_CODE } };
}

/** Bare body (patch reports, resource tags). */
export function bareResponse(body: unknown): SimResponse {
  return { status: 200, body };
}

const IAM_TITLES: Readonly<Record<number, string>> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

export function errorBody(family: ErrorFamily, status: number, code: string, message: string): unknown {
  switch (family) {
    case 'gom':
    case 'event':
      return { provider_code: PROVIDER_CODE, error_code: code, error_msg: message, data: null };
    case 'iam':
      return { error: { code: status, title: IAM_TITLES[status] ?? 'Error', message } };
    case 'coc':
    case 'patch':
      return { error_code: code, error_msg: message };
  }
}

/** Status and code a family answers a validation failure with. */
export function validationFailure(family: ErrorFamily): { status: number; code: string } {
  switch (family) {
    case 'coc':
      return { status: 400, code: ErrorCodes.JOB_INVALID_PARAM };
    case 'gom':
      return { status: 400, code: ErrorCodes.GOM_INVALID_PARAM };
    case 'event':
      return { status: 400, code: ErrorCodes.EVENT_INVALID };
    case 'patch':
      return { status: 500, code: ErrorCodes.PATCH_INVALID_PARAM };
    case 'iam':
      return { status: 400, code: 'IAM.0001' };
  }
}

/** Default code for an injected HTTP failure in a family. */
export function defaultFaultCode(family: ErrorFamily | undefined, status: number): string {
  if (status === 429) return ErrorCodes.APIG_THROTTLED;
  switch (family) {
    case 'gom':
      return status >= 500 ? ErrorCodes.GOM_INTERNAL : ErrorCodes.GOM_INVALID_PARAM;
    case 'event':
      return ErrorCodes.EVENT_INVALID;
    case 'patch':
      return ErrorCodes.PATCH_INVALID_PARAM;
    default:
      return status >= 500 ? ErrorCodes.JOB_INTERNAL : ErrorCodes.JOB_INVALID_PARAM;
  }
}
