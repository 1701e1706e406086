import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { call, executeBody, hostsIn, scriptUuid } from './sim-helpers.js';

const LIST_KEY = 'GET /v1/job/scripts';
const LIST = '/v1/job/scripts?limit=5';
const EXECUTE_KEY = 'POST /v1/job/scripts/{script_uuid}';

describe('fault injection', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ seed: 42 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('status: answers with the status and an error body of the route family, `times` times', async () => {
    sim.faults.set(LIST_KEY, { kind: 'status', status: 503, errorCode: 'COC.00040701', times: 2 });
    for (let i = 0; i < 2; i++) {
      const failed = await call(sim, 'GET', LIST);
      expect(failed.status).toBe(503);
      expect(failed.json).toEqual({ error_code: 'COC.00040701', error_msg: expect.any(String) });
      expect(failed.headers.get('x-request-id')).toBeTruthy();
    }
    expect((await call(sim, 'GET', LIST)).status).toBe(200);
    expect(sim.countRequests(LIST_KEY)).toBe(3);
    expect(sim.requests.map((entry) => entry.fault)).toEqual(['status', 'status', undefined]);

    sim.faults.set('POST /v2/incidents/list', { kind: 'status', status: 500 });
    const pce = await call(sim, 'POST', '/v2/incidents/list', {});
    expect(pce.status).toBe(500);
    expect(pce.json).toMatchObject({ provider_code: '049', error_code: expect.stringMatching(/^GOM\./), data: null });
  });

  it('rate-limit: 429 with Retry-After', async () => {
    sim.faults.set(LIST_KEY, { kind: 'rate-limit', retryAfterSeconds: 7, times: 1 });
    const limited = await call(sim, 'GET', LIST);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json.error_code).toBe('APIG.0308');
    expect((await call(sim, 'GET', LIST)).status).toBe(200);
  });

  it('slow: answers normally after the delay', async () => {
    sim.faults.set(LIST_KEY, { kind: 'slow', delayMs: 250 });
    const started = performance.now();
    const result = await call(sim, 'GET', LIST);
    expect(result.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('hang: never answers, the request still counts, and close() cleans up', async () => {
    sim.faults.set(EXECUTE_KEY, { kind: 'hang' });
    const healthy = hostsIn(sim, 'cn-north-4').slice(0, 1);
    const attempt = call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: healthy }]), { signal: AbortSignal.timeout(300) });
    await expect(attempt).rejects.toThrow();
    expect(sim.countRequests(EXECUTE_KEY)).toBe(1);
    expect(sim.requests.at(-1)).toMatchObject({ routeKey: EXECUTE_KEY, fault: 'hang', status: undefined });
    expect(sim.world.orders.all()).toHaveLength(0);
  });

  it('hang-body: sends headers and the start of a body, then stalls', async () => {
    sim.faults.set(LIST_KEY, { kind: 'hang-body', times: 1 });
    const controller = new AbortController();
    const response = await fetch(`${sim.url}${LIST}`, { headers: { 'X-Auth-Token': sim.issueToken('alice') }, signal: controller.signal });
    expect(response.status).toBe(200);
    const timer = setTimeout(() => controller.abort(), 300);
    await expect(response.text()).rejects.toThrow();
    clearTimeout(timer);
  });

  it('reset: destroys the connection; with afterHandling the order exists although the caller saw an error', async () => {
    sim.faults.set(LIST_KEY, { kind: 'reset', times: 1 });
    await expect(call(sim, 'GET', LIST)).rejects.toThrow();
    expect(sim.countRequests(LIST_KEY)).toBe(1);

    sim.faults.set(EXECUTE_KEY, { kind: 'reset', times: 1, afterHandling: true });
    const healthy = hostsIn(sim, 'cn-north-4').slice(0, 1);
    await expect(call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: healthy }]))).rejects.toThrow();
    expect(sim.world.orders.all()).toHaveLength(1);
    expect(sim.countRequests(EXECUTE_KEY)).toBe(1);
  });

  it('malformed-json: 200 with a body that is not JSON', async () => {
    sim.faults.set(LIST_KEY, { kind: 'malformed-json', times: 1 });
    const result = await call(sim, 'GET', LIST);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/application\/json/);
    expect(() => JSON.parse(result.text)).toThrow();
  });

  it('"*" hits every route, a route fault wins over it, and clear() disarms', async () => {
    sim.faults.set('*', { kind: 'status', status: 502 });
    sim.faults.set(LIST_KEY, { kind: 'rate-limit', retryAfterSeconds: 1 });
    expect((await call(sim, 'GET', '/v1/resources/count?provider=ecs&type=cloudservers')).status).toBe(502);
    expect((await call(sim, 'GET', LIST)).status).toBe(429);
    sim.faults.clear();
    expect((await call(sim, 'GET', LIST)).status).toBe(200);
    expect(() => sim.faults.set('GET /v1/job/scriptz', { kind: 'hang' })).toThrow(/Unknown route key/);
  });
});
