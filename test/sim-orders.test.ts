import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import type { Host } from '../src/sim/state/model.js';
import { call, executeBody, hostsIn, isHealthyHost, scriptUuid } from './sim-helpers.js';

const isFlaky = (host: Host) => host.tags.some((tag) => tag.key === 'flaky' && tag.value === 'true');

async function orderInfo(sim: Simulator, uuid: string) {
  return (await call(sim, 'GET', `/v1/job/script/orders/${uuid}`)).json.data;
}

async function statistics(sim: Simulator, uuid: string) {
  return (await call(sim, 'GET', `/v1/job/script/orders/${uuid}/statistics`)).json.data;
}

async function allInstances(sim: Simulator, uuid: string) {
  const batches = (await call(sim, 'GET', `/v1/job/script/orders/${uuid}/batches`)).json.data as any[];
  const instances: any[] = [];
  for (const batch of batches) {
    let marker: number | undefined;
    for (;;) {
      const page = (await call(sim, 'GET', `/v1/job/script/orders/${uuid}/batches/${batch.batch_index}?limit=3${marker === undefined ? '' : `&marker=${marker}`}`)).json.data;
      instances.push(...page.execute_instances.map((instance: any) => ({ ...instance, batch_index: batch.batch_index })));
      if (page.execute_instances.length < 3) break;
      marker = page.execute_instances.at(-1).id;
    }
  }
  return instances;
}

/** Statistics rebuilt from the per-instance view: they must agree with §1.11. */
function tally(instances: readonly any[]) {
  const byStatus = new Map<string, { count: number; batches: Set<number> }>();
  for (const instance of instances) {
    const entry = byStatus.get(instance.status) ?? { count: 0, batches: new Set<number>() };
    entry.count++;
    entry.batches.add(instance.batch_index);
    byStatus.set(instance.status, entry);
  }
  return ['READY', 'PROCESSING', 'ABNORMAL', 'CANCELED', 'FINISHED'].map((status) => ({
    instance_status: status,
    instance_count: byStatus.get(status)?.count ?? 0,
    batch_indexes: [...(byStatus.get(status)?.batches ?? [])].sort((a, b) => a - b),
  }));
}

async function operate(sim: Simulator, uuid: string, body: Record<string, unknown>) {
  return call(sim, 'PUT', `/v1/job/script/orders/${uuid}/operation`, body);
}

describe('execution order determinism', () => {
  it('gives the same outcomes and logs for the same seed and clock', async () => {
    const now = () => Date.UTC(2026, 0, 5, 8, 0, 0);
    const sims = await Promise.all([startSimulator({ seed: 9, now }), startSimulator({ seed: 9, now })]);
    try {
      const runs = await Promise.all(
        sims.map(async (sim) => {
          const hosts = hostsIn(sim, 'cn-north-4').slice(0, 8);
          const uuid = (await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'clear_tmp_files')}`, executeBody([{ hosts }], { successRate: 1 }))).json.data;
          sim.settle(uuid);
          return { uuid, instances: await allInstances(sim, uuid) };
        }),
      );
      expect(runs[0]?.uuid).toBe(runs[1]?.uuid);
      expect(runs[0]?.instances).toEqual(runs[1]?.instances);
    } finally {
      await Promise.all(sims.map((sim) => sim.close()));
    }
  });
});

describe('execution orders', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ seed: 42 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('runs 25 hosts in batches of 10, 10, 5, pauses after batch 1 and finishes after CONTINUE_ORDER', async () => {
    const pool = hostsIn(sim, 'cn-north-4');
    const healthy = pool.filter(isHealthyHost);
    const flaky = pool.filter(isFlaky);
    const offline = pool.filter((host) => host.agentState === 'OFFLINE');
    // Batch 1 holds one flaky and one offline host so outcomes differ per host.
    const hosts = [flaky[0], offline[0], ...healthy].filter((host): host is Host => host !== undefined).slice(0, 25);
    expect(hosts).toHaveLength(25);
    const created = await call(
      sim,
      'POST',
      `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`,
      executeBody([{ hosts: hosts.slice(0, 10), rotation: 'PAUSE' }, { hosts: hosts.slice(10, 20) }, { hosts: hosts.slice(20) }], { successRate: 50 }),
    );
    expect(created.status).toBe(200);
    const uuid = created.json.data as string;
    expect(uuid).toMatch(/^SCT\d{14}[0-9a-f]{9}$/);
    expect((await orderInfo(sim, uuid)).status).toBe('READY');

    sim.tick();
    let info = await orderInfo(sim, uuid);
    expect(info.status).toBe('PROCESSING');
    expect(info.properties.current_execute_batch_index).toBe(1);
    expect((await statistics(sim, uuid)).execute_statistics[1]).toEqual({ instance_status: 'PROCESSING', instance_count: 10, batch_indexes: [1] });

    sim.tick();
    info = await orderInfo(sim, uuid);
    expect(info.status).toBe('PAUSED');
    expect(info.properties.current_execute_batch_index).toBe(2);
    let instances = await allInstances(sim, uuid);
    let stats = await statistics(sim, uuid);
    expect(stats.total_instance).toBe(25);
    expect(stats.execute_statistics).toEqual(tally(instances));
    expect(stats.execute_statistics.find((entry: any) => entry.instance_status === 'ABNORMAL')).toEqual({ instance_status: 'ABNORMAL', instance_count: 2, batch_indexes: [1] });
    expect(stats.execute_statistics.find((entry: any) => entry.instance_status === 'READY').instance_count).toBe(15);

    sim.tick(5);
    expect((await orderInfo(sim, uuid)).status).toBe('PAUSED');

    expect((await operate(sim, uuid, { operation_type: 'CONTINUE_ORDER' })).json).toEqual({ data: uuid });
    expect(sim.settle(uuid)).toBe('FINISHED');
    info = await orderInfo(sim, uuid);
    expect(info.gmt_finished).toBeGreaterThanOrEqual(info.gmt_created);
    expect(info.execute_costs).toBe(info.gmt_finished - info.gmt_created);
    expect(info.properties.current_execute_batch_index).toBe(3);

    instances = await allInstances(sim, uuid);
    stats = await statistics(sim, uuid);
    expect(stats.execute_statistics).toEqual(tally(instances));
    for (const instance of instances) {
      const host = sim.world.hostByResourceId(instance.target_instance.resource_id) as Host;
      expect(instance.status).toBe(isHealthyHost(host) ? 'FINISHED' : 'ABNORMAL');
      expect(instance.message).toContain(host.name);
      expect(instance.execute_costs).toBe(instance.gmt_finished - instance.gmt_created);
    }
    expect(stats.execute_statistics.find((entry: any) => entry.instance_status === 'FINISHED').instance_count).toBe(23);

    const listed = (await call(sim, 'GET', '/v1/job/script/orders?limit=5&status=FINISHED')).json.data;
    expect(listed.data[0]).toMatchObject({ execute_uuid: uuid, order_name: 'disk_usage', status: 'FINISHED', creator: 'chatops-bot', properties: { region_ids: 'cn-north-4' } });
  });

  it('stops ABNORMAL when a batch falls below success_rate, leaving later batches READY', async () => {
    const pool = hostsIn(sim, 'cn-north-4');
    const flaky = pool.filter(isFlaky);
    const healthy = pool.filter(isHealthyHost);
    const uuid = (
      await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'check_service_status')}`, executeBody([{ hosts: [flaky[0] as Host, healthy[0] as Host] }, { hosts: healthy.slice(1, 4) }]))
    ).json.data;
    expect(sim.settle(uuid)).toBe('ABNORMAL');
    const stats = (await statistics(sim, uuid)).execute_statistics;
    expect(stats.find((entry: any) => entry.instance_status === 'READY')).toEqual({ instance_status: 'READY', instance_count: 3, batch_indexes: [2] });
    const refused = await operate(sim, uuid, { operation_type: 'CONTINUE_ORDER' });
    expect(refused.status).toBe(400);
    expect(refused.json.error_msg).toMatch(/already ABNORMAL/);
  });

  it('CANCEL_ORDER cancels every unfinished instance', async () => {
    const healthy = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
    const uuid = (await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: healthy.slice(0, 3) }, { hosts: healthy.slice(3, 6) }]))).json.data;
    sim.tick(); // batch 1 PROCESSING
    expect((await operate(sim, uuid, { operation_type: 'CANCEL_ORDER' })).status).toBe(200);
    const info = await orderInfo(sim, uuid);
    expect(info.status).toBe('CANCELED');
    expect(info.gmt_finished).not.toBeNull();
    const stats = (await statistics(sim, uuid)).execute_statistics;
    expect(stats.find((entry: any) => entry.instance_status === 'CANCELED')).toEqual({ instance_status: 'CANCELED', instance_count: 6, batch_indexes: [1, 2] });
    sim.tick(3);
    expect((await orderInfo(sim, uuid)).status).toBe('CANCELED');
    const again = await operate(sim, uuid, { operation_type: 'CANCEL_ORDER' });
    expect(again.status).toBe(400);
    expect(again.json.error_code).toBe('COC.00040604');
  });

  it('SKIP_BATCH cancels that batch only; CANCEL_INSTANCE cancels one instance', async () => {
    const healthy = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
    const uuid = (
      await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: healthy.slice(0, 3) }, { hosts: healthy.slice(3, 5) }, { hosts: healthy.slice(5, 8) }]))
    ).json.data;
    expect((await operate(sim, uuid, { operation_type: 'SKIP_BATCH', batch_index: 2 })).status).toBe(200);
    const missingIndex = await operate(sim, uuid, { operation_type: 'SKIP_BATCH' });
    expect(missingIndex.status).toBe(400);
    expect(missingIndex.json.error_msg).toMatch(/batch_index is required/);
    const noSuchBatch = await operate(sim, uuid, { operation_type: 'SKIP_BATCH', batch_index: 9 });
    expect(noSuchBatch.status).toBe(400);

    const batch3 = (await call(sim, 'GET', `/v1/job/script/orders/${uuid}/batches/3?limit=10`)).json.data.execute_instances;
    const victim = batch3[1].id as number;
    expect((await operate(sim, uuid, { operation_type: 'CANCEL_INSTANCE', instance_id: victim })).status).toBe(200);
    const twice = await operate(sim, uuid, { operation_type: 'CANCEL_INSTANCE', instance_id: victim });
    expect(twice.status).toBe(400);
    expect(twice.json.error_msg).toMatch(/already CANCELED/);
    const foreign = await operate(sim, uuid, { operation_type: 'CANCEL_INSTANCE', instance_id: 1 });
    expect(foreign.status).toBe(400);
    expect((await operate(sim, uuid, { operation_type: 'CANCEL_INSTANCE' })).json.error_msg).toMatch(/instance_id is required/);

    expect(sim.settle(uuid)).toBe('FINISHED');
    const instances = await allInstances(sim, uuid);
    expect(instances.filter((instance) => instance.batch_index === 2).map((instance) => instance.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(instances.find((instance) => instance.id === victim)?.status).toBe('CANCELED');
    expect(instances.filter((instance) => instance.status === 'FINISHED')).toHaveLength(5);
    expect((await statistics(sim, uuid)).execute_statistics).toEqual(tally(instances));
  });

  it('PAUSE_ORDER pauses before the next batch; CONTINUE_ORDER resumes; wrong-state operations are refused', async () => {
    const healthy = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
    const uuid = (await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: healthy.slice(0, 2) }, { hosts: healthy.slice(2, 4) }]))).json.data;
    const notPaused = await operate(sim, uuid, { operation_type: 'CONTINUE_ORDER' });
    expect(notPaused.status).toBe(400);
    expect(notPaused.json.error_msg).toMatch(/not PAUSED/);

    sim.tick(); // batch 1 running
    expect((await operate(sim, uuid, { operation_type: 'PAUSE_ORDER' })).status).toBe(200);
    expect((await orderInfo(sim, uuid)).status).toBe('PROCESSING');
    sim.tick(); // batch 1 completes, the pending pause takes effect
    expect((await orderInfo(sim, uuid)).status).toBe('PAUSED');
    const pausedTwice = await operate(sim, uuid, { operation_type: 'PAUSE_ORDER' });
    expect(pausedTwice.status).toBe(400);
    expect(pausedTwice.json.error_msg).toMatch(/already PAUSED/);

    expect((await operate(sim, uuid, { operation_type: 'CONTINUE_ORDER' })).status).toBe(200);
    expect(sim.settle(uuid)).toBe('FINISHED');
    const unknownOp = await operate(sim, uuid, { operation_type: 'RETRY_INSTANCE', instance_id: 1 });
    expect(unknownOp.status).toBe(400);
    expect((await operate(sim, 'SCT20990101000000000000000', { operation_type: 'CANCEL_ORDER' })).status).toBe(404);
  });

  it('echoes parameters, sensitive ones included, in per-host logs', async () => {
    const healthy = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
    const uuid = (
      await call(
        sim,
        'POST',
        `/v1/job/scripts/${scriptUuid(sim, 'rotate_db_password')}`,
        executeBody([{ hosts: healthy.slice(0, 1) }], { params: [{ param_name: 'new_password', param_value: 'Hunter2_secret' }] }),
      )
    ).json.data;
    sim.settle(uuid);
    const [instance] = await allInstances(sim, uuid);
    expect(instance.status).toBe('FINISHED');
    expect(instance.message).toContain("IDENTIFIED BY 'Hunter2_secret'");
    expect(instance.message).toContain('+ new_password=Hunter2_secret');
    const info = await orderInfo(sim, uuid);
    expect(info.properties.execute_param.script_params).toEqual([{ param_name: 'new_password', param_value: 'Hunter2_secret' }]);
  });

  it('caps logs at 1 MB and fails on exit_code, timeout and agent problems', async () => {
    const healthy = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
    const big = (
      await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'tail_app_logs')}`, executeBody([{ hosts: healthy.slice(0, 1) }], { params: [{ param_name: 'lines', param_value: '100000' }] }))
    ).json.data;
    const failing = (
      await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'health_check')}`, executeBody([{ hosts: healthy.slice(1, 2) }], { successRate: 1, params: [{ param_name: 'exit_code', param_value: '3' }] }))
    ).json.data;
    const slow = (
      await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'restart_nginx')}`, executeBody([{ hosts: healthy.slice(2, 3) }], { timeout: 5, params: [{ param_name: 'wait_seconds', param_value: '30' }] }))
    ).json.data;
    const noAgent = sim.world.hostByName('db-12') as Host;
    const absent = (await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: [noAgent] }]))).json.data;
    for (const uuid of [big, failing, slow, absent]) sim.settle(uuid);
    const [bigInstance] = await allInstances(sim, big);
    expect(Buffer.byteLength(bigInstance.message)).toBeLessThanOrEqual(1024 * 1024);
    expect(bigInstance.message).toContain('truncated');
    expect(bigInstance.message).toMatch(/exited with code 0 in \d+ ms\n$/);
    expect((await allInstances(sim, failing))[0].message).toMatch(/exited with code 3/);
    expect((await allInstances(sim, slow))[0].message).toMatch(/timed out after 5s/);
    const [absentInstance] = await allInstances(sim, absent);
    expect(absentInstance.status).toBe('ABNORMAL');
    expect(absentInstance.message).toMatch(/UniAgent is not installed/);
    expect((await orderInfo(sim, absent)).status).toBe('ABNORMAL');
  });

  it('enforces COC execution limits and target checks', async () => {
    const uuid = scriptUuid(sim, 'disk_usage');
    const all = sim.world.hosts;
    const cn = hostsIn(sim, 'cn-north-4');
    const ap = hostsIn(sim, 'ap-southeast-3');
    const base = executeBody([{ hosts: cn.slice(0, 2) }]);
    const cases: [unknown, number, RegExp][] = [
      [executeBody([{ hosts: cn.slice(0, 11) }]), 400, /target_instances size must be at most 10/],
      [executeBody(Array.from({ length: 21 }, (_, i) => ({ hosts: [all[i] as Host] }))), 400, /execute_batches size must be at most 20/],
      [{ ...base, execute_param: { ...base.execute_param, timeout: 4 } }, 400, /timeout must be at least 5/],
      [{ ...base, execute_param: { ...base.execute_param, timeout: 1801 } }, 400, /timeout must be at most 1800/],
      [{ ...base, execute_param: { ...base.execute_param, success_rate: 0 } }, 400, /success_rate must be at least 1/],
      [{ ...base, execute_param: { ...base.execute_param, success_rate: 99.55 } }, 400, /one decimal/],
      [{ ...base, execute_batches: [{ ...base.execute_batches[0], rotation_strategy: 'STOP' }] }, 400, /rotation_strategy must be one of CONTINUE\|PAUSE/],
      [{ ...base, execute_batches: [{ ...base.execute_batches[0], batch_index: 2 }] }, 400, /batch_index values must be 1\.\.1/],
      [{ ...base, execute_param: { ...base.execute_param, execute_user: undefined } }, 400, /execute_user must not be null/],
      [{ ...base, execute_param: { ...base.execute_param, script_params: [{ param_name: 'nope', param_value: 'x' }] } }, 400, /not a parameter of script disk_usage/],
      [{ ...base, execute_param: { ...base.execute_param, script_params: [{ param_name: 'mount_point', param_value: '/$(id)' }] } }, 400, /paramValue is invalid/],
      [executeBody([{ hosts: [cn[0] as Host, cn[0] as Host] }]), 400, /more than once/],
      [executeBody([{ hosts: [{ resourceId: 'i-do-not-exist', regionId: 'cn-north-4' }] }]), 400, /does not exist/],
      [executeBody([{ hosts: [{ resourceId: (ap[0] as Host).resourceId, regionId: 'cn-north-4' }] }]), 400, /is in region ap-southeast-3, not cn-north-4/],
    ];
    for (const [body, status, message] of cases) {
      const result = await call(sim, 'POST', `/v1/job/scripts/${uuid}`, body);
      expect(result.status, String(message)).toBe(status);
      expect(result.json.error_code, String(message)).toMatch(/^COC\.000406\d\d$/);
      expect(result.json.error_msg, String(message)).toMatch(message);
    }
    expect((await call(sim, 'POST', '/v1/job/scripts/SC00000000000000000000000', base)).status).toBe(404);
    // Jackson-style leniency: the reference example sends numbers as strings.
    const lenient = { ...base, execute_param: { ...base.execute_param, success_rate: '100.0' } };
    expect((await call(sim, 'POST', `/v1/job/scripts/${uuid}`, lenient)).status).toBe(200);
    expect(sim.world.orders.all()).toHaveLength(1);
  });

  it('runs public scripts through the same order engine', async () => {
    const list = (await call(sim, 'GET', '/v1/job/public-scripts?limit=10&name=COC_Check_System_Load')).json.data;
    const healthy = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
    const created = await call(sim, 'POST', `/v1/job/public-scripts/${list.data[0].script_uuid}`, executeBody([{ hosts: healthy.slice(0, 2) }]));
    expect(created.status).toBe(200);
    expect(sim.settle(created.json.data)).toBe('FINISHED');
    expect((await orderInfo(sim, created.json.data)).properties.script_source).toBe('PUBLIC_SCRIPT');
  });

  it('lists orders newest first with marker paging and filters', async () => {
    const healthy = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
    const uuids: string[] = [];
    for (let i = 0; i < 5; i++) uuids.push((await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: healthy.slice(i, i + 1) }]))).json.data);
    sim.settle(uuids[0] as string);
    const first = (await call(sim, 'GET', '/v1/job/script/orders?limit=2')).json.data;
    expect(first.total).toBe(5);
    expect(first.data.map((order: any) => order.execute_uuid)).toEqual([uuids[4], uuids[3]]);
    const next = (await call(sim, 'GET', `/v1/job/script/orders?limit=2&marker=${first.data[1].order_id}`)).json.data;
    expect(next.data.map((order: any) => order.execute_uuid)).toEqual([uuids[2], uuids[1]]);
    const finished = (await call(sim, 'GET', '/v1/job/script/orders?limit=10&status=FINISHED&creator=chatops-bot')).json.data;
    expect(finished.total).toBe(5);
    const future = (await call(sim, 'GET', `/v1/job/script/orders?limit=10&start_time=${sim.now() + 60_000}`)).json.data;
    expect(future.total).toBe(0);
    expect((await call(sim, 'GET', '/v1/job/script/orders?limit=101')).status).toBe(400);
    expect((await call(sim, 'GET', `/v1/job/script/orders/${uuids[0]}/batches/1?limit=51`)).status).toBe(400);
    expect((await call(sim, 'GET', `/v1/job/script/orders/${uuids[0]}/batches/1`)).json.error_msg).toMatch(/limit must not be null/);
  });

  it('ticks in time proportional to active work, with 1,000 live orders', async () => {
    const healthy = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
    const script = [...sim.world.scripts.values()].find((candidate) => candidate.name === 'disk_usage');
    if (!script) throw new Error('seed lost disk_usage');
    const started = performance.now();
    const bodies = Array.from({ length: 1000 }, (_, i) => executeBody([{ hosts: [healthy[i % healthy.length] as Host, healthy[(i + 1) % healthy.length] as Host] }, { hosts: [healthy[(i + 2) % healthy.length] as Host] }]));
    for (let i = 0; i < bodies.length; i += 50) {
      const chunk = bodies.slice(i, i + 50);
      const results = await Promise.all(chunk.map((body) => call(sim, 'POST', `/v1/job/scripts/${script.scriptUuid}`, body)));
      expect(results.every((result) => result.status === 200)).toBe(true);
    }
    const createdMs = performance.now() - started;
    const tickStarted = performance.now();
    sim.tick();
    const tickMs = performance.now() - tickStarted;
    expect(tickMs).toBeLessThan(200);
    sim.tick(4);
    expect(sim.world.orders.activeCount()).toBe(0);
    // Finished orders are not visited any more.
    const idleStarted = performance.now();
    sim.tick(100);
    expect(performance.now() - idleStarted).toBeLessThan(50);
    expect(createdMs).toBeLessThan(20_000);
  });
});
