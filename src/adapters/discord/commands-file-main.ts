/** `npm run discord-commands`: writes discord-commands.json (the generated /coc tree) at the project root. */
import { writeFileSync } from 'node:fs';
import { DISCORD_COMMANDS_FILE, discordCommandsText } from './commands-file.js';

writeFileSync(DISCORD_COMMANDS_FILE, discordCommandsText());
process.stdout.write(`Wrote ${DISCORD_COMMANDS_FILE}; commit it with the change that caused it.\n`);
