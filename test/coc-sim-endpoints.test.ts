/**
 * Every public method of CocClient against the real simulator over HTTP. Each measured call
 * is checked twice: the request as the simulator recorded it (method, encoded path, query
 * with repeated keys, JSON body field by field, headers, authentication) and the typed result
 * (values from the seeded world or from what the test created). The last test fails when a
 * client method has no test here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CocApiError,
  CocClient,
  INCIDENT_OPERATE_KEYS,
  type CreateIncidentInput,
  type CreateScriptInput,
  type CreateWarRoomInput,
  type CustomEventInput,
  type ScriptExecuteInput,
  type UpdateScriptInput,
} from '../src/coc/index.js';
import { EXPERIMENTAL_ORDER_OPERATIONS, ORDER_OPERATIONS as ORDER_OPERATION_TYPES } from '../src/coc/schemas/orders.js';
import { ErrorCodes } from '../src/sim/http/error-codes.js';
import {
  SIM_DEFAULT_AK,
  SIM_DEFAULT_IAM_PASSWORD,
  SIM_DEFAULT_INTEGRATION_KEY,
  SIM_DEFAULT_SK,
  SIM_DOMAIN_NAME,
  startSimulator,
  userIdFor,
  type RequestRecord,
  type Simulator,
} from '../src/sim/server.js';
import type { Host, Incident, Order, Script } from '../src/sim/state/model.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { executeBody, hostsIn, isHealthyHost, scriptUuid } from './sim-helpers.js';

const LANGUAGE = 'en-us';
const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
const BOT_ID = userIdFor('chatops-bot');

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

let sim: Simulator;
let projectId: string;
/** The client every measured call goes through (a recording view of `client`). */
let coc: CocClient;
let client: CocClient;

// ---- what the measured calls covered ----

/** Client methods invoked during the call being measured right now. */
const methodsInCurrentCall: string[] = [];
/** Client methods whose request and result some test asserted. */
const testedMethods = new Set<string>();
/** Every request a measured call sent. */
const measuredRequests: RequestRecord[] = [];

/** The client, with every method call noted (bound to the real client: it has private fields). */
function recording(target: CocClient): CocClient {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        methodsInCurrentCall.push(property);
        return (value as (...rest: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

function takeOnlyRequest(): RequestRecord {
  const requests = sim.requests;
  expect(requests, 'exactly one request per call (no retry, no extra call)').toHaveLength(1);
  expect(methodsInCurrentCall, 'exactly one client method per measured call').toHaveLength(1);
  testedMethods.add(methodsInCurrentCall[0] as string);
  const request = requests[0] as RequestRecord;
  measuredRequests.push(request);
  return request;
}

/** Runs one client call with a clean request log; returns its result and the one request it sent. */
async function sent<T>(call: () => Promise<T>): Promise<{ readonly result: T; readonly request: RequestRecord }> {
  sim.resetRequests();
  methodsInCurrentCall.length = 0;
  const result = await call();
  return { result, request: takeOnlyRequest() };
}

/** Like `sent`, for a call that must fail with a CocApiError. */
async function sentFailing(call: () => Promise<unknown>): Promise<{ readonly error: CocApiError; readonly request: RequestRecord }> {
  sim.resetRequests();
  methodsInCurrentCall.length = 0;
  const error = await call().then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CocApiError);
  return { error: error as CocApiError, request: takeOnlyRequest() };
}

interface ExpectedWire {
  readonly method: Method;
  /** Path exactly as sent (path parameters percent-encoded), without the query. */
  readonly path: string;
  /** The route template the simulator matched. */
  readonly route: string;
  /** Every query key with all its values, in order. */
  readonly query?: Readonly<Record<string, readonly string[]>>;
  /** The parsed JSON body; undefined = no body at all. */
  readonly body?: unknown;
  /** Script, job and public-script APIs carry X-Language. */
  readonly localized: boolean;
  readonly status?: number;
}

function expectWire(request: RequestRecord, expected: ExpectedWire): void {
  expect({ method: request.method, path: request.path, routeKey: request.routeKey }).toEqual({
    method: expected.method,
    path: expected.path,
    routeKey: `${expected.method} ${expected.route}`,
  });
  expect(request.query).toStrictEqual(expected.query ?? {});
  expect(request.body).toStrictEqual(expected.body);
  expect(request.headers['content-type']).toBe(expected.body === undefined ? undefined : JSON_CONTENT_TYPE);
  expect(request.headers['x-language']).toBe(expected.localized ? LANGUAGE : undefined);
  expect(request.headers['x-project-id']).toBe(projectId);
  expect(request.auth).toEqual({ kind: 'aksk', access: SIM_DEFAULT_AK });
  expect(request.status).toBe(expected.status ?? 200);
}

// ---- world lookups ----

function healthyHosts(count: number, regionId = 'cn-north-4'): Host[] {
  const hosts = hostsIn(sim, regionId).filter(isHealthyHost).slice(0, count);
  expect(hosts).toHaveLength(count);
  return hosts;
}

function customScript(uuid: string): Script {
  const script = sim.world.scripts.get(uuid);
  if (!script) throw new Error(`the simulator has no custom script ${uuid}`);
  return script;
}

function publicScriptNamed(name: string): Script {
  const script = [...sim.world.publicScripts.values()].find((candidate) => candidate.name === name);
  if (!script) throw new Error(`the simulator has no public script ${name}`);
  return script;
}

function order(executeUuid: string): Order {
  const found = sim.world.orders.get(executeUuid);
  if (!found) throw new Error(`the simulator has no order ${executeUuid}`);
  return found;
}

function incident(incidentNum: string): Incident {
  const found = sim.world.incidents.get(incidentNum);
  if (!found) throw new Error(`the simulator has no incident ${incidentNum}`);
  return found;
}

function applicationId(name: string): string {
  const application = APPLICATIONS.find((candidate) => candidate.name === name);
  if (!application) throw new Error(`no application ${name}`);
  return application.id;
}

/** Script definition input in the client's types. */
function scriptInput(name: string, riskLevel: 'LOW' | 'MEDIUM' | 'HIGH'): CreateScriptInput {
  return {
    name,
    description: `Endpoint test script ${name}`,
    type: 'SHELL',
    content: '#!/bin/bash\necho "${target}"\n',
    properties: { risk_level: riskLevel, version: '1.0.0' },
    script_params: [{ param_name: 'target', param_value: 'world', param_description: 'What to greet', sensitive: false }],
  };
}

/** Runs `disk_usage` on healthy hosts, one batch per entry of `hostsPerBatch` (setup, through the client). */
async function startOrder(hostsPerBatch: readonly number[]): Promise<string> {
  const hosts = healthyHosts(hostsPerBatch.reduce((sum, count) => sum + count, 0));
  let next = 0;
  const batches = hostsPerBatch.map((count) => ({ hosts: hosts.slice(next, (next += count)) }));
  return client.executeScript(scriptUuid(sim, 'disk_usage'), executeBody(batches));
}

const INCIDENT_BASE: CreateIncidentInput = {
  incident_level: 'level_30',
  is_service_interrupt: true,
  incident_type: 'inc_type_p_networking_issues',
  incident_title: 'Endpoint test: packet loss between web and db',
  incident_source: 'incident_source_manual',
  creator: BOT_ID,
  incident_assignee: [userIdFor('carol')],
};

/** Opens an incident through the client (setup). */
function openIncident(title: string): Promise<string> {
  return client.createIncident({ ...INCIDENT_BASE, incident_title: title });
}

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
  projectId = sim.world.regions[0]?.projectId ?? '';
  client = new CocClient({
    endpoint: sim.url,
    auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, projectId },
    language: LANGUAGE,
    timeoutMs: 5_000,
    sleep: async () => undefined,
  });
  coc = recording(client);
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('resources', () => {
  it('syncResources posts the provider and type and returns COC\'s "started" flag', async () => {
    const before = sim.now();
    const { result, request } = await sent(() => coc.syncResources({ provider: 'ecs', type: 'cloudservers' }));
    expectWire(request, { method: 'POST', path: '/v1/resources/sync', route: '/v1/resources/sync', body: { provider: 'ecs', type: 'cloudservers' }, localized: false });
    expect(result).toBe(true);
    expect(sim.world.hosts.every((host) => Date.parse(host.updateTime) >= before - 1_000)).toBe(true);
  });

  it('syncResourceAgents posts SyncResourceAgentReq (region, cloud id, CMDB id; no vendor for Huawei Cloud) and returns the task id', async () => {
    const host = hostsIn(sim, 'cn-north-4')[0]!;
    const infos = [{ region_id: host.regionId, resource_id: host.resourceId, id: host.id }];
    const { result, request } = await sent(() => coc.syncResourceAgents({ resource_infos: infos }));
    expectWire(request, { method: 'POST', path: '/v1/resources/uniagent/sync', route: '/v1/resources/uniagent/sync', body: { resource_infos: infos }, localized: false });
    expect(result).toMatch(/^[0-9a-f]{32}$/);
  });

  it('listResources sends array filters as repeated keys and pages by the last CMDB id', async () => {
    const wanted = hostsIn(sim, 'cn-north-4').slice(0, 3);
    const query = { provider: 'ecs', type: 'cloudservers', region_id: 'cn-north-4', resource_id_list: wanted.map((host) => host.resourceId), limit: 2 };
    const first = await sent(() => coc.listResources(query));
    expectWire(first.request, {
      method: 'GET',
      path: '/v1/resources',
      route: '/v1/resources',
      query: { provider: ['ecs'], type: ['cloudservers'], region_id: ['cn-north-4'], resource_id_list: wanted.map((host) => host.resourceId), limit: ['2'] },
      localized: false,
    });
    expect(first.result.map((resource) => resource.id)).toEqual(wanted.slice(0, 2).map((host) => host.id));
    const host = wanted[0] as Host;
    expect(first.result[0]).toMatchObject({
      id: host.id,
      resource_id: host.resourceId,
      name: host.name,
      provider: 'ecs',
      type: 'cloudservers',
      region_id: 'cn-north-4',
      project_id: host.projectId,
      agent_state: host.agentState ?? null,
      inner_ip: host.fixedIp,
      is_delegated: false,
      tags: host.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    });
    expect(first.result[0]?.properties?.['hostName']).toBe(host.name);

    const marker = first.result.at(-1)?.id as string;
    const second = await sent(() => coc.listResources({ ...query, marker }));
    expect(second.request.query['marker']).toEqual([marker]);
    expect(second.result.map((resource) => resource.id)).toEqual([wanted[2]?.id]);
  });

  it('countResources sends the filters and returns the number of matching hosts', async () => {
    const { result, request } = await sent(() => coc.countResources({ provider: 'ecs', type: 'cloudservers', region_id: 'ap-southeast-3', agent_state: 'ONLINE' }));
    expectWire(request, {
      method: 'GET',
      path: '/v1/resources/count',
      route: '/v1/resources/count',
      query: { provider: ['ecs'], type: ['cloudservers'], region_id: ['ap-southeast-3'], agent_state: ['ONLINE'] },
      localized: false,
    });
    const expected = sim.world.hosts.filter((host) => host.regionId === 'ap-southeast-3' && host.agentState === 'ONLINE').length;
    expect(expected).toBeGreaterThan(0);
    expect(result).toBe(expected);
  });
});

describe('custom scripts', () => {
  let alphaUuid: string;
  let betaUuid: string;
  let doomedUuid: string;

  beforeAll(async () => {
    alphaUuid = await client.createScript(scriptInput('endpoint_list_alpha', 'LOW'));
    betaUuid = await client.createScript(scriptInput('endpoint_list_beta', 'LOW'));
    doomedUuid = await client.createScript(scriptInput('endpoint_doomed', 'MEDIUM'));
  });

  it('createScript posts the whole definition and returns the new script_uuid', async () => {
    const input = {
      name: 'endpoint_rotate_key',
      description: 'Rotate an API key',
      type: 'SHELL',
      content: '#!/bin/bash\nset -x\nrotate "${key_name}" "${new_secret}"\n',
      properties: { risk_level: 'HIGH', version: '2.1', reviewers: [{ reviewer_name: 'bob', reviewer_id: userIdFor('bob') }], protocol: 'EMAIL' },
      script_params: [
        { param_name: 'key_name', param_value: 'payments', param_description: 'Key to rotate', sensitive: false },
        { param_name: 'new_secret', param_value: 'S3cret-Value', param_description: 'New secret', sensitive: true },
      ],
      enterprise_project_id: '0',
    } satisfies CreateScriptInput;
    const { result, request } = await sent(() => coc.createScript(input));
    expectWire(request, {
      method: 'POST',
      path: '/v1/job/scripts',
      route: '/v1/job/scripts',
      body: {
        name: 'endpoint_rotate_key',
        description: 'Rotate an API key',
        type: 'SHELL',
        content: input.content,
        properties: { risk_level: 'HIGH', version: '2.1', reviewers: [{ reviewer_name: 'bob', reviewer_id: userIdFor('bob') }], protocol: 'EMAIL' },
        script_params: [
          { param_name: 'key_name', param_value: 'payments', param_description: 'Key to rotate', sensitive: false },
          { param_name: 'new_secret', param_value: 'S3cret-Value', param_description: 'New secret', sensitive: true },
        ],
        enterprise_project_id: '0',
      },
      localized: true,
    });
    expect(result).toMatch(/^SC/);
    const stored = customScript(result);
    expect(stored).toMatchObject({ name: 'endpoint_rotate_key', type: 'SHELL', status: 'PENDING_APPROVE', creator: 'chatops-bot', creatorId: BOT_ID });
    expect(stored.params).toEqual(input.script_params);
  });

  it('listScripts sends every filter as a query parameter and pages by the last row id', async () => {
    const query = { limit: 1, name_like: 'endpoint_list_', creator: 'chatops-bot', risk_level: 'LOW', type: 'SHELL', enterprise_project_id: '0' } as const;
    const first = await sent(() => coc.listScripts(query));
    expectWire(first.request, {
      method: 'GET',
      path: '/v1/job/scripts',
      route: '/v1/job/scripts',
      query: { limit: ['1'], name_like: ['endpoint_list_'], creator: ['chatops-bot'], risk_level: ['LOW'], type: ['SHELL'], enterprise_project_id: ['0'] },
      localized: true,
    });
    const beta = customScript(betaUuid);
    expect(first.result.total).toBe(2);
    expect(first.result.data).toHaveLength(1);
    expect(first.result.data[0]).toMatchObject({
      id: beta.id,
      script_uuid: betaUuid,
      name: 'endpoint_list_beta',
      type: 'SHELL',
      status: 'APPROVED',
      creator: 'chatops-bot',
      creator_id: BOT_ID,
      gmt_created: beta.gmtCreated,
      properties: { risk_level: 'LOW', version: '1.0.0' },
    });

    const second = await sent(() => coc.listScripts({ ...query, marker: beta.id }));
    expect(second.request.query['marker']).toEqual([String(beta.id)]);
    expect(second.result.data.map((item) => item.script_uuid)).toEqual([alphaUuid]);
  });

  it('getScript addresses the script by uuid and returns its detail', async () => {
    const { result, request } = await sent(() => coc.getScript(alphaUuid));
    expectWire(request, { method: 'GET', path: `/v1/job/scripts/${alphaUuid}`, route: '/v1/job/scripts/{script_uuid}', localized: true });
    const alpha = customScript(alphaUuid);
    expect(result).toMatchObject({
      script_uuid: alphaUuid,
      name: 'endpoint_list_alpha',
      description: 'Endpoint test script endpoint_list_alpha',
      type: 'SHELL',
      content: alpha.content,
      status: 'APPROVED',
      creator: 'chatops-bot',
      gmt_created: alpha.gmtCreated,
      gmt_modified: alpha.gmtModified,
      enterprise_project_id: '0',
      properties: { risk_level: 'LOW', version: '1.0.0' },
    });
    expect(result.script_params).toEqual([{ param_name: 'target', param_value: 'world', param_description: 'What to greet', sensitive: false }]);
  });

  it('getScript percent-encodes the uuid in the path and reports COC\'s 404', async () => {
    const { error, request } = await sentFailing(() => coc.getScript('SC 1+ü?#'));
    expectWire(request, { method: 'GET', path: '/v1/job/scripts/SC%201%2B%C3%BC%3F%23', route: '/v1/job/scripts/{script_uuid}', localized: true, status: 404 });
    expect(error).toMatchObject({ status: 404, errorCode: ErrorCodes.JOB_SCRIPT_NOT_FOUND });
    expect(error.requestId).toBe(request.requestId);
  });

  it('updateScript puts the new definition and the script changes', async () => {
    const before = customScript(betaUuid).gmtModified;
    const input = {
      description: 'Greets louder',
      content: '#!/bin/bash\necho "HELLO ${target} x${times}"\n',
      properties: { risk_level: 'MEDIUM', version: '1.1.0', reviewers: [{ reviewer_name: 'bob', reviewer_id: userIdFor('bob') }] },
      script_params: [
        { param_name: 'target', param_value: 'everyone', param_description: 'Who to greet', sensitive: false },
        { param_name: 'times', param_value: '3', param_description: 'How often', param_order: 2, sensitive: false },
      ],
    } satisfies UpdateScriptInput;
    const { result, request } = await sent(() => coc.updateScript(betaUuid, input));
    expectWire(request, {
      method: 'PUT',
      path: `/v1/job/scripts/${betaUuid}`,
      route: '/v1/job/scripts/{script_uuid}',
      body: {
        description: 'Greets louder',
        content: input.content,
        properties: { risk_level: 'MEDIUM', version: '1.1.0', reviewers: [{ reviewer_name: 'bob', reviewer_id: userIdFor('bob') }] },
        script_params: [
          { param_name: 'target', param_value: 'everyone', param_description: 'Who to greet', sensitive: false },
          { param_name: 'times', param_value: '3', param_description: 'How often', param_order: 2, sensitive: false },
        ],
      },
      localized: true,
    });
    expect(typeof (request.body as { script_params: { param_order: unknown }[] }).script_params[1]?.param_order).toBe('number');
    expect(result).toBe(betaUuid);
    const beta = customScript(betaUuid);
    expect(beta).toMatchObject({ description: 'Greets louder', status: 'PENDING_APPROVE', properties: { risk_level: 'MEDIUM', version: '1.1.0' } });
    expect(beta.gmtModified).toBeGreaterThan(before);
  });

  it('deleteScript sends a DELETE without a body and the script is gone', async () => {
    const { result, request } = await sent(() => coc.deleteScript(doomedUuid));
    expectWire(request, { method: 'DELETE', path: `/v1/job/scripts/${doomedUuid}`, route: '/v1/job/scripts/{script_uuid}', localized: true });
    expect(result).toBe(doomedUuid);
    expect(sim.world.scripts.has(doomedUuid)).toBe(false);
  });
});

describe('public scripts', () => {
  it('listPublicScripts sends the filters and lists the built-in scripts newest first', async () => {
    const { result, request } = await sent(() => coc.listPublicScripts({ limit: 2, name_like: 'COC_', type: 'SHELL' }));
    expectWire(request, {
      method: 'GET',
      path: '/v1/job/public-scripts',
      route: '/v1/job/public-scripts',
      query: { limit: ['2'], name_like: ['COC_'], type: ['SHELL'] },
      localized: true,
    });
    const newestFirst = [...sim.world.publicScripts.values()].sort((a, b) => b.id - a.id);
    expect(result.total).toBe(newestFirst.length);
    expect(result.data.map((item) => item.script_uuid)).toEqual(newestFirst.slice(0, 2).map((script) => script.scriptUuid));
    const newest = newestFirst[0] as Script;
    expect(result.data[0]).toMatchObject({ id: newest.id, name: newest.name, type: 'SHELL', description: newest.description, properties: { risk_level: newest.properties.risk_level } });
  });

  it('getPublicScript returns the content and parameters of a built-in script', async () => {
    const script = publicScriptNamed('COC_Check_System_Load');
    const { result, request } = await sent(() => coc.getPublicScript(script.scriptUuid));
    expectWire(request, { method: 'GET', path: `/v1/job/public-scripts/${script.scriptUuid}`, route: '/v1/job/public-scripts/{script_uuid}', localized: true });
    expect(result).toMatchObject({ script_uuid: script.scriptUuid, name: 'COC_Check_System_Load', type: 'SHELL', content: script.content, properties: { risk_level: 'LOW' } });
    expect(result.script_params).toEqual([{ param_name: 'top_n', param_value: '15', param_description: 'Lines of top output', sensitive: false }]);
  });
});

describe('executing scripts', () => {
  it('executeScript sends success_rate as a number, batch_index as whole numbers and returns the execute_uuid', async () => {
    const [first, second, third] = healthyHosts(3);
    const uuid = scriptUuid(sim, 'check_service_status');
    const input = {
      execute_param: { timeout: 120, success_rate: 50.5, execute_user: 'root', script_params: [{ param_name: 'service_name', param_value: 'sshd' }] },
      execute_batches: [
        {
          batch_index: 1,
          rotation_strategy: 'PAUSE',
          target_instances: [
            { resource_id: first!.resourceId, region_id: 'cn-north-4', provider: 'ECS', type: 'CLOUDSERVER', custom_attributes: [{ key: 'ticket', value: 'CHG-1' }] },
          ],
        },
        {
          batch_index: 2,
          rotation_strategy: 'CONTINUE',
          target_instances: [
            { resource_id: second!.resourceId, region_id: 'cn-north-4' },
            { resource_id: third!.resourceId, region_id: 'cn-north-4' },
          ],
        },
      ],
    } satisfies ScriptExecuteInput;
    const { result, request } = await sent(() => coc.executeScript(uuid, input));
    expectWire(request, { method: 'POST', path: `/v1/job/scripts/${uuid}`, route: '/v1/job/scripts/{script_uuid}', body: input, localized: true });
    const body = request.body as { execute_param: Record<string, unknown>; execute_batches: { batch_index: unknown }[] };
    expect(body.execute_param['success_rate']).toBe(50.5);
    expect(body.execute_param['timeout']).toBe(120);
    expect(body.execute_batches.map((batch) => batch.batch_index)).toEqual([1, 2]);
    expect(body.execute_batches.every((batch) => Number.isInteger(batch.batch_index))).toBe(true);

    expect(result).toMatch(/^SCT/);
    const created = order(result);
    expect(created).toMatchObject({ status: 'READY', creator: 'chatops-bot', script: { uuid, name: 'check_service_status', source: 'CUSTOM_SCRIPT' } });
    expect(created.executeParam.success_rate).toBe(50.5);
    expect(created.batches.map((batch) => [batch.rotationStrategy, batch.instances.map((instance) => instance.host.resourceId)])).toEqual([
      ['PAUSE', [first!.resourceId]],
      ['CONTINUE', [second!.resourceId, third!.resourceId]],
    ]);
    expect(created.batches[0]?.instances[0]?.target.custom_attributes).toEqual([{ key: 'ticket', value: 'CHG-1' }]);
  });

  it('executePublicScript posts to the public-script path and starts an order of that script', async () => {
    const script = publicScriptNamed('COC_Check_System_Load');
    const input = executeBody([{ hosts: healthyHosts(2) }], { successRate: 100, timeout: 60, params: [{ param_name: 'top_n', param_value: '20' }] });
    const { result, request } = await sent(() => coc.executePublicScript(script.scriptUuid, input));
    expectWire(request, { method: 'POST', path: `/v1/job/public-scripts/${script.scriptUuid}`, route: '/v1/job/public-scripts/{script_uuid}', body: input, localized: true });
    expect((request.body as { execute_param: { success_rate: unknown } }).execute_param.success_rate).toBe(100);
    expect(order(result)).toMatchObject({ status: 'READY', script: { uuid: script.scriptUuid, name: 'COC_Check_System_Load', source: 'PUBLIC_SCRIPT' } });
  });
});

describe('execution orders', () => {
  /** disk_usage on batch 1 (2 hosts, running after one tick) and batch 2 (3 hosts, READY). */
  let executeUuid: string;

  beforeAll(async () => {
    executeUuid = await startOrder([2, 3]);
    sim.tick();
  });

  it('getScriptOrder returns the order with its script, batch and parameters', async () => {
    const { result, request } = await sent(() => coc.getScriptOrder(executeUuid));
    expectWire(request, { method: 'GET', path: `/v1/job/script/orders/${executeUuid}`, route: '/v1/job/script/orders/{execute_uuid}', localized: true });
    const stored = order(executeUuid);
    expect(stored.status).toBe('PROCESSING');
    expect(result).toMatchObject({
      execute_uuid: executeUuid,
      status: 'PROCESSING',
      creator: 'chatops-bot',
      gmt_created: stored.gmtCreated,
      gmt_finished: null,
      execute_costs: null,
      properties: {
        script_uuid: scriptUuid(sim, 'disk_usage'),
        script_name: 'disk_usage',
        script_version_name: '1.0.0',
        current_execute_batch_index: 1,
        script_source: 'CUSTOM_SCRIPT',
        execute_param: { timeout: 300, success_rate: 100, execute_user: 'root' },
      },
    });
  });

  it('listScriptOrderBatches lists every batch with its size and rotation', async () => {
    const { result, request } = await sent(() => coc.listScriptOrderBatches(executeUuid));
    expectWire(request, { method: 'GET', path: `/v1/job/script/orders/${executeUuid}/batches`, route: '/v1/job/script/orders/{execute_uuid}/batches', localized: true });
    expect(result).toMatchObject([
      { batch_index: 1, total_instances: 2, rotation_strategy: 'CONTINUE' },
      { batch_index: 2, total_instances: 3, rotation_strategy: 'CONTINUE' },
    ]);
  });

  it('getScriptOrderStatistics counts instances per status with their batches', async () => {
    const { result, request } = await sent(() => coc.getScriptOrderStatistics(executeUuid));
    expectWire(request, { method: 'GET', path: `/v1/job/script/orders/${executeUuid}/statistics`, route: '/v1/job/script/orders/{execute_uuid}/statistics', localized: true });
    expect(result.total_instance).toBe(5);
    expect(result.execute_statistics).toEqual([
      { instance_status: 'READY', instance_count: 3, batch_indexes: [2] },
      { instance_status: 'PROCESSING', instance_count: 2, batch_indexes: [1] },
      { instance_status: 'ABNORMAL', instance_count: 0, batch_indexes: [] },
      { instance_status: 'CANCELED', instance_count: 0, batch_indexes: [] },
      { instance_status: 'FINISHED', instance_count: 0, batch_indexes: [] },
    ]);
  });

  it('getScriptOrderBatch puts batch_index in the path and limit, marker, status in the query', async () => {
    const instances = order(executeUuid).batches[1]?.instances ?? [];
    const [firstInstance, secondInstance, thirdInstance] = instances;
    const { result, request } = await sent(() => coc.getScriptOrderBatch(executeUuid, 2, { limit: 2, marker: firstInstance!.id, status: 'READY' }));
    expectWire(request, {
      method: 'GET',
      path: `/v1/job/script/orders/${executeUuid}/batches/2`,
      route: '/v1/job/script/orders/{execute_uuid}/batches/{batch_index}',
      query: { limit: ['2'], marker: [String(firstInstance!.id)], status: ['READY'] },
      localized: true,
    });
    expect(result.batch_index).toBe(2);
    expect(result.total_instances).toBe(3);
    expect(result.execute_instances.map((instance) => instance.id)).toEqual([secondInstance!.id, thirdInstance!.id]);
    expect(result.execute_instances[0]).toMatchObject({
      status: 'READY',
      message: '',
      gmt_finished: null,
      target_instance: {
        resource_id: secondInstance!.host.resourceId,
        region_id: 'cn-north-4',
        provider: 'ECS',
        type: 'CLOUDSERVER',
        properties: { host_name: secondInstance!.host.name, fixed_ip: secondInstance!.host.fixedIp, zone_id: secondInstance!.host.zoneId },
      },
    });
  });

  it('listScriptOrders sends the filters (times in ms) and returns the matching orders newest first', async () => {
    const stored = order(executeUuid);
    const window = { start_time: stored.gmtCreated - 60_000, end_time: sim.now() + 60_000 };
    const { result, request } = await sent(() => coc.listScriptOrders({ limit: 1, status: 'PROCESSING', creator: 'chatops-bot', ...window }));
    expectWire(request, {
      method: 'GET',
      path: '/v1/job/script/orders',
      route: '/v1/job/script/orders',
      query: { limit: ['1'], status: ['PROCESSING'], creator: ['chatops-bot'], start_time: [String(window.start_time)], end_time: [String(window.end_time)] },
      localized: true,
    });
    const matching = sim.world.orders
      .all()
      .filter((candidate) => candidate.status === 'PROCESSING' && candidate.gmtCreated >= window.start_time && candidate.gmtCreated <= window.end_time)
      .reverse();
    const newest = matching[0] as Order;
    expect(result.total).toBe(matching.length);
    expect(result.data).toHaveLength(1);
    expect(result.data[0]).toMatchObject({
      order_id: newest.orderId,
      order_name: newest.script.name,
      execute_uuid: newest.executeUuid,
      status: 'PROCESSING',
      creator: 'chatops-bot',
      gmt_created: newest.gmtCreated,
      properties: { region_ids: 'cn-north-4' },
    });
  });
});

describe('operating on orders', () => {
  const OPERATION_PATH = '/v1/job/script/orders/{execute_uuid}/operation';

  it('operateScriptOrder PAUSE_ORDER sends only the operation type; the order pauses after the running batch', async () => {
    const uuid = await startOrder([1, 1]);
    sim.tick();
    const { result, request } = await sent(() => coc.operateScriptOrder(uuid, { operation_type: 'PAUSE_ORDER' }));
    expectWire(request, { method: 'PUT', path: `/v1/job/script/orders/${uuid}/operation`, route: OPERATION_PATH, body: { operation_type: 'PAUSE_ORDER' }, localized: true });
    expect(result).toBe(uuid);
    sim.tick();
    expect(order(uuid)).toMatchObject({ status: 'PAUSED', currentBatchIndex: 2 });
  });

  it('operateScriptOrder CONTINUE_ORDER resumes a paused order', async () => {
    const uuid = await startOrder([1, 1]);
    sim.world.orders.operate(order(uuid), { type: 'PAUSE_ORDER', batchIndex: undefined, instanceId: undefined });
    expect(order(uuid).status).toBe('PAUSED');
    const { result, request } = await sent(() => coc.operateScriptOrder(uuid, { operation_type: 'CONTINUE_ORDER' }));
    expectWire(request, { method: 'PUT', path: `/v1/job/script/orders/${uuid}/operation`, route: OPERATION_PATH, body: { operation_type: 'CONTINUE_ORDER' }, localized: true });
    expect(result).toBe(uuid);
    expect(order(uuid).status).toBe('PROCESSING');
  });

  it('operateScriptOrder SKIP_BATCH sends batch_index as a whole number and cancels that batch', async () => {
    const uuid = await startOrder([1, 2]);
    const { result, request } = await sent(() => coc.operateScriptOrder(uuid, { operation_type: 'SKIP_BATCH', batch_index: 2 }));
    expectWire(request, {
      method: 'PUT',
      path: `/v1/job/script/orders/${uuid}/operation`,
      route: OPERATION_PATH,
      body: { operation_type: 'SKIP_BATCH', batch_index: 2 },
      localized: true,
    });
    expect(Number.isInteger((request.body as { batch_index: unknown }).batch_index)).toBe(true);
    expect(result).toBe(uuid);
    expect(order(uuid).batches[1]?.instances.map((instance) => instance.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(order(uuid).batches[0]?.instances.map((instance) => instance.status)).toEqual(['READY']);
  });

  it('operateScriptOrder CANCEL_INSTANCE sends the instance id as a number and cancels only that host', async () => {
    const uuid = await startOrder([2]);
    const [target, other] = order(uuid).batches[0]?.instances ?? [];
    const { result, request } = await sent(() => coc.operateScriptOrder(uuid, { operation_type: 'CANCEL_INSTANCE', instance_id: target!.id }));
    expectWire(request, {
      method: 'PUT',
      path: `/v1/job/script/orders/${uuid}/operation`,
      route: OPERATION_PATH,
      body: { operation_type: 'CANCEL_INSTANCE', instance_id: target!.id },
      localized: true,
    });
    expect(typeof (request.body as { instance_id: unknown }).instance_id).toBe('number');
    expect(result).toBe(uuid);
    expect([target!.status, other!.status]).toEqual(['CANCELED', 'READY']);
  });

  it('operateScriptOrder CANCEL_ORDER cancels every unfinished host', async () => {
    const uuid = await startOrder([1, 1]);
    sim.tick();
    const { result, request } = await sent(() => coc.operateScriptOrder(uuid, { operation_type: 'CANCEL_ORDER' }));
    expectWire(request, { method: 'PUT', path: `/v1/job/script/orders/${uuid}/operation`, route: OPERATION_PATH, body: { operation_type: 'CANCEL_ORDER' }, localized: true });
    expect(result).toBe(uuid);
    const stored = order(uuid);
    expect(stored.status).toBe('CANCELED');
    expect(stored.batches.flatMap((batch) => batch.instances.map((instance) => instance.status))).toEqual(['CANCELED', 'CANCELED']);
  });

  it('operateScriptOrder RETRY_INSTANCE (experimental) is sent without the opt-in flag and COC\'s refusal comes back typed', async () => {
    const uuid = await startOrder([1]);
    const instanceId = order(uuid).batches[0]?.instances[0]?.id as number;
    const { error, request } = await sentFailing(() => coc.operateScriptOrder(uuid, { operation_type: 'RETRY_INSTANCE', instance_id: instanceId, experimental: true }));
    expectWire(request, {
      method: 'PUT',
      path: `/v1/job/script/orders/${uuid}/operation`,
      route: OPERATION_PATH,
      body: { operation_type: 'RETRY_INSTANCE', instance_id: instanceId },
      localized: true,
      status: 400,
    });
    expect(error).toMatchObject({ status: 400, errorCode: ErrorCodes.JOB_INVALID_PARAM });
    expect(order(uuid).status).toBe('READY');
  });
});

describe('incidents', () => {
  it('createIncident sends is_service_interrupt as the string "true" and returns the incident number', async () => {
    const input = {
      ...INCIDENT_BASE,
      incident_title: 'Endpoint test: create',
      incident_description: 'Packet loss of 4% between web-01 and db-01',
      current_cloud_service: [applicationId('orders')],
      region: ['cn-north-4'],
      enterprise_project: ['0'],
      incident_ownership: 'platform',
      start_time: 1_767_225_600_000,
    } satisfies CreateIncidentInput;
    const { result, request } = await sent(() => coc.createIncident(input));
    expectWire(request, {
      method: 'POST',
      path: '/v1/external/incident/create',
      route: '/v1/external/incident/create',
      body: {
        incident_level: 'level_30',
        is_service_interrupt: 'true',
        incident_type: 'inc_type_p_networking_issues',
        incident_title: 'Endpoint test: create',
        incident_source: 'incident_source_manual',
        creator: BOT_ID,
        incident_assignee: [userIdFor('carol')],
        incident_description: 'Packet loss of 4% between web-01 and db-01',
        current_cloud_service: [applicationId('orders')],
        region: ['cn-north-4'],
        enterprise_project: ['0'],
        incident_ownership: 'platform',
        start_time: 1_767_225_600_000,
      },
      localized: false,
    });
    expect((request.body as { is_service_interrupt: unknown }).is_service_interrupt).toBe('true');
    expect(result).toMatch(/^IM/);
    expect(incident(result)).toMatchObject({
      title: 'Endpoint test: create',
      level: 'level_30',
      isServiceInterrupt: true,
      status: 'INCIDENT_STATUS_TRIGGERED',
      assignee: [userIdFor('carol')],
      creator: BOT_ID,
      startTime: 1_767_225_600_000,
      currentCloudService: [applicationId('orders')],
    });
  });

  it('handleIncident acceptedIncident1 sends no parameter and acknowledges the incident', async () => {
    const incidentNum = await openIncident('Endpoint test: accept');
    const operator = userIdFor('carol');
    const { result, request } = await sent(() => coc.handleIncident({ incident_num: incidentNum, operator, operate_key: 'acceptedIncident1' }));
    expectWire(request, {
      method: 'POST',
      path: '/v1/external/incident/handle',
      route: '/v1/external/incident/handle',
      body: { incident_num: incidentNum, operator, operate_key: 'acceptedIncident1' },
      localized: false,
    });
    expect(result).toBeUndefined();
    expect(incident(incidentNum)).toMatchObject({ status: 'INCIDENT_STATUS_ACKNOWLEDGED', lastOperator: operator });
    expect(incident(incidentNum).handleTime).toEqual(expect.any(Number));
  });

  it('handleIncident commitSolution1 sends the solution with a boolean is_service_interrupt and resolves the incident', async () => {
    const incidentNum = await openIncident('Endpoint test: solution');
    const operator = userIdFor('carol');
    sim.world.incidents.accept(incident(incidentNum), operator);
    const parameter = { mtm_type: 'inc_type_p_config_issues', is_service_interrupt: false, cause: 'MTU mismatch on the new VPC peering', solution: 'Set MTU 1450 on both ends' } as const;
    const { result, request } = await sent(() => coc.handleIncident({ incident_num: incidentNum, operator, operate_key: 'commitSolution1', parameter }));
    expectWire(request, {
      method: 'POST',
      path: '/v1/external/incident/handle',
      route: '/v1/external/incident/handle',
      body: {
        incident_num: incidentNum,
        operator,
        operate_key: 'commitSolution1',
        parameter: { mtm_type: 'inc_type_p_config_issues', is_service_interrupt: false, cause: 'MTU mismatch on the new VPC peering', solution: 'Set MTU 1450 on both ends' },
      },
      localized: false,
    });
    expect(result).toBeUndefined();
    expect(incident(incidentNum)).toMatchObject({
      status: 'INCIDENT_STATUS_RESOLVED',
      type: 'inc_type_p_config_issues',
      isServiceInterrupt: false,
      cause: 'MTU mismatch on the new VPC peering',
      solution: 'Set MTU 1450 on both ends',
    });
  });

  it('handleIncident confirm sends the verdict and completes the incident', async () => {
    const incidentNum = await openIncident('Endpoint test: confirm');
    const operator = userIdFor('carol');
    sim.world.incidents.accept(incident(incidentNum), operator);
    sim.world.incidents.commitSolution(incident(incidentNum), operator, { mtmType: 'inc_type_p_networking_issues', isServiceInterrupt: true, cause: 'c', solution: 's' });
    const { result, request } = await sent(() =>
      coc.handleIncident({ incident_num: incidentNum, operator: BOT_ID, operate_key: 'confirm', parameter: { virtual_confirm_result: true, virtual_confirm_comment: 'Loss gone for 30 min' } }),
    );
    expectWire(request, {
      method: 'POST',
      path: '/v1/external/incident/handle',
      route: '/v1/external/incident/handle',
      body: { incident_num: incidentNum, operator: BOT_ID, operate_key: 'confirm', parameter: { virtual_confirm_result: true, virtual_confirm_comment: 'Loss gone for 30 min' } },
      localized: false,
    });
    expect(result).toBeUndefined();
    expect(incident(incidentNum).status).toBe('INCIDENT_STATUS_COMPLETED');
  });

  it('showIncidentTasks reads the workflow nodes and the action open now (GET, no body)', async () => {
    const incidentNum = await openIncident('Endpoint test: tasks');
    const { result, request } = await sent(() => coc.showIncidentTasks(incidentNum));
    expectWire(request, { method: 'GET', path: `/v2/incidents/${incidentNum}/tasks`, route: '/v2/incidents/{incident_id}/tasks', localized: false });
    expect(result.map((task) => [task.key, task.state, task.operations.map((operation) => operation.key)])).toEqual([
      ['acceptedIncident', 'running', ['acceptedIncident1']],
      ['commitSolution', 'pending', []],
      ['confirm', 'pending', []],
    ]);
    expect(result[0]!.operations[0]!.task_id).toEqual(expect.any(String));
  });

  it('actOnIncident sends {task_id, action, params} as the tasks call gave them and moves the incident', async () => {
    const incidentNum = await openIncident('Endpoint test: v2 action');
    const [accept] = await coc.showIncidentTasks(incidentNum);
    const taskId = accept!.operations[0]!.task_id;
    const operator = userIdFor('carol');
    const { result, request } = await sent(() => coc.actOnIncident(incidentNum, { task_id: taskId, action: 'acceptedIncident1', params: { operator } }));
    expectWire(request, {
      method: 'POST',
      path: `/v2/incidents/${incidentNum}/actions`,
      route: '/v2/incidents/{incident_id}/actions',
      body: { task_id: taskId, action: 'acceptedIncident1', params: { operator } },
      localized: false,
    });
    expect(result).toBeUndefined();
    expect(incident(incidentNum)).toMatchObject({ status: 'INCIDENT_STATUS_ACKNOWLEDGED', lastOperator: operator });
    // The task is no longer current: the same action again is refused, nothing done twice.
    const { error } = await sentFailing(() => coc.actOnIncident(incidentNum, { task_id: taskId, action: 'acceptedIncident1', params: { operator } }));
    expect(error).toMatchObject({ status: 400, errorCode: ErrorCodes.GOM_INVALID_PARAM });
    expect(incident(incidentNum).history).toHaveLength(1);
  });

  it('listIncidentHistories sends the filter body and reads {total, info} with operator, times and comment', async () => {
    const incidentNum = await openIncident('Endpoint test: histories');
    const carol = userIdFor('carol');
    sim.world.incidents.accept(incident(incidentNum), carol);
    const body = { string_filters: [{ operator: 'in', field: 'action', values: ['createIncident', 'acceptedIncident1'] }], sort_filter: { operator: 'asc', field: 'start_time' } };
    const { result, request } = await sent(() => coc.listIncidentHistories(incidentNum, body));
    expectWire(request, { method: 'POST', path: `/v2/incidents/${incidentNum}/histories`, route: '/v2/incidents/{incident_id}/histories', body, localized: false });
    expect(result.total).toBe(2);
    expect(result.items.map((item) => [item.action, item.operator, item.status])).toEqual([
      ['createIncident', BOT_ID, 'INCIDENT_STATUS_TRIGGERED'],
      ['acceptedIncident1', carol, 'INCIDENT_STATUS_ACKNOWLEDGED'],
    ]);
    expect(result.items[1]).toMatchObject({ action_name_en: 'Accept', action_name_zh: '受理', start_time: incident(incidentNum).history[0]!.at });
  });

  it('getIncident returns the detail with is_service_interrupt as a boolean and human enum names', async () => {
    const incidentNum = await openIncident('Endpoint test: detail');
    const { result, request } = await sent(() => coc.getIncident(incidentNum));
    expectWire(request, { method: 'GET', path: `/v1/external/incident/${incidentNum}`, route: '/v1/external/incident/{incident_num}', localized: false });
    const stored = incident(incidentNum);
    expect(result).toMatchObject({
      incident_num: incidentNum,
      incident_title: 'Endpoint test: detail',
      incident_level: 'level_30',
      is_service_interrupt: true,
      incident_type: 'inc_type_p_networking_issues',
      incident_source: 'incident_source_manual',
      incident_assignee: [userIdFor('carol')],
      status: 'INCIDENT_STATUS_TRIGGERED',
      creator: BOT_ID,
      create_time: stored.createTime,
      handle_time: null,
      warroom_id: null,
    });
    expect(result.enum_data_list.find((entry) => entry.filed_key === 'level_id')).toMatchObject({ enum_key: 'level_30', name_en: 'P3' });
    expect(result.enum_data_list.find((entry) => entry.filed_key === 'assignee')).toMatchObject({ enum_key: userIdFor('carol'), name_en: 'carol' });
  });

  it('listIncidents (v2) posts filters and sorting and reads the page', async () => {
    const incidentB = await openIncident('Endpoint test: list-marker B');
    const incidentA = await openIncident('Endpoint test: list-marker A');
    const input = {
      page: 1,
      per_page: 10,
      contain_total: true,
      string_filters: [
        { operator: 'in', field: 'work_flow_status', values: ['INCIDENT_STATUS_TRIGGERED'] },
        { operator: 'like', field: 'title', values: ['list-marker'] },
      ],
      sort_filter: { operator: 'asc', field: 'title' },
    };
    const { result, request } = await sent(() => coc.listIncidents(input));
    expectWire(request, {
      method: 'POST',
      path: '/v2/incidents/list',
      route: '/v2/incidents/list',
      body: {
        page: 1,
        per_page: 10,
        contain_total: true,
        string_filters: [
          { operator: 'in', field: 'work_flow_status', values: ['INCIDENT_STATUS_TRIGGERED'] },
          { operator: 'like', field: 'title', values: ['list-marker'] },
        ],
        sort_filter: { operator: 'asc', field: 'title' },
      },
      localized: false,
    });
    expect(result.total).toBe(2);
    expect(result.items.map((item) => item.ticket_id)).toEqual([incidentA, incidentB]);
    expect(result.items[1]).toMatchObject({
      title: 'Endpoint test: list-marker B',
      level_id: 'level_30',
      work_flow_status: 'INCIDENT_STATUS_TRIGGERED',
      assignee: userIdFor('carol'),
      creator: BOT_ID,
      mtm_type: 'inc_type_p_networking_issues',
      is_service_interrupt: true,
      create_time: incident(incidentB).createTime,
      handle_time: null,
    });
  });
});

describe('WarRooms', () => {
  let incidentNum: string;
  let warRoomId: string;

  beforeAll(async () => {
    incidentNum = await openIncident('Endpoint test: WarRoom');
  });

  it('createWarRoom posts the room and links it to the incident', async () => {
    const input = {
      war_room_name: 'Packet loss war room',
      description: 'Bridge for the packet loss incident',
      region_code_list: ['cn-north-4'],
      application_id_list: [applicationId('storefront'), applicationId('orders')],
      incident_number: incidentNum,
      schedule_group: [{ role_id: 'role-oncall', scene_id: 'scene-network' }],
      participant: [userIdFor('alice'), userIdFor('dave')],
      war_room_admin: userIdFor('carol'),
      enterprise_project_id: '0',
      notification_modes: ['1', '3'],
    } satisfies CreateWarRoomInput;
    const { result, request } = await sent(() => coc.createWarRoom(input));
    expectWire(request, {
      method: 'POST',
      path: '/v1/external/warrooms',
      route: '/v1/external/warrooms',
      body: {
        war_room_name: 'Packet loss war room',
        description: 'Bridge for the packet loss incident',
        region_code_list: ['cn-north-4'],
        application_id_list: [applicationId('storefront'), applicationId('orders')],
        incident_number: incidentNum,
        schedule_group: [{ role_id: 'role-oncall', scene_id: 'scene-network' }],
        participant: [userIdFor('alice'), userIdFor('dave')],
        war_room_admin: userIdFor('carol'),
        enterprise_project_id: '0',
        notification_modes: ['1', '3'],
      },
      localized: false,
    });
    warRoomId = result;
    expect(result).toMatch(/\S/);
    expect(incident(incidentNum).warroomId).toBe(result);
    expect(sim.world.warRooms.get(result)).toMatchObject({ title: 'Packet loss war room', admin: userIdFor('carol'), status: 'RUNNING', notificationModes: ['1', '3'] });
  });

  it('listWarRooms posts the filters and reads the page with its counts', async () => {
    expect(warRoomId).toBeDefined();
    const { result, request } = await sent(() => coc.listWarRooms({ limit: 5, offset: 0, incident_num: incidentNum, status: ['RUNNING'] }));
    expectWire(request, {
      method: 'POST',
      path: '/v1/external/warrooms/list',
      route: '/v1/external/warrooms/list',
      body: { limit: 5, offset: 0, incident_num: incidentNum, status: ['RUNNING'] },
      localized: false,
    });
    expect(result).toMatchObject({ total: 1, running_num: 1, closed_num: 0, total_num: 1 });
    expect(result.list).toHaveLength(1);
    expect(result.list[0]).toMatchObject({
      id: warRoomId,
      war_room_num: warRoomId,
      title: 'Packet loss war room',
      admin: userIdFor('carol'),
      recover_member: [userIdFor('alice'), userIdFor('dave')],
      incident: { incident_id: incidentNum, failure_level: 'level_30' },
      regions: [{ code: 'cn-north-4', name: 'CN North-Beijing4' }],
      war_room_status: { id: 'RUNNING' },
      impacted_application: [
        { id: applicationId('storefront'), name: 'storefront' },
        { id: applicationId('orders'), name: 'orders' },
      ],
      enterprise_project_id: '0',
    });
  });
});

describe('custom events', () => {
  it('reportCustomEvent posts the camelCase alarm to the integration key and the alarm is raised', async () => {
    const input = {
      alarmId: 'endpoint-alarm-1',
      alarmName: 'Disk almost full',
      alarmLevel: 'Major',
      time: 1_767_225_600_000,
      nameSpace: 'ECS',
      alarmDesc: '/data at 93%',
      alarmSource: 'chatops-test',
      applicationId: applicationId('reports'),
      regionId: 'cn-north-4',
      resourceName: 'batch-01',
      resourceId: 'ecs-batch-01',
      URL: 'https://example.com/alarms/1',
      alarmStatus: 'alarm',
      additional: { mount: '/data', used_percent: 93 },
    } satisfies CustomEventInput;
    const { result, request } = await sent(() => coc.reportCustomEvent(SIM_DEFAULT_INTEGRATION_KEY, input));
    expectWire(request, {
      method: 'POST',
      path: `/v1/event/huawei/custom/${SIM_DEFAULT_INTEGRATION_KEY}`,
      route: '/v1/event/huawei/custom/{integration_key}',
      body: {
        alarmId: 'endpoint-alarm-1',
        alarmName: 'Disk almost full',
        alarmLevel: 'Major',
        time: 1_767_225_600_000,
        nameSpace: 'ECS',
        alarmDesc: '/data at 93%',
        alarmSource: 'chatops-test',
        applicationId: applicationId('reports'),
        regionId: 'cn-north-4',
        resourceName: 'batch-01',
        resourceId: 'ecs-batch-01',
        URL: 'https://example.com/alarms/1',
        alarmStatus: 'alarm',
        additional: { mount: '/data', used_percent: 93 },
      },
      localized: false,
    });
    expect(typeof (request.body as { time: unknown }).time).toBe('number');
    expect(result).toBeUndefined();
    expect(sim.world.alarms.all().find((alarm) => alarm.alarmId === 'endpoint-alarm-1')).toMatchObject({
      integrationKey: SIM_DEFAULT_INTEGRATION_KEY,
      alarmLevel: 'Major',
      alarmStatus: 'alarm',
      resourceName: 'batch-01',
      additional: { mount: '/data', used_percent: 93 },
    });
  });

  it('reportCustomEvent to an unknown integration key fails with COC\'s code and never shows the key', async () => {
    const unknownKey = 'ffffffffffffffffffffffffffffffff';
    const input = { alarmId: 'x', alarmName: 'x', alarmLevel: 'Info', time: 1, nameSpace: 'x', alarmDesc: 'x', alarmSource: 'x', applicationId: 'x' } as const;
    const { error, request } = await sentFailing(() => coc.reportCustomEvent(unknownKey, input));
    expectWire(request, {
      method: 'POST',
      path: `/v1/event/huawei/custom/${unknownKey}`,
      route: '/v1/event/huawei/custom/{integration_key}',
      body: input,
      localized: false,
      status: 404,
    });
    expect(error).toMatchObject({ status: 404, errorCode: ErrorCodes.EVENT_INVALID });
    expect(error.message).not.toContain(unknownKey);
  });
});

describe('patch compliance', () => {
  it('listPatchCompliance sends the filters (offset is a page number) and reads the bare page', async () => {
    const query = { region: 'cn-north-4', compliant_status: 'non_compliant', offset: 1, limit: 3, sort_dir: 'desc', sort_key: 'report_time' } as const;
    const { result, request } = await sent(() => coc.listPatchCompliance(query));
    expectWire(request, {
      method: 'GET',
      path: '/v1/patch/instance/compliant',
      route: '/v1/patch/instance/compliant',
      query: { region: ['cn-north-4'], compliant_status: ['non_compliant'], offset: ['1'], limit: ['3'], sort_dir: ['desc'], sort_key: ['report_time'] },
      localized: false,
    });
    const matching = sim.world.patchReports
      .filter((report) => report.host.regionId === 'cn-north-4' && report.items.some((item) => item.patchStatus !== 'INSTALLED' && item.patchStatus !== 'INSTALLED_OTHER'))
      .sort((a, b) => b.reportTime - a.reportTime);
    expect(matching.length).toBeGreaterThan(0);
    expect(result.count).toBe(matching.length);
    expect(result.instance_compliant.map((report) => report.id)).toEqual(matching.slice(0, 3).map((report) => report.id));
    const first = matching[0]!;
    expect(result.instance_compliant[0]).toMatchObject({
      id: first.id,
      instance_id: first.host.resourceId,
      name: first.host.name,
      region: 'cn-north-4',
      status: 'non_compliant',
      baseline_id: first.baselineId,
      execution_summary: { order_id: first.orderId, job_id: first.jobId, report_time: first.reportTime },
    });
  });

  it('listPatchItems addresses one report by id and filters its patches', async () => {
    const report = sim.world.patchReports.find((candidate) => candidate.items.filter((item) => item.patchStatus === 'MISSING').length >= 2);
    expect(report).toBeDefined();
    const missing = report!.items.filter((item) => item.patchStatus === 'MISSING');
    const { result, request } = await sent(() => coc.listPatchItems(report!.id, { offset: 1, limit: 1, patch_status: 'MISSING' }));
    expectWire(request, {
      method: 'GET',
      path: `/v1/patch/instance/compliant/${encodeURIComponent(report!.id)}`,
      route: '/v1/patch/instance/compliant/{instance_compliant_id}',
      query: { offset: ['1'], limit: ['1'], patch_status: ['MISSING'] },
      localized: false,
    });
    expect(result.count).toBe(missing.length);
    expect(result.compliance_items).toHaveLength(1);
    expect(result.compliance_items[0]).toMatchObject({
      instance_id: report!.host.resourceId,
      title: missing[0]!.title,
      classification: missing[0]!.classification,
      compliance_level: missing[0]!.complianceLevel,
      patch_detail: { patch_status: 'MISSING', installed_time: null, patch_baseline_id: report!.baselineId },
    });
  });
});

describe('IAM token authentication', () => {
  it('fetches one token from /v3/auth/tokens and sends X-Auth-Token on every COC call', async () => {
    const tokenClient = new CocClient({
      endpoint: sim.url,
      auth: { kind: 'token', iamEndpoint: sim.url, domain: SIM_DOMAIN_NAME, user: 'alice', password: SIM_DEFAULT_IAM_PASSWORD, project: 'cn-north-4' },
      language: LANGUAGE,
      timeoutMs: 5_000,
      sleep: async () => undefined,
    });
    try {
      sim.resetRequests();
      const created = await tokenClient.createScript(scriptInput('endpoint_token_script', 'LOW'));
      const detail = await tokenClient.getScript(created);
      const count = await tokenClient.countResources({ provider: 'ecs', type: 'cloudservers', region_id: 'cn-south-1' });
      const page = await tokenClient.listWarRooms({ limit: 1 });

      expect(detail).toMatchObject({ script_uuid: created, creator: 'alice', creator_id: userIdFor('alice') });
      expect(count).toBe(sim.world.hosts.filter((host) => host.regionId === 'cn-south-1').length);
      expect(page.total_num).toEqual(expect.any(Number));

      expect(sim.countRequests('POST /v3/auth/tokens')).toBe(1);
      const [tokenRequest, ...cocRequests] = sim.requests;
      expect(tokenRequest).toMatchObject({ method: 'POST', path: '/v3/auth/tokens', status: 201, auth: { kind: 'none' } });
      expect(tokenRequest?.body).toEqual({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'alice', password: '******', domain: { name: SIM_DOMAIN_NAME } } } },
          scope: { project: { name: 'cn-north-4' } },
        },
      });
      expect(cocRequests.map((request) => request.routeKey)).toEqual([
        'POST /v1/job/scripts',
        'GET /v1/job/scripts/{script_uuid}',
        'GET /v1/resources/count',
        'POST /v1/external/warrooms/list',
      ]);
      for (const request of cocRequests) {
        expect(request.auth, request.routeKey).toEqual({ kind: 'token' });
        expect(request.headers['x-sdk-date'], request.routeKey).toBeUndefined();
        expect(request.status, request.routeKey).toBeLessThan(300);
      }
    } finally {
      await tokenClient.close();
    }
  });
});

describe('coverage of this file', () => {
  it('tests every public method of CocClient', () => {
    // `scoped` sends nothing itself: a view of the client, tested in coc-client-scoped.test.ts.
    const publicMethods = Object.getOwnPropertyNames(CocClient.prototype).filter((name) => name !== 'constructor' && name !== 'close' && name !== 'scoped');
    expect(publicMethods).toContain('executeScript');
    expect([...testedMethods].sort()).toEqual(publicMethods.sort());
  });

  it('sends every order operation type and every incident operate_key', () => {
    const operations = new Set(measuredRequests.filter((request) => request.routeKey === 'PUT /v1/job/script/orders/{execute_uuid}/operation').map((request) => (request.body as { operation_type: string }).operation_type));
    const operateKeys = new Set(measuredRequests.filter((request) => request.routeKey === 'POST /v1/external/incident/handle').map((request) => (request.body as { operate_key: string }).operate_key));
    expect([...operations].sort()).toEqual([...ORDER_OPERATION_TYPES, ...EXPERIMENTAL_ORDER_OPERATIONS].sort());
    expect([...operateKeys].sort()).toEqual([...INCIDENT_OPERATE_KEYS].sort());
  });
});
