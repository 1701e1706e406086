/** All commands and actions, found by their words (longest match first) or action id. */
import { suggest } from './args.js';
import { servedBy } from './arguments/capabilities.js';
import type { BackendLimits } from './arguments/kinds.js';
import { maskRulesOf, mergeMaskRules, type MaskRules } from './arguments/mask.js';
import { inPlatformWords, type Nouns } from './arguments/nouns.js';
import { commandName, type ActionDefinition, type CommandDefinition, type FormDefinition, type SuggestionDefinition } from './command.js';

export interface RegistryExtras {
  readonly forms?: readonly FormDefinition[];
  readonly suggestions?: readonly SuggestionDefinition[];
  /** The backend's declared limits, which typed arguments' bounds may be read from. */
  readonly limits?: BackendLimits;
  /**
   * The capabilities the backend has: typed commands needing one it lacks are left out, and so
   * are typed arguments needing one. Unset: every command and argument is kept.
   */
  readonly capabilities?: ReadonlySet<string>;
  /** Names of commands left out already (carried when a registry is extended). */
  readonly unserved?: readonly string[];
  /** The backend's own nouns (`{platform}`, `{agent}`, `{identity}`), filled into every command's summary and argument texts. */
  readonly nouns?: Nouns;
}

export class Registry {
  readonly #byName = new Map<string, CommandDefinition>();
  readonly #actions = new Map<string, ActionDefinition>();
  readonly #forms = new Map<string, FormDefinition>();
  readonly #suggestions = new Map<string, SuggestionDefinition>();
  /** Commands declared but left out, because this backend lacks a capability they need. */
  readonly #unserved = new Set<string>();

  /** The backend's declared limits, which typed bounds and choices are read from. */
  readonly limits: BackendLimits;
  /** The backend's own nouns the commands were worded with (carried when a registry is extended). */
  readonly nouns: Nouns | undefined;
  /** How each secret flag's value is hidden in an echoed or stored line, whatever the command. */
  readonly maskRules: MaskRules;

  /** The commands this backend can serve, in the order given. */
  readonly commands: readonly CommandDefinition[];

  /**
   * This registry with more commands, actions, forms or suggestion sources, and the same
   * backend limits (so the added and the existing commands read their bounds and choices alike).
   */
  extended(more: { readonly commands?: readonly CommandDefinition[]; readonly actions?: readonly ActionDefinition[] } & Pick<RegistryExtras, 'forms' | 'suggestions'>): Registry {
    return new Registry([...this.commands, ...(more.commands ?? [])], [...this.actions, ...(more.actions ?? [])], {
      forms: [...this.forms, ...(more.forms ?? [])],
      suggestions: [...this.suggestions, ...(more.suggestions ?? [])],
      limits: this.limits,
      unserved: [...this.#unserved],
      ...(this.nouns ? { nouns: this.nouns } : {}),
    });
  }

  constructor(
    declared: readonly CommandDefinition[],
    actions: readonly ActionDefinition[] = [],
    extras: RegistryExtras = {},
  ) {
    const capabilities = extras.capabilities;
    const served = capabilities ? declared.flatMap((command): CommandDefinition[] => servable(command, capabilities)) : declared;
    this.nouns = extras.nouns;
    const commands = served.map((command) => inPlatformWords(command, extras.nouns));
    this.commands = commands;
    for (const name of extras.unserved ?? []) this.#unserved.add(name);
    if (capabilities) for (const command of declared) if (servable(command, capabilities).length === 0) this.#unserved.add(commandName(command));
    this.limits = extras.limits ?? {};
    this.maskRules = mergeMaskRules(commands.map((command) => maskRulesOf(command)));
    for (const form of extras.forms ?? []) {
      if (this.#forms.has(form.id)) throw new Error(`two forms have the id "${form.id}"`);
      this.#forms.set(form.id, form);
    }
    for (const source of extras.suggestions ?? []) {
      if (this.#suggestions.has(source.id)) throw new Error(`two suggestion sources have the id "${source.id}"`);
      this.#suggestions.set(source.id, source);
    }
    for (const command of commands) {
      const name = commandName(command);
      if (this.#byName.has(name)) throw new Error(`two commands are called "${name}"`);
      this.#byName.set(name, command);
    }
    for (const action of actions) {
      if (this.#actions.has(action.id)) throw new Error(`two actions have the id "${action.id}"`);
      this.#actions.set(action.id, action);
    }
  }

  /** The command whose words start `words`, preferring the longest; the rest are its arguments. */
  find(words: readonly string[]): { command: CommandDefinition; rest: readonly string[] } | undefined {
    for (let length = Math.min(words.length, 3); length > 0; length--) {
      const command = this.#byName.get(words.slice(0, length).join(' '));
      if (command) return { command, rest: words.slice(length) };
    }
    return undefined;
  }

  /**
   * The command `words` name that this backend cannot serve, when it names one more precisely
   * than any served command does ("hosts sync" where only "hosts" is served): said as such, not
   * as a wrong argument of the shorter one.
   */
  unservedFor(words: readonly string[]): string | undefined {
    const served = this.find(words);
    const servedLength = served ? served.command.words.length : 0;
    for (let length = Math.min(words.length, 3); length > servedLength; length--) {
      const name = words.slice(0, length).join(' ');
      if (this.#unserved.has(name)) return name;
    }
    return undefined;
  }

  action(id: string): ActionDefinition | undefined {
    return this.#actions.get(id);
  }

  form(id: string): FormDefinition | undefined {
    return this.#forms.get(id);
  }

  suggestion(id: string): SuggestionDefinition | undefined {
    return this.#suggestions.get(id);
  }

  get forms(): readonly FormDefinition[] {
    return [...this.#forms.values()];
  }

  get suggestions(): readonly SuggestionDefinition[] {
    return [...this.#suggestions.values()];
  }

  get actions(): readonly ActionDefinition[] {
    return [...this.#actions.values()];
  }

  suggestFor(words: readonly string[]): string | undefined {
    const names = [...this.#byName.keys(), 'help'];
    const typed = words.slice(0, 2).join(' ');
    return suggest(typed, names) ?? suggest(words[0] ?? '', names);
  }
}

/** A command as the backend's capabilities allow it, or none when it needs one the backend lacks. */
function servable(command: CommandDefinition, capabilities: ReadonlySet<string>): CommandDefinition[] {
  const served = servedBy(command, (name) => capabilities.has(name));
  return served ? [served] : [];
}
