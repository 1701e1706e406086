/**
 * SOPS tasks from the reference's own examples: templates listed and paged, a template's
 * constants, a task made and started, its state node by node, pause / resume / revoke, and a
 * start whose answer is lost (never retried, may have acted).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EsbClient } from '../src/backends/blueking/esb/client.js';
import type { BluekingSettings } from '../src/backends/blueking/settings.js';
import { bluekingTasks, taskStateOf } from '../src/backends/blueking/tasks.js';
import { BackendInputError, BackendUnavailableError, mayHaveActed } from '../src/backends/errors.js';
import type { TasksCapability } from '../src/backends/types/tasks.js';
import { clientOf, EsbPeer, exampleData, ok, refused } from './blueking-fixture-peer.js';

const SOPS = '/api/c/compapi/v2/sops';
const SETTINGS: BluekingSettings = { defaultBiz: 2, riskRules: [], defaultAccount: 'root', paasHost: 'https://paas.example.com' };

let peer: EsbPeer;
let client: EsbClient;
let tasks: TasksCapability;

beforeAll(async () => {
  peer = await EsbPeer.start();
  client = clientOf(peer, 'alice');
  tasks = bluekingTasks(client, SETTINGS);
});
afterAll(async () => {
  await client.close();
  await peer.close();
});
beforeEach(() => peer.reset());

describe('templates', () => {
  it("lists the default business's templates from the reference example, paged by offset", async () => {
    peer.serveExample('get_template_list');
    const first = await tasks.templates({ limit: 1 });
    expect(peer.requests[0]!.fields).toMatchObject({ bk_biz_id: '2' });
    expect(first).toEqual({
      items: [
        {
          id: 'blueking:template:2:32',
          name: '快速执行脚本',
          category: 'Other',
          creator: 'admin',
          editor: 'admin',
          modifiedAt: Date.UTC(2018, 3, 23, 9, 30, 48),
        },
      ],
      total: 2,
      next: '1',
    });
    const second = await tasks.templates({ limit: 1, after: first.next! });
    expect(second.items.map((item) => item.id)).toEqual(['blueking:template:2:31']);
    expect(second.items[0]).not.toHaveProperty('editor');
    expect(second.next).toBeUndefined();
    await expect(tasks.templates({ limit: 10, name: 'NEW2018' })).resolves.toMatchObject({ items: [{ name: 'new201804191218' }], total: 1 });
  });

  it('a template with its constants in the template order (get_template_info example)', async () => {
    peer.serveExample('get_template_info');
    const template = await tasks.template('blueking:template:1:30');
    expect(peer.requests[0]!.fields).toMatchObject({ bk_biz_id: '1', template_id: '30' });
    expect(template).toMatchObject({ id: 'blueking:template:2:30', name: 'new20180416213944', category: 'Other', editor: 'admin' });
    expect(template!.constants).toEqual([
      { key: '${script_type}', name: '脚本类型', defaultValue: '4' },
      { key: '${script_timeout}', name: '超时时间' },
      { key: '${content}', name: '内容' },
      { key: '${params}', name: '参数' },
    ]);
  });

  it('an unknown template is undefined; a malformed id is refused before sending', async () => {
    peer.answer(`${SOPS}/get_template_info/`, refused(1, 'template[id=99] does not exist'));
    await expect(tasks.template('blueking:template:2:99')).resolves.toBeUndefined();
    await expect(tasks.template('blueking:template:99')).rejects.toBeInstanceOf(BackendInputError);
    expect(peer.requests).toHaveLength(1);
  });
});

describe('tasks', () => {
  it('create: the template, a name and the constants keyed ${…}; the id and link from the create_task example', async () => {
    peer.serveExample('create_task');
    const created = await tasks.create({ template: 'blueking:template:2:30', name: 'tasktest', constants: { content: 'echo 1', '${params}': '' } });
    expect(created).toEqual({ id: 'blueking:task:2:10', url: 'http://bk_sops_host/taskflow/execute/3/?instance_id=15364' });
    const [request] = peer.requests;
    expect(request!.method).toBe('POST');
    expect(request!.fields).toMatchObject({ bk_biz_id: '2', template_id: '30', name: 'tasktest', constants: { '${content}': 'echo 1', '${params}': '' } });
  });

  it('start, and pause / resume / revoke through operate_task', async () => {
    peer.serveExample('start_task');
    peer.serveExample('operate_task');
    await tasks.start('blueking:task:2:10');
    for (const operation of ['pause', 'resume', 'revoke'] as const) await tasks.operate('blueking:task:2:10', operation);
    expect(peer.to(`${SOPS}/start_task/`).map((request) => request.fields)).toMatchObject([{ bk_biz_id: '2', task_id: '10' }]);
    expect(peer.to(`${SOPS}/operate_task/`).map((request) => request.fields['action'])).toEqual(['pause', 'resume', 'revoke']);
  });

  it('a lost answer to start_task is not retried and may have acted', async () => {
    peer.answer(`${SOPS}/start_task/`, { reset: true });
    const starting = tasks.start('blueking:task:2:10');
    await expect(starting).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(starting.catch(mayHaveActed)).resolves.toBe(true);
    expect(peer.to(`${SOPS}/start_task/`)).toHaveLength(1);
  });

  it('status from the get_task_status example: failed, the service node kept, the start event left out, the failure read from the node', async () => {
    peer.serveExample('get_task_status');
    const detail = structuredClone(exampleData('get_task_node_detail')) as Record<string, unknown>;
    peer.answer(`${SOPS}/get_task_node_detail/`, ok({ ...detail, state: 'FAILED', ex_data: '<p>job 407584 failed:</p> exit 1' }));
    const status = await tasks.status('blueking:task:2:10');
    expect(status).toEqual({
      id: 'blueking:task:2:10',
      status: { state: 'failed', code: 'FAILED' },
      startedAt: Date.UTC(2018, 3, 26, 8, 8, 34),
      nodes: [
        {
          id: 'e8b128dff46637368b9b1bd921abc14e',
          status: { state: 'failed', code: 'FAILED' },
          startedAt: Date.UTC(2018, 3, 26, 8, 8, 34),
          finishedAt: Date.UTC(2018, 3, 26, 8, 8, 46),
          error: 'job 407584 failed: exit 1',
        },
      ],
    });
    expect(peer.to(`${SOPS}/get_task_node_detail/`)[0]!.fields).toMatchObject({ bk_biz_id: '2', task_id: '10', node_id: 'e8b128dff46637368b9b1bd921abc14e' });
  });

  it('a failed node whose detail cannot be read keeps its state without a reason; an unknown task is undefined', async () => {
    peer.serveExample('get_task_status');
    peer.answer(`${SOPS}/get_task_node_detail/`, refused(1, 'node not ready'));
    const status = await tasks.status('blueking:task:2:10');
    expect(status!.nodes[0]).not.toHaveProperty('error');
    peer.answer(`${SOPS}/get_task_status/`, refused(1, 'task[id=11] does not exist'));
    await expect(tasks.status('blueking:task:2:11')).resolves.toBeUndefined();
  });

  it("names from get_task_detail: the task's name and link (the reference example), node names by node id, kept once read", async () => {
    const fresh = bluekingTasks(client, SETTINGS);
    peer.serveExample('get_task_status');
    peer.serveExample('get_task_node_detail');
    const detail = structuredClone(exampleData('get_task_detail')) as { pipeline_tree: { activities: Record<string, unknown> } };
    peer.once(`${SOPS}/get_task_detail/`, ok(detail));
    await expect(fresh.status('blueking:task:2:10')).resolves.toMatchObject({
      name: 'job输出变量测试_20190117121300',
      url: 'http://bk_sops_host/taskflow/execute/3/?instance_id=15364',
    });
    expect(peer.to(`${SOPS}/get_task_detail/`)[0]!.fields).toMatchObject({ bk_biz_id: '2', task_id: '10' });

    detail.pipeline_tree.activities['e8b128dff46637368b9b1bd921abc14e'] = { name: '节点_1', type: 'ServiceActivity' };
    peer.answer(`${SOPS}/get_task_detail/`, { status: 502, body: 'bad gateway' });
    const lost = await fresh.status('blueking:task:2:11');
    expect(lost!.nodes[0]).not.toHaveProperty('name');
    // A lost answer is asked again on the next read; once read, the detail is kept.
    peer.answer(`${SOPS}/get_task_detail/`, ok(detail));
    const named = await fresh.status('blueking:task:2:11');
    expect(named!.nodes[0]).toMatchObject({ id: 'e8b128dff46637368b9b1bd921abc14e', name: '节点_1' });
    const asked = peer.to(`${SOPS}/get_task_detail/`).length;
    await fresh.status('blueking:task:2:11');
    expect(peer.to(`${SOPS}/get_task_detail/`)).toHaveLength(asked);
  });

  it('states as the reference lists them', () => {
    expect(['CREATED', 'RUNNING', 'SUSPENDED', 'NODE_SUSPENDED', 'FINISHED', 'FAILED', 'REVOKED', 'BLOCKED', undefined].map((code) => taskStateOf(code).state)).toEqual([
      'created',
      'running',
      'paused',
      'paused',
      'succeeded',
      'failed',
      'revoked',
      'other',
      'other',
    ]);
  });
});
