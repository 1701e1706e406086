/**
 * What of a typed line may be kept or shown again: the audit trail's masked parameters and the
 * rules that hide secret values in an echoed or remembered line — both from the kinds (a
 * `secret` is hidden whole, a key=value with `secretValue` keeps its key).
 */
import type { ParsedArgs } from '../args.js';
import type { SomeTypedCommand } from './define.js';
import type { ArgSpec, ArgSpecs } from './kinds.js';

/** How a secret flag's value is hidden in an echoed line: all of it, or only what follows `=`. */
export type MaskRule = 'whole' | 'pair';

export type MaskRules = ReadonlyMap<string, MaskRule>;

function ruleOf(spec: ArgSpec): MaskRule | undefined {
  if (spec.kind === 'secret') return 'whole';
  if (spec.kind === 'key-value' && spec.secretValue) return 'pair';
  return undefined;
}

/** The mask rules one typed definition declares. */
export function maskRulesOf(definition: Pick<SomeTypedCommand, 'flags'>): Map<string, MaskRule> {
  const rules = new Map<string, MaskRule>();
  for (const [name, spec] of Object.entries(definition.flags as ArgSpecs)) {
    const rule = ruleOf(spec);
    if (rule) rules.set(name, rule);
  }
  return rules;
}

/** Rules of several commands as one: a flag hidden whole anywhere is hidden whole everywhere. */
export function mergeMaskRules(all: Iterable<MaskRules>): Map<string, MaskRule> {
  const merged = new Map<string, MaskRule>();
  for (const rules of all) {
    for (const [name, rule] of rules) if (merged.get(name) !== 'whole') merged.set(name, rule);
  }
  return merged;
}

function auditedWhole(definition: Pick<SomeTypedCommand, 'flags'>, name: string): boolean {
  const spec = (definition.flags as ArgSpecs)[name];
  return spec?.kind === 'key-value' && spec.auditedWhole === true;
}

/** What the audit trail keeps of a typed line: secrets `***`, secret pairs `key=***`, the rest as typed. */
export function maskTypedArgs(raw: ParsedArgs, definition: Pick<SomeTypedCommand, 'flags'>): Record<string, unknown> {
  const rules = maskRulesOf(definition);
  const masked: Record<string, unknown> = {};
  // A command with secrets takes its own words first; any further word may be a secret typed
  // where a flag was meant (`--param name value`), so it is not kept as typed.
  if (raw.positionals.length) masked['args'] = rules.size ? raw.positionals.map((word, index) => (index === 0 ? word : '***')) : raw.positionals;
  for (const [name, values] of raw.flags) {
    const rule = rules.get(name);
    if (rule === 'whole' || auditedWhole(definition, name)) masked[name] = values.map(() => '***');
    else if (rule === 'pair') masked[name] = values.map((value) => `${value.split('=')[0]}=***`);
    else masked[name] = values.length === 1 ? values[0] : values;
  }
  return masked;
}
