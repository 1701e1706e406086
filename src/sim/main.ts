/**
 * `npm run sim -- --port 8800 [--seed N] [--tick-ms 1000] [--host 127.0.0.1]`
 * Runs the COC simulator on its own, e.g. to point a bot or curl at it.
 */
import { parseArgs } from 'node:util';
import { SIM_DEFAULT_AK, SIM_DEFAULT_IAM_USERS, SIM_DEFAULT_SEED, startSimulator } from './server.js';

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8800' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'tick-ms': { type: 'string', default: '1000' },
    },
  });
  const sim = await startSimulator({
    port: intOption(values.port, 'port', 8800),
    host: values.host,
    seed: intOption(values.seed, 'seed', SIM_DEFAULT_SEED),
    tickMs: intOption(values['tick-ms'], 'tick-ms', 1000),
  });
  const lines = [
    `COC simulator listening on ${sim.url}`,
    `  seed ${sim.world.seed}; orders advance every ${values['tick-ms']} ms (0 = only via POST ${sim.url}/__sim/tick)`,
    `  ${sim.world.hosts.length} hosts, ${sim.world.scripts.size} custom scripts, ${sim.world.publicScripts.size} public scripts, ${sim.world.incidents.all().length} incidents`,
    `  AK/SK: access key ${SIM_DEFAULT_AK}; the secret key is the documented demo value SIM_DEFAULT_SK in src/sim/defaults.ts`,
    `  IAM users: ${SIM_DEFAULT_IAM_USERS.map((user) => user.name).join(', ')} (password: SIM_DEFAULT_IAM_PASSWORD in src/sim/defaults.ts)`,
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
