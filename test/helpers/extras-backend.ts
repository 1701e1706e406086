/**
 * A small in-memory backend with only the groups a second platform adds beside runs — alarms
 * read, standard-operations tasks, notices, hosts with a topology filter — recording every call,
 * with a fault to inject per write. For the command tests of those capabilities.
 */
import {
  BackendRefusedError,
  BackendUnavailableError,
  makeId,
  type Alarm,
  type AlarmQuery,
  type Backend,
  type Host,
  type HostQuery,
  type NoticeChannel,
  type TaskId,
  type TaskOperation,
  type TaskState,
  type TaskStatus,
  type TaskTemplate,
} from '../../src/backends/index.js';
import { COC_VOCABULARY } from '../../src/backends/coc/vocabulary.js';

const LEVEL_CODES = { critical: '1', major: '2', minor: '3' } as const;

export function alarm(index: number, level: keyof typeof LEVEL_CODES, statusCode: string): Alarm {
  return {
    id: makeId('blueking', 'alarm', String(1000 + index)),
    title: `CPU usage high ${index}`,
    level: { state: level, code: LEVEL_CODES[level] },
    statusCode,
    beganAt: Date.UTC(2026, 11, 6, 9, index),
    target: `10.0.0.${index}`,
    description: `cpu above 90% on 10.0.0.${index}`,
    rule: 'CPU > 90%',
    count: index,
  };
}

export interface SentWrite {
  readonly kind: 'create' | 'start' | 'operate' | 'send';
  readonly detail: unknown;
}

type Fault = 'refused' | 'lost' | 'lost-acted';

export interface ExtrasBackend {
  readonly backend: Backend;
  readonly alarmQueries: AlarmQuery[];
  readonly hostQueries: HostQuery[];
  readonly writes: SentWrite[];
  readonly tasks: Map<string, { status: TaskStatus; constants: Record<string, string> }>;
  /** The next write of this kind fails so. */
  failNext(kind: SentWrite['kind'], fault: Fault): void;
  /** Moves a task on, as the platform would. */
  setState(id: TaskId, state: TaskState): void;
}

const TEMPLATES: readonly TaskTemplate[] = [
  {
    id: makeId('blueking', 'template', '3:1001'),
    name: 'Restart service',
    category: 'OpsTools',
    editor: 'admin',
    modifiedAt: Date.UTC(2026, 10, 1),
    constants: [
      { key: '${service}', name: 'Service' },
      { key: '${mode}', name: 'Mode', defaultValue: 'graceful' },
    ],
  },
  { id: makeId('blueking', 'template', '3:1002'), name: 'Clean logs', category: 'OpsTools', constants: [] },
];

const CHANNELS: readonly NoticeChannel[] = [
  { type: 'mail', label: 'Mail', active: true },
  { type: 'weixin', label: 'WeChat', active: true },
  { type: 'sms', label: 'SMS', active: false },
];

function codeOf(state: TaskState): string {
  return { created: 'CREATED', running: 'RUNNING', paused: 'SUSPENDED', succeeded: 'FINISHED', failed: 'FAILED', revoked: 'REVOKED', other: 'READY' }[state];
}

export function extrasBackend(alarms: readonly Alarm[]): ExtrasBackend {
  const alarmQueries: AlarmQuery[] = [];
  const hostQueries: HostQuery[] = [];
  const writes: SentWrite[] = [];
  const tasks = new Map<string, { status: TaskStatus; constants: Record<string, string> }>();
  const faults = new Map<SentWrite['kind'], Fault>();
  let nextTask = 10042;

  /** Sends a write: records it, then fails as injected (a lost answer that acted still acts). */
  function write(kind: SentWrite['kind'], detail: unknown, act: () => void): void {
    writes.push({ kind, detail });
    const fault = faults.get(kind);
    faults.delete(kind);
    const operation = { backend: 'blueking' as const, method: 'POST', route: kind, write: true };
    if (fault === 'refused') throw new BackendRefusedError('refused', 'blueking', operation, { code: '1306', platformMessage: 'task state does not allow it' }, false);
    if (fault === 'lost-acted') act();
    if (fault === 'lost' || fault === 'lost-acted') throw new BackendUnavailableError('timeout', 'blueking', operation, { lost: 'timeout', timeoutMs: 100 }, true);
    act();
  }

  const setState = (id: TaskId, state: TaskState): void => {
    const task = tasks.get(id);
    if (!task) throw new Error(`no task ${id}`);
    const nodes = task.status.nodes.map((node, index) => ({ ...node, status: { state: state === 'succeeded' || index === 0 ? 'succeeded' : state, code: codeOf(state === 'succeeded' || index === 0 ? 'succeeded' : state) } as TaskStatus['status'] }));
    task.status = { ...task.status, status: { state, code: codeOf(state) }, nodes, ...(state === 'succeeded' ? { finishedAt: Date.UTC(2026, 11, 6, 10, 5) } : {}) };
  };

  const host = (index: number): Host => ({
    id: makeId('blueking', 'host', `0:10.0.0.${index}`),
    rowId: String(index),
    name: `web-${index}`,
    ip: `10.0.0.${index}`,
    agent: { state: 'online', code: '1' },
    tags: [],
    runnable: true,
  });

  const backend: Backend = {
    name: 'blueking',
    displayName: { 'en-US': 'BlueKing', 'zh-CN': '蓝鲸' },
    vocabulary: {
      ...COC_VOCABULARY,
      alarmLevel: { '1': { 'en-US': 'Fatal', 'zh-CN': '致命' }, '2': { 'en-US': 'Warning', 'zh-CN': '预警' }, '3': { 'en-US': 'Reminder', 'zh-CN': '提醒' } },
      alarmStatus: { ABNORMAL: { 'en-US': 'Abnormal', 'zh-CN': '未恢复' }, RECOVERED: { 'en-US': 'Recovered', 'zh-CN': '已恢复' }, CLOSED: { 'en-US': 'Closed', 'zh-CN': '已关闭' } },
    },
    perUser: 'username',
    hosts: {
      pageMax: 200,
      filters: new Set(['name', 'ip', 'ids', 'topology']),
      agentCodes: [],
      list: async (query) => {
        hostQueries.push(query);
        return { items: [host(1), host(2)] };
      },
    },
    alarms: {
      levels: [
        { state: 'critical', code: '1' },
        { state: 'major', code: '2' },
        { state: 'minor', code: '3' },
      ],
      statusCodes: { raised: 'ABNORMAL', cleared: 'RECOVERED' },
      list: async (query) => {
        alarmQueries.push(query);
        const matching = alarms.filter((item) => (!query.statusCode || item.statusCode === query.statusCode) && (!query.levelCode || item.level.code === query.levelCode) && (query.from === undefined || (item.beganAt ?? 0) >= query.from));
        const start = query.after === undefined ? 0 : Number(query.after);
        const items = matching.slice(start, start + query.limit);
        return { items, total: matching.length, ...(start + query.limit < matching.length ? { next: String(start + query.limit) } : {}) };
      },
      get: async (id) => alarms.find((item) => item.id === id),
    },
    tasks: {
      templates: async (query) => {
        const items = TEMPLATES.filter((item) => !query.name || item.name.toLowerCase().includes(query.name.toLowerCase())).map(({ constants: _list, ...row }) => row);
        return { items: items.slice(0, query.limit), total: items.length };
      },
      template: async (id) => TEMPLATES.find((item) => item.id === id),
      create: async (input) => {
        let id: TaskId | undefined;
        write('create', input, () => {
          id = makeId('blueking', 'task', `3:${nextTask++}`);
          tasks.set(id, {
            constants: { ...input.constants },
            status: {
              id,
              name: input.name,
              status: { state: 'created', code: 'CREATED' },
              nodes: [
                { id: 'n1', name: 'Stop service', status: { state: 'created', code: 'READY' } },
                { id: 'n2', name: 'Start service', status: { state: 'created', code: 'READY' } },
              ],
              url: `https://paas.example.com/o/bk_sops/taskflow/execute/3/?instance_id=${nativeOf(id)}`,
            },
          });
        });
        return { id: id! };
      },
      start: async (id) => write('start', { id }, () => setState(id, 'running')),
      status: async (id) => tasks.get(id)?.status,
      operate: async (id: TaskId, operation: TaskOperation) =>
        write('operate', { id, operation }, () => setState(id, operation === 'pause' ? 'paused' : operation === 'resume' ? 'running' : 'revoked')),
    },
    notices: {
      channels: async () => CHANNELS,
      send: async (notice) => write('send', notice, () => undefined),
    },
    parseId: (kind, typed) => {
      if (typed.startsWith('blueking:')) return typed as never;
      if (kind === 'task' || kind === 'template') return makeId('blueking', kind, typed.includes(':') ? typed : `3:${typed}`);
      return makeId('blueking', kind, typed);
    },
  };
  return { backend, alarmQueries, hostQueries, writes, tasks, failNext: (kind, fault) => faults.set(kind, fault), setState };
}

function nativeOf(id: string): string {
  return id.split(':').slice(2).join(':').split(':').at(-1)!;
}
