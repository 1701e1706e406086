/**
 * `discord-commands.json`: the list of top-level commands Discord is given (`/coc`, `/coc-admin`), generated from the deployment's
 * command registry and committed like manifest.yml, so a change to Discord's names, options, types,
 * ranges or choices shows in review instead of silently at the next registration.
 */
import { commandRegistry } from '../../app/commands.js';
import { declaredBackend } from '../../app/backends.js';
import type { BackendKind } from '../../config.js';
import { commandJson, planCommands } from './command-map.js';

export const DISCORD_COMMANDS_FILE = 'discord-commands.json';

/** Where a backend's tree is written: COC's is the committed one; another backend's is named after it. */
export function discordCommandsFile(backend: BackendKind = 'coc'): string {
  return backend === 'coc' ? DISCORD_COMMANDS_FILE : `discord-commands.${backend}.json`;
}

/** The file's text as `npm run discord-commands` writes it, for the backend whose commands Discord is given. */
export function discordCommandsText(backend: BackendKind = 'coc'): string {
  return `${JSON.stringify(commandJson(planCommands(commandRegistry(declaredBackend({ backend })))), null, 2)}\n`;
}
