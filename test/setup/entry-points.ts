/** The scripts tests start as separate processes, by the name of their bundled file (test/setup/bot-bundle.ts). */
export const ENTRY_POINTS = {
  main: 'src/main.ts',
  'check-config': 'src/check-config.ts',
  'register-cli': 'src/adapters/discord/register-cli.ts',
  manifest: 'src/adapters/slack/manifest-main.ts',
  'discord-commands': 'src/adapters/discord/commands-file-main.ts',
  sim: 'src/sim/main.ts',
} as const;
