/**
 * The open request a click decides, for the kinds of request that keep a row of their own beside
 * the approval (a script change, an approved platform action): both read, the audit told what it
 * is, and a refusal when it is unknown, already decided, or past its expiry (closed here if the
 * sweep has not yet).
 */
import type { CommandContext } from '../core/command.js';
import type { Message } from '../core/message.js';
import { refusalReply } from '../core/refusal.js';
import { utcTime } from '../i18n/format.js';
import type { Queryable } from '../store/db.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import { APPROVAL_TEXT } from './announce.js';
import { expire } from './approvals.js';

export interface OpenRequestRules<R> {
  /** The row beside the approval; undefined when there is none. */
  readonly read: (db: Queryable, approvalId: string) => Promise<R | undefined>;
  /** What the audit row says about it. */
  readonly audit: (approval: ApprovalRow, row: R) => Record<string, string>;
  /** The refusal of a request already decided. */
  readonly decided: (approval: ApprovalRow, row: R) => Message;
  /** The refusal's text for a request past its expiry. */
  readonly expiredText: (approval: ApprovalRow) => string;
}

export async function openRequestWith<R>(context: CommandContext, approvalId: string, rules: OpenRequestRules<R>): Promise<{ approval: ApprovalRow; row: R } | Message> {
  const { services, t } = context;
  context.audit.target = approvalId;
  const approval = await getApproval(services.db, approvalId);
  const row = await rules.read(services.db, approvalId);
  if (!approval || !row) return refusalReply(t(APPROVAL_TEXT.notFound), t(APPROVAL_TEXT.notFoundText, { id: approvalId }));
  context.audit.maskedParameters = { ...context.audit.maskedParameters, ...rules.audit(approval, row) };
  if (approval.state !== 'requested') return rules.decided(approval, row);
  if (services.now().getTime() >= approval.expiresAt.getTime()) {
    await expire(services, approval, undefined);
    return refusalReply(t(APPROVAL_TEXT.expired), rules.expiredText(approval));
  }
  return { approval, row };
}

/** "The time it expired", as the run requests say it. */
export function expiredAt(context: CommandContext, approval: ApprovalRow): string {
  return context.t(APPROVAL_TEXT.expiredText, { requester: approval.requesterIamUser, time: utcTime(approval.expiresAt.getTime()) });
}

/** The clicker's rejection, in one conditional step: undefined when another decision came first. */
export function recordRejection(context: CommandContext, approval: ApprovalRow, note: string): Promise<ApprovalRow | undefined> {
  const { services, actor, identity } = context;
  return updateApprovalIfVersion(services.db, approval.id, approval.version, {
    state: 'rejected',
    approverChatUserId: actor.userId,
    approverIamUser: identity.iamUserName,
    decidedAt: services.now(),
    decisionNote: note,
  });
}
