/**
 * The transport's `beforeWrite` seam, without a database: awaited before every write is sent
 * (never for a read, nor for a list API that reads through a POST), completed once with the
 * write's outcome, and a write whose intent cannot be recorded is not sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import type { CocCallEvent } from '../src/coc/http.js';
import { CocWriteNotAuditedError, type WriteIntentResult } from '../src/coc/write-intent.js';
import { writeFailureOf } from '../src/coc/write-outcome.js';
import type { Fault } from '../src/sim/faults.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';

let sim: Simulator;
let coc: CocClient;
/** What the hook saw: the operation, how many executes COC had received by then, and the result. */
let intents: { operation: string; sentBefore: number; results: WriteIntentResult[] }[] = [];
let events: CocCallEvent[] = [];
let refuse = false;

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
  coc = new CocClient({
    endpoint: sim.url,
    auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK },
    timeoutMs: 300,
    retry: { retries: 0 },
    onCall: (event) => events.push(event),
    beforeWrite: async (operation) => {
      if (refuse) throw new Error('database unavailable');
      const intent = { operation: `${operation.method} ${operation.route}`, sentBefore: sim.countRequests(EXECUTE), results: [] as WriteIntentResult[] };
      intents.push(intent);
      return { complete: async (result) => void intent.results.push(result) };
    },
  });
});
afterAll(async () => {
  await coc?.close();
  await sim?.close();
});
beforeEach(() => {
  intents = [];
  events = [];
  refuse = false;
  sim.faults.clear();
  sim.resetRequests();
});

function execute(): Promise<string> {
  const hosts = sim.world.hosts.filter(isHealthyHost).slice(0, 1);
  return coc.executeScript(scriptUuid(sim, 'disk_usage'), executeBody([{ hosts }]));
}

describe('beforeWrite', () => {
  it('is awaited before the write is sent and completed once with done', async () => {
    await execute();
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ operation: EXECUTE, sentBefore: 0 });
    expect(intents[0]!.results).toEqual([expect.objectContaining({ outcome: 'done', callOutcome: 'ok', status: 200, requestId: expect.any(String) })]);
    expect(events.filter((e) => e.method === 'POST').map((e) => e.intentRecorded)).toEqual([true]);
  });

  it('is not asked for reads, nor for list APIs that read through a POST', async () => {
    await coc.listScripts({ limit: 1 });
    await coc.listIncidents();
    expect(sim.countRequests('POST /v2/incidents/list')).toBe(1);
    expect(intents).toEqual([]);
    expect(events.every((e) => e.intentRecorded === undefined)).toBe(true);
  });

  it.each([
    ['a 400 with COC’s error', { kind: 'status', status: 400, errorCode: 'COC.00040001' }, 'refused'],
    ['a 429', { kind: 'rate-limit', retryAfterSeconds: 0 }, 'refused'],
    ['a 503 after handling', { kind: 'status', status: 503, afterHandling: true }, 'unknown'],
    ['a reset after handling', { kind: 'reset', afterHandling: true }, 'unknown'],
    ['a 200 with an error envelope', { kind: 'error-envelope', afterHandling: true }, 'unknown'],
    ['no answer', { kind: 'hang' }, 'unknown'],
  ] as const)('completes %s as %s, as writeFailureOf says', async (_name, fault, outcome) => {
    sim.faults.set(EXECUTE, fault as Fault);
    const error = await execute().then(() => undefined, (e: unknown) => e);
    expect(writeFailureOf(error)).toBe(outcome);
    expect(intents).toHaveLength(1);
    expect(intents[0]!.results).toHaveLength(1);
    expect(intents[0]!.results[0]!.outcome).toBe(outcome);
    expect(sim.countRequests(EXECUTE)).toBe(1);
  });

  it('refuses the write, sending nothing, when the intent cannot be recorded', async () => {
    refuse = true;
    const error = await execute().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CocWriteNotAuditedError);
    expect(writeFailureOf(error)).toBe('refused');
    expect((error as Error).message).toContain('nothing was sent to COC');
    expect(sim.countRequests(EXECUTE)).toBe(0);
  });

  it('does not change the call when the completion fails', async () => {
    const failing = new CocClient({
      endpoint: sim.url,
      auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK },
      beforeWrite: async () => ({ complete: async () => Promise.reject(new Error('database gone')) }),
    });
    try {
      const hosts = sim.world.hosts.filter(isHealthyHost).slice(0, 1);
      await expect(failing.executeScript(scriptUuid(sim, 'disk_usage'), executeBody([{ hosts }]))).resolves.toMatch(/^SCT/);
    } finally {
      await failing.close();
    }
  });
});
