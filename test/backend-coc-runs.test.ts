/**
 * The COC backend's runs group against the simulator: an order read back as a neutral run
 * (status with COC's code kept, batches, counts, a batch's hosts), the requests COC received,
 * operations as COC's operation bodies, the list with its paging cursor, and the error mapping
 * of an operation (refused vs may have acted) and of an unknown order (undefined).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { ORDER_OPERATIONS } from '../src/coc/api/orders.js';
import { BackendRefusedError, BackendUnavailableError, makeId, mayHaveActed, nativeOf, writeFailureOf, type RunId, type RunsCapability } from '../src/backends/index.js';
import { cocRuns, hostRunStateOf, runStateOf } from '../src/backends/coc/runs.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import type { Host } from '../src/sim/state/model.js';
import { routeKeyOf } from './coc-helpers.js';
import { isHealthyHost, scriptUuid, simClient, targetOf } from './sim-helpers.js';

const OPERATE_KEY = routeKeyOf(ORDER_OPERATIONS.operate);

let sim: Simulator;
let client: CocClient;
let runs: RunsCapability;
let hosts: Host[];

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, tickMs: 0 });
  client = simClient(sim, { timeoutMs: 5_000 });
  runs = cocRuns(client);
  hosts = sim.world.hosts.filter(isHealthyHost).slice(0, 3);
  expect(hosts).toHaveLength(3);
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.faults.clear();
  sim.resetRequests();
});


async function startTwoBatches(): Promise<RunId> {
  const id = await runs.start({
    script: { id: makeId('coc', 'script', scriptUuid(sim, 'disk_usage')) },
    batches: [
      { index: 1, rotation: 'PAUSE', hosts: [targetOf(hosts[0]!)] },
      { index: 2, rotation: 'CONTINUE', hosts: [targetOf(hosts[1]!), targetOf(hosts[2]!)] },
    ],
    timeoutSeconds: 60,
    successRate: 100,
    runAs: 'root',
    params: {},
  });
  sim.resetRequests();
  return id;
}

describe('cocRuns', () => {
  it('is the runs group of the COC backend, with COC limits and all five operations', () => {
    expect(createCocBackend(client).runs).toBeDefined();
    expect(runs.limits).toMatchObject({ maxHosts: 200, maxHostsPerBatch: 10, maxBatches: 20, timeoutSeconds: { min: 5, max: 1800 } });
    expect([...runs.operations].sort()).toEqual(['cancel', 'cancel-host', 'continue', 'pause', 'skip-batch']);
    expect(runs.startOperation).toEqual({ backend: 'coc', method: 'POST', route: '/v1/job/scripts/{script_uuid}', write: true });
    expect(runs.listStatusCodes).toContain('PROCESSING');
    expect(runs.operationCodes).toEqual({ pause: 'PAUSE_ORDER', continue: 'CONTINUE_ORDER', cancel: 'CANCEL_ORDER', 'skip-batch': 'SKIP_BATCH', 'cancel-host': 'CANCEL_INSTANCE' });
  });

  it('maps COC status codes to run and host states, keeping the code, and an unknown code to other', () => {
    expect(runStateOf('PROCESSING')).toEqual({ state: 'running', code: 'PROCESSING' });
    expect(runStateOf('ABNORMAL')).toEqual({ state: 'failed', code: 'ABNORMAL' });
    expect(runStateOf('ROLLBACKED')).toEqual({ state: 'rolled-back', code: 'ROLLBACKED' });
    expect(runStateOf('SOMETHING_NEW')).toEqual({ state: 'other', code: 'SOMETHING_NEW' });
    expect(hostRunStateOf('FINISHED')).toEqual({ state: 'succeeded', code: 'FINISHED' });
    expect(hostRunStateOf(undefined)).toEqual({ state: 'other', code: '' });
  });

  it('reads an order as a run, keeping COC codes, from the order route', async () => {
    const id = await startTwoBatches();
    const run = await runs.read(id);
    expect(run?.id).toBe(id);
    expect(run?.status.code).toBe(sim.world.orders.get(nativeOf(id))!.status);
    expect(['waiting', 'running']).toContain(run?.status.state);
    expect(run?.script.id).toBe(makeId('coc', 'script', scriptUuid(sim, 'disk_usage')));
    expect(run?.successRate).toBe(100);
    expect(sim.requests.map((record) => record.path)).toEqual([`/v1/job/script/orders/${nativeOf(id)}`]);
  });

  it('answers undefined for an order COC does not know', async () => {
    await expect(runs.read(makeId('coc', 'run', 'SCT-no-such-order'))).resolves.toBeUndefined();
  });

  it('maps batches, counts and a batch\'s hosts', async () => {
    const id = await startTwoBatches();
    sim.tick(5);
    const batches = await runs.batches(id);
    expect(batches).toEqual([
      { index: 1, hostCount: 1, rotation: { state: 'pause', code: 'PAUSE' } },
      { index: 2, hostCount: 2, rotation: { state: 'continue', code: 'CONTINUE' } },
    ]);
    const progress = await runs.progress(id);
    expect(progress.total).toBe(3);
    const counted = progress.counts.reduce((sum, entry) => sum + (entry.count ?? 0), 0);
    expect(counted).toBe(3);
    const first = await runs.batch(id, 1, { limit: 50 });
    expect(first.hosts).toHaveLength(1);
    const host = first.hosts[0]!;
    expect(host.ref).toMatch(/^coc:host-run:\d+$/);
    expect(host.host.id).toBe(makeId('coc', 'host', hosts[0]!.resourceId));
    expect(host.host.name).toBe(hosts[0]!.name);
    const batchRequest = sim.requests.find((record) => record.path === `/v1/job/script/orders/${nativeOf(id)}/batches/1`);
    expect(batchRequest?.query).toMatchObject({ limit: ['50'] });
  });

  it('filters a batch by host state with COC\'s status', async () => {
    const id = await startTwoBatches();
    await runs.batch(id, 2, { state: 'failed', limit: 10 });
    const sent = sim.requests.find((record) => record.path === `/v1/job/script/orders/${nativeOf(id)}/batches/2`);
    expect(sent?.query).toMatchObject({ limit: ['10'], status: ['ABNORMAL'] });
  });

  it('sends operations as COC operation bodies', async () => {
    const id = await startTwoBatches();
    await runs.operate!(id, { kind: 'pause' });
    await runs.operate!(id, { kind: 'skip-batch', batch: 2 });
    const batch = await runs.batch(id, 1, { limit: 50 });
    await runs.operate!(id, { kind: 'cancel-host', batch: 1, host: batch.hosts[0]!.ref });
    const bodies = sim.requests.filter((record) => record.routeKey === OPERATE_KEY).map((record) => record.body);
    expect(bodies).toEqual([
      { operation_type: 'PAUSE_ORDER' },
      { operation_type: 'SKIP_BATCH', batch_index: 2 },
      { operation_type: 'CANCEL_INSTANCE', instance_id: Number(nativeOf(batch.hosts[0]!.ref)) },
    ]);
  });

  it('an operation COC refuses with its own error body is refused: nothing acted', async () => {
    const id = await startTwoBatches();
    sim.faults.set(OPERATE_KEY, { kind: 'status', status: 400, errorCode: 'COC.00040001', errorMsg: 'bad request', times: 1 });
    const error = await runs.operate!(id, { kind: 'cancel' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendRefusedError);
    expect(mayHaveActed(error)).toBe(false);
    expect(writeFailureOf(error)).toBe('refused');
  });

  it('an operation whose answer was lost may have acted: unknown', async () => {
    const id = await startTwoBatches();
    sim.faults.set(OPERATE_KEY, { kind: 'reset', afterHandling: true, times: 1 });
    const error = await runs.operate!(id, { kind: 'cancel' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(mayHaveActed(error)).toBe(true);
    expect(writeFailureOf(error)).toBe('unknown');
  });

  it('lists orders with COC\'s filters and gives the last order id as the next page', async () => {
    await startTwoBatches();
    await startTwoBatches();
    const page = await runs.list!({ limit: 1, creator: 'nobody-in-particular', statusCode: 'PROCESSING', from: 1 });
    const sent = sim.requests.find((record) => record.routeKey === routeKeyOf(ORDER_OPERATIONS.list));
    expect(sent?.query).toMatchObject({ limit: ['1'], creator: ['nobody-in-particular'], status: ['PROCESSING'], start_time: ['1'] });
    expect(page.items.length).toBeLessThanOrEqual(1);
    const all = await runs.list!({ limit: 1 });
    expect(all.items).toHaveLength(1);
    expect(all.items[0]!.id).toMatch(/^coc:run:/);
    expect(all.next).toBe(all.items[0]!.listPosition);
    const after = await runs.list!({ limit: 1, after: all.next! });
    expect(after.items[0]?.id).not.toBe(all.items[0]!.id);
  });
});
