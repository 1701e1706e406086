/**
 * `/coc` (and `/coc-admin`) for Discord, derived from the command registry — the same definitions
 * the terminal and Slack use, so Discord never offers a command the bot does not have. Which
 * top-level command holds a command is decided once, in roots.ts (Discord allows 8,000
 * characters per top-level command; one no longer holds them all).
 *
 *   words ['order', 'cancel']        → /coc order cancel        (subcommand group + subcommand)
 *   words ['whoami']                 → /coc whoami              (subcommand)
 *   words ['scripts'] + ['scripts', 'show']
 *                                    → /coc scripts list, /coc scripts show
 *                                      (Discord cannot have "scripts" as both; the bare one is "list",
 *                                      or "view" when it needs a value: `order <uuid>` → /coc order view)
 *   words ['public', 'script', 'show'] → /coc public script-show (Discord nests only two levels)
 *
 * Each command declares its Discord place (`discord: { group, name }`) and its arguments as kinds
 * (src/core/arguments): positionals become options in their order, flags options of their
 * kind (an integer with its range, an enum with its choices, a switch a boolean, text with its
 * length limits), required as declared. A repeatable key-value flag is one text option whose
 * value holds several, separated by spaces (quote a value with spaces). Options declared with
 * a suggestion source autocomplete from it. When a command has more than Discord's 25 options,
 * the rest are typed into a trailing `args`. Nothing is read back out of prose.
 *
 * Subcommands and options carry their texts in both languages in their definitions; only the
 * root, the groups (and a trailing `args`) take theirs from command-texts.ts.
 *
 * The interaction is turned back into the command line the dispatcher parses; every value is
 * escaped so it stays one word, whatever it contains.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { SomeTypedCommand } from '../../core/arguments/define.js';
import { boundOf, offeredChoicesIn, type ArgSpec, type ArgSpecs, type BackendLimits, type Bound } from '../../core/arguments/kinds.js';
import { detailsOf } from '../../core/arguments/usage.js';
import type { CommandDefinition } from '../../core/command.js';
import { tokenize } from '../../core/tokenize.js';
import { TYPED_ARG_TEXTS } from '../../i18n/catalogues/args.js';
import { fill, translator, type Locale } from '../../i18n/translate.js';
import { CHOICES, DESCRIPTIONS, NAMES_ZH, type Described } from './command-texts.js';
import type { Nouns } from '../../core/arguments/nouns.js';
import { LIMITS } from './limits.js';
import { DISCORD_ROOTS, MAIN_ROOT, rootOf, type DiscordRoot } from '../../core/discord-roots.js';
import { cut } from './text.js';

/** The everyday root, `/coc`. */
export const ROOT_COMMAND = MAIN_ROOT;
export { DISCORD_ROOTS, type DiscordRoot } from '../../core/discord-roots.js';

/** The catalogue's key for a root's own texts: `/coc`, `/coc-admin`. */
export function rootPath(root: DiscordRoot): string {
  return `/${root}`;
}
/** Discord's locale key for Simplified Chinese. */
export const ZH = 'zh-CN';

export const ARGS_OPTION = 'args';

export type OptionKind = 'positional' | 'flag' | 'args';

export interface OptionPlan {
  /** The Discord option name. */
  readonly name: string;
  readonly kind: OptionKind;
  /** The flag it sets (kind 'flag'). */
  readonly flag?: string;
  /** `attachment`: a file attached to the command (a file argument); its value is the attachment's id. */
  readonly type: 'string' | 'integer' | 'boolean' | 'attachment';
  readonly required: boolean;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Text: its shortest and longest length (Discord's min_length, max_length). */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Several values, separated by spaces, each becoming one `--flag value`. */
  readonly repeatable?: boolean;
  /** The suggestion source (SuggestionDefinition id) that autocompletes it. */
  readonly suggestionId?: string;
  /** Positionals: their place on the command line. */
  readonly position?: number;
  /** Typed arguments: the zh-CN name and description, from the definition. */
  readonly localized?: Localized;
  /** Typed enums: each choice's shown name in both languages (the value is what one types). */
  readonly choiceNames?: readonly { readonly value: string; readonly name: string; readonly zh: string }[];
}

/** A name and description in Chinese, carried by what a definition declares. */
export interface Localized {
  readonly name?: string;
  readonly description?: string;
}

export interface SubcommandPlan {
  /** The top-level command it is offered under (roots.ts). */
  readonly root: DiscordRoot;
  readonly group?: string;
  readonly name: string;
  readonly words: readonly string[];
  readonly description: string;
  readonly options: readonly OptionPlan[];
  /** Its answers are private: a slow answer is deferred ephemerally from the start. */
  readonly answersPrivately?: boolean;
  readonly localized?: Localized;
}

export interface CommandPlan {
  readonly subcommands: readonly SubcommandPlan[];
  /** The roots that hold at least one subcommand, in DISCORD_ROOTS order. */
  readonly roots: readonly DiscordRoot[];
  /** The backend's own nouns, filled into the catalogue's root and group descriptions. */
  readonly nouns?: Nouns;
  /** The subcommand at root + group + name (the root `/coc` unless named). */
  find(group: string | undefined, name: string, root?: DiscordRoot): SubcommandPlan | undefined;
}

export interface RegistryView {
  readonly commands: readonly CommandDefinition[];
  suggestion(id: string): unknown;
  /** The backend's declared limits, for typed bounds read from them. */
  readonly limits?: BackendLimits;
  /** The backend's own nouns the commands were worded with. */
  readonly nouns?: Nouns | undefined;
}

/** The catalogue's description of a root or group, in the backend's own nouns. */
function catalogued(path: string, nouns: Nouns | undefined): Described | undefined {
  const text = DESCRIPTIONS[path];
  return text && nouns ? { en: fill(text.en, nouns['en-US']), zh: fill(text.zh, nouns['zh-CN']) } : text;
}

function description(text: string): string {
  return cut(text.trim(), LIMITS.commandDescription) || '—';
}

/** "More options, as on the command line: --a --b (+3 more)": as many names as fit, never cut. */
function argsDescription(names: readonly string[]): string {
  const lead = 'More options, as on the command line:';
  for (let shown = names.length; shown > 0; shown--) {
    const more = shown < names.length ? ` (+${names.length - shown} more)` : '';
    const text = `${lead} ${names.slice(0, shown).join(' ')}${more}`;
    if (text.length <= LIMITS.commandDescription) return text;
  }
  return `${lead} ${names.length} more (see --help)`;
}

/** Names checked, the options beyond Discord's 25 typed into a trailing `args`, required ones first. */
function arranged(command: Pick<CommandDefinition, 'words'>, all: readonly OptionPlan[]): OptionPlan[] {
  let options = [...all];
  const names = new Set<string>();
  for (const option of options) {
    if (names.has(option.name)) throw new Error(`/coc ${command.words.join(' ')}: two options would be called "${option.name}" on Discord`);
    names.add(option.name);
  }
  if (options.length > LIMITS.commandOptions) {
    const rest = options.slice(LIMITS.commandOptions - 1);
    const required = options.slice(0, LIMITS.commandOptions - 1);
    options = [
      ...required,
      {
        name: names.has(ARGS_OPTION) ? `more-${ARGS_OPTION}` : ARGS_OPTION,
        kind: 'args',
        type: 'string',
        required: rest.some((option) => option.required),
        description: argsDescription(rest.map((o) => (o.kind === 'flag' ? `--${o.flag}` : o.name))),
      },
    ];
  }
  // Discord lists required options first; positionals keep their own order when the line is built.
  return [...options.filter((option) => option.required), ...options.filter((option) => !option.required)];
}

export function planCommands(registry: RegistryView): CommandPlan {
  const subcommands = registry.commands.map((command) => typedSubcommand(command, registry));
  const byKey = new Map<string, SubcommandPlan>();
  const keyOf = (root: DiscordRoot, group: string | undefined, name: string) => `${root} ${group ?? ''} ${name}`;
  for (const sub of subcommands) {
    const key = keyOf(sub.root, sub.group, sub.name);
    if (byKey.has(key)) throw new Error(`two commands would be "/${key.replace(/ +/g, ' ')}" on Discord`);
    byKey.set(key, sub);
  }
  const roots = DISCORD_ROOTS.filter((root) => subcommands.some((sub) => sub.root === root));
  return { subcommands, roots, ...(registry.nouns ? { nouns: registry.nouns } : {}), find: (group, name, root = MAIN_ROOT) => byKey.get(keyOf(root, group, name)) };
}

/** Where a subcommand (or one of its options) is under its root, as the text catalogue keys it (a group's texts are the same in every root). */
export function subcommandPath(sub: Pick<SubcommandPlan, 'group' | 'name'>, option?: string): string {
  return [sub.group, sub.name, option].filter(Boolean).join(' ');
}

/** The paths whose texts command-texts.ts writes: each root (`/coc`, `/coc-admin`) and each group, with its English name. */
export function catalogPaths(plan: CommandPlan): { readonly path: string; readonly name: string }[] {
  const groups = [...new Set(plan.subcommands.flatMap((sub) => (sub.group ? [sub.group] : [])))];
  const trailing = plan.subcommands.flatMap((sub) => sub.options.filter((option) => option.kind === 'args').map((option) => ({ path: subcommandPath(sub, option.name), name: option.name })));
  return [...plan.roots.map((root) => ({ path: rootPath(root), name: root })), ...groups.map((group) => ({ path: group, name: group })), ...trailing];
}

/** Paths of `/coc` without a name or description in both languages (none, when definitions and catalogue are complete). */
export function missingTexts(plan: CommandPlan): string[] {
  const missing: string[] = [];
  for (const { path, name } of catalogPaths(plan)) {
    if (!DESCRIPTIONS[path]) missing.push(`${path}: description`);
    if (!NAMES_ZH[name]) missing.push(`${path}: zh-CN name of "${name}"`);
  }
  for (const sub of plan.subcommands) {
    for (const [path, localized] of [[subcommandPath(sub), sub.localized], ...sub.options.filter((option) => option.kind !== 'args').map((option) => [subcommandPath(sub, option.name), option.localized] as const)] as const) {
      if (!localized?.name) missing.push(`${path}: zh-CN name (localName in the definition, or NAMES_ZH)`);
      if (!localized?.description) missing.push(`${path}: zh-CN description`);
    }
  }
  return missing;
}

/** One word for the command-line tokenizer, whatever the value holds (spaces, quotes, backslashes). */
export function escapeWord(value: string): string {
  if (value === '') return '""';
  return value.replace(/[\s"'“”‘’\\]/g, (c) => `\\${c}`);
}

export type OptionValue = string | number | boolean;

export type CommandLine =
  | { readonly ok: true; readonly text: string }
  /** A positional value that would read as an option (`--yes` typed into a uuid), or a quote left open. */
  | { readonly ok: false; readonly option: string; readonly problem: 'dash' | 'quote' };

/**
 * The command line for a subcommand and the option values Discord sent. Positionals come in
 * declaration order; flags as `--flag=value` (a value may start with dashes); switches only when true.
 */
export function commandLine(sub: SubcommandPlan, values: ReadonlyMap<string, OptionValue>): CommandLine {
  const parts: string[] = [...sub.words];
  const ordered = [...sub.options].sort((a, b) => rank(a) - rank(b));
  const flags: string[] = [];
  let args = '';
  for (const option of ordered) {
    const value = values.get(option.name);
    if (value === undefined) continue;
    if (option.kind === 'positional') {
      const text = String(value);
      if (text.startsWith('--')) return { ok: false, option: option.name, problem: 'dash' };
      parts.push(escapeWord(text));
    } else if (option.kind === 'args') {
      args = String(value);
    } else if (option.type === 'boolean') {
      if (value === true) flags.push(`--${option.flag}`);
    } else if (option.repeatable) {
      // Split as the terminal splits a line: `a=1 msg="two words"` is two values.
      let words: string[];
      try {
        words = tokenize(String(value));
      } catch {
        return { ok: false, option: option.name, problem: 'quote' };
      }
      for (const word of words) flags.push(`--${option.flag}=${escapeWord(word)}`);
    } else {
      flags.push(`--${option.flag}=${escapeWord(String(value))}`);
    }
  }
  return { ok: true, text: [...parts, ...flags, ...(args ? [args] : [])].join(' ') };
}

/** Positionals keep their declared order (their index in the plan before sorting). */
function rank(option: OptionPlan): number {
  return option.kind === 'positional' ? option.position ?? 0 : 1000;
}



interface Localisable {
  setName(name: string): unknown;
  setDescription(description: string): unknown;
  setNameLocalizations(localizations: Record<string, string> | null): unknown;
  setDescriptionLocalizations(localizations: Record<string, string> | null): unknown;
}

/** Name and description, with their zh-CN texts: the definition's own, else the catalogue's. */
function named<T extends Localisable>(builder: T, name: string, description: string, path: string, localized?: Localized): T {
  builder.setName(name);
  builder.setDescription(description);
  const zhName = localized ? localized.name : NAMES_ZH[name];
  const zhDescription = localized ? localized.description : DESCRIPTIONS[path]?.zh;
  if (zhName) builder.setNameLocalizations({ [ZH]: zhName });
  if (zhDescription) builder.setDescriptionLocalizations({ [ZH]: zhDescription });
  return builder;
}

function addOptions(builder: SlashCommandSubcommandBuilder, sub: SubcommandPlan): void {
  for (const option of sub.options) {
    const path = subcommandPath(sub, option.name);
    // The trailing `args` is not declared by the command: the catalogue's words for it.
    const localized = option.localized ?? { name: NAMES_ZH[option.name], description: DESCRIPTIONS[path]?.zh };
    if (option.type === 'attachment') {
      builder.addAttachmentOption((o) => named(o, option.name, option.description, path, localized).setRequired(option.required));
    } else if (option.type === 'boolean') {
      builder.addBooleanOption((o) => named(o, option.name, option.description, path, localized).setRequired(option.required));
    } else if (option.type === 'integer') {
      builder.addIntegerOption((o) => {
        named(o, option.name, option.description, path, localized).setRequired(option.required);
        if (option.min !== undefined) o.setMinValue(option.min);
        if (option.max !== undefined) o.setMaxValue(option.max);
        return o;
      });
    } else {
      builder.addStringOption((o) => {
        named(o, option.name, option.description, path, localized).setRequired(option.required);
        if (option.choiceNames) o.addChoices(...option.choiceNames.map(({ value, name, zh }) => ({ name, value, name_localizations: { [ZH]: zh } })));
        else if (option.suggestionId) o.setAutocomplete(true);
        if (option.minLength !== undefined) o.setMinLength(option.minLength);
        if (option.maxLength !== undefined) o.setMaxLength(option.maxLength);
        return o;
      });
    }
  }
}

/** The JSON `PUT /applications/{id}/commands` takes: the whole list, one top-level command per root that holds a subcommand. */
export function commandJson(plan: CommandPlan): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return plan.roots.map((root) => rootJson(plan, root));
}

/** One top-level command: the subcommands and groups of one root. */
export function rootJson(plan: CommandPlan, rootName: DiscordRoot = MAIN_ROOT): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const subcommands = plan.subcommands.filter((sub) => sub.root === rootName);
  const rootText = catalogued(rootPath(rootName), plan.nouns);
  const root = named(new SlashCommandBuilder(), rootName, rootText?.en ?? rootName, rootPath(rootName), { name: NAMES_ZH[rootName], description: rootText?.zh })
    // Usable in servers and in the bot's DMs. Authorization happens in the bot on every use
    // (identity and policy); Discord's own permissions are only defaults admins may change.
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  const grouped = new Map<string, SubcommandPlan[]>();
  for (const sub of subcommands) {
    if (sub.group) grouped.set(sub.group, [...(grouped.get(sub.group) ?? []), sub]);
  }
  const added = new Set<string>();
  for (const sub of subcommands) {
    if (!sub.group) {
      root.addSubcommand((s) => {
        named(s, sub.name, sub.description, subcommandPath(sub), sub.localized);
        addOptions(s, sub);
        return s;
      });
      continue;
    }
    if (added.has(sub.group)) continue;
    added.add(sub.group);
    const members = grouped.get(sub.group)!;
    root.addSubcommandGroup((g) => {
      const groupText = catalogued(sub.group!, plan.nouns);
      named(g, sub.group!, groupText?.en ?? description(`${sub.group}: ${members.map((m) => m.name).join(', ')}`), sub.group!, { name: NAMES_ZH[sub.group!], description: groupText?.zh });
      for (const member of members) {
        g.addSubcommand((s) => {
          named(s, member.name, member.description, subcommandPath(member), member.localized);
          addOptions(s, member);
          return s;
        });
      }
      return g;
    });
  }
  return root.toJSON();
}

/* ------------------------------------------------------------------------------------------ *
 * Everything read from the declaration — names, types, ranges, choices, lengths, required,
 * autocomplete and both languages' texts. Nothing is read back out of prose.
 * ------------------------------------------------------------------------------------------ */

const EN = translator('en-US');
/** The longest text Discord lets an option limit itself to (min_length, max_length). */
const DISCORD_TEXT_LENGTH = 6000;
const ZH_TEXT = translator('zh-CN');

/** A bound as a number; one read from limits the backend did not declare is left to the bot to check. */
function boundOrNone(bound: Bound, limits: BackendLimits): number | undefined {
  try {
    return boundOf(bound, limits);
  } catch {
    return undefined;
  }
}

/** Discord offers the choices itself: the description adds only the range, default or "how many". */
function optionDescription(spec: ArgSpec, locale: Locale, limits: BackendLimits, offersChoices: boolean): string {
  const t = locale === 'zh-CN' ? ZH_TEXT : EN;
  const details = detailsOf(spec, t, limits).filter((_, index) => !(offersChoices && spec.kind === 'enum' && index === 0));
  let text = details.length ? t(TYPED_ARG_TEXTS.withDetails, { description: t(spec.description), details: details.join(t(TYPED_ARG_TEXTS.detailsSeparator)) }) : t(spec.description);
  if (spec.kind === 'key-value' && spec.repeatable) text = t(TYPED_ARG_TEXTS.discordSeveral, { description: t(spec.description) });
  return description(text);
}

function typedOption(key: string, spec: ArgSpec, place: 'positional' | 'flag', position: number, command: SomeTypedCommand, registry: RegistryView): OptionPlan {
  const limits = registry.limits ?? {};
  const name = spec.discordName ?? key;
  const choices = spec.kind === 'enum' ? offeredChoicesIn(spec, limits) : [];
  const offersChoices = spec.kind === 'enum' && !spec.several && choices.length <= LIMITS.commandOptions;
  const suggestionId = spec.suggest && registry.suggestion(spec.suggest) ? spec.suggest : undefined;
  const base = {
    name,
    ...(place === 'positional' ? { kind: 'positional' as const, position } : { kind: 'flag' as const, flag: key }),
    required: spec.required === true && !(place === 'positional' && command.bareOpensForm),
    description: optionDescription(spec, 'en-US', limits, offersChoices),
    localized: { name: spec.localName?.['zh-CN'] ?? NAMES_ZH[name], description: optionDescription(spec, 'zh-CN', limits, offersChoices) },
  };
  if (spec.kind === 'boolean') return { ...base, type: 'boolean' };
  if (spec.kind === 'file') return { ...base, type: 'attachment' };
  if (spec.kind === 'integer') {
    const min = boundOrNone(spec.min, limits);
    const max = boundOrNone(spec.max, limits);
    return { ...base, type: 'integer', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  }
  if (spec.kind === 'enum' && offersChoices) {
    const choiceNames = choices.map((choice) => ({
      value: choice.typed,
      name: choice.label?.['en-US'] ?? CHOICES[choice.typed]?.en ?? choice.typed,
      zh: choice.label?.['zh-CN'] ?? CHOICES[choice.typed]?.zh ?? choice.typed,
    }));
    return { ...base, type: 'string', choices: choiceNames.map((choice) => choice.value), choiceNames };
  }
  if (spec.kind === 'key-value' && spec.repeatable) return { ...base, type: 'string', repeatable: true };
  return { ...base, type: 'string', ...(suggestionId ? { suggestionId } : {}), ...lengthsOf(spec) };
}

/** Text kinds' length limits as Discord takes them (a minimum of one is Discord's own: an option is never sent empty). */
function lengthsOf(spec: ArgSpec): { minLength?: number; maxLength?: number } {
  if (spec.kind !== 'string' && spec.kind !== 'secret') return {};
  const min = spec.kind === 'string' ? spec.min : undefined;
  return {
    ...(min !== undefined && min > 1 && min <= DISCORD_TEXT_LENGTH ? { minLength: min } : {}),
    ...(spec.max <= DISCORD_TEXT_LENGTH ? { maxLength: spec.max } : {}),
  };
}

/** The Discord options of a typed definition, positionals first in their order. */
export function typedOptions(command: SomeTypedCommand, registry: RegistryView): OptionPlan[] {
  const positionals = Object.entries(command.positionals as ArgSpecs).map(([key, spec], position) => typedOption(key, spec, 'positional', position, command, registry));
  const flags = Object.entries(command.flags as ArgSpecs).map(([key, spec]) => typedOption(key, spec, 'flag', 0, command, registry));
  return arranged(command, [...positionals, ...flags]);
}

function typedSubcommand(command: CommandDefinition, registry: RegistryView): SubcommandPlan {
  const shown = command.discord.description ?? command.summary;
  return {
    root: rootOf(command),
    ...(command.discord.group ? { group: command.discord.group } : {}),
    name: command.discord.name,
    words: command.words,
    description: description(shown['en-US']),
    options: typedOptions(command, registry),
    ...(command.answersPrivately ? { answersPrivately: true } : {}),
    localized: { name: command.discord.localName?.['zh-CN'] ?? NAMES_ZH[command.discord.name], description: description(shown['zh-CN']) },
  };
}
