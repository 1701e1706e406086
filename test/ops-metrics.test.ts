import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { CocNetworkError } from '../src/coc/errors.js';
import { Metrics } from '../src/ops/metrics.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';

async function scrape(metrics: Metrics) {
  const { contentType, body } = await metrics.exposition();
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(body);
}

describe('Metrics', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ tickMs: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('exports every metric with help and type before anything is recorded', async () => {
    const families = await scrape(new Metrics({ version: '1.2.3' }));
    const expected = {
      coc_chatops_ack_latency_seconds: 'histogram',
      coc_chatops_missed_deadlines_total: 'counter',
      coc_chatops_coc_requests_total: 'counter',
      coc_chatops_coc_request_duration_seconds: 'histogram',
      coc_chatops_approval_wait_seconds: 'histogram',
      coc_chatops_tracked_orders: 'gauge',
      coc_chatops_card_edits_total: 'counter',
      coc_chatops_build_info: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) {
      expect(families.get(name.replace(/_total$/, ''))?.type ?? families.get(name)?.type, name).toBe(type);
      expect((families.get(name.replace(/_total$/, '')) ?? families.get(name))?.help.length, name).toBeGreaterThan(10);
    }
    expect(sampleValue(families, 'coc_chatops_build_info', { version: '1.2.3' })).toBe(1);
    expect(sampleValue(families, 'coc_chatops_tracked_orders')).toBe(0);
  });

  it('records each facade call under its labels', async () => {
    const metrics = new Metrics();
    metrics.ackLatency('slack', 0.2);
    metrics.ackLatency('slack', 4);
    metrics.ackLatency('discord', 0.04);
    metrics.missedDeadline('slack', 'ack');
    metrics.missedDeadline('discord', 'followup');
    metrics.missedDeadline('discord', 'followup');
    metrics.approvalWait(90);
    metrics.trackedOrders(17);
    metrics.trackedOrders(12);
    metrics.cardEdit('slack');
    metrics.cardEdit('slack');
    metrics.cardEdit('shell');
    const families = await scrape(metrics);

    expect(sampleValue(families, 'coc_chatops_ack_latency_seconds_bucket', { platform: 'slack', le: '0.25' })).toBe(1);
    expect(sampleValue(families, 'coc_chatops_ack_latency_seconds_bucket', { platform: 'slack', le: '3' })).toBe(1);
    expect(sampleValue(families, 'coc_chatops_ack_latency_seconds_bucket', { platform: 'slack', le: '+Inf' })).toBe(2);
    expect(sampleValue(families, 'coc_chatops_ack_latency_seconds_count', { platform: 'slack' })).toBe(2);
    expect(sampleValue(families, 'coc_chatops_ack_latency_seconds_sum', { platform: 'slack' })).toBeCloseTo(4.2);
    expect(sampleValue(families, 'coc_chatops_ack_latency_seconds_count', { platform: 'discord' })).toBe(1);
    expect(sampleValue(families, 'coc_chatops_missed_deadlines_total', { platform: 'slack', kind: 'ack' })).toBe(1);
    expect(sampleValue(families, 'coc_chatops_missed_deadlines_total', { platform: 'discord', kind: 'followup' })).toBe(2);
    expect(sampleValue(families, 'coc_chatops_approval_wait_seconds_bucket', { le: '60' })).toBe(0);
    expect(sampleValue(families, 'coc_chatops_approval_wait_seconds_bucket', { le: '120' })).toBe(1);
    expect(sampleValue(families, 'coc_chatops_tracked_orders')).toBe(12);
    expect(sampleValue(families, 'coc_chatops_card_edits_total', { platform: 'slack' })).toBe(2);
    expect(sampleValue(families, 'coc_chatops_card_edits_total', { platform: 'shell' })).toBe(1);
  });

  it('counts COC requests by method, route template and outcome through the client’s onCall', async () => {
    const metrics = new Metrics();
    const coc = new CocClient({
      endpoint: sim.url,
      auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK },
      onCall: metrics.observeCall,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    try {
      const page = await coc.listScripts({ limit: 5 });
      const scriptUuid = page.data[0]!.script_uuid;
      await coc.getScript(scriptUuid);
      await coc.getScript(scriptUuid);
      sim.faults.set('GET /v1/job/scripts', { kind: 'reset', times: 2 });
      await expect(coc.listScripts({ limit: 5 })).rejects.toBeInstanceOf(CocNetworkError);
      sim.faults.set('GET /v1/job/scripts/{script_uuid}', { kind: 'status', status: 404, errorCode: 'COC.00040404', errorMsg: 'not found', times: 1 });
      await expect(coc.getScript(scriptUuid)).rejects.toThrow();
    } finally {
      sim.faults.clear();
      await coc.close();
    }
    const families = await scrape(metrics);
    const list = 'GET /v1/job/scripts';
    const get = 'GET /v1/job/scripts/{script_uuid}';
    expect(sampleValue(families, 'coc_chatops_coc_requests_total', { route: list, outcome: 'ok' })).toBe(1);
    // Both attempts of the retried GET reached COC and failed.
    expect(sampleValue(families, 'coc_chatops_coc_requests_total', { route: list, outcome: 'network-error' })).toBe(2);
    expect(sampleValue(families, 'coc_chatops_coc_requests_total', { route: get, outcome: 'ok' })).toBe(2);
    expect(sampleValue(families, 'coc_chatops_coc_requests_total', { route: get, outcome: 'api-error' })).toBe(1);
    expect(sampleValue(families, 'coc_chatops_coc_request_duration_seconds_count', { route: get })).toBe(3);
    // Routes are templates: no script id ever becomes a label.
    const routes = families.get('coc_chatops_coc_requests')?.samples.map((sample) => sample.labels['route']) ?? [];
    expect(routes.some((route) => route?.includes('-'))).toBe(false);
  });

  it('ignores negative or non-finite values instead of throwing', async () => {
    const metrics = new Metrics();
    metrics.ackLatency('slack', -1);
    metrics.approvalWait(Number.NaN);
    metrics.trackedOrders(-3);
    metrics.cocRequest('GET /x', 'ok', Number.POSITIVE_INFINITY);
    const families = await scrape(metrics);
    expect(sampleValue(families, 'coc_chatops_ack_latency_seconds_sum', { platform: 'slack' })).toBe(0);
    expect(sampleValue(families, 'coc_chatops_tracked_orders')).toBe(0);
    expect(sampleValue(families, 'coc_chatops_coc_request_duration_seconds_sum', { route: 'GET /x' })).toBe(0);
  });

  it('keeps two bots in one process apart, and adds process metrics only when asked', async () => {
    const one = new Metrics({ processMetrics: true });
    const two = new Metrics();
    one.cardEdit('discord');
    const first = await scrape(one);
    const second = await scrape(two);
    expect(sampleValue(first, 'coc_chatops_card_edits_total', { platform: 'discord' })).toBe(1);
    expect(sampleValue(second, 'coc_chatops_card_edits_total', { platform: 'discord' })).toBeUndefined();
    expect(first.has('coc_chatops_process_resident_memory_bytes') || first.has('coc_chatops_process_cpu_seconds_total') || first.has('coc_chatops_process_cpu_seconds')).toBe(true);
    expect([...second.keys()].some((name) => name.includes('process_'))).toBe(false);
  });
});
