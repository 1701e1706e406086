/**
 * From the parsed line (positionals and flags as typed) to the typed arguments a handler
 * receives: every value checked by its kind, defaults filled in, missing or extra words and
 * two of a "one of" refused — each refusal in the reader's language.
 */
import { ARG_TEXTS, TYPED_ARG_TEXTS as A } from '../../i18n/catalogues/args.js';
import { phrase, say } from '../../i18n/phrase.js';
import type { Locale, Translate } from '../../i18n/translate.js';
import { ArgumentError, type ParserFlag, type ParsedArgs } from '../args.js';
import { Refusal } from '../refusal.js';
import type { TypedCommandDefinition } from './define.js';
import { maskRulesOf } from './mask.js';
import { boundOf, type ArgSpec, type ArgSpecs, type ArgsOf, type BackendLimits } from './kinds.js';
import { compile, problemOf, shown, type Compiled, type Problem, type Subject } from './schema.js';
import { flagSubject, nounOf, positionalSubject } from './subject.js';
import { usageLine } from './usage.js';

/** A typed argument refused: which one (the flag or positional's key), and what to say. */
export class ArgumentRefusal extends Refusal {
  constructor(
    readonly argument: string | undefined,
    readonly problem: Problem,
    t: Translate,
  ) {
    super(problem.title ? say(problem.title, t) : t(A.notRight), say(problem.text, t));
    this.name = 'ArgumentRefusal';
  }
}

export interface TypedArgsEnv {
  readonly t: Translate;
  readonly locale: Locale;
  readonly limits?: BackendLimits;
  /** Epoch ms. */
  readonly now?: number;
}

/** What the line parser needs of a typed definition's flags: switches take no value, repeatable key=value may repeat. */
export function flagSpecsOf(flags: ArgSpecs): ParserFlag[] {
  return Object.entries(flags).map(([name, spec]) => ({
    name,
    takesValue: spec.kind !== 'boolean',
    ...(spec.kind === 'key-value' && spec.repeatable ? { repeatable: true } : {}),
    description: spec.description,
  }));
}

function defaultOf(spec: ArgSpec, limits: BackendLimits): unknown {
  if (spec.kind === 'boolean') return false;
  if (spec.kind === 'key-value' && spec.repeatable) return [];
  if (!('default' in spec) || spec.default === undefined) return undefined;
  if (spec.kind === 'integer') return boundOf(spec.default, limits);
  if (spec.kind === 'enum' && spec.several) return [spec.default];
  return spec.default;
}

type Read = { readonly value: unknown } | { readonly problem: Problem };

/**
 * Compiled arguments kept, by spec, backend limits and where the argument stands (`p:<key>` or
 * `f:<name>`): building its zod schema is most of what reading a typed argument costs, and the
 * same command is read again and again. A `since` argument reads the clock as it is compiled
 * and is never kept.
 */
const compiledArgs = new WeakMap<ArgSpec, WeakMap<BackendLimits, Map<string, Compiled>>>();

function compiledFor(spec: ArgSpec, place: string, subject: () => Subject, env: Required<TypedArgsEnv>): Compiled {
  if (spec.kind === 'since' || typeof env.limits !== 'object' || env.limits === null) return compile(spec, subject(), { limits: env.limits, now: env.now });
  let byLimits = compiledArgs.get(spec);
  if (!byLimits) compiledArgs.set(spec, (byLimits = new WeakMap()));
  let byPlace = byLimits.get(env.limits);
  if (!byPlace) byLimits.set(env.limits, (byPlace = new Map()));
  let compiled = byPlace.get(place);
  if (!compiled) byPlace.set(place, (compiled = compile(spec, subject(), { limits: env.limits, now: env.now })));
  return compiled;
}

function valueOf(spec: ArgSpec, place: string, subject: () => Subject, raw: string, env: Required<TypedArgsEnv>): Read {
  const compiled = compiledFor(spec, place, subject, env);
  const result = compiled.schema.safeParse(raw);
  return result.success ? { value: result.data } : { problem: problemOf(result.error, compiled.fallback(raw)) };
}

/** One problem as a line of a list: a titled one says its title, then what is allowed. */
function itemOf(problem: Problem) {
  return phrase(A.problemItem, { problem: problem.title ? phrase(A.titledProblem, { title: problem.title, text: problem.text }) : problem.text });
}

/** A problem per argument, said at once: one as it always was, several as a list of what to fix. */
function refusalOf(found: readonly { key: string; problem: Problem }[], t: Translate): ArgumentRefusal {
  if (found.length === 1) return new ArgumentRefusal(found[0]!.key, found[0]!.problem, t);
  // The list is a phrase of phrases, so each item is said in the reader's language when the refusal is.
  const lines = found.map((_, index) => `{item${index}}`).join('\n');
  const items = phrase({ 'en-US': lines, 'zh-CN': lines }, Object.fromEntries(found.map(({ problem }, index) => [`item${index}`, itemOf(problem)])));
  return new ArgumentRefusal(found[0]!.key, { text: phrase(A.problems, { count: found.length, items }) }, t);
}

/** The handler's arguments from a parsed line; throws ArgumentRefusal (or ArgumentError from the line parser) when refused. */
export function typedArgs<P extends ArgSpecs, F extends ArgSpecs>(raw: ParsedArgs, definition: TypedCommandDefinition<P, F>, given: TypedArgsEnv): ArgsOf<P, F> {
  const env: Required<TypedArgsEnv> = { limits: {}, now: Date.now(), ...given };
  const usage = (): string => usageLine(definition, env.locale, env.limits);
  const command = definition.words.join(' ');
  const out: Record<string, unknown> = {};
  const positionals = Object.entries(definition.positionals as ArgSpecs);
  const words = raw.positionals;
  if (words.length > positionals.length) {
    // No positionals at all: the plain-word refusal every such command gives today.
    const slip = positionals.length === 0 ? definition.plainWords?.(words) : undefined;
    if (slip) throw new ArgumentRefusal(undefined, slip, env.t);
    if (positionals.length === 0) throw new ArgumentError(phrase(ARG_TEXTS.noPlainWords, { command, words: words.join(' ') }));
    // With secrets among its flags, a further word may be one typed where a flag was meant: never echoed.
    const extra = maskRulesOf(definition).size > 0 ? '***' : shown(words.slice(positionals.length).join(' '));
    throw new ArgumentRefusal(undefined, { text: phrase(A.extraWords, { words: extra, usage: usage() }) }, env.t);
  }
  // Every argument is read before anything is refused, so one reply lists every problem.
  const found: { key: string; problem: Problem }[] = [];
  const take = (key: string, read: Read): unknown => {
    if ('problem' in read) found.push({ key, problem: read.problem });
    return 'value' in read ? read.value : undefined;
  };
  positionals.forEach(([key, spec], index) => {
    const word = words[index];
    if (word === undefined) {
      if (spec.required && !definition.bareOpensForm) throw new ArgumentRefusal(key, { text: phrase(A.missingPositional, { what: phrase(nounOf(spec)), usage: usage() }) }, env.t);
      out[key] = defaultOf(spec, env.limits);
      return;
    }
    out[key] = take(key, valueOf(spec, `p:${key}`, () => positionalSubject(key, spec, env.limits), word, env));
  });
  for (const [name, spec] of Object.entries(definition.flags as ArgSpecs)) {
    const values = raw.flags.get(name);
    if (values === undefined || values.length === 0) {
      if (spec.required) found.push({ key: name, problem: { text: phrase(A.missingFlag, { name, description: phrase(spec.description), usage: usage() }) } });
      out[name] = defaultOf(spec, env.limits);
      continue;
    }
    const subject = () => flagSubject(name);
    const place = `f:${name}`;
    out[name] =
      spec.kind === 'key-value' && spec.repeatable ? values.map((value) => take(name, valueOf(spec, place, subject, value, env))) : take(name, valueOf(spec, place, subject, values.at(-1)!, env));
  }
  if (found.length > 0) throw refusalOf(found, env.t);
  for (const group of definition.oneOf ?? []) {
    const given = (group as readonly string[]).filter((name) => raw.flags.has(name));
    if (given.length > 1) throw new ArgumentRefusal(given[1], { text: phrase(A.oneOf, { flags: given.map((name) => `--${name}`).join(', ') }) }, env.t);
  }
  // Each key was filled from its own spec above, so the record has the declared shape.
  return out as ArgsOf<P, F>;
}
