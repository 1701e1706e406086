/**
 * The BlueKing simulator over real HTTP, one server for the file and a fake clock (jobs and
 * tasks move only on tick()): ESB authentication, CMDB host search, a Job execution to its end
 * with per-IP states and logs, the job callback, ITSM approval by a listed processor only, a
 * SOPS task paused/resumed/revoked, and a fault that creates the job but loses the answer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/sim/clock.js';
import { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, BK_SIM_BIZ_ID, startBluekingSimulator, type BkJob, type BluekingSimulator } from '../src/sim/blueking/server.js';

const clock = createManualClock(Date.parse('2026-03-02T02:00:00Z'));
let sim: BluekingSimulator;
const callbackFailures: string[] = [];

interface Envelope<T = any> {
  readonly result: boolean;
  readonly code: number;
  readonly message: string;
  readonly data: T;
  readonly request_id: string;
  readonly [extra: string]: unknown;
}

interface Answer<T = any> {
  readonly status: number;
  readonly body: Envelope<T>;
}

const AUTH = { bk_app_code: BK_SIM_APP_CODE, bk_app_secret: BK_SIM_APP_SECRET, bk_username: 'alice' };

async function esb<T = any>(component: string, params: Record<string, unknown> = {}, method: 'GET' | 'POST' = 'POST', auth: Record<string, unknown> = AUTH): Promise<Answer<T>> {
  const all = { ...auth, ...params };
  let url = `${sim.url}/api/c/compapi/v2/${component}/`;
  let init: RequestInit = { method };
  if (method === 'GET') url += `?${new URLSearchParams(Object.entries(all).map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
  else init = { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(all) };
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Envelope<T> };
}

function ipOf(name: string, setName?: string): string {
  const host = sim.world.topology.hosts.find((candidate) => candidate.bk_host_name === name && candidate.bk_biz_id === BK_SIM_BIZ_ID && (setName === undefined || sim.world.topology.setById(candidate.bk_set_id)?.bk_set_name === setName));
  if (!host) throw new Error(`no host ${name}`);
  return host.bk_host_innerip;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

beforeAll(async () => {
  sim = await startBluekingSimulator({ now: clock.now, onCallbackFailure: (_job, message) => callbackFailures.push(message) });
});

afterAll(async () => {
  await sim?.close();
});

beforeEach(() => {
  sim.faults.clear();
});

describe('ESB authentication', () => {
  it('refuses a call without the app secret, with a wrong one, and for an unknown user; accepts the demo app', async () => {
    const missing = await esb('bk_login/get_user', {}, 'GET', { bk_app_code: BK_SIM_APP_CODE, bk_username: 'alice' });
    expect(missing.status).toBe(200);
    expect(missing.body).toMatchObject({ result: false, code: 1306406, data: null });
    expect(missing.body.message).toContain('bk_app_secret');
    expect(missing.body.request_id).toMatch(/^[0-9a-f]{32}$/);

    const wrong = await esb('bk_login/get_user', {}, 'GET', { ...AUTH, bk_app_secret: 'not-the-secret' });
    expect(wrong.body).toMatchObject({ result: false, code: 1306406 });
    expect(wrong.body.message).not.toContain('not-the-secret');

    const stranger = await esb('bk_login/get_user', {}, 'GET', { ...AUTH, bk_username: 'mallory' });
    expect(stranger.body).toMatchObject({ result: false, code: 1306402 });

    const nobody = await esb('bk_login/get_user', {}, 'GET', { bk_app_code: BK_SIM_APP_CODE, bk_app_secret: BK_SIM_APP_SECRET });
    expect(nobody.body.result).toBe(false);

    const ok = await esb('bk_login/get_user', {}, 'GET');
    expect(ok.body).toMatchObject({ result: true, code: 0, data: { bk_username: 'alice' } });
    expect(ok.body.request_id).not.toBe(missing.body.request_id);

    const token = sim.issueToken('bob');
    const byToken = await esb('bk_login/get_user', {}, 'GET', { bk_app_code: BK_SIM_APP_CODE, bk_app_secret: BK_SIM_APP_SECRET, bk_token: token });
    expect(byToken.body.data.bk_username).toBe('bob');

    // The secret never reaches the request log.
    expect(JSON.stringify(sim.requests)).not.toContain(BK_SIM_APP_SECRET);
  });

  it('answers an unknown component with 404 and a wrong method or a bad parameter with a clear refusal', async () => {
    const unknown = await esb('job/no_such_component');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ result: false, code: 1306404 });

    const wrongMethod = await esb('job/get_job_instance_status', { bk_biz_id: BK_SIM_BIZ_ID, job_instance_id: 1 }, 'POST');
    expect(wrongMethod.body).toMatchObject({ result: false, code: 1306406 });
    expect(wrongMethod.body.message).toContain('GET');

    const badTimeout = await esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_id: 1, script_timeout: 30, ip_list: [{ bk_cloud_id: 0, ip: ipOf('web-02') }] });
    expect(badTimeout.body).toMatchObject({ result: false, code: 1306406 });
    expect(badTimeout.body.message).toContain('script_timeout');
  });
});

describe('CMDB search_host', () => {
  it('pages with start/limit (at most 200) and reports the full count', async () => {
    const first = await esb('cc/search_host', { bk_biz_id: BK_SIM_BIZ_ID, page: { start: 0, limit: 10, sort: 'bk_host_id' } });
    expect(first.body.result).toBe(true);
    expect(first.body.data.count).toBeGreaterThanOrEqual(30);
    expect(first.body.data.info).toHaveLength(10);
    const second = await esb('cc/search_host', { bk_biz_id: BK_SIM_BIZ_ID, page: { start: 10, limit: 10, sort: 'bk_host_id' } });
    const ids = (answer: Answer) => answer.body.data.info.map((row: any) => row.host.bk_host_id as number);
    expect(ids(second).some((id: number) => ids(first).includes(id))).toBe(false);
    const all = await esb('cc/search_host', { page: { start: 0, limit: 200 } });
    expect(all.body.data.count).toBeGreaterThanOrEqual(50);
    const tooMany = await esb('cc/search_host', { bk_biz_id: BK_SIM_BIZ_ID, page: { start: 0, limit: 201 } });
    expect(tooMany.body).toMatchObject({ result: false, code: 1306406 });
  });

  it('filters by IP, by set and by host name, where a name can match two hosts', async () => {
    const byIp = await esb('cc/search_host', { bk_biz_id: BK_SIM_BIZ_ID, ip: { data: [ipOf('db-02')], exact: 1, flag: 'bk_host_innerip' } });
    expect(byIp.body.data.count).toBe(1);
    expect(byIp.body.data.info[0]).toMatchObject({ host: { bk_host_name: 'db-02' }, biz: [{ bk_biz_id: BK_SIM_BIZ_ID }], set: [{ bk_set_name: 'db' }], module: [{ bk_module_name: 'mysql' }] });

    const staging = await esb('cc/search_host', { bk_biz_id: BK_SIM_BIZ_ID, condition: [{ bk_obj_id: 'set', fields: [], condition: [{ field: 'bk_set_name', operator: '$eq', value: 'staging' }] }] });
    expect(staging.body.data.info.map((row: any) => row.host.bk_host_name).sort()).toEqual(['app-01', 'db-01', 'web-01']);

    const named = await esb('cc/search_host', { bk_biz_id: BK_SIM_BIZ_ID, condition: [{ bk_obj_id: 'host', fields: ['bk_host_name', 'bk_host_innerip'], condition: [{ field: 'bk_host_name', operator: '$eq', value: 'web-01' }] }] });
    expect(named.body.data.count).toBe(2);
    expect(new Set(named.body.data.info.map((row: any) => row.set[0].bk_set_name))).toEqual(new Set(['web', 'staging']));
    expect(Object.keys(named.body.data.info[0].host).sort()).toEqual(['bk_host_innerip', 'bk_host_name']);

    const agents = await esb('gse/get_agent_status', { bk_supplier_account: '0', hosts: [{ bk_cloud_id: 0, ip: ipOf('app-07') }, { bk_cloud_id: 0, ip: ipOf('app-02') }] });
    expect(agents.body.data[`0:${ipOf('app-07')}`].bk_agent_alive).toBe(0);
    expect(agents.body.data[`0:${ipOf('app-02')}`].bk_agent_alive).toBe(1);
  });
});

describe('Job', () => {
  it('runs a script to its end with per-IP states and logs, and never echoes a sensitive parameter', async () => {
    const hosts = [ipOf('web-03'), ipOf('app-07'), ipOf('flaky-01')];
    const created = await esb('job/fast_execute_script', {
      bk_biz_id: BK_SIM_BIZ_ID,
      script_id: 1,
      script_param: b64('/data s3cr3t-value'),
      is_param_sensitive: 1,
      account: 'root',
      task_name: 'chatops check_disk',
      ip_list: hosts.map((ip) => ({ bk_cloud_id: 0, ip })),
    });
    expect(created.body).toMatchObject({ result: true, data: { job_instance_name: 'chatops check_disk' } });
    const id = created.body.data.job_instance_id as number;
    const job = sim.world.jobs.find((entry) => entry.job_instance_id === id) as BkJob;
    expect(job.task_name).toBe('chatops check_disk');
    expect(job.ip_list.map((ref) => ref.ip)).toEqual(hosts);

    const status = async () => (await esb('job/get_job_instance_status', { bk_biz_id: BK_SIM_BIZ_ID, job_instance_id: id }, 'GET')).body.data;
    const ipStates = (data: any) => Object.fromEntries(data.blocks[0].step_instances[0].step_ip_status.map((entry: any) => [entry.ip, entry.status]));

    let data = await status();
    expect(data.is_finished).toBe(false);
    expect(data.job_instance.status).toBe(1);
    expect(ipStates(data)).toEqual({ [hosts[0] as string]: 5, [hosts[1] as string]: 5, [hosts[2] as string]: 5 });

    sim.tick();
    data = await status();
    expect(data.job_instance.status).toBe(2);
    expect(ipStates(data)).toEqual({ [hosts[0] as string]: 7, [hosts[1] as string]: 1, [hosts[2] as string]: 7 });

    sim.tick();
    data = await status();
    expect(data.is_finished).toBe(true);
    expect(data.job_instance.status).toBe(4);
    expect(ipStates(data)).toEqual({ [hosts[0] as string]: 9, [hosts[1] as string]: 1, [hosts[2] as string]: 11 });

    const log = await esb('job/get_job_instance_log', { bk_biz_id: BK_SIM_BIZ_ID, job_instance_id: id }, 'GET');
    const step = log.body.data[0];
    expect(step).toMatchObject({ is_finished: true, status: 4, step_instance_id: job.step_instance_id });
    const byStatus = Object.fromEntries(step.step_results.map((result: any) => [result.ip_status, result.ip_logs.map((entry: any) => entry.ip)]));
    expect(byStatus).toEqual({ 9: [hosts[0]], 1: [hosts[1]], 104: [hosts[2]] });
    const okLog = step.step_results.find((result: any) => result.ip_status === 9).ip_logs[0];
    expect(okLog.exit_code).toBe(0);
    expect(okLog.log_content).toContain('check_disk ******');
    expect(JSON.stringify(log.body)).not.toContain('s3cr3t-value');
    expect(JSON.stringify(sim.requests)).not.toContain(b64('/data s3cr3t-value'));

    const stepStatus = await esb('job/get_step_instance_status', { bk_biz_id: BK_SIM_BIZ_ID, params: { job_instance_id: id, step_instance_id: job.step_instance_id } });
    expect(stepStatus.body.data.step_instance_detail).toMatchObject({ total_ip_num: 3, success_ip_num: 1, fail_ip_num: 1, abnormal_agent_ip_num: 1 });

    const elsewhere = await esb('job/get_job_instance_status', { bk_biz_id: 4, job_instance_id: id }, 'GET');
    expect(elsewhere.body).toMatchObject({ result: false, code: 1240001 });
  });

  it('refuses hosts outside the business and an unknown account before acting', async () => {
    const before = sim.world.jobs.length;
    const outside = await esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_id: 1, ip_list: [{ bk_cloud_id: 0, ip: '192.0.2.1' }] });
    expect(outside.body).toMatchObject({ result: false, code: 1240002 });
    const account = await esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_id: 1, account: 'nobody', ip_list: [{ bk_cloud_id: 0, ip: ipOf('web-02') }] });
    expect(account.body).toMatchObject({ result: false, code: 1240001 });
    expect(sim.world.jobs.length).toBe(before);
  });

  it('calls back once when the job ends, and retries once when the callback fails', async () => {
    const received: { status: number; body: any }[] = [];
    let answer = 200;
    const receiver: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ status: answer, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bk/job-done/abc`;
    try {
      const created = await esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_content: b64('#!/bin/bash\nuptime\n'), ip_list: [{ bk_cloud_id: 0, ip: ipOf('web-04') }], bk_callback_url: callbackUrl });
      const id = created.body.data.job_instance_id as number;
      sim.tick(2);
      sim.tick(3);
      await sim.settleCallbacks();
      expect(received).toHaveLength(1);
      const job = sim.world.jobs.find((entry) => entry.job_instance_id === id) as BkJob;
      expect(received[0]?.body).toEqual({ job_instance_id: id, status: 3, step_instances: [{ step_instance_id: job.step_instance_id, status: 3 }] });

      answer = 500;
      received.length = 0;
      await esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_id: 102, ip_list: [{ bk_cloud_id: 0, ip: ipOf('web-05') }], bk_callback_url: callbackUrl });
      sim.tick(2);
      await sim.settleCallbacks();
      expect(received).toHaveLength(2);
      expect(callbackFailures).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('creates the job when the answer is dropped after acting (502, then a reset)', async () => {
    sim.faults.set('job/fast_execute_script', { kind: 'status', status: 502, afterHandling: true, times: 1 });
    const before = sim.world.jobs.length;
    const lost = await esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_id: 2, task_name: 'lost answer', ip_list: [{ bk_cloud_id: 0, ip: ipOf('web-06') }] });
    expect(lost.status).toBe(502);
    expect(lost.body.result).toBe(false);
    expect(sim.world.jobs.length).toBe(before + 1);
    expect(sim.world.jobs[sim.world.jobs.length - 1]?.task_name).toBe('lost answer');

    sim.faults.set('job/fast_execute_script', { kind: 'reset', afterHandling: true, times: 1 });
    await expect(esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_id: 2, task_name: 'reset answer', ip_list: [{ bk_cloud_id: 0, ip: ipOf('web-06') }] })).rejects.toThrow();
    expect(sim.world.jobs.length).toBe(before + 2);
    expect(sim.countRequests('job/fast_execute_script')).toBeGreaterThanOrEqual(2);

    sim.faults.set('job/fast_execute_script', { kind: 'error-envelope', errorCode: '1240002', errorMsg: 'refused', times: 1 });
    const refused = await esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_id: 2, ip_list: [{ bk_cloud_id: 0, ip: ipOf('web-06') }] });
    expect(refused).toMatchObject({ status: 200, body: { result: false, code: 1240002 } });
    expect(sim.world.jobs.length).toBe(before + 2);
  });
});

describe('reading components', () => {
  it('lists scripts, accounts, templates, alarms and message types, and records a message sent', async () => {
    const scripts = await esb('job/get_script_list', { bk_biz_id: BK_SIM_BIZ_ID, start: 0, length: 3 }, 'GET');
    expect(scripts.body.data).toMatchObject({ start: 0, page_size: 3 });
    expect(scripts.body.data.data).toHaveLength(3);
    expect(scripts.body.data.data[0].content).toBeUndefined();
    const publicScripts = await esb('job/get_script_list', { is_public: true, return_script_content: true }, 'GET');
    expect(publicScripts.body.data.data.every((script: any) => script.public === true && typeof script.content === 'string')).toBe(true);
    const detail = await esb('job/get_script_detail', { bk_biz_id: BK_SIM_BIZ_ID, id: 1 }, 'GET');
    expect(detail.body.data).toMatchObject({ id: 1, name: 'check_disk', type: 1 });
    expect(detail.body.data.content).toContain('df -h');

    const accounts = await esb('job/get_os_account', { bk_biz_id: BK_SIM_BIZ_ID }, 'GET');
    expect(accounts.body.data.map((account: any) => `${account.alias}:${account.os}`)).toEqual(expect.arrayContaining(['root:Linux', 'Administrator:Windows']));

    const templates = await esb('sops/get_template_list', { bk_biz_id: String(BK_SIM_BIZ_ID) }, 'GET');
    expect(templates.body.data.map((template: any) => template.name)).toContain('restart_service');
    const info = await esb('sops/get_template_info', { bk_biz_id: BK_SIM_BIZ_ID, template_id: 1 }, 'GET');
    expect(Object.keys(info.body.data.pipeline_tree.constants)).toEqual(['${service}', '${ip_list}', '${script_timeout}']);

    const since = new Date(sim.now() - 3 * 86_400_000).toISOString().replace('T', ' ').slice(0, 19);
    const alarms = await esb('monitor/get_alarms', { bk_biz_id: BK_SIM_BIZ_ID, source_time__gte: since, page_size: 100, ordering: '-source_time' }, 'GET');
    expect(alarms.body.data.total).toBeGreaterThan(0);
    expect(alarms.body.data.result.every((alarm: any) => alarm.bk_biz_id === BK_SIM_BIZ_ID)).toBe(true);
    const noTime = await esb('monitor/get_alarms', { bk_biz_id: BK_SIM_BIZ_ID }, 'GET');
    expect(noTime.body).toMatchObject({ result: false, code: 1306406 });
    const instance = await esb('monitor/list_alarm_instance', { id: alarms.body.data.result[0].id }, 'GET');
    expect(instance.body._meta).toMatchObject({ count: 1 });

    const types = await esb('cmsi/get_msg_type', {}, 'GET');
    expect(types.body.data.map((type: any) => type.type)).toEqual(expect.arrayContaining(['mail', 'weixin']));
    const response = await fetch(`${sim.url}/api/c/compapi/cmsi/send_msg/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...AUTH, msg_type: 'mail', receiver__username: 'bob,carol', title: 'run done', content: 'ok' }),
    });
    expect(((await response.json()) as Envelope).result).toBe(true);
    expect(sim.world.messages.at(-1)).toMatchObject({ sender: 'alice', msgType: 'mail', receivers: ['bob', 'carol'], title: 'run done' });
    const batch = await esb('bk_login/get_batch_users', { bk_username_list: ['bob', 'nobody'] });
    expect(Object.keys(batch.body.data)).toEqual(['bob']);
  });
});

describe('admin API', () => {
  it('adds a host, arms a fault, ticks and lists jobs over HTTP', async () => {
    const admin = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${sim.url}/__sim/${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as any };
    };
    const added = await admin('POST', 'hosts', { name: 'web-01', ip: '10.0.8.8', set: 'canary', agentAlive: true });
    expect(added.status).toBe(201);
    const found = await esb('cc/search_host', { bk_biz_id: BK_SIM_BIZ_ID, ip: { data: ['10.0.8.8'], exact: 1, flag: 'bk_host_innerip' } });
    expect(found.body.data.info[0]).toMatchObject({ host: { bk_host_name: 'web-01' }, set: [{ bk_set_name: 'canary' }] });

    expect((await admin('POST', 'faults', { key: 'job/nope', fault: { kind: 'reset' } })).status).toBe(400);
    expect((await admin('POST', 'faults', { key: 'cc/search_business', fault: { kind: 'rate-limit', retryAfterSeconds: 1, times: 1 } })).status).toBe(200);
    const limited = await esb('cc/search_business');
    expect(limited).toMatchObject({ status: 429, body: { result: false, code: 1306429 } });

    const created = await esb('job/fast_execute_script', { bk_biz_id: BK_SIM_BIZ_ID, script_id: 102, task_name: 'via admin', ip_list: [{ bk_cloud_id: 0, ip: '10.0.8.8' }] });
    expect((await admin('POST', 'tick', { count: 2 })).status).toBe(200);
    const jobs = await admin('GET', 'jobs');
    expect(jobs.body.jobs.find((job: any) => job.job_instance_id === created.body.data.job_instance_id)).toMatchObject({ task_name: 'via admin', status: 3, ip_list: [{ bk_cloud_id: 0, ip: '10.0.8.8' }] });
    const world = await admin('GET', 'world');
    expect(JSON.stringify(world.body)).not.toContain(BK_SIM_APP_SECRET);
  });
});

describe('ITSM approval', () => {
  it('lets a listed processor approve and refuses the requester', async () => {
    const created = await esb('itsm/create_ticket', { service_id: 1, creator: 'alice', fields: [{ key: 'title', value: 'run restart_nginx on web-01' }] });
    expect(created.body.result).toBe(true);
    const sn = created.body.data.sn as string;
    const status = await esb('itsm/get_ticket_status', { sn }, 'GET');
    expect(status.body.data).toMatchObject({ current_status: 'RUNNING', current_steps: [{ state_id: 4, processors: 'bob,carol', action_type: 'TRANSITION' }] });

    const approve = (operator: string) => esb('itsm/operate_node', { sn, operator, state_id: 4, action_type: 'TRANSITION', fields: [{ key: 'SHENPIJIEGUO', value: 'TONGYI' }, { key: 'SHENPIBEIZHU', value: 'ok' }] });
    const self = await approve('alice');
    expect(self.body).toMatchObject({ result: false, code: 3900002 });
    const byBob = await approve('bob');
    expect(byBob.body.result).toBe(true);
    expect((await esb('itsm/get_ticket_status', { sn }, 'GET')).body.data.current_status).toBe('FINISHED');
    const logs = await esb('itsm/get_ticket_logs', { sn }, 'GET');
    expect(logs.body.data.logs.map((entry: any) => entry.message).join('\n')).toContain('bob 处理节点【审批】(通过)');
    expect((await approve('carol')).body).toMatchObject({ result: false, code: 3900003 });
    const info = await esb('itsm/get_ticket_info', { sn }, 'GET');
    expect(info.body.data).toMatchObject({ sn, service_id: 1, current_status: 'FINISHED', creator: 'alice', fields: [{ key: 'title', value: 'run restart_nginx on web-01' }] });
    expect(info.body.data.end_at).not.toBeNull();

    const second = (await esb('itsm/create_ticket', { service_id: 1, creator: 'alice', fields: [{ key: 'title', value: 'withdrawn' }] })).body.data.sn as string;
    expect((await esb('itsm/operate_ticket', { sn: second, operator: 'bob', action_type: 'WITHDRAW' })).body).toMatchObject({ result: false, code: 3900002 });
    expect((await esb('itsm/operate_ticket', { sn: second, operator: 'alice', action_type: 'WITHDRAW' })).body.result).toBe(true);
    expect((await esb('itsm/get_ticket_status', { sn: second }, 'GET')).body.data.current_status).toBe('TERMINATED');
  });
});

describe('SOPS', () => {
  it('runs a task node by node; pause holds it, resume lets it go on, revoke ends it', async () => {
    const created = await esb('sops/create_task', { bk_biz_id: String(BK_SIM_BIZ_ID), template_id: '1', name: 'restart nginx', constants: { '${service}': 'nginx' } });
    expect(created.body.result).toBe(true);
    const taskId = created.body.data.task_id as number;
    const state = async () => (await esb('sops/get_task_status', { bk_biz_id: BK_SIM_BIZ_ID, task_id: taskId }, 'GET')).body.data;
    expect((await state()).state).toBe('CREATED');

    expect((await esb('sops/start_task', { bk_biz_id: BK_SIM_BIZ_ID, task_id: taskId })).body.result).toBe(true);
    sim.tick();
    let data = await state();
    expect(data.state).toBe('RUNNING');
    expect(Object.values(data.children).map((node: any) => node.state)).toEqual(['FINISHED', 'RUNNING']);

    expect((await esb('sops/operate_task', { bk_biz_id: BK_SIM_BIZ_ID, task_id: taskId, action: 'pause' })).body.result).toBe(true);
    sim.tick(3);
    data = await state();
    expect(data.state).toBe('SUSPENDED');
    expect(Object.keys(data.children)).toHaveLength(2);

    expect((await esb('sops/operate_task', { bk_biz_id: BK_SIM_BIZ_ID, task_id: taskId, action: 'resume' })).body.result).toBe(true);
    sim.tick();
    data = await state();
    expect(Object.values(data.children).map((node: any) => node.state)).toEqual(['FINISHED', 'FINISHED', 'RUNNING']);
    const running = Object.keys(data.children)[2] as string;
    const detail = await esb('sops/get_task_node_detail', { bk_biz_id: BK_SIM_BIZ_ID, task_id: taskId, node_id: running }, 'GET');
    expect(detail.body.data).toMatchObject({ id: running, state: 'RUNNING' });

    expect((await esb('sops/operate_task', { bk_biz_id: BK_SIM_BIZ_ID, task_id: taskId, action: 'revoke' })).body.result).toBe(true);
    sim.tick();
    expect((await state()).state).toBe('REVOKED');
    expect((await esb('sops/operate_task', { bk_biz_id: BK_SIM_BIZ_ID, task_id: taskId, action: 'resume' })).body).toMatchObject({ result: false, code: 3512002 });
  });
});
