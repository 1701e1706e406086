/**
 * What ITSM did with the tickets of open requests, read once per round (bounded, least recently
 * read first) and acted on exactly once — each action is a conditional change of the request's
 * row, so of any number of replicas and rounds one acts:
 *
 * - approved (in ITSM's own UI, or a chat decision whose answer was lost) → the request is
 *   approved and its run started as the requester; four eyes still hold (the requester approving
 *   their own ticket starts nothing) and a decision made in ITSM after the request expired here
 *   starts nothing either;
 * - rejected → rejected, the requester told; withdrawn or gone → void;
 * - still open while a chat decision was on its way → that decision never landed: the request is
 *   open again and the person who clicked is told;
 * - a ticket left 'opening' (the bot stopped while opening it) → void: it may exist in ITSM, it is
 *   never opened again and nothing runs from it.
 *
 * Nothing here writes to ITSM except withdrawing tickets of requests that end undecided.
 */
import { nativeOf, type ExternalApprovalsCapability, type TicketStatus } from '../backends/index.js';
import type { Services } from '../core/command.js';
import type { Actor } from '../core/invocation.js';
import { translator, type Text } from '../i18n/translate.js';
import { listTicketsToRead, noteTicketRead, updateApprovalIfVersion, type ApprovalChanges, type ApprovalRow } from '../store/approvals.js';
import type { LeftBehind } from '../store/recovery.js';
import { getRunPlanByApproval, moveRunPlan, type RunPlanRow } from '../store/run-plans.js';
import { announce, APPROVAL_TEXT, editCard } from './announce.js';
import { auditApproval, expire, requesterStillLinked, voidForUnlinkedRequester } from './approvals.js';
import { ticketsOf } from './itsm.js';
import { ITSM_TEXT } from './itsm-texts.js';
import { startApproved } from './start-approved.js';

/** Tickets read per round: the rest wait for the next (each read is one ITSM request). */
const READS_PER_ROUND = 50;
/** Who decided, when ITSM does not say. */
const ITSM_DECIDER = 'ITSM';

/** One round; returns how many requests it settled or reopened. */
export async function readTicketDecisions(services: Services, window: LeftBehind): Promise<number> {
  const tickets = ticketsOf(services);
  if (!tickets) return 0;
  let acted = 0;
  for (const approval of await listTicketsToRead(services.db, window, READS_PER_ROUND)) {
    // Its turn is taken whatever comes of it, so a ticket ITSM cannot read never blocks the others.
    await noteTicketRead(services.db, approval.id, new Date());
    try {
      if (await readOne(services, tickets, approval)) acted++;
    } catch (error) {
      services.log.warn({ err: error, approval: approval.id }, 'could not act on an ITSM ticket');
    }
  }
  return acted;
}

async function readOne(services: Services, tickets: ExternalApprovalsCapability, approval: ApprovalRow): Promise<boolean> {
  const plan = await getRunPlanByApproval(services.db, approval.id);
  if (approval.externalState === 'opening') return settleVoid(services, approval, plan, ITSM_TEXT.openInterruptedNote);
  if (!approval.externalRef) return false;
  let status: TicketStatus | undefined;
  try {
    status = await tickets.status(approval.externalRef);
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id, ticket: approval.externalRef }, 'could not read an ITSM ticket; it is read again next round');
    return false;
  }
  if (!status) return settleVoid(services, approval, plan, ITSM_TEXT.goneInItsmNote);
  switch (status.state) {
    case 'open':
      return approval.externalState === 'open' ? false : reopen(services, approval, plan);
    case 'approved':
      return approvedInItsm(services, approval, plan, { ...status, state: 'approved' });
    case 'rejected':
      return rejectedInItsm(services, approval, plan, { ...status, state: 'rejected' });
    case 'withdrawn':
      return settleVoid(services, approval, plan, ITSM_TEXT.withdrawnInItsmNote);
    case 'other':
      // Suspended, or a node the bot does not decide: it waits (and expires as any other).
      return false;
  }
}

/** The chat decisions on their way that `outcome` is the landing of. */
const LANDED_AS: Readonly<Record<'approved' | 'rejected', readonly ApprovalRow['externalState'][]>> = {
  approved: ['approving', 'approve-unknown'],
  rejected: ['rejecting', 'reject-unknown'],
};

/** Who decided: ITSM's word first, else the chat click whose decision this is, else ITSM itself. */
function deciderOf(approval: ApprovalRow, status: TicketStatus & { state: 'approved' | 'rejected' }): { iamUser: string; chatUser: string | null } {
  const clicked = LANDED_AS[status.state].includes(approval.externalState) ? approval.approverIamUser : null;
  const iamUser = status.decidedBy ?? clicked ?? ITSM_DECIDER;
  const sameAsClick = clicked !== null && clicked.toLowerCase() === iamUser.toLowerCase();
  return { iamUser, chatUser: sameAsClick ? approval.approverChatUserId : null };
}

function isRequester(approval: ApprovalRow, iamUser: string): boolean {
  return iamUser.toLowerCase() === approval.requesterIamUser.toLowerCase();
}

async function change(services: Services, approval: ApprovalRow, changes: ApprovalChanges): Promise<ApprovalRow | undefined> {
  return updateApprovalIfVersion(services.db, approval.id, approval.version, changes);
}

/** Ends the request void with `note` (in the requester's words), its plan canceled, the requester told. */
async function settleVoid(services: Services, approval: ApprovalRow, plan: RunPlanRow | undefined, note: Text, vars: Record<string, string> = {}): Promise<boolean> {
  const words = translator(plan?.requesterLocale ?? 'en-US')(note, vars);
  const voided = await change(services, approval, { state: 'void', decisionNote: words, externalState: 'closed' });
  if (!voided) return false;
  if (plan) {
    await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: words });
    await announce(services, voided, plan, APPROVAL_TEXT.toRequesterVoid, { script: plan.scriptName });
  }
  await auditApproval(services, voided, 'approval void', words);
  return true;
}

/** A chat decision that never reached ITSM (the ticket is still open): the request is open again, the one who clicked told. */
async function reopen(services: Services, approval: ApprovalRow, plan: RunPlanRow | undefined): Promise<boolean> {
  const reopened = await change(services, approval, { externalState: 'open', approverChatUserId: null, approverIamUser: null, decisionNote: null });
  if (!reopened) return false;
  if (plan) await editCard(services, reopened, plan);
  if (approval.approverChatUserId && approval.externalRef) {
    const person: Actor = { platform: approval.platform, workspaceId: approval.workspaceId, userId: approval.approverChatUserId };
    const t = translator(services.identities.localeFor(person));
    try {
      await services.chat.notify(person, { title: t(ITSM_TEXT.toApproverNotLanded, { script: approval.scriptName, ticket: nativeOf(approval.externalRef) }), tone: 'warning', private: true });
    } catch (error) {
      services.log.warn({ err: error, approval: approval.id }, 'could not tell an approver that their decision did not reach ITSM');
    }
  }
  await auditApproval(services, reopened, 'approval reopened', 'the decision sent to ITSM never landed: the ticket is still open');
  return true;
}

async function approvedInItsm(services: Services, approval: ApprovalRow, plan: RunPlanRow | undefined, status: TicketStatus & { state: 'approved' }): Promise<boolean> {
  const decider = deciderOf(approval, status);
  // A click in chat was checked in time; a decision made in ITSM's UI counts only while the request is open here.
  if (approval.externalState === 'open' && services.now().getTime() >= approval.expiresAt.getTime()) return expire(services, approval, plan);
  if (isRequester(approval, decider.iamUser)) return settleVoid(services, approval, plan, ITSM_TEXT.ownInItsmNote, { requester: approval.requesterIamUser });
  if (plan && !(await requesterStillLinked(services, plan))) return voidForUnlinkedRequester(services, approval, plan);
  const won = await change(services, approval, {
    state: 'approved',
    approverIamUser: decider.iamUser,
    approverChatUserId: decider.chatUser,
    decidedAt: services.now(),
    externalState: 'closed',
  });
  if (!won) return false;
  await auditApproval(services, won, 'approval approved in ITSM', `approved by ${decider.iamUser} (ticket ${nativeOf(approval.externalRef ?? '')})`);
  // No plan: recovery settles an approved request without one (settleApprovedRequests).
  if (plan) {
    const started = await startApproved(services, won, plan, decider.iamUser);
    services.log.info({ approval: approval.id, outcome: started.kind }, 'started the run of a request approved in ITSM');
  }
  return true;
}

async function rejectedInItsm(services: Services, approval: ApprovalRow, plan: RunPlanRow | undefined, status: TicketStatus & { state: 'rejected' }): Promise<boolean> {
  const decider = deciderOf(approval, status);
  // The requester turning down their own ticket is withdrawing it, as in chat.
  if (isRequester(approval, decider.iamUser)) return settleVoid(services, approval, plan, ITSM_TEXT.withdrawnInItsmNote);
  const t = translator(plan?.requesterLocale ?? 'en-US');
  const rejected = await change(services, approval, {
    state: 'rejected',
    approverIamUser: decider.iamUser,
    approverChatUserId: decider.chatUser,
    decidedAt: services.now(),
    decisionNote: (LANDED_AS.rejected.includes(approval.externalState) ? approval.decisionNote : null) ?? t(ITSM_TEXT.rejectedInItsmNote),
    externalState: 'closed',
  });
  if (!rejected) return false;
  if (plan) {
    await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: 'rejected' });
    await announce(services, rejected, plan, APPROVAL_TEXT.toRequesterRejected, { approver: decider.iamUser, script: plan.scriptName });
  }
  await auditApproval(services, rejected, 'approval rejected in ITSM', `rejected by ${decider.iamUser}`);
  return true;
}
