/**
 * The kinds of argument a command declares once — a string, a whole number in a range, one of
 * a few choices, a host list, key=value, a time back from now, a duration, a secret, a switch,
 * an id — and the typed value each gives its handler. Parsing, refusals, usage lines, help,
 * Discord options and audit masking are all derived from these declarations, so a range, a
 * default or a set of choices is written exactly once.
 */
import type { Backend } from '../../backends/index.js';
import type { Text } from '../../i18n/translate.js';
import type { FileText } from './file-value.js';

/** What the operations platform allows for runs; a bound may be read from it when the registry is built. */
export interface RunLimits {
  readonly maxHosts: number;
  readonly maxHostsPerBatch: number;
  readonly maxBatches: number;
  readonly timeoutSeconds: { readonly min: number; readonly max: number; readonly default: number };
  readonly successRate: { readonly min: number; readonly max: number; readonly default: number };
}

/** The platform's declared limits, as far as arguments need them. */
export interface BackendLimits {
  readonly runs?: RunLimits;
  /**
   * The deployment's backend, for choices that are the platform's own codes (agent states, alarm
   * levels…): the definition says where they come from, the backend says what they are.
   */
  readonly backend?: Backend;
}

/** What the deployment's backend declares, as arguments read it. */
export function limitsOf(backend: Backend): BackendLimits {
  return { ...(backend.runs ? { runs: backend.runs.limits } : {}), backend };
}

/** A number, or one read from the backend's declared limits. */
export type Bound = number | ((limits: BackendLimits) => number);

export interface Choice {
  /** What the handler receives (the platform's own spelling, e.g. `NON_COMPLIANT`). */
  readonly value: string;
  /** What one types: lower case, `-` for `_` (`non-compliant`). */
  readonly typed: string;
  /** Shown on Discord and in help; the typed form when absent. */
  readonly label?: Text;
  /** Other words accepted for it (`med` for `medium`). */
  readonly aliases?: readonly string[];
  /** Accepted when typed, never offered (help, usage, refusals, Discord): a second spelling the platform also takes. */
  readonly hidden?: boolean;
}

/** `scripts`: every script `run` takes (custom, then public); `custom-scripts`: the tenant's own only. */
export type SuggestionSource = 'scripts' | 'custom-scripts' | 'hosts' | 'orders';

export interface CommonSpec {
  readonly description: Text;
  /** Usage placeholder; each kind has a default (`1-100`, `low|medium|high`, `k=v`, `30m|2h|…`). */
  readonly placeholder?: Text;
  readonly required?: boolean;
  /** The capability the backend must have for this argument to exist (help, usage and Discord drop it otherwise). */
  readonly needs?: string;
  /** The Discord option name (≤ 32, lower case); default: the flag name or the positional's key. */
  readonly discordName?: string;
  /** The Discord option name in Chinese; default: the catalogue's name for it. */
  readonly localName?: Text;
  /** Searched as one types (Slack external select, Discord autocomplete). */
  readonly suggest?: SuggestionSource;
  /** Its name where it stands alone, as a form field's label; default: the description. */
  readonly label?: Text;
  /** What a form says under its field (for a switch: what "Yes" means); default: what its kind allows. */
  readonly hint?: Text;
}

export interface StringSpec extends CommonSpec {
  readonly kind: 'string';
  /** At least this many characters (default 1: blank is refused). */
  readonly min?: number;
  readonly max: number;
  readonly pattern?: { readonly re: RegExp; readonly says: Text };
  readonly default?: string;
}
export interface IntegerSpec extends CommonSpec {
  readonly kind: 'integer';
  readonly min: Bound;
  readonly max: Bound;
  readonly default?: Bound;
}
export interface EnumSpec extends CommonSpec {
  readonly kind: 'enum';
  /** Fixed choices, or the backend's own codes read when the registry is built (none without a backend). */
  readonly choices: readonly Choice[] | ((limits: BackendLimits) => readonly Choice[]);
  /** Several at once, comma separated → string[]. */
  readonly several?: boolean;
  /** A choice's value. */
  readonly default?: string;
}
export interface HostsSpec extends CommonSpec {
  readonly kind: 'hosts';
  readonly max: Bound;
}
export interface KeyValueSpec extends CommonSpec {
  readonly kind: 'key-value';
  readonly repeatable?: boolean;
  /** The value is never echoed, logged or audited (`k=***`). */
  readonly secretValue?: boolean;
  /** The audit trail keeps not even the key (`***`), though an echoed line keeps it. */
  readonly auditedWhole?: boolean;
  readonly keyPattern?: RegExp;
  /** At most this many characters after `=`. */
  readonly valueMax?: number;
}
/** `30m`, `2h`, `1d`, `2w` back from now, or a UTC date(-time) → epoch ms, never in the future. */
export interface SinceSpec extends CommonSpec {
  readonly kind: 'since';
}
/** `30s`, `5m`, `2h` → milliseconds; `min`/`max` in milliseconds. */
export interface DurationSpec extends CommonSpec {
  readonly kind: 'duration';
  readonly min?: number;
  readonly max?: number;
}
export interface SecretSpec extends CommonSpec {
  readonly kind: 'secret';
  readonly max: number;
}
/** A switch: present or not. */
export interface BooleanSpec extends CommonSpec {
  readonly kind: 'boolean';
}
export interface IdSpec extends CommonSpec {
  readonly kind: 'id';
  /** "an order id (execute uuid)". */
  readonly what: Text;
  /** What such an id looks like; read from the backend where each platform's ids look different. */
  readonly example: string | ((limits: BackendLimits) => string);
  /** Default: 1-64 letters, digits, `-` or `_`. */
  readonly pattern?: RegExp;
}

/**
 * The text of a file (a path in the terminal, a file shared in Slack, a Discord attachment, or
 * text pasted into a form field) → FileText. UTF-8 text only, at most `maxBytes` bytes; the
 * surface reads it before the handler runs (see file.ts). Declare it as a flag.
 */
export interface FileSpec extends CommonSpec {
  readonly kind: 'file';
  /** At most this many bytes (checked before anything is read or downloaded). */
  readonly maxBytes: number;
}

export type ArgSpec =
  | StringSpec
  | IntegerSpec
  | EnumSpec
  | HostsSpec
  | KeyValueSpec
  | SinceSpec
  | DurationSpec
  | SecretSpec
  | BooleanSpec
  | IdSpec
  | FileSpec;

export type ArgKind = ArgSpec['kind'];

export type ArgSpecs = Readonly<Record<string, ArgSpec>>;

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** Builders keep the literal shape (`required: true`, a `default`), so handlers get exact types. */
export const arg = {
  string: <const S extends Omit<StringSpec, 'kind'>>(spec: S) => ({ kind: 'string', ...spec }) as S & { readonly kind: 'string' },
  integer: <const S extends Omit<IntegerSpec, 'kind'>>(spec: S) => ({ kind: 'integer', ...spec }) as S & { readonly kind: 'integer' },
  enum: <const S extends Omit<EnumSpec, 'kind'>>(spec: S) => ({ kind: 'enum', ...spec }) as S & { readonly kind: 'enum' },
  hosts: <const S extends Omit<HostsSpec, 'kind'>>(spec: S) => ({ kind: 'hosts', ...spec }) as S & { readonly kind: 'hosts' },
  keyValue: <const S extends Omit<KeyValueSpec, 'kind'>>(spec: S) => ({ kind: 'key-value', ...spec }) as S & { readonly kind: 'key-value' },
  since: <const S extends Omit<SinceSpec, 'kind'>>(spec: S) => ({ kind: 'since', ...spec }) as S & { readonly kind: 'since' },
  duration: <const S extends Omit<DurationSpec, 'kind'>>(spec: S) => ({ kind: 'duration', ...spec }) as S & { readonly kind: 'duration' },
  secret: <const S extends Omit<SecretSpec, 'kind'>>(spec: S) => ({ kind: 'secret', ...spec }) as S & { readonly kind: 'secret' },
  boolean: <const S extends Omit<BooleanSpec, 'kind'>>(spec: S) => ({ kind: 'boolean', ...spec }) as S & { readonly kind: 'boolean' },
  id: <const S extends Omit<IdSpec, 'kind'>>(spec: S) => ({ kind: 'id', ...spec }) as S & { readonly kind: 'id' },
  file: <const S extends Omit<FileSpec, 'kind'>>(spec: S) => ({ kind: 'file', ...spec }) as S & { readonly kind: 'file' },
};

/** A choice typed as its value is typed: lower case, `-` for `_`. */
export function typedForm(value: string): string {
  return value.trim().toLowerCase().replace(/_/g, '-');
}

/** Choices from the platform's own values (`LOW`, `NON_COMPLIANT` → `low`, `non-compliant`). */
export function choicesOf(values: readonly string[]): Choice[] {
  return values.map((value) => ({ value, typed: typedForm(value) }));
}

type BaseValue<S> = S extends { readonly kind: 'integer' | 'since' | 'duration' }
  ? number
  : S extends { readonly kind: 'enum'; readonly several: true }
    ? string[]
    : S extends { readonly kind: 'hosts' }
      ? string[]
      : S extends { readonly kind: 'key-value'; readonly repeatable: true }
        ? KeyValue[]
        : S extends { readonly kind: 'key-value' }
          ? KeyValue
          : S extends { readonly kind: 'boolean' }
            ? boolean
            : S extends { readonly kind: 'file' }
              ? FileText
              : string;

/** Always present: required, defaulted, a switch (false when absent) or a repeatable list (empty). */
type AlwaysThere<S> = S extends { readonly required: true }
  ? true
  : S extends { readonly default: unknown }
    ? true
    : S extends { readonly kind: 'boolean' }
      ? true
      : S extends { readonly kind: 'key-value'; readonly repeatable: true }
        ? true
        : false;

/** The typed value of one spec. */
export type ValueOf<S extends ArgSpec> = AlwaysThere<S> extends true ? BaseValue<S> : BaseValue<S> | undefined;

/** What a handler receives: one typed value per positional and flag. */
export type ArgsOf<P extends ArgSpecs, F extends ArgSpecs> = { readonly [K in keyof P]: ValueOf<P[K]> } & { readonly [K in keyof F]: ValueOf<F[K]> };

/** A bound as a number, given the backend's limits. */
export function boundOf(bound: Bound, limits: BackendLimits): number {
  return typeof bound === 'number' ? bound : bound(limits);
}

/** The choices of an enum, read from the backend when they are its own codes. */
export function choicesIn(spec: Pick<EnumSpec, 'choices'>, limits: BackendLimits): readonly Choice[] {
  return typeof spec.choices === 'function' ? spec.choices(limits) : spec.choices;
}

/** The choices shown to people (help, usage, refusals, Discord): all but the hidden ones. */
export function offeredChoicesIn(spec: Pick<EnumSpec, 'choices'>, limits: BackendLimits): readonly Choice[] {
  return choicesIn(spec, limits).filter((choice) => !choice.hidden);
}
