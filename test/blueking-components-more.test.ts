/**
 * The ITSM, SOPS, Monitor, CMSI and login components through the real ESB client against a local
 * peer: each one's request as it went out (method, path, fields with the app code and user), and
 * the reference's own example response parsed by its schema.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EsbClient } from '../src/backends/blueking/esb/client.js';
import type { EsbComponent } from '../src/backends/blueking/esb/component.js';
import { componentPath } from '../src/backends/blueking/esb/component.js';
import { GET_MSG_TYPE, SEND_MSG } from '../src/backends/blueking/esb/cmsi.js';
import { CREATE_TICKET, GET_SERVICE_DETAIL, GET_TICKET_LOGS, GET_TICKET_STATUS, OPERATE_NODE, OPERATE_TICKET } from '../src/backends/blueking/esb/itsm.js';
import { GET_BATCH_USERS, GET_USER } from '../src/backends/blueking/esb/login.js';
import { GET_ALARMS, LIST_ALARM_INSTANCE } from '../src/backends/blueking/esb/monitor.js';
import {
  CREATE_TASK,
  GET_TASK_DETAIL,
  GET_TASK_NODE_DETAIL,
  GET_TASK_STATUS,
  GET_TEMPLATE_INFO,
  GET_TEMPLATE_LIST,
  OPERATE_TASK,
  START_TASK,
} from '../src/backends/blueking/esb/sops.js';
import { checkBluekingUser, currentBluekingUser } from '../src/backends/blueking/users.js';
import { clientOf, EsbPeer, exampleData, fixture, ok, PEER_APP_CODE, PEER_APP_SECRET } from './blueking-fixture-peer.js';

interface Case {
  readonly fixture: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly component: EsbComponent<any, unknown>;
  readonly input: unknown;
  /** The component's own fields as they arrive (GET: text). */
  readonly sent: Record<string, unknown>;
}

const CASES: readonly Case[] = [
  { fixture: 'get_user', component: GET_USER, input: {}, sent: {} },
  { fixture: 'get_batch_users', component: GET_BATCH_USERS, input: { bk_username_list: ['admin', 'test'] }, sent: { bk_username_list: ['admin', 'test'] } },
  { fixture: 'get_msg_type', component: GET_MSG_TYPE, input: {}, sent: {} },
  {
    fixture: 'send_msg',
    component: SEND_MSG,
    input: { msg_type: 'mail', receiver__username: 'admin,yunchao', title: 'xxx', content: 'xxx' },
    sent: { msg_type: 'mail', receiver__username: 'admin,yunchao', title: 'xxx', content: 'xxx' },
  },
  { fixture: 'get_service_detail', component: GET_SERVICE_DETAIL, input: { service_id: 1 }, sent: { service_id: '1' } },
  {
    fixture: 'create_ticket',
    component: CREATE_TICKET,
    input: { service_id: 1, creator: 'admin', fields: [{ key: 'title', value: '测试内置审批' }] },
    sent: { service_id: 1, creator: 'admin', fields: [{ key: 'title', value: '测试内置审批' }] },
  },
  { fixture: 'get_ticket_status', component: GET_TICKET_STATUS, input: { sn: 'NO2019090XXXXXXXXX' }, sent: { sn: 'NO2019090XXXXXXXXX' } },
  { fixture: 'get_ticket_logs', component: GET_TICKET_LOGS, input: { sn: 'NO2019090XXXXXXXXX' }, sent: { sn: 'NO2019090XXXXXXXXX' } },
  {
    fixture: 'operate_node',
    component: OPERATE_NODE,
    input: { sn: 'NO2019110816441094', operator: 'zhangsan', action_type: 'TERMINATE', action_message: 'test', state_id: 4 },
    sent: { sn: 'NO2019110816441094', operator: 'zhangsan', action_type: 'TERMINATE', action_message: 'test', state_id: 4 },
  },
  {
    fixture: 'operate_ticket',
    component: OPERATE_TICKET,
    input: { sn: 'NO2019100818365320', operator: 'zhangsan', action_type: 'WITHDRAW' },
    sent: { sn: 'NO2019100818365320', operator: 'zhangsan', action_type: 'WITHDRAW' },
  },
  { fixture: 'get_template_list', component: GET_TEMPLATE_LIST, input: { bk_biz_id: '2', template_source: 'business' }, sent: { bk_biz_id: '2', template_source: 'business' } },
  { fixture: 'get_template_info', component: GET_TEMPLATE_INFO, input: { bk_biz_id: '1', template_id: '30' }, sent: { bk_biz_id: '1', template_id: '30' } },
  {
    fixture: 'create_task',
    component: CREATE_TASK,
    input: { bk_biz_id: '2', template_id: '30', name: 'tasktest', flow_type: 'common', constants: { '${content}': 'echo 1', '${params}': '', '${script_timeout}': 20 } },
    sent: { bk_biz_id: '2', template_id: '30', name: 'tasktest', flow_type: 'common', constants: { '${content}': 'echo 1', '${params}': '', '${script_timeout}': 20 } },
  },
  { fixture: 'start_task', component: START_TASK, input: { bk_biz_id: '2', task_id: '10' }, sent: { bk_biz_id: '2', task_id: '10' } },
  { fixture: 'get_task_detail', component: GET_TASK_DETAIL, input: { bk_biz_id: '2', task_id: '10' }, sent: { bk_biz_id: '2', task_id: '10' } },
  { fixture: 'get_task_status', component: GET_TASK_STATUS, input: { bk_biz_id: '2', task_id: '10' }, sent: { bk_biz_id: '2', task_id: '10' } },
  {
    fixture: 'get_task_node_detail',
    component: GET_TASK_NODE_DETAIL,
    input: { bk_biz_id: '2', task_id: '10', node_id: 'node0df0431f8f553925af01a94854bd', component_code: 'job_fast_execute_script', subprocess_stack: '["nodeaaa0ce51d2143aa9b0dbc27cb7df"]' },
    sent: { bk_biz_id: '2', task_id: '10', node_id: 'node0df0431f8f553925af01a94854bd', component_code: 'job_fast_execute_script', subprocess_stack: '["nodeaaa0ce51d2143aa9b0dbc27cb7df"]' },
  },
  { fixture: 'operate_task', component: OPERATE_TASK, input: { bk_biz_id: '2', task_id: '10', action: 'pause' }, sent: { bk_biz_id: '2', task_id: '10', action: 'pause' } },
  {
    fixture: 'get_alarms',
    component: GET_ALARMS,
    input: { bk_biz_id: 2, extend_fields: 'end_time', source_time__gte: '2018-10-01 00:00:01+0800', source_time__lte: '2018-11-08 23:59:59+0800', page: 1, page_size: 10, ordering: '-begin_time', alarm_type: 'cpu' },
    sent: { bk_biz_id: '2', extend_fields: 'end_time', source_time__gte: '2018-10-01 00:00:01+0800', source_time__lte: '2018-11-08 23:59:59+0800', page: '1', page_size: '10', ordering: '-begin_time', alarm_type: 'cpu' },
  },
  { fixture: 'list_alarm_instance', component: LIST_ALARM_INSTANCE, input: { id: 637984 }, sent: { id: '637984' } },
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

describe('each component against the reference', () => {
  it.each(CASES.map((entry) => [`${entry.component.system}/${entry.component.name}`, entry] as const))('%s', async (_name, entry) => {
    const example = peer.serveExample(entry.fixture);
    expect(example.component).toBe(`${entry.component.system}/${entry.component.name}`);
    expect(componentPath(entry.component)).toBe(example.path);

    const data = await client.call(entry.component, entry.input);

    expect(peer.requests).toHaveLength(1);
    const [request] = peer.requests;
    expect(request!.method).toBe(example.method);
    expect(request!.path).toBe(example.path);
    expect(request!.fields).toEqual({ ...entry.sent, bk_app_code: PEER_APP_CODE, bk_app_secret: PEER_APP_SECRET, bk_username: 'alice' });
    // The schemas are loose: what was parsed is the example's data, nothing lost or invented.
    expect(data).toEqual(example.body['data']);
  });

  it('has a case for every fixture of these systems', () => {
    expect(new Set(CASES.map((entry) => entry.fixture)).size).toBe(CASES.length);
    for (const entry of CASES) expect(fixture(entry.fixture).component).toBe(`${entry.component.system}/${entry.component.name}`);
  });
});

describe('requests refused before sending', () => {
  it('a SOPS id that is not digits, an unknown node action and an empty receiver are never sent', async () => {
    await expect(client.call(START_TASK, { bk_biz_id: '2', task_id: '10; drop' })).rejects.toThrow(/task_id/);
    await expect(client.call(OPERATE_NODE, { sn: 'NO1', operator: 'bob', state_id: 4, action_type: 'APPROVE' as 'TRANSITION' })).rejects.toThrow(/action_type/);
    await expect(client.call(SEND_MSG, { msg_type: 'mail', receiver__username: '', title: 't', content: 'c' })).rejects.toThrow(/receiver__username/);
    expect(peer.requests).toHaveLength(0);
  });
});

describe('bk_login users', () => {
  it('the reference example (one user object) says admin exists', async () => {
    peer.serveExample('get_batch_users');
    await expect(checkBluekingUser(client, 'admin')).resolves.toBe('exists');
    expect(peer.requests[0]!.fields['bk_username_list']).toEqual(['admin']);
  });

  it('a map of name to user, a list, and an empty answer', async () => {
    const admin = exampleData('get_user');
    peer.once('/api/c/compapi/v2/bk_login/get_batch_users/', ok({ bob: { ...(admin as object), bk_username: 'bob' } }));
    await expect(checkBluekingUser(client, 'bob')).resolves.toBe('exists');
    peer.once('/api/c/compapi/v2/bk_login/get_batch_users/', ok([{ ...(admin as object), bk_username: 'carol' }]));
    await expect(checkBluekingUser(client, 'carol')).resolves.toBe('exists');
    peer.once('/api/c/compapi/v2/bk_login/get_batch_users/', ok({}));
    await expect(checkBluekingUser(client, 'mallory')).resolves.toBe('unknown-user');
    await expect(checkBluekingUser(client, '  ')).resolves.toBe('unknown-user');
    expect(peer.requests).toHaveLength(3);
  });

  it('the calling user from get_user', async () => {
    peer.serveExample('get_user');
    await expect(currentBluekingUser(client)).resolves.toMatchObject({ bk_username: 'admin', chname: 'admin', time_zone: 'Asia/Shanghai' });
  });
});
