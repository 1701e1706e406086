/**
 * A script execution order driven end to end through the COC client against the simulator
 * (manual ticks): 25 hosts in batches of 10, 10 and 5 with PAUSE rotation, two of them flaky;
 * CONTINUE_ORDER after each pause; then cancel, pause, skip-batch and cancel-instance. After
 * every step the order statistics must equal what the per-batch instance lists say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CocApiError, CocClient, type ExecInstance, type ScriptExecuteInput, type ScriptOrderStatistics } from '../src/coc/index.js';
import { ErrorCodes } from '../src/sim/http/error-codes.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import type { Host } from '../src/sim/state/model.js';
import { executeBody, isHealthyHost } from './sim-helpers.js';

/** Small pages, so reading a batch of 10 takes several requests with `marker`. */
const PAGE_SIZE = 4;

let sim: Simulator;
let coc: CocClient;
let diskUsageScript: string;
/** Hosts whose runs succeed (ONLINE UniAgent, Linux, not flaky). */
let healthyPool: Host[];
let flakyHosts: Host[];

const isFlaky = (host: Host) => host.tags.some((tag) => tag.key === 'flaky' && tag.value === 'true');

/** Disjoint groups of healthy hosts of the given sizes, for the batches of one order (a host may be in one batch only). */
function healthyGroups(...sizes: number[]): Host[][] {
  let start = 0;
  return sizes.map((size) => {
    const group = healthyPool.slice(start, start + size);
    expect(group).toHaveLength(size);
    start += size;
    return group;
  });
}

interface InstanceView {
  readonly batchIndex: number;
  readonly id: number;
  readonly resourceId: string;
  readonly status: string;
  readonly message: string;
}

/** Every instance of the order, batch by batch, page by page, through the client. */
async function readInstances(executeUuid: string): Promise<InstanceView[]> {
  const batches = await coc.listScriptOrderBatches(executeUuid);
  const instances: InstanceView[] = [];
  for (const batch of batches) {
    let marker: number | undefined;
    const seen: ExecInstance[] = [];
    for (;;) {
      const page = await coc.getScriptOrderBatch(executeUuid, batch.batch_index, { limit: PAGE_SIZE, ...(marker === undefined ? {} : { marker }) });
      expect(page.batch_index).toBe(batch.batch_index);
      expect(page.total_instances).toBe(batch.total_instances);
      const rows = page.execute_instances ?? [];
      seen.push(...rows);
      if (rows.length < PAGE_SIZE) break;
      marker = rows.at(-1)?.id;
    }
    expect(seen, `batch ${batch.batch_index} read completely`).toHaveLength(batch.total_instances ?? -1);
    instances.push(
      ...seen.map((instance) => ({
        batchIndex: batch.batch_index,
        id: instance.id,
        resourceId: instance.target_instance?.resource_id ?? '',
        status: instance.status,
        message: instance.message ?? '',
      })),
    );
  }
  return instances;
}

/** Statistics rebuilt from the per-instance lists, in the order the statistics list the statuses. */
function tally(instances: readonly InstanceView[], statuses: readonly string[]): ScriptOrderStatistics {
  return {
    total_instance: instances.length,
    execute_statistics: statuses.map((status) => {
      const matching = instances.filter((instance) => instance.status === status);
      return {
        instance_status: status,
        instance_count: matching.length,
        batch_indexes: [...new Set(matching.map((instance) => instance.batchIndex))].sort((a, b) => a - b),
      };
    }),
  };
}

/** Reads statistics and instances through the client and checks they agree; returns both. */
async function consistentView(executeUuid: string) {
  const statistics = await coc.getScriptOrderStatistics(executeUuid);
  const instances = await readInstances(executeUuid);
  const statuses = (statistics.execute_statistics ?? []).map((entry) => entry.instance_status);
  expect(new Set(statuses).size, 'each status listed once').toBe(statuses.length);
  for (const instance of instances) expect(statuses, `status ${instance.status} of instance ${instance.id} is in the statistics`).toContain(instance.status);
  expect(statistics).toEqual(tally(instances, statuses));
  const byStatus = (status: string) => statistics.execute_statistics?.find((entry) => entry.instance_status === status);
  return { statistics, instances, byStatus };
}

async function expectOrder(executeUuid: string, status: string, currentBatch: number) {
  const order = await coc.getScriptOrder(executeUuid);
  expect(order.status).toBe(status);
  expect(order.properties?.current_execute_batch_index).toBe(currentBatch);
  return order;
}

async function expectRefused(operation: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await operation.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CocApiError);
  expect(error).toMatchObject({ status: 400, errorCode: ErrorCodes.JOB_OPERATION_NOT_ALLOWED });
  expect((error as CocApiError).errorMsg).toMatch(message);
}

/** Batches of healthy hosts of the given sizes, CONTINUE rotation. */
function healthyBatches(...sizes: number[]): { hosts: Host[] }[] {
  return healthyGroups(...sizes).map((hosts) => ({ hosts }));
}

function execute(batches: Parameters<typeof executeBody>[0], successRate: number): Promise<string> {
  const body: ScriptExecuteInput = executeBody(batches, { successRate });
  return coc.executeScript(diskUsageScript, body);
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 42, tickMs: 0 });
  coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, timeoutMs: 5_000 });
  const scripts = await coc.listScripts({ limit: 10, name_like: 'disk_usage' });
  diskUsageScript = scripts.data?.find((script) => script.name === 'disk_usage')?.script_uuid ?? '';
  expect(diskUsageScript).not.toBe('');
  healthyPool = sim.world.hosts.filter(isHealthyHost);
  flakyHosts = sim.world.hosts.filter((host) => isFlaky(host) && host.agentState === 'ONLINE' && host.osType === 'linux');
  expect(flakyHosts.length).toBeGreaterThanOrEqual(2);
});

afterAll(async () => {
  await coc?.close();
  await sim?.close();
});

describe('25 hosts, batches of 10/10/5 with PAUSE rotation, two flaky hosts', () => {
  it('pauses after batches 1 and 2, continues on CONTINUE_ORDER, finishes; statistics match the batch lists at every step', async () => {
    const flaky = flakyHosts.slice(0, 2) as [Host, Host];
    const [firstFive, nextFour, nine, lastFive] = healthyGroups(5, 4, 9, 5) as [Host[], Host[], Host[], Host[]];
    const batch1 = [...firstFive, flaky[0], ...nextFour];
    const batch2 = [...nine, flaky[1]];
    const batch3 = lastFive;
    const allHosts = [...batch1, ...batch2, ...batch3];
    expect(allHosts).toHaveLength(25);
    expect(allHosts.every((host) => host.agentState === 'ONLINE')).toBe(true);
    expect(allHosts.filter(isFlaky)).toHaveLength(2);

    // 9 of 10 succeed in each of the first two batches: 90% ≥ 80%, so the order goes on.
    const executeUuid = await execute(
      [
        { hosts: batch1, rotation: 'PAUSE' },
        { hosts: batch2, rotation: 'PAUSE' },
        { hosts: batch3, rotation: 'PAUSE' },
      ],
      80,
    );
    await expectOrder(executeUuid, 'READY', 1);
    expect((await coc.listScriptOrderBatches(executeUuid)).map((batch) => [batch.batch_index, batch.total_instances, batch.rotation_strategy])).toEqual([
      [1, 10, 'PAUSE'],
      [2, 10, 'PAUSE'],
      [3, 5, 'PAUSE'],
    ]);
    let view = await consistentView(executeUuid);
    expect(view.byStatus('READY')).toEqual({ instance_status: 'READY', instance_count: 25, batch_indexes: [1, 2, 3] });
    expect(view.instances.map((instance) => instance.resourceId)).toEqual(allHosts.map((host) => host.resourceId));

    // Batch 1 starts, then finishes: PAUSE rotation stops the order with batch 2 next.
    sim.tick();
    await expectOrder(executeUuid, 'PROCESSING', 1);
    view = await consistentView(executeUuid);
    expect(view.byStatus('PROCESSING')).toEqual({ instance_status: 'PROCESSING', instance_count: 10, batch_indexes: [1] });
    sim.tick();
    await expectOrder(executeUuid, 'PAUSED', 2);
    view = await consistentView(executeUuid);
    expect(view.byStatus('FINISHED')).toEqual({ instance_status: 'FINISHED', instance_count: 9, batch_indexes: [1] });
    expect(view.byStatus('ABNORMAL')).toEqual({ instance_status: 'ABNORMAL', instance_count: 1, batch_indexes: [1] });
    expect(view.byStatus('READY')).toEqual({ instance_status: 'READY', instance_count: 15, batch_indexes: [2, 3] });

    // A paused order does not move on its own.
    sim.tick(5);
    await expectOrder(executeUuid, 'PAUSED', 2);

    expect(await coc.operateScriptOrder(executeUuid, { operation_type: 'CONTINUE_ORDER' })).toBe(executeUuid);
    await expectOrder(executeUuid, 'PROCESSING', 2);
    sim.tick();
    view = await consistentView(executeUuid);
    expect(view.byStatus('PROCESSING')).toEqual({ instance_status: 'PROCESSING', instance_count: 10, batch_indexes: [2] });
    sim.tick();
    // Batch 2 also rotates with PAUSE: paused again, batch 3 next.
    await expectOrder(executeUuid, 'PAUSED', 3);
    view = await consistentView(executeUuid);
    expect(view.byStatus('FINISHED')).toEqual({ instance_status: 'FINISHED', instance_count: 18, batch_indexes: [1, 2] });
    expect(view.byStatus('ABNORMAL')).toEqual({ instance_status: 'ABNORMAL', instance_count: 2, batch_indexes: [1, 2] });
    expect(view.byStatus('READY')).toEqual({ instance_status: 'READY', instance_count: 5, batch_indexes: [3] });

    expect(await coc.operateScriptOrder(executeUuid, { operation_type: 'CONTINUE_ORDER' })).toBe(executeUuid);
    sim.tick(2);
    // The last batch ends the order, PAUSE rotation or not.
    const finished = await expectOrder(executeUuid, 'FINISHED', 3);
    expect(finished.gmt_finished).toBeGreaterThanOrEqual(finished.gmt_created ?? Number.POSITIVE_INFINITY);
    expect(finished.execute_costs).toBe((finished.gmt_finished ?? 0) - (finished.gmt_created ?? 0));

    view = await consistentView(executeUuid);
    expect(view.statistics.total_instance).toBe(25);
    expect(view.byStatus('FINISHED')).toEqual({ instance_status: 'FINISHED', instance_count: 23, batch_indexes: [1, 2, 3] });
    expect(view.byStatus('ABNORMAL')).toEqual({ instance_status: 'ABNORMAL', instance_count: 2, batch_indexes: [1, 2] });
    for (const status of ['READY', 'PROCESSING', 'CANCELED']) expect(view.byStatus(status)?.instance_count ?? 0).toBe(0);

    // The flaky hosts, and only they, are ABNORMAL; every log names its host.
    const abnormal = view.instances.filter((instance) => instance.status === 'ABNORMAL').map((instance) => instance.resourceId);
    expect(abnormal.sort()).toEqual(flaky.map((host) => host.resourceId).sort());
    for (const instance of view.instances) {
      const host = allHosts.find((candidate) => candidate.resourceId === instance.resourceId) as Host;
      expect(instance.message).toContain(host.name);
    }
    // The status filter of the batch detail agrees.
    const abnormalInBatch1 = await coc.getScriptOrderBatch(executeUuid, 1, { limit: 10, status: 'ABNORMAL' });
    expect(abnormalInBatch1.execute_instances?.map((instance) => instance.target_instance?.resource_id)).toEqual([flaky[0].resourceId]);

    await expectRefused(coc.operateScriptOrder(executeUuid, { operation_type: 'CONTINUE_ORDER' }), /already FINISHED/);
    const listed = await coc.listScriptOrders({ limit: 10, status: 'FINISHED' });
    expect(listed.data?.find((order) => order.execute_uuid === executeUuid)).toMatchObject({ order_name: 'disk_usage', status: 'FINISHED' });
  });
});

describe('operating an order through the client', () => {
  it('PAUSE_ORDER during a batch pauses after it; CANCEL_ORDER while paused cancels the rest', async () => {
    const executeUuid = await execute(healthyBatches(4, 4), 100);
    sim.tick();
    await expectOrder(executeUuid, 'PROCESSING', 1);
    expect(await coc.operateScriptOrder(executeUuid, { operation_type: 'PAUSE_ORDER' })).toBe(executeUuid);
    await expectRefused(coc.operateScriptOrder(executeUuid, { operation_type: 'PAUSE_ORDER' }), /already pauses/);
    sim.tick();
    await expectOrder(executeUuid, 'PAUSED', 2);

    expect(await coc.operateScriptOrder(executeUuid, { operation_type: 'CANCEL_ORDER' })).toBe(executeUuid);
    const canceled = await expectOrder(executeUuid, 'CANCELED', 2);
    expect(canceled.gmt_finished).not.toBeNull();
    const view = await consistentView(executeUuid);
    expect(view.byStatus('FINISHED')).toEqual({ instance_status: 'FINISHED', instance_count: 4, batch_indexes: [1] });
    expect(view.byStatus('CANCELED')).toEqual({ instance_status: 'CANCELED', instance_count: 4, batch_indexes: [2] });
    sim.tick(3);
    await expectOrder(executeUuid, 'CANCELED', 2);
    await expectRefused(coc.operateScriptOrder(executeUuid, { operation_type: 'CANCEL_ORDER' }), /already CANCELED/);
  });

  it('CANCEL_ORDER during a batch cancels the running and the waiting instances', async () => {
    const executeUuid = await execute(healthyBatches(3, 3), 100);
    sim.tick();
    expect(await coc.operateScriptOrder(executeUuid, { operation_type: 'CANCEL_ORDER' })).toBe(executeUuid);
    await expectOrder(executeUuid, 'CANCELED', 1);
    const view = await consistentView(executeUuid);
    expect(view.byStatus('CANCELED')).toEqual({ instance_status: 'CANCELED', instance_count: 6, batch_indexes: [1, 2] });
    // Instances that were running keep the start of their log.
    for (const instance of view.instances) expect(instance.message).toMatch(instance.batchIndex === 1 ? /\S[\s\S]*canceled by operator/ : /^\[canceled by operator\]/);
  });

  it('SKIP_BATCH and CANCEL_INSTANCE cancel exactly what they name; the order still finishes', async () => {
    const executeUuid = await execute(healthyBatches(3, 3, 3), 100);
    expect(await coc.operateScriptOrder(executeUuid, { operation_type: 'SKIP_BATCH', batch_index: 2 })).toBe(executeUuid);
    await expectRefused(coc.operateScriptOrder(executeUuid, { operation_type: 'SKIP_BATCH', batch_index: 2 }), /no unfinished instances/);
    await expectRefused(coc.operateScriptOrder(executeUuid, { operation_type: 'SKIP_BATCH', batch_index: 9 }), /has no batch 9/);

    const batch3 = (await coc.getScriptOrderBatch(executeUuid, 3, { limit: 10 })).execute_instances ?? [];
    const victim = batch3[1]?.id as number;
    expect(await coc.operateScriptOrder(executeUuid, { operation_type: 'CANCEL_INSTANCE', instance_id: victim })).toBe(executeUuid);
    await expectRefused(coc.operateScriptOrder(executeUuid, { operation_type: 'CANCEL_INSTANCE', instance_id: victim }), /already CANCELED/);

    let view = await consistentView(executeUuid);
    expect(view.byStatus('CANCELED')).toEqual({ instance_status: 'CANCELED', instance_count: 4, batch_indexes: [2, 3] });
    expect(view.byStatus('READY')).toEqual({ instance_status: 'READY', instance_count: 5, batch_indexes: [1, 3] });

    // Batch 1 runs (two ticks), batch 2 has nothing left to run, batch 3 runs its two remaining hosts.
    expect(sim.settle(executeUuid, 20)).toBe('FINISHED');
    await expectOrder(executeUuid, 'FINISHED', 3);
    view = await consistentView(executeUuid);
    expect(view.byStatus('FINISHED')).toEqual({ instance_status: 'FINISHED', instance_count: 5, batch_indexes: [1, 3] });
    expect(view.byStatus('CANCELED')).toEqual({ instance_status: 'CANCELED', instance_count: 4, batch_indexes: [2, 3] });
    expect(view.instances.find((instance) => instance.id === victim)?.status).toBe('CANCELED');
    expect(view.instances.filter((instance) => instance.batchIndex === 2).map((instance) => instance.status)).toEqual(['CANCELED', 'CANCELED', 'CANCELED']);
  });

  it('SKIP_BATCH on the running batch cancels it mid-run; CANCEL_INSTANCE of a host from another order is refused', async () => {
    const first = await execute(healthyBatches(3, 2), 100);
    const other = await execute(healthyBatches(1), 100);
    const foreignInstance = (await coc.getScriptOrderBatch(other, 1, { limit: 1 })).execute_instances?.[0]?.id as number;
    await expectRefused(coc.operateScriptOrder(first, { operation_type: 'CANCEL_INSTANCE', instance_id: foreignInstance }), /does not belong/);

    sim.tick();
    let view = await consistentView(first);
    expect(view.byStatus('PROCESSING')).toEqual({ instance_status: 'PROCESSING', instance_count: 3, batch_indexes: [1] });
    expect(await coc.operateScriptOrder(first, { operation_type: 'SKIP_BATCH', batch_index: 1 })).toBe(first);
    view = await consistentView(first);
    expect(view.byStatus('CANCELED')).toEqual({ instance_status: 'CANCELED', instance_count: 3, batch_indexes: [1] });
    expect(sim.settle(first, 20)).toBe('FINISHED');
    view = await consistentView(first);
    expect(view.byStatus('FINISHED')).toEqual({ instance_status: 'FINISHED', instance_count: 2, batch_indexes: [2] });
    expect(view.byStatus('CANCELED')).toEqual({ instance_status: 'CANCELED', instance_count: 3, batch_indexes: [1] });
    // The other order was never touched by the refused operation.
    expect(sim.settle(other, 20)).toBe('FINISHED');
    expect((await consistentView(other)).byStatus('FINISHED')?.instance_count).toBe(1);
  });
});
