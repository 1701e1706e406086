/**
 * Runbooks (COC's documents): `runbooks` (list), `runbook show <id>` (its parameters and risk),
 * `runbook run <id> --param k=v …` (a preview, then Run), `runbook execution <id>` (the
 * execution card, whose buttons resume, terminate, retry or skip as its state allows).
 *
 * `runbook run` follows `run`'s rules: the parameters are checked against the runbook's own
 * definitions before anything is shown (a bad one is refused, every problem named, nothing
 * sent); the preview shows the runbook, its risk and the values to send; MEDIUM asks once more;
 * HIGH (or a risk the platform does not name) needs a second authorised person: the preview's
 * Request approval files an approved platform action of kind runbook-execute
 * (src/approvals/platform-action/), whose approval re-checks the runbook (version, definitions,
 * risk, the values) and executes it once, as the requester, answering with the execution card. The execute
 * is sent once, its intent audited before it leaves (the transport's write seam); a lost answer is
 * settled by reading the runbook's executions back (a new one with these values = it started),
 * never by sending again. The Run button carries how many executions the runbook had at the
 * preview: a second click (here or on another replica) finds one more and sends nothing.
 */
import { label, makeId, nativeOf, type Runbook, type RunbookId } from '../src/backends/index.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import type { Button, Message, MessageField } from '../src/core/message.js';
import { refuse } from '../src/core/refusal.js';
import { cell, shown } from '../src/i18n/format.js';
import type { Text } from '../src/i18n/translate.js';
import { stepFor, type RunStep } from '../src/run/risk-policy.js';
import { checkParameters } from '../src/runbooks/parameters.js';
import { executionStarted } from '../src/runbooks/settle-execute.js';
import { runbookPin, runbookRiskCode as riskCode } from '../src/runbooks/pin.js';
import { requestPlatformAction } from '../src/approvals/platform-action/request.js';
import { APPROVERS_TEXT } from '../src/approvals/approvers.js';
import { RUNBOOK_APPROVAL_TEXT } from '../src/approvals/platform-action/runbook-execute-texts.js';
import { randomUUID } from 'node:crypto';
import { limitArg } from './list-args.js';
import { unsettledReply } from './alarm-common.js';
import { sendClaimedWrite } from './write-claim.js';
import { RUNBOOK_ACTIONS, RUNBOOK_ID, runbooksOf } from './runbook-common.js';
import { RUNBOOK_EXECUTION_ACTIONS, runbookExecutionCommand } from './runbook-execution.js';
import { liveExecutionAnswer } from './runbook-live.js';

const TEXT = {
  listTitle: { 'en-US': 'Runbooks ({shown} of {total})', 'zh-CN': '作业（{total} 个中的 {shown} 个）' },
  none: { 'en-US': 'No runbook matches.', 'zh-CN': '没有匹配的作业。' },
  colId: { 'en-US': 'RUNBOOK', 'zh-CN': '作业' },
  colName: { 'en-US': 'NAME', 'zh-CN': '名称' },
  colRisk: { 'en-US': 'RISK', 'zh-CN': '风险' },
  colVersion: { 'en-US': 'VERSION', 'zh-CN': '版本' },
  showHint: { 'en-US': 'One runbook and its parameters: runbook show <id>', 'zh-CN': '查看单个作业及其参数：runbook show <ID>' },
  nameFlag: { 'en-US': 'Only runbooks whose name contains this', 'zh-CN': '仅名称包含此内容的作业' },
  idWhat: { 'en-US': 'a runbook id', 'zh-CN': '作业 ID' },
  idDescription: { 'en-US': 'Runbook id (the RUNBOOK column of "runbooks")', 'zh-CN': '作业 ID（“runbooks”的作业列）' },
  notFound: { 'en-US': 'No runbook {id} in {platform}', 'zh-CN': '{platform} 中没有作业 {id}' },
  notFoundText: { 'en-US': '"runbooks" lists them with their ids. Nothing was sent.', 'zh-CN': '“runbooks”可列出作业及其 ID。未发送任何内容。' },
  risk: { 'en-US': 'Risk', 'zh-CN': '风险' },
  version: { 'en-US': 'Version', 'zh-CN': '版本' },
  creator: { 'en-US': 'Created by', 'zh-CN': '创建人' },
  parameters: { 'en-US': 'Parameters', 'zh-CN': '参数' },
  noParameters: { 'en-US': 'none', 'zh-CN': '无' },
  requiredMark: { 'en-US': 'required', 'zh-CN': '必填' },
  defaultMark: { 'en-US': 'default {value}', 'zh-CN': '默认 {value}' },
  oneOfMark: { 'en-US': 'one of {values}', 'zh-CN': '取值 {values}' },
  patternMark: { 'en-US': 'matches {pattern}', 'zh-CN': '格式 {pattern}' },
  runHint: { 'en-US': 'Run it: runbook run {id} --param name=value', 'zh-CN': '执行：runbook run {id} --param 名称=值' },
  paramDescription: { 'en-US': 'Runbook parameter, name=value (repeat for each)', 'zh-CN': '作业参数 名称=值（每个参数一次）' },
  badParameters: { 'en-US': 'The parameters do not fit runbook {name}', 'zh-CN': '参数不符合作业 {name} 的定义' },
  badParametersText: { 'en-US': 'Nothing was sent.\n{problems}\n"runbook show {id}" lists what it takes.', 'zh-CN': '未发送任何内容。\n{problems}\n“runbook show {id}”列出其参数。' },
  needsApproval: { 'en-US': 'Runbook {name} is {risk} risk: a second authorised person must approve it', 'zh-CN': '作业 {name} 为{risk}风险：需要另一位有权限的人批准' },
  needsApprovalText: { 'en-US': 'Nothing was sent. Run "runbook run {id}" and press Request approval.', 'zh-CN': '未发送任何内容。请运行“runbook run {id}”并按“申请审批”。' },
  previewTitle: { 'en-US': 'Run runbook {name}?', 'zh-CN': '执行作业 {name}？' },
  previewText: { 'en-US': 'The platform runs runbook {id} with these values. Nothing has been sent yet.', 'zh-CN': '平台将以下列取值执行作业 {id}。尚未发送任何内容。' },
  stepRun: { 'en-US': 'Runs when you press Run.', 'zh-CN': '按“执行”后开始执行。' },
  stepConfirm: { 'en-US': 'MEDIUM risk: Run asks once more before anything is sent.', 'zh-CN': '中风险：按“执行”后会再确认一次才发送。' },
  run: { 'en-US': 'Run', 'zh-CN': '执行' },
  cancel: { 'en-US': 'Cancel', 'zh-CN': '取消' },
  confirmTitle: { 'en-US': 'Run runbook {name} now?', 'zh-CN': '现在执行作业 {name}？' },
  confirmText: { 'en-US': 'It starts at once with the values shown.', 'zh-CN': '将立即以所示取值开始执行。' },
  confirmNo: { 'en-US': 'Not now', 'zh-CN': '暂不' },
  badButton: { 'en-US': 'This button is not valid', 'zh-CN': '此按钮无效' },
  badButtonText: { 'en-US': 'Nothing was sent. Run "runbook run <id>" for a fresh preview.', 'zh-CN': '未发送任何内容。请运行“runbook run <ID>”获取新的预览。' },
  ranSince: { 'en-US': 'Runbook {name} was run since this preview', 'zh-CN': '作业 {name} 在此预览之后已被执行' },
  ranSinceText: { 'en-US': 'Nothing was sent. "runbook run {id}" previews again.', 'zh-CN': '未发送任何内容。“runbook run {id}”可重新预览。' },
  changed: { 'en-US': 'Runbook {name} changed since the preview', 'zh-CN': '作业 {name} 自预览后已变化' },
  changedText: { 'en-US': 'Nothing was sent. Run "runbook run {id}" again for a fresh preview.', 'zh-CN': '未发送任何内容。请重新运行“runbook run {id}”获取新的预览。' },
  runWhat: { 'en-US': 'run runbook {name}', 'zh-CN': '执行作业 {name}' },
  confirmed: { 'en-US': 'Confirmed by reading the runbook’s executions back after the answer was lost ({answer}); it was not sent again.', 'zh-CN': '响应丢失（{answer}），之后读取作业的执行记录确认已启动；未重复发送。' },
  cancelled: { 'en-US': 'Not run: runbook {name}', 'zh-CN': '未执行：作业 {name}' },
  cancelledText: { 'en-US': 'Nothing was sent.', 'zh-CN': '未发送任何内容。' },
  execution: { 'en-US': 'executions', 'zh-CN': '执行记录' },
} satisfies Record<string, Text>;

/** The preview's Request approval (HIGH or unclassified risk). */
const RUNBOOK_REQUEST_ACTION = 'runbook:run-request';

const runbookIdArg = arg.id({
  required: true,
  what: TEXT.idWhat,
  example: 'DOC-restart-web-service',
  pattern: RUNBOOK_ID,
  description: TEXT.idDescription,
  placeholder: { 'en-US': 'runbook', 'zh-CN': 'runbook' },
  localName: { 'en-US': 'runbook', 'zh-CN': '作业' },
});

async function readRunbook(context: CommandContext, typed: string): Promise<Runbook> {
  const { t, backend } = context;
  const id = RUNBOOK_ID.test(typed) ? backend.parseId('template', typed) : undefined;
  const runbook = id === undefined ? undefined : await runbooksOf(context).get(id);
  if (!runbook) refuse(t(TEXT.notFound, { id: shown(typed, 64), platform: t(backend.displayName) }), t(TEXT.notFoundText));
  return runbook;
}

function riskLabel(context: CommandContext, runbook: Runbook): string {
  return label(context.backend.vocabulary, 'riskLevel', riskCode(runbook), context.locale);
}

export const runbooksCommand = defineCommand({
  family: 'runbook',
  words: ['runbooks'],
  discord: { group: 'runbooks', name: 'list', localName: { 'en-US': 'list', 'zh-CN': '列表' }, description: { 'en-US': 'Runbooks of the platform', 'zh-CN': '平台的作业' } },
  needs: ['runbooks'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'The runbooks (COC documents) with their risk', 'zh-CN': '作业（COC 作业文档）及其风险' },
  examples: ['runbooks', 'runbooks --name restart'],
  positionals: {},
  flags: {
    name: arg.string({ max: 128, description: TEXT.nameFlag, placeholder: { 'en-US': 'text', 'zh-CN': 'text' } }),
    limit: limitArg(20),
  },
  async run(context, args): Promise<Message> {
    const { t } = context;
    const page = await runbooksOf(context).list({ limit: args.limit, ...(args.name ? { nameLike: args.name } : {}) });
    const title = t(TEXT.listTitle, { shown: page.items.length, total: page.total ?? page.items.length });
    if (page.items.length === 0) return { title, text: t(TEXT.none), tone: 'info' };
    return {
      title,
      tone: 'info',
      table: {
        columns: [t(TEXT.colId), t(TEXT.colName), t(TEXT.colRisk), t(TEXT.colVersion)],
        rows: page.items.map((runbook) => [nativeOf(runbook.id), cell(runbook.name, 50), riskLabel(context, runbook), runbook.version ?? '—']),
      },
      footer: t(TEXT.showHint),
    };
  },
});

function parameterLines(context: CommandContext, runbook: Runbook): string {
  const { t } = context;
  const parameters = runbook.parameters ?? [];
  if (parameters.length === 0) return t(TEXT.noParameters);
  return parameters
    .map((parameter) => {
      const notes = [
        ...(parameter.required ? [t(TEXT.requiredMark)] : []),
        ...(parameter.defaultValue !== undefined ? [t(TEXT.defaultMark, { value: shown(parameter.defaultValue, 40) })] : []),
        ...(parameter.allowed ? [t(TEXT.oneOfMark, { values: parameter.allowed.join(', ') })] : []),
        ...(parameter.pattern ? [t(TEXT.patternMark, { pattern: parameter.pattern })] : []),
      ];
      return `${parameter.name}${parameter.description ? ` — ${shown(parameter.description, 60)}` : ''}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    })
    .join('\n');
}

export const runbookShowCommand = defineCommand({
  family: 'runbook',
  words: ['runbook', 'show'],
  discord: { group: 'runbook', name: 'show', localName: { 'en-US': 'show', 'zh-CN': '详情' }, description: { 'en-US': 'One runbook: risk and parameters', 'zh-CN': '单个作业：风险与参数' } },
  needs: ['runbooks'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'One runbook: its risk, version and the parameters it takes', 'zh-CN': '单个作业：风险、版本及其参数' },
  examples: ['runbook show DOC-restart-web-service'],
  positionals: { id: runbookIdArg },
  flags: {},
  async run(context, args): Promise<Message> {
    const { t } = context;
    context.audit.target = `runbook ${args.id}`;
    const runbook = await readRunbook(context, args.id);
    const id = nativeOf(runbook.id);
    return {
      title: `${id}: ${runbook.name}`,
      ...(runbook.description ? { text: runbook.description } : {}),
      tone: 'info',
      fields: [
        { label: t(TEXT.risk), value: riskLabel(context, runbook) },
        ...(runbook.version ? [{ label: t(TEXT.version), value: runbook.version }] : []),
        ...(runbook.creator ? [{ label: t(TEXT.creator), value: runbook.creator }] : []),
        { label: t(TEXT.parameters), value: parameterLines(context, runbook) },
      ],
      footer: t(TEXT.runHint, { id }),
    };
  },
});

/** What a preview promised, checked again on the click. */
interface RunbookPlan {
  readonly runbook: Runbook;
  readonly step: RunStep;
  readonly values: Readonly<Record<string, string>>;
  /** How many executions the runbook had when previewed. */
  readonly executions: number;
}

async function planFor(context: CommandContext, typedId: string, given: readonly { readonly key: string; readonly value: string }[]): Promise<RunbookPlan> {
  const { t, services } = context;
  const runbook = await readRunbook(context, typedId);
  const id = nativeOf(runbook.id);
  const checked = checkParameters(runbook.parameters ?? [], given);
  if (!checked.ok) {
    refuse(t(TEXT.badParameters, { name: runbook.name }), t(TEXT.badParametersText, { id, problems: checked.problems.map((problem) => `• ${t(problem.text, problem.values)}`).join('\n') }));
  }
  const step = stepFor(services.config.approvals.riskPolicy, riskCode(runbook));
  const executions = (await runbooksOf(context).executionsOf(runbook.id)).total;
  return { runbook, step, values: checked.values, executions };
}

/** The button's value: the runbook, its version, the values and how many executions it had at the preview. */
function buttonValue(plan: RunbookPlan, previewKey?: string): string {
  return JSON.stringify([nativeOf(plan.runbook.id), plan.runbook.version ?? '', plan.executions, plan.values, ...(previewKey ? [previewKey] : [])]);
}

function parseButtonValue(context: CommandContext, value: string): { id: string; version: string; executions: number; values: { key: string; value: string }[]; previewKey?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const bad = () => refuse(context.t(TEXT.badButton), context.t(TEXT.badButtonText));
  // The Request approval button carries one more element, the preview's own key.
  if (!Array.isArray(parsed) || parsed.length < 4 || parsed.length > 5) return bad();
  const [id, version, executions, values, previewKey] = parsed as unknown[];
  if (previewKey !== undefined && (typeof previewKey !== 'string' || !/^[0-9a-f]{16}$/.test(previewKey))) return bad();
  if (typeof id !== 'string' || !RUNBOOK_ID.test(id) || typeof version !== 'string' || typeof executions !== 'number' || !Number.isInteger(executions)) return bad();
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return bad();
  const pairs = Object.entries(values as Record<string, unknown>);
  if (pairs.some(([, one]) => typeof one !== 'string')) return bad();
  return { id, version, executions, values: pairs.map(([key, one]) => ({ key, value: one as string })), ...(previewKey ? { previewKey: `${id}|${previewKey}` } : {}) };
}

function preview(context: CommandContext, plan: RunbookPlan): Message {
  const { t } = context;
  const id = nativeOf(plan.runbook.id);
  const values = Object.entries(plan.values);
  const fields: MessageField[] = [
    { label: t(TEXT.risk), value: riskLabel(context, plan.runbook) },
    ...(plan.runbook.version ? [{ label: t(TEXT.version), value: plan.runbook.version }] : []),
    { label: t(TEXT.parameters), value: values.length ? values.map(([name, value]) => `${name}=${shown(value, 60)}`).join('\n') : t(TEXT.noParameters) },
  ];
  const approval = plan.step === 'approval';
  const request: Button = { actionId: RUNBOOK_REQUEST_ACTION, label: t(RUNBOOK_APPROVAL_TEXT.requestButton), value: buttonValue(plan, randomUUID().replaceAll('-', '').slice(0, 16)), style: 'primary', settles: true };
  const run: Button = approval ? request : {
    actionId: RUNBOOK_ACTIONS.run,
    label: t(TEXT.run),
    value: buttonValue(plan),
    style: plan.step === 'confirm' ? 'danger' : 'primary',
    settles: true,
    ...(plan.step === 'confirm' ? { confirm: { title: t(TEXT.confirmTitle, { name: plan.runbook.name }), text: t(TEXT.confirmText), confirmLabel: t(TEXT.run), denyLabel: t(TEXT.confirmNo) } } : {}),
  };
  return {
    title: t(TEXT.previewTitle, { name: plan.runbook.name }),
    text: t(TEXT.previewText, { id }),
    tone: plan.step === 'run' ? 'info' : 'warning',
    fields,
    buttons: [run, { actionId: RUNBOOK_ACTIONS.cancel, label: t(TEXT.cancel), value: id, settles: true }],
    awaitsAnswer: true,
    footer: approval ? t(RUNBOOK_APPROVAL_TEXT.stepApproval, { risk: riskLabel(context, plan.runbook) }) : t(plan.step === 'confirm' ? TEXT.stepConfirm : TEXT.stepRun),
  };
}

/** The plan as the click finds it now, refused when it is not what the preview showed. */
async function replanned(context: CommandContext, value: string): Promise<{ plan: RunbookPlan; previewKey: string | undefined }> {
  const { t } = context;
  const shownPlan = parseButtonValue(context, value);
  context.audit.target = `runbook ${shownPlan.id}`;
  const plan = await planFor(context, shownPlan.id, shownPlan.values);
  const id = nativeOf(plan.runbook.id);
  const name = plan.runbook.name;
  if ((plan.runbook.version ?? '') !== shownPlan.version) refuse(t(TEXT.changed, { name }), t(TEXT.changedText, { id }));
  if (plan.executions !== shownPlan.executions) refuse(t(TEXT.ranSince, { name }), t(TEXT.ranSinceText, { id }));
  return { plan, previewKey: shownPlan.previewKey };
}

async function runPlanned(context: CommandContext, value: string): Promise<Message> {
  const { t } = context;
  const { plan } = await replanned(context, value);
  const id = nativeOf(plan.runbook.id);
  const name = plan.runbook.name;
  // Never without the second person, whatever button value arrives.
  if (plan.step === 'approval') refuse(t(TEXT.needsApproval, { name, risk: riskLabel(context, plan.runbook) }), t(TEXT.needsApprovalText, { id }));
  const runbooks = runbooksOf(context);
  context.audit.maskedParameters = { runbook: id, risk: riskCode(plan.runbook), ...Object.fromEntries(Object.keys(plan.values).map((key) => [`param.${key}`, '(given)'])) };
  // One execute per count of executions the click read, whichever clicks arrive at once.
  const result = await sendClaimedWrite(
    context,
    { key: `runbook-run:${plan.runbook.id}|${plan.executions}`, what: t(TEXT.runWhat, { name }) },
    () => runbooks.execute({ id: plan.runbook.id as RunbookId, parameters: plan.values, description: `chat: ${context.identity.iamUserName}` }),
    () => executionStarted(runbooks, plan.runbook.id, plan.values, plan.executions),
  );
  if (result.outcome !== 'done') return unsettledReply(context, result, t(TEXT.runWhat, { name }), `runbook show ${id}`, TEXT.execution);
  const execution = await runbooks.execution(result.value).catch(() => undefined);
  const confirmed = result.confirmedAfter ? t(TEXT.confirmed, { answer: result.confirmedAfter }) : undefined;
  // Its live card in this channel follows it from here until it ends.
  if (execution) return liveExecutionAnswer(context, execution, confirmed);
  return { title: nativeOf(result.value), tone: 'success', ...(confirmed ? { text: confirmed } : {}) };
}

/** Request approval: the preview read again, unchanged, filed for a second authorised person. */
async function requestPlanned(context: CommandContext, value: string): Promise<Message> {
  const { t, backend, identity, place, actor } = context;
  const { plan, previewKey } = await replanned(context, value);
  const id = nativeOf(plan.runbook.id);
  if (!previewKey) refuse(t(TEXT.badButton), t(TEXT.badButtonText));
  if (plan.step !== 'approval') refuse(t(TEXT.changed, { name: plan.runbook.name }), t(TEXT.changedText, { id }));
  const pin = runbookPin(plan.runbook);
  return requestPlatformAction(context, {
    plan: {
      kind: 'runbook-execute',
      runbookId: plan.runbook.id,
      runbookName: plan.runbook.name,
      ...pin,
      parameters: { ...plan.values },
      risk: riskCode(plan.runbook),
      requestedBy: identity.iamUserName,
      where: { platform: actor.platform, channelId: place.channelId, threadRef: place.threadId ?? null },
      executions: plan.executions,
    },
    // A runbook names no reviewers: the approvals row is pinned to its definition under a script-shaped id, as a create's is to its name.
    pin: { id: makeId(backend.name, 'script', `runbook:${id}`), name: plan.runbook.name, hash: pin.definitionHash, modifiedAt: plan.runbook.updatedAt ?? 0 },
    reviewers: [],
    nobodyText: APPROVERS_TEXT.noReviewersText,
    previewKey,
  });
}

export const runbookRunCommand = defineCommand({
  family: 'runbook',
  words: ['runbook', 'run'],
  discord: { group: 'runbook', name: 'run', localName: { 'en-US': 'run', 'zh-CN': '执行' }, description: { 'en-US': 'Preview and run a runbook', 'zh-CN': '预览并执行作业' } },
  needs: ['runbooks'],
  permission: 'operator',
  mutates: true,
  summary: {
    'en-US': 'Run a runbook with its parameters: checked against its definitions, previewed with its risk, then Run (MEDIUM asks again, HIGH needs approval)',
    'zh-CN': '以参数执行作业：按其定义校验，预览风险后再执行（中风险再次确认，高风险需审批）',
  },
  examples: ['runbook run DOC-restart-web-service --param service=nginx'],
  positionals: { id: runbookIdArg },
  flags: {
    param: arg.keyValue({ repeatable: true, valueMax: 4096, keyPattern: /^[A-Za-z0-9_.-]{1,128}$/, placeholder: { 'en-US': 'name=value', 'zh-CN': '名称=值' }, description: TEXT.paramDescription }),
  },
  async run(context, args): Promise<Message> {
    context.audit.target = `runbook ${args.id}`;
    return preview(context, await planFor(context, args.id, args.param));
  },
});

export const RUNBOOK_RUN_BUTTONS: readonly ActionDefinition[] = [
  { id: RUNBOOK_ACTIONS.run, family: 'runbook', permission: 'operator', mutates: true, run: runPlanned },
  { id: RUNBOOK_REQUEST_ACTION, family: 'runbook', permission: 'operator', mutates: true, run: requestPlanned },
  {
    id: RUNBOOK_ACTIONS.cancel,
    family: 'runbook',
    permission: 'operator',
    mutates: false,
    run: async (context, value) => ({ title: context.t(TEXT.cancelled, { name: shown(value, 64) }), text: context.t(TEXT.cancelledText), tone: 'info' }),
  },
];

export const RUNBOOK_COMMANDS = [runbooksCommand, runbookShowCommand, runbookRunCommand, runbookExecutionCommand] as const;
export const RUNBOOK_ACTION_DEFINITIONS: readonly ActionDefinition[] = [...RUNBOOK_RUN_BUTTONS, ...RUNBOOK_EXECUTION_ACTIONS];
