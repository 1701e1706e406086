/** What the BlueKing groups pass on to the ESB caller, and how they name a component as an operation. */
import type { CallOptions } from '../backend.js';
import type { BackendOperation } from '../observe.js';
import { componentRoute, type EsbCallOptions, type EsbComponent } from './esb/component.js';

/** The neutral call options the ESB caller understands (the locale is the product's, not BlueKing's). */
export function esbOptions(options: CallOptions | undefined): EsbCallOptions {
  return {
    ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options?.signal ? { signal: options.signal } : {}),
  };
}

/** The component as the audit trail and errors name it: `blueking POST itsm/operate_node`. */
export function operationOf(component: Pick<EsbComponent<unknown, unknown>, 'system' | 'name' | 'method' | 'write'>): BackendOperation {
  return { backend: 'blueking', method: component.method, route: componentRoute(component), write: component.write };
}
