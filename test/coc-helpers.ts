/**
 * A local HTTP peer for the COC client tests: real sockets on 127.0.0.1 (port 0), every
 * request recorded, the answer decided per test.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CocClient,
  type CocAuth,
  type CocClientOptions,
  type CreateIncidentInput,
  type CreateScriptInput,
  type CreateWarRoomInput,
  type CustomEventInput,
} from '../src/coc/index.js';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Header names exactly as sent, for "sent once" checks. */
  readonly rawHeaderNames: readonly string[];
  readonly body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startTestServer(initial?: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let handler: Handler = initial ?? ((_, response) => json(response, 404, { error_code: 'TEST.404', error_msg: 'no handler' }));
  const server = createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const request: RecordedRequest = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        rawHeaderNames: raw.rawHeaders.filter((_, index) => index % 2 === 0),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      Promise.resolve(handler(request, response, raw)).catch((error: unknown) => {
        if (!response.headersSent) json(response, 599, { error_code: 'TEST.ERR', error_msg: String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export const TEST_AK = 'TESTAKAAAAAAAAAAAAAA';
export const TEST_SK = 'TestSecretKey-0123456789-abcdefghijklmnop';

export const AKSK_AUTH: CocAuth = { kind: 'aksk', ak: TEST_AK, sk: TEST_SK, projectId: 'proj-0001' };

/** A client for `server` that never really waits between retries. */
export function testClient(server: TestServer, options: Partial<CocClientOptions> = {}): CocClient {
  return new CocClient({
    endpoint: server.url,
    auth: AKSK_AUTH,
    timeoutMs: 2_000,
    sleep: async () => undefined,
    ...options,
  });
}

/** A valid execute body: `hosts` hosts split into batches of up to 10. */
export function executeBody(hosts = 2, extra: { params?: { param_name: string; param_value: string }[] } = {}) {
  const targets = Array.from({ length: hosts }, (_, index) => ({ resource_id: `ecs-${index}`, region_id: 'cn-north-4' }));
  const batches = [];
  for (let start = 0; start < targets.length; start += 10) {
    batches.push({ batch_index: batches.length + 1, rotation_strategy: 'CONTINUE' as const, target_instances: targets.slice(start, start + 10) });
  }
  return {
    execute_param: { timeout: 300, success_rate: 100, execute_user: 'root', ...(extra.params ? { script_params: extra.params } : {}) },
    execute_batches: batches,
  };
}

const minimalIncident = {
  incident_level: 'level_50',
  is_service_interrupt: true,
  incident_type: 'inc_type_p_function_issues',
  incident_title: 'tet',
  incident_source: 'incident_source_manual',
  creator: 'u1',
  incident_assignee: ['u2'],
} as const satisfies CreateIncidentInput;
const minimalScript = { name: 'n', description: 'd', type: 'SHELL', content: 'c', properties: { risk_level: 'LOW', version: '1' } } as const satisfies CreateScriptInput;
const minimalEvent = { alarmId: 'a', alarmName: 'n', alarmLevel: 'Info', time: 1, nameSpace: 'ns', alarmDesc: 'd', alarmSource: 's', applicationId: 'app' } as const satisfies CustomEventInput;
const minimalWarRoom = {
  war_room_name: 'w',
  application_id_list: ['app'],
  incident_number: 'IM1',
  schedule_group: [],
  war_room_admin: 'u1',
  enterprise_project_id: '0',
} satisfies CreateWarRoomInput;

/** `"METHOD /route/template"`, the key COC operations are known by in tests. */
export function routeKeyOf(operation: { readonly method: string; readonly route: string }): string {
  return `${operation.method} ${operation.route}`;
}

/** For every route the client knows: one valid client call that sends a request to it. */
export const CLIENT_CALL_BY_ROUTE: Readonly<Record<string, (client: CocClient) => Promise<unknown>>> = {
  'POST /v1/resources/sync': (c) => c.syncResources(),
  'POST /v1/resources/uniagent/sync': (c) => c.syncResourceAgents({ resource_infos: [{ region_id: 'cn-north-4', resource_id: 'ecs-1' }] }),
  'GET /v1/resources': (c) => c.listResources({ provider: 'ecs', type: 'cloudservers', limit: 10 }),
  'GET /v1/resources/count': (c) => c.countResources({ provider: 'ecs', type: 'cloudservers' }),
  'POST /v1/job/scripts': (c) => c.createScript(minimalScript),
  'GET /v1/job/scripts': (c) => c.listScripts({ limit: 10 }),
  'GET /v1/job/scripts/{script_uuid}': (c) => c.getScript('SC1'),
  'DELETE /v1/job/scripts/{script_uuid}': (c) => c.deleteScript('SC1'),
  'PUT /v1/job/scripts/{script_uuid}': (c) => c.updateScript('SC1', { description: 'd', content: 'c' }),
  'GET /v1/job/public-scripts': (c) => c.listPublicScripts({ limit: 10 }),
  'GET /v1/job/public-scripts/{script_uuid}': (c) => c.getPublicScript('SC1'),
  'POST /v1/job/scripts/{script_uuid}': (c) => c.executeScript('SC1', executeBody()),
  'POST /v1/job/public-scripts/{script_uuid}': (c) => c.executePublicScript('SC1', executeBody()),
  'GET /v1/job/script/orders/{execute_uuid}': (c) => c.getScriptOrder('SCT1'),
  'GET /v1/job/script/orders/{execute_uuid}/batches': (c) => c.listScriptOrderBatches('SCT1'),
  'GET /v1/job/script/orders/{execute_uuid}/statistics': (c) => c.getScriptOrderStatistics('SCT1'),
  'GET /v1/job/script/orders/{execute_uuid}/batches/{batch_index}': (c) => c.getScriptOrderBatch('SCT1', 1, { limit: 10 }),
  'GET /v1/job/script/orders': (c) => c.listScriptOrders({ limit: 10 }),
  'PUT /v1/job/script/orders/{execute_uuid}/operation': (c) => c.operateScriptOrder('SCT1', { operation_type: 'CANCEL_ORDER' }),
  'POST /v1/external/incident/create': (c) => c.createIncident(minimalIncident),
  'POST /v1/external/incident/handle': (c) => c.handleIncident({ incident_num: 'IM1', operator: 'u', operate_key: 'acceptedIncident1' }),
  'GET /v1/external/incident/{incident_num}': (c) => c.getIncident('IM1'),
  'POST /v2/incidents/list': (c) => c.listIncidents(),
  'GET /v2/incidents/{incident_id}/tasks': (c) => c.showIncidentTasks('IM1'),
  'POST /v2/incidents/{incident_id}/actions': (c) => c.actOnIncident('IM1', { task_id: 'T1', action: 'acceptedIncident1' }),
  'POST /v2/incidents/{incident_id}/histories': (c) => c.listIncidentHistories('IM1'),
  'POST /v1/external/warrooms': (c) => c.createWarRoom(minimalWarRoom),
  'POST /v1/external/warrooms/list': (c) => c.listWarRooms(),
  'POST /v1/event/huawei/custom/{integration_key}': (c) => c.reportCustomEvent('key', minimalEvent),
  'GET /v1/patch/instance/compliant': (c) => c.listPatchCompliance(),
  'GET /v1/patch/instance/compliant/{instance_compliant_id}': (c) => c.listPatchItems('pc-1'),
};
