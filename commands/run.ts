/**
 * `run`: a script on chosen hosts, in batches. Nothing runs from the command itself: it
 * resolves the script and the hosts in COC, checks the parameters against the script's own
 * definitions and COC's limits, stores the plan, and answers with a preview (Run / Cancel).
 * By default LOW runs on Run, MEDIUM asks once more, HIGH becomes an approval request
 * (commands/approvals.ts); `approvals.riskPolicy` can make any level stricter, never weaker.
 *
 * Every plan runs at most once: each click moves the stored plan forward with a conditional
 * update, and only the click that wins calls COC.
 */
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import { defineCommand, limitsOf, usageLine } from '../src/core/arguments/index.js';
import type { Message } from '../src/core/message.js';
import { targetOf } from '../src/core/chat-surface.js';
import type { Text } from '../src/i18n/translate.js';
import { utcTime } from '../src/i18n/format.js';
import { say } from '../src/i18n/phrase.js';
import { nativeOf } from '../src/backends/index.js';
import { requestApproval } from '../src/approvals/approvals.js';
import { launchPlan } from '../src/run/lifecycle.js';
import { planStep, riskWord, RUN_ACTIONS } from '../src/run/messages.js';
import { previewRun } from '../src/run/preview.js';
import { stepFor, stricterStep, type RunStep } from '../src/run/risk-policy.js';
import { PlanProblem } from '../src/run/plan.js';
import { hostCount, planDetails, type PlanDetails } from '../src/run/plan-details.js';
import { cardNeverPosted } from '../src/orders/tracker-undelivered.js';
import { planTarget } from '../src/run/start.js';
import { getRunPlan, moveRunPlan, type RunPlanRow } from '../src/store/run-plans.js';
import { UUID_PATTERN } from '../src/core/ids.js';
import { refuse } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import { requestOf, RUN_FLAGS, RUN_ONE_OF, RUN_POSITIONALS, selectorOf } from './run-arguments.js';
import { runFormReply } from './run-form.js';
import { resolveRunnableScript, scriptById } from '../src/run/script.js';

const TEXT = {
  cannotPlan: { 'en-US': 'This run cannot be planned', 'zh-CN': '无法生成执行计划' },
  needScript: { 'en-US': 'Which script? Usage: {usage}. See the scripts with "scripts" or "public scripts".', 'zh-CN': '要执行哪个脚本？用法：{usage}。用 "scripts" 或 "public scripts" 查看脚本。' },
  notFound: { 'en-US': 'No such plan', 'zh-CN': '没有这个执行计划' },
  notFoundText: { 'en-US': 'Plan {id} does not exist. Preview the run again with "run".', 'zh-CN': '计划 {id} 不存在。请用 "run" 重新预览。' },
  notYours: { 'en-US': 'Only {requester} can run or cancel this plan', 'zh-CN': '只有 {requester} 可以执行或取消此计划' },
  notYoursText: { 'en-US': 'Preview your own run with "run".', 'zh-CN': '请用 "run" 预览您自己的执行。' },
  expired: { 'en-US': 'This preview has expired', 'zh-CN': '此预览已过期' },
  expiredText: { 'en-US': 'It expired at {time}; nothing ran. Preview the run again.', 'zh-CN': '已于 {time} 过期，未执行任何操作。请重新预览。' },
  stateDone: { 'en-US': 'This plan was already used', 'zh-CN': '此计划已被使用' },
  state_requested: { 'en-US': 'It is waiting for approval.', 'zh-CN': '正在等待审批。' },
  state_starting: { 'en-US': 'It is starting now.', 'zh-CN': '正在启动。' },
  state_started: { 'en-US': 'It started as order {uuid}.', 'zh-CN': '已作为工单 {uuid} 启动。' },
  state_failed: { 'en-US': 'It did not start: {error}', 'zh-CN': '未能启动：{error}' },
  state_canceled: { 'en-US': 'It was canceled.', 'zh-CN': '已取消。' },
  state_expired: { 'en-US': 'It expired.', 'zh-CN': '已过期。' },
  changed: { 'en-US': 'The script changed since the preview', 'zh-CN': '预览后脚本已被修改' },
  changedText: { 'en-US': '{script} was modified in {platform} after the preview; nothing ran. Preview it again to see what would run now.', 'zh-CN': '预览后 {script} 在 {platform} 中被修改，未执行任何操作。请重新预览以查看现在将执行的内容。' },
  confirmAgain: { 'en-US': '{risk} risk: confirm once more', 'zh-CN': '{risk}风险：请再确认一次' },
  confirmAgainText: { 'en-US': 'Press "Run it" to start {script} on {hosts:host|hosts} now.', 'zh-CN': '点击“执行”将立即在 {hosts} 台主机上启动 {script}。' },
  runIt: { 'en-US': 'Run it', 'zh-CN': '执行' },
  notAsked: { 'en-US': 'Not confirmed yet', 'zh-CN': '尚未确认' },
  notAskedText: { 'en-US': 'Nothing ran. Press Run on the preview first; it asks you once more.', 'zh-CN': '未执行任何操作。请先点击预览中的“执行”，系统会再确认一次。' },
  cancel: { 'en-US': 'Cancel', 'zh-CN': '取消' },
  started: { 'en-US': 'Started: order {uuid}', 'zh-CN': '已启动：工单 {uuid}' },
  startedFoundLate: { 'en-US': 'Started: order {uuid} (found in {platform} after its answer was lost)', 'zh-CN': '已启动：工单 {uuid}（应答丢失后在 {platform} 中找到）' },
  startedText: { 'en-US': '{script} runs on {hosts:host|hosts} in {batches:batch|batches}; its live card follows here.', 'zh-CN': '{script} 正在 {hosts} 台主机上分 {batches} 批执行；实时卡片将显示在此处。' },
  startedNoCard: {
    'en-US': '{script} runs on {hosts:host|hosts} in {batches:batch|batches}, but its live card could not be posted here (you were sent why); "order {uuid}" shows how it is doing.',
    'zh-CN': '{script} 正在 {hosts} 台主机上分 {batches} 批执行，但实时卡片无法发布在此处（原因已私下发送给您）；用 "order {uuid}" 查看其进展。',
  },
  notStarted: { 'en-US': 'The run did not start', 'zh-CN': '执行未能启动' },
  unknown: { 'en-US': 'Whether the run started is not known yet', 'zh-CN': '执行是否已启动尚不可知' },
  canceled: { 'en-US': 'Canceled; nothing ran', 'zh-CN': '已取消，未执行任何操作' },
} satisfies Record<string, Text>;

function fail(context: CommandContext, text: string): never {
  refuse(context.t(TEXT.cannotPlan), text);
}

export const runCommand = defineCommand({
  family: 'run',
  words: ['run'],
  discord: {
    name: 'run',
    description: { 'en-US': 'Run a script on hosts in batches; preview first, HIGH risk needs approval', 'zh-CN': '在主机上分批运行脚本：先预览，高风险需他人审批' },
  },
  answersPrivately: true,
  permission: 'operator',
  mutates: true,
  bareOpensForm: true,
  mayOpenForm: (args) => args.positionals.length === 0 && args.flags.size === 0,
  summary: {
    'en-US': 'Run a script on chosen hosts in batches: preview first; HIGH risk needs a second person',
    'zh-CN': '在选定的主机上分批执行脚本：先预览；高风险需要他人审批',
  },
  examples: [
    'run disk_usage --tag role=web --batch-size 5',
    'run rotate_db_password --hosts db-01,db-02 --param db_user=app --param new_password=N3w_s3cret --canary',
    'run flush_redis_cache --query cache --rotation pause --param redis_password=R3dis_s3cret',
    'run',
  ],
  examplesOn: {
    // web-01 is a name two BlueKing hosts share (one in staging): the examples name hosts that are one.
    blueking: ['run check_disk --set web --batch-size 5', 'run restart_nginx --hosts web-02,web-03 --canary', 'run clear_tmp --set app --rotation pause', 'run'],
  },
  positionals: RUN_POSITIONALS,
  flags: RUN_FLAGS,
  oneOf: RUN_ONE_OF,
  async run(context, args, raw) {
    // Nothing after `run`: the form, with the script and hosts searched as you type.
    if (raw.positionals.length === 0 && raw.flags.size === 0) return runFormReply(context);
    // The words alone open the form, so the parser lets a missing script through: said here.
    const script: string | undefined = args.script;
    if (script === undefined) fail(context, context.t(TEXT.needScript, { usage: usageLine(runCommand, context.locale, limitsOf(context.backend)) }));
    const request = requestOf(script, selectorOf(context.t, args), args);
    try {
      return await previewRun(context, request, await resolveRunnableScript(context, request.script));
    } catch (error) {
      if (error instanceof PlanProblem) fail(context, error.in(context.t));
      throw error;
    }
  },
});

// ---- the preview's buttons ---------------------------------------------------------------

function stateText(context: CommandContext, plan: RunPlanRow): string {
  const key = `state_${plan.state}` as const;
  const text = key in TEXT ? TEXT[key as keyof typeof TEXT] : TEXT.state_starting;
  return context.t(text, { uuid: plan.runId ? nativeOf(plan.runId) : '?', error: plan.error ?? '?' });
}

/** The plan, if it exists and belongs to whoever clicked; else the refusal. */
async function ownPlan(context: CommandContext, value: string): Promise<RunPlanRow> {
  const { t, actor } = context;
  if (!UUID_PATTERN.test(value)) refuse(t(TEXT.notFound), t(TEXT.notFoundText, { id: shown(value) }));
  const plan = await getRunPlan(context.services.db, value);
  if (!plan) refuse(t(TEXT.notFound), t(TEXT.notFoundText, { id: value }));
  context.audit.target = plan.scriptName;
  context.audit.maskedParameters = { ...context.audit.maskedParameters, plan: plan.id };
  if (plan.platform !== actor.platform || plan.workspaceId !== actor.workspaceId || plan.requesterChatUserId !== actor.userId) {
    refuse(t(TEXT.notYours, { requester: plan.requesterIamUser }), t(TEXT.notYoursText));
  }
  return plan;
}

/** Another click moved the plan first: what it is now, as stored (or as read, if it is gone). */
async function alreadyUsed(context: CommandContext, plan: RunPlanRow): Promise<never> {
  refuse(context.t(TEXT.stateDone), stateText(context, (await getRunPlan(context.services.db, plan.id)) ?? plan));
}

/** A plan that may still be acted on (in time, script unchanged), and what Run leads to for it now. */
async function checkedPlan(context: CommandContext, value: string): Promise<{ plan: RunPlanRow; details: PlanDetails; step: RunStep }> {
  const { t, services } = context;
  const plan = await ownPlan(context, value);
  const expiredText = () => t(TEXT.expiredText, { time: utcTime(plan.expiresAt.getTime()) });
  // A preview closed by the expiry sweep says so, not "already used".
  if (plan.state === 'expired' && !plan.approvalId) refuse(t(TEXT.expired), expiredText());
  if (plan.state !== 'previewed' && plan.state !== 'confirming') refuse(t(TEXT.stateDone), stateText(context, plan));
  if (services.now().getTime() >= plan.expiresAt.getTime()) {
    await moveRunPlan(services.db, plan.id, ['previewed', 'confirming'], 'expired');
    refuse(t(TEXT.expired), expiredText());
  }
  // What runs must be what was previewed (read from the API of its own kind, custom or public).
  const script = await scriptById(context.backend, plan.scriptId);
  if (!script || script.pin.hash !== plan.scriptContentHash || script.pin.modifiedAt !== plan.scriptModifiedAt) {
    await moveRunPlan(services.db, plan.id, ['previewed', 'confirming'], 'canceled', { error: 'script changed after the preview' });
    refuse(t(TEXT.changed), t(TEXT.changedText, { script: plan.scriptName }));
  }
  const details = planDetails(plan);
  // What the preview promised, or what the policy says now if that is stricter.
  const step = stricterStep(planStep(plan, details), stepFor(services.config.approvals.riskPolicy, plan.riskLevel));
  return { plan, details, step };
}

/** The "confirm once more" question; its Run is the confirm action, never the preview's. */
function confirmation(context: CommandContext, plan: RunPlanRow, details: PlanDetails): Message {
  const { t } = context;
  return {
    title: t(TEXT.confirmAgain, { risk: riskWord(plan.riskLevel, context.locale, context.backend.vocabulary) }),
    text: t(TEXT.confirmAgainText, { script: plan.scriptName, hosts: hostCount(details) }),
    tone: 'warning',
    buttons: [
      { actionId: RUN_ACTIONS.confirm, label: t(TEXT.runIt), value: plan.id, style: 'danger', settles: true },
      { actionId: RUN_ACTIONS.cancel, label: t(TEXT.cancel), value: plan.id, settles: true },
    ],
    private: true,
  };
}

/** The preview's Run: starts a plan that needs nothing more, asks once more, or files the approval request. */
async function go(context: CommandContext, value: string): Promise<Message> {
  const { services } = context;
  const { plan, details, step } = await checkedPlan(context, value);
  if (step === 'approval') {
    const requested = await moveRunPlan(services.db, plan.id, ['previewed', 'confirming'], 'requested');
    if (!requested) return alreadyUsed(context, plan);
    return requestApproval(context, requested);
  }
  if (step === 'confirm') {
    // The preview's Run only ever asks: clicked again (or delivered twice) while the question
    // is open, it asks again. Only the confirmation's own action starts the run.
    if (plan.state === 'previewed' && !(await moveRunPlan(services.db, plan.id, ['previewed'], 'confirming'))) {
      const now = await getRunPlan(services.db, plan.id);
      if (now?.state !== 'confirming') return alreadyUsed(context, plan);
    }
    return confirmation(context, plan, details);
  }
  return start(context, plan, details, ['previewed', 'confirming']);
}

/** The confirmation's Run: starts a plan that was asked once more, once. */
async function confirm(context: CommandContext, value: string): Promise<Message> {
  const { t, services } = context;
  const { plan, details, step } = await checkedPlan(context, value);
  if (step === 'approval') {
    // The policy became stricter since the question was asked.
    const requested = await moveRunPlan(services.db, plan.id, ['previewed', 'confirming'], 'requested');
    if (!requested) return alreadyUsed(context, plan);
    return requestApproval(context, requested);
  }
  if (plan.state !== 'confirming') refuse(t(TEXT.notAsked), t(TEXT.notAskedText));
  return start(context, plan, details, ['confirming']);
}

/** Claims the plan (only one click wins) and sends the execute request. */
async function start(context: CommandContext, plan: RunPlanRow, details: PlanDetails, from: RunPlanRow['state'][]): Promise<Message> {
  const { t, services } = context;
  // The clicker is the requester (ownPlan): the platform is reached with their own rights.
  const launched = await launchPlan(services, plan, from, () => context.backend);
  if (launched.kind === 'not-claimed') return alreadyUsed(context, plan);
  if (launched.kind === 'not-ready') refuse(t(TEXT.notStarted), say(launched.reason, t));
  const { plan: starting, outcome } = launched;
  if (outcome.kind === 'changed') refuse(t(TEXT.changed), t(TEXT.changedText, { script: plan.scriptName }));
  if (outcome.kind === 'refused') refuse(t(TEXT.notStarted), say(outcome.reason, t));
  // Not a refusal: the run may be going. Said as a warning, with what the bot does about it.
  if (outcome.kind === 'unknown') return { title: t(TEXT.unknown), text: say(outcome.reason, t), tone: 'warning', outcome: 'failed' };
  const uuid = nativeOf(outcome.run);
  context.audit.maskedParameters = { ...context.audit.maskedParameters, run: outcome.run };
  // The platform refused the live card for good (the bot is not in this channel): the reply does not promise it.
  const noCard = await cardNeverPosted(services.db, outcome.run, planTarget(starting));
  return {
    title: t(outcome.foundBy === 'answer' ? TEXT.started : TEXT.startedFoundLate, { uuid }),
    text: t(noCard ? TEXT.startedNoCard : TEXT.startedText, { script: plan.scriptName, hosts: hostCount(details), batches: details.batches.length, uuid }),
    tone: 'success',
    footer: `order ${uuid} · ${targetOf(context.actor, context.place).channelId}`,
  };
}

async function cancel(context: CommandContext, value: string): Promise<Message> {
  const { t, services } = context;
  const plan = await ownPlan(context, value);
  const canceled = await moveRunPlan(services.db, plan.id, ['previewed', 'confirming'], 'canceled');
  if (!canceled) return alreadyUsed(context, plan);
  return { title: t(TEXT.canceled), tone: 'info', private: true };
}

export const RUN_BUTTONS: readonly ActionDefinition[] = [
  { id: RUN_ACTIONS.go, family: 'run', permission: 'operator', mutates: true, run: go },
  { id: RUN_ACTIONS.confirm, family: 'run', permission: 'operator', mutates: true, run: confirm },
  { id: RUN_ACTIONS.cancel, family: 'run', permission: 'operator', mutates: false, run: cancel },
];
