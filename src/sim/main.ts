/**
 * `npm run sim -- --port 8800 [--seed N] [--tick-ms 1000] [--host 127.0.0.1]`
 * Runs the COC simulator on its own, e.g. to point a bot or curl at it.
 */
import { runSimulatorCli } from './cli.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_IAM_USERS, SIM_DEFAULT_SEED, startSimulator } from './server.js';

runSimulatorCli({
  command: 'npm run sim',
  defaultPort: 8800,
  defaultSeed: SIM_DEFAULT_SEED,
  start: (options) => startSimulator(options),
  describe: (sim, options) => [
    `COC simulator listening on ${sim.url}`,
    `  seed ${sim.world.seed}; orders advance every ${options.tickMs} ms (0 = only via POST ${sim.url}/__sim/tick)`,
    `  ${sim.world.hosts.length} hosts, ${sim.world.scripts.size} custom scripts, ${sim.world.publicScripts.size} public scripts, ${sim.world.incidents.all().length} incidents`,
    `  AK/SK: access key ${SIM_DEFAULT_AK}; the secret key is the documented demo value SIM_DEFAULT_SK in src/sim/defaults.ts`,
    `  IAM users: ${SIM_DEFAULT_IAM_USERS.map((user) => user.name).join(', ')} (password: SIM_DEFAULT_IAM_PASSWORD in src/sim/defaults.ts)`,
    `  world summary: GET ${sim.url}/__sim/world`,
  ],
});
