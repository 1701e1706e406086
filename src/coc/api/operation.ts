/** Shared by the endpoint modules: the route table entry of one COC operation. */
import type { CocOperation } from '../errors.js';
import type { CocMethod } from '../http.js';

export interface Operation extends CocOperation {
  readonly method: CocMethod;
  readonly route: string;
}

export function operation(method: CocMethod, route: string): Operation {
  return { method, route };
}

/**
 * A request of `operation`: its method and route, then the rest. Built with `Object.assign` on
 * a literal rather than as `{ ...operation, ...rest }`: on Node 20 (V8 11) an object made by
 * spreading another one and then given more properties gets a hidden class of its own every
 * time, an old-generation allocation per COC request that is garbage at once (a thousand
 * tracked orders make a thousand requests every few seconds).
 */
export function requestFor<T extends object>(operation: Operation, rest: T): Operation & T {
  return Object.assign({ method: operation.method, route: operation.route }, rest);
}
