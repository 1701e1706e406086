/** `npm run check-config`: prints the configuration's problems or what the bot will use. */
import { checkConfig } from './config.js';

const report = checkConfig();
process.stdout.write(report.output);
process.exitCode = report.exitCode;
