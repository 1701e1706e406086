/**
 * Four-eyes approval of HIGH-risk runs.
 *
 * - A request is filed once per plan (the plan's id is its idempotency key) and posted where
 *   approvers are: the configured approvals channel of the platform, else the requester's channel.
 *   Refused there, it goes to the approvers by direct message (deliver-request.ts); one that
 *   reached nobody is void at once, never left waiting, and the requester is told why.
 * - Approve re-checks everything on every click: the request is still open, not expired (by the
 *   clock, even before the expiry task ran), the approver is not the requester, and the script
 *   is exactly what was requested (content hash and modification time) — else the request is
 *   void. Role and channel are checked by the dispatcher before this runs; who may decide under
 *   `approvals.approvers` (the approver role, the script's reviewers, or both) is fixed when the
 *   request is filed and checked on every click (approvers.ts).
 * - Exactly one execution however many clicks: the approval's conditional state change in the
 *   database has one winner; only the winner moves the plan to 'starting' and calls COC.
 * - The requester is told the outcome; the request card is edited to show who decided.
 * - With `approvals.via: itsm` a request also opens a ticket on the platform's ITSM (itsm.ts):
 *   the card is posted only once the ticket is open, a chat winner's decision goes to the ticket
 *   before anything starts (itsm-decide.ts), a decision made in ITSM is read back (itsm-read.ts),
 *   and a request that ends undecided withdraws its ticket.
 */
import { nativeOf, platformName, type Vocabulary } from '../backends/index.js';
import { say } from '../i18n/phrase.js';
import type { ChatTarget } from '../core/chat-surface.js';
import type { CommandContext, Services } from '../core/command.js';
import type { Message } from '../core/message.js';
import { utcTime } from '../i18n/format.js';
import { refusalReply } from '../core/refusal.js';
import { errorToMessage, isExpectedError } from '../core/errors-to-message.js';
import { translator, type Translate } from '../i18n/translate.js';
import { getApproval, insertApproval, listDueApprovalIds, updateApprovalIfVersion, type ApprovalChanges, type ApprovalRow } from '../store/approvals.js';
import { insertAuditEvent } from '../store/audit-events.js';
import { getRunPlanByApproval, moveRunPlan, type RunPlanRow } from '../store/run-plans.js';
import { planDetails } from '../run/plan-details.js';
import { planTarget } from '../run/start.js';
import { isPublicScriptId, scriptById } from '../run/script.js';
import { announce, APPROVAL_TEXT, editCard } from './announce.js';
import { deliverRequest, type RequestDelivery } from './deliver-request.js';
import { placeName, whyUndelivered } from '../core/undelivered.js';
import { cardNeverPosted } from '../orders/tracker-undelivered.js';
import { approvalCard, ticketShown } from './card.js';
import { openTicket, ticketRequestOf, ticketsForNewRequests, ticketsOf, ticketTitle, withdrawTicket } from './itsm.js';
import { decideThroughItsm } from './itsm-decide.js';
import { ITSM_TEXT } from './itsm-texts.js';
import { startApproved } from './start-approved.js';
import { approvePlatformAction, platformActionExpired, platformActionOf, rejectPlatformAction } from './platform-action/decide.js';
import { approveScriptChange, rejectScriptChange, scriptChangeExpired, scriptChangeOf } from '../script-changes/decide.js';
import {
  anyDeciderLinked,
  approverRuleOf,
  APPROVERS_TEXT,
  deciderProblem,
  eligibleReviewers,
  reviewerLinks,
  sameReviewers,
  snapshotEntry,
  whoInShort,
  whoMayApprove,
  type ApproverSnapshot,
  type ReviewerLink,
} from './approvers.js';

export { APPROVAL_TEXT, announce } from './announce.js';

/** Where approval requests of this platform go. */
export function approvalsTarget(services: Services, plan: RunPlanRow): ChatTarget {
  const configured = plan.platform === 'slack' ? services.config.approvals.channel.slack : plan.platform === 'discord' ? services.config.approvals.channel.discord : undefined;
  return configured ? { platform: plan.platform, workspaceId: plan.workspaceId, channelId: configured } : planTarget(plan);
}

/** Files the approval request of a plan the caller moved to 'requested', and posts it. */
export async function requestApproval(context: CommandContext, plan: RunPlanRow): Promise<Message> {
  const { services, t } = context;
  // Who may decide, fixed now; a request nobody could decide is refused before it is filed.
  const approvers = await approversForRequest(context, plan);
  if (!('rule' in approvers)) return approvers;
  const expiresAt = new Date(services.now().getTime() + services.config.approvals.expiryMinutes * 60_000);
  const target = approvalsTarget(services, plan);
  const tickets = ticketsForNewRequests(services);
  const { approval: filed, created } = await insertApproval(services.db, {
    idempotencyKey: `plan:${plan.id}`,
    platform: plan.platform,
    workspaceId: plan.workspaceId,
    requesterChatUserId: plan.requesterChatUserId,
    requesterIamUser: plan.requesterIamUser,
    scriptId: plan.scriptId,
    scriptName: plan.scriptName,
    scriptContentHash: plan.scriptContentHash,
    scriptModifiedAt: plan.scriptModifiedAt,
    plan: {
      planId: plan.id,
      hosts: planDetails(plan).batches.flatMap((b) => b.hosts.map((h) => ({ id: h.id, region: h.region, name: h.name }))),
      params: planDetails(plan).shownParams,
      ...snapshotEntry(approvers),
    },
    channelId: target.channelId,
    expiresAt,
    createdAt: services.now(),
    ...(tickets ? { via: 'itsm' as const } : {}),
  });
  const linked = (await moveRunPlan(services.db, plan.id, ['requested'], 'requested', { approvalId: filed.id })) ?? plan;
  context.audit.target = filed.id;
  // Filed before (a redelivered click): said as it stands, never posted (nor its ticket opened) twice.
  if (!created) return filed.state === 'requested' ? requestedReply(context, plan, target, filed) : stateRefusal(filed, linked, t, context.locale, context.backend.vocabulary);
  let approval = filed;
  if (tickets && filed.via === 'itsm') {
    // The ticket first: a card nobody could decide is never posted.
    const opened = await openRequestTicket(context, tickets, filed, linked);
    if (!('id' in opened)) return opened;
    approval = opened;
  }
  // The card is in the requester's language: approvers see who asked and what, not prose.
  const links = approvers.rule === 'role' ? [] : await reviewerLinks(services, approval);
  const card = approvalCard(approval, linked, translator(plan.requesterLocale), plan.requesterLocale, services.backend.vocabulary, links);
  const delivery = await deliverRequest(services, approval, target, card);
  switch (delivery.kind) {
    case 'channel':
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { messageRef: delivery.posted.messageRef, channelId: delivery.posted.channelId });
      return requestedReply(context, plan, target, approval, links);
    case 'direct':
      return {
        ...whoField(context, approval, plan, links),
        title: t(APPROVAL_TEXT.requestedDirect),
        text: t(APPROVAL_TEXT.requestedDirectText, {
          script: plan.scriptName,
          where: placeName(target),
          why: whyUndelivered(t, target.platform, delivery.refusal, placeName(target)),
          count: delivery.reached,
          time: utcTime(approval.expiresAt.getTime()),
        }),
        tone: 'warning',
        footer: `approval ${approval.id}`,
      };
    case 'nobody':
      await voidUndelivered(services, approval, linked);
      return { ...reachedNobodyReply(context, plan, approval, target, delivery), footer: `approval ${approval.id}` };
  }
}

function requestedReply(context: CommandContext, plan: RunPlanRow, target: ChatTarget, approval: ApprovalRow, links?: readonly ReviewerLink[]): Message {
  const { t } = context;
  const where = target.channelId !== plan.channelId ? t(APPROVAL_TEXT.inChannel, { channel: target.channelId }) : '';
  const ticket = ticketShown(approval);
  const who = whoField(context, approval, plan, links);
  const rule = approverRuleOf(approval);
  // Reviewers nobody has linked yet: the request waits for an admin's link, and the requester knows.
  const waitsForLink = links !== undefined && !anyDeciderLinked(rule, approval.requesterIamUser, links);
  return {
    title: t(APPROVAL_TEXT.requested),
    text: [t(APPROVAL_TEXT.requestedText, { script: plan.scriptName, where, time: utcTime(approval.expiresAt.getTime()) }), ...(waitsForLink ? [t(APPROVERS_TEXT.noneLinked)] : [])].join(' '),
    tone: 'info',
    fields: [...(ticket !== undefined ? [{ label: t(ITSM_TEXT.ticket), value: ticket }] : []), ...(who.fields ?? [])],
    footer: `approval ${approval.id}`,
  };
}

/** "Who may approve", as a reply's field (in the reader's language). */
function whoField(context: CommandContext, approval: ApprovalRow, plan: RunPlanRow, links?: readonly ReviewerLink[]): Pick<Message, 'fields'> {
  const { t } = context;
  return { fields: [{ label: t(APPROVERS_TEXT.field), value: whoMayApprove(t, approverRuleOf(approval), approval.requesterIamUser, t(platformName(plan.backend)), links) }] };
}

/**
 * Who may decide the request about to be filed. Under the approver role, anyone with it. Under
 * a reviewers rule the script's reviewers are read now and kept with the request; a script with
 * no reviewer but its requester is refused here (its plan canceled, nothing filed), so no
 * request waits for nobody — as is one whose reviewers cannot be read.
 */
async function approversForRequest(context: CommandContext, plan: RunPlanRow): Promise<ApproverSnapshot | Message> {
  const { services, t } = context;
  const rule = services.config.approvals.approvers;
  if (rule === 'role') return { rule, reviewers: [] };
  const vars = { script: plan.scriptName, platform: t(platformName(plan.backend)), rule, requester: plan.requesterIamUser };
  const refused = async (title: string, text: string, note: string): Promise<Message> => {
    await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: note });
    return { ...refusalReply(title, text), outcome: 'failed' };
  };
  let reviewers: readonly string[];
  try {
    const script = await scriptById(context.backend, plan.scriptId);
    if (!script) return await refused(t(APPROVAL_TEXT.gone), t(APPROVAL_TEXT.changedText, { script: plan.scriptName, requester: plan.requesterIamUser }), 'the script is gone');
    reviewers = script.reviewers;
  } catch (error) {
    if (!isExpectedError(error)) throw error;
    return refused(t(APPROVERS_TEXT.unreadable), t(APPROVERS_TEXT.unreadableText, { ...vars, why: errorToMessage(error, t).title ?? '?' }), "the script's reviewers could not be read");
  }
  const snapshot: ApproverSnapshot = { rule, reviewers: [...reviewers] };
  if (eligibleReviewers(snapshot, plan.requesterIamUser).length > 0) return snapshot;
  const text = reviewers.length > 0 ? APPROVERS_TEXT.onlyRequesterText : isPublicScriptId(plan.scriptId) ? APPROVERS_TEXT.publicNoReviewersText : APPROVERS_TEXT.noReviewersText;
  return refused(t(APPROVERS_TEXT.nobodyCould), t(text, vars), 'nobody could approve: the script names no other reviewer');
}

/**
 * Refuses a click by someone the request's rule does not let decide (the requester aside, whom
 * the callers handle): the refusal names who may. Nothing changes; the dispatcher's audit row
 * records the refusal.
 */
function deciderRefusal(context: CommandContext, approval: ApprovalRow, rule: ApproverSnapshot): Message | undefined {
  const { t, identity } = context;
  const problem = deciderProblem(rule, identity);
  if (!problem) return undefined;
  const title = t(APPROVERS_TEXT.onlyThey, { who: whoInShort(t, rule, approval.requesterIamUser) });
  const vars = { rule: rule.rule, script: approval.scriptName, platform: t(platformName(approval.backend)), you: identity.iamUserName, role: identity.role };
  const text = problem === 'not-reviewer' ? APPROVERS_TEXT.notReviewerText : problem === 'needs-approver' ? APPROVERS_TEXT.needsApproverText : APPROVERS_TEXT.viewerText;
  return refusalReply(title, t(text, vars));
}

/**
 * The refusal a person gets for trying to decide this request, if any — for the Reject button,
 * before it asks for a reason. Undefined when the request is not open (the form's submission
 * says so) or when the requester withdraws their own.
 */
export async function decisionRefusal(context: CommandContext, approvalId: string): Promise<Message | undefined> {
  const approval = await getApproval(context.services.db, approvalId);
  if (!approval || approval.state !== 'requested' || isRequester(context, approval)) return undefined;
  return deciderRefusal(context, approval, approverRuleOf(approval));
}

/**
 * Under a reviewers rule, the script is read again at Approve: reviewers that are no longer the
 * ones the request named make it void (nothing runs; the requester is told). Undefined when they
 * are the same (or the script is gone, which the start voids as it always has); a refusal that
 * changes nothing when they cannot be read now.
 */
async function reviewersChanged(context: CommandContext, approval: ApprovalRow, plan: RunPlanRow, rule: ApproverSnapshot): Promise<Message | undefined> {
  const { services, t } = context;
  const platform = t(platformName(plan.backend));
  let now: readonly string[];
  try {
    const script = await scriptById(context.backend, plan.scriptId);
    if (!script) return undefined;
    now = script.reviewers;
  } catch (error) {
    if (!isExpectedError(error)) throw error;
    return refusalReply(t(APPROVERS_TEXT.unreadable), t(APPROVERS_TEXT.unreadableNow, { script: plan.scriptName, platform, why: errorToMessage(error, t).title ?? '?' }));
  }
  if (sameReviewers(now, rule.reviewers)) return undefined;
  const note = translator(plan.requesterLocale)(APPROVERS_TEXT.changedNote);
  const voided = await change(services, approval, { state: 'void', decisionNote: note });
  if (voided) {
    await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: note });
    await announce(services, voided, plan, APPROVAL_TEXT.toRequesterVoid, { script: plan.scriptName });
    await auditApproval(services, approval, 'approval void', note);
  }
  const none = t(APPROVERS_TEXT.noReviewers);
  return refusalReply(
    t(APPROVERS_TEXT.changed),
    t(APPROVERS_TEXT.changedText, { script: plan.scriptName, platform, now: now.join(', ') || none, then: rule.reviewers.join(', ') || none, requester: approval.requesterIamUser }),
  );
}

/**
 * Opens the ticket of a request just filed (this click filed it: no other opens it). Open → the
 * request with its ticket. Refused → the request is void, its plan canceled, the requester told
 * ITSM's reason. Unknown → the same, told that a ticket may exist in ITSM: it is never opened a
 * second time blindly, and no card is posted that nobody could decide.
 */
async function openRequestTicket(context: CommandContext, tickets: NonNullable<ReturnType<typeof ticketsOf>>, approval: ApprovalRow, plan: RunPlanRow): Promise<ApprovalRow | Message> {
  const { services, t } = context;
  const opened = await openTicket(tickets, ticketRequestOf(approval, plan, services.backend.vocabulary));
  if (opened.kind === 'done') {
    context.audit.maskedParameters = { ...context.audit.maskedParameters, ticket: nativeOf(opened.id) };
    const recorded = await change(services, approval, { externalRef: opened.id, externalState: 'open', ...(opened.url ? { externalUrl: opened.url } : {}) });
    if (recorded) return recorded;
    // Nothing else changes a request before its ticket is open but the recovery of one left opening (long after).
    services.log.warn({ approval: approval.id, ticket: opened.id }, 'an ITSM request changed while its ticket was being opened');
    await withdrawTicket(services, { ...approval, externalRef: opened.id });
    return stateRefusal((await getApproval(services.db, approval.id)) ?? approval, plan, t, context.locale, context.backend.vocabulary);
  }
  const requesterT = translator(plan.requesterLocale);
  const note = opened.kind === 'refused' ? requesterT(ITSM_TEXT.openRefusedNote, { reason: say(opened.reason, requesterT) }) : requesterT(ITSM_TEXT.openUnknownNote);
  const voided = await change(services, approval, { state: 'void', decisionNote: note, externalState: 'closed' });
  if (voided) {
    await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: note });
    await auditApproval(services, approval, 'approval void', note);
  }
  if (opened.kind === 'refused') {
    return { ...refusalReply(t(ITSM_TEXT.openRefused), t(ITSM_TEXT.openRefusedText, { script: plan.scriptName, reason: say(opened.reason, t) })), outcome: 'failed', footer: `approval ${approval.id}` };
  }
  return {
    title: t(ITSM_TEXT.openUnknown),
    text: t(ITSM_TEXT.openUnknownText, { script: plan.scriptName, why: say(opened.reason, t), title: ticketTitle(plan) }),
    tone: 'warning',
    outcome: 'failed',
    footer: `approval ${approval.id}`,
  };
}

function reachedNobodyReply(context: CommandContext, plan: RunPlanRow, approval: ApprovalRow, target: ChatTarget, delivery: Extract<RequestDelivery, { kind: 'nobody' }>): Message {
  const { t } = context;
  const noDeciders = approverRuleOf(approval).rule === 'role' ? APPROVAL_TEXT.noApprovers : APPROVERS_TEXT.noReviewerLinked;
  const direct = !delivery.fallback ? t(APPROVAL_TEXT.directOff) : delivery.approvers === 0 ? t(noDeciders) : t(APPROVAL_TEXT.directFailed, { count: delivery.approvers });
  return {
    title: t(APPROVAL_TEXT.reachedNobody),
    text: t(APPROVAL_TEXT.reachedNobodyText, {
      script: plan.scriptName,
      where: placeName(target),
      why: whyUndelivered(t, target.platform, delivery.refusal, placeName(target)),
      direct: direct ? `${direct} ` : '',
    }),
    tone: 'danger',
    outcome: 'failed',
  };
}

/** A request nobody received is void at once (its plan canceled, the trail told): it never claims to be waiting. */
async function voidUndelivered(services: Services, approval: ApprovalRow, plan: RunPlanRow): Promise<void> {
  const note = translator(plan.requesterLocale)(APPROVAL_TEXT.reachedNobodyNote);
  const voided = await change(services, (await getApproval(services.db, approval.id)) ?? approval, { state: 'void', decisionNote: note, ...(approval.via === 'itsm' ? { externalState: 'closed' as const } : {}) });
  if (!voided) return;
  await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: note });
  await auditApproval(services, approval, 'approval void', note);
  await withdrawTicket(services, voided);
}

function stateRefusal(approval: ApprovalRow, plan: RunPlanRow | undefined, t: Translate, locale: CommandContext['locale'], vocabulary: Vocabulary): Message {
  const card = plan ? approvalCard(approval, plan, t, locale, vocabulary) : undefined;
  return refusalReply(t(APPROVAL_TEXT.alreadyDecided), card?.fields?.[0]?.value ?? approval.state);
}

async function change(services: Services, approval: ApprovalRow, changes: ApprovalChanges): Promise<ApprovalRow | undefined> {
  return updateApprovalIfVersion(services.db, approval.id, approval.version, changes);
}

/** Marks an open request expired (if it still is open) and tells everyone once; its ticket is withdrawn. */
export async function expire(services: Services, approval: ApprovalRow, plan: RunPlanRow | undefined): Promise<boolean> {
  const expired = await change(services, approval, { state: 'expired', ...(approval.via === 'itsm' ? { externalState: 'closed' as const } : {}) });
  if (!expired) return false;
  if (plan) {
    await moveRunPlan(services.db, plan.id, ['requested'], 'expired');
    await announce(services, expired, plan, APPROVAL_TEXT.toRequesterExpired, { script: plan.scriptName });
  } else {
    await scriptChangeExpired(services, expired);
    await platformActionExpired(services, expired);
  }
  await withdrawTicket(services, expired);
  return true;
}

/** The same person as the requester: the same chat user, or the same IAM user from anywhere. */
export function isRequester(context: CommandContext, approval: ApprovalRow): boolean {
  const { actor, identity } = context;
  const sameChatUser = actor.platform === approval.platform && actor.workspaceId === approval.workspaceId && actor.userId === approval.requesterChatUserId;
  return sameChatUser || identity.iamUserName.toLowerCase() === approval.requesterIamUser.toLowerCase();
}

/** The request a click decides, while it is still open; else the refusal that says why not. */
async function openRequest(context: CommandContext, approvalId: string): Promise<{ approval: ApprovalRow; plan: RunPlanRow | undefined } | Message> {
  const { services, t, locale } = context;
  context.audit.target = approvalId;
  const approval = await getApproval(services.db, approvalId);
  if (!approval) return refusalReply(t(APPROVAL_TEXT.notFound), t(APPROVAL_TEXT.notFoundText, { id: approvalId }));
  const plan = await getRunPlanByApproval(services.db, approvalId);
  if (approval.state !== 'requested') return stateRefusal(approval, plan, t, locale, context.backend.vocabulary);
  // Through ITSM, only an open ticket takes a decision: not while it opens, nor while one is on its way.
  if (approval.via === 'itsm' && approval.externalState !== 'open') {
    if (approval.externalState === 'opening') return refusalReply(t(ITSM_TEXT.notOpenYet), t(ITSM_TEXT.notOpenYetText));
    return refusalReply(t(ITSM_TEXT.deciding), t(ITSM_TEXT.decidingText, { approver: approval.approverIamUser ?? '?' }));
  }
  if (approval.via === 'itsm' && !ticketsOf(services)) return refusalReply(t(ITSM_TEXT.noItsm), t(ITSM_TEXT.noItsmText));
  return { approval, plan };
}

/** Refuses a request past its expiry (closing it if the sweep has not yet); undefined while it is in time. */
async function expiredRefusal(context: CommandContext, approval: ApprovalRow, plan: RunPlanRow | undefined): Promise<Message | undefined> {
  if (context.services.now().getTime() < approval.expiresAt.getTime()) return undefined;
  await expire(context.services, approval, plan);
  return refusalReply(context.t(APPROVAL_TEXT.expired), context.t(APPROVAL_TEXT.expiredText, { requester: approval.requesterIamUser, time: utcTime(approval.expiresAt.getTime()) }));
}

export async function approve(context: CommandContext, approvalId: string): Promise<Message> {
  const { services, t, locale, actor, identity } = context;
  // A change to a script (create, edit, delete) is decided by its own rules: a second admin.
  if (await scriptChangeOf(services, approvalId)) return approveScriptChange(context, approvalId);
  // An approved platform action (an alarm's automation, a runbook) is re-checked against the platform and sent by its own rules.
  if (await platformActionOf(services, approvalId)) return approvePlatformAction(context, approvalId);
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, plan } = open;
  if (isRequester(context, approval)) {
    return refusalReply(t(APPROVAL_TEXT.own), t(APPROVAL_TEXT.ownText, { requester: approval.requesterIamUser }));
  }
  const expired = await expiredRefusal(context, approval, plan);
  if (expired) return expired;
  if (!plan) return refusalReply(t(APPROVAL_TEXT.notFound), t(APPROVAL_TEXT.notFoundText, { id: approvalId }));
  // Who may approve is the request's own rule: someone else is refused, and nothing changes.
  const rule = approverRuleOf(approval);
  const notTheirs = deciderRefusal(context, approval, rule);
  if (notTheirs) return notTheirs;
  // A run is made for its requester: one who is no longer linked to the bot gets none.
  if (!(await requesterStillLinked(services, plan))) {
    await voidForUnlinkedRequester(services, approval, plan);
    return refusalReply(t(APPROVAL_TEXT.requesterGone), t(APPROVAL_TEXT.requesterGoneText, { requester: approval.requesterIamUser }));
  }
  if (rule.rule !== 'role') {
    const changed = await reviewersChanged(context, approval, plan, rule);
    if (changed) return changed;
  }

  // The single winner: of any number of concurrent clicks, one changes the row. Through ITSM the
  // winner's decision reaches the ticket before anything starts, and only one ITSM accepted does.
  const tickets = approval.via === 'itsm' ? ticketsOf(services) : undefined;
  let won: ApprovalRow | undefined;
  if (tickets) {
    const decided = await decideThroughItsm(context, tickets, approval, 'approve');
    if (decided.kind === 'reply') return decided.message;
    if (decided.kind === 'lost') return stateRefusal(decided.approval, plan, t, locale, context.backend.vocabulary);
    won = decided.approval;
  } else {
    won = await change(services, approval, {
      state: 'approved',
      approverChatUserId: actor.userId,
      approverIamUser: identity.iamUserName,
      decidedAt: services.now(),
    });
  }
  if (!won) {
    const now = (await getApproval(services.db, approvalId)) ?? approval;
    return stateRefusal(now, plan, t, locale, context.backend.vocabulary);
  }
  // Executed with the requester's own rights when they have a credential of their own; the approver gets the reply.
  const started = await startApproved(services, won, plan, identity.iamUserName);
  switch (started.kind) {
    case 'started': {
      context.audit.maskedParameters = { ...context.audit.maskedParameters, run: started.run };
      const hosts = planDetails(started.plan).batches.reduce((n, b) => n + b.hosts.length, 0);
      const noCard = await cardNeverPosted(services.db, started.run, planTarget(started.plan));
      return {
        title: t(started.foundBy === 'answer' ? APPROVAL_TEXT.approvedStarted : APPROVAL_TEXT.approvedFoundLate, { uuid: nativeOf(started.run), platform: t(platformName(plan.backend)) }),
        text: noCard
          ? t(APPROVAL_TEXT.approvedStartedNoCard, { script: plan.scriptName, hosts, where: placeName(planTarget(started.plan)), uuid: nativeOf(started.run) })
          : t(APPROVAL_TEXT.approvedStartedText, { script: plan.scriptName, hosts }),
        tone: 'success',
      };
    }
    case 'failed':
    case 'refused':
      return refusalReply(t(APPROVAL_TEXT.approvedFailed), say(started.reason, t));
    case 'changed':
      return refusalReply(t(started.gone ? APPROVAL_TEXT.gone : APPROVAL_TEXT.changed), t(APPROVAL_TEXT.changedText, { script: plan.scriptName, requester: approval.requesterIamUser }));
    case 'unknown':
      return { title: t(APPROVAL_TEXT.approvedUnknown), text: say(started.reason, t), tone: 'warning', outcome: 'failed' };
  }
}

/** Whether the requester is still mapped to the IAM user the plan was made for. */
export async function requesterStillLinked(services: Services, plan: RunPlanRow): Promise<boolean> {
  const identity = await services.identities.resolve({ platform: plan.platform, workspaceId: plan.workspaceId, userId: plan.requesterChatUserId });
  return identity !== undefined && identity.iamUserName.toLowerCase() === plan.requesterIamUser.toLowerCase() && identity.role !== 'viewer';
}

/** The request is void: its requester was unlinked (or remapped, or made a viewer) after asking. */
export async function voidForUnlinkedRequester(services: Services, approval: ApprovalRow, plan: RunPlanRow): Promise<boolean> {
  const note = translator(plan.requesterLocale)(APPROVAL_TEXT.requesterGoneNote);
  const voided = await change(services, approval, { state: 'void', decisionNote: note, ...(approval.via === 'itsm' ? { externalState: 'closed' as const } : {}) });
  if (!voided) return false;
  await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: note });
  await announce(services, voided, plan, APPROVAL_TEXT.toRequesterVoid, { script: plan.scriptName });
  await auditApproval(services, approval, 'approval void', note);
  await withdrawTicket(services, voided);
  return true;
}

export async function reject(context: CommandContext, approvalId: string, note: string): Promise<Message> {
  const { services, t, locale, actor, identity } = context;
  if (await scriptChangeOf(services, approvalId)) return rejectScriptChange(context, approvalId, note);
  if (await platformActionOf(services, approvalId)) return rejectPlatformAction(context, approvalId, note);
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, plan } = open;
  const expired = await expiredRefusal(context, approval, plan);
  if (expired) return expired;
  // Rejecting one's own request is withdrawing it: allowed, recorded as void (a decision by
  // someone else it is not — the database's four-eyes rule keeps the approver column for those).
  if (isRequester(context, approval)) {
    const withdrawn = await change(services, approval, {
      state: 'void',
      decidedAt: services.now(),
      decisionNote: translator(plan?.requesterLocale ?? locale)(APPROVAL_TEXT.withdrawnNote, { requester: approval.requesterIamUser, reason: note }),
      ...(approval.via === 'itsm' ? { externalState: 'closed' as const } : {}),
    });
    if (!withdrawn) return stateRefusal((await getApproval(services.db, approvalId)) ?? approval, plan, t, locale, context.backend.vocabulary);
    if (plan) {
      await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: 'withdrawn by the requester' });
      await editCard(services, withdrawn, plan);
    }
    await withdrawTicket(services, withdrawn);
    return { title: t(APPROVAL_TEXT.withdrawn), text: t(APPROVAL_TEXT.withdrawnText, { script: approval.scriptName }), tone: 'success' };
  }
  const notTheirs = deciderRefusal(context, approval, approverRuleOf(approval));
  if (notTheirs) return notTheirs;
  const tickets = approval.via === 'itsm' ? ticketsOf(services) : undefined;
  let won: ApprovalRow | undefined;
  if (tickets) {
    const decided = await decideThroughItsm(context, tickets, approval, 'reject', note);
    if (decided.kind === 'reply') return decided.message;
    won = decided.kind === 'decided' ? decided.approval : undefined;
  } else {
    won = await change(services, approval, {
      state: 'rejected',
      approverChatUserId: actor.userId,
      approverIamUser: identity.iamUserName,
      decidedAt: services.now(),
      decisionNote: note,
    });
  }
  if (!won) return stateRefusal((await getApproval(services.db, approvalId)) ?? approval, plan, t, locale, context.backend.vocabulary);
  if (plan) {
    await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: 'rejected' });
    await announce(services, won, plan, APPROVAL_TEXT.toRequesterRejected, { approver: identity.iamUserName, script: plan.scriptName });
  }
  return { title: t(APPROVAL_TEXT.rejected), text: t(APPROVAL_TEXT.rejectedText, { script: approval.scriptName, requester: approval.requesterIamUser }), tone: 'success' };
}

/** The background sweep: open requests past their time become expired, each announced once. */
export async function expireDueApprovals(services: Services): Promise<number> {
  let expired = 0;
  for (const id of await listDueApprovalIds(services.db, services.now())) {
    const approval = await getApproval(services.db, id);
    if (!approval || approval.state !== 'requested') continue;
    const plan = await getRunPlanByApproval(services.db, id);
    if (!(await expire(services, approval, plan))) continue;
    expired++;
    await auditApproval(services, approval, 'approval expired');
  }
  return expired;
}

/** A system row of the audit trail: the bot settled a request nobody decided (or ITSM did). */
export async function auditApproval(services: Services, approval: ApprovalRow, command: string, note?: string): Promise<void> {
  await insertAuditEvent(services.db, {
    platform: 'system',
    workspaceId: approval.workspaceId,
    command,
    target: approval.id,
    maskedParameters: { script: approval.scriptName, requester: approval.requesterIamUser, ...(approval.externalRef ? { ticket: nativeOf(approval.externalRef) } : {}) },
    outcome: 'succeeded',
    ...(note !== undefined ? { error: note } : {}),
  });
}
