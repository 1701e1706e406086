/**
 * The COC client against the simulator's injected faults, over real HTTP: every fault kind on a
 * GET (getScriptOrder), a non-idempotent POST (executeScript) and a PUT (operateScriptOrder
 * CANCEL_ORDER). Checked for each: the typed error (or the recovered result), that the call ended
 * within its time limit, how many requests reached the simulator (GET: 1 + retries, bounded;
 * POST/PUT: exactly once, also when the request was carried out and only the answer was lost).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CocApiError,
  CocClient,
  CocError,
  CocNetworkError,
  CocResponseShapeError,
  CocTimeoutError,
  ORDER_OPERATIONS,
  SCRIPT_OPERATIONS,
} from '../src/coc/index.js';
import { ErrorCodes } from '../src/sim/http/error-codes.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Fault, type RequestRecord, type Simulator } from '../src/sim/server.js';
import type { Host } from '../src/sim/state/model.js';
import { routeKeyOf } from './coc-helpers.js';
import { diskUsageWithFinishedOrder, oneHostExecute } from './sim-helpers.js';

/** Time limit of one request; short so hangs cost little, long enough for a healthy local answer. */
const TIMEOUT_MS = 300;
/** Generous allowance over the time limit for scheduling, connection setup and error handling. */
const MARGIN_MS = 1_500;
const RETRIES = 2;
const BASE_DELAY_MS = 20;
/** A `slow` fault that outlasts the time limit. */
const SLOW_DELAY_MS = TIMEOUT_MS + 250;

const EXECUTE_KEY = routeKeyOf(ORDER_OPERATIONS.execute);
const OPERATE_KEY = routeKeyOf(ORDER_OPERATIONS.operate);
const GET_ORDER_KEY = routeKeyOf(ORDER_OPERATIONS.get);

let sim: Simulator;
let coc: CocClient;
/** Every wait the client asked for between GET attempts (none is really waited). */
const sleeps: number[] = [];
let scriptUuid: string;
let hosts: Host[];
/** A finished order, read by the GET scenarios. */
let finishedOrderUuid: string;

// ---- the closing summary ----

interface ScenarioOutcome {
  readonly method: string;
  readonly fault: string;
  readonly faultsInjected: number;
  readonly attempts: number;
  readonly result: string;
}
const outcomes: ScenarioOutcome[] = [];

function faultLabel(fault: Fault): string {
  const times = fault.times === undefined ? '' : `×${fault.times}`;
  const after = 'afterHandling' in fault && fault.afterHandling ? '+afterHandling' : '';
  return `${fault.kind}${fault.kind === 'status' ? fault.status : ''}${times}${after}`;
}

// ---- running one scenario ----

interface ScenarioResult<T> {
  readonly value: T | undefined;
  readonly error: unknown;
  readonly elapsedMs: number;
  /** Requests the route received during the scenario (each recorded on arrival, faults included). */
  readonly attempts: number;
  readonly records: readonly RequestRecord[];
}

/** Arms `fault` on `routeKey` alone, runs `call` through the client and measures what happened. */
async function underFault<T>(routeKey: string, fault: Fault, call: () => Promise<T>): Promise<ScenarioResult<T>> {
  sim.faults.clear();
  sim.resetRequests();
  sleeps.length = 0;
  sim.faults.set(routeKey, fault);
  const started = performance.now();
  let value: T | undefined;
  let error: unknown;
  try {
    value = await call();
  } catch (caught) {
    error = caught;
  }
  const elapsedMs = performance.now() - started;
  sim.faults.clear();
  const records = sim.requests.filter((record) => routeKey === '*' || record.routeKey === routeKey);
  const attempts = routeKey === '*' ? records.length : sim.countRequests(routeKey);
  outcomes.push({
    method: routeKey.split(' ')[0] as string,
    fault: faultLabel(fault),
    faultsInjected: records.filter((record) => record.fault !== undefined).length,
    attempts,
    result: error === undefined ? 'ok' : error instanceof CocError ? error.name : `unexpected ${String(error)}`,
  });
  return { value, error, elapsedMs, attempts, records };
}

/** Waits until the simulator has answered (to a socket nobody listens to any more) the last request of a route. */
async function untilAnswered(record: RequestRecord, withinMs = 2_000): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (record.status === undefined && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(record.status, 'the simulator carried out the delayed request').toBe(200);
}

const executeInput = oneHostExecute;

/** A fresh READY order through the client with no fault armed (setup of the PUT scenarios). */
async function freshReadyOrder(): Promise<string> {
  sim.faults.clear();
  const uuid = await coc.executeScript(scriptUuid, executeInput(hosts[0] as Host));
  expect(sim.world.orders.get(uuid)?.status).toBe('READY');
  return uuid;
}

// ---- expected typed errors ----

type Expectation =
  | { readonly kind: 'api'; readonly status: number; readonly errorCode: string; readonly retryAfterMs?: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network' }
  | { readonly kind: 'shape' };

function expectTypedError(error: unknown, expected: Expectation, lastRecord: RequestRecord | undefined, operation: { method: string; route: string }): void {
  expect(error, 'the call failed with a typed COC error').toBeInstanceOf(CocError);
  expect((error as CocError).operation).toEqual(operation);
  switch (expected.kind) {
    case 'api': {
      expect(error).toBeInstanceOf(CocApiError);
      const apiError = error as CocApiError;
      expect(apiError.status).toBe(expected.status);
      expect(apiError.errorCode).toBe(expected.errorCode);
      expect(apiError.requestId, 'the X-Request-Id of the failed attempt').toBe(lastRecord?.requestId);
      expect(apiError.requestId).toMatch(/\S/);
      if (expected.retryAfterMs !== undefined) expect(apiError.retryAfterMs).toBe(expected.retryAfterMs);
      return;
    }
    case 'timeout':
      expect(error).toBeInstanceOf(CocTimeoutError);
      // How long the call waited in all: a read's retries are within its one deadline.
      expect((error as CocTimeoutError).timeoutMs).toBeLessThanOrEqual((1 + RETRIES) * TIMEOUT_MS + MARGIN_MS);
      return;
    case 'network':
      expect(error).toBeInstanceOf(CocNetworkError);
      expect((error as CocNetworkError).code).toBe('ECONNRESET');
      return;
    case 'shape':
      expect(error).toBeInstanceOf(CocResponseShapeError);
      expect((error as CocResponseShapeError).status).toBe(200);
      expect((error as CocResponseShapeError).issues.join(' ')).toMatch(/not JSON/);
      return;
  }
}

/**
 * Bounds on how long a call took: each attempt that ran into the time limit costs about one
 * limit, everything else (answers, resets, injected waits) next to nothing; plus a margin.
 */
function expectElapsed(elapsedMs: number, timedOutAttempts: number): void {
  expect(elapsedMs, `ended within ${timedOutAttempts} × ${TIMEOUT_MS} ms + ${MARGIN_MS} ms`).toBeLessThan(timedOutAttempts * TIMEOUT_MS + MARGIN_MS);
  // A timeout is not declared early (timers may fire a millisecond or two ahead).
  expect(elapsedMs).toBeGreaterThanOrEqual(timedOutAttempts * TIMEOUT_MS - 20);
}

// ---- the fault table for POST and PUT ----

interface LostAnswerCase {
  readonly fault: Fault;
  readonly expected: Expectation;
  /** The simulator carried the request out although the client saw an error. */
  readonly carriedOut: boolean;
}

const NON_IDEMPOTENT_CASES: readonly LostAnswerCase[] = [
  { fault: { kind: 'status', status: 503 }, expected: { kind: 'api', status: 503, errorCode: ErrorCodes.JOB_INTERNAL }, carriedOut: false },
  { fault: { kind: 'status', status: 500, afterHandling: true }, expected: { kind: 'api', status: 500, errorCode: ErrorCodes.JOB_INTERNAL }, carriedOut: true },
  { fault: { kind: 'rate-limit', retryAfterSeconds: 7 }, expected: { kind: 'api', status: 429, errorCode: ErrorCodes.APIG_THROTTLED, retryAfterMs: 7_000 }, carriedOut: false },
  // The simulator carries a slow request out after the delay, when the client has long given up.
  { fault: { kind: 'slow', delayMs: SLOW_DELAY_MS }, expected: { kind: 'timeout' }, carriedOut: true },
  { fault: { kind: 'hang' }, expected: { kind: 'timeout' }, carriedOut: false },
  { fault: { kind: 'hang', afterHandling: true }, expected: { kind: 'timeout' }, carriedOut: true },
  { fault: { kind: 'hang-body' }, expected: { kind: 'timeout' }, carriedOut: false },
  { fault: { kind: 'hang-body', afterHandling: true }, expected: { kind: 'timeout' }, carriedOut: true },
  { fault: { kind: 'reset' }, expected: { kind: 'network' }, carriedOut: false },
  { fault: { kind: 'reset', afterHandling: true }, expected: { kind: 'network' }, carriedOut: true },
  { fault: { kind: 'malformed-json' }, expected: { kind: 'shape' }, carriedOut: false },
  { fault: { kind: 'malformed-json', afterHandling: true }, expected: { kind: 'shape' }, carriedOut: true },
];

beforeAll(async () => {
  sim = await startSimulator({ seed: 42, tickMs: 0 });
  coc = new CocClient({
    endpoint: sim.url,
    auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK },
    timeoutMs: TIMEOUT_MS,
    retry: { retries: RETRIES, baseDelayMs: BASE_DELAY_MS },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  ({ hosts, scriptUuid, finishedOrderUuid } = await diskUsageWithFinishedOrder(sim, coc));
});

afterAll(async () => {
  await coc?.close();
  await sim?.close();
  const injected = outcomes.reduce((sum, outcome) => sum + outcome.faultsInjected, 0);
  const byResult = new Map<string, number>();
  for (const outcome of outcomes) byResult.set(outcome.result, (byResult.get(outcome.result) ?? 0) + 1);
  const perMethod = ['GET', 'POST', 'PUT', '*'].map((method) => {
    const mine = outcomes.filter((outcome) => outcome.method === method);
    return `${method} ${mine.length} scenarios/${mine.reduce((sum, outcome) => sum + outcome.attempts, 0)} requests`;
  });
  console.log(
    `[coc-sim-faults] ${outcomes.length} scenarios, ${injected} faults injected (${perMethod.join(', ')}); outcomes: ${[...byResult].map(([result, count]) => `${result} ${count}`).join(', ')}`,
  );
});

beforeEach(() => {
  sim.faults.clear();
});

describe.each([
  {
    label: 'POST executeScript',
    routeKey: EXECUTE_KEY,
    operation: ORDER_OPERATIONS.execute,
  },
  {
    label: 'PUT operateScriptOrder CANCEL_ORDER',
    routeKey: OPERATE_KEY,
    operation: ORDER_OPERATIONS.operate,
  },
])('$label: sent exactly once under every fault', ({ routeKey, operation }) => {
  it.each(NON_IDEMPOTENT_CASES.map((testCase) => ({ ...testCase, name: faultLabel(testCase.fault) })))(
    '$name → typed error within the time limit, one request, carried out: $carriedOut',
    async ({ fault, expected, carriedOut }) => {
      const isExecute = routeKey === EXECUTE_KEY;
      const orderUuid = isExecute ? undefined : await freshReadyOrder();
      const ordersBefore = sim.world.orders.all().length;
      const host = hosts[2] as Host;

      const result = await underFault(routeKey, fault, () =>
        isExecute ? coc.executeScript(scriptUuid, executeInput(host)) : coc.operateScriptOrder(orderUuid as string, { operation_type: 'CANCEL_ORDER' }),
      );

      expect(result.value).toBeUndefined();
      expectTypedError(result.error, expected, result.records.at(-1), operation);
      expectElapsed(result.elapsedMs, expected.kind === 'timeout' ? 1 : 0);
      expect(result.attempts, 'the request reached the simulator exactly once').toBe(1);
      expect(result.records[0]?.fault).toBe(fault.kind);
      expect(sleeps, 'no retry was even considered').toEqual([]);

      if (fault.kind === 'slow') await untilAnswered(result.records[0] as RequestRecord);
      if (isExecute) {
        const created = sim.world.orders.all().slice(ordersBefore);
        expect(created, carriedOut ? 'the script ran once although the answer was lost' : 'nothing ran').toHaveLength(carriedOut ? 1 : 0);
        if (carriedOut) expect(created[0]?.batches[0]?.instances.map((instance) => instance.host.resourceId)).toEqual([host.resourceId]);
      } else {
        expect(sim.world.orders.all().length, 'no order was created').toBe(ordersBefore);
        expect(sim.world.orders.get(orderUuid as string)?.status).toBe(carriedOut ? 'CANCELED' : 'READY');
      }
      // Still exactly one request after everything settled: the client never sent a second one.
      expect(sim.countRequests(routeKey)).toBe(1);
    },
  );
});

describe('GET getScriptOrder: retried with backoff and Retry-After, bounded', () => {
  const getOrder = () => coc.getScriptOrder(finishedOrderUuid);

  it.each([
    { fault: { kind: 'status', status: 503, times: 2 } as Fault, attempts: 3, waits: [BASE_DELAY_MS * 0.5, BASE_DELAY_MS * 0.5 * 2] },
    { fault: { kind: 'status', status: 502, times: 1, afterHandling: true } as Fault, attempts: 2, waits: [BASE_DELAY_MS * 0.5] },
    { fault: { kind: 'rate-limit', retryAfterSeconds: 1, times: 2 } as Fault, attempts: 3, waits: [1_000, 1_000] },
    { fault: { kind: 'slow', delayMs: SLOW_DELAY_MS, times: 1 } as Fault, attempts: 2, waits: [BASE_DELAY_MS * 0.5] },
    { fault: { kind: 'hang', times: 1 } as Fault, attempts: 2, waits: [BASE_DELAY_MS * 0.5] },
    { fault: { kind: 'hang-body', times: 1 } as Fault, attempts: 2, waits: [BASE_DELAY_MS * 0.5] },
    { fault: { kind: 'reset', times: 1 } as Fault, attempts: 2, waits: [BASE_DELAY_MS * 0.5] },
  ].map((testCase) => ({ ...testCase, name: faultLabel(testCase.fault) })))('$name (transient) → succeeds after $attempts attempts', async ({ fault, attempts, waits }) => {
    const result = await underFault(GET_ORDER_KEY, fault, getOrder);
    expect(result.error).toBeUndefined();
    expect(result.value).toMatchObject({ execute_uuid: finishedOrderUuid, status: 'FINISHED' });
    expect(result.attempts).toBe(attempts);
    expect(result.records.map((record) => record.fault)).toEqual([...Array.from({ length: attempts - 1 }, () => fault.kind), undefined]);
    expect(sleeps, fault.kind === 'rate-limit' ? 'waited as long as Retry-After said' : 'full-jitter backoff').toEqual(waits);
    expectElapsed(result.elapsedMs, ['slow', 'hang', 'hang-body'].includes(fault.kind) ? attempts - 1 : 0);
  });

  it('503 on every attempt → CocApiError 503 with the last request id after 1 + retries attempts', async () => {
    const result = await underFault(GET_ORDER_KEY, { kind: 'status', status: 503 }, getOrder);
    expectTypedError(result.error, { kind: 'api', status: 503, errorCode: ErrorCodes.JOB_INTERNAL }, result.records.at(-1), ORDER_OPERATIONS.get);
    expect(result.attempts).toBe(1 + RETRIES);
    expect(new Set(result.records.map((record) => record.requestId)).size, 'each attempt has its own request id').toBe(1 + RETRIES);
    expect(sleeps).toEqual([BASE_DELAY_MS * 0.5, BASE_DELAY_MS * 0.5 * 2]);
    expectElapsed(result.elapsedMs, 0);
  });

  it('429 on every attempt → waits Retry-After each time, then CocApiError 429 with retryAfterMs', async () => {
    const result = await underFault(GET_ORDER_KEY, { kind: 'rate-limit', retryAfterSeconds: 1 }, getOrder);
    expectTypedError(result.error, { kind: 'api', status: 429, errorCode: ErrorCodes.APIG_THROTTLED, retryAfterMs: 1_000 }, result.records.at(-1), ORDER_OPERATIONS.get);
    expect(result.attempts).toBe(1 + RETRIES);
    expect(sleeps).toEqual([1_000, 1_000]);
    expectElapsed(result.elapsedMs, 0);
  });

  it('429 with a Retry-After beyond what the client waits → reported at once, one attempt', async () => {
    const result = await underFault(GET_ORDER_KEY, { kind: 'rate-limit', retryAfterSeconds: 60 }, getOrder);
    expectTypedError(result.error, { kind: 'api', status: 429, errorCode: ErrorCodes.APIG_THROTTLED, retryAfterMs: 60_000 }, result.records.at(-1), ORDER_OPERATIONS.get);
    expect(result.attempts).toBe(1);
    expect(sleeps).toEqual([]);
    expectElapsed(result.elapsedMs, 0);
  });

  it.each([
    { fault: { kind: 'slow', delayMs: SLOW_DELAY_MS } as Fault, expected: { kind: 'timeout' } as Expectation },
    { fault: { kind: 'hang' } as Fault, expected: { kind: 'timeout' } as Expectation },
    { fault: { kind: 'hang-body' } as Fault, expected: { kind: 'timeout' } as Expectation },
    { fault: { kind: 'reset' } as Fault, expected: { kind: 'network' } as Expectation },
  ].map((testCase) => ({ ...testCase, name: faultLabel(testCase.fault) })))('$name on every attempt → typed error after 1 + retries attempts, each within the limit', async ({ fault, expected }) => {
    const result = await underFault(GET_ORDER_KEY, fault, getOrder);
    expectTypedError(result.error, expected, result.records.at(-1), ORDER_OPERATIONS.get);
    expect(result.attempts).toBe(1 + RETRIES);
    expect(sleeps).toEqual([BASE_DELAY_MS * 0.5, BASE_DELAY_MS * 0.5 * 2]);
    expectElapsed(result.elapsedMs, expected.kind === 'timeout' ? 1 + RETRIES : 0);
  });

  it.each([{ times: 1 }, { times: undefined }])('malformed JSON (times $times) → CocResponseShapeError, not retried: a broken 2xx body is no transient failure', async ({ times }) => {
    const fault: Fault = times === undefined ? { kind: 'malformed-json' } : { kind: 'malformed-json', times };
    const result = await underFault(GET_ORDER_KEY, fault, getOrder);
    expectTypedError(result.error, { kind: 'shape' }, result.records.at(-1), ORDER_OPERATIONS.get);
    expect(result.attempts).toBe(1);
    expect(sleeps).toEqual([]);
    expectElapsed(result.elapsedMs, 0);
  });

  it('a list GET (listScripts) also rides out transient 503s and a reset', async () => {
    const listKey = routeKeyOf(SCRIPT_OPERATIONS.list);
    const result = await underFault(listKey, { kind: 'status', status: 503, times: 2 }, () => coc.listScripts({ limit: 5 }));
    expect(result.error).toBeUndefined();
    expect(result.value?.data?.length).toBe(5);
    expect(result.attempts).toBe(3);
    const reset = await underFault(listKey, { kind: 'reset', times: 1 }, () => coc.listScripts({ limit: 5 }));
    expect(reset.value?.data?.map((script) => script.script_uuid)).toEqual(result.value?.data?.map((script) => script.script_uuid));
    expect(reset.attempts).toBe(2);
  });
});

describe('"*" faults reach every route', () => {
  it('a transient 502 on every route: the GET recovers, the POST fails once and is not repeated', async () => {
    const ordersBefore = sim.world.orders.all().length;
    const result = await underFault('*', { kind: 'status', status: 502, times: 2 }, async () => {
      const execute = await coc.executeScript(scriptUuid, executeInput(hosts[3] as Host)).catch((error: unknown) => error);
      const order = await coc.getScriptOrder(finishedOrderUuid);
      return { execute, order };
    });
    expect(result.value?.execute).toBeInstanceOf(CocApiError);
    expect((result.value?.execute as CocApiError).status).toBe(502);
    expect(result.value?.order.status).toBe('FINISHED');
    expect(sim.countRequests(EXECUTE_KEY)).toBe(1);
    expect(sim.countRequests(GET_ORDER_KEY)).toBe(2);
    expect(sim.world.orders.all().length).toBe(ordersBefore);
  });
});
