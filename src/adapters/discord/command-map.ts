/**
 * `/coc` for Discord, derived from the command registry — the same definitions the terminal
 * and Slack use, so Discord never offers a command the bot does not have.
 *
 *   words ['order', 'cancel']        → /coc order cancel        (subcommand group + subcommand)
 *   words ['whoami']                 → /coc whoami              (subcommand)
 *   words ['scripts'] + ['scripts', 'show']
 *                                    → /coc scripts list, /coc scripts show
 *                                      (Discord cannot have "scripts" as both; the bare one is "list",
 *                                      or "view" when it needs a value: `order <uuid>` → /coc order view)
 *   words ['public', 'script', 'show'] → /coc public script-show (Discord nests only two levels)
 *
 * Options come from the usage line and the flags: `<placeholders>` are positional options (in
 * order, required unless in brackets or an example shows the words alone), flags become options typed by their placeholder
 * (`1-100` → integer with limits, `low|medium|high` → choices, a switch → boolean, otherwise
 * text; a flag outside brackets is required). A repeatable flag is one text option whose
 * value holds several, separated by spaces (quote a value with spaces). Options that are
 * about scripts, hosts or orders autocomplete from the registry's suggestion sources. When a
 * command has more than Discord's 25 options, the rest are typed into a trailing `args`.
 *
 * What Discord shows — descriptions, and the zh-CN names and descriptions of everything — is
 * written for Discord in command-texts.ts, keyed by the path above; the commands' own help is
 * longer than Discord allows and is never cut to fit.
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
import type { FlagSpec } from '../../core/args.js';
import type { SomeTypedCommand } from '../../core/arguments/define.js';
import { boundOf, offeredChoicesIn, type ArgSpec, type ArgSpecs, type BackendLimits, type Bound } from '../../core/arguments/kinds.js';
import { detailsOf } from '../../core/arguments/usage.js';
import { isTyped, type AnyCommandDefinition, type CommandDefinition } from '../../core/command.js';
import { tokenize } from '../../core/tokenize.js';
import { TYPED_ARG_TEXTS } from '../../i18n/catalogues/args.js';
import { translator, type Locale } from '../../i18n/translate.js';
import { ROLES } from '../../store/vocabulary.js';
import { CHOICES, DESCRIPTIONS, NAMES_ZH } from './command-texts.js';
import { LIMITS } from './limits.js';
import { cut } from './text.js';

export const ROOT_COMMAND = 'coc';
export const ROOT_DESCRIPTION = DESCRIPTIONS['']!.en;
/** Discord's locale key for Simplified Chinese. */
export const ZH = 'zh-CN';

/** The subcommand name of a bare command whose word is also a group ("scripts" next to "scripts show"). */
export const BARE_SUBCOMMAND = 'list';
/** The same, for a bare command that needs a value ("order <uuid>" next to "order show"). */
export const BARE_SUBCOMMAND_WITH_VALUE = 'view';
export const ARGS_OPTION = 'args';

export type OptionKind = 'positional' | 'flag' | 'args';

export interface OptionPlan {
  /** The Discord option name. */
  readonly name: string;
  readonly kind: OptionKind;
  /** The flag it sets (kind 'flag'). */
  readonly flag?: string;
  readonly type: 'string' | 'integer' | 'boolean';
  readonly required: boolean;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly min?: number;
  readonly max?: number;
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

/** A name and description in Chinese, carried by what a typed definition declares. */
export interface Localized {
  readonly name?: string;
  readonly description?: string;
}

export interface SubcommandPlan {
  readonly group?: string;
  readonly name: string;
  readonly words: readonly string[];
  readonly description: string;
  readonly options: readonly OptionPlan[];
  /** Its answers are private: a slow answer is deferred ephemerally from the start. */
  readonly answersPrivately?: boolean;
  /** From a typed definition: its texts come from the definition, not from command-texts.ts. */
  readonly typed?: boolean;
  readonly localized?: Localized;
}

export interface CommandPlan {
  readonly subcommands: readonly SubcommandPlan[];
  find(group: string | undefined, name: string): SubcommandPlan | undefined;
}

export interface RegistryView {
  readonly commands: readonly AnyCommandDefinition[];
  suggestion(id: string): unknown;
  /** The backend's declared limits, for typed bounds read from them. */
  readonly limits?: BackendLimits;
}

/**
 * Positional placeholders that list a closed set of values (a usage line cannot tell
 * `<viewer|operator|approver|admin>` from `<name|uuid>`, so the sets are named here).
 */
const POSITIONAL_CHOICES: Readonly<Record<string, { readonly name: string; readonly choices: readonly string[] }>> = {
  'viewer|operator|approver|admin': { name: 'role', choices: ROLES },
};

/** Option name → suggestion source, when the registry has that source. */
const SUGGESTION_RULES: readonly { readonly test: RegExp; readonly source: string }[] = [
  { test: /^(script|scripts|script-name|name-or-uuid)$/, source: 'scripts' },
  { test: /^(host|hosts|instance|resource|log|host-name-or-report-id)$/, source: 'hosts' },
  { test: /^(execute-uuid|order|orders|uuid|order-id)$/, source: 'orders' },
];

interface UsageItem {
  readonly kind: 'positional' | 'flag';
  /** Flag name, or the placeholder text of a positional. */
  readonly text: string;
  readonly placeholder?: string;
  readonly optional: boolean;
}

/** Reads `<positional>`, `[<optional>]`, `--flag <value>` and `[--flag value]` from a usage line. */
export function parseUsage(usage: string, words: readonly string[]): UsageItem[] {
  let rest = usage.trim();
  for (const word of words) {
    if (rest.startsWith(word)) rest = rest.slice(word.length).trimStart();
  }
  const items: UsageItem[] = [];
  const parseItem = (inner: string, optional: boolean) => {
    const text = inner.trim();
    const flag = /^--([\w-]+)(?:[ =]+(.*))?$/s.exec(text);
    if (flag) {
      const placeholder = flag[2]?.trim().replace(/^["<]|[">]$/g, '');
      items.push({ kind: 'flag', text: flag[1]!, ...(placeholder ? { placeholder } : {}), optional });
      return;
    }
    const positional = /^<([^>]+)>(\.\.\.|…)?$/.exec(text);
    if (positional) items.push({ kind: 'positional', text: positional[1]!, optional });
  };
  let i = 0;
  while (i < rest.length) {
    if (/\s/.test(rest[i]!)) {
      i++;
      continue;
    }
    if (rest[i] === '[' || rest[i] === '(') {
      const open = rest[i]!;
      const close = open === '[' ? ']' : ')';
      let depth = 0;
      let j = i;
      for (; j < rest.length; j++) {
        if (rest[j] === open) depth++;
        else if (rest[j] === close && --depth === 0) break;
      }
      const inner = rest.slice(i + 1, j);
      // `(--hosts a | --tag k=v | --query q)`: one of them, which Discord cannot require; each is optional.
      // Alternatives are separated by " | " (a placeholder's own choices, `continue|pause`, have no spaces).
      if (open === '(') for (const alternative of inner.split(/\s\|\s/)) parseItem(alternative, true);
      else parseItem(inner, true);
      i = j + 1;
      continue;
    }
    const token = readToken(rest, i);
    i = token.end;
    if (token.text.startsWith('--')) {
      // A required flag: its value placeholder is the next token, unless that is another flag or group.
      let j = i;
      while (j < rest.length && /\s/.test(rest[j]!)) j++;
      if (j < rest.length && rest[j] !== '[' && !rest.startsWith('--', j)) {
        const value = readToken(rest, j);
        i = value.end;
        parseItem(`${token.text} ${value.text}`, false);
      } else {
        parseItem(token.text, false);
      }
    } else {
      parseItem(token.text, false);
    }
  }
  return items;
}

/** One usage token: `<…>` and `"…"` may hold spaces. */
function readToken(text: string, start: number): { text: string; end: number } {
  const open = text[start];
  const close = open === '<' ? '>' : open === '"' ? '"' : undefined;
  if (close) {
    const end = text.indexOf(close, start + 1);
    if (end !== -1) return { text: text.slice(start, end + 1), end: end + 1 };
  }
  let end = start;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  return { text: text.slice(start, end), end };
}

/** A valid Discord option name from a placeholder such as "host name|report id". */
export function optionName(text: string): string {
  const named = POSITIONAL_CHOICES[text];
  if (named) return named.name;
  const name = text
    .toLowerCase()
    .replace(/\|/g, '-or-')
    .replace(/[^-_\p{L}\p{N}]+/gu, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, LIMITS.commandName)
    .replace(/-$/, '');
  return name || 'value';
}

/**
 * A flag's closed set of values: plain-word alternatives such as `low|medium|high` that its
 * description names too ("low, medium or high") — not examples such as `2h|1d` nor kinds of
 * value such as `host|ip|instance-id` ("host name, IP, … or instance id").
 */
function choicesOf(placeholder: string | undefined, described: string): string[] | undefined {
  if (!placeholder || !placeholder.includes('|')) return undefined;
  const parts = placeholder.split('|');
  if (parts.length > LIMITS.commandOptions || !parts.every((part) => /^[a-zA-Z][a-zA-Z-]*$/.test(part))) return undefined;
  const words = new Set(described.split(/[^a-zA-Z-]+/));
  return parts.every((part) => words.has(part)) ? parts : undefined;
}

function integerRange(placeholder: string | undefined, description: string): { min?: number; max?: number } | undefined {
  const range = placeholder ? /^(\d+)-(\d+)$/.exec(placeholder) : null;
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (placeholder && /^n$/i.test(placeholder)) {
    const described = /\b(\d+)-(\d+)\b/.exec(description);
    if (described) return { min: Number(described[1]), max: Number(described[2]) };
    const from = /\bfrom (\d+)\b/.exec(description);
    return from ? { min: Number(from[1]) } : {};
  }
  return undefined;
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

function suggestionFor(name: string, command: CommandDefinition, registry: RegistryView): string | undefined {
  const rule = SUGGESTION_RULES.find((candidate) => candidate.test.test(name));
  // The scripts source lists the tenant's own scripts, not COC's public ones.
  if (rule?.source === 'scripts' && command.words[0] === 'public') return undefined;
  return rule && registry.suggestion(rule.source) ? rule.source : undefined;
}

function flagOption(spec: FlagSpec, item: UsageItem | undefined, command: CommandDefinition, registry: RegistryView): OptionPlan {
  const required = item ? !item.optional : false;
  const base = { name: optionName(spec.name), kind: 'flag' as const, flag: spec.name, required };
  if (!spec.takesValue) return { ...base, type: 'boolean', description: description(spec.description) };
  const range = integerRange(item?.placeholder, spec.description);
  if (range && !spec.repeatable) return { ...base, type: 'integer', description: description(spec.description), ...range };
  const choices = spec.repeatable ? undefined : choicesOf(item?.placeholder, spec.description);
  if (choices) return { ...base, type: 'string', description: description(spec.description), choices };
  if (spec.repeatable) {
    return { ...base, type: 'string', repeatable: true, description: description(`${spec.description} (several: separate with spaces)`) };
  }
  const suggestionId = suggestionFor(base.name, command, registry);
  return { ...base, type: 'string', description: description(spec.description), ...(suggestionId ? { suggestionId } : {}) };
}

function legacyOptions(command: CommandDefinition, registry: RegistryView): OptionPlan[] {
  const usage = parseUsage(command.usage, command.words);
  // An example of the words alone (`run`, which opens a form) makes the positionals optional.
  const bareAllowed = command.examples.some((example) => example.trim() === command.words.join(' '));
  const positionals: OptionPlan[] = usage
    .filter((item) => item.kind === 'positional')
    .map((item, position) => {
      const name = optionName(item.text);
      const choices = POSITIONAL_CHOICES[item.text]?.choices;
      const suggestionId = choices ? undefined : suggestionFor(name, command, registry);
      return {
        name,
        kind: 'positional' as const,
        position,
        type: 'string' as const,
        required: !item.optional && !bareAllowed,
        description: description(item.text.replace(/\|/g, ' or ')),
        ...(choices ? { choices: [...choices] } : {}),
        ...(suggestionId ? { suggestionId } : {}),
      };
    });
  const flags = command.flags.map((spec) => flagOption(spec, usage.find((item) => item.kind === 'flag' && item.text === spec.name), command, registry));
  return arranged(command, [...positionals, ...flags]);
}

/** Names checked, the options beyond Discord's 25 typed into a trailing `args`, required ones first. */
function arranged(command: Pick<AnyCommandDefinition, 'words'>, all: readonly OptionPlan[]): OptionPlan[] {
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
  const groups = new Set(
    registry.commands.flatMap((command) => (isTyped(command) ? (command.discord.group ? [command.discord.group] : []) : command.words.length > 1 ? [command.words[0]!] : [])),
  );
  const subcommands: SubcommandPlan[] = registry.commands.map((command) => {
    if (isTyped(command)) return typedSubcommand(command, registry);
    const [first, ...rest] = command.words;
    const inGroup = rest.length > 0 || groups.has(first!);
    const options = legacyOptions(command, registry);
    const bare = options.some((option) => option.kind === 'positional' && option.required) ? BARE_SUBCOMMAND_WITH_VALUE : BARE_SUBCOMMAND;
    const name = rest.length > 0 ? rest.join('-') : inGroup ? bare : first!;
    return {
      ...(inGroup ? { group: optionName(first!) } : {}),
      name: optionName(name),
      words: command.words,
      description: description(command.summary),
      options,
      ...(command.answersPrivately ? { answersPrivately: true } : {}),
    };
  });
  const fitted = subcommands.map(withWrittenTexts);
  const byKey = new Map<string, SubcommandPlan>();
  for (const sub of fitted) {
    const key = `${sub.group ?? ''} ${sub.name}`;
    if (byKey.has(key)) throw new Error(`two commands would be "/coc ${key.trim()}" on Discord`);
    byKey.set(key, sub);
  }
  return { subcommands: fitted, find: (group, name) => byKey.get(`${group ?? ''} ${name}`) };
}

/** Where a subcommand (or one of its options) is in `/coc`, as the text catalogue keys it. */
export function subcommandPath(sub: Pick<SubcommandPlan, 'group' | 'name'>, option?: string): string {
  return [sub.group, sub.name, option].filter(Boolean).join(' ');
}

/**
 * The descriptions written for Discord (command-texts.ts) in place of the commands' own help;
 * a path the catalogue lacks keeps its own text, cut to fit (the catalogue's test fails then).
 */
function withWrittenTexts(sub: SubcommandPlan): SubcommandPlan {
  if (sub.typed) return sub;
  return {
    ...sub,
    description: DESCRIPTIONS[subcommandPath(sub)]?.en ?? sub.description,
    options: sub.options.map((option) => ({ ...option, description: DESCRIPTIONS[subcommandPath(sub, option.name)]?.en ?? option.description })),
  };
}

/**
 * Every path of `/coc` whose texts command-texts.ts writes (root '', groups, subcommands and
 * options of legacy definitions), with its English name. Typed definitions carry their own.
 */
export function commandPaths(plan: CommandPlan): { readonly path: string; readonly name: string; readonly choices?: readonly string[] }[] {
  const paths: { path: string; name: string; choices?: readonly string[] }[] = [{ path: '', name: ROOT_COMMAND }];
  const groups = new Set<string>();
  for (const sub of plan.subcommands) {
    if (sub.group && !groups.has(sub.group)) {
      groups.add(sub.group);
      paths.push({ path: sub.group, name: sub.group });
    }
    if (sub.typed) continue;
    paths.push({ path: subcommandPath(sub), name: sub.name });
    for (const option of sub.options) paths.push({ path: subcommandPath(sub, option.name), name: option.name, ...(option.choices ? { choices: option.choices } : {}) });
  }
  return paths;
}

/** Paths of `/coc` without a written description, name or choice text in both languages (none, when the catalogue is complete). */
export function missingTexts(plan: CommandPlan): string[] {
  const missing: string[] = [];
  for (const { path, name, choices } of commandPaths(plan)) {
    if (!DESCRIPTIONS[path]) missing.push(`${path || '/coc'}: description`);
    if (!NAMES_ZH[name]) missing.push(`${path || '/coc'}: zh-CN name of "${name}"`);
    for (const choice of choices ?? []) if (!CHOICES[choice]) missing.push(`${path}: choice "${choice}"`);
  }
  for (const sub of plan.subcommands.filter((candidate) => candidate.typed)) {
    for (const [path, localized] of [[subcommandPath(sub), sub.localized], ...sub.options.map((option) => [subcommandPath(sub, option.name), option.localized] as const)] as const) {
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
 * usage order; flags as `--flag=value` (a value may start with dashes); switches only when true.
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

/** Positionals keep the order of the usage line (their index in the plan before sorting). */
function rank(option: OptionPlan): number {
  return option.kind === 'positional' ? option.position ?? 0 : 1000;
}



interface Localisable {
  setName(name: string): unknown;
  setDescription(description: string): unknown;
  setNameLocalizations(localizations: Record<string, string> | null): unknown;
  setDescriptionLocalizations(localizations: Record<string, string> | null): unknown;
}

/** Name and description, with their zh-CN texts: a typed definition's own, else the catalogue's. */
function named<T extends Localisable>(builder: T, name: string, description: string, path: string, localized?: Localized): T {
  builder.setName(name);
  builder.setDescription(description);
  const zhName = localized ? localized.name : NAMES_ZH[name];
  const zhDescription = localized ? localized.description : DESCRIPTIONS[path]?.zh;
  if (zhName) builder.setNameLocalizations({ [ZH]: zhName });
  if (zhDescription) builder.setDescriptionLocalizations({ [ZH]: zhDescription });
  return builder;
}

function choiceOf(value: string): { name: string; value: string; name_localizations?: Record<string, string> } {
  const text = CHOICES[value];
  return text ? { name: text.en, value, name_localizations: { [ZH]: text.zh } } : { name: value, value };
}

function addOptions(builder: SlashCommandSubcommandBuilder, sub: SubcommandPlan): void {
  for (const option of sub.options) {
    const path = subcommandPath(sub, option.name);
    // The trailing `args` of a typed command is not declared by it: the catalogue's words for it.
    const localized = sub.typed ? (option.localized ?? { name: NAMES_ZH[option.name], description: DESCRIPTIONS[path]?.zh }) : undefined;
    if (option.type === 'boolean') {
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
        else if (option.choices) o.addChoices(...option.choices.map(choiceOf));
        else if (option.suggestionId) o.setAutocomplete(true);
        return o;
      });
    }
  }
}

/** The JSON `PUT /applications/{id}/commands` takes: one `/coc` command. */
export function commandJson(plan: CommandPlan): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const root = named(new SlashCommandBuilder(), ROOT_COMMAND, ROOT_DESCRIPTION, '')
    // Usable in servers and in the bot's DMs. Authorization happens in the bot on every use
    // (identity and policy); Discord's own permissions are only defaults admins may change.
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  const grouped = new Map<string, SubcommandPlan[]>();
  for (const sub of plan.subcommands) {
    if (sub.group) grouped.set(sub.group, [...(grouped.get(sub.group) ?? []), sub]);
  }
  const added = new Set<string>();
  for (const sub of plan.subcommands) {
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
      named(g, sub.group!, DESCRIPTIONS[sub.group!]?.en ?? description(`${sub.group}: ${members.map((m) => m.name).join(', ')}`), sub.group!);
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
 * Typed definitions: everything read from the declaration — names, types, ranges, choices,
 * required, autocomplete and both languages' texts. Nothing is read back out of prose.
 * ------------------------------------------------------------------------------------------ */

const EN = translator('en-US');
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
  return { ...base, type: 'string', ...(suggestionId ? { suggestionId } : {}) };
}

/** The Discord options of a typed definition, positionals first in their order. */
export function typedOptions(command: SomeTypedCommand, registry: RegistryView): OptionPlan[] {
  const positionals = Object.entries(command.positionals as ArgSpecs).map(([key, spec], position) => typedOption(key, spec, 'positional', position, command, registry));
  const flags = Object.entries(command.flags as ArgSpecs).map(([key, spec]) => typedOption(key, spec, 'flag', 0, command, registry));
  return arranged(command, [...positionals, ...flags]);
}

function typedSubcommand(command: SomeTypedCommand, registry: RegistryView): SubcommandPlan {
  const shown = command.discord.description ?? command.summary;
  return {
    ...(command.discord.group ? { group: command.discord.group } : {}),
    name: command.discord.name,
    words: command.words,
    description: description(shown['en-US']),
    options: typedOptions(command, registry),
    ...(command.answersPrivately ? { answersPrivately: true } : {}),
    typed: true,
    localized: { name: command.discord.localName?.['zh-CN'] ?? NAMES_ZH[command.discord.name], description: description(shown['zh-CN']) },
  };
}
