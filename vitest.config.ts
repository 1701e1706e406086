import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The migrated in-memory store, made once for the whole run (see the file).
    globalSetup: ['test/setup/pglite-template.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The tests mostly wait on sockets, child processes and WebAssembly start-up, so every core
    // can take a worker (vitest's default leaves one idle: a single worker on 2 cores).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
