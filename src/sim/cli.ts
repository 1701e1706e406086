/**
 * Runs a simulator on its own from the command line (`npm run sim`, `npm run sim:blueking`):
 * `--port`, `--host`, `--seed`, `--tick-ms`, a few lines saying what is in it, and a clean stop on
 * SIGINT / SIGTERM. Each simulator says what it is; the options and the life cycle are one.
 */
import { printEarlyEnd, readCliOptions } from '../core/cli-options.js';

export interface SimulatorOptions {
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly tickMs: number;
}

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

/** The options, one line each, for `--help`. */
function usageOf(command: string, defaultPort: number): string {
  return [
    `usage: ${command} [-- options]`,
    `  --port <n>             the port to listen on (default ${defaultPort}; 0 = any free port)`,
    '  --host <address>       the address to listen on (default 127.0.0.1)',
    '  --seed <n>             the seed of the generated world (the same seed, the same world)',
    '  --tick-ms <n>          how often orders and jobs advance, in ms (default 1000; 0 = only via POST /__sim/tick)',
    '  --help, -h             print this',
  ].join('\n');
}

export function runSimulatorCli<S extends { close(): Promise<void> }>(cli: {
  /** How it is started, for the usage: `npm run sim`. */
  readonly command: string;
  readonly defaultPort: number;
  readonly defaultSeed: number;
  readonly start: (options: SimulatorOptions) => Promise<S>;
  /** What is in it and how to reach it, one line each. */
  readonly describe: (sim: S, options: SimulatorOptions) => readonly string[];
}): void {
  const main = async (): Promise<void> => {
    const read = readCliOptions(usageOf(cli.command, cli.defaultPort), {
      port: { type: 'string', default: String(cli.defaultPort) },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'tick-ms': { type: 'string', default: '1000' },
    });
    if (!read.ok) {
      process.exitCode = printEarlyEnd(read);
      return;
    }
    const { values } = read;
    const options: SimulatorOptions = {
      port: intOption(values.port, 'port', cli.defaultPort),
      host: values.host,
      seed: intOption(values.seed, 'seed', cli.defaultSeed),
      tickMs: intOption(values['tick-ms'], 'tick-ms', 1000),
    };
    const sim = await cli.start(options);
    process.stdout.write(`${cli.describe(sim, options).join('\n')}\n`);
    const stop = () => {
      void sim.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  };
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
