/**
 * The COC client's call events and write hook in the neutral form the audit trail, metrics,
 * readiness and logs read (src/backends/observe.ts). The client itself is untouched: its
 * `onCall`/`beforeWrite` options are given adapters that add `backend: 'coc'` and say whether
 * the operation writes (COC's rule, `isCocWrite`).
 */
import type { CocClientOptions } from '../../coc/client.js';
import type { CocOperation } from '../../coc/errors.js';
import type { CocCallEvent } from '../../coc/http.js';
import { isCocWrite } from '../../coc/write-intent.js';
import type { BackendCallEvent, BackendHooks, BackendOperation, CallScope } from '../observe.js';

export type { BackendHooks } from '../observe.js';

export function backendOperationOf(operation: CocOperation): BackendOperation {
  return { backend: 'coc', method: operation.method, route: operation.route, write: isCocWrite(operation) };
}

export function backendCallEventOf(event: CocCallEvent): BackendCallEvent {
  return { backend: 'coc', ...event };
}

/** The COC client options that report to `hooks`. */
export function cocHooks(hooks: BackendHooks): Pick<CocClientOptions, 'onCall' | 'beforeWrite'> {
  const { onCall, beforeWrite } = hooks;
  return {
    ...(onCall ? { onCall: (event: CocCallEvent, scope: CallScope | undefined) => onCall(backendCallEventOf(event), scope) } : {}),
    ...(beforeWrite ? { beforeWrite: (operation: CocOperation, scope: CallScope | undefined) => beforeWrite(backendOperationOf(operation), scope) } : {}),
  };
}
