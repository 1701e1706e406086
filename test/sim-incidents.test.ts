import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_DEFAULT_INTEGRATION_KEY, startSimulator, userIdFor, type Simulator } from '../src/sim/server.js';
import { call } from './sim-helpers.js';

const ALICE = userIdFor('alice');
const CAROL = userIdFor('carol');

function newIncident(overrides: Record<string, unknown> = {}) {
  return {
    current_cloud_service: ['6470681a31da2a47ed50a919'],
    incident_level: 'level_20',
    is_service_interrupt: 'true',
    incident_type: 'inc_type_p_reliability_issues',
    incident_title: 'web tier 502s',
    incident_description: 'Load balancer returns 502 for 10% of requests',
    incident_source: 'incident_source_manual',
    creator: ALICE,
    incident_assignee: [CAROL],
    region: ['cn-north-4'],
    ...overrides,
  };
}

async function detail(sim: Simulator, num: string) {
  return (await call(sim, 'GET', `/v1/external/incident/${num}`)).json.data;
}

async function handle(sim: Simulator, num: string, operateKey: string, parameter?: Record<string, unknown>) {
  return call(sim, 'POST', '/v1/external/incident/handle', { incident_num: num, operator: CAROL, operate_key: operateKey, parameter });
}

describe('incidents', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 42 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('creates an incident and shows it with zh/en enum names', async () => {
    const created = await call(sim, 'POST', '/v1/external/incident/create', newIncident());
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ provider_code: '049', error_code: 'GOM.00000000', error_msg: null });
    const num = created.json.data.incident_num as string;
    expect(num).toMatch(/^IM\d{24}$/);
    const shown = await detail(sim, num);
    expect(shown).toMatchObject({ incident_num: num, status: 'INCIDENT_STATUS_TRIGGERED', is_service_interrupt: true, incident_assignee: [CAROL], warroom_id: null });
    const names = new Map(shown.enum_data_list.map((entry: any) => [`${entry.filed_key}:${entry.enum_key}`, entry]));
    expect(names.get('level_id:level_20')).toMatchObject({ name_zh: 'P2', name_en: 'P2' });
    expect(names.get('work_flow_status:INCIDENT_STATUS_TRIGGERED')).toMatchObject({ name_zh: '未受理', name_en: 'TRIGGERED' });
    expect(names.get('mtm_type:inc_type_p_reliability_issues')).toMatchObject({ name_zh: '性能/可靠性问题' });
    expect(names.get(`assignee:${CAROL}`)).toMatchObject({ name_en: 'carol' });
  });

  it('validates level, type, source and assignee like COC', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ incident_level: 'level_60' }, /incident_level must be one of level_10/],
      [{ incident_type: 'inc_type_p_weather' }, /incident_type must be one of/],
      [{ incident_source: 'telepathy' }, /incident_source must be one of/],
      [{ incident_assignee: undefined }, /Either incident_assignee or both assignee_scene and assignee_role/],
      [{ incident_assignee: undefined, assignee_scene: 'oncall' }, /Either incident_assignee/],
      [{ incident_assignee: ['nobody-at-all'] }, /incident_assignee.*not a user/],
      [{ incident_assignee: [CAROL, ALICE] }, /incident_assignee size must be at most 1/],
      [{ incident_title: 'x'.repeat(201) }, /incident_title length must be at most 200/],
      [{ creator: undefined }, /creator must not be null/],
    ];
    for (const [override, message] of cases) {
      const result = await call(sim, 'POST', '/v1/external/incident/create', newIncident(override));
      expect(result.status, String(message)).toBe(400);
      expect(result.json).toMatchObject({ provider_code: '049', error_code: 'GOM.00007256', data: null });
      expect(result.json.error_msg).toMatch(message);
    }
    const byScene = await call(sim, 'POST', '/v1/external/incident/create', newIncident({ incident_assignee: undefined, assignee_scene: 'oncall', assignee_role: 'sre' }));
    expect(byScene.status).toBe(200);
  });

  it('moves through TRIGGERED → ACKNOWLEDGED → RESOLVED → REJECTED → RESOLVED → COMPLETED', async () => {
    const num = (await call(sim, 'POST', '/v1/external/incident/create', newIncident())).json.data.incident_num as string;
    const tooEarly = await handle(sim, num, 'commitSolution1', { mtm_type: 'inc_type_p_config_issues', is_service_interrupt: false, cause: 'c', solution: 's' });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.json.error_code).toBe('GOM.00007256');
    expect(tooEarly.json.error_msg).toContain('INCIDENT_STATUS_TRIGGERED');

    expect((await handle(sim, num, 'acceptedIncident1')).json).toMatchObject({ error_code: 'GOM.00000000', data: null });
    expect((await detail(sim, num)).status).toBe('INCIDENT_STATUS_ACKNOWLEDGED');
    expect((await detail(sim, num)).handle_time).toEqual(expect.any(Number));

    const missingCause = await handle(sim, num, 'commitSolution1', { mtm_type: 'inc_type_p_config_issues', is_service_interrupt: false, solution: 's' });
    expect(missingCause.status).toBe(400);
    expect(missingCause.json.error_msg).toMatch(/parameter.cause must not be null/);

    const solution = { mtm_type: 'inc_type_p_config_issues', is_service_interrupt: false, cause: 'bad LB config', solution: 'rolled back' };
    expect((await handle(sim, num, 'commitSolution1', solution)).status).toBe(200);
    const resolved = await detail(sim, num);
    expect(resolved.status).toBe('INCIDENT_STATUS_RESOLVED');
    expect(resolved.incident_type).toBe('inc_type_p_config_issues');

    expect((await handle(sim, num, 'confirm', { virtual_confirm_result: false, virtual_confirm_comment: 'still failing' })).status).toBe(200);
    const rejected = await detail(sim, num);
    expect(rejected.status).toBe('INCIDENT_STATUS_REJECTED');
    expect(rejected.enum_data_list).toContainEqual({ filed_key: 'work_flow_status', enum_key: 'INCIDENT_STATUS_REJECTED', name_zh: '被驳回', name_en: 'REJECTED' });
    // A rejected incident is not accepted again, nor verified: its solution is reworked.
    expect((await handle(sim, num, 'acceptedIncident1')).status).toBe(400);
    expect((await handle(sim, num, 'confirm', { virtual_confirm_result: true, virtual_confirm_comment: 'ok' })).status).toBe(400);
    expect((await handle(sim, num, 'commitSolution1', solution)).status).toBe(200);
    expect((await handle(sim, num, 'confirm', { virtual_confirm_result: true, virtual_confirm_comment: 'ok' })).status).toBe(200);
    expect((await detail(sim, num)).status).toBe('INCIDENT_STATUS_COMPLETED');

    const afterCompletion = await handle(sim, num, 'acceptedIncident1');
    expect(afterCompletion.status).toBe(400);
    expect(afterCompletion.json.error_msg).toContain('INCIDENT_STATUS_COMPLETED');
    const unknownKey = await handle(sim, num, 'closeIncident');
    expect(unknownKey.json.error_msg).toBe('The field[operate_key] value[closeIncident] invalid');
    const unknownIncident = await handle(sim, 'IM000000000000000000000000', 'acceptedIncident1');
    expect(unknownIncident.status).toBe(404);
    expect(unknownIncident.json.error_code).toMatch(/^GOM\./);
  });

  it('lists incidents with string filters, conditions, paging and sorting', async () => {
    const all = (await call(sim, 'POST', '/v2/incidents/list', { per_page: 200 })).json.data;
    expect(all.total).toBe(sim.world.incidents.all().length);
    expect(all.list[0]).toHaveProperty('ticket_id');
    expect(all.list[0]).toHaveProperty('enum_data_list');
    const created = all.list.map((row: any) => Number(row.create_time));
    expect(created).toEqual([...created].sort((a, b) => b - a));

    const triggered = (
      await call(sim, 'POST', '/v2/incidents/list', { string_filters: [{ operator: 'in', field: 'work_flow_status', values: ['INCIDENT_STATUS_TRIGGERED'] }], per_page: 200 })
    ).json.data;
    expect(triggered.total).toBeGreaterThan(0);
    expect(triggered.list.every((row: any) => row.work_flow_status === 'INCIDENT_STATUS_TRIGGERED')).toBe(true);

    const mine = (
      await call(sim, 'POST', '/v2/incidents/list', {
        string_filters: [
          { name: 'a', operator: '=', field: 'assignee', values: [CAROL] },
          { name: 'b', operator: 'like', field: 'title', values: ['replication'] },
        ],
        condition: 'a | b',
        per_page: 200,
      })
    ).json.data;
    expect(mine.list.every((row: any) => row.assignee === CAROL || /replication/i.test(row.title))).toBe(true);
    expect(mine.list.some((row: any) => /replication/i.test(row.title))).toBe(true);

    const page2 = (await call(sim, 'POST', '/v2/incidents/list', { page: 2, per_page: 2, sort_filter: { field: 'create_time', operator: 'asc' } })).json.data;
    const asc = [...created].sort((a, b) => a - b);
    expect(page2.list.map((row: any) => Number(row.create_time))).toEqual(asc.slice(2, 4));

    const badField = await call(sim, 'POST', '/v2/incidents/list', { string_filters: [{ operator: 'in', field: 'colour', values: ['red'] }] });
    expect(badField.status).toBe(400);
    const badCondition = await call(sim, 'POST', '/v2/incidents/list', { string_filters: [{ name: 'a', operator: 'in', field: 'level_id', values: ['level_10'] }], condition: 'a & zz' });
    expect(badCondition.status).toBe(400);
    expect((await call(sim, 'POST', '/v2/incidents/list', { per_page: 201 })).status).toBe(400);
  });
});

describe('WarRooms, custom events and patch reports', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 42 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('creates a WarRoom for an existing incident, links it and lists it', async () => {
    const num = (await call(sim, 'POST', '/v1/external/incident/create', newIncident())).json.data.incident_num as string;
    const body = {
      war_room_name: 'web tier 502s',
      application_id_list: ['6470681a31da2a47ed50a919'],
      incident_number: num,
      schedule_group: [{ role_id: 'r1', scene_id: 's1' }],
      war_room_admin: CAROL,
      enterprise_project_id: '0',
      participant: [ALICE],
    };
    const created = await call(sim, 'POST', '/v1/external/warrooms', body);
    expect(created.status).toBe(200);
    const id = created.json.data as string;
    expect(id).toMatch(/^WR\d{24}$/);
    expect((await detail(sim, num)).warroom_id).toBe(id);

    const duplicate = await call(sim, 'POST', '/v1/external/warrooms', body);
    expect(duplicate.status).toBe(400);
    const orphan = await call(sim, 'POST', '/v1/external/warrooms', { ...body, incident_number: 'IM000000000000000000000000' });
    expect(orphan.status).toBe(404);
    const invalid = await call(sim, 'POST', '/v1/external/warrooms', { ...body, application_id_list: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error_msg).toMatch(/application_id_list size must be at least 1/);

    const listed = (await call(sim, 'POST', '/v1/external/warrooms/list', { incident_num: num })).json.data;
    expect(listed).toMatchObject({ total: 1, running_num: 1, closed_num: 0, total_num: 1 });
    expect(listed.list[0]).toMatchObject({ id, war_room_num: id, admin: CAROL, war_room_status: { id: 'RUNNING', name_en: 'Running' } });
    const all = (await call(sim, 'POST', '/v1/external/warrooms/list', {})).json.data;
    expect(all.total_num).toBe(all.running_num + all.closed_num);
    expect(all.closed_num).toBeGreaterThanOrEqual(1);
    const byNums = (await call(sim, 'POST', '/v1/external/warrooms/list', { war_room_nums: [id], incident_num: 'ignored' })).json.data;
    expect(byNums.list.map((room: any) => room.id)).toEqual([id]);
    const stats = (await call(sim, 'POST', '/v1/external/warrooms/list', { statistic_flag: true })).json.data;
    expect(stats.list).toEqual([]);
    expect(stats.total_num).toBe(all.total_num);
  });

  it('stores custom events as alarms and validates them', async () => {
    const path = `/v1/event/huawei/custom/${SIM_DEFAULT_INTEGRATION_KEY}`;
    const event = {
      alarmId: 'cpu-web-01',
      alarmName: 'CPU above 90%',
      alarmLevel: 'Critical',
      time: sim.now(),
      nameSpace: 'ecs',
      alarmDesc: 'CPU usage 97%',
      alarmSource: 'prometheus',
      applicationId: '6470681a31da2a47ed50a919',
      regionId: 'cn-north-4',
      resourceName: 'web-01',
      alarmStatus: 'alarm',
      additional: { value: 97 },
    };
    const ok = await call(sim, 'POST', path, event);
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ error_code: 'COC.00000000', error_msg: 'success', data: null, provider_code: '049' });
    expect(sim.world.alarms.all().at(-1)).toMatchObject({ alarmId: 'cpu-web-01', alarmLevel: 'Critical', alarmStatus: 'alarm' });
    await call(sim, 'POST', path, { ...event, alarmStatus: 'ok' });
    expect(sim.world.alarms.all()).toHaveLength(1);
    expect(sim.world.alarms.all()[0]?.alarmStatus).toBe('ok');

    const invalid = await call(sim, 'POST', path, { alarmLevel: 'Severe', time: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error_code).toBe('COC.00000001');
    expect(invalid.json.error_msg).toContain('alarmId must not be null | alarmName must not be null');
    expect(invalid.json.error_msg).toContain('alarmLevel must be one of Critical|Major|Minor|Info');

    const unknownKey = await call(sim, 'POST', '/v1/event/huawei/custom/not-a-key', event);
    expect(unknownKey.status).toBe(404);
    expect(unknownKey.json).toMatchObject({ error_code: 'COC.00000001', provider_code: '049' });
  });

  it('reports patch compliance with 1-based pages and consistent summaries', async () => {
    const all = (await call(sim, 'GET', '/v1/patch/instance/compliant?limit=100')).json;
    expect(all.count).toBe(all.instance_compliant.length);
    const nonCompliant = (await call(sim, 'GET', '/v1/patch/instance/compliant?limit=100&compliant_status=non_compliant')).json;
    expect(nonCompliant.count).toBeGreaterThan(0);
    expect(nonCompliant.count).toBeLessThan(all.count);
    const page1 = (await call(sim, 'GET', '/v1/patch/instance/compliant?offset=1&limit=5')).json.instance_compliant;
    const page2 = (await call(sim, 'GET', '/v1/patch/instance/compliant?offset=2&limit=5')).json.instance_compliant;
    expect([...page1, ...page2].map((report: any) => report.id)).toEqual(all.instance_compliant.slice(0, 10).map((report: any) => report.id));

    const report = nonCompliant.instance_compliant[0];
    const items = (await call(sim, 'GET', `/v1/patch/instance/compliant/${report.id}?limit=100`)).json;
    expect(items.count).toBe(report.compliant_summary.compliant_count + report.non_compliant_summary.non_compliant_count);
    const failing = items.compliance_items.filter((item: any) => !['INSTALLED', 'INSTALLED_OTHER'].includes(item.patch_detail.patch_status));
    expect(failing.length).toBe(report.non_compliant_summary.non_compliant_count);
    const severity = report.non_compliant_summary.severity_summary;
    expect(Object.values(severity).reduce((sum: number, value) => sum + Number(value), 0)).toBe(failing.length);
    const missing = (await call(sim, 'GET', `/v1/patch/instance/compliant/${report.id}?limit=100&patch_status=MISSING`)).json;
    expect(missing.compliance_items.every((item: any) => item.patch_detail.patch_status === 'MISSING')).toBe(true);

    const unknown = await call(sim, 'GET', '/v1/patch/instance/compliant/ffffffffffffffffffffffffffffffff');
    expect(unknown.status).toBe(500);
    expect(unknown.json).toEqual({ error_code: expect.any(String), error_msg: expect.stringContaining('does not exist') });
    const badLimit = await call(sim, 'GET', '/v1/patch/instance/compliant?limit=101');
    expect(badLimit.status).toBe(500);
    expect(badLimit.json.error_msg).toMatch(/limit must be at most 100/);
  });
});
