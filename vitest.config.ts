import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/setup/slow-first-sequencer.js';

/**
 * Test files that run in a process of their own. Every other file shares its worker process
 * with the files before it (`isolate: false`): the modules, the JIT's work and the pool of
 * migrated in-memory stores are made once per worker instead of once per file, which took most
 * of the run (about 4 CPU-seconds per file). Files run one after another in a worker, so a file
 * that changes a module-level setting and puts it back in its afterAll can share one. A file
 * belongs here when it:
 */
const OWN_PROCESS = [
  // starts the bot as a separate process, or sends signals;
  'test/audit-write-intents-kill.test.ts',
  'test/config-check.test.ts',
  'test/incident-transcript.test.ts',
  'test/blueking-transcript.test.ts',
  'test/coc-documents-transcript.test.ts',
  'test/run-approve-e2e.test.ts',
  'test/shell-history-secrets.test.ts',
  'test/start.test.ts',
  'test/tracker-restart.test.ts',
  'test/transcript.test.ts',
  'test/readme-transcript.test.ts',
  'test/reliability/**',
  // listens for every unhandled rejection in its process while it runs (one left over by an
  // earlier file would be counted as its own);
  'test/dispatcher-fuzz.test.ts',
  // starts the bot as a separate process for a chat platform (its HTTP server and signals). The
  // other chat adapters' end-to-end tests share a worker: each closes its servers and sockets.
  'test/slack-start.test.ts',
  'test/discord-start.test.ts',
];

export default defineConfig({
  test: {
    // The migrated store, and the bot's entry points bundled, made once for the whole run (see the files).
    globalSetup: ['test/setup/pglite-template.ts', 'test/setup/bot-bundle.ts'],
    // After each file: closes its stores and drops its PostgreSQL schemas.
    setupFiles: ['test/setup/per-file.ts'],
    // The store's checks for programming mistakes (a nested transaction, a stray query inside
    // one: src/store/transaction-scope.ts) are on wherever the code is tested, bots started as
    // processes of their own included.
    env: { COC_CHATOPS_CHECK_TRANSACTIONS: '1' },
    // Safety nets for a hung test, never what decides pass or fail: tests wait on events and
    // fake clocks, and a machine busy with other work must only make them slower. Above the
    // helpers' waits (test/helpers/safety-net.ts), so those fail first and say what they waited for.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The tests mostly wait on sockets, child processes and WebAssembly start-up, so every core
    // can take a worker (vitest's default leaves one idle: a single worker on 2 cores).
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: OWN_PROCESS, isolate: false } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS.map((path) => (path.endsWith('/**') ? `${path}/*.test.ts` : path)) } },
    ],
  },
});
