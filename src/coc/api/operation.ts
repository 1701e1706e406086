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
