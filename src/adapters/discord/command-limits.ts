/**
 * Checks application command JSON against Discord's rules (platform-rules §2.3), independently
 * of how it was generated: names, descriptions, option counts, nesting of subcommand groups,
 * required options first, choices, the 8000-character budget of each top-level command.
 * Registration refuses to send a list with problems; the tests run it on every generated root.
 */
import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { COMMAND_NAME, LIMITS } from './limits.js';

type Localizations = Readonly<Record<string, string | null>> | null;

interface Node {
  readonly name: string;
  readonly name_localizations?: Localizations;
  readonly description?: string;
  readonly description_localizations?: Localizations;
  readonly type?: number;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly choices?: readonly { readonly name: string; readonly name_localizations?: Localizations; readonly value: string | number }[];
  readonly options?: readonly Node[];
}

const SUB = ApplicationCommandOptionType.Subcommand;
const GROUP = ApplicationCommandOptionType.SubcommandGroup;

function localized(map: Localizations | undefined): [string, string][] {
  return Object.entries(map ?? {}).flatMap(([locale, text]) => (typeof text === 'string' ? [[locale, text] as [string, string]] : []));
}

function checkName(path: string, node: Node, problems: string[]): void {
  for (const [locale, name] of [['', node.name] as [string, string], ...localized(node.name_localizations)]) {
    const which = locale ? `${locale} name` : 'name';
    if (!COMMAND_NAME.test(name)) problems.push(`${path}: ${which} "${name}" does not match ${COMMAND_NAME}`);
    if (name !== name.toLowerCase()) problems.push(`${path}: ${which} "${name}" must be lowercase`);
  }
  for (const [locale, text] of [['', node.description ?? ''] as [string, string], ...localized(node.description_localizations)]) {
    const which = locale ? `${locale} description` : 'description';
    if (text.length < 1 || text.length > LIMITS.commandDescription) problems.push(`${path}: ${which} is ${text.length} characters (1-${LIMITS.commandDescription})`);
    // A cut text reads as a broken one: descriptions are written to fit instead.
    if (text.endsWith('…')) problems.push(`${path}: ${which} ends in "…" (cut instead of written to fit)`);
  }
}

function checkOptions(path: string, options: readonly Node[], level: 'root' | 'group' | 'subcommand', problems: string[]): void {
  if (options.length > LIMITS.commandOptions) problems.push(`${path}: ${options.length} options (at most ${LIMITS.commandOptions})`);
  const names = new Set<string>();
  for (const option of options) {
    for (const name of [option.name, ...localized(option.name_localizations).map(([locale, text]) => `${locale}:${text}`)]) {
      if (names.has(name)) problems.push(`${path}: two options are called "${name}"`);
      names.add(name);
    }
  }
  const nested = options.filter((option) => option.type === SUB || option.type === GROUP);
  if (level === 'root' && nested.length > 0 && nested.length !== options.length) problems.push(`${path}: subcommands and plain options are mixed`);
  if (level === 'group' && options.some((option) => option.type !== SUB)) problems.push(`${path}: a subcommand group may hold only subcommands`);
  if (level === 'subcommand' && nested.length > 0) problems.push(`${path}: a subcommand cannot hold subcommands or groups`);
  let optionalSeen = false;
  for (const option of options) {
    const at = `${path} ${option.name}`;
    checkName(at, option, problems);
    if (option.type === GROUP) checkOptions(at, option.options ?? [], 'group', problems);
    else if (option.type === SUB) checkOptions(at, option.options ?? [], 'subcommand', problems);
    else {
      if (option.required && optionalSeen) problems.push(`${at}: a required option comes after an optional one`);
      if (!option.required) optionalSeen = true;
      const choices = option.choices ?? [];
      if (choices.length > LIMITS.commandOptions) problems.push(`${at}: ${choices.length} choices (at most 25)`);
      if (choices.length > 0 && option.autocomplete) problems.push(`${at}: autocomplete cannot be combined with choices`);
      for (const choice of choices) {
        for (const name of [choice.name, ...localized(choice.name_localizations).map(([, text]) => text)]) {
          if (name.length < 1 || name.length > LIMITS.choiceName) problems.push(`${at}: choice name "${name}" is not 1-100 characters`);
        }
        if (typeof choice.value === 'string' && choice.value.length > LIMITS.choiceValue) problems.push(`${at}: choice value longer than 100 characters`);
      }
      if (option.min_value !== undefined && option.max_value !== undefined && option.min_value > option.max_value) problems.push(`${at}: min_value is above max_value`);
    }
  }
}

/** The longest of a text and its localisations: what Discord counts of a localised field. */
function longest(text: string, map: Localizations | undefined): number {
  return Math.max(text.length, ...localized(map).map(([, other]) => other.length));
}

/**
 * What Discord counts towards its 8000 characters: every name, description and choice name
 * and value — of a localised field only its longest text, default included (D5).
 */
export function commandCharacters(node: Node): number {
  let total = longest(node.name, node.name_localizations) + longest(node.description ?? '', node.description_localizations);
  for (const choice of node.choices ?? []) total += longest(choice.name, choice.name_localizations) + String(choice.value).length;
  for (const option of node.options ?? []) total += commandCharacters(option);
  return total;
}

export function commandProblems(command: RESTPostAPIChatInputApplicationCommandsJSONBody): string[] {
  const problems: string[] = [];
  const root = command as Node;
  checkName(`/${root.name}`, root, problems);
  checkOptions(`/${root.name}`, root.options ?? [], 'root', problems);
  const characters = commandCharacters(root);
  if (characters > LIMITS.commandTotal) problems.push(`/${root.name}: ${characters} characters in names, descriptions and choices (at most ${LIMITS.commandTotal})`);
  return problems;
}

/** The problems of a whole list (what `PUT /applications/{id}/commands` takes): each command's, and two with one name. */
export function commandListProblems(commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[]): string[] {
  const problems = commands.flatMap((command) => commandProblems(command));
  const names = commands.map((command) => command.name);
  for (const name of new Set(names.filter((name, index) => names.indexOf(name) !== index))) problems.push(`/${name}: registered twice`);
  return problems;
}
