/**
 * A typed definition as the configured backend can serve it: absent when the backend lacks a
 * capability the command needs, and without the arguments whose capability it lacks (help,
 * usage, Discord and the parser then never offer them). Capabilities are names such as
 * `runs.operate.pause`; the backend declares which it has.
 */
import type { SomeTypedCommand } from './define.js';
import type { ArgSpecs } from './kinds.js';

function served(specs: ArgSpecs, has: (capability: string) => boolean): ArgSpecs {
  return Object.fromEntries(Object.entries(specs).filter(([, spec]) => spec.needs === undefined || has(spec.needs)));
}

/** The definition with only what `has` allows, or undefined when the command itself cannot be served. */
export function servedBy<C extends SomeTypedCommand>(definition: C, has: (capability: string) => boolean): C | undefined {
  if (!(definition.needs ?? []).every(has)) return undefined;
  const positionals = served(definition.positionals as ArgSpecs, has);
  const flags = served(definition.flags as ArgSpecs, has);
  const unchanged = Object.keys(positionals).length === Object.keys(definition.positionals).length && Object.keys(flags).length === Object.keys(definition.flags).length;
  if (unchanged) return definition;
  const oneOf = definition.oneOf?.map((group) => group.filter((name) => name in flags)).filter((group) => group.length > 1);
  return { ...definition, positionals, flags, ...(oneOf ? { oneOf } : {}) };
}
