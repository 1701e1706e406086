/**
 * A command declared with typed arguments: its words, its explicit place on Discord, a summary
 * in both languages, and its positionals and flags as kinds. No usage string and no FlagSpec:
 * everything a person reads about the arguments is generated from the declaration.
 */
import type { BackendName } from '../../backends/ids.js';
import type { Text } from '../../i18n/translate.js';
import type { ParsedArgs } from '../args.js';
import type { CommandContext, Guarded } from '../command.js';
import type { Message } from '../message.js';
import type { ArgSpec, ArgSpecs, ArgsOf } from './kinds.js';
import type { Problem } from './schema.js';

export interface DiscordPlace {
  /** The subcommand group (`order` for `/coc order cancel`); none for a top-level subcommand. */
  readonly group?: string;
  readonly name: string;
  /** The subcommand's name in Chinese; default: the catalogue's name for it. */
  readonly localName?: Text;
  /** What Discord shows (at most 100 characters); default: the summary. */
  readonly description?: Text;
}

export interface TypedCommandDefinition<P extends ArgSpecs = ArgSpecs, F extends ArgSpecs = ArgSpecs> extends Guarded {
  /** The words after /coc, e.g. ['order', 'cancel']. */
  readonly words: readonly string[];
  /** Stable, explicit Discord place (never derived from words or arguments). */
  readonly discord: DiscordPlace;
  readonly summary: Text;
  readonly examples: readonly string[];
  /**
   * Examples for a platform whose scripts, flags or ids differ from those `examples` name (they
   * are written for COC), so help never names a script the platform does not have.
   */
  readonly examplesOn?: Partial<Readonly<Record<BackendName, readonly string[]>>>;
  /** In the order they are typed; a key per positional. */
  readonly positionals: P;
  readonly flags: F;
  /** Flags of which at most one may be given (`--hosts | --tag | --query`). */
  readonly oneOf?: readonly (readonly (keyof F & string)[])[];
  /**
   * Plain words the command recognises as a slip (`public scripts show X` for `public script
   * show X`): what to say instead of "takes no plain words". Asked only when it has no positionals.
   */
  readonly plainWords?: (words: readonly string[]) => Problem | undefined;
  /** The words alone open a form: positionals are optional on Discord and in usage. */
  readonly bareOpensForm?: boolean;
  /** Capabilities the backend must have for the command to exist. */
  readonly needs?: readonly string[];
  /** As CommandDefinition.mayOpenForm. */
  readonly mayOpenForm?: boolean | ((args: ParsedArgs) => boolean);
  /** Its answers are private (Discord defers ephemerally). */
  readonly answersPrivately?: boolean;
  /** Its refusals are private though its answers are not (admin link: the change is announced, a mistake is not). */
  readonly refusesPrivately?: boolean;
  /** `raw` is the line as parsed (for "next page" hints that repeat the typed flags). */
  run(context: CommandContext, args: ArgsOf<P, F>, raw: ParsedArgs): Promise<Message>;
}

/** Any typed definition, whatever its arguments (what the registry holds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SomeTypedCommand = TypedCommandDefinition<any, any>;

/** Declares a command; the identity function that lets TypeScript infer the argument types. */
export function defineCommand<const P extends ArgSpecs, const F extends ArgSpecs>(definition: TypedCommandDefinition<P, F>): TypedCommandDefinition<P, F> {
  for (const [name, spec] of Object.entries(definition.positionals)) {
    if (spec.kind === 'boolean') throw new Error(`${definition.words.join(' ')}: the positional "${name}" cannot be a switch`);
    // A file comes as a flag everywhere (Discord attaches it as an option; refusals name it `--name`).
    if (spec.kind === 'file') throw new Error(`${definition.words.join(' ')}: the positional "${name}" cannot be a file; declare it as a flag`);
  }
  return definition;
}

/** A positional or flag with its key, in declaration order (positionals first). */
export interface NamedSpec {
  readonly key: string;
  readonly spec: ArgSpec;
  readonly place: 'positional' | 'flag';
}

export function argumentsOf(definition: Pick<SomeTypedCommand, 'positionals' | 'flags'>): NamedSpec[] {
  return [
    ...Object.entries(definition.positionals as ArgSpecs).map(([key, spec]) => ({ key, spec, place: 'positional' as const })),
    ...Object.entries(definition.flags as ArgSpecs).map(([key, spec]) => ({ key, spec, place: 'flag' as const })),
  ];
}

/** Whether the words alone are not a whole command: a positional must follow. */
export function needsArgument(definition: Pick<SomeTypedCommand, 'positionals' | 'bareOpensForm'>): boolean {
  if (definition.bareOpensForm) return false;
  return Object.values(definition.positionals as ArgSpecs).some((spec) => spec.required === true);
}
