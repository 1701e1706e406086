/**
 * Registers `/coc` with Discord: one bulk overwrite (`PUT`) of the application's commands,
 * in one server (instant; for development) or globally (every server; Discord may take a
 * while to show changes). A bulk overwrite counts only new commands against Discord's daily
 * limit of 200 creations, so running it again is harmless.
 */
import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { commandProblems } from './command-limits.js';

export class CommandJsonError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the /coc command breaks Discord's rules:\n  ${problems.join('\n  ')}`);
    this.name = 'CommandJsonError';
  }
}

export interface Registered {
  readonly scope: 'guild' | 'global';
  readonly commands: readonly { readonly id: string; readonly name: string }[];
}

export async function registerCommands(
  rest: REST,
  applicationId: string,
  guildId: string | undefined,
  command: RESTPostAPIChatInputApplicationCommandsJSONBody,
): Promise<Registered> {
  const problems = commandProblems(command);
  if (problems.length > 0) throw new CommandJsonError(problems);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const commands = (await rest.put(route, { body: [command] })) as { id: string; name: string }[];
  return { scope: guildId ? 'guild' : 'global', commands: commands.map(({ id, name }) => ({ id, name })) };
}
