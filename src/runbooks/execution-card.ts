/**
 * What runbooks in chat share: the capability, ids as typed, the execution card (its steps and
 * the buttons its state allows). The runbook commands and an approved runbook execution's answer
 * both show it.
 */
import { nativeOf, need, type RunbookExecution, type RunbookExecutionState, type RunbookOperation, type RunbooksCapability } from '../backends/index.js';
import type { CommandContext } from '../core/command.js';
import type { Button, Message } from '../core/message.js';
import { refuse } from '../core/refusal.js';
import { shown, utcTime } from '../i18n/format.js';
import type { Text } from '../i18n/translate.js';

export const RUNBOOK_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export const RUNBOOK_ACTIONS = { run: 'runbook:run', cancel: 'runbook:run-cancel', operate: 'runbook:op', refresh: 'runbook:refresh' } as const;

export const EXECUTION_TEXT = {
  title: { 'en-US': 'Runbook execution {id}: {state}', 'zh-CN': '作业执行 {id}：{state}' },
  runbook: { 'en-US': 'Runbook', 'zh-CN': '作业' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  by: { 'en-US': 'Started by', 'zh-CN': '执行人' },
  started: { 'en-US': 'Started', 'zh-CN': '开始时间' },
  ended: { 'en-US': 'Ended', 'zh-CN': '结束时间' },
  parameters: { 'en-US': 'Parameters', 'zh-CN': '参数' },
  none: { 'en-US': 'none', 'zh-CN': '无' },
  colStep: { 'en-US': 'STEP', 'zh-CN': '步骤' },
  colState: { 'en-US': 'STATE', 'zh-CN': '状态' },
  colNote: { 'en-US': 'NOTE', 'zh-CN': '说明' },
  refresh: { 'en-US': 'Refresh', 'zh-CN': '刷新' },
  footer: { 'en-US': 'Read again: runbook execution {id}', 'zh-CN': '重新读取：runbook execution {id}' },
  notFound: { 'en-US': 'No runbook execution {id} in {platform}', 'zh-CN': '{platform} 中没有作业执行 {id}' },
  notFoundText: { 'en-US': 'Nothing was sent. The id is the one "runbook run" answered.', 'zh-CN': '未发送任何内容。ID 为“runbook run”返回的执行 ID。' },
  resume: { 'en-US': 'Resume', 'zh-CN': '继续' },
  terminate: { 'en-US': 'Terminate', 'zh-CN': '终止' },
  retry: { 'en-US': 'Retry', 'zh-CN': '重试' },
  skip: { 'en-US': 'Skip', 'zh-CN': '跳过' },
  confirmTitle: { 'en-US': '{operation} execution {id}?', 'zh-CN': '对执行 {id} {operation}？' },
  confirmText: { 'en-US': 'Runbook {name}', 'zh-CN': '作业 {name}' },
  confirmNo: { 'en-US': 'Not now', 'zh-CN': '暂不' },
} satisfies Record<string, Text>;

export const STATE_TEXT: Readonly<Record<RunbookExecutionState, Text>> = {
  waiting: { 'en-US': 'waiting', 'zh-CN': '等待中' },
  running: { 'en-US': 'running', 'zh-CN': '执行中' },
  paused: { 'en-US': 'paused', 'zh-CN': '已暂停' },
  failed: { 'en-US': 'failed', 'zh-CN': '失败' },
  canceled: { 'en-US': 'terminated', 'zh-CN': '已终止' },
  finished: { 'en-US': 'finished', 'zh-CN': '已完成' },
  other: { 'en-US': 'other', 'zh-CN': '其他' },
};

const STATE_DOT: Readonly<Record<RunbookExecutionState, string>> = { waiting: '⚪', running: '🔵', paused: '⏸️', failed: '🔴', canceled: '⛔', finished: '✅', other: '❔' };

export function runbooksOf(context: Pick<CommandContext, 'backend'>): RunbooksCapability {
  return need(context.backend, 'runbooks');
}

/** What the card is drawn with: the reader's language and the backend (a command's context, or the live card's tracker). */
export type CardContext = Pick<CommandContext, 't' | 'backend'>;

/** What a card shows of the execution's progress: a click made on an older one is stale. */
export function progressOf(execution: RunbookExecution): string {
  const current = execution.steps.find((step) => step.state !== 'finished' && step.statusCode !== 'SKIPPED');
  return `${execution.statusCode}.${current?.id.slice(-24) ?? '-'}.${current?.statusCode ?? '-'}`;
}

export async function readExecution(context: CommandContext, typed: string): Promise<RunbookExecution> {
  const { t, backend } = context;
  const id = RUNBOOK_ID.test(typed) ? backend.parseId('execution', typed) : undefined;
  const execution = id === undefined ? undefined : await runbooksOf(context).execution(id);
  if (!execution) refuse(t(EXECUTION_TEXT.notFound, { id: shown(typed, 64), platform: t(backend.displayName) }), t(EXECUTION_TEXT.notFoundText));
  return execution;
}

function operationButtons(context: CardContext, execution: RunbookExecution): Button[] {
  const { t } = context;
  const id = nativeOf(execution.id);
  const name = execution.runbookName ?? '';
  return runbooksOf(context)
    .operationsFor(execution)
    .map((operation: RunbookOperation) => ({
      actionId: RUNBOOK_ACTIONS.operate,
      label: t(EXECUTION_TEXT[operation]),
      value: `${id}|${operation}|${progressOf(execution)}`,
      ...(operation === 'terminate' ? { style: 'danger' as const } : operation === 'resume' ? { style: 'primary' as const } : {}),
      confirm: {
        title: t(EXECUTION_TEXT.confirmTitle, { operation: t(EXECUTION_TEXT[operation]), id }),
        text: t(EXECUTION_TEXT.confirmText, { name }),
        confirmLabel: t(EXECUTION_TEXT[operation]),
        denyLabel: t(EXECUTION_TEXT.confirmNo),
      },
    }));
}

/** The execution card: its steps and their states, and buttons for what its state allows now. */
export function executionCard(context: CardContext, execution: RunbookExecution): Message {
  const { t } = context;
  const id = nativeOf(execution.id);
  const ended = execution.state === 'finished' || execution.state === 'canceled';
  const buttons: Button[] = [...operationButtons(context, execution), ...(ended ? [] : [{ actionId: RUNBOOK_ACTIONS.refresh, label: t(EXECUTION_TEXT.refresh), value: id }])];
  return {
    title: t(EXECUTION_TEXT.title, { id, state: t(STATE_TEXT[execution.state]) }),
    tone: execution.state === 'failed' ? 'danger' : execution.state === 'finished' ? 'success' : execution.state === 'paused' ? 'warning' : 'info',
    fields: [
      { label: t(EXECUTION_TEXT.runbook), value: execution.runbookName ?? (execution.runbook ? nativeOf(execution.runbook) : '—') },
      { label: t(EXECUTION_TEXT.status), value: execution.statusCode || '—' },
      ...(execution.creator ? [{ label: t(EXECUTION_TEXT.by), value: execution.creator }] : []),
      ...(execution.startedAt !== undefined ? [{ label: t(EXECUTION_TEXT.started), value: utcTime(execution.startedAt) }] : []),
      ...(execution.endedAt !== undefined ? [{ label: t(EXECUTION_TEXT.ended), value: utcTime(execution.endedAt) }] : []),
      {
        label: t(EXECUTION_TEXT.parameters),
        value: execution.parameters.length ? execution.parameters.map((pair) => `${pair.name}=${shown(pair.value, 60)}`).join('\n') : t(EXECUTION_TEXT.none),
      },
    ],
    table: {
      columns: [t(EXECUTION_TEXT.colStep), t(EXECUTION_TEXT.colState), t(EXECUTION_TEXT.colNote)],
      rows: execution.steps.map((step, index) => [`${index + 1}. ${shown(step.name, 50)}`, `${STATE_DOT[step.state]} ${step.statusCode}`, shown(step.message ?? '', 60)]),
    },
    ...(buttons.length ? { buttons } : {}),
    footer: t(EXECUTION_TEXT.footer, { id }),
  };
}
