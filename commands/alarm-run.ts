/**
 * `alarms run <id>`: runs the script linked to an alarm (COC's auto-process) under the rules of
 * `run`. The script is read first and its risk decides, through the same risk policy
 * (approvals.riskPolicy, never weaker than LOW run / MEDIUM confirm / HIGH approval):
 *
 * - always a preview first (script, risk, parameters, region) with Run and Cancel buttons;
 * - MEDIUM: the Run button asks once more before anything is sent;
 * - HIGH (or a risk the platform does not name): a second authorised person must approve. The
 *   preview's Request approval files a four-eyes request (src/approvals/alarm-run-request.ts);
 *   the approval re-checks the alarm and its script and sends the auto-process once
 *   (src/approvals/alarm-run-decide.ts), as the requester.
 *
 * Run re-reads the alarm and the script on the click and refuses when either changed since the
 * preview (another script linked, the script edited). The write is sent once; a lost answer is
 * settled by the alarm's handling history (a new handling = it ran), never by sending again.
 * Runbook-linked alarms are refused with a clear word, naming `runbook run` for the runbook itself:
 * the alarm's own auto-process of a runbook is not offered from chat yet.
 */
import { label, makeId, nativeOf, type Alarm, type AlarmAutomation, type Script } from '../src/backends/index.js';
import { defineCommand } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import type { Button, Message, MessageField } from '../src/core/message.js';
import { refuse } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import type { Text } from '../src/i18n/translate.js';
import { stepFor, type RunStep } from '../src/run/risk-policy.js';
import { randomUUID } from 'node:crypto';
import { requestAlarmRun } from '../src/approvals/alarm-run-request.js';
import { ALARM_RUN_APPROVAL_TEXT } from '../src/approvals/alarm-run-texts.js';
import { ALARM_ID, ALARM_TEXT, alarmIdArg, alarmsOf, readAlarm, sendAlarmWrite, unsettledReply } from './alarm-common.js';

export const ALARM_RUN_ACTIONS = { run: 'alarm:run', request: 'alarm:run-request', cancel: 'alarm:run-cancel' } as const;

const TEXT = {
  previewTitle: { 'en-US': 'Run {script} for alarm {id}?', 'zh-CN': '为告警 {id} 执行 {script}？' },
  previewText: {
    'en-US': 'The platform runs the script linked to alarm "{name}" with these parameters. Nothing has been sent yet.',
    'zh-CN': '平台将以下列参数执行告警“{name}”关联的脚本。尚未发送任何内容。',
  },
  script: { 'en-US': 'Script', 'zh-CN': '脚本' },
  risk: { 'en-US': 'Risk', 'zh-CN': '风险' },
  region: { 'en-US': 'Region', 'zh-CN': '区域' },
  parameters: { 'en-US': 'Parameters', 'zh-CN': '参数' },
  noParameters: { 'en-US': 'none', 'zh-CN': '无' },
  stepRun: { 'en-US': 'Runs when you press Run.', 'zh-CN': '按“执行”后开始执行。' },
  stepConfirm: { 'en-US': 'MEDIUM risk: Run asks once more before anything is sent.', 'zh-CN': '中风险：按“执行”后会再确认一次才发送。' },
  run: { 'en-US': 'Run', 'zh-CN': '执行' },
  cancel: { 'en-US': 'Cancel', 'zh-CN': '取消' },
  confirmTitle: { 'en-US': 'Run {script} now?', 'zh-CN': '现在执行 {script}？' },
  confirmText: { 'en-US': 'It runs on the alarm’s targets at once, for alarm {id}.', 'zh-CN': '将立即针对告警 {id} 的目标执行。' },
  confirmNo: { 'en-US': 'Not now', 'zh-CN': '暂不' },
  noAutomation: { 'en-US': 'Alarm {id} has no linked script', 'zh-CN': '告警 {id} 没有关联脚本' },
  noAutomationText: { 'en-US': 'Nothing was sent. Link a script to the alarm’s rule in the alarm centre, or run one yourself with "run".', 'zh-CN': '未发送任何内容。请在告警中心为告警规则关联脚本，或用“run”自行执行脚本。' },
  runbook: { 'en-US': 'Alarm {id} is linked to a runbook ({name})', 'zh-CN': '告警 {id} 关联的是作业（{name}）' },
  runbookText: {
    'en-US': 'An alarm\u2019s runbook is not run from here yet, so nothing was sent. Run the runbook itself with "runbook run {runbook}" (its preview, risk and checks apply), or from the alarm in the COC console.',
    'zh-CN': '暂不支持从此处执行告警关联的作业，因此未发送任何内容。请用“runbook run {runbook}”直接执行该作业（会先预览并按风险检查），或在 COC 控制台中从该告警执行。',
  },
  noScript: { 'en-US': 'The script linked to alarm {id} cannot be read', 'zh-CN': '无法读取告警 {id} 关联的脚本' },
  noScriptText: { 'en-US': 'Nothing was sent: without the script its risk is unknown. Check it with "scripts show {script}".', 'zh-CN': '未发送任何内容：读不到脚本就无法判断风险。请用“scripts show {script}”检查。' },
  ranSince: { 'en-US': 'Alarm {id} was handled since this preview', 'zh-CN': '告警 {id} 在此预览之后已被处理' },
  ranSinceText: { 'en-US': 'Nothing was sent: its script ran (or was run) since. "alarms history {id}" shows it; "alarms run {id}" previews again.', 'zh-CN': '未发送任何内容：其脚本在此之后已执行。“alarms history {id}”可查看；“alarms run {id}”可重新预览。' },
  changed: { 'en-US': 'Alarm {id} or its script changed since the preview', 'zh-CN': '告警 {id} 或其脚本自预览后已变化' },
  changedText: { 'en-US': 'Nothing was sent. Run "alarms run {id}" again for a fresh preview.', 'zh-CN': '未发送任何内容。请重新运行“alarms run {id}”获取新的预览。' },
  started: { 'en-US': '{script} started for alarm {id}', 'zh-CN': '已为告警 {id} 启动 {script}' },
  workOrder: { 'en-US': 'Work order', 'zh-CN': '工单' },
  by: { 'en-US': 'By', 'zh-CN': '执行人' },
  runWhat: { 'en-US': 'run {script} for alarm {id}', 'zh-CN': '为告警 {id} 执行 {script}' },
  historyHint: { 'en-US': 'Its result: alarms history {id}', 'zh-CN': '查看结果：alarms history {id}' },
  needsApproval: { 'en-US': '{script} is {risk} risk: a second authorised person must approve it', 'zh-CN': '{script} 为{risk}风险：需要另一位有权限的人批准' },
  needsApprovalText: { 'en-US': 'Nothing was sent. Run "alarms run {id}" and press Request approval.', 'zh-CN': '未发送任何内容。请运行“alarms run {id}”并按“申请审批”。' },
  cancelled: { 'en-US': 'Not run: the script linked to alarm {id}', 'zh-CN': '未执行：告警 {id} 关联的脚本' },
  cancelledText: { 'en-US': 'Nothing was sent.', 'zh-CN': '未发送任何内容。' },
} satisfies Record<string, Text>;

/** What a preview promised, checked again on the click. */
interface RunPlan {
  readonly alarm: Alarm;
  readonly automation: AlarmAutomation;
  readonly script: Script;
  readonly risk: string;
  readonly step: RunStep;
  readonly parameters: Readonly<Record<string, string>>;
  /** How many handlings the alarm had when read; undefined when its history cannot be read. */
  readonly handlings: number | undefined;
}

/** Reads the alarm and its linked script, refusing whatever cannot run from chat. */
async function planFor(context: CommandContext, typedId: string): Promise<RunPlan> {
  const { t, backend, services } = context;
  const alarm = await readAlarm(context, typedId);
  const id = nativeOf(alarm.id);
  const automation = alarm.automation;
  if (!automation) refuse(t(TEXT.noAutomation, { id }), t(TEXT.noAutomationText));
  if (automation.kind === 'runbook') refuse(t(TEXT.runbook, { id, name: shown(automation.name, 80) }), t(TEXT.runbookText, { runbook: automation.id }));
  const scripts = backend.scripts;
  const script = scripts ? await scripts.get(makeId(backend.name, 'script', automation.id)).catch(() => undefined) : undefined;
  if (!script) refuse(t(TEXT.noScript, { id }), t(TEXT.noScriptText, { script: automation.name }));
  // A script the platform gives no risk is treated as the highest, as `run` does.
  const risk = script.risk.code || 'HIGH';
  const step = stepFor(services.config.approvals.riskPolicy, risk);
  // The script's own defaults; a sensitive one is left to the platform's stored task, never sent from chat.
  const parameters = Object.fromEntries(script.params.filter((param) => !param.sensitive && param.defaultValue !== undefined).map((param) => [param.name, param.defaultValue!]));
  const history = alarmsOf(context).history;
  const handlings = history ? (await history(alarm.id, { limit: 1, offset: 0 }).catch(() => undefined))?.total : undefined;
  return { alarm, automation, script, risk, step, parameters, handlings };
}

/**
 * The button's value: the alarm, the script version the preview showed, and how many handlings
 * the alarm had then — a second click (here or on another replica) finds one more and sends nothing.
 */
function buttonValue(plan: RunPlan): string {
  return `${nativeOf(plan.alarm.id)}|${plan.script.pin.hash}|${plan.handlings ?? '-'}`;
}

function parseButtonValue(context: CommandContext, value: string): { readonly id: string; readonly hash: string; readonly handlings: number | undefined; readonly previewKey?: string } {
  // The Request approval button carries one more part, the preview's own key.
  const [id, hash, handlings, ...rest] = value.split('|');
  if (!id || !hash || !handlings || rest.length > 1 || (rest[0] !== undefined && !/^[0-9a-f]{1,32}$/.test(rest[0])) || !ALARM_ID.test(id) || !/^(\d{1,9}|-)$/.test(handlings)) refuse(context.t(ALARM_TEXT.badButton), context.t(ALARM_TEXT.badButtonText));
  return { id, hash, handlings: handlings === '-' ? undefined : Number(handlings), ...(rest[0] ? { previewKey: `${id}|${hash}|${handlings}|${rest[0]}` } : {}) };
}

function preview(context: CommandContext, plan: RunPlan): Message {
  const { t, backend, locale } = context;
  const id = nativeOf(plan.alarm.id);
  const params = Object.entries(plan.parameters);
  const fields: MessageField[] = [
    { label: t(TEXT.script), value: plan.script.name },
    { label: t(TEXT.risk), value: label(backend.vocabulary, 'riskLevel', plan.risk, locale) },
    ...(plan.alarm.region ? [{ label: t(TEXT.region), value: plan.alarm.region }] : []),
    { label: t(TEXT.parameters), value: params.length ? params.map(([name, value]) => `${name}=${shown(value, 60)}`).join('\n') : t(TEXT.noParameters) },
  ];
  const approval = plan.step === 'approval';
  const riskWord = label(backend.vocabulary, 'riskLevel', plan.risk, locale);
  const run: Button = approval
    ? { actionId: ALARM_RUN_ACTIONS.request, label: t(ALARM_RUN_APPROVAL_TEXT.requestButton), value: `${buttonValue(plan)}|${randomUUID().replaceAll('-', '').slice(0, 16)}`, style: 'primary', settles: true }
    : {
    actionId: ALARM_RUN_ACTIONS.run,
    label: t(TEXT.run),
    value: buttonValue(plan),
    style: plan.step === 'confirm' ? 'danger' : 'primary',
    settles: true,
    ...(plan.step === 'confirm'
      ? { confirm: { title: t(TEXT.confirmTitle, { script: plan.script.name }), text: t(TEXT.confirmText, { id }), confirmLabel: t(TEXT.run), denyLabel: t(TEXT.confirmNo) } }
      : {}),
  };
  return {
    title: t(TEXT.previewTitle, { script: plan.script.name, id }),
    text: t(TEXT.previewText, { name: shown(plan.alarm.title, 80) }),
    tone: plan.step === 'run' ? 'info' : 'warning',
    fields,
    buttons: [run, { actionId: ALARM_RUN_ACTIONS.cancel, label: t(TEXT.cancel), value: buttonValue(plan), settles: true }],
    awaitsAnswer: true,
    footer: approval ? t(ALARM_RUN_APPROVAL_TEXT.stepApproval, { risk: riskWord }) : t(plan.step === 'confirm' ? TEXT.stepConfirm : TEXT.stepRun),
  };
}

async function runPlanned(context: CommandContext, value: string): Promise<Message> {
  const { t, identity } = context;
  const { id: typedId, hash, handlings } = parseButtonValue(context, value);
  context.audit.target = `alarm ${typedId}`;
  const plan = await planFor(context, typedId);
  const id = nativeOf(plan.alarm.id);
  if (plan.script.pin.hash !== hash) refuse(t(TEXT.changed, { id }), t(TEXT.changedText, { id }));
  if (handlings !== undefined && plan.handlings !== undefined && plan.handlings !== handlings) refuse(t(TEXT.ranSince, { id }), t(TEXT.ranSinceText, { id }));
  // Never without the second person, whatever button value arrives.
  if (plan.step === 'approval') refuse(t(TEXT.needsApproval, { script: plan.script.name, risk: label(context.backend.vocabulary, 'riskLevel', plan.risk, context.locale) }), t(TEXT.needsApprovalText, { id }));
  const alarms = alarmsOf(context);
  const runLinked = alarms.runLinked;
  const history = alarms.history;
  if (!runLinked) throw new Error('alarms run: the backend declares alarms.run-linked without runLinked');
  context.audit.maskedParameters = { script: plan.script.name, risk: plan.risk, ...Object.fromEntries(Object.keys(plan.parameters).map((name) => [`param.${name}`, '(default)'])) };
  // The handlings before sending (read just now): a lost answer is settled by a new one appearing.
  const before = plan.handlings !== undefined ? { total: plan.handlings } : undefined;
  const result = await sendAlarmWrite(
    context,
    () => runLinked({ alarm: plan.alarm.id, automation: plan.automation, parameters: plan.parameters, ...(plan.alarm.region ? { region: plan.alarm.region } : {}) }),
    async () => {
      if (!history || !before) return undefined;
      const after = await history(plan.alarm.id, { limit: 1, offset: 0 });
      if (after.total > before.total) return { done: after.handlings[0]?.workOrder ? { workOrder: after.handlings[0].workOrder } : {} };
      return 'unchanged';
    },
  );
  if (result.outcome !== 'done') return unsettledReply(context, result, t(TEXT.runWhat, { script: plan.script.name, id }), `alarms history ${id}`);
  return {
    title: t(TEXT.started, { script: plan.script.name, id }),
    ...(result.confirmedAfter ? { text: t(ALARM_TEXT.confirmed, { platform: t(context.backend.displayName), answer: result.confirmedAfter }) } : {}),
    tone: 'success',
    fields: [
      ...(result.value.workOrder ? [{ label: t(TEXT.workOrder), value: result.value.workOrder }] : []),
      { label: t(TEXT.script), value: plan.script.name },
      { label: t(TEXT.by), value: identity.iamUserName },
    ],
    footer: t(TEXT.historyHint, { id }),
  };
}

/** Request approval: the preview read again, unchanged, filed for a second authorised person. */
async function requestPlanned(context: CommandContext, value: string): Promise<Message> {
  const { t } = context;
  const { id: typedId, hash, handlings, previewKey } = parseButtonValue(context, value);
  if (!previewKey) refuse(t(ALARM_TEXT.badButton), t(ALARM_TEXT.badButtonText));
  context.audit.target = `alarm ${typedId}`;
  const plan = await planFor(context, typedId);
  const id = nativeOf(plan.alarm.id);
  if (plan.script.pin.hash !== hash || plan.step !== 'approval') refuse(t(TEXT.changed, { id }), t(TEXT.changedText, { id }));
  if (handlings !== undefined && plan.handlings !== undefined && plan.handlings !== handlings) refuse(t(TEXT.ranSince, { id }), t(TEXT.ranSinceText, { id }));
  return requestAlarmRun(context, { alarm: plan.alarm, automation: plan.automation, script: plan.script, risk: plan.risk, parameters: plan.parameters, handlings: plan.handlings, previewKey });
}

export const alarmRunCommand = defineCommand({
  family: 'alarm',
  words: ['alarms', 'run'],
  discord: {
    group: 'alarms',
    name: 'run',
    localName: { 'en-US': 'run', 'zh-CN': '执行' },
    description: { 'en-US': 'Run an alarm’s linked script (rules of run)', 'zh-CN': '执行告警关联的脚本（规则同 run）' },
  },
  needs: ['alarms.run-linked', 'scripts'],
  permission: 'operator',
  mutates: false,
  summary: {
    'en-US': 'Preview, then run, the script linked to an alarm: its risk decides as for run (MEDIUM asks again, HIGH needs approval)',
    'zh-CN': '预览并执行告警关联的脚本：按风险处理，同 run（中风险再次确认，高风险需审批）',
  },
  examples: ['alarms run 3d51defbbab1f1de539e2609'],
  positionals: { id: alarmIdArg },
  flags: {},
  async run(context, args): Promise<Message> {
    context.audit.target = `alarm ${args.id}`;
    return preview(context, await planFor(context, args.id));
  },
});

export const ALARM_RUN_BUTTONS: readonly ActionDefinition[] = [
  { id: ALARM_RUN_ACTIONS.run, family: 'alarm', permission: 'operator', mutates: true, run: runPlanned },
  { id: ALARM_RUN_ACTIONS.request, family: 'alarm', permission: 'operator', mutates: true, run: requestPlanned },
  {
    id: ALARM_RUN_ACTIONS.cancel,
    family: 'alarm',
    permission: 'operator',
    mutates: false,
    run: async (context, value) => {
      const { id } = parseButtonValue(context, value);
      context.audit.target = `alarm ${id}`;
      return { title: context.t(TEXT.cancelled, { id }), text: context.t(TEXT.cancelledText), tone: 'info' };
    },
  },
];
