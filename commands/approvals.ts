/**
 * Approvals of HIGH-risk runs: the Approve / Reject buttons of a request card (Reject asks for
 * a reason), `approvals` (the open requests, with their buttons) and `approval show <id>`.
 * The rules themselves (four eyes, expiry, script unchanged, one execution) live in
 * src/approvals/approvals.ts; the dispatcher checks the approver role and the channel first.
 */
import type { ActionDefinition, CommandContext, FormDefinition } from '../src/core/command.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { Message } from '../src/core/message.js';
import { approve, decisionRefusal, reject } from '../src/approvals/approvals.js';
import { approverRuleOf, APPROVERS_TEXT, REVIEWER_ACTIONS, REVIEWER_REJECT_FORM, reviewerLinks } from '../src/approvals/approvers.js';
import type { Role } from '../src/store/vocabulary.js';
import { APPROVAL_ACTIONS, APPROVAL_REJECT_FORM, RUN_TEXT } from '../src/run/messages.js';
import { approvalCard } from '../src/approvals/card.js';
import { scriptChangeCardOf } from '../src/script-changes/decide.js';
import { platformActionCardOf } from '../src/approvals/platform-action/decide.js';
import type { Text } from '../src/i18n/translate.js';
import { getApproval, listOpenApprovals, type ApprovalRow } from '../src/store/approvals.js';
import { getRunPlanByApproval } from '../src/store/run-plans.js';
import { getTrackedOrder } from '../src/store/tracked-orders.js';
import { label, nativeOf } from '../src/backends/index.js';
import { UUID_PATTERN } from '../src/core/ids.js';
import { refuse } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';

const TEXT = {
  listTitle: { 'en-US': 'Open approval requests ({count})', 'zh-CN': '待审批请求（{count} 个）' },
  none: { 'en-US': 'No request waits for approval.', 'zh-CN': '没有等待审批的请求。' },
  columns: { 'en-US': 'ID|SCRIPT|HOSTS|REQUESTED BY|EXPIRES', 'zh-CN': 'ID|脚本|主机数|申请人|过期时间' },
  buttonsFor: { 'en-US': 'The buttons act on the oldest request, {id}; "approval show <id>" for another.', 'zh-CN': '按钮作用于最早的请求 {id}；其他请求请用 "approval show <id>"。' },
  rule_role: { 'en-US': 'Approved by anyone with the approver role, never the requester (approvals.approvers: role).', 'zh-CN': '由任何具有审批人角色的人审批，申请人除外（approvals.approvers：role）。' },
  rule_reviewers: { 'en-US': "Approved only by the script's reviewers, never the requester (approvals.approvers: reviewers).", 'zh-CN': '仅由脚本的审核人审批，申请人除外（approvals.approvers：reviewers）。' },
  rule_both: { 'en-US': "Approved only by the script's reviewers who have the approver role, never the requester (approvals.approvers: both).", 'zh-CN': '仅由具有审批人角色的脚本审核人审批，申请人除外（approvals.approvers：both）。' },
  ruleScriptChanges: { 'en-US': 'A change to a script (create, edit, delete) is approved by another admin.', 'zh-CN': '脚本的变更（创建、修改、删除）由另一位管理员审批。' },
  badId: { 'en-US': 'Not an approval id', 'zh-CN': '不是审批 ID' },
  badIdText: { 'en-US': '"{value}" is not one; ids look like 0b7c…-…, as "approvals" lists them.', 'zh-CN': '"{value}" 不是审批 ID；ID 形如 0b7c…-…，见 "approvals" 列表。' },
  unknown: { 'en-US': 'No such approval request', 'zh-CN': '没有这个审批请求' },
  unknownText: {
    'en-US': 'No request has the id {value}. "approvals" lists the open ones; "audit" shows the decided ones.',
    'zh-CN': '没有 ID 为 {value} 的请求。"approvals" 列出待处理的请求；"audit" 显示已处理的请求。',
  },
  orderEnded: { 'en-US': 'Order {uuid} has ended: {status}.', 'zh-CN': '工单 {uuid} 已结束：{status}。' },
  orderLastRead: { 'en-US': 'Order {uuid} was {status} when last read; "order {uuid}" shows it now.', 'zh-CN': '工单 {uuid} 最后读取时的状态：{status}；“order {uuid}”可查看当前状态。' },
  reasonNeeded: { 'en-US': 'Say why, so the requester knows what to change (up to 500 characters).', 'zh-CN': '请说明原因，以便申请人知道要修改什么（最多 500 个字符）。' },
} satisfies Record<string, Text>;

function approvalId(context: CommandContext, value: string): string {
  const id = value.trim();
  if (!UUID_PATTERN.test(id)) refuse(context.t(TEXT.badId), context.t(TEXT.badIdText, { value: shown(value) }));
  return id;
}

function unknownId(context: CommandContext, id: string): never {
  refuse(context.t(TEXT.unknown), context.t(TEXT.unknownText, { value: id }));
}

/** A request already read, as its card; one whose plan is gone is refused like an unknown id. */
async function cardOf(context: CommandContext, approval: ApprovalRow): Promise<Message> {
  const scriptChange = await scriptChangeCardOf(context, approval);
  if (scriptChange) return scriptChange;
  const action = await platformActionCardOf(context, approval);
  if (action) return action;
  const plan = await getRunPlanByApproval(context.services.db, approval.id);
  if (!plan) unknownId(context, approval.id);
  // Showing a rejected or failed request (red) is still a successful look at it.
  // With its ITSM ticket, when it has one.
  // Its reviewers as linked now, so an unlinked one can be linked while the request is open.
  const links = approverRuleOf(approval).rule === 'role' ? undefined : await reviewerLinks(context.services, approval);
  // Past its expiry but not yet closed by the expiry job: shown as what it is, without buttons.
  const expired = approval.state === 'requested' && approval.expiresAt.getTime() <= context.services.now().getTime();
  const card = approvalCard(expired ? { ...approval, state: 'expired' } : approval, plan, context.t, context.locale, context.backend.vocabulary, links);
  const order = await orderLine(context, approval);
  return { ...card, ...(order ? { text: [card.text, order].filter(Boolean).join('\n') } : {}), outcome: 'succeeded' };
}

/** An executed request's order as the live card last saw it: ended (with its status) or where it stood. */
async function orderLine(context: CommandContext, approval: ApprovalRow): Promise<string | undefined> {
  if (approval.state !== 'executed' || !approval.runId) return undefined;
  const tracked = await getTrackedOrder(context.services.db, approval.runId);
  if (!tracked?.lastStatus) return undefined;
  const vars = { uuid: nativeOf(approval.runId), status: label(context.backend.vocabulary, 'runStatus', tracked.lastStatus, context.locale) };
  return context.t(tracked.finalPosted ? TEXT.orderEnded : TEXT.orderLastRead, vars);
}

async function card(context: CommandContext, id: string): Promise<Message> {
  const approval = await getApproval(context.services.db, id);
  if (!approval) unknownId(context, id);
  return cardOf(context, approval);
}

export const approvalsCommand = defineCommand({
  family: 'run',
  words: ['approvals'],
  discord: { name: 'approvals', description: { 'en-US': 'HIGH-risk runs waiting for a second person', 'zh-CN': '等待他人审批的高风险运行' } },
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'Requests to run HIGH-risk scripts that wait for a second person, oldest first', 'zh-CN': '等待他人审批的高风险脚本执行请求，最早的在前' },
  examples: ['approvals'],
  positionals: {},
  flags: {
    limit: arg.integer({ min: 1, max: 50, default: 20, description: { 'en-US': 'How many to list', 'zh-CN': '列出数量' } }),
  },
  async run(context, args) {
    const { t, services } = context;
    const open = await listOpenApprovals(services.db, services.now(), args.limit);
    if (open.length === 0) return { title: t(TEXT.listTitle, { count: 0 }), text: t(TEXT.none), tone: 'info' };
    const first = await cardOf(context, open[0]!);
    const who = first.fields?.find((field) => field.label === t(APPROVERS_TEXT.field));
    // Runs follow approvals.approvers; script changes always need another admin, whatever it says.
    const changes = open.filter((a) => a.plan['kind'] === 'script-change').length;
    const rules = [...(changes < open.length ? [t(TEXT[`rule_${services.config.approvals.approvers}`])] : []), ...(changes > 0 ? [t(TEXT.ruleScriptChanges)] : [])];
    return {
      title: t(TEXT.listTitle, { count: open.length }),
      // The rule in force; each request keeps the one it was filed under (the oldest's is shown with its buttons).
      text: [...rules, ...(who ? [`${who.label} (${open[0]!.id.slice(0, 8)}…): ${who.value}`] : [])].join('\n'),
      tone: 'warning',
      table: {
        columns: t(TEXT.columns).split('|'),
        rows: open.map((a) => [
          a.id,
          a.scriptName,
          // A change to a script runs on no host.
          a.plan['kind'] === 'script-change' || a.plan['kind'] === 'platform-action' ? '-' : String(Array.isArray(a.plan['hosts']) ? a.plan['hosts'].length : '?'),
          a.requesterIamUser,
          a.expiresAt.toISOString().slice(0, 16).replace('T', ' '),
        ]),
      },
      ...(first.buttons ? { buttons: first.buttons } : {}),
      footer: t(TEXT.buttonsFor, { id: open[0]!.id }),
    };
  },
});

export const approvalShowCommand = defineCommand({
  family: 'run',
  words: ['approval', 'show'],
  discord: { group: 'approval', name: 'show', description: { 'en-US': 'What would run, who asked, state, who decided', 'zh-CN': '将运行什么、谁发起、状态、谁决定' } },
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'One approval request: what would run, who asked, its state and who decided', 'zh-CN': '单个审批请求：将执行什么、谁发起、状态以及谁做了决定' },
  examples: ['approval show 0b7c5a55-2f1e-4c4b-9a53-5b1f0e7d2c11'],
  positionals: {
    id: arg.id({
      required: true,
      pattern: UUID_PATTERN,
      what: { 'en-US': 'an approval id', 'zh-CN': '审批 ID' },
      example: '0b7c5a55-2f1e-4c4b-9a53-5b1f0e7d2c11',
      placeholder: { 'en-US': 'approval-id', 'zh-CN': '审批ID' },
      discordName: 'approval-id',
      description: { 'en-US': 'The approval id', 'zh-CN': '审批 id' },
    }),
  },
  flags: {},
  async run(context, args) {
    context.audit.target = args.id;
    return card(context, args.id);
  },
});

const rejectForm = (context: CommandContext, id: string, formId: string): Message => {
  const t = context.t;
  return {
    title: t(RUN_TEXT.rejectFormTitle),
    form: {
      id: formId,
      title: t(RUN_TEXT.rejectFormTitle),
      submitLabel: t(RUN_TEXT.rejectFormSubmit),
      context: id,
      fields: [{ id: 'reason', label: t(RUN_TEXT.rejectReason), kind: 'multiline', required: true, maxLength: 500, hint: t(TEXT.reasonNeeded) }],
    },
    private: true,
  };
};

/**
 * Approve and Reject: the approver-only pair of a card under the approver role (or reviewers
 * with it), and the reviewers' pair under `approvals.approvers: reviewers`, open to operators.
 * Either way approve / reject check the request's own rule on every click.
 */
function decisionButtons(ids: { readonly approve: string; readonly reject: string }, formId: string, permission: Role): ActionDefinition[] {
  return [
    { id: ids.approve, family: 'run', permission, mutates: true, run: async (context, value) => approve(context, approvalId(context, value)) },
    {
      id: ids.reject,
      family: 'run',
      permission,
      mutates: true,
      mayOpenForm: true,
      run: async (context, value) => {
        const id = approvalId(context, value);
        context.audit.target = id;
        // Someone the request's rule does not let decide is told so before being asked why.
        return (await decisionRefusal(context, id)) ?? rejectForm(context, id, formId);
      },
    },
  ];
}

function rejectReasonForm(id: string, permission: Role): FormDefinition {
  return {
    id,
    family: 'run',
    permission,
    mutates: true,
    run: async (context, values, formContext) => {
      const id = approvalId(context, formContext ?? '');
      const reason = (values['reason'] ?? '').trim();
      if (reason === '' || [...reason].length > 500) return { title: context.t(RUN_TEXT.rejectFormTitle), fieldErrors: { reason: context.t(TEXT.reasonNeeded) }, tone: 'danger', private: true };
      return reject(context, id, reason);
    },
  };
}

export const APPROVAL_BUTTONS: readonly ActionDefinition[] = [
  ...decisionButtons(APPROVAL_ACTIONS, APPROVAL_REJECT_FORM, 'approver'),
  ...decisionButtons(REVIEWER_ACTIONS, REVIEWER_REJECT_FORM, 'operator'),
];

export const APPROVAL_FORMS: readonly FormDefinition[] = [rejectReasonForm(APPROVAL_REJECT_FORM, 'approver'), rejectReasonForm(REVIEWER_REJECT_FORM, 'operator')];
