/**
 * `npm run sim:blueking -- --port 8801 [--seed N] [--tick-ms 1000] [--host 127.0.0.1]`
 * Runs the BlueKing simulator on its own, e.g. to point the bot or curl at it.
 */
import { parseArgs } from 'node:util';
import { BK_SIM_APP_CODE, BK_SIM_BIZ_ID, BK_SIM_SEED, BK_SIM_USERS, startBluekingSimulator } from './server.js';

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8801' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'tick-ms': { type: 'string', default: '1000' },
    },
  });
  const sim = await startBluekingSimulator({
    port: intOption(values.port, 'port', 8801),
    host: values.host,
    seed: intOption(values.seed, 'seed', BK_SIM_SEED),
    tickMs: intOption(values['tick-ms'], 'tick-ms', 1000),
  });
  const lines = [
    `BlueKing simulator (ESB, community edition 5.1) listening on ${sim.url}`,
    `  e.g. POST ${sim.url}/api/c/compapi/v2/cc/search_host/`,
    `  seed ${sim.world.seed}; jobs and tasks advance every ${values['tick-ms']} ms (0 = only via POST ${sim.url}/__sim/tick)`,
    `  ${sim.world.topology.hosts.length} hosts in ${sim.world.topology.businesses.length} businesses (default bk_biz_id ${BK_SIM_BIZ_ID}), ${sim.world.scripts.length} scripts, ${sim.world.sops.templates.length} SOPS templates`,
    `  bk_app_code ${BK_SIM_APP_CODE}; the secret is the documented demo value BK_SIM_APP_SECRET in src/sim/blueking/defaults.ts`,
    `  users (bk_username): ${BK_SIM_USERS.join(', ')}`,
    `  world summary: GET ${sim.url}/__sim/world`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
