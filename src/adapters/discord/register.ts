/**
 * Registers the bot's top-level commands (`/coc`, `/coc-admin`: roots.ts) with Discord: one bulk
 * overwrite (`PUT`) of the application's whole list — a root left out would be deleted —
 * in one server (instant; for development) or globally (every server; Discord may take a
 * while to show changes). A bulk overwrite counts only new commands against Discord's daily
 * limit of 200 creations, so running it again is harmless.
 */
import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { commandListProblems } from './command-limits.js';

export class CommandJsonError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the Discord commands break Discord's rules:\n  ${problems.join('\n  ')}`);
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
  list: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Promise<Registered> {
  const problems = commandListProblems(list);
  if (problems.length > 0) throw new CommandJsonError(problems);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const commands = (await rest.put(route, { body: list })) as { id: string; name: string }[];
  return { scope: guildId ? 'guild' : 'global', commands: commands.map(({ id, name }) => ({ id, name })) };
}
