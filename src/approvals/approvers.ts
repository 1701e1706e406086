/**
 * Who may decide a HIGH-risk run's approval request (`approvals.approvers`):
 *
 * - `role`: anyone linked with the approver role (or admin).
 * - `reviewers`: only the script's own reviewers as the platform names them (COC's
 *   `reviewer_name`, an IAM user name; `reviewer_id` where no name is given), matched to the
 *   chat users linked to that IAM user. Any role that may act (operator or higher): a viewer
 *   never changes anything.
 * - `both`: a reviewer who also has the approver role.
 *
 * The requester never decides their own request, reviewer or not (rejecting it is withdrawing it).
 *
 * The rule and the reviewers are fixed when the request is filed and kept in its `plan` JSON
 * (no column of their own): the card says who may decide and stays true. A script with no
 * reviewer but the requester is refused at request time, never left waiting for nobody. A
 * reviewer not linked to chat is named in the request, so an admin can link them; once linked
 * they may decide. At Approve the script is read again: reviewers that are no longer the ones
 * the request named make the request void (nothing runs) — neither a reviewer removed since nor
 * one added since decides a request filed under other reviewers.
 */
import { z } from 'zod';
import { APPROVER_RULES, type ApproverRule } from '../config/sections/approvals.js';
import type { Services } from '../core/command.js';
import type { Identity } from '../identity/identity-service.js';
import { roleAtLeast } from '../identity/roles.js';
import type { Text, Translate } from '../i18n/translate.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { IdentityMappingRow } from '../store/identity-mappings.js';
import type { Role } from '../store/vocabulary.js';

export type { ApproverRule };

/** Who may decide one request, as fixed when it was filed. */
export interface ApproverSnapshot {
  readonly rule: ApproverRule;
  /** The script's reviewers as the platform named them then (IAM user names, or ids). */
  readonly reviewers: readonly string[];
}

/** Where a request's plan JSON keeps its snapshot. */
const SNAPSHOT_KEY = 'approvers';

const snapshotSchema = z.object({ rule: z.enum(APPROVER_RULES), reviewers: z.array(z.string()) });

/**
 * The card's buttons when reviewers decide whatever their role: the same Approve and Reject,
 * open to operators, each click checked against the request's own rule (approve, reject).
 * Role and both keep the approver-only buttons, so nobody without the role is offered them.
 */
export const REVIEWER_ACTIONS = { approve: 'approval:approve-as-reviewer', reject: 'approval:reject-as-reviewer' } as const;
export const REVIEWER_REJECT_FORM = 'approval:reject-reason-as-reviewer';

export const APPROVERS_TEXT = {
  field: { 'en-US': 'Who may approve', 'zh-CN': '谁可以审批' },
  ruleRole: { 'en-US': 'anyone with the approver role but {requester}', 'zh-CN': '除 {requester} 外任何具有审批人角色的人' },
  ruleReviewers: { 'en-US': "only the script's reviewers in {platform}: {reviewers}", 'zh-CN': '仅限该脚本在 {platform} 中的审核人：{reviewers}' },
  ruleBoth: { 'en-US': "only the script's reviewers in {platform} who have the approver role: {reviewers}", 'zh-CN': '仅限该脚本在 {platform} 中具有审批人角色的审核人：{reviewers}' },
  noReviewers: { 'en-US': '(none)', 'zh-CN': '（无）' },
  openReviewers: {
    'en-US': '{requester} asks to run this {risk}-risk script. Only its reviewers in {platform} may decide (see "Who may approve"), never {requester}.',
    'zh-CN': '{requester} 申请执行此{risk}风险脚本。只有该脚本在 {platform} 中的审核人可以审批（见“谁可以审批”），{requester} 本人除外。',
  },
  openBoth: {
    'en-US': '{requester} asks to run this {risk}-risk script. Only its reviewers in {platform} who have the approver role may decide (see "Who may approve"), never {requester}.',
    'zh-CN': '{requester} 申请执行此{risk}风险脚本。只有该脚本在 {platform} 中具有审批人角色的审核人可以审批（见“谁可以审批”），{requester} 本人除外。',
  },
  linked: { 'en-US': '{name} (chat user {users})', 'zh-CN': '{name}（聊天用户 {users}）' },
  unlinked: {
    'en-US': '{name} (not linked to chat: an admin can link them with "admin link <chat-user-id> {name} {role}")',
    'zh-CN': '{name}（未关联聊天用户：管理员可用 "admin link <聊天用户ID> {name} {role}" 关联）',
  },
  notApprover: { 'en-US': '{name} (linked as {role}: needs the approver role)', 'zh-CN': '{name}（以 {role} 角色关联：需要审批人角色）' },
  viewerOnly: { 'en-US': '{name} (linked as viewer: a viewer cannot decide)', 'zh-CN': '{name}（以查看者角色关联：查看者不能审批）' },
  isRequester: { 'en-US': '{name} (the requester: cannot approve)', 'zh-CN': '{name}（申请人：不能审批）' },
  // Refusals of a click.
  onlyThey: { 'en-US': 'Only {who} may approve or reject this request', 'zh-CN': '只有 {who} 可以批准或拒绝此请求' },
  someApprover: { 'en-US': 'someone with the approver role', 'zh-CN': '具有审批人角色的人' },
  nobody: { 'en-US': 'nobody', 'zh-CN': '无人' },
  notReviewerText: {
    'en-US': "approvals.approvers is {rule}: the reviewers {script} names in {platform} decide, and you ({you}) are not one of them. Nothing was done.",
    'zh-CN': 'approvals.approvers 为 {rule}：由 {script} 在 {platform} 中指定的审核人决定，您（{you}）不在其中。未执行任何操作。',
  },
  needsApproverText: {
    'en-US': 'approvals.approvers is {rule}: deciding needs the approver role, and you are {role}. Nothing was done.',
    'zh-CN': 'approvals.approvers 为 {rule}：审批需要审批人角色，而您是 {role}。未执行任何操作。',
  },
  viewerText: { 'en-US': 'A viewer cannot decide a request. Nothing was done.', 'zh-CN': '查看者不能审批请求。未执行任何操作。' },
  // Refusals at request time.
  nobodyCould: { 'en-US': 'Nobody could approve this request', 'zh-CN': '无人能审批此请求' },
  noReviewersText: {
    'en-US': "{script} names no reviewers in {platform}, and here only a script's reviewers may approve (approvals.approvers: {rule}), so the request would wait for nobody. Nothing was requested and nothing ran. Add reviewers to the script in {platform}, or ask an admin to set approvals.approvers to role.",
    'zh-CN': '{script} 在 {platform} 中没有指定审核人，而此处只有脚本的审核人可以审批（approvals.approvers：{rule}），请求将无人处理。未提交请求，未执行任何操作。请在 {platform} 中为该脚本添加审核人，或请管理员将 approvals.approvers 设为 role。',
  },
  publicNoReviewersText: {
    'en-US': "{script} is one of {platform}'s public scripts, which name no reviewers, and here only a script's reviewers may approve (approvals.approvers: {rule}), so the request would wait for nobody. Nothing was requested and nothing ran. Ask an admin to set approvals.approvers to role, or run a custom script with reviewers.",
    'zh-CN': '{script} 是 {platform} 的公共脚本，没有审核人，而此处只有脚本的审核人可以审批（approvals.approvers：{rule}），请求将无人处理。未提交请求，未执行任何操作。请管理员将 approvals.approvers 设为 role，或执行有审核人的自定义脚本。',
  },
  onlyRequesterText: {
    'en-US': "{script}'s only reviewer in {platform} is you ({requester}), and nobody approves their own request (approvals.approvers: {rule}), so the request would wait for nobody. Nothing was requested and nothing ran. Add another reviewer to the script in {platform}, or ask an admin to set approvals.approvers to role.",
    'zh-CN': '{script} 在 {platform} 中唯一的审核人是您（{requester}），而任何人都不能审批自己的请求（approvals.approvers：{rule}），请求将无人处理。未提交请求，未执行任何操作。请在 {platform} 中为该脚本添加其他审核人，或请管理员将 approvals.approvers 设为 role。',
  },
  unreadable: { 'en-US': "The script's reviewers could not be read", 'zh-CN': '无法读取脚本的审核人' },
  unreadableText: {
    'en-US': 'Who may approve {script} depends on its reviewers in {platform}, which could not be read: {why}. Nothing was requested and nothing ran; press Run on a new preview to try again.',
    'zh-CN': '谁能审批 {script} 取决于它在 {platform} 中的审核人，但无法读取：{why}。未提交请求，未执行任何操作；请重新预览并点击“执行”重试。',
  },
  unreadableNow: {
    'en-US': 'Who may approve {script} depends on its reviewers in {platform}, which could not be read just now: {why}. Nothing was done; the request stays open — try again.',
    'zh-CN': '谁能审批 {script} 取决于它在 {platform} 中的审核人，但刚才无法读取：{why}。未执行任何操作；请求仍然有效，请重试。',
  },
  noneLinked: {
    'en-US': 'None of them can decide yet (not linked to chat, or linked without the role it needs): the request waits until an admin links one (see the request card).',
    'zh-CN': '他们目前都无法审批（未关联聊天用户，或关联的角色不够）：请求将等待管理员关联其中一人（见请求卡片）。',
  },
  noReviewerLinked: {
    'en-US': "None of the script's reviewers who may decide is linked on this platform, so it could not go by direct message either.",
    'zh-CN': '此平台上没有关联可审批的脚本审核人，因此也无法通过私信发送。',
  },
  // Reviewers changed between the request and a click.
  changed: { 'en-US': "The script's reviewers changed after the request", 'zh-CN': '请求提交后脚本的审核人已变更' },
  changedText: {
    'en-US': "{script}'s reviewers in {platform} are now {now}; the request named {then}. Who may decide is fixed when a request is made, so it is void and nothing ran. {requester} can request again.",
    'zh-CN': '{script} 在 {platform} 中的审核人现在是 {now}；请求提交时为 {then}。审批人在提交请求时确定，因此该请求已作废，未执行任何操作。{requester} 可以重新申请。',
  },
  changedNote: { 'en-US': "the script's reviewers changed after the request", 'zh-CN': '请求提交后脚本的审核人已变更' },
} satisfies Record<string, Text>;

/** The request's rule and reviewers; a request filed before the setting existed follows the approver role. */
export function approverRuleOf(approval: Pick<ApprovalRow, 'plan'>): ApproverSnapshot {
  const stored = approval.plan[SNAPSHOT_KEY];
  if (stored === undefined) return { rule: 'role', reviewers: [] };
  const parsed = snapshotSchema.safeParse(stored);
  // Unreadable: nobody may decide (never the looser rule); the request expires.
  return parsed.success ? parsed.data : { rule: 'reviewers', reviewers: [] };
}

/** The plan JSON entry that fixes who may decide a request being filed. */
export function snapshotEntry(snapshot: ApproverSnapshot): Record<string, unknown> {
  return { [SNAPSHOT_KEY]: { rule: snapshot.rule, reviewers: [...snapshot.reviewers] } };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Whether a reviewer named by the platform is this IAM user: by name (IAM user names, compared
 * without case as the bot compares them everywhere), or by the IAM user id a mapping may carry
 * (a reviewer COC gave without a name).
 */
export function reviewerIs(reviewer: string, person: { readonly iamUserName: string; readonly iamUserId?: string | null | undefined }): boolean {
  return sameName(reviewer, person.iamUserName) || (person.iamUserId !== undefined && person.iamUserId !== null && person.iamUserId !== '' && reviewer === person.iamUserId);
}

/** The same reviewers, in any order and case. */
export function sameReviewers(a: readonly string[], b: readonly string[]): boolean {
  const set = (names: readonly string[]) => [...new Set(names.map((n) => n.toLowerCase()))].sort().join('\n');
  return set(a) === set(b);
}

/** The reviewers other than the requester: those who could decide. */
export function eligibleReviewers(snapshot: ApproverSnapshot, requesterIamUser: string): readonly string[] {
  return snapshot.reviewers.filter((name) => !sameName(name, requesterIamUser));
}

/** Why this person may not decide a request under its rule (beyond not being its requester), or undefined when they may. */
export type DeciderProblem = 'needs-approver' | 'viewer' | 'not-reviewer';

export function deciderProblem(snapshot: ApproverSnapshot, person: Pick<Identity, 'role' | 'iamUserName' | 'iamUserId'>): DeciderProblem | undefined {
  if (snapshot.rule === 'reviewers' ? !roleAtLeast(person.role, 'operator') : !roleAtLeast(person.role, 'approver')) {
    return snapshot.rule === 'reviewers' ? 'viewer' : 'needs-approver';
  }
  if (snapshot.rule !== 'role' && !snapshot.reviewers.some((reviewer) => reviewerIs(reviewer, person))) return 'not-reviewer';
  return undefined;
}

/** The least role a reviewer needs under the rule. */
function roleNeeded(rule: ApproverRule): Role {
  return rule === 'reviewers' ? 'operator' : 'approver';
}

/** One reviewer and the chat users linked to them on the request's platform and workspace. */
export interface ReviewerLink {
  readonly name: string;
  readonly users: readonly Pick<IdentityMappingRow, 'platformUserId' | 'role'>[];
}

type RequestPlace = Pick<ApprovalRow, 'platform' | 'workspaceId'>;

function linkedHere(rows: readonly IdentityMappingRow[], place: RequestPlace): IdentityMappingRow[] {
  return rows.filter((row) => row.platform === place.platform && row.workspaceId === place.workspaceId);
}

/** Each reviewer of the request with the chat users linked to them now. */
export async function reviewerLinks(services: Services, approval: RequestPlace & Pick<ApprovalRow, 'plan'>): Promise<readonly ReviewerLink[]> {
  const rows = linkedHere(await services.identities.list(), approval);
  return approverRuleOf(approval).reviewers.map((name) => ({ name, users: rows.filter((row) => reviewerIs(name, row)) }));
}

/**
 * The linked people on the request's platform and workspace who may decide it under its rule,
 * never its requester: where a request goes by direct message when its channel refuses it.
 */
export async function decidersOf(
  services: Services,
  approval: RequestPlace & Pick<ApprovalRow, 'plan' | 'requesterChatUserId' | 'requesterIamUser'>,
): Promise<IdentityMappingRow[]> {
  const snapshot = approverRuleOf(approval);
  // A change to a script is decided by another admin, whatever approvals.approvers says of runs.
  const scriptChange = approval.plan['kind'] === 'script-change';
  return linkedHere(await services.identities.list(), approval).filter(
    (row) =>
      row.platformUserId !== approval.requesterChatUserId &&
      !sameName(row.iamUserName, approval.requesterIamUser) &&
      (scriptChange ? roleAtLeast(row.role, 'admin') : deciderProblem(snapshot, { role: row.role, iamUserName: row.iamUserName, iamUserId: row.iamUserId ?? undefined }) === undefined),
  );
}

/** Whether at least one reviewer who could decide is linked now (for the requester's reply). */
export function anyDeciderLinked(snapshot: ApproverSnapshot, requesterIamUser: string, links: readonly ReviewerLink[]): boolean {
  if (snapshot.rule === 'role') return true;
  return links.some((link) => !sameName(link.name, requesterIamUser) && link.users.some((user) => roleAtLeast(user.role, roleNeeded(snapshot.rule))));
}

/** A reviewer as the card names them: linked (to whom), or what keeps them from deciding. */
function reviewerShown(t: Translate, rule: ApproverRule, requesterIamUser: string, name: string, link: ReviewerLink | undefined): string {
  if (sameName(name, requesterIamUser)) return t(APPROVERS_TEXT.isRequester, { name });
  if (!link) return name;
  const needed = roleNeeded(rule);
  if (link.users.length === 0) return t(APPROVERS_TEXT.unlinked, { name, role: needed });
  const able = link.users.filter((user) => roleAtLeast(user.role, needed));
  if (able.length > 0) return t(APPROVERS_TEXT.linked, { name, users: able.map((user) => user.platformUserId).join(', ') });
  const best = link.users[0]!;
  return best.role === 'viewer' ? t(APPROVERS_TEXT.viewerOnly, { name }) : t(APPROVERS_TEXT.notApprover, { name, role: best.role });
}

/**
 * "Who may approve", for the request card: the rule and, under a reviewers rule, each reviewer —
 * with who they are in chat when `links` are given, else by name alone.
 */
export function whoMayApprove(t: Translate, snapshot: ApproverSnapshot, requesterIamUser: string, platform: string, links?: readonly ReviewerLink[]): string {
  if (snapshot.rule === 'role') return t(APPROVERS_TEXT.ruleRole, { requester: requesterIamUser });
  const shown = snapshot.reviewers.map((name) => reviewerShown(t, snapshot.rule, requesterIamUser, name, links?.find((link) => link.name === name)));
  const reviewers = shown.length > 0 ? shown.join('; ') : t(APPROVERS_TEXT.noReviewers);
  return t(snapshot.rule === 'reviewers' ? APPROVERS_TEXT.ruleReviewers : APPROVERS_TEXT.ruleBoth, { platform, reviewers });
}

/** Who may decide, in a few words, for a refusal's title. */
export function whoInShort(t: Translate, snapshot: ApproverSnapshot, requesterIamUser: string): string {
  if (snapshot.rule === 'role') return t(APPROVERS_TEXT.someApprover);
  const names = eligibleReviewers(snapshot, requesterIamUser);
  return names.length > 0 ? names.join(', ') : t(APPROVERS_TEXT.nobody);
}
