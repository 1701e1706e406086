/**
 * Backends in an invocation's call scope (`Backend.within`), and what each was made from: what
 * is kept per backend or per capability (a credential's cached answers, the names an incident
 * list taught) is kept per the one a scoped view came from, not per invocation.
 */
import type { Backend } from './backend.js';
import type { CallScope } from './observe.js';

/** A scoped backend, and each of its capabilities → the deployment's one it was made from. */
const bases = new WeakMap<object, object>();

/** `backend` in `scope`; a backend that cannot be scoped (a test's stand-in) as it is. */
export function backendIn(backend: Backend, scope: CallScope): Backend {
  const scoped = backend.within?.(scope);
  if (!scoped) return backend;
  // A backend's own `within` notes its capabilities' bases; a composed one's (a test's) at least itself.
  return bases.has(scoped) ? scoped : noteMadeFrom(scoped, backend);
}

/** Notes that `made` (a scoped backend or capability) was made from `base`; returns `made`. */
export function noteMadeFrom<T extends object>(made: T, base: T | undefined): T {
  if (base !== undefined && base !== made) bases.set(made, baseOf(base));
  return made;
}

/** Notes that a scoped backend, and each of its capabilities, were made from `base` and its one of the same name. */
export function capabilitiesMadeFrom(scoped: Backend, base: Backend): Backend {
  const from = base as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(scoped)) {
    const original = from[key];
    if (typeof value === 'object' && value !== null && typeof original === 'object' && original !== null) noteMadeFrom(value, original);
  }
  return noteMadeFrom(scoped, base);
}

/** What `made` (a scoped backend, or one of its capabilities) was made from: itself when it is not a scoped one. */
export function baseOf<T extends object>(made: T): T {
  return (bases.get(made) as T | undefined) ?? made;
}
