/**
 * Each kind compiled to a zod schema from one typed word to its value. A failed check carries
 * the refusal that says what was wrong and what is allowed (`Problem`), worded as the flag
 * readers these kinds replace word it.
 */
import { z } from 'zod';
import { TYPED_ARG_TEXTS as A } from '../../i18n/catalogues/args.js';
import { shown } from '../../i18n/format.js';
import { phrase, type Phrase } from '../../i18n/phrase.js';
import { suggest } from '../args.js';
import { HIDDEN_VALUE } from '../mask-line.js';
import { boundOf, choicesIn, typedForm, type ArgSpec, type BackendLimits, type Choice, type KeyValue } from './kinds.js';
import type { Text } from '../../i18n/translate.js';
import { parseDuration, parseSince, SINCE_FUTURE_SLACK_MS } from './since.js';
import { FileReference } from './file-value.js';
import { FILE_TEXTS } from './file-texts.js';

/** A refusal still to be said: a title (the generic "not quite right" when absent) and what is allowed. */
export interface Problem {
  readonly title?: Phrase;
  readonly text: Phrase;
}

export interface CompileEnv {
  readonly limits: BackendLimits;
  /** Epoch ms, for `since`. */
  readonly now: number;
}

/** Ids the bot sends in a URL: 1-64 letters, digits, `-` or `_`. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Echoed words, as every reply echoes them (i18n/format.ts); parse.ts reads it from here too. */
export { shown };

type Ctx = z.core.$RefinementCtx<string>;

function fail(ctx: Ctx, problem: Problem): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message: problem.text.text['en-US'], params: { problem } });
  return z.NEVER;
}

/** The problem a failed parse carries; `fallback` for zod's own checks (a number out of range). */
export function problemOf(error: z.ZodError, fallback: Problem): Problem {
  for (const issue of error.issues) {
    const params = (issue as { params?: { problem?: Problem } }).params;
    if (params?.problem) return params.problem;
  }
  return fallback;
}

function choiceMatching(choices: readonly Choice[], word: string): Choice | undefined {
  const typed = typedForm(word);
  return choices.find((choice) => choice.typed === typed || typedForm(choice.value) === typed || choice.aliases?.some((alias) => typedForm(alias) === typed));
}

/** The compiled schema of one argument, and the refusal for a failure zod itself found. */
export interface Compiled {
  readonly schema: z.ZodType<unknown, string>;
  readonly fallback: (raw: string) => Problem;
}

/**
 * What a refusal calls the argument: a flag by its name (`--limit`); a positional, which is never
 * typed with a name, by what it is ("a role", "the incident number") or, where a sentence has no
 * room for that, by its placeholder as the usage line shows it (`<host,host>`).
 */
export type Subject =
  | { readonly place: 'flag'; readonly name: string }
  | {
      readonly place: 'positional';
      /** What it is, without an article: "role", "incident number". */
      readonly what: Text;
      /** With its article: "a role", "an incident number". */
      readonly aWhat: Text;
      /** As the usage line shows it: `<role>`. */
      readonly shownAs: string;
    };

/** The subject as a sentence's opening words name it: `--limit` or `<host,host>`. */
function named(subject: Subject): string {
  return subject.place === 'flag' ? `--${subject.name}` : subject.shownAs;
}

/** A flag's wording, or a positional's own when it has one. */
function worded(subject: Subject, flag: Text, positional: Text, vars: Phrase['vars'] = {}): Phrase {
  if (subject.place === 'flag') return phrase(flag, { ...vars, name: subject.name });
  return phrase(positional, { ...vars, what: phrase(subject.what), aWhat: phrase(subject.aWhat) });
}

export function compile(spec: ArgSpec, subject: Subject, env: CompileEnv): Compiled {
  const name = named(subject);
  const generic = (raw: string): Problem => ({ text: worded(subject, A.blank, A.blankAt, { value: shown(raw) }) });
  switch (spec.kind) {
    case 'integer': {
      const min = boundOf(spec.min, env.limits);
      const max = boundOf(spec.max, env.limits);
      return {
        schema: z.string().trim().regex(/^\d{1,15}$/).transform(Number).pipe(z.number().int().min(min).max(max)),
        fallback: (raw) => ({ text: worded(subject, A.wholeNumber, A.wholeNumberAt, { min, max, value: shown(raw) }) }),
      };
    }
    case 'string':
      return {
        schema: z.string().transform((raw, ctx) => {
          const value = raw.trim();
          const length = Array.from(value).length;
          if (value === '') return fail(ctx, { text: worded(subject, A.blank, A.blankAt) });
          if (spec.min !== undefined && length < spec.min) return fail(ctx, { text: worded(subject, A.tooShort, A.tooShortAt, { min: spec.min, length }) });
          if (length > spec.max) return fail(ctx, { text: worded(subject, A.tooLong, A.tooLongAt, { max: spec.max, length }) });
          if (spec.pattern && !spec.pattern.re.test(value)) return fail(ctx, { text: worded(subject, A.badPattern, A.badPatternAt, { value: shown(value), says: phrase(spec.pattern.says) }) });
          return value;
        }),
        fallback: generic,
      };
    case 'enum': {
      const choices = choicesIn(spec, env.limits);
      const offered = choices.filter((choice) => !choice.hidden);
      const allowed = offered.map((choice) => choice.typed).join(', ');
      const refuse = (ctx: Ctx, word: string) => {
        if (offered.length === 0) return fail(ctx, { text: worded(subject, A.noChoices, A.noChoicesAt, { value: shown(word) }) });
        const hint = suggest(typedForm(word), offered.map((choice) => choice.typed));
        return fail(ctx, {
          text: worded(subject, A.notAllowed, A.notAllowedAt, {
            value: shown(word),
            hint: hint ? phrase(A.didYouMean, { value: hint }) : spec.several ? phrase(A.severalHint) : undefined,
            allowed,
          }),
        });
      };
      return {
        schema: z.string().transform((raw, ctx) => {
          if (!spec.several) {
            const match = choiceMatching(choices, raw);
            return match ? match.value : refuse(ctx, raw);
          }
          const values: string[] = [];
          for (const word of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
            const match = choiceMatching(choices, word);
            if (!match) return refuse(ctx, word);
            if (!values.includes(match.value)) values.push(match.value);
          }
          return values.length ? values : refuse(ctx, raw);
        }),
        fallback: generic,
      };
    }
    case 'hosts': {
      const max = boundOf(spec.max, env.limits);
      return {
        schema: z.string().transform((raw, ctx) => {
          const names = raw.split(',').map((part) => part.trim()).filter(Boolean);
          if (names.length === 0) return fail(ctx, { text: phrase(A.noHosts, { name }) });
          const unique = [...new Set(names)];
          if (unique.length > max) return fail(ctx, { text: phrase(A.tooManyHosts, { name, count: unique.length, max }) });
          return unique;
        }),
        fallback: generic,
      };
    }
    case 'key-value':
      return {
        schema: z.string().transform((raw, ctx): KeyValue => {
          const eq = raw.indexOf('=');
          // A secret value is never echoed: only what comes before '=' (or nothing).
          const echo = spec.secretValue ? shown(raw.slice(0, Math.max(0, eq)) || raw.split('=')[0] || '', 30) : shown(raw);
          if (eq <= 0) return fail(ctx, { text: phrase(A.keyValue, { name, value: echo }) });
          const key = raw.slice(0, eq).trim();
          const value = spec.secretValue ? raw.slice(eq + 1) : raw.slice(eq + 1).trim();
          if (key === '') return fail(ctx, { text: phrase(A.keyValue, { name, value: echo }) });
          if (spec.keyPattern && !spec.keyPattern.test(key)) return fail(ctx, { text: phrase(A.badKey, { name, key: shown(key, 30) }) });
          const valueLength = Array.from(value).length;
          if (spec.valueMax !== undefined && valueLength > spec.valueMax) return fail(ctx, { text: phrase(A.valueTooLong, { name, max: spec.valueMax, length: valueLength }) });
          if (spec.secretValue && value === HIDDEN_VALUE) return fail(ctx, { text: phrase(A.hiddenValue, { name: `${name} ${shown(key, 30)}`, hidden: HIDDEN_VALUE }) });
          return { key, value };
        }),
        fallback: generic,
      };
    case 'since':
      return {
        schema: z.string().transform((raw, ctx) => {
          const ms = parseSince(raw, env.now);
          if (ms === undefined) return fail(ctx, { title: phrase(A.badSince, { name, value: shown(raw, 60) }), text: phrase(A.badSinceText) });
          if (ms > env.now + SINCE_FUTURE_SLACK_MS) return fail(ctx, { title: phrase(A.futureSince, { name, value: shown(raw, 60) }), text: phrase(A.futureSinceText) });
          return ms;
        }),
        fallback: generic,
      };
    case 'duration': {
      const min = spec.min ?? 1_000;
      const max = spec.max ?? 86_400_000;
      const says = (raw: string): Problem => ({ text: phrase(A.badDuration, { name, min: durationText(min), max: durationText(max), value: shown(raw) }) });
      return {
        schema: z.string().transform((raw, ctx) => {
          const ms = parseDuration(raw);
          return ms === undefined || ms < min || ms > max ? fail(ctx, says(raw)) : ms;
        }),
        fallback: says,
      };
    }
    case 'secret':
      return {
        // Never trimmed or echoed: a secret is sent exactly as typed.
        schema: z.string().transform((raw, ctx) => {
          if (raw === '') return fail(ctx, { text: worded(subject, A.blank, A.blankAt) });
          const length = Array.from(raw).length;
          if (length > spec.max) return fail(ctx, { text: worded(subject, A.tooLong, A.tooLongAt, { max: spec.max, length }) });
          if (raw === HIDDEN_VALUE) return fail(ctx, { text: phrase(A.hiddenValue, { name, hidden: HIDDEN_VALUE }) });
          return raw;
        }),
        fallback: generic,
      };
    case 'boolean':
      return { schema: z.string().transform(() => true), fallback: generic };
    case 'id': {
      const pattern = spec.pattern ?? ID_PATTERN;
      return {
        schema: z.string().transform((raw, ctx) => {
          const value = raw.trim();
          return pattern.test(value)
            ? value
            : fail(ctx, { title: phrase(A.badId, { value: shown(value, 60), what: phrase(spec.what) }), text: phrase(A.badIdText, { example: typeof spec.example === 'function' ? spec.example(env.limits) : spec.example }) });
        }),
        fallback: generic,
      };
    }
    case 'file':
      return {
        // Only a reference here: the surface reads it before the handler runs (file.ts).
        schema: z.string().transform((raw, ctx) => {
          const reference = raw.trim();
          return reference === '' ? fail(ctx, { text: phrase(FILE_TEXTS.blank, { name }) }) : new FileReference(reference);
        }),
        fallback: generic,
      };
  }
}

/** `90000` → `90s`, `300000` → `5m`: the largest unit that divides it. */
export function durationText(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}
