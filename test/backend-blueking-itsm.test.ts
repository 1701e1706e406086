/**
 * Approvals on BlueKing ITSM, from the reference's own examples: the plan put into the service's
 * fields, the approval node decided as the clicking person, the ticket's outcome read back, the
 * withdrawal, and a create_ticket whose answer is lost (never retried, may have acted).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bluekingApprovals, decisionOfLog, outcomeOfLogs, resultFieldOf, ticketFieldsOf } from '../src/backends/blueking/approvals.js';
import type { EsbClient } from '../src/backends/blueking/esb/client.js';
import type { ServiceField, TicketStatusData } from '../src/backends/blueking/esb/itsm.js';
import type { BluekingSettings } from '../src/backends/blueking/settings.js';
import { BackendInputError, BackendRefusedError, BackendUnavailableError, mayHaveActed } from '../src/backends/errors.js';
import type { ExternalApprovalsCapability } from '../src/backends/types/approvals.js';
import { clientOf, EsbPeer, exampleData, ok, refused } from './blueking-fixture-peer.js';

const ITSM = '/api/c/compapi/v2/itsm';
const SETTINGS: BluekingSettings = { defaultBiz: 2, riskRules: [], defaultAccount: 'root', itsmServiceId: 5, paasHost: 'https://paas.example.com' };

/** A service as a deployment would make one for the bot: the reference's fields plus two text fields. */
const serviceWithTextFields = (): unknown => {
  const service = structuredClone(exampleData('get_service_detail')) as { fields: unknown[] };
  service.fields.push(
    { id: 98, key: 'HOSTS', type: 'STRING', name: 'Hosts', desc: '', choice: [], validate_type: 'OPTION', regex: '', meta: {} },
    { id: 99, key: 'PLAN', type: 'TEXT', name: '执行计划', desc: '', choice: [], validate_type: 'REQUIRE', regex: '', meta: {} },
  );
  return service;
};

const statusWith = (change: Partial<TicketStatusData>): unknown => ({ ...(exampleData('get_ticket_status') as object), ...change });

let peer: EsbPeer;
let client: EsbClient;
let approvals: ExternalApprovalsCapability;

beforeAll(async () => {
  peer = await EsbPeer.start();
  client = clientOf(peer, 'chatops-bot');
  approvals = bluekingApprovals(client, SETTINGS);
});
afterAll(async () => {
  await client.close();
  await peer.close();
});
beforeEach(() => peer.reset());

describe('open', () => {
  it('creates the ticket on the configured service with the plan in its fields, as the requester', async () => {
    peer.answer(`${ITSM}/get_service_detail/`, ok(serviceWithTextFields()));
    peer.serveExample('create_ticket');
    peer.answer(`${ITSM}/get_ticket_status/`, ok(statusWith({ ticket_url: 'https://paas.example.com/o/bk_itsm/ticket/N02019090519542603' })));

    const opened = await approvals.open({
      title: 'Run restart-nginx on 3 hosts',
      requester: 'alice',
      fields: { hosts: 'web-01, web-02, web-03', Script: 'restart-nginx (id 42)', Args: '--token ***' },
    });

    expect(opened).toEqual({ id: 'blueking:ticket:N02019090519542603', url: 'https://paas.example.com/o/bk_itsm/ticket/N02019090519542603' });
    expect(peer.to(`${ITSM}/get_service_detail/`)[0]!.fields).toMatchObject({ service_id: '5' });
    const [create] = peer.to(`${ITSM}/create_ticket/`);
    expect(create!.method).toBe('POST');
    expect(create!.fields).toMatchObject({
      service_id: 5,
      creator: 'alice',
      fields: [
        { key: 'title', value: 'Run restart-nginx on 3 hosts' },
        { key: 'HOSTS', value: 'web-01, web-02, web-03' },
        { key: 'PLAN', value: 'Script: restart-nginx (id 42)\nArgs: --token ***' },
      ],
    });
  });

  it('refuses, sending nothing, a service without a text field for the plan (the reference example service)', async () => {
    peer.serveExample('get_service_detail');
    const opening = approvals.open({ title: 'Run x', requester: 'alice', fields: { Script: 'x' } });
    await expect(opening).rejects.toBeInstanceOf(BackendInputError);
    await expect(opening).rejects.toMatchObject({ mayHaveActed: false });
    expect(peer.to(`${ITSM}/create_ticket/`)).toHaveLength(0);
  });

  it('a lost answer to create_ticket is not retried and may have acted', async () => {
    peer.answer(`${ITSM}/get_service_detail/`, ok(serviceWithTextFields()));
    peer.answer(`${ITSM}/create_ticket/`, { status: 502, body: '<html>Bad Gateway</html>' });
    const opening = approvals.open({ title: 'Run x', requester: 'alice', fields: { Script: 'x' } });
    await expect(opening).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(opening.catch(mayHaveActed)).resolves.toBe(true);
    expect(peer.to(`${ITSM}/create_ticket/`)).toHaveLength(1);
  });

  it('the link is a convenience: a failed status read after creating still returns the ticket', async () => {
    peer.answer(`${ITSM}/get_service_detail/`, ok(serviceWithTextFields()));
    peer.serveExample('create_ticket');
    peer.answer(`${ITSM}/get_ticket_status/`, refused(3900001, '系统错误'));
    await expect(approvals.open({ title: 'Run x', requester: 'alice', fields: { Script: 'x' } })).resolves.toEqual({ id: 'blueking:ticket:N02019090519542603' });
  });
});

describe('decide', () => {
  it('approves the running approval node (法务审批, state 4) as the clicking person with the 同意 choice and the note', async () => {
    peer.serveExample('get_ticket_status');
    peer.serveExample('operate_node');
    await approvals.decide('blueking:ticket:NO2019090414050083', 'approve', 'bob', 'looks fine');
    const [operate] = peer.to(`${ITSM}/operate_node/`);
    expect(operate!.fields).toMatchObject({
      sn: 'NO2019090414050083',
      operator: 'bob',
      state_id: 4,
      action_type: 'TRANSITION',
      fields: [
        { key: 'SHENPIJIEGUO', value: 'TONGYI' },
        { key: 'SHENPIBEIZHU', value: 'looks fine' },
      ],
    });
  });

  it('rejects with the 拒绝 choice; the required remark gets a word when no note was given', async () => {
    peer.serveExample('get_ticket_status');
    peer.serveExample('operate_node');
    await approvals.decide('blueking:ticket:NO2019090414050083', 'reject', 'carol');
    expect(peer.to(`${ITSM}/operate_node/`)[0]!.fields['fields']).toEqual([
      { key: 'SHENPIJIEGUO', value: 'JUJUE' },
      { key: 'SHENPIBEIZHU', value: 'rejected' },
    ]);
  });

  it('a node without a result field is refused by terminating it, with the note', async () => {
    const status = structuredClone(exampleData('get_ticket_status')) as TicketStatusData;
    (status.current_steps![0] as { fields: unknown[] }).fields = [];
    peer.answer(`${ITSM}/get_ticket_status/`, ok(status));
    peer.serveExample('operate_node');
    await approvals.decide('blueking:ticket:NO1', 'reject', 'carol', 'not now');
    expect(peer.to(`${ITSM}/operate_node/`)[0]!.fields).toMatchObject({ sn: 'NO1', operator: 'carol', state_id: 4, action_type: 'TERMINATE', action_message: 'not now' });
  });

  it('no running approval node: refused before anything is sent', async () => {
    peer.answer(`${ITSM}/get_ticket_status/`, ok(statusWith({ current_status: 'FINISHED', current_steps: [] })));
    const deciding = approvals.decide('blueking:ticket:NO1', 'approve', 'bob');
    await expect(deciding).rejects.toBeInstanceOf(BackendRefusedError);
    await expect(deciding).rejects.toMatchObject({ mayHaveActed: false, detail: { code: 'NO_RUNNING_APPROVAL_NODE' } });
    expect(peer.to(`${ITSM}/operate_node/`)).toHaveLength(0);
  });

  it("ITSM's refusal of someone not on the processor list is a refusal (nothing acted)", async () => {
    peer.serveExample('get_ticket_status');
    peer.answer(`${ITSM}/operate_node/`, refused(3900002, '当前用户没有权限处理该节点'));
    const deciding = approvals.decide('blueking:ticket:NO1', 'approve', 'alice');
    await expect(deciding).rejects.toBeInstanceOf(BackendRefusedError);
    await expect(deciding.catch(mayHaveActed)).resolves.toBe(false);
  });
});

describe('status', () => {
  it('a suspended ticket (the reference example) is still open, with its code', async () => {
    peer.serveExample('get_ticket_status');
    await expect(approvals.status('blueking:ticket:NO2019090414050083')).resolves.toEqual({ state: 'open', code: 'SUSPENDED' });
  });

  it('finished: the log says approved (处理节点【审批】(通过)) and by whom', async () => {
    peer.answer(`${ITSM}/get_ticket_status/`, ok(statusWith({ current_status: 'FINISHED', current_steps: [], ticket_url: 'https://itsm/t/1' })));
    peer.serveExample('get_ticket_logs');
    await expect(approvals.status('blueking:ticket:NO2019090414050083')).resolves.toEqual({ state: 'approved', code: 'FINISHED', decidedBy: 'xxxx', url: 'https://itsm/t/1' });
    expect(peer.to(`${ITSM}/get_ticket_logs/`)[0]!.fields).toMatchObject({ sn: 'NO2019090414050083' });
  });

  it('finished with a refusal in the log is rejected; finished with no decision is other', async () => {
    const logs = structuredClone(exampleData('get_ticket_logs')) as { logs: { operator: string; message: string }[] };
    logs.logs.push({ operator: 'carol', message: 'carol(carol) 处理节点【审批】(拒绝)' });
    peer.answer(`${ITSM}/get_ticket_status/`, ok(statusWith({ current_status: 'FINISHED', current_steps: [] })));
    peer.once(`${ITSM}/get_ticket_logs/`, ok(logs));
    await expect(approvals.status('blueking:ticket:NO1')).resolves.toMatchObject({ state: 'rejected', decidedBy: 'carol' });
    peer.once(`${ITSM}/get_ticket_logs/`, ok({ ...logs, logs: logs.logs.slice(0, 2) }));
    await expect(approvals.status('blueking:ticket:NO1')).resolves.toEqual({ state: 'other', code: 'FINISHED' });
  });

  it('terminated by a withdrawal (the log says 撤销单据) is withdrawn', async () => {
    peer.once(`${ITSM}/get_ticket_status/`, ok(statusWith({ current_status: 'TERMINATED', current_steps: [] })));
    peer.once(`${ITSM}/get_ticket_logs/`, ok({ sn: 'NO1', logs: [{ operator: 'alice', message: '流程开始' }, { operator: 'alice', message: 'alice 撤销单据' }] }));
    await expect(approvals.status('blueking:ticket:NO1')).resolves.toEqual({ state: 'withdrawn', code: 'TERMINATED' });
  });

  it('terminated is rejected, revoked is withdrawn, an unknown ticket is undefined', async () => {
    peer.once(`${ITSM}/get_ticket_status/`, ok(statusWith({ current_status: 'TERMINATED', current_steps: [] })));
    peer.serveExample('get_ticket_logs');
    await expect(approvals.status('blueking:ticket:NO1')).resolves.toMatchObject({ state: 'rejected', code: 'TERMINATED', decidedBy: 'xxxx' });
    peer.once(`${ITSM}/get_ticket_status/`, ok(statusWith({ current_status: 'REVOKED', current_steps: [] })));
    await expect(approvals.status('blueking:ticket:NO1')).resolves.toMatchObject({ state: 'withdrawn', code: 'REVOKED' });
    peer.once(`${ITSM}/get_ticket_status/`, refused(3900404, '单据不存在'));
    await expect(approvals.status('blueking:ticket:NO404')).resolves.toBeUndefined();
    peer.once(`${ITSM}/get_ticket_status/`, refused(3900403, '无权限'));
    await expect(approvals.status('blueking:ticket:NO403')).rejects.toBeInstanceOf(BackendRefusedError);
  });
});

describe('withdraw', () => {
  it('operate_ticket WITHDRAW as the given person', async () => {
    peer.serveExample('operate_ticket');
    await approvals.withdraw('blueking:ticket:NO2019100818365320', 'alice');
    expect(peer.to(`${ITSM}/operate_ticket/`)[0]!.fields).toMatchObject({ sn: 'NO2019100818365320', operator: 'alice', action_type: 'WITHDRAW' });
  });
});

describe('pieces', () => {
  it('result field, log decisions', () => {
    const status = exampleData('get_ticket_status') as TicketStatusData;
    expect(resultFieldOf(status.current_steps![0]!.fields!)).toMatchObject({ approve: 'TONGYI', reject: 'JUJUE' });
    const yesNo = [{ key: 'RESULT', type: 'RADIO', choice: [{ key: 'Y', name: '是' }, { key: 'N', name: '否' }] }];
    expect(resultFieldOf(yesNo)).toMatchObject({ approve: 'Y', reject: 'N' });
    expect(resultFieldOf([{ key: 'KIND', type: 'SELECT', choice: [{ key: 'BIANGENG', name: '变更' }, { key: 'QINGQIU', name: '请求' }] }])).toBeUndefined();
    expect(decisionOfLog({ message: 'x 处理节点【审批】(通过)' })).toBe('approved');
    expect(decisionOfLog({ message: 'x 处理节点【审批通过】(不通过)' })).toBe('rejected');
    expect(decisionOfLog({ message: 'x 处理节点【提单】(提交)' })).toBeUndefined();
    expect(decisionOfLog({ message: '流程开始' })).toBeUndefined();
    expect(decisionOfLog({ message: 'bob 处理节点【审批】(通过): ok (after the change window)' })).toBe('approved');
  });

  it('how an ended ticket ended, from its log newest first', () => {
    expect(outcomeOfLogs([{ operator: 'bob', message: 'bob 处理节点【审批】(拒绝): no' }, { operator: 'system', message: '流程结束' }])).toEqual({ state: 'rejected', by: 'bob' });
    expect(outcomeOfLogs([{ operator: 'alice', message: 'alice 撤销单据' }])).toEqual({ state: 'withdrawn', by: 'alice' });
    expect(outcomeOfLogs([{ operator: 'carol', message: 'carol 终止节点【审批】: not now' }])).toEqual({ state: 'rejected', by: 'carol' });
    expect(outcomeOfLogs([{ operator: 'alice', message: '流程开始' }])).toEqual({});
  });

  it('a service without a title field gets the title at the head of the plan', () => {
    expect(ticketFieldsOf([{ key: 'PLAN', type: 'TEXT' }], { title: 'T', requester: 'a', fields: { Hosts: 'h' } })).toEqual([{ key: 'PLAN', value: 'T\nHosts: h' }]);
  });

  it('a required text field the plan did not name gets the title', () => {
    const fields: ServiceField[] = [
      { key: 'title', type: 'STRING' },
      { key: 'REASON', type: 'STRING', name: 'Reason', validate_type: 'REQUIRE' },
      { key: 'PLAN', type: 'TEXT', name: 'Plan' },
    ];
    expect(ticketFieldsOf(fields, { title: 'T', requester: 'a', fields: { Plan: 'p', Hosts: 'h' } })).toEqual([
      { key: 'title', value: 'T' },
      { key: 'PLAN', value: 'p' },
      { key: 'REASON', value: 'Hosts: h' },
    ]);
  });
});
