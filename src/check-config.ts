/** `npm run check-config`: prints the configuration's problems or what the bot will use. */
import { checkConfig } from './config.js';
import { cliOptionsOrExit } from './core/cli-options.js';

const USAGE = [
  'usage: npm run check-config [-- --help]',
  '  (none)                  check the configuration (COC_CHATOPS_CONFIG, else ./coc-chatops.json, and the environment):',
  '                          its problems (exit 1), else what the bot will use, with warnings (exit 0)',
  '  --help, -h              print this',
].join('\n');

if (cliOptionsOrExit(USAGE, {})) {
  const report = checkConfig();
  process.stdout.write(report.output);
  process.exitCode = report.exitCode;
}
