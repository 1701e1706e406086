/**
 * The BlueKing backend's hosts, scripts and executions over the real ESB client and a local peer
 * answering with the reference's own examples: what each group sends, and how the examples map
 * to neutral hosts, scripts and executions. Also the backend's shape, its typed ids and sessions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../src/config/secret.js';
import { BackendAuthError, BackendInputError, mayHaveActed } from '../src/backends/errors.js';
import { label } from '../src/backends/vocabulary.js';
import { componentPath } from '../src/backends/blueking/esb/component.js';
import { searchBusiness, searchHost, searchModule, searchSet } from '../src/backends/blueking/esb/cc.js';
import { getAgentStatus } from '../src/backends/blueking/esb/gse.js';
import { fastExecuteScript, getJobInstanceLog, getJobInstanceStatus, getScriptDetail, getScriptList } from '../src/backends/blueking/esb/job.js';
import { createBluekingBackend, declaredBluekingBackend } from '../src/backends/blueking/index.js';
import { connectBlueking } from '../src/backends/blueking/connect.js';
import type { BluekingSettings } from '../src/backends/blueking/settings.js';
import type { EsbClient } from '../src/backends/blueking/esb/client.js';
import type { Backend } from '../src/backends/backend.js';
import type { SingleExecutionRequest } from '../src/backends/types/executions.js';
import { clientOf, EsbPeer, ok, PEER_APP_CODE, PEER_APP_SECRET } from './blueking-fixture-peer.js';

const SETTINGS: BluekingSettings = {
  defaultBiz: 2,
  defaultAccount: 'root',
  paasHost: 'https://paas.example.com',
  riskRules: [
    { namePattern: 'build_*', risk: 'low' },
    { scriptId: 18, biz: 1, risk: 'medium', sensitiveArgs: true },
  ],
};

const path = {
  business: componentPath(searchBusiness),
  host: componentPath(searchHost),
  set: componentPath(searchSet),
  module: componentPath(searchModule),
  agent: componentPath(getAgentStatus),
  list: componentPath(getScriptList),
  detail: componentPath(getScriptDetail),
  execute: componentPath(fastExecuteScript),
  status: componentPath(getJobInstanceStatus),
  log: componentPath(getJobInstanceLog),
};

let peer: EsbPeer;
let client: EsbClient;
let backend: Backend;

beforeAll(async () => {
  peer = await EsbPeer.start();
  client = clientOf(peer, 'alice');
  backend = createBluekingBackend(client, SETTINGS);
});

afterAll(async () => {
  await client.close();
  await peer.close();
});

beforeEach(() => peer.reset());

describe('hosts', () => {
  it('lists CMDB hosts of the default business with GSE agent state and topology names', async () => {
    peer.serveExample('search_host');
    peer.serveExample('get_agent_status');
    const page = await backend.hosts!.list({ limit: 10 });
    expect(page.items).toEqual([
      {
        id: 'blueking:host:0:10.0.0.1',
        rowId: '11',
        name: 'test-1',
        ip: '10.0.0.1',
        agent: { state: 'online', code: '1' },
        tags: [],
        topology: { biz: 'test', sets: ['test'], modules: ['test_1'] },
        os: 'linux centos',
        runnable: true,
      },
    ]);
    expect(page.total).toBe(1);
    expect(page.next).toBeUndefined();
    expect(peer.to(path.host)[0]!.fields).toMatchObject({ bk_biz_id: 2, bk_username: 'alice', page: { start: 0, limit: 10 } });
    expect(peer.to(path.agent)[0]!.fields).toMatchObject({ bk_supplier_account: '0', hosts: [{ bk_cloud_id: 0, ip: '10.0.0.1' }] });
    expect(backend.hosts!.pageMax).toBe(200);
  });

  it('filters by IP and id as CMDB takes them, and by a part of the name over the rows it sends; a host GSE says nothing of is unknown', async () => {
    peer.serveExample('search_host');
    peer.answer(path.agent, ok({}));
    const page = await backend.hosts!.list({ limit: 5, name: 'EST-', ids: ['blueking:host:0:10.0.0.1'], after: '0' });
    expect(page.items.map((host) => [host.id, host.agent])).toEqual([['blueking:host:0:10.0.0.1', { state: 'unknown', code: 'UNKNOWN' }]]);
    const sent = peer.to(path.host)[0]!.fields;
    expect(sent['ip']).toEqual({ data: ['10.0.0.1'], exact: 1, flag: 'bk_host_innerip' });
    // search_host compares a name only whole ($eq, $neq, $in, $nin): a part of one is matched here, so none is sent.
    expect(sent['condition']).toBeUndefined();
    peer.reset();
    peer.serveExample('search_host');
    peer.answer(path.agent, ok({}));
    expect((await backend.hosts!.list({ limit: 5, name: 'nginx' })).items).toEqual([]);
    // An id in another cloud area is not that host.
    peer.reset();
    peer.serveExample('search_host');
    peer.serveExample('get_agent_status');
    expect((await backend.hosts!.list({ limit: 5, ids: ['blueking:host:3:10.0.0.1'] })).items).toEqual([]);
  });

  it('resolves business, set and module names to ids before searching', async () => {
    for (const name of ['search_business', 'search_set', 'search_module', 'search_host', 'get_agent_status']) peer.serveExample(name);
    const page = await backend.hosts!.list({ limit: 10, topology: { biz: 'esb-test', set: 'test', module: 'test_1' } });
    expect(page.items).toHaveLength(1);
    expect(peer.to(path.business)[0]!.fields).toMatchObject({ condition: { bk_biz_name: 'esb-test' } });
    expect(peer.to(path.set)[0]!.fields).toMatchObject({ bk_biz_id: 2, condition: { bk_set_name: 'test' } });
    expect(peer.to(path.module)[0]!.fields).toMatchObject({ bk_biz_id: 2, bk_set_id: 3, condition: { bk_module_name: 'test_1' } });
    expect(peer.to(path.host)[0]!.fields['condition']).toEqual([
      { bk_obj_id: 'set', fields: [], condition: [{ field: 'bk_set_id', operator: '$in', value: [3] }] },
      { bk_obj_id: 'module', fields: [], condition: [{ field: 'bk_module_id', operator: '$in', value: [38] }] },
    ]);
  });

  it('a topology name that matches nothing finds no host, without searching', async () => {
    peer.answer(path.set, ok({ count: 0, info: [] }));
    expect((await backend.hosts!.list({ limit: 10, topology: { set: 'nowhere' } })).items).toEqual([]);
    expect(peer.to(path.host)).toHaveLength(0);
  });

  it('filters and counts by agent state from GSE', async () => {
    peer.serveExample('search_host');
    peer.serveExample('get_agent_status');
    expect((await backend.hosts!.list({ limit: 10, agentCode: '0' })).items).toEqual([]);
    expect((await backend.hosts!.list({ limit: 10, agentCode: '1' })).items).toHaveLength(1);
    expect(await backend.hosts!.count!({ agentCode: '1' })).toBe(1);
    expect(await backend.hosts!.count!({})).toBe(1);
    expect(backend.hosts!.agentCodes).toEqual(['1', '0']);
  });
});

describe('scripts', () => {
  it('lists business scripts with their risk from the rules', async () => {
    peer.serveExample('get_script_list');
    const page = await backend.scripts!.list({ limit: 10, nameLike: 'build' });
    expect(page.items.map((s) => [s.id, s.name, s.type, s.risk, s.publicScript])).toEqual([
      ['blueking:script:2:18', 'test', 'SHELL', { state: 'unclassified', code: 'UNCLASSIFIED' }, false],
      ['blueking:script:2:36', 'build_version', 'SHELL', { state: 'low', code: 'LOW' }, false],
    ]);
    expect(page.items[1]).toMatchObject({ owner: 'admin', modifiedBy: 'admin', description: 'v1.0' });
    expect(page.items[1]!.modifiedAt).toBe(Date.UTC(2018, 6, 23, 17, 24, 17));
    expect(page.total).toBe(2);
    expect(page.next).toBeUndefined();
    expect(peer.to(path.list)[0]!.fields).toMatchObject({ bk_biz_id: '2', is_public: 'false', start: '0', length: '10', script_name: 'build' });
  });

  it('filters by the rules risk on the page and by type as Job numbers it', async () => {
    peer.serveExample('get_script_list');
    const page = await backend.scripts!.list({ limit: 10, risk: 'LOW', type: 'SHELL' });
    expect(page.items.map((s) => s.name)).toEqual(['build_version']);
    expect(peer.to(path.list)[0]!.fields['script_type']).toBe('1');
  });

  it('details a script with one parameter line, sensitive when its rule says so, pinned by content', async () => {
    peer.serveExample('get_script_detail');
    const script = await backend.scripts!.get('blueking:script:1:18');
    expect(script).toMatchObject({
      id: 'blueking:script:1:18',
      name: 'test',
      content: 'xxxx',
      version: 'admin.20180723160606',
      risk: { state: 'medium', code: 'MEDIUM' },
      params: [{ name: 'args', sensitive: true, order: 1 }],
    });
    expect(script!.pin.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(script!.pin.modifiedAt).toBe(Date.UTC(2018, 6, 23, 16, 6, 6));
    expect(peer.to(path.detail)[0]!.fields).toMatchObject({ bk_biz_id: '1', id: '18' });
    // The same script read again pins the same; another business's id is not this script.
    expect((await backend.scripts!.get('blueking:script:1:18'))!.pin).toEqual(script!.pin);
    expect(await backend.scripts!.get('blueking:script:2:18')).toBeUndefined();
  });

  it('reads public scripts without a business', async () => {
    peer.answer(path.list, ok({ data: [{ id: 5, name: 'disk_usage', type: 4, public: true }], start: 0, page_size: 10, total_record_size: 1 }));
    peer.answer(path.detail, ok({ id: 5, name: 'disk_usage', type: 4, public: true, content: 'print(1)', last_modify_time: '2020-01-02 03:04:05' }));
    const page = await backend.scripts!.listPublic!({ limit: 10 });
    expect(page.items.map((s) => [s.id, s.type, s.publicScript])).toEqual([['blueking:public-script:5', 'PYTHON', true]]);
    expect(peer.to(path.list)[0]!.fields).toMatchObject({ is_public: 'true' });
    expect(peer.to(path.list)[0]!.fields['bk_biz_id']).toBeUndefined();
    const script = await backend.scripts!.getPublic!('blueking:public-script:5');
    expect(script).toMatchObject({ id: 'blueking:public-script:5', publicScript: true, params: [{ name: 'args', sensitive: false }] });
    expect(peer.to(path.detail)[0]!.fields['bk_biz_id']).toBeUndefined();
  });

  it('a script Job does not know is no script', async () => {
    peer.answer(path.detail, { body: { result: false, code: 1244003, message: '脚本不存在', data: null } });
    expect(await backend.scripts!.get('blueking:script:2:404')).toBeUndefined();
  });
});

const REQUEST: SingleExecutionRequest = {
  script: { id: 'blueking:script:2:36' },
  hosts: [
    { id: 'blueking:host:0:10.0.0.1', name: 'test-1' },
    { id: 'blueking:host:2:10.0.0.2', name: 'test-2' },
  ],
  timeoutSeconds: 900,
  runAs: 'root',
  params: { args: '--rotate now' },
  sensitive: ['args'],
  label: 'chatops-1a2b3c4d-b1',
  callback: 'https://bot.example.com/bk/job-done/abc',
};

describe('executions', () => {
  it('starts one fast_execute_script with the parameter line in base64', async () => {
    peer.serveExample('fast_execute_script');
    const id = await backend.executions!.start(REQUEST);
    expect(id).toBe('blueking:execution:2:10000');
    const [sent] = peer.to(path.execute);
    expect(sent!.method).toBe('POST');
    expect(sent!.fields).toEqual({
      bk_app_code: PEER_APP_CODE,
      bk_app_secret: PEER_APP_SECRET,
      bk_username: 'alice',
      bk_biz_id: 2,
      script_id: 36,
      task_name: 'chatops-1a2b3c4d-b1',
      script_param: Buffer.from('--rotate now', 'utf8').toString('base64'),
      is_param_sensitive: 1,
      script_timeout: 900,
      account: 'root',
      ip_list: [
        { bk_cloud_id: 0, ip: '10.0.0.1' },
        { bk_cloud_id: 2, ip: '10.0.0.2' },
      ],
      bk_callback_url: 'https://bot.example.com/bk/job-done/abc',
    });
    expect(backend.executions!.startOperation).toEqual({ backend: 'blueking', method: 'POST', route: 'job/fast_execute_script', write: true });
  });

  it('a public script runs in the default business; no parameter line sends none', async () => {
    peer.serveExample('fast_execute_script');
    await backend.executions!.start({ ...REQUEST, script: { id: 'blueking:public-script:5' }, params: {}, sensitive: [] });
    const fields = peer.to(path.execute)[0]!.fields;
    expect(fields).toMatchObject({ bk_biz_id: 2, script_id: 5, is_param_sensitive: 0 });
    expect(fields['script_param']).toBeUndefined();
  });

  it('checks a request locally and sends nothing when it breaks a rule', async () => {
    const bad: SingleExecutionRequest = {
      ...REQUEST,
      hosts: [{ id: 'coc:host:abc', name: 'x' }],
      timeoutSeconds: 30,
      params: { args: 'a\nb', other: 'x' },
    };
    const problems = backend.executions!.check(bad).map((problem) => problem.path);
    expect(problems).toEqual(['hosts.0.id', 'timeoutSeconds', 'params.other', 'params.args']);
    // Another business's script: a callback could not name its execution.
    expect(backend.executions!.check({ ...REQUEST, script: { id: 'blueking:script:1:18' } }).map((problem) => problem.path)).toEqual(['script.id']);
    await expect(backend.executions!.start(bad)).rejects.toBeInstanceOf(BackendInputError);
    expect(peer.requests).toHaveLength(0);
    expect(backend.executions!.check(REQUEST)).toEqual([]);
  });

  it('a lost answer to the start may have acted and is not retried', async () => {
    peer.answer(path.execute, { status: 502, body: 'bad gateway' });
    const error = await backend.executions!.start(REQUEST).catch((e: unknown) => e);
    expect(mayHaveActed(error)).toBe(true);
    expect(peer.to(path.execute)).toHaveLength(1);
  });

  it('reads the job and each host from get_job_instance_status', async () => {
    peer.serveExample('get_job_instance_status');
    const status = await backend.executions!.read('blueking:execution:1:65');
    expect(status).toEqual({
      id: 'blueking:execution:1:65',
      status: { state: 'failed', code: '4' },
      finished: true,
      startedAt: Date.UTC(2018, 2, 15, 4, 56, 35),
      finishedAt: Date.UTC(2018, 2, 15, 4, 56, 39),
      durationMs: 3169,
      hosts: [
        {
          host: { id: 'blueking:host:0:10.0.0.1', ip: '10.0.0.1' },
          status: { state: 'succeeded', code: '9' },
          startedAt: Date.UTC(2018, 2, 15, 4, 56, 35),
          finishedAt: Date.UTC(2018, 2, 15, 4, 56, 39),
        },
      ],
    });
    expect(peer.to(path.status)[0]!.fields).toMatchObject({ bk_biz_id: '1', job_instance_id: '65' });
    expect(label(backend.vocabulary, 'runStatus', status!.status.code, 'zh-CN')).toBe('执行失败');
    expect(label(backend.vocabulary, 'hostRunStatus', '9', 'en-US')).toBe('Succeeded');
  });

  it('an execution Job does not know reads as none', async () => {
    peer.answer(path.status, { body: { result: false, code: 1244001, message: 'job instance not exist', data: null } });
    expect(await backend.executions!.read('blueking:execution:1:999')).toBeUndefined();
  });

  it('gives each asked host its log from get_job_instance_log', async () => {
    peer.serveExample('get_job_instance_log');
    const logs = await backend.executions!.output('blueking:execution:1:65', ['blueking:host:0:10.0.0.1', 'blueking:host:0:10.0.0.9']);
    expect([...logs]).toEqual([['blueking:host:0:10.0.0.1', '[2018-03-15 12:56:36][PID:56875] job_start\n']]);
    expect(peer.to(path.log)[0]!.method).toBe('GET');
  });

  it('reads Job callback bodies', () => {
    const parse = backend.executions!.parseCallback!;
    expect(parse({ job_instance_id: 10000, status: 3, step_instances: [{ step_instance_id: 1, status: 3 }] })).toEqual({ id: 'blueking:execution:2:10000', finished: true });
    expect(parse({ job_instance_id: 10000, status: 2, step_instances: [] })).toEqual({ id: 'blueking:execution:2:10000', finished: false });
    expect(parse({ hello: 'world' })).toBeUndefined();
  });

  it('limits as Job has them', () => {
    expect(backend.executions!.limits).toEqual({
      maxHosts: 500,
      maxHostsPerBatch: 100,
      maxBatches: 50,
      timeoutSeconds: { min: 60, max: 86_400, default: 600 },
      successRate: { min: 0, max: 100, default: 100 },
      runAs: { default: 'root', maxLength: 64 },
    });
  });
});

describe('the backend', () => {
  it('has BlueKing groups and none of COC-only ones; ITSM approvals only when configured', () => {
    expect(backend).toMatchObject({ name: 'blueking', displayName: { 'en-US': 'BlueKing', 'zh-CN': '蓝鲸' }, perUser: 'username' });
    expect(backend.runs).toBeUndefined();
    expect(backend.incidents).toBeUndefined();
    expect(backend.warRooms).toBeUndefined();
    expect(backend.patches).toBeUndefined();
    expect(backend.approvals).toBeUndefined();
    expect(createBluekingBackend(client, { ...SETTINGS, itsmServiceId: 7 }).approvals).toBeDefined();
    const declared = declaredBluekingBackend();
    expect(declared.executions && declared.tasks && declared.notices && declared.alarms && declared.approvals).toBeTruthy();
  });

  it('parses what people type for ids', () => {
    expect(backend.parseId('host', '10.0.0.1')).toBe('blueking:host:0:10.0.0.1');
    expect(backend.parseId('host', '3:10.0.0.1')).toBe('blueking:host:3:10.0.0.1');
    expect(backend.parseId('host', 'web-1')).toBeUndefined();
    expect(backend.parseId('script', '18')).toBe('blueking:script:2:18');
    expect(backend.parseId('script', '1:18')).toBe('blueking:script:1:18');
    expect(backend.parseId('public-script', '5')).toBe('blueking:public-script:5');
    expect(backend.parseId('execution', '10000')).toBe('blueking:execution:2:10000');
    expect(backend.parseId('task', '7:10')).toBe('blueking:task:7:10');
    expect(backend.parseId('ticket', 'NO2019090519542603')).toBe('blueking:ticket:NO2019090519542603');
    expect(backend.parseId('execution', 'abc')).toBeUndefined();
    expect(backend.parseId('incident', '12')).toBeUndefined();
  });

  it('sessions act as each person and the bot as the service user', async () => {
    const sessions = connectBlueking({ endpoint: peer.url, appCode: PEER_APP_CODE, appSecret: new Secret(PEER_APP_SECRET), serviceUser: 'chatops-bot', settings: SETTINGS });
    peer.serveExample('get_job_instance_status');
    await sessions.botBackend.executions!.read('blueking:execution:1:65');
    const bob = sessions.backendFor({ iamUserName: 'bob' });
    expect(sessions.backendFor({ iamUserName: 'bob', credentialRef: 'ignored' })).toBe(bob);
    await bob.executions!.read('blueking:execution:1:65');
    expect(peer.to(path.status).map((request) => request.fields['bk_username'])).toEqual(['chatops-bot', 'bob']);
    expect(() => sessions.backendFor({ iamUserName: ' ' })).toThrow(BackendAuthError);
    await sessions.close();
  });
});
