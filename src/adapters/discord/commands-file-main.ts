/**
 * `npm run discord-commands`: writes the generated command list (/coc, /coc-admin) at the project root —
 * discord-commands.json for COC (committed), discord-commands.<backend>.json for another backend.
 *
 *   npm run discord-commands                        the configuration's backend (COC without one)
 *   npm run discord-commands -- --backend blueking  BlueKing's tree, whatever the configuration says
 */
import { writeFileSync } from 'node:fs';
import { BACKEND_KINDS, loadConfig, type BackendKind } from '../../config.js';
import { printEarlyEnd, readCliOptions } from '../../core/cli-options.js';
import { discordCommandsFile, discordCommandsText } from './commands-file.js';

function isBackendKind(value: string): value is BackendKind {
  return (BACKEND_KINDS as readonly string[]).includes(value);
}

const USAGE = [
  'usage: npm run discord-commands [-- options]',
  '  (none)                 write the command list of the configuration\'s backend (discord-commands.json for COC)',
  `  --backend <name>       ${BACKEND_KINDS.join(' | ')}: this backend's list (discord-commands.<backend>.json unless coc)`,
  '  --help, -h             print this',
].join('\n');

function main(): number {
  const read = readCliOptions(USAGE, { backend: { type: 'string' } });
  if (!read.ok) return printEarlyEnd(read);
  const { values } = read;
  if (values.backend !== undefined && !isBackendKind(values.backend)) {
    process.stderr.write(`--backend ${JSON.stringify(values.backend)}: must be one of ${BACKEND_KINDS.join(', ')}\n`);
    return 2;
  }
  let backend: BackendKind | undefined = values.backend;
  if (backend === undefined) {
    const loaded = loadConfig();
    if (!loaded.ok) {
      process.stderr.write('The configuration could not be read, so its backend is unknown (run "npm run check-config"); fix it, or pass --backend coc|blueking.\n');
      return 1;
    }
    backend = loaded.config.backend;
  }
  const file = discordCommandsFile(backend);
  writeFileSync(file, discordCommandsText(backend));
  process.stdout.write(`Wrote ${file} (backend ${backend})${backend === 'coc' ? '; commit it with the change that caused it' : ''}.\n`);
  return 0;
}

process.exitCode = main();
