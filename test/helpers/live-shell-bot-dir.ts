/**
 * The working directory of a terminal bot run as a separate process (as `npm start`) on an
 * embedded PGlite store: a simulator, a store as the bot's first start leaves it (without that
 * start's initdb and migrations), and a coc-chatops.json mapping the shell's people. Set up
 * before the file's tests (ahead of the file's own beforeAll) and removed after them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../../src/sim/server.js';
import { seedMigratedDataDir } from './data-dir.js';

export interface LiveShellBotDirOptions {
  /** Prefix of the temporary directory's name. */
  readonly prefix: string;
  readonly projectId: string;
  /** The store's secret key; none leaves the store's default. */
  readonly secretKey?: string;
  /** Each shell user and their role (their IAM user is the same name). */
  readonly people: Readonly<Record<string, string>>;
  /** Further top-level sections of coc-chatops.json. */
  readonly config?: Readonly<Record<string, unknown>>;
}

export interface LiveShellBotDir {
  readonly workDir: string;
  readonly dataDir: string;
  /** The simulator; available from the file's beforeAll on. */
  readonly sim: Simulator;
}

export function useLiveShellBotDir(options: LiveShellBotDirOptions): LiveShellBotDir {
  const workDir = mkdtempSync(join(tmpdir(), options.prefix));
  const dataDir = join(workDir, 'store');
  let sim: Simulator | undefined;

  beforeAll(async () => {
    sim = await startSimulator({ tickMs: 0 });
    await seedMigratedDataDir(dataDir);
    writeFileSync(
      join(workDir, 'coc-chatops.json'),
      JSON.stringify({
        coc: { endpoint: sim.url, auth: { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, projectId: options.projectId } },
        store: options.secretKey === undefined ? { dataDir } : { dataDir, secretKey: options.secretKey },
        identity: {
          mappings: Object.entries(options.people).map(([user, role]) => ({ platform: 'shell', workspace: 'local', user, iamUser: user, role })),
        },
        ...options.config,
      }),
      { mode: 0o600 },
    );
  });

  afterAll(async () => {
    await sim?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  return {
    workDir,
    dataDir,
    get sim(): Simulator {
      if (!sim) throw new Error('the simulator starts in beforeAll');
      return sim;
    },
  };
}
