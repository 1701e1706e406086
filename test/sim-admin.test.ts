import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROUTE_KEYS, startSimulator, type Simulator } from '../src/sim/server.js';
import { call, executeBody, hostsIn, scriptUuid } from './sim-helpers.js';

async function admin(sim: Simulator, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}/__sim${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
}

describe('admin endpoint /__sim', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ seed: 42, requestLogCapacity: 50 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('needs no COC auth and describes the world', async () => {
    expect((await admin(sim, 'GET', '/health')).json).toEqual({ ok: true });
    const world = (await admin(sim, 'GET', '/world')).json;
    expect(world.seed).toBe(42);
    expect(world.hosts.length).toBeGreaterThanOrEqual(50);
    expect(world.scripts.find((script: any) => script.name === 'rotate_db_password').params.find((param: any) => param.sensitive).default).toBe('******');
  });

  it('arms and clears faults over HTTP', async () => {
    const armed = await admin(sim, 'POST', '/faults', { key: 'GET /v1/job/scripts', fault: { kind: 'status', status: 500, times: 1 } });
    expect(armed.status).toBe(200);
    expect(armed.json.faults).toEqual([{ key: 'GET /v1/job/scripts', fault: { kind: 'status', status: 500, times: 1 }, remaining: 1 }]);
    expect((await call(sim, 'GET', '/v1/job/scripts?limit=1')).status).toBe(500);
    expect((await call(sim, 'GET', '/v1/job/scripts?limit=1')).status).toBe(200);

    await admin(sim, 'POST', '/faults', { faults: [{ key: '*', fault: { kind: 'rate-limit', retryAfterSeconds: 2 } }] });
    expect((await call(sim, 'GET', '/v1/job/scripts?limit=1')).status).toBe(429);
    expect((await admin(sim, 'GET', '/health')).status).toBe(200);
    expect((await admin(sim, 'DELETE', '/faults')).json.faults).toEqual([]);
    expect((await call(sim, 'GET', '/v1/job/scripts?limit=1')).status).toBe(200);

    const typo = await admin(sim, 'POST', '/faults', { key: 'GET /v1/nope', fault: { kind: 'hang' } });
    expect(typo.status).toBe(400);
    const badKind = await admin(sim, 'POST', '/faults', { key: '*', fault: { kind: 'explode' } });
    expect(badKind.status).toBe(400);
  });

  it('ticks orders and moves the clock', async () => {
    const hosts = hostsIn(sim, 'cn-north-4').filter((host) => host.agentState === 'ONLINE').slice(0, 2);
    const uuid = (await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: hosts.slice(0, 1) }, { hosts: hosts.slice(1) }], { successRate: 1 }))).json.data;
    expect((await admin(sim, 'POST', '/tick', { count: 10 })).json).toEqual({ ticks: 10, active_orders: 0 });
    expect(sim.world.orders.get(uuid)?.status).not.toBe('READY');
    const before = sim.now();
    const moved = (await admin(sim, 'POST', '/clock', { advance_ms: 60_000 })).json.now;
    expect(moved - before).toBeGreaterThanOrEqual(60_000);
    expect((await call(sim, 'GET', '/v1/job/scripts?limit=1')).status).toBe(200);
  });

  it('serves the request log, counts exactly beyond the ring, and resets', async () => {
    for (let i = 0; i < 60; i++) await call(sim, 'GET', `/v1/job/scripts?limit=1&i=${i}`);
    await call(sim, 'POST', '/v1/resources/sync', { provider: 'ecs' });
    expect(sim.requests).toHaveLength(50);
    expect(sim.countRequests('GET /v1/job/scripts')).toBe(60);
    const log = (await admin(sim, 'GET', '/requests?route=POST%20/v1/resources/sync')).json;
    expect(log.total).toBe(1);
    expect(log.requests[0]).toMatchObject({ method: 'POST', path: '/v1/resources/sync', routeKey: 'POST /v1/resources/sync', body: { provider: 'ecs' }, status: 200, auth: { kind: 'aksk' } });
    expect(log.requests[0].headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(log.requests[0].headers.authorization).toBeUndefined();
    const last = sim.requests.at(-2);
    expect(last?.query).toEqual({ limit: ['1'], i: ['59'] });
    expect((await admin(sim, 'GET', '/requests/count?route=GET%20/v1/job/scripts')).json).toEqual({ route: 'GET /v1/job/scripts', count: 60 });
    expect((await admin(sim, 'GET', '/requests/count')).json).toEqual({ count: 61 });
    await admin(sim, 'DELETE', '/requests');
    expect(sim.requests).toHaveLength(0);
    expect(sim.countRequests('GET /v1/job/scripts')).toBe(0);
  });

  it('exposes every documented route key', () => {
    for (const key of [
      'POST /v1/resources/sync',
      'GET /v1/resources',
      'GET /v1/resources/count',
      'POST /v1/job/scripts',
      'GET /v1/job/scripts',
      'GET /v1/job/scripts/{script_uuid}',
      'PUT /v1/job/scripts/{script_uuid}',
      'DELETE /v1/job/scripts/{script_uuid}',
      'POST /v1/job/scripts/{script_uuid}',
      'GET /v1/job/public-scripts',
      'GET /v1/job/public-scripts/{script_uuid}',
      'POST /v1/job/public-scripts/{script_uuid}',
      'GET /v1/job/script/orders',
      'GET /v1/job/script/orders/{execute_uuid}',
      'GET /v1/job/script/orders/{execute_uuid}/batches',
      'GET /v1/job/script/orders/{execute_uuid}/batches/{batch_index}',
      'GET /v1/job/script/orders/{execute_uuid}/statistics',
      'PUT /v1/job/script/orders/{execute_uuid}/operation',
      'POST /v1/external/incident/create',
      'POST /v1/external/incident/handle',
      'GET /v1/external/incident/{incident_num}',
      'POST /v2/incidents/list',
      'POST /v1/external/warrooms',
      'POST /v1/external/warrooms/list',
      'POST /v1/event/huawei/custom/{integration_key}',
      'GET /v1/patch/instance/compliant',
      'GET /v1/patch/instance/compliant/{instance_compliant_id}',
      'POST /v3/auth/tokens',
    ]) {
      expect(ROUTE_KEYS).toContain(key);
    }
  });
});
