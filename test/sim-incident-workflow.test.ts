/**
 * The simulator's v2 incident workflow (coc-api-notes §2.1) over HTTP: the tasks each caller is
 * offered (the assignee accepts and resolves, anyone but the solver verifies, the automation
 * account acts for people), actions on stale or foreign tasks refused with GOM codes, every
 * change in the histories (creation, v1 handle, v2 action, WarRoom) with operator, times and
 * comment, and faults through the ordinary fault mechanism (a 5xx after acting).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_DEFAULT_AK, SIM_DEFAULT_CREDENTIALS, SIM_DEFAULT_SK, userIdFor } from '../src/sim/defaults.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { call } from './sim-helpers.js';

const KEYS = {
  bot: { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK },
  alice: { ak: 'ALICESIMAK0000000000', sk: 'AliceSimSecretKeyForWorkflowTests000001' },
  bob: { ak: 'BOBSIMAK000000000000', sk: 'BobSimSecretKeyForWorkflowTests00000001' },
} as const;
type Who = keyof typeof KEYS;

const ALICE = userIdFor('alice');
const BOB = userIdFor('bob');

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, tickMs: 0, credentials: [...SIM_DEFAULT_CREDENTIALS, { ...KEYS.alice, userName: 'alice' }, { ...KEYS.bob, userName: 'bob' }] });
});

afterAll(async () => {
  await sim?.close();
});

async function open(title: string, assignee = ALICE): Promise<string> {
  const created = await call(sim, 'POST', '/v1/external/incident/create', {
    current_cloud_service: ['6470681a31da2a47ed50a919'],
    incident_level: 'level_30',
    is_service_interrupt: 'false',
    incident_type: 'inc_type_p_function_issues',
    incident_title: title,
    incident_source: 'incident_source_manual',
    creator: BOB,
    incident_assignee: [assignee],
  });
  return created.json.data.incident_num as string;
}

interface Task {
  key: string;
  state: string;
  operations: { task_id: string; key: string }[];
}

async function tasks(num: string, who: Who): Promise<Task[]> {
  const answer = await call(sim, 'GET', `/v2/incidents/${num}/tasks`, undefined, { keys: KEYS[who] });
  expect(answer.status).toBe(200);
  expect(answer.json.error_code).toBe('GOM.00000000');
  return answer.json.data as Task[];
}

const offered = (list: Task[]) => list.flatMap((task) => task.operations.map((operation) => operation.key));

function act(num: string, who: Who, taskId: string, action: string, params?: Record<string, unknown>) {
  return call(sim, 'POST', `/v2/incidents/${num}/actions`, { task_id: taskId, action, ...(params ? { params } : {}) }, { keys: KEYS[who] });
}

async function histories(num: string, body: unknown = {}) {
  const answer = await call(sim, 'POST', `/v2/incidents/${num}/histories`, body);
  expect(answer.status).toBe(200);
  return answer.json.data as { total: number; info: { action: string; operator: string; status: string; start_time: string; stop_time: string; comment: string; action_name_en: string }[] };
}

describe('v2 incident workflow', () => {
  it('offers each caller what they may do now: the assignee accepts and resolves, anyone but the solver verifies', async () => {
    const num = await open('sim v2: who may');
    expect(offered(await tasks(num, 'alice'))).toEqual(['acceptedIncident1']);
    expect(offered(await tasks(num, 'bob'))).toEqual([]);
    // The automation account is offered what fits the status, to act for people.
    expect(offered(await tasks(num, 'bot'))).toEqual(['acceptedIncident1']);
    const [accept] = await tasks(num, 'alice');
    expect(accept).toMatchObject({ key: 'acceptedIncident', state: 'running' });
    // Bob cannot take alice's task.
    const refused = await act(num, 'bob', accept!.operations[0]!.task_id, 'acceptedIncident1');
    expect(refused.status).toBe(400);
    expect(refused.json.error_code).toBe('GOM.00007256');
    expect((await act(num, 'alice', accept!.operations[0]!.task_id, 'acceptedIncident1')).status).toBe(200);
    expect(sim.world.incidents.get(num)!.status).toBe('INCIDENT_STATUS_ACKNOWLEDGED');
    const solveTask = (await tasks(num, 'alice')).find((task) => task.key === 'commitSolution')!;
    expect(solveTask.state).toBe('running');
    const solved = await act(num, 'alice', solveTask.operations[0]!.task_id, 'commitSolution1', {
      mtm_type: 'inc_type_p_config_issues',
      is_service_interrupt: false,
      cause: 'cache TTL 0',
      solution: 'TTL back to 60 s',
    });
    expect(solved.status).toBe(200);
    // Four eyes: the solver is not offered the verification; bob is.
    expect(offered(await tasks(num, 'alice'))).toEqual([]);
    const confirm = (await tasks(num, 'bob')).find((task) => task.key === 'confirm')!;
    expect(confirm.operations.map((operation) => operation.key)).toEqual(['confirm']);
    expect((await act(num, 'bob', confirm.operations[0]!.task_id, 'confirm', { virtual_confirm_result: false, virtual_confirm_comment: 'still slow' })).status).toBe(200);
    expect(sim.world.incidents.get(num)!.status).toBe('INCIDENT_STATUS_REJECTED');
    expect((await tasks(num, 'alice')).map((task) => [task.key, task.state])).toEqual([
      ['acceptedIncident', 'finished'],
      ['commitSolution', 'running'],
      ['confirm', 'pending'],
    ]);
  });

  it('refuses a task that is no longer current and a missing incident', async () => {
    const num = await open('sim v2: stale');
    const [accept] = await tasks(num, 'alice');
    const taskId = accept!.operations[0]!.task_id;
    expect((await act(num, 'alice', taskId, 'acceptedIncident1')).status).toBe(200);
    const again = await act(num, 'alice', taskId, 'acceptedIncident1');
    expect(again.status).toBe(400);
    expect(again.json.error_msg).toContain('no action [acceptedIncident1] open to you');
    const missing = await call(sim, 'GET', '/v2/incidents/IM404/tasks');
    expect(missing.status).toBe(404);
    expect(missing.json.error_code).toBe('GOM.00007257');
    const bad = await call(sim, 'POST', `/v2/incidents/${num}/actions`, { action: 'confirm' });
    expect(bad.status).toBe(400);
  });

  it('records every change in the histories: creation, v1 handle, v2 action for a person, WarRoom', async () => {
    const num = await open('sim v2: histories');
    await call(sim, 'POST', '/v1/external/incident/handle', { incident_num: num, operator: ALICE, operate_key: 'acceptedIncident1' });
    const room = await call(sim, 'POST', '/v1/external/warrooms', {
      war_room_name: 'sim v2 room',
      application_id_list: ['6470681a31da2a47ed50a919'],
      incident_number: num,
      schedule_group: [],
      war_room_admin: BOB,
      enterprise_project_id: '0',
    });
    expect(room.status).toBe(200);
    const solve = (await tasks(num, 'bot')).find((task) => task.key === 'commitSolution')!;
    // The automation account names the person it acts for.
    await act(num, 'bot', solve.operations[0]!.task_id, 'commitSolution1', { mtm_type: 'inc_type_p_config_issues', is_service_interrupt: false, cause: 'c', solution: 's', operator: ALICE });
    const all = await histories(num);
    expect(all.total).toBe(4);
    expect(all.info.map((entry) => [entry.action, entry.operator, entry.status])).toEqual([
      ['createIncident', BOB, 'INCIDENT_STATUS_TRIGGERED'],
      ['acceptedIncident1', ALICE, 'INCIDENT_STATUS_ACKNOWLEDGED'],
      ['startWarRoom', BOB, 'INCIDENT_STATUS_ACKNOWLEDGED'],
      ['commitSolution1', ALICE, 'INCIDENT_STATUS_RESOLVED'],
    ]);
    expect(all.info[3]).toMatchObject({ comment: 's', action_name_en: 'Submit solution', start_time: expect.stringMatching(/^\d+$/), stop_time: expect.stringMatching(/^\d+$/) });
    const filtered = await histories(num, { string_filters: [{ operator: '=', field: 'operator', values: [BOB] }], sort_filter: { operator: 'desc', field: 'start_time' } });
    expect(filtered.info.map((entry) => entry.action)).toEqual(['startWarRoom', 'createIncident']);
  });

  it('takes faults like every route: a 503 after acting has still moved the incident', async () => {
    const num = await open('sim v2: fault');
    const [accept] = await tasks(num, 'alice');
    sim.faults.set('POST /v2/incidents/{incident_id}/actions', { kind: 'status', status: 503, afterHandling: true, times: 1 });
    const answer = await act(num, 'alice', accept!.operations[0]!.task_id, 'acceptedIncident1');
    expect(answer.status).toBe(503);
    expect(sim.world.incidents.get(num)!.status).toBe('INCIDENT_STATUS_ACKNOWLEDGED');
    sim.faults.set('GET /v2/incidents/{incident_id}/tasks', { kind: 'status', status: 500, times: 1 });
    expect((await call(sim, 'GET', `/v2/incidents/${num}/tasks`)).status).toBe(500);
    expect((await call(sim, 'GET', `/v2/incidents/${num}/tasks`)).status).toBe(200);
  });
});
