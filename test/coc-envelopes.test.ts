/** Envelope parsing and error bodies, on the wire and as units. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CocApiError, CocFailureAnswerError, CocResponseShapeError, type CocClient } from '../src/coc/index.js';
import { readErrorFields } from '../src/coc/transport/error-body.js';
import { unwrapEnvelope } from '../src/coc/transport/envelopes.js';
import { executeBody, json, startTestServer, testClient, type TestServer } from './coc-helpers.js';

let server: TestServer;
let client: CocClient;

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server, { retry: { retries: 0 } });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

function answer(status: number, body: unknown, headers: Record<string, string> = {}): void {
  server.handle((_request, response) => json(response, status, body, headers));
}

function answerRaw(status: number, text: string, contentType = 'text/html'): void {
  server.handle((_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(text);
  });
}

async function failure(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as Error,
  );
}

describe('data envelope', () => {
  it('unwraps {data: id}', async () => {
    answer(200, { data: 'SCT2023083109562601af694bf' });
    await expect(client.executeScript('SC1', executeBody())).resolves.toBe('SCT2023083109562601af694bf');
  });

  it('falls back to the root when data is missing (documented unwrapped detail)', async () => {
    answer(200, { script_uuid: 'SC1', name: 'restart', script_params: null, properties: { risk_level: 'LOW' } });
    const detail = await client.getScript('SC1');
    expect(detail.script_uuid).toBe('SC1');
    expect(detail.script_params).toEqual([]);
  });

  it('reads an unwrapped page {total, data: [...]} and a wrapped one alike', async () => {
    const page = { total: 1, data: [{ id: 7, script_uuid: 'SC7', name: 'x', status: 'APPROVED' }] };
    answer(200, page);
    const unwrapped = await client.listScripts({ limit: 10 });
    answer(200, { data: page });
    const wrapped = await client.listScripts({ limit: 10 });
    expect(unwrapped.total).toBe(1);
    expect(wrapped.data[0]?.script_uuid).toBe('SC7');
    expect(unwrapped.data[0]?.script_uuid).toBe('SC7');
  });

  it('reads the batch list wrapped or as the documented bare array', async () => {
    const batches = [{ batch_index: 1, total_instances: 2, rotation_strategy: 'PAUSE', properties: '' }];
    answer(200, batches);
    await expect(client.listScriptOrderBatches('SCT1')).resolves.toMatchObject(batches);
    answer(200, { data: batches });
    await expect(client.listScriptOrderBatches('SCT1')).resolves.toMatchObject(batches);
  });

  it('treats a 2xx body with error_code and no data as an error', async () => {
    answer(200, { error_code: 'COC.00040701', error_msg: 'script not approved' });
    const error = await failure(client.executeScript('SC1', executeBody()));
    expect(error).toBeInstanceOf(CocApiError);
    expect(error).toMatchObject({ status: 200, errorCode: 'COC.00040701', errorMsg: 'script not approved' });
  });

  it('treats 204 with no body where an id is expected as COC\'s documented failure status, without a reason', async () => {
    server.handle((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    const error = await failure(client.executeScript('SC1', executeBody()));
    expect(error).toBeInstanceOf(CocFailureAnswerError);
    expect(error).toMatchObject({ status: 204, errorCode: undefined, errorMsg: undefined });
  });

  it('accepts an empty answer where COC models none (resource sync)', async () => {
    server.handle((_request, response) => {
      response.writeHead(200);
      response.end();
    });
    await expect(client.syncResources({ provider: 'ecs' })).resolves.toBeUndefined();
    answer(200, { data: true });
    await expect(client.syncResources()).resolves.toBe(true);
  });

  it('reports a wrong shape as path: message issues without the body', async () => {
    answer(200, { data: { execute_uuid: 42, status: 'FINISHED', creator: 'SECRET-LOOKING-VALUE' } });
    const error = await failure(client.getScriptOrder('SCT1'));
    expect(error).toBeInstanceOf(CocResponseShapeError);
    expect((error as CocResponseShapeError).issues).toEqual(['execute_uuid: must be a string, got 42']);
    expect(error.message).not.toContain('SECRET-LOOKING-VALUE');
  });

  it('reports a non-JSON 200 as a shape error without echoing it', async () => {
    answerRaw(200, '<html>gateway login page SECRET-LOOKING-VALUE</html>');
    const error = await failure(client.getScript('SC1'));
    expect(error).toBeInstanceOf(CocResponseShapeError);
    expect(error.message).toContain('response is not JSON (HTTP 200)');
    expect(error.message).not.toContain('SECRET-LOOKING-VALUE');
  });

  it('normalises resource tags given as a map or a list, and keeps unknown fields', async () => {
    answer(200, {
      data: [
        { id: 'c1', resource_id: 'ecs-1', tags: { env: 'prod', tier: null }, agent_state: 'ONLINE', brand_new_field: 1 },
        { id: 'c2', resource_id: 'ecs-2', tags: [{ key: 'env', value: 'dev' }], agent_state: 'HIBERNATING' },
        { id: 'c3', resource_id: 'ecs-3', tags: null },
      ],
    });
    const [first, second, third] = await client.listResources({ provider: 'ecs', type: 'cloudservers', limit: 10 });
    expect(first?.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'tier', value: '' },
    ]);
    expect((first as Record<string, unknown>)['brand_new_field']).toBe(1);
    expect(second?.tags).toEqual([{ key: 'env', value: 'dev' }]);
    expect(second?.agent_state).toBe('HIBERNATING');
    expect(third?.tags).toEqual([]);
  });

  it('accepts SDK, reference and unknown order statuses, null timestamps and numeric strings', async () => {
    for (const status of ['ABNORMAL', 'ERROR', 'ROLLBACKED', 'SOMETHING_NEW']) {
      answer(200, { data: { execute_uuid: 'SCT1', status, gmt_created: '1697946452186', gmt_finished: null, execute_costs: null } });
      const order = await client.getScriptOrder('SCT1');
      expect(order.status).toBe(status);
      expect(order.gmt_created).toBe(1697946452186);
      expect(order.gmt_finished).toBeNull();
    }
  });
});

describe('provider_code / error_code envelope', () => {
  const pce = (data: unknown, code = 'GOM.00000000', provider: unknown = '049') => ({ provider_code: provider, error_code: code, error_msg: null, data });

  it('succeeds on 2xx with a code ending in 00000000, provider_code string or number', async () => {
    answer(200, pce({ incident_num: 'IM1' }));
    await expect(client.createIncident(incidentInput())).resolves.toBe('IM1');
    answer(200, pce({ incident_num: 'IM2' }, 'GOM.00000000', 4));
    await expect(client.createIncident(incidentInput())).resolves.toBe('IM2');
    answer(200, { error_code: 'COC.00000000', error_msg: 'success', data: null, provider_code: '049' });
    await expect(client.reportCustomEvent('key', eventInput())).resolves.toBeUndefined();
  });

  it('fails on 2xx with any other error_code', async () => {
    answer(200, { provider_code: 4, error_code: 'GOM.00007256', error_msg: 'Invalid parameters', data: null });
    const error = await failure(client.handleIncident({ incident_num: 'IM1', operator: 'u', operate_key: 'acceptedIncident1' }));
    expect(error).toMatchObject({ status: 200, errorCode: 'GOM.00007256', errorMsg: 'Invalid parameters' });
  });

  it('is a shape error without error_code, or with a non-scalar provider_code', async () => {
    answer(200, { data: { incident_num: 'IM1' } });
    expect(await failure(client.getIncident('IM1'))).toBeInstanceOf(CocResponseShapeError);
    answer(200, { provider_code: {}, error_code: 'GOM.00000000', data: { incident_num: 'IM1' } });
    expect(await failure(client.getIncident('IM1'))).toBeInstanceOf(CocResponseShapeError);
  });

  it('reads the v2 incident list from {total, list}, a bare list, or null', async () => {
    answer(200, pce({ total: 5, list: [{ ticket_id: 'IM1', work_flow_status: 'INCIDENT_STATUS_TRIGGERED', create_time: '1710739323172', handle_time: '' }] }));
    const page = await client.listIncidents({ per_page: 1 });
    expect(page.total).toBe(5);
    expect(page.items[0]).toMatchObject({ ticket_id: 'IM1', create_time: 1710739323172, handle_time: null });
    answer(200, pce([{ ticket_id: 'IM2' }]));
    await expect(client.listIncidents()).resolves.toMatchObject({ total: 1, items: [{ ticket_id: 'IM2' }] });
    answer(200, pce(null));
    await expect(client.listIncidents()).resolves.toEqual({ total: 0, items: [] });
  });

  it('reads the WarRoom list page, including a counts-only answer', async () => {
    answer(200, pce({ list: [{ id: 'WR1', title: 't', war_room_status: { id: '1', name_en: 'Running' } }], total: 1, running_num: 1, closed_num: 0, total_num: 1 }));
    await expect(client.listWarRooms({ limit: 10 })).resolves.toMatchObject({ total: 1, list: [{ id: 'WR1' }] });
    answer(200, pce({ running_num: 2, closed_num: 3, total_num: 5 }));
    await expect(client.listWarRooms({ statistic_flag: true })).resolves.toMatchObject({ list: [], total_num: 5 });
  });
});

describe('bare envelope', () => {
  it('takes the body as the payload', async () => {
    answer(200, { count: 0, instance_compliant: [] });
    await expect(client.listPatchCompliance()).resolves.toEqual({ count: 0, instance_compliant: [] });
  });

  it('treats {error_code, error_msg} on 2xx as an error', async () => {
    answer(200, { error_code: 'COC.00060001', error_msg: 'bad' });
    expect(await failure(client.listPatchCompliance())).toMatchObject({ errorCode: 'COC.00060001' });
  });
});

describe('error bodies (HTTP >= 400)', () => {
  it.each([
    ['error_code + error_msg', { error_code: 'COC.00040601', error_msg: 'duplicate name' }, 'COC.00040601', 'duplicate name'],
    ['code + message', { code: 'APIG.0303', message: 'Incorrect app authentication information' }, 'APIG.0303', 'Incorrect app authentication information'],
    ['nested one level down', { error: { code: 401, title: 'Unauthorized', message: 'token expired' } }, '401', 'token expired'],
    ['PCE error', { provider_code: '049', error_code: 'GOM.00007257', error_msg: 'not found', data: null }, 'GOM.00007257', 'not found'],
  ])('%s', async (_name, body, errorCode, errorMsg) => {
    answer(400, body, { 'X-REQUEST-ID': 'req-123' });
    const error = await failure(client.createScript({ name: 'n', description: 'd', type: 'SHELL', content: 'c', properties: { risk_level: 'LOW', version: '1' } }));
    expect(error).toBeInstanceOf(CocApiError);
    expect(error).toMatchObject({ status: 400, errorCode, errorMsg, requestId: 'req-123' });
  });

  it('keeps nothing of a non-JSON error body', async () => {
    answerRaw(502, '<html>Bad gateway SECRET-LOOKING-VALUE</html>');
    const error = await failure(client.deleteScript('SC1'));
    expect(error).toMatchObject({ status: 502, errorCode: undefined, errorMsg: undefined });
    expect(error.message).not.toContain('SECRET-LOOKING-VALUE');
  });
});

describe('unwrapEnvelope and readErrorFields (units)', () => {
  it('turns the documented "204 {error_code, error_msg}" into an API error', () => {
    expect(unwrapEnvelope('data', { present: true, value: { error_code: 'COC.00040701', error_msg: 'error_msg' } })).toEqual({
      kind: 'api-error',
      errorCode: 'COC.00040701',
      errorMsg: 'error_msg',
    });
  });

  it('does not treat a success code without data as an error', () => {
    expect(unwrapEnvelope('data', { present: true, value: { error_code: 'COC.00000000' } })).toEqual({ kind: 'payload', payload: { error_code: 'COC.00000000' } });
  });

  it('wants the PCE envelope to be present', () => {
    expect(unwrapEnvelope('pce', { present: false }).kind).toBe('shape');
    expect(unwrapEnvelope('pce', { present: true, value: [] }).kind).toBe('shape');
  });

  it('reads numeric error codes as text and ignores bodies that are not objects', () => {
    expect(readErrorFields({ error_code: 4001, error_msg: '' })).toEqual({ errorCode: '4001', errorMsg: undefined });
    expect(readErrorFields('oops')).toEqual({ errorCode: undefined, errorMsg: undefined });
    expect(readErrorFields({ detail: 'x' })).toEqual({ errorCode: undefined, errorMsg: undefined });
  });

  it('checks payloads with any schema through CocHttp.call', async () => {
    answer(200, { data: { n: 1 } });
    await expect(client.http.call({ method: 'GET', route: '/v1/anything', envelope: 'data', response: z.object({ n: z.number() }) })).resolves.toEqual({ n: 1 });
  });
});

function incidentInput() {
  return {
    incident_level: 'level_40' as const,
    is_service_interrupt: false,
    incident_type: 'inc_type_p_function_issues' as const,
    incident_title: 't',
    incident_source: 'incident_source_manual' as const,
    creator: 'u1',
    incident_assignee: ['u2'],
  };
}

function eventInput() {
  return { alarmId: 'a', alarmName: 'n', alarmLevel: 'Info' as const, time: 1, nameSpace: 'ns', alarmDesc: 'd', alarmSource: 's', applicationId: 'app' };
}
