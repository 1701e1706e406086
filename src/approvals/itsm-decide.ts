/**
 * A chat click on a request decided through ITSM. The bot's rules come first (the caller checked
 * four eyes, expiry and the requester); then the single winner: of any number of concurrent
 * clicks, one claims the request ('approving' / 'rejecting', a conditional change of its row)
 * and only that one sends its decision to the ticket, as the person who clicked. ITSM has the
 * last word on who may decide:
 *
 * - accepted → the request is decided here too (and, approved, its run may start);
 * - refused (not a processor of the ticket…) → the claim is undone, the request is open again;
 * - unknown (the answer was lost) → the request stays undecided, marked so; the ticket's status
 *   is read (itsm-read.ts) and acted on once. The decision is never sent again.
 */
import { nativeOf, type ExternalApprovalsCapability } from '../backends/index.js';
import type { CommandContext } from '../core/command.js';
import type { Message } from '../core/message.js';
import { refusalReply } from '../core/refusal.js';
import { say } from '../i18n/phrase.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import { sendDecision } from './itsm.js';
import { ITSM_TEXT } from './itsm-texts.js';

export type ItsmDecision =
  /** ITSM took it: the request is 'approved' or 'rejected' here too. */
  | { readonly kind: 'decided'; readonly approval: ApprovalRow }
  /** Another click (or the ticket's reader) changed the request first: nothing was sent. */
  | { readonly kind: 'lost'; readonly approval: ApprovalRow }
  /** Said to the person who clicked. */
  | { readonly kind: 'reply'; readonly message: Message };

/**
 * After ITSM took an approval: the ticket's own state decides. Approved → undefined (the caller
 * decides the request); still open → the request stays undecided and open for the next step (the
 * reader acts once when ITSM ends it); unreadable → undecided, marked unknown, for the reader.
 */
async function ticketAfterApproval(context: CommandContext, tickets: ExternalApprovalsCapability, claimed: ApprovalRow, ticket: NonNullable<ApprovalRow['externalRef']>): Promise<ItsmDecision | undefined> {
  const { services, t } = context;
  let status;
  try {
    status = await tickets.status(ticket);
  } catch (error) {
    services.log.warn({ err: error, approval: claimed.id }, 'could not read an ITSM ticket after an approval it took; the reader settles it');
  }
  if (status?.state === 'approved') return undefined;
  if (status?.state === 'open') {
    const reopened = await updateApprovalIfVersion(services.db, claimed.id, claimed.version, { externalState: 'open', approverChatUserId: null, approverIamUser: null });
    if (!reopened) services.log.warn({ approval: claimed.id }, 'a request whose ITSM approval landed changed meanwhile');
    return { kind: 'reply', message: { title: t(ITSM_TEXT.approvalLanded), text: t(ITSM_TEXT.approvalLandedText, { ticket: nativeOf(ticket), status: status.code }), tone: 'info' } };
  }
  // Unreadable, gone, or ended otherwise: not started here; the ticket's reader acts once on what ITSM says.
  const marked = await updateApprovalIfVersion(services.db, claimed.id, claimed.version, { externalState: 'approve-unknown' });
  if (!marked) services.log.warn({ approval: claimed.id }, 'a request whose ITSM approval landed changed meanwhile');
  return {
    kind: 'reply',
    message: { title: t(ITSM_TEXT.decisionUnknown), text: t(ITSM_TEXT.decisionUnknownText, { why: status ? status.code : '?', ticket: nativeOf(ticket) }), tone: 'warning', outcome: 'failed' },
  };
}

export async function decideThroughItsm(
  context: CommandContext,
  tickets: ExternalApprovalsCapability,
  approval: ApprovalRow,
  decision: 'approve' | 'reject',
  note?: string,
): Promise<ItsmDecision> {
  const { services, actor, identity, t } = context;
  const ticket = approval.externalRef;
  // openRequest let only an open ticket through; a row without one cannot be decided.
  if (!ticket) return { kind: 'reply', message: refusalReply(t(ITSM_TEXT.notOpenYet), t(ITSM_TEXT.notOpenYetText)) };
  const claimed = await updateApprovalIfVersion(services.db, approval.id, approval.version, {
    externalState: decision === 'approve' ? 'approving' : 'rejecting',
    approverChatUserId: actor.userId,
    approverIamUser: identity.iamUserName,
    ...(note !== undefined ? { decisionNote: note } : {}),
  });
  if (!claimed) return { kind: 'lost', approval: (await getApproval(services.db, approval.id)) ?? approval };
  context.audit.maskedParameters = { ...context.audit.maskedParameters, ticket: nativeOf(ticket), decision };

  const sent = await sendDecision(tickets, ticket, decision, identity.iamUserName, note);
  switch (sent.kind) {
    case 'done': {
      if (decision === 'approve') {
        // ITSM took this node's decision; only the ticket itself being approved lets the run start
        // (a service may have more approval steps, or a countersign, after this one).
        const settled = await ticketAfterApproval(context, tickets, claimed, ticket);
        if (settled) return settled;
      }
      const decided = await updateApprovalIfVersion(services.db, claimed.id, claimed.version, {
        state: decision === 'approve' ? 'approved' : 'rejected',
        decidedAt: services.now(),
        externalState: 'closed',
      });
      // Only the ticket's reader takes a claim over, and only one left far longer than a request takes.
      if (!decided) return { kind: 'lost', approval: (await getApproval(services.db, approval.id)) ?? claimed };
      return { kind: 'decided', approval: decided };
    }
    case 'refused': {
      const reopened = await updateApprovalIfVersion(services.db, claimed.id, claimed.version, {
        externalState: 'open',
        approverChatUserId: null,
        approverIamUser: null,
        ...(note !== undefined ? { decisionNote: null } : {}),
      });
      if (!reopened) services.log.warn({ approval: approval.id }, 'a request ITSM refused a decision on changed meanwhile');
      return { kind: 'reply', message: refusalReply(t(ITSM_TEXT.decisionRefused), t(ITSM_TEXT.decisionRefusedText, { reason: say(sent.reason, t), ticket: nativeOf(ticket) })) };
    }
    case 'unknown': {
      const marked = await updateApprovalIfVersion(services.db, claimed.id, claimed.version, { externalState: decision === 'approve' ? 'approve-unknown' : 'reject-unknown' });
      // Unmarked, it stays 'approving' and the ticket's reader takes it once it is left behind.
      if (!marked) services.log.warn({ approval: approval.id }, 'a request whose ITSM decision was lost changed meanwhile');
      return {
        kind: 'reply',
        message: { title: t(ITSM_TEXT.decisionUnknown), text: t(ITSM_TEXT.decisionUnknownText, { why: say(sent.reason, t), ticket: nativeOf(ticket) }), tone: 'warning', outcome: 'failed' },
      };
    }
  }
}
