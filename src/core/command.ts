/**
 * A command's declarative definition: what it is called, how it is used, which flags it
 * takes, and the handler that turns parsed arguments into a neutral Message.
 */
import type { CocClient } from '../coc/client.js';
import type { FlagSpec, ParsedArgs } from './args.js';
import type { Message } from './message.js';

export interface CommandContext {
  readonly coc: CocClient;
}

export interface CommandDefinition {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly examples: readonly string[];
  readonly flags: readonly FlagSpec[];
  run(context: CommandContext, args: ParsedArgs): Promise<Message>;
}
