/**
 * From one command line to one reply: tokenize, find the command (with "did you mean"),
 * parse its flags, run it, and turn any failure into a clear message. It never throws.
 */
import { ArgumentError, parseArgs, suggest } from './args.js';
import type { CommandContext, CommandDefinition } from './command.js';
import { errorToMessage } from './errors-to-message.js';
import type { Message } from './message.js';
import { tokenize } from './tokenize.js';

export class Dispatcher {
  readonly #commands: ReadonlyMap<string, CommandDefinition>;

  constructor(
    commands: readonly CommandDefinition[],
    private readonly context: CommandContext,
    private readonly onUnexpected: (error: unknown) => void = () => {},
  ) {
    this.#commands = new Map(commands.map((command) => [command.name, command]));
  }

  get commands(): readonly CommandDefinition[] {
    return [...this.#commands.values()];
  }

  async dispatch(line: string): Promise<Message> {
    try {
      const words = tokenize(line);
      if (words[0] === '/coc' || words[0] === 'coc') words.shift();
      const [name, ...rest] = words;
      if (!name || name === 'help' || name === '--help') return this.help(rest[0]);
      const command = this.#commands.get(name);
      if (!command) {
        const hint = suggest(name, [...this.#commands.keys(), 'help']);
        throw new ArgumentError(`unknown command "${name}".${hint ? ` Did you mean "${hint}"?` : ''} Type "help" for the list.`);
      }
      if (rest.includes('--help')) return this.help(name);
      return await command.run(this.context, parseArgs(rest, command.flags));
    } catch (error) {
      const message = errorToMessage(error);
      if (message.title === 'Something went wrong') this.onUnexpected(error);
      return message;
    }
  }

  help(name?: string): Message {
    const command = name ? this.#commands.get(name) : undefined;
    if (command) {
      return {
        title: `${command.name}: ${command.summary}`,
        text: `Usage: /coc ${command.usage}`,
        fields: command.flags.map((flag) => ({ label: `--${flag.name}`, value: flag.description })),
        footer: `Examples: ${command.examples.map((example) => `/coc ${example}`).join('  ·  ')}`,
      };
    }
    return {
      title: 'coc-chatops commands',
      table: { columns: ['COMMAND', 'WHAT IT DOES'], rows: this.commands.map((c) => [`/coc ${c.name}`, c.summary]) },
      footer: 'Type "help <command>" for its options. "exit" leaves.',
    };
  }
}
