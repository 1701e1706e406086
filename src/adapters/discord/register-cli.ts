/**
 * `npm run discord:register`: registers the bot's top-level commands (`/coc`, `/coc-admin`:
 * generated from the command registry, split as roots.ts says) with Discord, in the server
 * named by discord.guildId (instant; for development) or globally.
 *
 *   npm run discord:register                    guild if DISCORD_GUILD_ID is set, else global
 *   npm run discord:register -- --global        globally, even with a guild configured
 *   npm run discord:register -- --guild <id>    in this server
 *   npm run discord:register -- --print         print the command list and each command's character count; register nothing
 *   … --backend coc|blueking                    whose commands (default: the configuration's backend)
 *
 * Discord applies `contexts` (servers, the bot's DMs) only to global commands: a command
 * registered in one server is offered in that server alone, never in DMs. Both the printout
 * and a server registration say so; register globally for the commands in DMs.
 */
import { REST } from 'discord.js';
import { commandRegistry } from '../../app/commands.js';
import { declaredBackend } from '../../app/backends.js';
import { BACKEND_KINDS, loadConfig, type BackendKind } from '../../config.js';
import { printEarlyEnd, readCliOptions } from '../../core/cli-options.js';
import { commandJson, missingTexts, planCommands } from './command-map.js';
import { commandCharacters, commandListProblems, commandProblems } from './command-limits.js';
import { LIMITS } from './limits.js';
import { registerCommands } from './register.js';

const SCOPE_NOTE =
  'Where the commands are offered: registered globally (--global), in servers and in DMs with the bot; registered in one server (discord.guildId or --guild), in that server only — not in DMs, since Discord applies "contexts" to global commands only.';

const USAGE = [
  'usage: npm run discord:register [-- options]',
  '  (none)                 register /coc and /coc-admin in the server of discord.guildId, else globally',
  '  --global               register globally (servers and DMs), even with a server configured',
  '  --guild <id>           register in this server (its id, 17 to 20 digits)',
  '  --print                print the command list and each command\'s character count; register nothing',
  `  --backend <name>       ${BACKEND_KINDS.join(' | ')}: whose commands (default: backend of the configuration)`,
  '  --help, -h             print this',
].join('\n');

async function main(): Promise<number> {
  const read = readCliOptions(USAGE, { global: { type: 'boolean' }, guild: { type: 'string' }, print: { type: 'boolean' }, backend: { type: 'string' } });
  if (!read.ok) return printEarlyEnd(read);
  const { values } = read;
  if (values.backend !== undefined && !(BACKEND_KINDS as readonly string[]).includes(values.backend)) {
    process.stderr.write(`--backend ${JSON.stringify(values.backend)}: must be one of ${BACKEND_KINDS.join(', ')}\n`);
    return 2;
  }
  // The commands the deployment serves: the flag's backend, else the configuration's (COC when it cannot be read: --print only).
  const configured = loadConfig();
  const backend = (values.backend as BackendKind | undefined) ?? (configured.ok ? configured.config.backend : 'coc');
  const registry = commandRegistry(declaredBackend({ backend }));
  const plan = planCommands(registry);
  const list = commandJson(plan);
  const problems = commandListProblems(list);
  const missing = missingTexts(plan);
  if (values.print) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    // Each root against Discord's rules, with its count: the budget is per top-level command.
    for (const command of list) {
      const own = commandProblems(command);
      process.stderr.write(`/${command.name}: ${commandCharacters(command)} of ${LIMITS.commandTotal} characters; ${own.length ? `problems:\n  ${own.join('\n  ')}` : 'within Discord\'s limits'}\n`);
    }
    const others = problems.filter((problem) => !list.some((command) => commandProblems(command).includes(problem)));
    if (others.length) process.stderr.write(`Problems of the list:\n  ${others.join('\n  ')}\n`);
    if (missing.length) process.stderr.write(`Texts missing from src/adapters/discord/command-texts.ts (the command's own help is used, cut to fit):\n  ${missing.join('\n  ')}\n`);
    process.stderr.write(`${SCOPE_NOTE}\n`);
    return problems.length ? 1 : 0;
  }
  if (missing.length) process.stderr.write(`Warning: ${missing.length} text(s) missing from src/adapters/discord/command-texts.ts; run with --print for the list.\n`);
  const loaded = configured;
  if (!loaded.ok) {
    process.stderr.write('The configuration has problems (run "npm run check-config" for details):\n');
    for (const problem of loaded.problems) process.stderr.write(`  ${problem.path}: ${problem.message} — ${problem.fix}\n`);
    return 1;
  }
  const { botToken, applicationId, guildId, apiUrl } = loaded.config.discord;
  if (!botToken || !applicationId) {
    process.stderr.write('Set discord.botToken (DISCORD_BOT_TOKEN) and discord.applicationId (DISCORD_APPLICATION_ID) first.\n');
    return 1;
  }
  if (values.guild !== undefined && !/^\d{17,20}$/.test(values.guild)) {
    process.stderr.write(`--guild must be a server id (17 to 20 digits), got "${values.guild}".\n`);
    return 1;
  }
  const guild = values.global ? undefined : (values.guild ?? guildId);
  const rest = new REST(apiUrl ? { api: apiUrl } : {}).setToken(botToken.reveal());
  const registered = await registerCommands(rest, applicationId, guild, list);
  const subcommandsOf = (command: (typeof list)[number]) => (command.options ?? []).reduce((sum, option) => sum + ('options' in option && option.type === 2 ? (option.options?.length ?? 0) : 1), 0);
  const names = list.map((command) => `/${command.name} (${subcommandsOf(command)} subcommands)`).join(', ');
  process.stdout.write(
    registered.scope === 'guild'
      ? `Registered ${names} in server ${guild}: usable there now, but not in DMs with the bot (Discord offers server commands in that server only; register with --global for DMs).\n`
      : `Registered ${names} globally: Discord may take a while to show the change in every server.\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Registering the Discord commands failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
