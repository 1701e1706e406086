/** Who is calling, as COC records it in `creator` / `operator` fields. */
import type { Identity } from '../http/types.js';

export function callerName(identity: Identity): string {
  return identity.kind === 'anonymous' ? 'anonymous' : identity.userName;
}

export function callerId(identity: Identity): string {
  return identity.kind === 'anonymous' ? '' : identity.userId;
}
