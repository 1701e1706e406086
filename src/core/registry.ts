/** All commands and actions, found by their words (longest match first) or action id. */
import { suggest } from './args.js';
import { commandName, type ActionDefinition, type CommandDefinition } from './command.js';

export class Registry {
  readonly #byName = new Map<string, CommandDefinition>();
  readonly #actions = new Map<string, ActionDefinition>();

  constructor(readonly commands: readonly CommandDefinition[], actions: readonly ActionDefinition[] = []) {
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

  action(id: string): ActionDefinition | undefined {
    return this.#actions.get(id);
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
