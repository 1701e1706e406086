/**
 * `discord-commands.json`: the `/coc` command tree Discord is given, generated from the deployment's
 * command registry and committed like manifest.yml, so a change to Discord's names, options, types,
 * ranges or choices shows in review instead of silently at the next registration.
 */
import { commandRegistry } from '../../app/commands.js';
import { declaredBackend } from '../../app/backends.js';
import { commandJson, planCommands } from './command-map.js';

export const DISCORD_COMMANDS_FILE = 'discord-commands.json';

/** The file's text as `npm run discord-commands` writes it. */
export function discordCommandsText(): string {
  return `${JSON.stringify(commandJson(planCommands(commandRegistry(declaredBackend()))), null, 2)}\n`;
}
