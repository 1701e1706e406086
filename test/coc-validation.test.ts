/**
 * Every request schema refuses bad input with a field path and a message that says what is
 * allowed, and nothing reaches the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CocValidationError, type CocClient, type FieldProblem } from '../src/coc/index.js';
import { executeBody, startTestServer, testClient, type TestServer } from './coc-helpers.js';

let server: TestServer;
let client: CocClient;

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

async function problemsOf(call: () => Promise<unknown>): Promise<FieldProblem[]> {
  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CocValidationError);
  return [...(error as CocValidationError).problems];
}

function host(index: number) {
  return { resource_id: `ecs-${index}`, region_id: 'cn-north-4' };
}

const validScript = {
  name: 'restart_nginx',
  description: 'Restart nginx',
  type: 'SHELL' as const,
  content: 'systemctl restart nginx',
  properties: { risk_level: 'LOW' as const, version: '1.0.0' },
};

const validIncident = {
  incident_level: 'level_30' as const,
  is_service_interrupt: false,
  incident_type: 'inc_type_p_function_issues' as const,
  incident_title: 'Checkout fails',
  incident_source: 'incident_source_manual' as const,
  creator: 'user-1',
  incident_assignee: ['user-2'],
};

const validEvent = {
  alarmId: 'a-1',
  alarmName: 'CPU high',
  alarmLevel: 'Major' as const,
  time: 1_700_000_000_000,
  nameSpace: 'ecs',
  alarmDesc: 'CPU above 90%',
  alarmSource: 'chatops',
  applicationId: 'app-1',
};

interface Case {
  readonly name: string;
  readonly call: () => Promise<unknown>;
  readonly expected: readonly { readonly path: string; readonly message: string | RegExp }[];
}

const cases: Case[] = [
  // ---- execute ----
  {
    name: 'execute: more than 10 hosts in a batch',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_batches: [{ batch_index: 1, rotation_strategy: 'CONTINUE', target_instances: Array.from({ length: 12 }, (_, i) => host(i)) }] }),
    expected: [{ path: 'execute_batches[0].target_instances', message: 'at most 10 hosts per batch, got 12' }],
  },
  {
    name: 'execute: an empty batch',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_batches: [{ batch_index: 1, rotation_strategy: 'CONTINUE', target_instances: [] }] }),
    expected: [{ path: 'execute_batches[0].target_instances', message: 'at least 1 host per batch, got 0' }],
  },
  {
    name: 'execute: more than 20 batches',
    call: () =>
      client.executeScript('SC1', {
        ...executeBody(1),
        execute_batches: Array.from({ length: 21 }, (_, i) => ({ batch_index: i + 1, rotation_strategy: 'CONTINUE' as const, target_instances: [host(i)] })),
      }),
    expected: [{ path: 'execute_batches', message: 'at most 20 batches, got 21' }],
  },
  {
    name: 'execute: no batch at all',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_batches: [] }),
    expected: [{ path: 'execute_batches', message: 'at least 1 batch, got 0' }],
  },
  {
    name: 'execute: batch indexes not 1..n',
    call: () =>
      client.executeScript('SC1', {
        ...executeBody(1),
        execute_batches: [
          { batch_index: 1, rotation_strategy: 'CONTINUE', target_instances: [host(1)] },
          { batch_index: 3, rotation_strategy: 'PAUSE', target_instances: [host(2)] },
        ],
      }),
    expected: [{ path: 'execute_batches', message: 'batch_index values must be 1..2, each exactly once; got 1, 3' }],
  },
  {
    name: 'execute: batch index out of range',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_batches: [{ batch_index: 21, rotation_strategy: 'CONTINUE', target_instances: [host(1)] }] }),
    expected: [{ path: 'execute_batches[0].batch_index', message: 'must be a whole number from 1 to 20, got 21' }],
  },
  {
    name: 'execute: one host in two batches',
    call: () =>
      client.executeScript('SC1', {
        ...executeBody(1),
        execute_batches: [
          { batch_index: 1, rotation_strategy: 'CONTINUE', target_instances: [host(1)] },
          { batch_index: 2, rotation_strategy: 'CONTINUE', target_instances: [host(2), host(1)] },
        ],
      }),
    expected: [{ path: 'execute_batches[1].target_instances[1].resource_id', message: 'is already in execute_batches[0]; a host may be in only one batch' }],
  },
  {
    name: 'execute: timeout out of range and not whole',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_param: { timeout: 1801, success_rate: 100, execute_user: 'root' } }),
    expected: [{ path: 'execute_param.timeout', message: 'must be a whole number from 5 to 1800, got 1801' }],
  },
  {
    name: 'execute: fractional timeout',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_param: { timeout: 30.5, success_rate: 100, execute_user: 'root' } }),
    expected: [{ path: 'execute_param.timeout', message: 'must be a whole number from 5 to 1800, got 30.5' }],
  },
  {
    name: 'execute: success rate with two decimals',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_param: { timeout: 30, success_rate: 99.95, execute_user: 'root' } }),
    expected: [{ path: 'execute_param.success_rate', message: 'must be from 1 to 100 with at most one decimal place, got 99.95' }],
  },
  {
    name: 'execute: success rate as a string',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_param: { timeout: 30, success_rate: '100.0' as unknown as number, execute_user: 'root' } }),
    expected: [{ path: 'execute_param.success_rate', message: 'must be a number from 1 to 100' }],
  },
  {
    name: 'execute: execute_user too long',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_param: { timeout: 30, success_rate: 100, execute_user: 'u'.repeat(33) } }),
    expected: [{ path: 'execute_param.execute_user', message: 'must be 1–32 characters, got 33' }],
  },
  {
    name: 'execute: rotation strategy',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_batches: [{ batch_index: 1, rotation_strategy: 'STOP' as 'PAUSE', target_instances: [host(1)] }] }),
    expected: [{ path: 'execute_batches[0].rotation_strategy', message: 'must be one of CONTINUE, PAUSE, got "STOP"' }],
  },
  {
    name: 'execute: more than 20 parameters',
    call: () => client.executeScript('SC1', executeBody(1, { params: Array.from({ length: 21 }, (_, i) => ({ param_name: `p${i}`, param_value: 'v' })) })),
    expected: [{ path: 'execute_param.script_params', message: 'at most 20 parameters, got 21' }],
  },
  {
    name: 'execute: duplicate parameter names',
    call: () => client.executeScript('SC1', executeBody(1, { params: [{ param_name: 'a', param_value: '1' }, { param_name: 'a', param_value: '2' }] })),
    expected: [{ path: 'execute_param.script_params[1].param_name', message: /each parameter name may appear once/ }],
  },
  {
    name: 'execute: parameter value outside the charset',
    call: () => client.executeScript('SC1', executeBody(1, { params: [{ param_name: 'a', param_value: 'rm -rf $HOME' }] })),
    expected: [{ path: 'execute_param.script_params[0].param_value', message: /may contain only letters, digits, spaces/ }],
  },
  {
    name: 'execute: parameter value with ..',
    call: () => client.executeScript('SC1', executeBody(1, { params: [{ param_name: 'a', param_value: '../etc/passwd' }] })),
    expected: [{ path: 'execute_param.script_params[0].param_value', message: /no "\.\."/ }],
  },
  {
    name: 'execute: parameter value too long',
    call: () => client.executeScript('SC1', executeBody(1, { params: [{ param_name: 'a', param_value: 'v'.repeat(4097) }] })),
    expected: [{ path: 'execute_param.script_params[0].param_value', message: 'must be 1–4096 characters, got 4097' }],
  },
  {
    name: 'execute: parameter without value or reference',
    call: () => client.executePublicScript('SC1', { ...executeBody(1), execute_param: { timeout: 30, success_rate: 100, execute_user: 'root', script_params: [{ param_name: 'a' }] } }),
    expected: [{ path: 'execute_param.script_params[0].param_value', message: 'is required unless param_refer is set' }],
  },
  {
    name: 'execute: more than 5 custom attributes',
    call: () =>
      client.executeScript('SC1', {
        ...executeBody(1),
        execute_batches: [{ batch_index: 1, rotation_strategy: 'CONTINUE', target_instances: [{ ...host(1), custom_attributes: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }] }],
      }),
    expected: [{ path: 'execute_batches[0].target_instances[0].custom_attributes', message: 'at most 5 custom attributes, got 6' }],
  },
  {
    name: 'execute: deprecated and unknown fields',
    call: () => client.executeScript('SC1', { ...executeBody(1), execute_param: { timeout: 30, success_rate: 100, execute_user: 'root', resourceful: true } as never }),
    expected: [{ path: 'execute_param.resourceful', message: 'is not a known field' }],
  },
  {
    name: 'execute: an empty script uuid',
    call: () => client.executeScript('', executeBody(1)),
    expected: [{ path: 'script_uuid', message: 'must not be empty' }],
  },
  // ---- scripts ----
  {
    name: 'create script: name charset and length',
    call: () => client.createScript({ ...validScript, name: 'restart nginx!' }),
    expected: [{ path: 'name', message: 'may contain only letters, digits, _ and Chinese characters' }],
  },
  {
    name: 'create script: name too long',
    call: () => client.createScript({ ...validScript, name: 'n'.repeat(65) }),
    expected: [{ path: 'name', message: 'must be 1–64 characters, got 65' }],
  },
  {
    name: 'create script: description, content, type, risk, version, reviewers',
    call: () =>
      client.createScript({
        ...validScript,
        description: 'd'.repeat(257),
        content: '',
        type: 'PERL' as 'SHELL',
        properties: { risk_level: 'EXTREME' as 'LOW', version: '12345678901', reviewers: Array.from({ length: 6 }, (_, i) => ({ reviewer_name: `r${i}`, reviewer_id: `id${i}` })) },
      }),
    expected: [
      { path: 'description', message: 'must be 1–256 characters, got 257' },
      { path: 'type', message: 'must be one of SHELL, PYTHON, BAT, got "PERL"' },
      { path: 'content', message: 'must not be empty (1–4096 characters)' },
      { path: 'properties.risk_level', message: 'must be one of LOW, MEDIUM, HIGH, got "EXTREME"' },
      { path: 'properties.version', message: 'must be 1–10 characters, got 11' },
      { path: 'properties.reviewers', message: 'at most 5 reviewers, got 6' },
    ],
  },
  {
    name: 'create script: parameter definitions',
    call: () =>
      client.createScript({
        ...validScript,
        script_params: [{ param_name: 'bad-name', param_value: 'x', param_description: 'd', sensitive: false }],
      }),
    expected: [{ path: 'script_params[0].param_name', message: 'may contain only letters, digits and _' }],
  },
  {
    name: 'create script: a Chinese name is allowed, a missing field is not',
    call: () => client.createScript({ ...validScript, name: '重启_nginx', description: undefined as unknown as string }),
    expected: [{ path: 'description', message: 'is required' }],
  },
  {
    name: 'update script: more than 20 parameters',
    call: () =>
      client.updateScript('SC1', {
        description: 'd',
        content: 'c',
        script_params: Array.from({ length: 21 }, (_, i) => ({ param_name: `p${i}`, param_value: 'v', param_description: '', sensitive: false })),
      }),
    expected: [{ path: 'script_params', message: 'at most 20 parameters, got 21' }],
  },
  { name: 'list scripts: limit 1–100', call: () => client.listScripts({ limit: 101 }), expected: [{ path: 'limit', message: 'must be a whole number from 1 to 100, got 101' }] },
  { name: 'list scripts: limit is required', call: () => client.listScripts({} as never), expected: [{ path: 'limit', message: 'is required' }] },
  { name: 'list public scripts: limit 1–100', call: () => client.listPublicScripts({ limit: 0 }), expected: [{ path: 'limit', message: 'must be a whole number from 1 to 100, got 0' }] },
  // ---- resources ----
  {
    name: 'list resources: the client caps pages at 100',
    call: () => client.listResources({ provider: 'ecs', type: 'cloudservers', limit: 500 }),
    expected: [{ path: 'limit', message: "must be at most 100 (this client's page size limit), got 500" }],
  },
  {
    name: 'list resources: provider, type and the tag form',
    call: () => client.listResources({ limit: 10, tag: 'no-dot' } as never),
    expected: [
      { path: 'provider', message: 'is required' },
      { path: 'type', message: 'is required' },
      { path: 'tag', message: 'must be key.value with a key of 1–36 and a value of at most 43 characters' },
    ],
  },
  {
    name: 'list resources: at most 100 ids, agent state enum',
    call: () => client.listResources({ provider: 'ecs', type: 'cloudservers', limit: 10, resource_id_list: Array.from({ length: 101 }, (_, i) => `r${i}`), agent_state: 'UP' as 'ONLINE' }),
    expected: [
      { path: 'resource_id_list', message: 'at most 100 resource ids, got 101' },
      { path: 'agent_state', message: 'must be one of ONLINE, OFFLINE, INSTALLING, FAILED, UNINSTALLED, got "UP"' },
    ],
  },
  { name: 'count resources: provider required', call: () => client.countResources({ type: 'cloudservers' } as never), expected: [{ path: 'provider', message: 'is required' }] },
  { name: 'sync resources: unknown field', call: () => client.syncResources({ region: 'x' } as never), expected: [{ path: 'region', message: 'is not a known field' }] },
  // ---- orders ----
  { name: 'batch detail: limit 1–50', call: () => client.getScriptOrderBatch('SCT1', 1, { limit: 51 }), expected: [{ path: 'limit', message: 'must be a whole number from 1 to 50, got 51' }] },
  { name: 'batch detail: batch index 1–20', call: () => client.getScriptOrderBatch('SCT1', 0, { limit: 10 }), expected: [{ path: 'batch_index', message: 'must be a whole number from 1 to 20, got 0' }] },
  { name: 'list orders: limit 1–100', call: () => client.listScriptOrders({ limit: 200 }), expected: [{ path: 'limit', message: 'must be a whole number from 1 to 100, got 200' }] },
  {
    name: 'list orders: status filter',
    call: () => client.listScriptOrders({ status: 'ERROR' as 'READY' }),
    expected: [{ path: 'status', message: 'must be one of READY, PROCESSING, ABNORMAL, PAUSED, CANCELED, FINISHED, got "ERROR"' }],
  },
  {
    name: 'operate: CANCEL_INSTANCE needs instance_id',
    call: () => client.operateScriptOrder('SCT1', { operation_type: 'CANCEL_INSTANCE' }),
    expected: [{ path: 'instance_id', message: 'is required for CANCEL_INSTANCE (the id of an instance from the batch detail)' }],
  },
  {
    name: 'operate: SKIP_BATCH needs batch_index',
    call: () => client.operateScriptOrder('SCT1', { operation_type: 'SKIP_BATCH' }),
    expected: [{ path: 'batch_index', message: 'is required for SKIP_BATCH (a whole number from 1 to 20)' }],
  },
  {
    name: 'operate: SKIP_BATCH batch_index range',
    call: () => client.operateScriptOrder('SCT1', { operation_type: 'SKIP_BATCH', batch_index: 21 }),
    expected: [{ path: 'batch_index', message: 'must be a whole number from 1 to 20, got 21' }],
  },
  {
    name: 'operate: PAUSE_ORDER takes nothing',
    call: () => client.operateScriptOrder('SCT1', { operation_type: 'PAUSE_ORDER', batch_index: 2 }),
    expected: [{ path: 'batch_index', message: 'is not used by PAUSE_ORDER' }],
  },
  {
    name: 'operate: RETRY_INSTANCE without the experimental opt-in',
    call: () => client.operateScriptOrder('SCT1', { operation_type: 'RETRY_INSTANCE', instance_id: 7 }),
    expected: [{ path: 'operation_type', message: "RETRY_INSTANCE is not in COC's published operations; pass experimental: true to send it anyway" }],
  },
  {
    name: 'operate: unknown operation',
    call: () => client.operateScriptOrder('SCT1', { operation_type: 'RESTART' as 'PAUSE_ORDER' }),
    expected: [{ path: 'operation_type', message: /^must be one of CANCEL_INSTANCE, SKIP_BATCH, CANCEL_ORDER, PAUSE_ORDER, CONTINUE_ORDER, RETRY_INSTANCE, got "RESTART"$/ }],
  },
  // ---- incidents ----
  {
    name: 'create incident: level, type, source, title, description',
    call: () =>
      client.createIncident({
        ...validIncident,
        incident_level: 'level_60' as 'level_10',
        incident_type: 'inc_type_p_disk' as 'inc_type_p_config_issues',
        incident_source: 'pager' as 'incident_source_manual',
        incident_title: 't'.repeat(201),
        incident_description: 'd'.repeat(601),
      }),
    expected: [
      { path: 'incident_level', message: 'must be one of level_10, level_20, level_30, level_40, level_50, got "level_60"' },
      { path: 'incident_type', message: /^must be one of inc_type_p_security_issues, .*inc_type_p_middleware_issues, inc_type_p_middlewares, .*got "inc_type_p_disk"$/ },
      { path: 'incident_title', message: 'must be 1–200 characters, got 201' },
      { path: 'incident_description', message: 'must be at most 600 characters, got 601' },
      { path: 'incident_source', message: 'must be one of incident_source_manual, incident_source_forwarding, incident_source_alarm, got "pager"' },
    ],
  },
  {
    name: 'create incident: is_service_interrupt must be a flag',
    call: () => client.createIncident({ ...validIncident, is_service_interrupt: 'yes' as 'true' }),
    expected: [{ path: 'is_service_interrupt', message: 'must be true or false' }],
  },
  {
    name: 'create incident: no assignee at all',
    call: () => client.createIncident({ ...validIncident, incident_assignee: undefined }),
    expected: [{ path: 'incident_assignee', message: 'is required unless assignee_scene and assignee_role are set (one user id)' }],
  },
  {
    name: 'create incident: both kinds of assignee',
    call: () => client.createIncident({ ...validIncident, assignee_scene: 's', assignee_role: 'r' }),
    expected: [{ path: 'incident_assignee', message: 'set either incident_assignee or assignee_scene + assignee_role, not both' }],
  },
  {
    name: 'create incident: a scene without a role',
    call: () => client.createIncident({ ...validIncident, incident_assignee: undefined, assignee_scene: 's' }),
    expected: [{ path: 'assignee_role', message: 'assignee_scene and assignee_role go together: set both or neither' }],
  },
  {
    name: 'create incident: two assignees',
    call: () => client.createIncident({ ...validIncident, incident_assignee: ['a', 'b'] }),
    expected: [{ path: 'incident_assignee', message: 'at most 1 assignee, got 2' }],
  },
  {
    name: 'handle incident: unknown operate_key',
    call: () => client.handleIncident({ incident_num: 'IM1', operator: 'u', operate_key: 'close' } as never),
    expected: [{ path: 'operate_key', message: 'must be one of acceptedIncident1, commitSolution1, confirm' }],
  },
  {
    name: 'handle incident: commitSolution1 parameters',
    call: () =>
      client.handleIncident({
        incident_num: 'IM1',
        operator: 'u',
        operate_key: 'commitSolution1',
        parameter: { mtm_type: 'inc_type_p_config_issues', is_service_interrupt: 'true' as unknown as boolean, cause: '', solution: 's'.repeat(10_001) },
      }),
    expected: [
      { path: 'parameter.is_service_interrupt', message: 'must be true or false, got a string' },
      { path: 'parameter.cause', message: 'must not be empty (1–10000 characters)' },
      { path: 'parameter.solution', message: 'must be 1–10000 characters, got 10001' },
    ],
  },
  {
    name: 'handle incident: confirm parameters',
    call: () => client.handleIncident({ incident_num: 'IM1', operator: 'u', operate_key: 'confirm', parameter: { virtual_confirm_comment: 'c'.repeat(301) } as never }),
    expected: [
      { path: 'parameter.virtual_confirm_result', message: 'is required' },
      { path: 'parameter.virtual_confirm_comment', message: 'must be at most 300 characters, got 301' },
    ],
  },
  { name: 'list incidents: per_page 1–200', call: () => client.listIncidents({ per_page: 201 }), expected: [{ path: 'per_page', message: 'must be a whole number from 1 to 200, got 201' }] },
  {
    name: 'list incidents: at most 20 string filters',
    call: () => client.listIncidents({ string_filters: Array.from({ length: 21 }, () => ({ operator: 'in', field: 'work_flow_status', values: ['x'] })) }),
    expected: [{ path: 'string_filters', message: 'at most 20 string filters, got 21' }],
  },
  { name: 'get incident: empty number', call: () => client.getIncident(''), expected: [{ path: 'incident_num', message: 'must not be empty' }] },
  { name: 'get script: ".." as a path parameter', call: () => client.getScript('..'), expected: [{ path: 'script_uuid', message: 'must not be "." or ".."' }] },
  // ---- WarRooms ----
  {
    name: 'create WarRoom: required fields and ranges',
    call: () =>
      client.createWarRoom({
        war_room_name: '',
        application_id_list: [],
        incident_number: 'IM1',
        schedule_group: [{ role_id: 'r' } as never],
        war_room_admin: 'u',
        enterprise_project_id: 'e'.repeat(65),
        notification_modes: ['6' as '1'],
      }),
    expected: [
      { path: 'war_room_name', message: 'must not be empty (1–255 characters)' },
      { path: 'application_id_list', message: 'at least 1 application id, got 0' },
      { path: 'schedule_group[0].scene_id', message: 'is required' },
      { path: 'enterprise_project_id', message: 'must be 1–64 characters, got 65' },
      { path: 'notification_modes[0]', message: 'must be one of 1, 2, 3, 4, 5, got "6"' },
    ],
  },
  { name: 'list WarRooms: limit 1–1000', call: () => client.listWarRooms({ limit: 1001 }), expected: [{ path: 'limit', message: 'must be a whole number from 1 to 1000, got 1001' }] },
  // ---- events ----
  {
    name: 'custom event: alarmLevel, alarmStatus, time, required fields',
    call: () => client.reportCustomEvent('key', { ...validEvent, alarmLevel: 'critical' as 'Critical', alarmStatus: 'firing' as 'ok', time: -1, alarmName: '' }),
    expected: [
      { path: 'alarmName', message: 'must not be empty (1–255 characters)' },
      { path: 'alarmLevel', message: 'must be one of Critical, Major, Minor, Info, got "critical"' },
      { path: 'time', message: 'must not be negative, got -1' },
      { path: 'alarmStatus', message: 'must be one of alarm, ok, got "firing"' },
    ],
  },
  { name: 'custom event: snake_case fields are refused', call: () => client.reportCustomEvent('key', { ...validEvent, alarm_id: 'x' } as never), expected: [{ path: 'alarm_id', message: 'is not a known field' }] },
  { name: 'custom event: integration key required', call: () => client.reportCustomEvent('', validEvent), expected: [{ path: 'integration_key', message: 'must not be empty (1–255 characters)' }] },
  // ---- patches ----
  { name: 'patch compliance: limit 1–100', call: () => client.listPatchCompliance({ limit: 101 }), expected: [{ path: 'limit', message: 'must be a whole number from 1 to 100, got 101' }] },
  {
    name: 'patch compliance: enums',
    call: () => client.listPatchCompliance({ compliant_status: 'ok' as 'compliant', operating_system: 'Ubuntu' as 'CentOS' }),
    expected: [
      { path: 'operating_system', message: 'must be one of HuaweiCloudEulerOS, CentOS, EulerOS, got "Ubuntu"' },
      { path: 'compliant_status', message: 'must be one of non_compliant, compliant, got "ok"' },
    ],
  },
  { name: 'patch items: limit 1–100 and page from 1', call: () => client.listPatchItems('pc-1', { limit: 0, offset: 0 }), expected: [{ path: 'offset', message: 'must be a whole number from 1 to 2147483647, got 0' }, { path: 'limit', message: 'must be a whole number from 1 to 100, got 0' }] },
  {
    name: 'patch items: patch status',
    call: () => client.listPatchItems('pc-1', { patch_status: 'OK' as 'MISSING' }),
    expected: [{ path: 'patch_status', message: 'must be one of INSTALLED, INSTALLED_OTHER, MISSING, REJECT, FAILED, PENDING_REBOOT, got "OK"' }],
  },
];

describe('request validation', () => {
  it.each(cases)('$name', async ({ call, expected }) => {
    const problems = await problemsOf(call);
    for (const want of expected) {
      const match = problems.find((problem) => problem.path === want.path && (typeof want.message === 'string' ? problem.message === want.message : want.message.test(problem.message)));
      expect(match, `expected ${want.path}: ${String(want.message)} in ${JSON.stringify(problems)}`).toBeDefined();
    }
  });

  it('sent nothing to the server for any refused input', () => {
    expect(server.requests).toHaveLength(0);
  });

  it('accepts what COC accepts: 200 hosts in 20 batches, both middleware spellings, string flags, RETRY_INSTANCE with opt-in', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: 'SCT1', provider_code: '049', error_code: 'GOM.00000000', error_msg: null }));
    });
    const before = server.requests.length;
    await expect(client.executeScript('SC1', executeBody(200))).resolves.toBe('SCT1');
    await expect(client.operateScriptOrder('SCT1', { operation_type: 'RETRY_INSTANCE', instance_id: 7, batch_index: 1, experimental: true })).resolves.toBe('SCT1');
    const operateBody = JSON.parse(server.requests[before + 1]!.body);
    expect(operateBody).toEqual({ operation_type: 'RETRY_INSTANCE', instance_id: 7, batch_index: 1 });
    for (const incident_type of ['inc_type_p_middleware_issues', 'inc_type_p_middlewares'] as const) {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ provider_code: '049', error_code: 'GOM.00000000', error_msg: null, data: { incident_num: 'IM1' } }));
      });
      await expect(client.createIncident({ ...validIncident, incident_type, is_service_interrupt: 'true' })).resolves.toBe('IM1');
      expect(JSON.parse(server.requests.at(-1)!.body)).toMatchObject({ incident_type, is_service_interrupt: 'true' });
    }
    await client.createIncident({ ...validIncident, is_service_interrupt: false });
    expect(JSON.parse(server.requests.at(-1)!.body).is_service_interrupt).toBe('false');
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: 'SC2' }));
    });
    await expect(client.createScript({ ...validScript, name: '重启_nginx' })).resolves.toBe('SC2');
    expect(JSON.parse(server.requests.at(-1)!.body).name).toBe('重启_nginx');
  });
});

describe('broken characters', () => {
  it('refuses a lone surrogate in a path parameter or a text field before sending', async () => {
    const { CocClient } = await import('../src/coc/client.js');
    const client = new CocClient({ endpoint: 'http://127.0.0.1:9', auth: { kind: 'aksk', ak: 'AK', sk: 'SK' } });
    try {
      await expect(client.getScript('SC\uD800x')).rejects.toMatchObject({ kind: 'validation', problems: [{ path: 'script_uuid' }] });
      await expect(client.listScripts({ limit: 10, name_like: 'a\uDC00' })).rejects.toMatchObject({ kind: 'validation' });
    } finally {
      await client.close();
    }
  });
});
