/**
 * COC's alarm centre through the COC backend against the simulator: every operation's request as
 * the simulator recorded it (method, encoded path, query, JSON body field by field, content type,
 * AK/SK signature accepted) and its answer in the product's words; unknown alarms; the simulator's
 * state after each write (an incident in its incident desk, a resolved record, a handling); and
 * BlueKing declaring none of it, so its command set has none of these commands.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALARM_OPERATIONS } from '../src/coc/api/alarms.js';
import { CocValidationError } from '../src/coc/errors.js';
import type { CocClient } from '../src/coc/client.js';
import { capabilitiesOf, makeId, need, type AlarmsCapability } from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { declaredBackend } from '../src/app/backends.js';
import { commandRegistry } from '../src/app/commands.js';
import { SIM_DEFAULT_AK, startSimulator, type RequestRecord, type Simulator } from '../src/sim/server.js';
import { raiseManagedAlarm } from '../src/sim/routes/alarms.js';
import { routeKeyOf } from './coc-helpers.js';
import { scriptUuid, simClient } from './sim-helpers.js';

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

let sim: Simulator;
let client: CocClient;
let alarms: AlarmsCapability;

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, tickMs: 0 });
  client = simClient(sim, { timeoutMs: 5_000, retry: { retries: 0 } });
  alarms = need(createCocBackend(client), 'alarms');
});
afterAll(async () => {
  await client.close();
  await sim.close();
});
beforeEach(() => {
  sim.faults.clear();
  sim.resetRequests();
});

const raise = (name: string, task?: { type: 'SCRIPT' | 'RUNBOOK'; name: string }) =>
  raiseManagedAlarm(sim.world, { name, importance: 'major', appName: 'storefront', region: 'cn-north-4', minutesAgo: 3, status: 'alarming', ...(task ? { task } : {}) });
const idOf = (native: string) => makeId('coc', 'alarm', native);

/** The one request the call sent, checked on the wire. */
function onlyRequest(expected: { method: string; path: string; route: string; query?: Record<string, string[]>; body?: unknown }): RequestRecord {
  const requests = sim.requests;
  expect(requests, 'exactly one request, never retried').toHaveLength(1);
  const request = requests[0]!;
  expect({ method: request.method, path: request.path, routeKey: request.routeKey }).toEqual({ method: expected.method, path: expected.path, routeKey: `${expected.method} ${expected.route}` });
  expect(request.query).toStrictEqual(expected.query ?? {});
  expect(request.body).toStrictEqual(expected.body);
  expect(request.headers['content-type']).toBe(expected.body === undefined ? undefined : JSON_CONTENT_TYPE);
  // Signed with the bot's AK/SK; the simulator verified the signature (status < 400).
  expect(request.auth).toEqual({ kind: 'aksk', access: SIM_DEFAULT_AK });
  expect(request.status).toBeLessThan(400);
  return request;
}

describe('GET /v1/alarm-mgmt/alarm/{alarm_id}', () => {
  it('reads AlarmInfoDto into the product’s alarm: severity beside COC’s importance, status, linked script', async () => {
    const alarm = raise('CPU above 95%', { type: 'SCRIPT', name: 'disk_usage' });
    const got = await alarms.get!(idOf(alarm.id));
    onlyRequest({ method: 'GET', path: `/v1/alarm-mgmt/alarm/${alarm.id}`, route: ALARM_OPERATIONS.show.route });
    expect(got).toMatchObject({
      title: 'CPU above 95%',
      level: { state: 'major', code: 'major' },
      statusCode: 'alarming',
      beganAt: alarm.createTime,
      source: 'Cloud Eye',
      application: alarm.app,
      owner: 'alice',
      region: 'cn-north-4',
      automation: { kind: 'script', id: scriptUuid(sim, 'disk_usage'), name: 'disk_usage', shared: false },
    });
    expect(got?.incident).toBeUndefined();
  });

  it('answers undefined for an alarm COC does not have (404), and refuses an id that is no path segment before sending', async () => {
    expect(await alarms.get!(idOf('no-such-alarm'))).toBeUndefined();
    expect(sim.requests[0]?.status).toBe(404);
    sim.resetRequests();
    await expect(alarms.history!(idOf('a/b'), { limit: 1, offset: 0 })).rejects.toBeDefined();
  });
});

describe('POST /v1/alarm-mgmt/alarms-linked-incident', () => {
  it('sends AlarmToIncidentRequestBody and opens a linked incident in COC', async () => {
    const alarm = raise('Checkout 5xx above 2%');
    const linked = await alarms.linkToIncident!({
      alarm: idOf(alarm.id),
      title: 'Checkout 5xx',
      description: 'From the alarm',
      levelCode: 'level_20',
      typeCode: 'inc_type_p_function_issues',
      application: alarm.app,
      serviceInterrupted: true,
      region: 'cn-north-4',
      assignee: 'bob',
    });
    onlyRequest({
      method: 'POST',
      path: '/v1/alarm-mgmt/alarms-linked-incident',
      route: ALARM_OPERATIONS.linkIncident.route,
      body: {
        alarm_ids: alarm.id,
        current_cloud_service_id: alarm.app,
        description: 'From the alarm',
        is_service_interrupt: true,
        level_id: 'level_20',
        mtm_type: 'inc_type_p_function_issues',
        title: 'Checkout 5xx',
        mtm_region: 'cn-north-4',
        assignee: 'bob',
      },
    });
    expect(linked.incident).toMatch(/^IM\d+$/);
    expect(sim.world.incidents.get(linked.incident!)).toMatchObject({ title: 'Checkout 5xx', level: 'level_20', source: 'incident_source_alarm', isServiceInterrupt: true, assignee: ['bob'] });
    expect(alarm.associateEventId).toBe(linked.incident);
  });

  it('refuses a level or type COC does not take before sending anything', async () => {
    const alarm = raise('Queue backlog');
    const wrong = { alarm: idOf(alarm.id), title: 't', description: 'd', levelCode: 'P2', typeCode: 'inc_type_p_function_issues', application: alarm.app, serviceInterrupted: false };
    await expect(alarms.linkToIncident!(wrong)).rejects.toBeDefined();
    expect(sim.requests).toHaveLength(0);
  });
});

describe('POST /v1/alarm-mgmt/alarms/cancel', () => {
  it('sends ClearAlarmRequestBody with the reason as remarks; COC resolves the alarm and records who and why', async () => {
    const alarm = raise('Disk latency high');
    await alarms.clear!({ alarm: idOf(alarm.id), reason: 'Replaced the disk', serviceInterrupted: false });
    onlyRequest({ method: 'POST', path: '/v1/alarm-mgmt/alarms/cancel', route: ALARM_OPERATIONS.clear.route, body: { alarm_ids: alarm.id, remarks: 'Replaced the disk', is_service_interrupt: false } });
    expect(alarm.status).toBe('resolved');
    expect(alarm.resolved).toMatchObject({ by: 'chatops-bot', remarks: 'Replaced the disk' });
    expect((await alarms.get!(idOf(alarm.id)))?.endedAt).toBeDefined();
  });
});

describe('GET /v1/alarm-mgmt/alarm/{alarm_id}/handle-histories and POST …/auto-process', () => {
  it('runs the linked script (AutoHandlerAlarmRequestBody), and the history shows the handling and, once cleared, who cleared it', async () => {
    const alarm = raise('Log volume full', { type: 'SCRIPT', name: 'disk_usage' });
    const automation = (await alarms.get!(idOf(alarm.id)))!.automation!;
    sim.resetRequests();
    const ran = await alarms.runLinked!({ alarm: idOf(alarm.id), automation, parameters: { mount_point: '/var/log' }, region: 'cn-north-4' });
    onlyRequest({
      method: 'POST',
      path: `/v1/alarm-mgmt/alarm/${alarm.id}/auto-process`,
      route: ALARM_OPERATIONS.autoProcess.route,
      body: {
        task_type: 'SCRIPT',
        associated_task_id: scriptUuid(sim, 'disk_usage'),
        associated_task_type: 'CUSTOMIZATION',
        associated_task_name: 'disk_usage',
        input_param: { mount_point: '/var/log' },
        region_id: 'cn-north-4',
      },
    });
    expect(ran.workOrder).toBe(alarm.handlings[0]!.workOrderId);

    await alarms.clear!({ alarm: idOf(alarm.id), reason: 'Rotated logs' });
    sim.resetRequests();
    const history = await alarms.history!(idOf(alarm.id), { limit: 10, offset: 0 });
    onlyRequest({ method: 'GET', path: `/v1/alarm-mgmt/alarm/${alarm.id}/handle-histories`, route: ALARM_OPERATIONS.handleHistories.route, query: { offset: ['0'], limit: ['10'] } });
    expect(history).toMatchObject({ total: 1, handlings: [{ workOrder: ran.workOrder, kind: 'SCRIPT', automation: 'disk_usage', status: 'FINISHED', by: 'chatops-bot' }], cleared: { by: 'chatops-bot', reason: 'Rotated logs' } });
  });

  it('is refused by COC for a task the alarm is not linked to (400 with its error body: nothing ran)', async () => {
    const alarm = raise('Nothing linked');
    await expect(alarms.runLinked!({ alarm: idOf(alarm.id), automation: { kind: 'script', id: 'x'.repeat(8), name: 'x', shared: false }, parameters: {} })).rejects.toMatchObject({ name: 'BackendRefusedError' });
    expect(alarm.handlings).toHaveLength(0);
  });

  it('validates the history page before sending', async () => {
    await expect(alarms.history!(idOf('abc'), { limit: 0, offset: 0 })).rejects.toBeInstanceOf(Error);
    expect(sim.requests).toHaveLength(0);
    expect(CocValidationError).toBeDefined();
  });
});

describe('what each backend declares', () => {
  it('COC offers the alarm centre; BlueKing declares none of it, so its command set has no such command', () => {
    const coc = capabilitiesOf(declaredBackend());
    for (const capability of ['alarms.get', 'alarms.link-incident', 'alarms.clear', 'alarms.history', 'alarms.run-linked'] as const) expect(coc.has(capability)).toBe(true);
    const blueking = declaredBackend({ backend: 'blueking' });
    const have = capabilitiesOf(blueking);
    for (const capability of ['alarms.link-incident', 'alarms.clear', 'alarms.history', 'alarms.run-linked'] as const) expect(have.has(capability)).toBe(false);
    const words = (backend: ReturnType<typeof declaredBackend>) => commandRegistry(backend).commands.map((command) => command.words.join(' '));
    expect(words(declaredBackend())).toEqual(expect.arrayContaining(['alarms show', 'alarms incident', 'alarms clear', 'alarms history', 'alarms run']));
    expect(words(blueking)).toEqual(expect.arrayContaining(['alarms', 'alarms show']));
    expect(words(blueking)).not.toEqual(expect.arrayContaining(['alarms incident']));
    expect(words(blueking).filter((line) => /^alarms (incident|clear|history|run)$/.test(line))).toEqual([]);
    expect(routeKeyOf(ALARM_OPERATIONS.show)).toBe('GET /v1/alarm-mgmt/alarm/{alarm_id}');
  });
});
