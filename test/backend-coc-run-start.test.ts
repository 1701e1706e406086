/**
 * The COC backend's run start against the simulator: the execute request built from a neutral
 * ExecutionRequest (what COC received), the start's errors in the neutral form (refused vs may
 * have acted), the schema check without sending, and the search for an order whose answer was lost.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { ORDER_OPERATIONS } from '../src/coc/api/orders.js';
import { BackendRefusedError, BackendUnavailableError, makeId, mayHaveActed, writeFailureOf, type ExecutionRequest } from '../src/backends/index.js';
import { cocCheck, cocFind, cocStart } from '../src/backends/coc/run-start.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import type { Host } from '../src/sim/state/model.js';
import { routeKeyOf } from './coc-helpers.js';
import { isHealthyHost, scriptUuid, simClient, targetOf } from './sim-helpers.js';

const EXECUTE_KEY = routeKeyOf(ORDER_OPERATIONS.execute);

let sim: Simulator;
let client: CocClient;
let hosts: Host[];

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, tickMs: 0 });
  client = simClient(sim, { timeoutMs: 5_000 });
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


function request(overrides: Partial<ExecutionRequest> = {}): ExecutionRequest {
  return {
    script: { id: makeId('coc', 'script', scriptUuid(sim, 'disk_usage')) },
    batches: [
      { index: 1, rotation: 'PAUSE', hosts: [targetOf(hosts[0]!)] },
      { index: 2, rotation: 'CONTINUE', hosts: [targetOf(hosts[1]!), targetOf(hosts[2]!)] },
    ],
    timeoutSeconds: 60,
    successRate: 100,
    runAs: 'root',
    params: {},
    ...overrides,
  };
}

describe('cocStart', () => {
  it('sends the batches, hosts and options as COC takes them and answers with the run id', async () => {
    const id = await cocStart(client, request());
    const [sent] = sim.requests.filter((record) => record.routeKey === EXECUTE_KEY);
    expect(sent?.path).toBe(`/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`);
    expect(sent?.body).toEqual({
      execute_param: { timeout: 60, success_rate: 100, execute_user: 'root', script_params: [] },
      execute_batches: [
        { batch_index: 1, rotation_strategy: 'PAUSE', target_instances: [{ resource_id: hosts[0]!.resourceId, region_id: hosts[0]!.regionId }] },
        {
          batch_index: 2,
          rotation_strategy: 'CONTINUE',
          target_instances: [hosts[1]!, hosts[2]!].map((host) => ({ resource_id: host.resourceId, region_id: host.regionId })),
        },
      ],
    });
    expect(id).toMatch(/^coc:run:/);
    expect(sim.world.orders.get(id.slice('coc:run:'.length))).toBeDefined();
  });

  it('is refused when COC says no with its own error body: nothing acted', async () => {
    sim.faults.set(EXECUTE_KEY, { kind: 'status', status: 400, errorCode: 'COC.00040001', errorMsg: 'bad request', times: 1 });
    const error = await cocStart(client, request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendRefusedError);
    expect(mayHaveActed(error)).toBe(false);
    expect(writeFailureOf(error)).toBe('refused');
  });

  it('may have acted when the answer is lost after COC handled it, and is never sent twice', async () => {
    sim.faults.set(EXECUTE_KEY, { kind: 'reset', afterHandling: true, times: 1 });
    const error = await cocStart(client, request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(writeFailureOf(error)).toBe('unknown');
    expect(sim.requests.filter((record) => record.routeKey === EXECUTE_KEY)).toHaveLength(1);
  });
});

describe('cocCheck', () => {
  it('finds nothing wrong with a request COC takes, and sends nothing', () => {
    expect(cocCheck(request())).toEqual([]);
    expect(sim.requests).toHaveLength(0);
  });

  it('names where COC would refuse a request', () => {
    const problems = cocCheck(request({ timeoutSeconds: 4 }));
    expect(problems[0]?.path).toBe('execute_param.timeout');
    expect(problems[0]?.message).not.toBe('');
  });
});

describe('cocFind', () => {
  it('finds the order a start created when its answer was lost, unless another plan holds it', async () => {
    const sentAt = new Date(sim.now());
    const wanted = request({ batches: [{ index: 1, rotation: 'CONTINUE', hosts: [targetOf(hosts[2]!)] }] });
    sim.faults.set(EXECUTE_KEY, { kind: 'reset', afterHandling: true, times: 1 });
    await cocStart(client, wanted).catch(() => undefined);
    const created = sim.world.orders.all().filter((order) => order.batches[0]?.instances.some((instance: unknown) => JSON.stringify(instance).includes(hosts[2]!.resourceId)) && order.batches.length === 1);
    expect(created).toHaveLength(1);

    const found = await cocFind(client, { sentAt, request: wanted, windowMs: 5_000, takenByOther: async () => false });
    expect(found).toEqual({ kind: 'found', id: makeId('coc', 'run', created[0]!.executeUuid) });
    const id = makeId('coc', 'run', created[0]!.executeUuid);
    expect(sim.requests.some((record) => record.routeKey === routeKeyOf(ORDER_OPERATIONS.list))).toBe(true);

    const taken = await cocFind(client, { sentAt, request: wanted, windowMs: 5_000, takenByOther: async (candidate) => candidate === id });
    expect(taken.kind).toBe('absent');
  });

  it('finds nothing for hosts no order went to', async () => {
    const sentAt = new Date(sim.now());
    const other = request({ batches: [{ index: 1, rotation: 'CONTINUE', hosts: [{ ...targetOf(hosts[0]!), id: makeId('coc', 'host', 'not-a-host') }] }] });
    const found = await cocFind(client, { sentAt, request: other, windowMs: 5_000, takenByOther: async () => false });
    expect(found.kind).toBe('absent');
  });
});
