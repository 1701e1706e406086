/**
 * What a file of tracker tests shares: the COC simulator (moving only when a test ticks it), a
 * quiet client of it and a store, started once for the file; each test begins with no faults set
 * and no order tracked.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createCocBackend } from '../../src/backends/coc/index.js';
import type { Backend } from '../../src/backends/index.js';
import type { CocClient } from '../../src/coc/client.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import type { Store } from '../../src/store/index.js';
import { quietCoc } from '../tracker-helpers.js';
import { freshMemoryStore } from './memory-store.js';

export interface TrackerWorld {
  readonly sim: Simulator;
  readonly coc: CocClient;
  readonly store: Store;
}

/** Registers the hooks in the calling describe block; the fields are set once its beforeAll has run. */
export function useTrackerWorld(): TrackerWorld {
  const world = {} as { sim: Simulator; coc: CocClient; store: Store };
  beforeAll(async () => {
    world.sim = await startSimulator({ tickMs: 0 });
    world.coc = quietCoc(world.sim);
    world.store = await freshMemoryStore();
  });
  afterAll(async () => {
    await world.coc?.close();
    await world.store?.close();
    await world.sim?.close();
  });
  beforeEach(async () => {
    world.sim.faults.clear();
    await world.store.db.exec('TRUNCATE tracked_orders CASCADE');
  });
  return world;
}

export interface CocBackendWorld {
  readonly sim: Simulator;
  readonly coc: CocClient;
  /** The COC backend over `coc`, as the tracker reads orders through it. */
  readonly backend: Backend;
}

/**
 * For tests of one order's reads without a store: the simulator (moving only when a test ticks
 * it), a quiet client and the COC backend over it, started once for the calling describe block.
 */
export function useCocBackend(): CocBackendWorld {
  const world = {} as { sim: Simulator; coc: CocClient; backend: Backend };
  beforeAll(async () => {
    world.sim = await startSimulator({ tickMs: 0 });
    world.coc = quietCoc(world.sim);
    world.backend = createCocBackend(world.coc);
  });
  afterAll(async () => {
    await world.coc?.close();
    await world.sim?.close();
  });
  return world;
}
