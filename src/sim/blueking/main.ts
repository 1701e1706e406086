/**
 * `npm run sim:blueking -- --port 8801 [--seed N] [--tick-ms 1000] [--host 127.0.0.1]`
 * Runs the BlueKing simulator on its own, e.g. to point the bot or curl at it.
 */
import { runSimulatorCli } from '../cli.js';
import { BK_SIM_APP_CODE, BK_SIM_BIZ_ID, BK_SIM_SEED, BK_SIM_USERS, startBluekingSimulator } from './server.js';

runSimulatorCli({
  command: 'npm run sim:blueking',
  defaultPort: 8801,
  defaultSeed: BK_SIM_SEED,
  start: (options) => startBluekingSimulator(options),
  describe: (sim, options) => [
    `BlueKing simulator (ESB, community edition 5.1) listening on ${sim.url}`,
    `  e.g. POST ${sim.url}/api/c/compapi/v2/cc/search_host/`,
    `  seed ${sim.world.seed}; jobs and tasks advance every ${options.tickMs} ms (0 = only via POST ${sim.url}/__sim/tick)`,
    `  ${sim.world.topology.hosts.length} hosts in ${sim.world.topology.businesses.length} businesses (default bk_biz_id ${BK_SIM_BIZ_ID}), ${sim.world.scripts.length} scripts, ${sim.world.sops.templates.length} SOPS templates`,
    `  bk_app_code ${BK_SIM_APP_CODE}; the secret is the documented demo value BK_SIM_APP_SECRET in src/sim/blueking/defaults.ts`,
    `  users (bk_username): ${BK_SIM_USERS.join(', ')}`,
    `  world summary: GET ${sim.url}/__sim/world`,
  ],
});
