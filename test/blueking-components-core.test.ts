/**
 * The CMDB, GSE and Job components through the real ESB client against a local peer: each one's
 * request as it went out (method, path, the app code and user, the component's own fields — GET
 * as query text, POST as JSON), and the reference's own example answer parsed by its schema.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { searchBusiness, searchHost, searchModule, searchSet } from '../src/backends/blueking/esb/cc.js';
import type { EsbClient } from '../src/backends/blueking/esb/client.js';
import { componentPath, type EsbComponent } from '../src/backends/blueking/esb/component.js';
import { getAgentStatus } from '../src/backends/blueking/esb/gse.js';
import {
  fastExecuteScript,
  getJobInstanceLog,
  getJobInstanceStatus,
  getOsAccount,
  getScriptDetail,
  getScriptList,
} from '../src/backends/blueking/esb/job.js';
import { clientOf, EsbPeer, fixture, PEER_APP_CODE, PEER_APP_SECRET } from './blueking-fixture-peer.js';

interface Case {
  readonly fixture: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly component: EsbComponent<any, unknown>;
  readonly input: unknown;
  /** The component's own fields as they arrive (GET: text). */
  readonly sent: Record<string, unknown>;
}

const HOST_QUERY = {
  bk_supplier_account: '0',
  bk_biz_id: 2,
  ip: { data: ['10.0.0.1'], exact: 1 as const, flag: 'bk_host_innerip' },
  condition: [{ bk_obj_id: 'module' as const, fields: [], condition: [{ field: 'bk_module_id', operator: '$in' as const, value: [38] }] }],
  page: { start: 0, limit: 200, sort: 'bk_host_id' },
};

const CASES: readonly Case[] = [
  {
    fixture: 'search_business',
    component: searchBusiness,
    input: { fields: ['bk_biz_id', 'bk_biz_name'], condition: { bk_biz_name: 'esb-test' }, page: { start: 0, limit: 10, sort: '' } },
    sent: { fields: ['bk_biz_id', 'bk_biz_name'], condition: { bk_biz_name: 'esb-test' }, page: { start: 0, limit: 10, sort: '' } },
  },
  { fixture: 'search_host', component: searchHost, input: HOST_QUERY, sent: HOST_QUERY },
  {
    fixture: 'search_set',
    component: searchSet,
    input: { bk_supplier_account: '0', bk_biz_id: 2, fields: ['bk_set_id', 'bk_set_name'], condition: { bk_set_name: 'test' }, page: { start: 0, limit: 200 } },
    sent: { bk_supplier_account: '0', bk_biz_id: 2, fields: ['bk_set_id', 'bk_set_name'], condition: { bk_set_name: 'test' }, page: { start: 0, limit: 200 } },
  },
  {
    fixture: 'search_module',
    component: searchModule,
    input: { bk_biz_id: 2, bk_set_id: 3, fields: ['bk_module_id', 'bk_module_name'], condition: { bk_module_name: 'test_1' }, page: { start: 0, limit: 200 } },
    sent: { bk_biz_id: 2, bk_set_id: 3, fields: ['bk_module_id', 'bk_module_name'], condition: { bk_module_name: 'test_1' }, page: { start: 0, limit: 200 } },
  },
  {
    fixture: 'get_agent_status',
    component: getAgentStatus,
    input: { bk_supplier_account: '0', hosts: [{ bk_cloud_id: 0, ip: '10.0.0.1' }] },
    sent: { bk_supplier_account: '0', hosts: [{ bk_cloud_id: 0, ip: '10.0.0.1' }] },
  },
  {
    fixture: 'get_script_list',
    component: getScriptList,
    input: { bk_biz_id: 1, start: 0, length: 10, is_public: false, return_script_content: false, script_name: 'build', script_type: '1' },
    sent: { bk_biz_id: '1', start: '0', length: '10', is_public: 'false', return_script_content: 'false', script_name: 'build', script_type: '1' },
  },
  { fixture: 'get_script_detail', component: getScriptDetail, input: { bk_biz_id: 1, id: 18 }, sent: { bk_biz_id: '1', id: '18' } },
  { fixture: 'get_os_account', component: getOsAccount, input: { bk_biz_id: 1 }, sent: { bk_biz_id: '1' } },
  {
    fixture: 'fast_execute_script',
    component: fastExecuteScript,
    input: {
      bk_biz_id: 1,
      script_id: 1,
      task_name: 'chatops-1a2b3c4d-b1',
      script_param: Buffer.from('hello', 'utf8').toString('base64'),
      script_timeout: 1000,
      account: 'root',
      is_param_sensitive: 0,
      ip_list: [
        { bk_cloud_id: 0, ip: '10.0.0.1' },
        { bk_cloud_id: 0, ip: '10.0.0.2' },
      ],
      bk_callback_url: 'https://bot.example.com/bk/job-done/abc',
    },
    sent: {
      bk_biz_id: 1,
      script_id: 1,
      task_name: 'chatops-1a2b3c4d-b1',
      script_param: 'aGVsbG8=',
      script_timeout: 1000,
      account: 'root',
      is_param_sensitive: 0,
      ip_list: [
        { bk_cloud_id: 0, ip: '10.0.0.1' },
        { bk_cloud_id: 0, ip: '10.0.0.2' },
      ],
      bk_callback_url: 'https://bot.example.com/bk/job-done/abc',
    },
  },
  { fixture: 'get_job_instance_status', component: getJobInstanceStatus, input: { bk_biz_id: 1, job_instance_id: 100 }, sent: { bk_biz_id: '1', job_instance_id: '100' } },
  { fixture: 'get_job_instance_log', component: getJobInstanceLog, input: { bk_biz_id: 1, job_instance_id: 100 }, sent: { bk_biz_id: '1', job_instance_id: '100' } },
];

let peer: EsbPeer;
let client: EsbClient;

beforeAll(async () => {
  peer = await EsbPeer.start();
  client = clientOf(peer, 'alice');
});

afterAll(async () => {
  await client.close();
  await peer.close();
});

beforeEach(() => peer.reset());

describe('CMDB, GSE and Job components against the reference examples', () => {
  for (const testCase of CASES) {
    it(`${testCase.fixture}: sends what the reference documents and parses its example`, async () => {
      const example = peer.serveExample(testCase.fixture);
      expect(componentPath(testCase.component)).toBe(example.path);
      expect(testCase.component.method).toBe(example.method);
      const data = await client.call(testCase.component, testCase.input);
      const [request] = peer.to(example.path);
      expect(peer.requests).toHaveLength(1);
      expect(request!.method).toBe(example.method);
      expect(request!.fields).toEqual({ ...testCase.sent, bk_app_code: PEER_APP_CODE, bk_app_secret: PEER_APP_SECRET, bk_username: 'alice' });
      expect(data).toBeDefined();
    });
  }

  it('reads what the backend needs from the examples', async () => {
    for (const name of ['search_host', 'get_agent_status', 'get_job_instance_status', 'get_job_instance_log', 'fast_execute_script', 'get_script_list', 'get_os_account']) peer.serveExample(name);
    const hosts = await client.call(searchHost, HOST_QUERY);
    expect(hosts.count).toBe(1);
    // The reference's own example gives bk_cloud_id as the plat instance list.
    expect(hosts.info[0]!.host).toMatchObject({ bk_host_id: 11, bk_host_name: 'test-1', bk_host_innerip: '10.0.0.1' });
    expect(hosts.info[0]!.module?.[0]).toMatchObject({ bk_module_id: 38, bk_module_name: 'test_1' });
    const agents = await client.call(getAgentStatus, { bk_supplier_account: '0', hosts: [{ bk_cloud_id: 0, ip: '10.0.0.1' }] });
    expect(agents['0:10.0.0.1']!.bk_agent_alive).toBe(1);
    const status = await client.call(getJobInstanceStatus, { bk_biz_id: 1, job_instance_id: 65 });
    expect(status.is_finished).toBe(true);
    expect(status.job_instance.status).toBe(4);
    expect(status.blocks?.[0]?.step_instances?.[0]?.step_ip_status).toEqual([{ ip: '10.0.0.1', bk_cloud_id: 0, status: 9 }]);
    const log = await client.call(getJobInstanceLog, { bk_biz_id: 1, job_instance_id: 65 });
    expect(log[0]!.step_results?.[0]?.ip_logs?.[0]?.log_content).toContain('job_start');
    const started = await client.call(fastExecuteScript, { bk_biz_id: 1, script_id: 1, ip_list: [{ bk_cloud_id: 0, ip: '10.0.0.1' }] });
    expect(started.job_instance_id).toBe(10000);
    const scripts = await client.call(getScriptList, { bk_biz_id: 2 });
    expect(scripts.total_record_size).toBe(2);
    expect(scripts.data.map((row) => row.id)).toEqual([18, 36]);
    const accounts = await client.call(getOsAccount, { bk_biz_id: 2 });
    expect(accounts.map((account) => account.alias)).toEqual(['Administrator', 'SDFDSFDFDS']);
  });

  it('every example file names the component it answers for', () => {
    for (const testCase of CASES) {
      const example = fixture(testCase.fixture);
      expect(example.component).toBe(`${testCase.component.system}/${testCase.component.name}`);
      expect(example.body['result']).toBe(true);
    }
  });
});
