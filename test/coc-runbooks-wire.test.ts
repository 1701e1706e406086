/**
 * Runbooks (COC's documents and executions) against the simulator: every operation's request as
 * recorded (method, path, query, body, content type, AK/SK accepted) and its answer; an execution
 * moving step by step on the simulator's clock, pausing at a step that needs confirmation and
 * obeying RESUME, TERMINATE, RETRY and SKIP_BATCH; faults on the new routes; BlueKing has none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNBOOK_OPERATIONS } from '../src/coc/api/runbooks.js';
import { isCocWrite } from '../src/coc/write-intent.js';
import { capabilitiesOf, makeId, need, type RunbooksCapability } from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { writeFailureOf } from '../src/backends/errors.js';
import { declaredBackend } from '../src/app/backends.js';
import { commandRegistry } from '../src/app/commands.js';
import { SIM_DEFAULT_AK, type RequestRecord } from '../src/sim/server.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

let bot: TestBot;
let runbooks: RunbooksCapability;

beforeAll(async () => {
  bot = await makeTestBot({ expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
  runbooks = need(createCocBackend(bot.coc), 'runbooks');
});
afterAll(async () => {
  await bot?.close();
});

const board = () => runbooksOf(bot.sim.world);
const doc = (id: string) => makeId('coc', 'template', id);

function requestsOf(expected: readonly { method: string; path: string; route: string; body?: unknown }[]): RequestRecord[] {
  const requests = bot.sim.requests;
  const withQuery = (request: RequestRecord) => {
    const query = Object.entries(request.query).flatMap(([key, values]) => values.map((value) => `${key}=${value}`));
    return `${request.method} ${request.path}${query.length ? `?${query.join('&')}` : ''}`;
  };
  expect(requests.map(withQuery)).toEqual(expected.map((one) => `${one.method} ${one.path}`));
  return requests.map((request, index) => {
    const one = expected[index]!;
    expect(request.routeKey).toBe(`${one.method} ${one.route}`);
    expect(request.body).toStrictEqual(one.body);
    expect(request.headers['content-type']).toBe(one.body === undefined ? undefined : 'application/json;charset=UTF-8');
    expect(request.auth).toEqual({ kind: 'aksk', access: SIM_DEFAULT_AK });
    expect(request.status).toBeLessThan(400);
    return request;
  });
}

describe('the runbook operations on the wire', () => {
  it('GET /v1/documents: paged by limit and offset, filtered by name; reads, never audited writes', async () => {
    bot.sim.resetRequests();
    const page = await runbooks.list({ limit: 2, nameLike: 'e' });
    requestsOf([{ method: 'GET', path: '/v1/documents?limit=2&offset=0&name_like=e', route: RUNBOOK_OPERATIONS.listDocuments.route }]);
    expect(page.total).toBe(4);
    expect(page.items.map((runbook) => runbook.name)).toEqual(['Restart web service', 'Rotate and archive logs']);
    expect(page.next).toBe('2');
    expect(page.items[0]).toMatchObject({ id: doc('DOC-restart-web-service'), risk: 'low' });
    for (const read of [RUNBOOK_OPERATIONS.listDocuments, RUNBOOK_OPERATIONS.getDocument, RUNBOOK_OPERATIONS.listExecutions, RUNBOOK_OPERATIONS.getExecution, RUNBOOK_OPERATIONS.listExecutionSteps]) {
      expect(isCocWrite(read)).toBe(false);
    }
    expect(isCocWrite(RUNBOOK_OPERATIONS.executeDocument)).toBe(true);
    expect(isCocWrite(RUNBOOK_OPERATIONS.operateExecution)).toBe(true);
  });

  it('GET /v1/documents/{document_id}: the document with its parameter definitions and risk; undefined for none', async () => {
    bot.sim.resetRequests();
    const failover = await runbooks.get(doc('DOC-db-failover'));
    requestsOf([{ method: 'GET', path: '/v1/documents/DOC-db-failover', route: RUNBOOK_OPERATIONS.getDocument.route }]);
    expect(failover).toMatchObject({ name: 'Fail the orders database over', risk: 'high', version: 'v2' });
    expect(failover?.parameters).toEqual([
      { name: 'cluster', description: 'Database cluster name', required: true, pattern: '^[a-z][a-z0-9-]{2,31}$', maxLength: 32 },
      { name: 'reason', description: 'Why the failover is needed', required: false, maxLength: 128 },
    ]);
    expect(await runbooks.get(doc('DOC-none'))).toBeUndefined();
  });

  it('POST /v1/documents/{document_id}, GET /v1/executions/{id} and its steps, POST /v1/executions: paused at the confirm step, resumed, finished', async () => {
    bot.sim.resetRequests();
    const id = await runbooks.execute({ id: doc('DOC-db-failover'), parameters: { cluster: 'orders-main' }, description: 'from chat' });
    const native = id.split(':')[2]!;
    requestsOf([
      {
        method: 'POST',
        path: '/v1/documents/DOC-db-failover',
        route: RUNBOOK_OPERATIONS.executeDocument.route,
        body: { parameters: [{ key: 'cluster', value: 'orders-main' }], description: 'from chat' },
      },
    ]);
    const state = board().execution(native)!;
    expect(state.parameters).toEqual([{ key: 'cluster', value: 'orders-main' }]);

    bot.sim.resetRequests();
    let execution = (await runbooks.execution(id))!;
    requestsOf([
      { method: 'GET', path: `/v1/executions/${native}`, route: RUNBOOK_OPERATIONS.getExecution.route },
      { method: 'GET', path: `/v1/executions/${native}/steps?limit=100&offset=0`, route: RUNBOOK_OPERATIONS.listExecutionSteps.route },
    ]);
    expect(execution).toMatchObject({ state: 'running', statusCode: 'PROCESSING', runbookName: 'Fail the orders database over', parameters: [{ name: 'cluster', value: 'orders-main' }] });
    expect(execution.steps.map((step) => step.statusCode)).toEqual(['PROCESSING', 'READY', 'READY', 'READY']);
    expect(runbooks.operationsFor(execution)).toEqual(['terminate']);

    bot.sim.advanceClock(11_000);
    execution = (await runbooks.execution(id))!;
    expect(execution.state).toBe('paused');
    expect(execution.steps.map((step) => step.statusCode)).toEqual(['FINISHED', 'PAUSED', 'READY', 'READY']);
    expect(runbooks.operationsFor(execution)).toEqual(['resume', 'terminate']);

    bot.sim.resetRequests();
    await runbooks.operate({ id, operation: 'resume' });
    requestsOf([{ method: 'POST', path: '/v1/executions', route: RUNBOOK_OPERATIONS.operateExecution.route, body: { execution_id: native, operate_type: 'RESUME' } }]);
    bot.sim.advanceClock(36_000);
    execution = (await runbooks.execution(id))!;
    expect(execution.state).toBe('finished');
    expect(execution.steps.every((step) => step.statusCode === 'FINISHED')).toBe(true);
    expect(runbooks.operationsFor(execution)).toEqual([]);
    expect(state.operations.map((operation) => operation.type)).toEqual(['RESUME']);
  });

  it('RETRY and SKIP_BATCH on a failed step, TERMINATE on a running execution; an operation that does not fit is refused', async () => {
    const first = await runbooks.execute({ id: doc('DOC-rotate-logs'), parameters: { retention_days: '7' } });
    bot.sim.advanceClock(21_000);
    expect((await runbooks.execution(first))!.state).toBe('failed');
    await runbooks.operate({ id: first, operation: 'retry' });
    bot.sim.advanceClock(11_000);
    expect((await runbooks.execution(first))!.state).toBe('finished');

    const second = await runbooks.execute({ id: doc('DOC-rotate-logs'), parameters: { retention_days: '7' } });
    bot.sim.advanceClock(21_000);
    bot.sim.resetRequests();
    await runbooks.operate({ id: second, operation: 'skip' });
    requestsOf([{ method: 'POST', path: '/v1/executions', route: RUNBOOK_OPERATIONS.operateExecution.route, body: { execution_id: second.split(':')[2], operate_type: 'SKIP_BATCH' } }]);
    const skipped = (await runbooks.execution(second))!;
    expect(skipped.state).toBe('finished');
    expect(skipped.steps.map((step) => step.statusCode)).toEqual(['FINISHED', 'SKIPPED']);

    const third = await runbooks.execute({ id: doc('DOC-restart-web-service'), parameters: {} });
    await runbooks.operate({ id: third, operation: 'terminate' });
    const terminated = (await runbooks.execution(third))!;
    expect(terminated.state).toBe('canceled');
    expect(terminated.parameters).toEqual([
      { name: 'service', value: 'nginx' },
      { name: 'drain_seconds', value: '30' },
    ]);
    await expect(runbooks.operate({ id: third, operation: 'resume' })).rejects.toMatchObject({ kind: 'refused' });
  });

  it('an execute the document’s definitions refuse changes nothing; executionsOf finds a runbook’s executions newest first', async () => {
    const before = board().allExecutions().length;
    await expect(runbooks.execute({ id: doc('DOC-db-failover'), parameters: { cluster: 'NO' } })).rejects.toMatchObject({ kind: 'refused' });
    await expect(runbooks.execute({ id: doc('DOC-db-failover'), parameters: { cluster: 'orders-main', other: 'x' } })).rejects.toMatchObject({ kind: 'refused' });
    expect(board().allExecutions()).toHaveLength(before);

    // start_time is "greater than" (the SDK).
    const since = bot.sim.now() - 1;
    const id = await runbooks.execute({ id: doc('DOC-restart-web-service'), parameters: { service: 'httpd' } });
    bot.sim.resetRequests();
    const found = (await runbooks.executionsOf(doc('DOC-restart-web-service'), since)).items;
    requestsOf([{ method: 'GET', path: `/v1/executions?limit=100&offset=0&document_id=DOC-restart-web-service&start_time=${since}`, route: RUNBOOK_OPERATIONS.listExecutions.route }]);
    expect(found.map((execution) => execution.id)).toEqual([id]);
  });

  it('faults on the writes: a lost execute answer is unknown (COC acted) and sent once; a refused operation changes nothing', async () => {
    const route = `POST ${RUNBOOK_OPERATIONS.executeDocument.route}`;
    const before = board().allExecutions().length;
    const sent = bot.sim.countRequests(route);
    bot.sim.faults.set(route, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    let failure: unknown;
    try {
      await runbooks.execute({ id: doc('DOC-restart-web-service'), parameters: {} });
    } catch (error) {
      failure = error;
    } finally {
      bot.sim.faults.clear(route);
    }
    // COC acted, the answer was lost: the write may have happened, and it was not sent again.
    expect(writeFailureOf(failure)).toBe('unknown');
    expect(bot.sim.countRequests(route) - sent).toBe(1);
    expect(board().allExecutions()).toHaveLength(before + 1);

    const operate = `POST ${RUNBOOK_OPERATIONS.operateExecution.route}`;
    const id = await runbooks.execute({ id: doc('DOC-restart-web-service'), parameters: {} });
    bot.sim.faults.set(operate, { kind: 'status', status: 400, errorCode: 'COC.00040601', errorMsg: 'Bad request', times: 1 });
    try {
      await expect(runbooks.operate({ id, operation: 'terminate' })).rejects.toSatisfy((error) => writeFailureOf(error) === 'refused');
    } finally {
      bot.sim.faults.clear(operate);
    }
    expect((await runbooks.execution(id))!.state).toBe('running');
  });

  it('BlueKing declares no runbooks', () => {
    expect(capabilitiesOf(declaredBackend()).has('runbooks')).toBe(true);
    expect(capabilitiesOf(declaredBackend({ backend: 'blueking' })).has('runbooks')).toBe(false);
    // Typed there, each is refused as not on this platform, not as unknown.
    const blueking = commandRegistry(declaredBackend({ backend: 'blueking' }));
    expect(blueking.unservedFor(['runbooks'])).toBe('runbooks');
    expect(blueking.unservedFor(['runbook', 'run', 'DOC-x'])).toBe('runbook run');
    expect(blueking.unservedFor(['runbook', 'execution', 'EXE1'])).toBe('runbook execution');
  });
});
