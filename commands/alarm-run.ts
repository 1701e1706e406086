/**
 * `alarms run <id>`: runs the script linked to an alarm (COC's auto-process) under the rules of
 * `run`. The script is read first and its risk decides, through the same risk policy
 * (approvals.riskPolicy, never weaker than LOW run / MEDIUM confirm / HIGH approval):
 *
 * - always a preview first (script, risk, parameters, region) with Run and Cancel buttons;
 * - MEDIUM: the Run button asks once more before anything is sent;
 * - HIGH (or a risk the platform does not name): a second authorised person must approve. The
 *   preview's Request approval files a four-eyes request, an approved platform action of kind
 *   alarm-run (src/approvals/platform-action/): the approval re-checks the alarm and its script
 *   or runbook and sends the auto-process once, as the requester.
 *
 * A runbook-linked alarm goes the same way: the preview shows the linked runbook (its version,
 * risk and the values its definitions give), its risk decides, and the write is the same
 * auto-process (task_type RUNBOOK).
 *
 * Run re-reads the alarm and its script or runbook on the click and refuses when any changed since
 * the preview (another one linked, the script edited, the runbook's definition changed). The write
 * is sent once; a lost answer is settled by the alarm's handling history (a new handling = it ran),
 * never by sending again.
 */
import { label, makeId, nativeOf, need, type Alarm, type AlarmAutomation, type Runbook, type Script, type ScriptId } from '../src/backends/index.js';
import { defineCommand } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import type { Button, Message, MessageField } from '../src/core/message.js';
import { refuse } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import type { Text } from '../src/i18n/translate.js';
import { stepFor, type RunStep } from '../src/run/risk-policy.js';
import { randomUUID } from 'node:crypto';
import { requestPlatformAction } from '../src/approvals/platform-action/request.js';
import { ALARM_RUN_APPROVAL_TEXT } from '../src/approvals/platform-action/alarm-run-texts.js';
import { APPROVERS_TEXT } from '../src/approvals/approvers.js';
import { checkParameters } from '../src/runbooks/parameters.js';
import { runbookPin, runbookRiskCode, type RunbookPin } from '../src/runbooks/pin.js';
import { isPublicScriptId } from '../src/run/script.js';
import { ALARM_ID, ALARM_TEXT, alarmIdArg, alarmsOf, readAlarm, unsettledReply } from './alarm-common.js';
import { sendClaimedWrite } from './write-claim.js';

export const ALARM_RUN_ACTIONS = { run: 'alarm:run', request: 'alarm:run-request', cancel: 'alarm:run-cancel' } as const;

const TEXT = {
  previewTitle: { 'en-US': 'Run {script} for alarm {id}?', 'zh-CN': '为告警 {id} 执行 {script}？' },
  previewText: {
    'en-US': 'The platform runs the {thing} linked to alarm "{name}" with these parameters. Nothing has been sent yet.',
    'zh-CN': '平台将以下列参数执行告警“{name}”关联的{thing}。尚未发送任何内容。',
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
  runbook: { 'en-US': 'Runbook', 'zh-CN': '作业' },
  version: { 'en-US': 'Version', 'zh-CN': '版本' },
  noRunbook: { 'en-US': 'The runbook linked to alarm {id} cannot be read', 'zh-CN': '无法读取告警 {id} 关联的作业' },
  noRunbookText: { 'en-US': 'Nothing was sent: without the runbook its risk is unknown. Check it with "runbook show {runbook}".', 'zh-CN': '未发送任何内容：读不到作业就无法判断风险。请用“runbook show {runbook}”检查。' },
  runbookValues: { 'en-US': 'The runbook linked to alarm {id} needs values the alarm does not give', 'zh-CN': '告警 {id} 关联的作业需要告警未提供的取值' },
  runbookValuesText: {
    'en-US': 'Nothing was sent.\n{problems}\nRun the runbook itself with "runbook run {runbook} --param name=value".',
    'zh-CN': '未发送任何内容。\n{problems}\n请用“runbook run {runbook} --param 名称=值”直接执行该作业。',
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
  cancelled: { 'en-US': 'Not run: what is linked to alarm {id}', 'zh-CN': '未执行：告警 {id} 关联的自动化' },
  cancelledText: { 'en-US': 'Nothing was sent.', 'zh-CN': '未发送任何内容。' },
} satisfies Record<string, Text>;

/** What the alarm runs: its linked script, or its linked runbook as previewed. */
type Linked = { readonly kind: 'script'; readonly script: Script } | { readonly kind: 'runbook'; readonly runbook: Runbook; readonly pin: RunbookPin };

/** What a preview promised, checked again on the click. */
interface RunPlan {
  readonly alarm: Alarm;
  readonly automation: AlarmAutomation;
  readonly linked: Linked;
  /** The script's or runbook's name. */
  readonly name: string;
  readonly risk: string;
  readonly step: RunStep;
  readonly parameters: Readonly<Record<string, string>>;
  /** How many handlings the alarm had when read; undefined when its history cannot be read. */
  readonly handlings: number | undefined;
}

/** The linked runbook, its risk and the values its definitions give (the alarm gives none). */
async function linkedRunbook(context: CommandContext, alarm: Alarm, automation: AlarmAutomation): Promise<{ linked: Linked; risk: string; parameters: Readonly<Record<string, string>> }> {
  const { t, backend } = context;
  const id = nativeOf(alarm.id);
  const runbook = await need(backend, 'runbooks').get(makeId(backend.name, 'template', automation.id)).catch(() => undefined);
  if (!runbook) refuse(t(TEXT.noRunbook, { id }), t(TEXT.noRunbookText, { runbook: automation.id }));
  const checked = checkParameters(runbook.parameters ?? [], []);
  if (!checked.ok) refuse(t(TEXT.runbookValues, { id }), t(TEXT.runbookValuesText, { runbook: automation.id, problems: checked.problems.map((problem) => `• ${t(problem.text, problem.values)}`).join('\n') }));
  return { linked: { kind: 'runbook', runbook, pin: runbookPin(runbook) }, risk: runbookRiskCode(runbook), parameters: checked.values };
}

/** The linked script, its risk and its non-sensitive defaults. */
async function linkedScript(context: CommandContext, alarm: Alarm, automation: AlarmAutomation): Promise<{ linked: Linked; risk: string; parameters: Readonly<Record<string, string>> }> {
  const { t, backend } = context;
  const scripts = backend.scripts;
  const script = scripts ? await scripts.get(makeId(backend.name, 'script', automation.id)).catch(() => undefined) : undefined;
  if (!script) refuse(t(TEXT.noScript, { id: nativeOf(alarm.id) }), t(TEXT.noScriptText, { script: automation.name }));
  // A script the platform gives no risk is treated as the highest, as `run` does.
  const risk = script.risk.code || 'HIGH';
  // The script's own defaults; a sensitive one is left to the platform's stored task, never sent from chat.
  const parameters = Object.fromEntries(script.params.filter((param) => !param.sensitive && param.defaultValue !== undefined).map((param) => [param.name, param.defaultValue!]));
  return { linked: { kind: 'script', script }, risk, parameters };
}

/** Reads the alarm and what it is linked to, refusing whatever cannot run from chat. */
async function planFor(context: CommandContext, typedId: string): Promise<RunPlan> {
  const { t, services } = context;
  const alarm = await readAlarm(context, typedId);
  const automation = alarm.automation;
  if (!automation) refuse(t(TEXT.noAutomation, { id: nativeOf(alarm.id) }), t(TEXT.noAutomationText));
  const { linked, risk, parameters } = automation.kind === 'runbook' ? await linkedRunbook(context, alarm, automation) : await linkedScript(context, alarm, automation);
  const step = stepFor(services.config.approvals.riskPolicy, risk);
  const history = alarmsOf(context).history;
  const handlings = history ? (await history(alarm.id, { limit: 1, offset: 0 }).catch(() => undefined))?.total : undefined;
  const name = linked.kind === 'script' ? linked.script.name : linked.runbook.name;
  return { alarm, automation, linked, name, risk, step, parameters, handlings };
}

/** What the preview was of: the script's content hash, or the runbook's definition hash. */
function versionOf(plan: RunPlan): string {
  return plan.linked.kind === 'script' ? plan.linked.script.pin.hash : plan.linked.pin.definitionHash;
}

/**
 * The button's value: the alarm, the script or runbook version the preview showed, and how many
 * handlings the alarm had then — a second click (here or on another replica) finds one more and sends nothing.
 */
function buttonValue(plan: RunPlan): string {
  return `${nativeOf(plan.alarm.id)}|${versionOf(plan)}|${plan.handlings ?? '-'}`;
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
  const linked = plan.linked;
  const fields: MessageField[] = [
    ...(linked.kind === 'script' ? [{ label: t(TEXT.script), value: linked.script.name }] : [{ label: t(TEXT.runbook), value: `${linked.runbook.name} (${nativeOf(linked.runbook.id)})` }]),
    ...(linked.kind === 'runbook' && linked.runbook.version ? [{ label: t(TEXT.version), value: linked.runbook.version }] : []),
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
          ? { confirm: { title: t(TEXT.confirmTitle, { script: plan.name }), text: t(TEXT.confirmText, { id }), confirmLabel: t(TEXT.run), denyLabel: t(TEXT.confirmNo) } }
          : {}),
      };
  return {
    title: t(TEXT.previewTitle, { script: plan.name, id }),
    text: t(TEXT.previewText, { name: shown(plan.alarm.title, 80), thing: t(linked.kind === 'runbook' ? ALARM_RUN_APPROVAL_TEXT.thingRunbook : ALARM_RUN_APPROVAL_TEXT.thingScript) }),
    tone: plan.step === 'run' ? 'info' : 'warning',
    fields,
    buttons: [run, { actionId: ALARM_RUN_ACTIONS.cancel, label: t(TEXT.cancel), value: buttonValue(plan), settles: true }],
    awaitsAnswer: true,
    footer: approval ? t(ALARM_RUN_APPROVAL_TEXT.stepApproval, { risk: riskWord }) : t(plan.step === 'confirm' ? TEXT.stepConfirm : TEXT.stepRun),
  };
}

/** The plan as the click finds it now, refused when it is not what the preview showed. */
async function replanned(context: CommandContext, value: string): Promise<{ plan: RunPlan; previewKey: string | undefined }> {
  const { t } = context;
  const { id: typedId, hash, handlings, previewKey } = parseButtonValue(context, value);
  context.audit.target = `alarm ${typedId}`;
  const plan = await planFor(context, typedId);
  const id = nativeOf(plan.alarm.id);
  if (versionOf(plan) !== hash) refuse(t(TEXT.changed, { id }), t(TEXT.changedText, { id }));
  if (handlings !== undefined && plan.handlings !== undefined && plan.handlings !== handlings) refuse(t(TEXT.ranSince, { id }), t(TEXT.ranSinceText, { id }));
  return { plan, previewKey };
}

async function runPlanned(context: CommandContext, value: string): Promise<Message> {
  const { t, identity } = context;
  const { plan } = await replanned(context, value);
  const id = nativeOf(plan.alarm.id);
  // Never without the second person, whatever button value arrives.
  if (plan.step === 'approval') refuse(t(TEXT.needsApproval, { script: plan.name, risk: label(context.backend.vocabulary, 'riskLevel', plan.risk, context.locale) }), t(TEXT.needsApprovalText, { id }));
  const alarms = alarmsOf(context);
  const runLinked = alarms.runLinked;
  const history = alarms.history;
  if (!runLinked) throw new Error('alarms run: the backend declares alarms.run-linked without runLinked');
  context.audit.maskedParameters = { [plan.linked.kind]: plan.name, risk: plan.risk, ...Object.fromEntries(Object.keys(plan.parameters).map((name) => [`param.${name}`, '(default)'])) };
  // The handlings before sending (read just now): a lost answer is settled by a new one appearing.
  const before = plan.handlings !== undefined ? { total: plan.handlings } : undefined;
  // One run per count of handlings the click read, whichever clicks arrive at once.
  const result = await sendClaimedWrite(
    context,
    { key: `alarm-run:${plan.alarm.id}|${plan.handlings ?? '-'}`, what: t(TEXT.runWhat, { script: plan.name, id }) },
    () => runLinked({ alarm: plan.alarm.id, automation: plan.automation, parameters: plan.parameters, ...(plan.alarm.region ? { region: plan.alarm.region } : {}) }),
    async () => {
      if (!history || !before) return undefined;
      const after = await history(plan.alarm.id, { limit: 1, offset: 0 });
      if (after.total > before.total) return { done: after.handlings[0]?.workOrder ? { workOrder: after.handlings[0].workOrder } : {} };
      return 'unchanged';
    },
  );
  if (result.outcome !== 'done') return unsettledReply(context, result, t(TEXT.runWhat, { script: plan.name, id }), `alarms history ${id}`);
  return {
    title: t(TEXT.started, { script: plan.name, id }),
    ...(result.confirmedAfter ? { text: t(ALARM_TEXT.confirmed, { platform: t(context.backend.displayName), answer: result.confirmedAfter }) } : {}),
    tone: 'success',
    fields: [
      ...(result.value.workOrder ? [{ label: t(TEXT.workOrder), value: result.value.workOrder }] : []),
      { label: t(plan.linked.kind === 'runbook' ? TEXT.runbook : TEXT.script), value: plan.name },
      { label: t(TEXT.by), value: identity.iamUserName },
    ],
    footer: t(TEXT.historyHint, { id }),
  };
}

/** Request approval: the preview read again, unchanged, filed for a second authorised person. */
async function requestPlanned(context: CommandContext, value: string): Promise<Message> {
  const { t, backend } = context;
  const { plan, previewKey } = await replanned(context, value);
  const id = nativeOf(plan.alarm.id);
  if (!previewKey) refuse(t(ALARM_TEXT.badButton), t(ALARM_TEXT.badButtonText));
  if (plan.step !== 'approval') refuse(t(TEXT.changed, { id }), t(TEXT.changedText, { id }));
  const linked = plan.linked;
  const common = {
    kind: 'alarm-run' as const,
    alarmId: plan.alarm.id,
    alarmTitle: plan.alarm.title,
    region: plan.alarm.region ?? null,
    automation: { ...plan.automation },
    parameters: { ...plan.parameters },
    risk: plan.risk,
    handlings: plan.handlings ?? null,
  };
  if (linked.kind === 'script') {
    const script = linked.script;
    const nobodyText = script.reviewers.length > 0 ? APPROVERS_TEXT.onlyRequesterText : isPublicScriptId(script.id) ? APPROVERS_TEXT.publicNoReviewersText : APPROVERS_TEXT.noReviewersText;
    return requestPlatformAction(context, { plan: common, pin: { id: script.id, name: script.name, ...script.pin }, reviewers: script.reviewers, nobodyText, previewKey });
  }
  return requestPlatformAction(context, {
    plan: { ...common, runbook: { ...linked.pin } },
    // A runbook names no reviewers: the approvals row is pinned to its definition under a script-shaped id, as a create's is to its name.
    pin: { id: makeId(backend.name, 'script', `runbook:${nativeOf(linked.runbook.id)}`) as ScriptId, name: linked.runbook.name, hash: linked.pin.definitionHash, modifiedAt: linked.runbook.updatedAt ?? 0 },
    reviewers: [],
    nobodyText: APPROVERS_TEXT.noReviewersText,
    previewKey,
  });
}

export const alarmRunCommand = defineCommand({
  family: 'alarm',
  words: ['alarms', 'run'],
  discord: {
    group: 'alarms',
    name: 'run',
    localName: { 'en-US': 'run', 'zh-CN': '执行' },
    description: { 'en-US': 'Run an alarm’s linked script or runbook (rules of run)', 'zh-CN': '执行告警关联的脚本或作业（规则同 run）' },
  },
  needs: ['alarms.run-linked', 'scripts'],
  permission: 'operator',
  mutates: false,
  summary: {
    'en-US': 'Preview, then run, the script or runbook linked to an alarm: its risk decides as for run (MEDIUM asks again, HIGH needs approval)',
    'zh-CN': '预览并执行告警关联的脚本或作业：按风险处理，同 run（中风险再次确认，高风险需审批）',
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
