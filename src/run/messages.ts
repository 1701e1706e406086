/**
 * What people see of a run before it starts: the plan preview (with Run / Cancel), the
 * approval request (with Approve / Reject) and its decided forms. Pure functions of stored rows.
 */
import type { Button, Message, MessageField, MessageSection } from '../core/message.js';
import { AGENT_NAMES, isIdOf, label, nativeOf, platformName, type Vocabulary } from '../backends/index.js';
import type { ApproverRule } from '../config/sections/approvals.js';
import { utcTime } from '../i18n/format.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { RunPlanRow } from '../store/run-plans.js';
import { hostCount, planDetails, type PlanDetails } from './plan-details.js';
import { excludedReason } from './excluded-reasons.js';
import { agentStateUnknown } from './hosts.js';
import { hostLabel, planShortIds } from './plan-host-labels.js';
import { DEFAULT_RISK_POLICY, stepFor, stricterStep, type RunStep } from './risk-policy.js';
import { riskDotOfCode } from '../core/risk-badge.js';

/**
 * `confirm` is the second step of a plan that asks once more (MEDIUM by default): its own
 * action, so a second delivery of the preview's Run click can never stand in for it.
 */
export const RUN_ACTIONS = { go: 'run:go', confirm: 'run:confirm', cancel: 'run:cancel' } as const;
export const APPROVAL_ACTIONS = { approve: 'approval:approve', reject: 'approval:reject' } as const;
export const APPROVAL_REJECT_FORM = 'approval:reject-reason';

export const RUN_TEXT = {
  previewTitle: { 'en-US': 'Run {script} on {hosts:host|hosts}?', 'zh-CN': '在 {hosts} 台主机上执行 {script}？' },
  risk: { 'en-US': 'Risk', 'zh-CN': '风险等级' },
  scriptKind: { 'en-US': 'Script', 'zh-CN': '脚本' },
  publicScript: { 'en-US': 'Public (built-in) script', 'zh-CN': '公共（内置）脚本' },
  hosts: { 'en-US': 'Hosts', 'zh-CN': '主机' },
  selection: { 'en-US': 'Selected by', 'zh-CN': '选择方式' },
  batches: { 'en-US': 'Batches', 'zh-CN': '批次' },
  batchesValue: { 'en-US': '{count} ({sizes:host|hosts})', 'zh-CN': '{count} 批（每批 {sizes} 台）' },
  rotation: { 'en-US': 'After each batch', 'zh-CN': '批次间策略' },
  canary: { 'en-US': 'Canary: batch 1 is one host, then a pause', 'zh-CN': '金丝雀：第 1 批仅一台主机，然后暂停' },
  timeout: { 'en-US': 'Timeout', 'zh-CN': '超时' },
  timeoutValue: { 'en-US': '{seconds} s per host', 'zh-CN': '每台主机 {seconds} 秒' },
  successRate: { 'en-US': 'Success rate', 'zh-CN': '成功率' },
  successRateValue: { 'en-US': '{rate}% (below it, later batches do not run)', 'zh-CN': '{rate}%（低于此值后续批次不再执行）' },
  user: { 'en-US': 'Runs as', 'zh-CN': '执行用户' },
  parameters: { 'en-US': 'Parameters', 'zh-CN': '参数' },
  none: { 'en-US': 'none', 'zh-CN': '无' },
  batchLine: { 'en-US': 'Batch {n} ({rotation}): {hosts}', 'zh-CN': '第 {n} 批（{rotation}）：{hosts}' },
  excludedTitle: { 'en-US': 'Left out ({count}): their {agent} is not online', 'zh-CN': '已排除（{count} 台）：{agent} 不在线' },
  /** Some were left out because COC gave no agent state for them: not claimed offline. */
  excludedUnknownTitle: { 'en-US': 'Left out ({count}): their {agent} is not online, or not known to be', 'zh-CN': '已排除（{count} 台）：{agent} 不在线或状态未知' },
  previewFooterLow: { 'en-US': 'Nothing runs until you press Run. This preview expires at {time}.', 'zh-CN': '在您点击“执行”之前不会执行任何操作。此预览将于 {time} 过期。' },
  previewFooterMedium: {
    'en-US': '{risk} risk: Run asks you once more before anything starts. This preview expires at {time}.',
    'zh-CN': '{risk}风险：点击“执行”后还会再确认一次。此预览将于 {time} 过期。',
  },
  previewFooterHigh: {
    'en-US': '{risk} risk: this becomes a request that another person with the approver role must approve. This preview expires at {time}.',
    'zh-CN': '{risk}风险：将生成审批请求，须由另一位具有审批人角色的人批准。此预览将于 {time} 过期。',
  },
  previewFooterHighReviewers: {
    'en-US': "{risk} risk: this becomes a request that one of the script's reviewers in {platform} (other than you) must approve. This preview expires at {time}.",
    'zh-CN': '{risk}风险：将生成审批请求，须由该脚本在 {platform} 中的审核人（您本人除外）批准。此预览将于 {time} 过期。',
  },
  previewFooterHighBoth: {
    'en-US': "{risk} risk: this becomes a request that one of the script's reviewers in {platform} who has the approver role (other than you) must approve. This preview expires at {time}.",
    'zh-CN': '{risk}风险：将生成审批请求，须由该脚本在 {platform} 中具有审批人角色的审核人（您本人除外）批准。此预览将于 {time} 过期。',
  },
  run: { 'en-US': 'Run', 'zh-CN': '执行' },
  requestApproval: { 'en-US': 'Request approval', 'zh-CN': '申请审批' },
  cancel: { 'en-US': 'Cancel', 'zh-CN': '取消' },
  confirmTitle: { 'en-US': 'Run {script} now?', 'zh-CN': '现在执行 {script}？' },
  confirmText: { 'en-US': '{hosts:host|hosts} in {batches:batch|batches}. This cannot be undone.', 'zh-CN': '{hosts} 台主机，{batches} 批。此操作无法撤销。' },
  confirmYes: { 'en-US': 'Run it', 'zh-CN': '执行' },
  confirmNo: { 'en-US': 'Not now', 'zh-CN': '暂不' },
  // approval request
  approvalTitle: { 'en-US': 'Approval needed: {script} on {hosts:host|hosts}', 'zh-CN': '需要审批：在 {hosts} 台主机上执行 {script}' },
  // Once decided (or expired, or void) nothing is needed any more: the title says what the card is.
  approvalClosedTitle: { 'en-US': 'Approval request: {script} on {hosts:host|hosts}', 'zh-CN': '审批请求：在 {hosts} 台主机上执行 {script}' },
  approvalText: {
    'en-US': '{requester} asks to run this {risk}-risk script. Anyone with the approver role except {requester} may decide.',
    'zh-CN': '{requester} 申请执行此{risk}风险脚本。除 {requester} 外，任何具有审批人角色的人都可以审批。',
  },
  requestedBy: { 'en-US': 'Requested by', 'zh-CN': '申请人' },
  expires: { 'en-US': 'Expires', 'zh-CN': '过期时间' },
  approve: { 'en-US': 'Approve', 'zh-CN': '批准' },
  reject: { 'en-US': 'Reject', 'zh-CN': '拒绝' },
  approveConfirmTitle: { 'en-US': 'Approve and run now?', 'zh-CN': '批准并立即执行？' },
  approveConfirmText: { 'en-US': '{script} starts on {hosts:host|hosts} as soon as you approve.', 'zh-CN': '批准后 {script} 将立即在 {hosts} 台主机上开始执行。' },
  state_requested: { 'en-US': 'Waiting for an approver', 'zh-CN': '等待审批' },
  state_approved: { 'en-US': 'Approved by {approver}; starting', 'zh-CN': '已由 {approver} 批准，正在启动' },
  // Said on cards that are not edited when the order ends: what happened, never "running".
  state_executed: { 'en-US': 'Approved by {approver} at {time}; it started order {uuid}', 'zh-CN': '已由 {approver} 于 {time} 批准；已启动工单 {uuid}' },
  state_rejected: { 'en-US': 'Rejected by {approver} at {time}: {note}', 'zh-CN': '已由 {approver} 于 {time} 拒绝：{note}' },
  state_expired: { 'en-US': 'Expired at {time} without a decision; nothing ran', 'zh-CN': '已于 {time} 过期且未被审批；未执行任何操作' },
  state_void: { 'en-US': 'Void: {note}; nothing ran', 'zh-CN': '已作废：{note}；未执行任何操作' },
  state_failed: { 'en-US': 'Approved by {approver}, but: {note}', 'zh-CN': '已由 {approver} 批准，但：{note}' },
  state_unknown: { 'en-US': 'Approved by {approver} at {time}; {note}', 'zh-CN': '已由 {approver} 于 {time} 批准；{note}' },
  noReason: { 'en-US': '(no reason given)', 'zh-CN': '（未说明原因）' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  rejectFormTitle: { 'en-US': 'Reject the request', 'zh-CN': '拒绝该请求' },
  rejectFormSubmit: { 'en-US': 'Reject', 'zh-CN': '拒绝' },
  rejectReason: { 'en-US': 'Reason (the requester sees it)', 'zh-CN': '原因（申请人可见）' },
} satisfies Record<string, Text>;

function riskName(level: string, locale: Locale, vocabulary: Vocabulary): string {
  return `${riskDotOfCode(level)} ${riskWord(level, locale, vocabulary)}`;
}

/** The risk level inside a sentence: the platform's own word in English, the translated one otherwise. */
export function riskWord(level: string, locale: Locale, vocabulary: Vocabulary): string {
  return locale === 'en-US' ? level : label(vocabulary, 'riskLevel', level, locale);
}

function paramsLine(details: PlanDetails, t: Translate): string {
  const entries = Object.entries(details.shownParams);
  return entries.length ? entries.map(([name, value]) => `${name}=${value}`).join(', ') : t(RUN_TEXT.none);
}

function planFields(plan: RunPlanRow, details: PlanDetails, t: Translate, locale: Locale, vocabulary: Vocabulary): MessageField[] {
  const sizes = [...new Set(details.batches.map((b) => b.hosts.length))].join('/');
  const rotations = [...new Set(details.batches.map((b) => label(vocabulary, 'rotation', b.rotation, locale)))].join(' / ');
  return [
    // A platform's built-in script is named as such: a tenant's own script of that name would have been taken first.
    ...(isIdOf(plan.scriptId, 'public-script') ? [{ label: t(RUN_TEXT.scriptKind), value: t(RUN_TEXT.publicScript) }] : []),
    { label: t(RUN_TEXT.risk), value: riskName(plan.riskLevel, locale, vocabulary) },
    { label: t(RUN_TEXT.hosts), value: String(hostCount(details)) },
    { label: t(RUN_TEXT.selection), value: details.selection },
    { label: t(RUN_TEXT.batches), value: t(RUN_TEXT.batchesValue, { count: details.batches.length, sizes }) },
    { label: t(RUN_TEXT.rotation), value: details.canary ? `${t(RUN_TEXT.canary)}; ${rotations}` : rotations },
    { label: t(RUN_TEXT.timeout), value: t(RUN_TEXT.timeoutValue, { seconds: details.options.timeout }) },
    { label: t(RUN_TEXT.successRate), value: t(RUN_TEXT.successRateValue, { rate: details.options.successRate }) },
    { label: t(RUN_TEXT.user), value: details.options.executeUser },
    { label: t(RUN_TEXT.parameters), value: paramsLine(details, t) },
  ];
}

function planSections(plan: Pick<RunPlanRow, 'backend'>, details: PlanDetails, t: Translate, locale: Locale, vocabulary: Vocabulary): MessageSection[] {
  // Each host with its region and short resource id: names repeat in COC, resource ids do not.
  const short = planShortIds(details);
  const lines = details.batches.map((batch) =>
    t(RUN_TEXT.batchLine, { n: batch.index, rotation: label(vocabulary, 'rotation', batch.rotation, locale), hosts: batch.hosts.map((h) => hostLabel(h, short)).join(', ') }),
  );
  const sections: MessageSection[] = [{ title: t(RUN_TEXT.batches), text: lines.join('\n') }];
  if (details.excluded.length) {
    sections.push({
      title: t(details.excluded.some((h) => agentStateUnknown(h.reason)) ? RUN_TEXT.excludedUnknownTitle : RUN_TEXT.excludedTitle, { count: details.excluded.length, agent: AGENT_NAMES[plan.backend] }),
      text: details.excluded.map((h) => hostLabel(h, short, excludedReason(h.reason, t, vocabulary, locale))).join(', '),
    });
  }
  return sections;
}

/** What Run leads to for this plan: the step stored with it at preview time, never weaker than its risk's default. */
export function planStep(plan: Pick<RunPlanRow, 'riskLevel'>, details: Pick<PlanDetails, 'step'>): RunStep {
  const byRisk = stepFor(DEFAULT_RISK_POLICY, plan.riskLevel);
  return details.step ? stricterStep(details.step, byRisk) : byRisk;
}

const HIGH_FOOTERS: Readonly<Record<ApproverRule, Text>> = {
  role: RUN_TEXT.previewFooterHigh,
  reviewers: RUN_TEXT.previewFooterHighReviewers,
  both: RUN_TEXT.previewFooterHighBoth,
};

/** `vocabulary`: the platform's words for its codes (risk levels, rotations, agent states). */
/** `approvers`: who may approve a request (approvals.approvers), said in a HIGH run's footer. */
export function previewMessage(plan: RunPlanRow, t: Translate, locale: Locale, vocabulary: Vocabulary, approvers: ApproverRule = 'role'): Message {
  const details = planDetails(plan);
  const hosts = hostCount(details);
  const step = planStep(plan, details);
  const footer = step === 'approval' ? HIGH_FOOTERS[approvers] : step === 'confirm' ? RUN_TEXT.previewFooterMedium : RUN_TEXT.previewFooterLow;
  const go: Button = {
    actionId: RUN_ACTIONS.go,
    label: step === 'approval' ? t(RUN_TEXT.requestApproval) : t(RUN_TEXT.run),
    value: plan.id,
    style: step === 'run' && plan.riskLevel === 'LOW' ? 'primary' : 'danger',
    settles: true,
    ...(step === 'confirm'
      ? {
          onlyAsks: true,
          confirm: {
            title: t(RUN_TEXT.confirmTitle, { script: plan.scriptName }),
            text: t(RUN_TEXT.confirmText, { hosts, batches: details.batches.length }),
            confirmLabel: t(RUN_TEXT.confirmYes),
            denyLabel: t(RUN_TEXT.confirmNo),
          },
        }
      : {}),
  };
  return {
    title: t(RUN_TEXT.previewTitle, { script: plan.scriptName, hosts }),
    tone: plan.riskLevel === 'HIGH' ? 'danger' : plan.riskLevel === 'MEDIUM' ? 'warning' : 'info',
    // Red for a HIGH-risk plan, yet the preview itself is what was asked for.
    outcome: 'succeeded',
    fields: planFields(plan, details, t, locale, vocabulary),
    sections: planSections(plan, details, t, locale, vocabulary),
    buttons: [go, { actionId: RUN_ACTIONS.cancel, label: t(RUN_TEXT.cancel), value: plan.id, settles: true }],
    // Nothing runs until the person who asked presses Run (or Cancel).
    awaitsAnswer: true,
    footer: t(footer, { time: utcTime(plan.expiresAt.getTime()), risk: riskWord(plan.riskLevel, locale, vocabulary), platform: t(platformName(plan.backend)) }),
  };
}

/** What every approval card says first: its tone for its state, then status, requester and expiry. */
export function approvalHead(approval: ApprovalRow, state: string, t: Translate): Pick<Message, 'tone'> & { readonly fields: MessageField[] } {
  const open = approval.state === 'requested';
  return {
    tone: open ? 'warning' : approval.state === 'executed' ? 'success' : approval.state === 'approved' ? 'info' : 'danger',
    fields: [
      { label: t(RUN_TEXT.status), value: state },
      { label: t(RUN_TEXT.requestedBy), value: `${approval.requesterIamUser} (${approval.requesterChatUserId})` },
      { label: t(RUN_TEXT.expires), value: utcTime(approval.expiresAt.getTime()) },
    ],
  };
}

/** Approve (confirmed first) and Reject of an open request; none once it is decided. */
export function approvalButtons(approval: ApprovalRow, t: Translate, confirm: { readonly title: string; readonly text: string }): Pick<Message, 'buttons'> {
  if (approval.state !== 'requested') return {};
  return {
    buttons: [
      {
        actionId: APPROVAL_ACTIONS.approve,
        label: t(RUN_TEXT.approve),
        value: approval.id,
        style: 'primary',
        settles: true,
        // Four eyes: never offered to the requester where the card is shown to them alone.
        notFor: {
          chatUser: { platform: approval.platform, workspaceId: approval.workspaceId, userId: approval.requesterChatUserId },
          iamUserName: approval.requesterIamUser,
        },
        confirm: { ...confirm, confirmLabel: t(RUN_TEXT.approve), denyLabel: t(RUN_TEXT.confirmNo) },
      },
      { actionId: APPROVAL_ACTIONS.reject, label: t(RUN_TEXT.reject), value: approval.id, style: 'danger', settles: true },
    ],
  };
}

export function approvalMessage(approval: ApprovalRow, plan: RunPlanRow, t: Translate, locale: Locale, vocabulary: Vocabulary): Message {
  const details = planDetails(plan);
  const hosts = hostCount(details);
  const vars = {
    approver: approval.approverIamUser ?? '?',
    time: approval.decidedAt ? utcTime(approval.decidedAt.getTime()) : utcTime(approval.expiresAt.getTime()),
    uuid: approval.runId ? nativeOf(approval.runId) : '?',
    note: approval.decisionNote ?? approval.error ?? t(RUN_TEXT.noReason),
  };
  const state = t(RUN_TEXT[`state_${approval.state}`], vars);
  const open = approval.state === 'requested';
  const head = approvalHead(approval, state, t);
  return {
    title: t(open ? RUN_TEXT.approvalTitle : RUN_TEXT.approvalClosedTitle, { script: plan.scriptName, hosts }),
    text: open ? t(RUN_TEXT.approvalText, { requester: approval.requesterIamUser, risk: riskWord(plan.riskLevel, locale, vocabulary) }) : state,
    tone: head.tone,
    fields: [...head.fields, ...planFields(plan, details, t, locale, vocabulary)],
    sections: planSections(plan, details, t, locale, vocabulary),
    ...approvalButtons(approval, t, { title: t(RUN_TEXT.approveConfirmTitle), text: t(RUN_TEXT.approveConfirmText, { script: plan.scriptName, hosts }) }),
    footer: `approval ${approval.id}`,
  };
}
