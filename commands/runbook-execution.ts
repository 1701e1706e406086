/**
 * `runbook execution <id>`: the execution card (its steps and their states) with buttons for the
 * operations its state allows (resume a paused one, retry or skip a failed step, terminate one
 * not yet ended); while it runs, a live card in the channel that edits itself (runbook-live.ts).
 * An operation is sent once, only when the execution still shows
 * what the clicked card showed (a replayed or late click finds it moved on and sends nothing);
 * a lost answer is settled by reading the execution back (moved = done, unchanged = not done).
 */
import { nativeOf, type RunbookOperation } from '../src/backends/index.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import { refuse } from '../src/core/refusal.js';
import type { Text } from '../src/i18n/translate.js';
import { unsettledReply } from './alarm-common.js';
import { sendClaimedWrite } from './write-claim.js';
import { EXECUTION_TEXT, executionCard, progressOf, readExecution, RUNBOOK_ACTIONS, RUNBOOK_ID, runbooksOf } from './runbook-common.js';
import { liveExecutionAnswer } from './runbook-live.js';

const TEXT = {
  executionWhat: { 'en-US': 'a runbook execution id', 'zh-CN': '作业执行 ID' },
  executionDescription: { 'en-US': 'Execution id ("runbook run" answers it)', 'zh-CN': '执行 ID（“runbook run”会返回）' },
  badButton: { 'en-US': 'This button is not valid', 'zh-CN': '此按钮无效' },
  badButtonText: { 'en-US': 'Nothing was sent. Run "runbook execution <id>" for a fresh card.', 'zh-CN': '未发送任何内容。请运行“runbook execution <ID>”获取新的卡片。' },
  stale: { 'en-US': 'Execution {id} moved on since this card', 'zh-CN': '执行 {id} 在此卡片之后已有变化' },
  staleText: { 'en-US': 'Nothing was sent. The card below is what it is now.', 'zh-CN': '未发送任何内容。下方卡片为当前状态。' },
  notOffered: { 'en-US': 'Execution {id} cannot {operation} now', 'zh-CN': '执行 {id} 当前不能{operation}' },
  operateWhat: { 'en-US': '{operation} execution {id}', 'zh-CN': '对执行 {id} {operation}' },
  done: { 'en-US': '{operation} sent to execution {id}', 'zh-CN': '已对执行 {id} 发送{operation}' },
  confirmed: { 'en-US': 'Confirmed by reading the execution back after the answer was lost ({answer}); it was not sent again.', 'zh-CN': '响应丢失（{answer}），之后读取执行确认已生效；未重复发送。' },
  execution: { 'en-US': 'execution', 'zh-CN': '执行' },
} satisfies Record<string, Text>;

const OPERATIONS: readonly RunbookOperation[] = ['resume', 'terminate', 'retry', 'skip'];

const executionIdArg = arg.id({
  required: true,
  what: TEXT.executionWhat,
  example: 'EXE20250601000000000001',
  pattern: RUNBOOK_ID,
  description: TEXT.executionDescription,
  placeholder: { 'en-US': 'execution', 'zh-CN': 'execution' },
  localName: { 'en-US': 'execution', 'zh-CN': '执行' },
});

export const runbookExecutionCommand = defineCommand({
  family: 'runbook',
  words: ['runbook', 'execution'],
  discord: { group: 'runbook', name: 'execution', localName: { 'en-US': 'execution', 'zh-CN': '执行记录' }, description: { 'en-US': 'A runbook execution and its steps', 'zh-CN': '作业执行及其步骤' } },
  needs: ['runbooks'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'A runbook execution: its steps and their states, with buttons for what it allows now', 'zh-CN': '作业执行：各步骤及状态，并提供当前可执行操作的按钮' },
  examples: ['runbook execution EXE20250601000000000001'],
  positionals: { id: executionIdArg },
  flags: {},
  async run(context, args): Promise<Message> {
    context.audit.target = `runbook execution ${args.id}`;
    return liveExecutionAnswer(context, await readExecution(context, args.id));
  },
});

async function operate(context: CommandContext, value: string): Promise<Message> {
  const { t } = context;
  const [typedId, operation, progress, ...rest] = value.split('|');
  if (!typedId || !RUNBOOK_ID.test(typedId) || !operation || !OPERATIONS.includes(operation as RunbookOperation) || !progress || rest.length) {
    refuse(t(TEXT.badButton), t(TEXT.badButtonText));
  }
  const chosen = operation as RunbookOperation;
  const verb = t(EXECUTION_TEXT[chosen]);
  context.audit.target = `runbook execution ${typedId}`;
  const runbooks = runbooksOf(context);
  const execution = await readExecution(context, typedId);
  const id = nativeOf(execution.id);
  if (progressOf(execution) !== progress) return { ...executionCard(context, execution), title: t(TEXT.stale, { id }), text: t(TEXT.staleText) };
  if (!runbooks.operationsFor(execution).includes(chosen)) refuse(t(TEXT.notOffered, { id, operation: verb }), t(TEXT.staleText));
  context.audit.maskedParameters = { operation: chosen, from: execution.statusCode };
  // One operation per progress the click read (not one of each kind): the first click moves it on.
  const result = await sendClaimedWrite(
    context,
    { key: `runbook-op:${execution.id}|${progress}`, what: t(TEXT.operateWhat, { operation: verb, id }) },
    () => runbooks.operate({ id: execution.id, operation: chosen }),
    async () => {
      const now = await runbooks.execution(execution.id);
      if (!now) return undefined;
      return progressOf(now) !== progress ? { done: undefined } : 'unchanged';
    },
  );
  // Whatever came of it, the execution's live cards read it again now rather than at their next round.
  context.services.executions.nudge(execution.id);
  if (result.outcome !== 'done') return unsettledReply(context, result, t(TEXT.operateWhat, { operation: verb, id }), `runbook execution ${id}`, TEXT.execution);
  const after = await runbooks.execution(execution.id).catch(() => undefined);
  const note = [t(TEXT.done, { operation: verb, id }), ...(result.confirmedAfter ? [t(TEXT.confirmed, { answer: result.confirmedAfter })] : [])].join('\n');
  return after ? { ...executionCard(context, after), text: note } : { title: t(TEXT.done, { operation: verb, id }), tone: 'success' };
}

export const RUNBOOK_EXECUTION_ACTIONS: readonly ActionDefinition[] = [
  { id: RUNBOOK_ACTIONS.operate, family: 'runbook', permission: 'operator', mutates: true, run: operate },
  {
    id: RUNBOOK_ACTIONS.refresh,
    family: 'runbook',
    permission: 'viewer',
    mutates: false,
    run: async (context, value) => {
      if (!RUNBOOK_ID.test(value)) refuse(context.t(TEXT.badButton), context.t(TEXT.badButtonText));
      return executionCard(context, await readExecution(context, value));
    },
  },
];
