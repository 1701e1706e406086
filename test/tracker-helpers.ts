/**
 * Shared by the tracker tests: a fake clock, a tracker over any store with its own recording
 * surface, COC clients that do not sleep between retries, and orders started on the simulator.
 */
import { afterAll, beforeAll } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import type { Config } from '../src/config.js';
import { ChatSurfaces } from '../src/core/chat-surface.js';
import type { Message } from '../src/core/message.js';
import { OrderTracker } from '../src/orders/tracker.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import type { Db } from '../src/store/db.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

export const START = Date.UTC(2026, 2, 14, 9, 30, 0);

export class FakeClock {
  ms = START;
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function trackerConfig(overrides: Partial<Config['tracker']> = {}): Pick<Config, 'tracker'> {
  return { tracker: { pollIntervalMs: 1000, minEditIntervalMs: 3000, leaseSeconds: 30, maxOrders: 2000, ...overrides } };
}

/** A client for the simulator whose retries do not wait (faults stay fast). */
export function quietCoc(sim: Simulator): CocClient {
  return new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, sleep: async () => undefined, retry: { retries: 1 } });
}

/**
 * One simulator and its quiet client for the enclosing describe block: started before its tests,
 * closed after them; `use` receives them once started.
 */
export function onQuietSimulator(use: (started: { readonly sim: Simulator; readonly coc: CocClient }) => void): void {
  let started: { readonly sim: Simulator; readonly coc: CocClient } | undefined;
  beforeAll(async () => {
    const sim = await startSimulator({ tickMs: 0 });
    started = { sim, coc: quietCoc(sim) };
    use(started);
  });
  afterAll(async () => {
    await started?.coc.close();
    await started?.sim.close();
  });
}

export interface TestTracker {
  readonly tracker: OrderTracker;
  readonly surface: RecordingSurface;
  readonly errors: unknown[];
}

export function makeTracker(options: {
  readonly db: Db;
  readonly coc: CocClient;
  readonly clock: FakeClock;
  readonly owner?: string;
  readonly surface?: RecordingSurface;
  readonly config?: Partial<Config['tracker']>;
}): TestTracker {
  const surface = options.surface ?? new RecordingSurface('shell', () => options.clock.ms);
  const chat = new ChatSurfaces();
  chat.register(surface);
  const errors: unknown[] = [];
  const tracker = new OrderTracker({
    db: options.db,
    backend: createCocBackend(options.coc),
    chat,
    now: options.clock.now,
    config: trackerConfig(options.config),
    ...(options.owner ? { owner: options.owner } : {}),
    onError: (error) => errors.push(error),
  });
  return { tracker, surface, errors };
}

export const SECRET = 'Rotated_S3cret_Value';

function healthy(sim: Simulator) {
  return sim.world.hosts.filter(isHealthyHost);
}

/**
 * Starts an order through a client of its own: a write is never retried, and a kept-alive
 * connection of a long-lived client may have been closed by the simulator while the test
 * waited for a store to open.
 */
async function execute(sim: Simulator, script: string, body: ReturnType<typeof executeBody>): Promise<string> {
  const writer = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
  try {
    return await writer.executeScript(scriptUuid(sim, script), body);
  } finally {
    await writer.close();
  }
}

/** disk_usage on `batches` batches of `perBatch` healthy hosts (from `offset`, wrapping around), CONTINUE rotation. */
export async function simpleOrder(sim: Simulator, batches = 3, perBatch = 2, offset = 0): Promise<string> {
  const all = healthy(sim);
  const host = (i: number) => all[(offset + i) % all.length]!;
  return execute(sim, 'disk_usage', executeBody(Array.from({ length: batches }, (_, b) => ({ hosts: Array.from({ length: perBatch }, (_, h) => host(b * perBatch + h)) }))));
}

/** disk_usage whose batch 1 has a failing host while every host must succeed: it stops there (ABNORMAL). */
export async function failingOrder(sim: Simulator): Promise<string> {
  const good = healthy(sim);
  const flaky = sim.world.hosts.find((host) => host.name === 'batch-05');
  if (!flaky) throw new Error('batch-05 is missing from the simulated fleet');
  return execute(sim, 'disk_usage', executeBody([{ hosts: [good[6]!, flaky] }, { hosts: [good[7]!] }], { successRate: 100 }));
}

/** rotate_db_password (sensitive new_password) whose batch 1 has a failing host and PAUSE rotation. */
export async function pausingOrder(sim: Simulator): Promise<string> {
  const good = healthy(sim);
  const flaky = sim.world.hosts.find((host) => host.name === 'batch-05');
  if (!flaky) throw new Error('batch-05 is missing from the simulated fleet');
  return execute(
    sim,
    'rotate_db_password',
    executeBody(
      [
        { hosts: [good[0]!, flaky, good[1]!], rotation: 'PAUSE' },
        { hosts: [good[2]!, good[3]!], rotation: 'CONTINUE' },
        { hosts: [good[4]!] },
      ],
      { successRate: 50, params: [{ param_name: 'db_user', param_value: 'app' }, { param_name: 'new_password', param_value: SECRET }] },
    ),
  );
}

export function text(message: Message | undefined): string {
  return message ? renderMessage(message, PLAIN) : '';
}
