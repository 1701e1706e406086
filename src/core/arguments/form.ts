/**
 * A command's arguments as a form (Slack and Discord modals, the terminal's questions), from the
 * same declaration the command line reads: an enum is a select of its choices, hosts a host
 * search, a secret a secret field, a whole number a text field that says its range, a switch a
 * No / Yes select; defaults are filled in. A submitted form is read back by the same kinds as a
 * typed line, with every field's problem at once, each said under its own field.
 */
import { TYPED_ARG_TEXTS as A } from '../../i18n/catalogues/args.js';
import { phrase, say } from '../../i18n/phrase.js';
import type { Translate } from '../../i18n/translate.js';
import type { FormField } from '../message.js';
import { argumentsOf, type SomeTypedCommand } from './define.js';
import { boundOf, choicesIn, offeredChoicesIn, type ArgSpec, type ArgSpecs, type ArgsOf, type BackendLimits } from './kinds.js';
import { compile, problemOf } from './schema.js';
import { fileProblem } from './file.js';
import { allowedOf, textOfForm } from './file-value.js';
import { FILE_TEXTS } from './file-texts.js';
import { flagSubject } from './subject.js';

/** What a form is built from: a command's declared arguments. */
export type FormSource<P extends ArgSpecs = ArgSpecs, F extends ArgSpecs = ArgSpecs> = Pick<SomeTypedCommand, 'oneOf'> & {
  readonly positionals: P;
  readonly flags: F;
};

export interface FormFieldsOptions {
  /** The arguments asked, by key (default: all of them, in declaration order). */
  readonly only?: readonly string[];
  /** Values to fill in instead of the defaults, as they would be typed. */
  readonly initial?: Readonly<Record<string, string>>;
  readonly limits?: BackendLimits;
}

const YES = 'yes';
const NO = 'no';

function asked(source: FormSource, only: readonly string[] | undefined) {
  const all = argumentsOf(source);
  return only ? all.filter(({ key }) => only.includes(key)) : all;
}

/** A default as the form shows it: a number or word as typed, a switch as No. */
function initialOf(spec: ArgSpec, limits: BackendLimits): string | undefined {
  switch (spec.kind) {
    case 'integer':
      return spec.default === undefined ? undefined : String(boundOf(spec.default, limits));
    case 'enum':
      return choicesIn(spec, limits).find((choice) => choice.value === spec.default)?.typed;
    case 'boolean':
      return NO;
    case 'string':
      return spec.default;
    default:
      return undefined;
  }
}

function fieldOf(key: string, spec: ArgSpec, t: Translate, limits: BackendLimits, initial: string | undefined): FormField {
  const label = t(spec.label ?? spec.description);
  const hint = spec.hint && spec.kind !== 'boolean' ? { hint: t(spec.hint) } : {};
  const filled = initial !== undefined ? { initial } : {};
  const base = { id: key, label, required: spec.required === true };
  switch (spec.kind) {
    case 'integer': {
      const min = boundOf(spec.min, limits);
      const max = boundOf(spec.max, limits);
      // Room for the largest number and a stray space: what is typed is checked on submit.
      return { ...base, kind: 'text', ...filled, hint: spec.hint ? t(spec.hint) : t(A.fieldWholeNumber, { min, max }), maxLength: Math.max(4, String(max).length + 1) };
    }
    case 'enum':
      return {
        ...base,
        kind: spec.several ? 'multiselect' : 'select',
        ...filled,
        ...hint,
        options: offeredChoicesIn(spec, limits).map((choice) => ({ label: choice.label ? t(choice.label) : choice.typed, value: choice.typed })),
      };
    case 'boolean':
      return {
        ...base,
        kind: 'select',
        ...filled,
        options: [
          { label: t(A.fieldNo), value: NO },
          { label: spec.hint ? t(A.fieldYesMeaning, { meaning: t(spec.hint) }) : t(A.fieldYes), value: YES },
        ],
      };
    case 'hosts':
      return { ...base, kind: 'multiselect', ...filled, ...hint, ...(spec.suggest ? { searchId: spec.suggest } : {}) };
    case 'secret':
      return { ...base, kind: 'text', secret: true, ...hint, maxLength: spec.max };
    case 'file':
      // A form takes the file's text pasted in; the surfaces cap it at what their inputs hold.
      return { ...base, kind: 'multiline', file: true, hint: spec.hint ? t(spec.hint) : say(phrase(FILE_TEXTS.formHint, { allowed: allowedOf(spec) }), t), maxLength: spec.maxBytes };
    case 'string':
      if (spec.suggest) return { ...base, kind: 'select', ...filled, searchId: spec.suggest, ...hint };
      return { ...base, kind: 'text', ...filled, ...hint, maxLength: spec.max };
    default:
      return { ...base, kind: 'text', ...filled, ...hint };
  }
}

/** The form's fields for a command's arguments, in the reader's language, defaults filled in. */
export function formFields(source: FormSource, t: Translate, options: FormFieldsOptions = {}): FormField[] {
  const limits = options.limits ?? {};
  return asked(source, options.only).map(({ key, spec }) => fieldOf(key, spec, t, limits, options.initial?.[key] ?? initialOf(spec, limits)));
}

/** What the form fills in when nothing is changed, by field: what a submission need not carry. */
export function formDefaults(source: FormSource, options: Pick<FormFieldsOptions, 'only' | 'limits'> = {}): Record<string, string> {
  const limits = options.limits ?? {};
  const defaults: Record<string, string> = {};
  for (const { key, spec } of asked(source, options.only)) {
    const initial = initialOf(spec, limits);
    if (initial !== undefined) defaults[key] = initial;
  }
  return defaults;
}

export interface FromFormEnv {
  readonly t: Translate;
  readonly limits?: BackendLimits;
  /** Epoch ms, for `since`. */
  readonly now?: number;
  /** The fields the form asked (default: all); the others take their defaults. */
  readonly only?: readonly string[];
}

export type FromForm<P extends ArgSpecs, F extends ArgSpecs> = { readonly args: ArgsOf<P, F> } | { readonly errors: Readonly<Record<string, string>> };

/** The value a field left empty (or not asked) stands for: the default, false, an empty list. */
function emptyValue(spec: ArgSpec, limits: BackendLimits): unknown {
  if (spec.kind === 'boolean') return false;
  if (spec.kind === 'key-value' && spec.repeatable) return [];
  if (!('default' in spec) || spec.default === undefined) return undefined;
  if (spec.kind === 'integer') return boundOf(spec.default, limits);
  if (spec.kind === 'enum' && spec.several) return [spec.default];
  return spec.default;
}

/** One filled-in field by its kind, or what is wrong with it in the form's words. */
function fieldValue(key: string, spec: ArgSpec, raw: string, env: Required<Omit<FromFormEnv, 'only'>>): { value: unknown } | { error: string } {
  const { t, limits } = env;
  if (spec.kind === 'boolean') {
    if (raw === YES) return { value: true };
    if (raw === NO) return { value: false };
    return { error: t(A.fieldOneOf, { values: [NO, YES].join(', ') }) };
  }
  if (spec.kind === 'file') {
    const read = textOfForm(key, raw, { maxBytes: spec.maxBytes });
    if (!('problem' in read)) return { value: read };
    return { error: say(fileProblem(key, { ...read.problem, file: t(FILE_TEXTS.formText) }, spec, FILE_TEXTS.howForm).text, t) };
  }
  // Under its own field, a problem names the argument as its flag, whatever its place on the line.
  const compiled = compile(spec, flagSubject(key), { limits, now: env.now });
  const result = compiled.schema.safeParse(raw);
  if (result.success) return { value: spec.kind === 'key-value' && spec.repeatable ? [result.data] : result.data };
  // A range or a set of choices is said as the field's hint says it; the rest as the line says it.
  if (spec.kind === 'integer') return { error: t(A.fieldWholeNumber, { min: boundOf(spec.min, limits), max: boundOf(spec.max, limits) }) };
  if (spec.kind === 'enum' && !spec.several) return { error: t(A.fieldOneOf, { values: offeredChoicesIn(spec, limits).map((choice) => choice.typed).join(', ') }) };
  return { error: say(problemOf(result.error, compiled.fallback(raw)).text, t) };
}

/**
 * A submitted form read by the same kinds as a typed line: the typed arguments, or every field's
 * problem at once (a needed field left empty, a value its kind refuses, two of a "one of").
 */
export function fromForm<P extends ArgSpecs, F extends ArgSpecs>(values: Readonly<Record<string, string | undefined>>, source: FormSource<P, F>, given: FromFormEnv): FromForm<P, F> {
  const env = { t: given.t, limits: given.limits ?? {}, now: given.now ?? Date.now() };
  const askedKeys = new Set(asked(source, given.only).map(({ key }) => key));
  const out: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const { key, spec } of argumentsOf(source)) {
    const submitted = values[key] ?? '';
    // A secret or a file's text is taken exactly as typed; anything else as trimmed.
    const raw = spec.kind === 'secret' || spec.kind === 'file' ? submitted : submitted.trim();
    if (!askedKeys.has(key) || raw === '') {
      if (askedKeys.has(key) && spec.required) errors[key] = env.t(A.fieldNeeded);
      out[key] = emptyValue(spec, env.limits);
      continue;
    }
    const read = fieldValue(key, spec, raw, env);
    if ('error' in read) errors[key] = read.error;
    else out[key] = read.value;
  }
  for (const group of source.oneOf ?? []) {
    const filled = (group as readonly string[]).filter((key) => askedKeys.has(key) && (values[key] ?? '').trim() !== '');
    if (filled.length < 2) continue;
    const text = env.t(A.oneOf, { flags: filled.map((key) => `--${key}`).join(', ') });
    for (const key of filled) errors[key] ??= text;
  }
  if (Object.keys(errors).length > 0) return { errors };
  // Each key was filled from its own spec above, so the record has the declared shape.
  return { args: out as ArgsOf<P, F> };
}
