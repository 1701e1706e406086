/**
 * What a person reads about a command's arguments, generated from the declaration in their
 * language: the usage line (`audit [--user <iam-user>] [--limit 1-200]`) and the help fields
 * (`--limit` · "How many to show (1-200, default 20)"). Ranges, defaults and choices come from
 * the data, never from the descriptions.
 */
import { TYPED_ARG_TEXTS as A } from '../../i18n/catalogues/args.js';
import { translator, type Locale, type Translate } from '../../i18n/translate.js';
import type { SomeTypedCommand } from './define.js';
import { boundOf, offeredChoicesIn, type ArgSpec, type ArgSpecs, type BackendLimits, type Bound } from './kinds.js';
import { durationText } from './schema.js';
import { allowedOf } from './file-value.js';
import { FILE_TEXTS } from './file-texts.js';
import { say } from '../../i18n/phrase.js';

/** A bound as text; one read from limits the backend did not declare shows as `n`. */
function boundText(bound: Bound, limits: BackendLimits): string {
  try {
    return String(boundOf(bound, limits));
  } catch {
    return 'n';
  }
}

/** The placeholder of one argument: declared, else what its kind allows. */
export function placeholderOf(key: string, spec: ArgSpec, t: Translate, limits: BackendLimits = {}): string {
  if (spec.placeholder) return t(spec.placeholder);
  switch (spec.kind) {
    case 'integer':
      return t(A.range, { min: boundText(spec.min, limits), max: boundText(spec.max, limits) });
    case 'enum':
      return offeredChoicesIn(spec, limits).map((choice) => choice.typed).join('|');
    case 'hosts':
      return t(A.hostsPlaceholder);
    case 'key-value':
      return t(A.keyValuePlaceholder);
    case 'since':
      return t(A.sincePlaceholder);
    case 'duration':
      return t(A.durationPlaceholder);
    case 'boolean':
      return '';
    case 'file':
      return t(FILE_TEXTS.placeholder);
    default:
      return key;
  }
}

function flagUsage(name: string, spec: ArgSpec, t: Translate, limits: BackendLimits): string {
  if (spec.kind === 'boolean') return `--${name}`;
  const placeholder = placeholderOf(name, spec, t, limits);
  // Free words in angle brackets; a closed set or a range as typed.
  return /^[\w.-]+(?:\|[\w.-]+)+$|^\d+-\d+$|^n-n$/.test(placeholder) ? `--${name} ${placeholder}` : `--${name} <${placeholder}>`;
}

/** The usage line, after the command's words: `audit [--since 30m|2h|1d|2w|date] [--calls]`. */
export function usageLine(definition: SomeTypedCommand, locale: Locale, limits: BackendLimits = {}): string {
  const t = translator(locale);
  const parts: string[] = [definition.words.join(' ')];
  for (const [key, spec] of Object.entries(definition.positionals as ArgSpecs)) {
    const item = `<${placeholderOf(key, spec, t, limits)}>`;
    parts.push(spec.required && !definition.bareOpensForm ? item : `[${item}]`);
  }
  const flags = definition.flags as ArgSpecs;
  const grouped = new Set<string>();
  for (const [name, spec] of Object.entries(flags)) {
    if (grouped.has(name)) continue;
    const group = (definition.oneOf ?? []).find((members) => (members as readonly string[]).includes(name)) as readonly string[] | undefined;
    if (group) {
      for (const member of group) grouped.add(member);
      const members = group.filter((member) => flags[member]).map((member) => flagUsage(member, flags[member]!, t, limits));
      parts.push(`[${members.join(' | ')}]`);
      continue;
    }
    const item = flagUsage(name, spec, t, limits);
    parts.push(spec.required ? item : `[${item}]`);
  }
  return parts.join(' ');
}

/** What help adds to a description: range, choices, default, how many. */
export function detailsOf(spec: ArgSpec, t: Translate, limits: BackendLimits = {}): string[] {
  const details: string[] = [];
  switch (spec.kind) {
    case 'integer':
      details.push(t(A.range, { min: boundText(spec.min, limits), max: boundText(spec.max, limits) }));
      if (spec.default !== undefined) details.push(t(A.defaultIs, { value: boundText(spec.default, limits) }));
      break;
    case 'enum': {
      const choices = offeredChoicesIn(spec, limits);
      details.push(choices.map((choice) => choice.typed).join(', '));
      if (spec.several) details.push(t(A.several));
      const fallback = choices.find((choice) => choice.value === spec.default);
      if (fallback) details.push(t(A.defaultIs, { value: fallback.typed }));
      break;
    }
    case 'hosts':
      details.push(t(A.hostsMax, { max: boundText(spec.max, limits) }));
      break;
    case 'key-value':
      if (spec.repeatable) details.push(t(A.repeatable));
      break;
    case 'duration':
      if (spec.min !== undefined && spec.max !== undefined) details.push(t(A.range, { min: durationText(spec.min), max: durationText(spec.max) }));
      break;
    case 'string':
      if (spec.default !== undefined) details.push(t(A.defaultIs, { value: spec.default }));
      break;
    case 'file':
      details.push(say(allowedOf(spec), t));
      break;
    default:
      break;
  }
  return details;
}

/**
 * How long a text may be, as help says it ("at most 200 characters"). Not among detailsOf's:
 * Discord enforces the length itself (max_length), so its descriptions need not say it.
 */
export function lengthOf(spec: ArgSpec, t: Translate): string[] {
  return spec.kind === 'string' || spec.kind === 'secret' ? [t(A.maxCharacters, { max: spec.max })] : [];
}

/** A description with its details: "How many to show (1-200, default 20)". */
export function describedWithDetails(spec: ArgSpec, t: Translate, limits: BackendLimits = {}): string {
  const details = [...detailsOf(spec, t, limits), ...lengthOf(spec, t)];
  const description = t(spec.description);
  if (details.length === 0) return description;
  return t(A.withDetails, { description, details: details.join(t(A.detailsSeparator)) });
}

/** Help's fields: one per positional and flag, in the reader's language. */
export function helpFields(definition: SomeTypedCommand, t: Translate, limits: BackendLimits = {}): { label: string; value: string }[] {
  return [
    ...Object.entries(definition.positionals as ArgSpecs).map(([key, spec]) => ({ label: `<${placeholderOf(key, spec, t, limits)}>`, value: describedWithDetails(spec, t, limits) })),
    ...Object.entries(definition.flags as ArgSpecs).map(([name, spec]) => ({ label: `--${name}`, value: describedWithDetails(spec, t, limits) })),
  ];
}
