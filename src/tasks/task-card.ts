/**
 * What a standard-operations task's card says: its status in the reader's words (the platform's
 * code beside it), how many of its nodes are done, the nodes themselves, and the buttons that fit
 * the status now (pause while running, resume while paused, revoke until it has ended). A pure
 * function of what was read, so an unchanged task renders (and hashes) the same.
 */
import { createHash } from 'node:crypto';
import { ENDED_TASK_STATES, nativeOf, type TaskId, type TaskNode, type TaskOperation, type TaskState, type TaskStatus } from '../backends/index.js';
import type { Button, Message } from '../core/message.js';
import { cell, utcTime } from '../i18n/format.js';
import { translator, type Locale, type Text, type Translate } from '../i18n/translate.js';

const TEXT = {
  title: { 'en-US': 'Task {id}: {name}', 'zh-CN': '任务 {id}：{name}' },
  titleUnnamed: { 'en-US': 'Task {id}', 'zh-CN': '任务 {id}' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  started: { 'en-US': 'Started', 'zh-CN': '开始时间' },
  finished: { 'en-US': 'Finished', 'zh-CN': '结束时间' },
  open: { 'en-US': 'Open in {platform}', 'zh-CN': '在 {platform} 中打开' },
  nodes: { 'en-US': 'Nodes', 'zh-CN': '节点' },
  nodesDone: { 'en-US': '{done} of {total} nodes done', 'zh-CN': '已完成 {done}/{total} 个节点' },
  colNode: { 'en-US': 'NODE', 'zh-CN': '节点' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colStarted: { 'en-US': 'STARTED', 'zh-CN': '开始' },
  colError: { 'en-US': 'ERROR', 'zh-CN': '错误' },
  live: { 'en-US': 'This card updates itself until the task ends.', 'zh-CN': '此卡片会自动更新，直到任务结束。' },
  final: { 'en-US': 'Final state: this card no longer changes.', 'zh-CN': '最终状态：此卡片不再更新。' },
  stale: {
    'en-US': 'Stopped following the task after {minutes} minutes; "tasks show {id}" shows how it is doing.',
    'zh-CN': '已跟踪 {minutes} 分钟，停止自动更新；用“tasks show {id}”查看进展。',
  },
  unreadable: {
    'en-US': '{platform} could not be read since {since}; this card shows the last state read.',
    'zh-CN': '自 {since} 起无法读取 {platform}；此卡片显示最后读取到的状态。',
  },
  gone: { 'en-US': '{platform} no longer knows this task; the card stops here.', 'zh-CN': '{platform} 中已没有该任务；卡片到此停止更新。' },
  pause: { 'en-US': 'Pause', 'zh-CN': '暂停' },
  resume: { 'en-US': 'Resume', 'zh-CN': '继续' },
  revoke: { 'en-US': 'Revoke', 'zh-CN': '终止' },
  revokeConfirmTitle: { 'en-US': 'Revoke task {id}?', 'zh-CN': '终止任务 {id}？' },
  revokeConfirmText: {
    'en-US': 'The task stops for good: nodes not yet run never run, and it cannot be resumed.',
    'zh-CN': '任务将被永久终止：尚未执行的节点不再执行，且无法继续。',
  },
  revokeYes: { 'en-US': 'Revoke it', 'zh-CN': '终止' },
  revokeNo: { 'en-US': 'Keep it', 'zh-CN': '保留' },
} satisfies Record<string, Text>;

/** The product's word for each task state, in both languages. */
export const TASK_STATE_NAMES: Readonly<Record<TaskState, Text>> = {
  created: { 'en-US': 'Created (not started)', 'zh-CN': '已创建（未开始）' },
  running: { 'en-US': 'Running', 'zh-CN': '执行中' },
  paused: { 'en-US': 'Paused', 'zh-CN': '已暂停' },
  succeeded: { 'en-US': 'Succeeded', 'zh-CN': '成功' },
  failed: { 'en-US': 'Failed', 'zh-CN': '失败' },
  revoked: { 'en-US': 'Revoked', 'zh-CN': '已终止' },
  other: { 'en-US': 'Other', 'zh-CN': '其他' },
};

const STATE_DOT: Readonly<Record<TaskState, string>> = { created: '⚪', running: '🔵', paused: '⏸', succeeded: '🟢', failed: '🔴', revoked: '⚫', other: '⚪' };

/** Button action ids of a task card. */
export const TASK_ACTION_IDS: Readonly<Record<TaskOperation, string>> = { pause: 'task:pause', resume: 'task:resume', revoke: 'task:revoke' };

/** The task's own state needed for each operation to make sense. */
export function operationFits(operation: TaskOperation, state: TaskState): boolean {
  if (operation === 'pause') return state === 'running';
  if (operation === 'resume') return state === 'paused';
  return !ENDED_TASK_STATES.has(state);
}

/** `Running (RUNNING)`: the state in words, the platform's code beside it. */
export function taskStateWords(status: { readonly state: TaskState; readonly code: string }, t: Translate): string {
  const words = t(TASK_STATE_NAMES[status.state]);
  return status.code && status.code !== words ? `${words} (${status.code})` : words;
}

export function taskTitle(status: Pick<TaskStatus, 'id' | 'name' | 'status'>, t: Translate): string {
  const id = nativeOf(status.id);
  return `${STATE_DOT[status.status.state]} ${status.name ? t(TEXT.title, { id, name: status.name }) : t(TEXT.titleUnnamed, { id })}`;
}

export function taskButtons(id: TaskId, state: TaskState, t: Translate): Button[] {
  const buttons: Button[] = [];
  if (operationFits('pause', state)) buttons.push({ actionId: TASK_ACTION_IDS.pause, label: t(TEXT.pause), value: id });
  if (operationFits('resume', state)) buttons.push({ actionId: TASK_ACTION_IDS.resume, label: t(TEXT.resume), value: id, style: 'primary' });
  if (operationFits('revoke', state)) {
    buttons.push({
      actionId: TASK_ACTION_IDS.revoke,
      label: t(TEXT.revoke),
      value: id,
      style: 'danger',
      confirm: { title: t(TEXT.revokeConfirmTitle, { id: nativeOf(id) }), text: t(TEXT.revokeConfirmText), confirmLabel: t(TEXT.revokeYes), denyLabel: t(TEXT.revokeNo) },
    });
  }
  return buttons;
}

function nodeRow(node: TaskNode, t: Translate): string[] {
  return [cell(node.name ?? node.id, 40), `${STATE_DOT[node.status.state]} ${taskStateWords(node.status, t)}`, utcTime(node.startedAt), cell(node.error, 60)];
}

const DONE_NODE: ReadonlySet<TaskState> = new Set(['succeeded']);

export interface TaskCardOptions {
  readonly locale: Locale;
  /** The platform's name in texts. */
  readonly platform: string;
  /** A live card: says it updates itself (until ended). */
  readonly live?: boolean;
  /** The card stopped following a task that has not ended (after this many minutes). */
  readonly staleAfterMinutes?: number;
  /** Reads failed since then (the card shows the last state read). */
  readonly unreadableSince?: Date;
  /** The platform no longer knows the task. */
  readonly gone?: boolean;
}

/** The card of one task, as `tasks show` answers and the live card shows it. */
export function taskCard(status: TaskStatus, options: TaskCardOptions): Message {
  const t = translator(options.locale);
  const state = status.status.state;
  const ended = ENDED_TASK_STATES.has(state);
  const done = status.nodes.filter((node) => DONE_NODE.has(node.status.state)).length;
  const fields = [
    { label: t(TEXT.status), value: taskStateWords(status.status, t) },
    ...(status.startedAt ? [{ label: t(TEXT.started), value: utcTime(status.startedAt) }] : []),
    ...(status.finishedAt ? [{ label: t(TEXT.finished), value: utcTime(status.finishedAt) }] : []),
    ...(status.url ? [{ label: t(TEXT.open, { platform: options.platform }), value: status.url }] : []),
  ];
  const notes = [
    options.gone ? t(TEXT.gone, { platform: options.platform }) : undefined,
    options.unreadableSince ? t(TEXT.unreadable, { platform: options.platform, since: utcTime(options.unreadableSince.getTime()) }) : undefined,
    options.staleAfterMinutes !== undefined && !ended ? t(TEXT.stale, { minutes: options.staleAfterMinutes, id: nativeOf(status.id) }) : undefined,
    options.live && !options.gone && options.staleAfterMinutes === undefined ? t(ended ? TEXT.final : TEXT.live) : undefined,
  ].filter((note): note is string => note !== undefined);
  const stillActs = !ended && !options.gone;
  const buttons = stillActs ? taskButtons(status.id, state, t) : [];
  return {
    title: taskTitle(status, t),
    tone: state === 'failed' ? 'danger' : state === 'succeeded' ? 'success' : state === 'paused' || options.unreadableSince ? 'warning' : 'info',
    ...(state === 'failed' ? { outcome: 'succeeded' as const } : {}),
    fields,
    ...(status.nodes.length > 0 ? { progress: { done, total: status.nodes.length, label: t(TEXT.nodesDone, { done, total: status.nodes.length }) } } : {}),
    ...(status.nodes.length > 0
      ? { table: { columns: [t(TEXT.colNode), t(TEXT.colStatus), t(TEXT.colStarted), t(TEXT.colError)], rows: status.nodes.map((node) => nodeRow(node, t)) } }
      : {}),
    ...(buttons.length > 0 ? { buttons } : {}),
    ...(notes.length > 0 ? { footer: notes.join('\n') } : {}),
  };
}

/** Whether two renderings differ (the live card is edited only when they do). */
export function cardHash(message: Message): string {
  return createHash('sha256').update(JSON.stringify(message)).digest('hex');
}
