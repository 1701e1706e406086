/**
 * The COC backend's incidents and WarRooms groups against the simulator: neutral incidents and
 * rooms from COC's wire shapes (COC's codes kept), the v2 list filters and the write bodies as
 * COC received them, the choices people type, and a failed write judged refused or unknown by
 * COC's rule.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { INCIDENT_OPERATIONS } from '../src/coc/api/incidents.js';
import { WAR_ROOM_OPERATIONS } from '../src/coc/api/warrooms.js';
import {
  BackendRefusedError,
  BackendUnavailableError,
  capabilitiesOf,
  makeId,
  need,
  nativeOf,
  writeFailureOf,
  type IncidentDraft,
  type IncidentsCapability,
  type WarRoomsCapability,
} from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { levelOptions, levelWords, parseLevel, parseType } from '../src/incidents/choices.js';
import { incidentCreateCommand } from '../commands/incident-create.js';
import { helpFields, limitsOf } from '../src/core/arguments/index.js';
import { translator } from '../src/i18n/translate.js';
import { startSimulator, userIdFor, type Simulator } from '../src/sim/server.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { routeKeyOf } from './coc-helpers.js';
import { simClient } from './sim-helpers.js';

const CREATE = routeKeyOf(INCIDENT_OPERATIONS.create);
const HANDLE = routeKeyOf(INCIDENT_OPERATIONS.handle);
const LIST = routeKeyOf(INCIDENT_OPERATIONS.list);
const ROOM_CREATE = routeKeyOf(WAR_ROOM_OPERATIONS.create);
const ROOM_LIST = routeKeyOf(WAR_ROOM_OPERATIONS.list);

let sim: Simulator;
let client: CocClient;
let incidents: IncidentsCapability;
let warRooms: WarRoomsCapability;
let backend: ReturnType<typeof createCocBackend>;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, tickMs: 0 });
  client = simClient(sim, { timeoutMs: 5_000, retry: { retries: 0 } });
  backend = createCocBackend(client);
  incidents = need(backend, 'incidents');
  warRooms = need(backend, 'warRooms');
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.faults.clear();
  sim.resetRequests();
});

const lastBody = (routeKey: string) => sim.requests.filter((record) => record.routeKey === routeKey).at(-1)?.body;

const storefront = APPLICATIONS.find((app) => app.name === 'storefront')!.id;

function draft(title: string): IncidentDraft {
  return {
    title,
    description: '5xx on /pay',
    level: 'level_20',
    type: 'inc_type_p_function_issues',
    serviceInterrupted: true,
    application: storefront,
    creator: userIdFor('alice'),
    assignee: userIdFor('bob'),
    region: 'cn-north-4',
  };
}

describe('the groups', () => {
  it('declare listing, reading, opening and working incidents, and WarRooms', () => {
    const have = capabilitiesOf(createCocBackend(client));
    for (const capability of ['incidents', 'incidents.create', 'incidents.handle', 'war-rooms'] as const) expect(have.has(capability)).toBe(true);
  });
});

describe('choices', () => {
  it('offers COC levels, types and statuses under the words people type', () => {
    const { choices } = incidents;
    expect(levelWords(choices)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(levelOptions(choices)[0]).toEqual({ label: 'P1', value: 'level_10' });
    expect(parseLevel(choices, 'P3')).toBe('level_30');
    expect(parseLevel(choices, 'level_50')).toBe('level_50');
    expect(parseLevel(choices, 'p6')).toBeUndefined();
    expect(parseType(choices, 'networking')).toBe('inc_type_p_networking_issues');
    expect(parseType(choices, 'vendor')).toBe('inc_type_p_suppliers_issues');
    expect(parseType(choices, 'inc_type_p_middlewares')).toBe('inc_type_p_middlewares');
    expect(parseType(choices, 'constructor')).toBeUndefined();
    expect(choices.statuses.map((status) => [status.word, status.code])).toEqual([
      ['draft', 'incident_draft'],
      ['triggered', 'INCIDENT_STATUS_TRIGGERED'],
      ['acknowledged', 'INCIDENT_STATUS_ACKNOWLEDGED'],
      ['rejected', 'INCIDENT_STATUS_REJECTED'],
      ['resolved', 'INCIDENT_STATUS_RESOLVED'],
      ['completed', 'INCIDENT_STATUS_COMPLETED'],
    ]);
  });

  it('are the choices incident create offers: its help lists the level and type words', () => {
    const help = Object.fromEntries(helpFields(incidentCreateCommand, translator('en-US'), limitsOf(backend)).map((field) => [field.label, field.value]));
    expect(help['--level']).toBe(`Incident level, most severe first (${levelWords(incidents.choices).join(', ')})`);
    expect(help['--type']).toBe(`Incident type (${incidents.choices.types.map((type) => type.word).join(', ')})`);
  });
});

describe('list and get', () => {
  it('sends the query as v2 list filters and answers neutral items with COC codes', async () => {
    const page = await incidents.list({
      statusCodes: ['INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED'],
      levelCodes: ['level_10', 'level_20', 'level_30', 'level_40', 'level_50'],
      createdAfter: 0,
      order: 'newest-first',
      page: 1,
      perPage: 50,
      withTotal: true,
    });
    expect(lastBody(LIST)).toEqual({
      page: 1,
      per_page: 50,
      contain_total: true,
      string_filters: [
        { operator: 'in', field: 'work_flow_status', values: ['INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED'] },
        { operator: 'in', field: 'level_id', values: ['level_10', 'level_20', 'level_30', 'level_40', 'level_50'] },
      ],
      int_filters: [{ operator: '>', field: 'create_time', values: [0] }],
      sort_filter: { operator: 'desc', field: 'create_time' },
    });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.total).toBe(page.items.length);
    const open = sim.world.incidents.all().filter((i) => i.status === 'INCIDENT_STATUS_TRIGGERED' || i.status === 'INCIDENT_STATUS_ACKNOWLEDGED');
    expect(page.items.map((item) => nativeOf(item.id)).sort()).toEqual(open.map((i) => i.incidentNum).sort());
    for (const item of page.items) {
      expect(item.id).toMatch(/^coc:incident:IM/);
      expect(['triggered', 'acknowledged']).toContain(item.status?.state);
      expect(item.status?.code).toMatch(/^INCIDENT_STATUS_/);
      expect(item.names.every((name) => ['level', 'type', 'status', 'source', 'assignee', 'creator', 'operator', 'application'].includes(name.field))).toBe(true);
    }
  });

  it('sends a title, a creator and a lower time bound as exact filters', async () => {
    await incidents.list({ title: 'x', creator: 'u1', createdSince: 5, page: 2, perPage: 20 });
    expect(lastBody(LIST)).toEqual({
      page: 2,
      per_page: 20,
      string_filters: [
        { operator: '=', field: 'title', values: ['x'] },
        { operator: '=', field: 'creator', values: ['u1'] },
      ],
      int_filters: [{ operator: '>=', field: 'create_time', values: [5] }],
    });
  });

  it('reads one incident as neutral, and undefined for one COC does not know', async () => {
    const seeded = sim.world.incidents.all()[0]!;
    const incident = await incidents.get(makeId('coc', 'incident', seeded.incidentNum));
    expect(incident).toMatchObject({
      id: `coc:incident:${seeded.incidentNum}`,
      title: seeded.title,
      status: { code: seeded.status },
      level: seeded.level,
      type: seeded.type,
      serviceInterrupted: seeded.isServiceInterrupt,
      assignees: seeded.assignee,
      applications: seeded.currentCloudService,
      regions: seeded.region,
    });
    expect(await incidents.get(makeId('coc', 'incident', 'IM000000000000000000000000'))).toBeUndefined();
  });
});

describe('create and handle (writes)', () => {
  it('opens the incident COC expects and answers its id', async () => {
    const id = await incidents.create!(draft('Checkout errors'));
    expect(id).toMatch(/^coc:incident:IM/);
    expect(lastBody(CREATE)).toEqual({
      current_cloud_service: [storefront],
      incident_level: 'level_20',
      is_service_interrupt: 'true',
      incident_type: 'inc_type_p_function_issues',
      incident_title: 'Checkout errors',
      incident_description: '5xx on /pay',
      incident_source: 'incident_source_manual',
      creator: userIdFor('alice'),
      incident_assignee: [userIdFor('bob')],
      region: ['cn-north-4'],
    });
    expect(sim.world.incidents.get(nativeOf(id))?.title).toBe('Checkout errors');
  });

  it('works an incident through accept, solve and a rejected solution', async () => {
    const id = await incidents.create!(draft('Disk full'));
    const bob = userIdFor('bob');
    await incidents.handle!(id, { kind: 'accept' }, bob);
    expect(lastBody(HANDLE)).toEqual({ incident_num: nativeOf(id), operator: bob, operate_key: 'acceptedIncident1', parameter: {} });
    await incidents.handle!(id, { kind: 'solve', type: 'inc_type_p_config_issues', serviceInterrupted: false, cause: 'logs', solution: 'rotated' }, bob);
    expect(lastBody(HANDLE)).toMatchObject({ operate_key: 'commitSolution1', parameter: { mtm_type: 'inc_type_p_config_issues', is_service_interrupt: false, cause: 'logs', solution: 'rotated' } });
    await incidents.handle!(id, { kind: 'reject', comment: 'still failing' }, bob);
    expect(lastBody(HANDLE)).toMatchObject({ operate_key: 'confirm', parameter: { virtual_confirm_result: false, virtual_confirm_comment: 'still failing' } });
    expect((await incidents.get(id))?.status?.state).not.toBe('completed');
  });

  it('is refused when COC says no before acting, unknown when the answer is lost after it acted', async () => {
    sim.faults.set(CREATE, { kind: 'status', status: 400, errorCode: 'COC.00040001', errorMsg: 'bad level', times: 1 });
    const refused = await incidents.create!(draft('Refused')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BackendRefusedError);
    expect(writeFailureOf(refused)).toBe('refused');
    expect((refused as BackendRefusedError).detail).toMatchObject({ status: 400, code: 'COC.00040001', platformMessage: 'bad level' });

    sim.faults.set(CREATE, { kind: 'reset', afterHandling: true, times: 1 });
    const lost = await incidents.create!(draft('Lost answer')).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(BackendUnavailableError);
    expect(writeFailureOf(lost)).toBe('unknown');
    expect(sim.world.incidents.all().some((incident) => incident.title === 'Lost answer')).toBe(true);

    const id = await incidents.create!(draft('Handle refused'));
    sim.faults.set(HANDLE, { kind: 'status', status: 400, errorCode: 'COC.00040002', times: 1 });
    const handleRefused = await incidents.handle!(id, { kind: 'accept' }, userIdFor('bob')).catch((error: unknown) => error);
    expect(writeFailureOf(handleRefused)).toBe('refused');
    expect((await incidents.get(id))?.status?.state).toBe('triggered');
  });
});

describe('WarRooms', () => {
  it('starts a WarRoom for an incident with COC defaults, and lists it by incident', async () => {
    const incident = await incidents.create!(draft('Packet loss'));
    const id = await warRooms.create({ name: '[P2] Packet loss', description: 'Packet loss', incident, applications: [storefront], admin: userIdFor('carol'), regions: ['cn-north-4'], participants: [userIdFor('bob')] });
    expect(id).toMatch(/^coc:war-room:/);
    expect(lastBody(ROOM_CREATE)).toEqual({
      war_room_name: '[P2] Packet loss',
      description: 'Packet loss',
      application_id_list: [storefront],
      incident_number: nativeOf(incident),
      schedule_group: [],
      war_room_admin: userIdFor('carol'),
      enterprise_project_id: '0',
      region_code_list: ['cn-north-4'],
      participant: [userIdFor('bob')],
    });
    const page = await warRooms.list({ incident, limit: 1, startedFrom: 0, startedTo: Date.now() + 60_000 });
    expect(lastBody(ROOM_LIST)).toEqual({ incident_num: nativeOf(incident), limit: 1, triggered_start_time: 0, triggered_end_time: expect.any(Number) });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id, admin: userIdFor('carol'), incident: { number: nativeOf(incident) } });
    expect(page.items[0]?.status?.code).toBeTruthy();
    const byRoom = await warRooms.list({ rooms: [nativeOf(id)], limit: 1 });
    expect(lastBody(ROOM_LIST)).toEqual({ war_room_nums: [nativeOf(id)], limit: 1 });
    expect(byRoom.items[0]?.id).toBe(id);
    const counts = await warRooms.counts!();
    expect(lastBody(ROOM_LIST)).toEqual({ statistic_flag: true });
    expect((counts.running ?? 0) + (counts.closed ?? 0)).toBeGreaterThan(0);
  });

  it('is refused when COC says no, unknown when the answer is lost', async () => {
    const incident = await incidents.create!(draft('Room faults'));
    const room = { name: 'r', incident, applications: [storefront], admin: userIdFor('carol') };
    sim.faults.set(ROOM_CREATE, { kind: 'status', status: 400, errorCode: 'COC.00040003', times: 1 });
    expect(writeFailureOf(await warRooms.create(room).catch((error: unknown) => error))).toBe('refused');
    sim.faults.set(ROOM_CREATE, { kind: 'status', status: 503, times: 1 });
    const lost = await warRooms.create(room).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(BackendUnavailableError);
    expect(writeFailureOf(lost)).toBe('unknown');
  });
});
