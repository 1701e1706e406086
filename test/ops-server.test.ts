import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { CocCallEvent } from '../src/coc/http.js';
import { BackendReachability } from '../src/ops/backend-reachability.js';
import { Metrics } from '../src/ops/metrics.js';
import { failed, passed, Readiness } from '../src/ops/readiness.js';
import { startOpsServer, type OpsServer } from '../src/ops/server.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';

const servers: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(readiness = new Readiness(), metrics = new Metrics()): Promise<OpsServer> {
  const server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, readiness });
  servers.push(server);
  return server;
}

async function get(server: OpsServer, path: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') {
  const response = await request(`${server.url}${path}`, { method });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

function event(outcome: CocCallEvent['outcome']): CocCallEvent {
  return { method: 'GET', route: '/v1/job/scripts', durationMs: 5, attempt: 1, outcome, willRetry: false };
}

describe('ops endpoints', () => {
  it('/healthz answers while the process runs, whatever readiness says', async () => {
    const readiness = new Readiness();
    readiness.add({ name: 'store', check: () => failed('down') });
    const server = await serve(readiness);
    const health = await get(server, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok' });
    expect(health.headers['cache-control']).toBe('no-store');
  });

  it('/readyz is 503 until every check passes, and names each check with its reason', async () => {
    const readiness = new Readiness();
    const server = await serve(readiness);
    const empty = await get(server, '/readyz');
    expect(empty.status).toBe(503);
    expect(JSON.parse(empty.text).status).toBe('not ready');

    let slackConnected = false;
    readiness.add({ name: 'store', check: async () => passed('pglite answers') });
    readiness.add({ name: 'slack', check: () => (slackConnected ? passed('connected') : failed('Socket Mode not connected')) });
    const waiting = await get(server, '/readyz');
    expect(waiting.status).toBe(503);
    expect(JSON.parse(waiting.text)).toEqual({
      status: 'not ready',
      checks: [
        { name: 'store', ok: true, detail: 'pglite answers' },
        { name: 'slack', ok: false, detail: 'Socket Mode not connected' },
      ],
    });

    slackConnected = true;
    const ready = await get(server, '/readyz?verbose=1');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text).status).toBe('ready');
  });

  it('/metrics serves the Prometheus text format', async () => {
    const metrics = new Metrics();
    metrics.missedDeadline('discord', 'ack');
    const server = await serve(new Readiness(), metrics);
    const scraped = await get(server, '/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sampleValue(parsePrometheusText(scraped.text), 'coc_chatops_missed_deadlines_total', { platform: 'discord', kind: 'ack' })).toBe(1);
  });

  it('answers HEAD without a body, refuses other methods and unknown paths', async () => {
    const server = await serve();
    const head = await get(server, '/healthz', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const post = await get(server, '/metrics', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
    const missing = await get(server, '/admin');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).endpoints).toEqual(['/metrics', '/healthz', '/readyz']);
  });

  it('rejects a port that is already taken (the bot then runs without the endpoints)', async () => {
    const first = await serve();
    await expect(startOpsServer({ host: '127.0.0.1', port: first.port, metrics: new Metrics(), readiness: new Readiness() })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('Readiness', () => {
  it('counts a check that throws or hangs as failing, without waiting for it', async () => {
    const readiness = new Readiness();
    readiness.add({ name: 'throws', check: () => Promise.reject(new TypeError('connection string postgres://u:p@h')) });
    readiness.add({ name: 'hangs', check: () => new Promise(() => undefined) });
    readiness.add({ name: 'fine', check: () => passed('ok') });
    const report = await readiness.report(50);
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual([
      // Only the error's name: its message may carry what must not be shown.
      { name: 'throws', ok: false, detail: 'TypeError' },
      { name: 'hangs', ok: false, detail: 'no answer within 50 ms' },
      { name: 'fine', ok: true, detail: 'ok' },
    ]);
  });

  it('replaces a check by name and removes it with the returned function', async () => {
    const readiness = new Readiness();
    readiness.add({ name: 'slack', check: () => failed('old') });
    const remove = readiness.add({ name: 'slack', check: () => passed('new') });
    expect((await readiness.report()).checks).toEqual([{ name: 'slack', ok: true, detail: 'new' }]);
    remove();
    expect(readiness.names).toEqual([]);
  });
});

describe('COC reachability', () => {
  function setup() {
    let now = 1_000_000;
    let probes = 0;
    let probeOutcome: CocCallEvent['outcome'] = 'ok';
    const reachability: BackendReachability = new BackendReachability({
      name: 'coc',
      platform: 'COC',
      now: () => now,
      freshMs: 60_000,
      probeEveryMs: 10_000,
      probe: async () => {
        probes++;
        reachability.observe(event(probeOutcome));
      },
    });
    return {
      reachability,
      advance: (ms: number) => (now += ms),
      probes: () => probes,
      setProbe: (outcome: CocCallEvent['outcome']) => (probeOutcome = outcome),
    };
  }

  it('asks COC once at start, then lives on the traffic it sees', async () => {
    const { reachability, advance, probes } = setup();
    expect(await reachability.check()).toEqual({ ok: true, detail: 'COC answered just now' });
    expect(probes()).toBe(1);
    advance(30_000);
    reachability.observe(event('api-error')); // an error answer still proves COC is there
    advance(30_000);
    expect(await reachability.check()).toEqual({ ok: true, detail: 'COC answered 30 s ago' });
    expect(probes()).toBe(1);
  });

  it('is not ready after a network failure and recovers through a probe', async () => {
    const { reachability, advance, probes, setProbe } = setup();
    reachability.observe(event('ok'));
    advance(1_000);
    reachability.observe(event('timeout'));
    setProbe('network-error');
    expect(await reachability.check()).toEqual({ ok: false, detail: 'COC unreachable: network-error just now' });
    expect(probes()).toBe(1);
    // Probes are spaced: checks in between report the last state without asking again.
    advance(5_000);
    expect((await reachability.check()).ok).toBe(false);
    expect(probes()).toBe(1);
    setProbe('ok');
    advance(5_000);
    expect(await reachability.check()).toEqual({ ok: true, detail: 'COC answered just now' });
    expect(probes()).toBe(2);
  });

  it('probes an idle bot once its last answer is old, and shares one probe between concurrent checks', async () => {
    const { reachability, advance, probes } = setup();
    reachability.observe(event('ok'));
    advance(61_000);
    const results = await Promise.all([reachability.check(), reachability.check(), reachability.check()]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(probes()).toBe(1);
  });
});
