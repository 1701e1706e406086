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
 *   void. Role and channel are checked by the dispatcher before this runs.
 * - Exactly one execution however many clicks: the approval's conditional state change in the
 *   database has one winner; only the winner moves the plan to 'starting' and calls COC.
 * - The requester is told the outcome; the request card is edited to show who decided.
 */
import { nativeOf, type Vocabulary } from '../backends/index.js';
import { phrase, say, type Phrase } from '../i18n/phrase.js';
import { FAILURE_TEXTS } from '../run/failure-reasons.js';
import { launchPlan, requesterBackend } from '../run/lifecycle.js';
import type { ChatTarget } from '../core/chat-surface.js';
import type { CommandContext, Services } from '../core/command.js';
import type { Message } from '../core/message.js';
import { utcTime } from '../i18n/format.js';
import { refusalReply } from '../core/refusal.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';
import { getApproval, insertApproval, listDueApprovalIds, updateApprovalIfVersion, type ApprovalChanges, type ApprovalRow } from '../store/approvals.js';
import { insertAuditEvent } from '../store/audit-events.js';
import { getRunPlanByApproval, moveRunPlan, type RunPlanRow } from '../store/run-plans.js';
import { approvalMessage } from '../run/messages.js';
import { planDetails } from '../run/plan-details.js';
import { planTarget } from '../run/start.js';
import { announce, APPROVAL_TEXT, editCard } from './announce.js';
import { deliverRequest, type RequestDelivery } from './deliver-request.js';
import { placeName, whyUndelivered } from '../core/undelivered.js';
import { cardNeverPosted } from '../orders/tracker-undelivered.js';

export { APPROVAL_TEXT, announce } from './announce.js';

/** Where approval requests of this platform go. */
export function approvalsTarget(services: Services, plan: RunPlanRow): ChatTarget {
  const configured = plan.platform === 'slack' ? services.config.approvals.channel.slack : plan.platform === 'discord' ? services.config.approvals.channel.discord : undefined;
  return configured ? { platform: plan.platform, workspaceId: plan.workspaceId, channelId: configured } : planTarget(plan);
}

/** Files the approval request of a plan the caller moved to 'requested', and posts it. */
export async function requestApproval(context: CommandContext, plan: RunPlanRow): Promise<Message> {
  const { services, t } = context;
  const expiresAt = new Date(services.now().getTime() + services.config.approvals.expiryMinutes * 60_000);
  const target = approvalsTarget(services, plan);
  const { approval, created } = await insertApproval(services.db, {
    idempotencyKey: `plan:${plan.id}`,
    platform: plan.platform,
    workspaceId: plan.workspaceId,
    requesterChatUserId: plan.requesterChatUserId,
    requesterIamUser: plan.requesterIamUser,
    scriptId: plan.scriptId,
    scriptName: plan.scriptName,
    scriptContentHash: plan.scriptContentHash,
    scriptModifiedAt: plan.scriptModifiedAt,
    plan: { planId: plan.id, hosts: planDetails(plan).batches.flatMap((b) => b.hosts.map((h) => ({ id: h.id, region: h.region, name: h.name }))), params: planDetails(plan).shownParams },
    channelId: target.channelId,
    expiresAt,
    createdAt: services.now(),
  });
  const linked = (await moveRunPlan(services.db, plan.id, ['requested'], 'requested', { approvalId: approval.id })) ?? plan;
  context.audit.target = approval.id;
  // Filed before (a redelivered click): said as it stands, never posted twice.
  if (!created) return approval.state === 'requested' ? requestedReply(context, plan, target, approval) : stateRefusal(approval, linked, t, context.locale, context.backend.vocabulary);
  // The card is in the requester's language: approvers see who asked and what, not prose.
  const card = approvalMessage(approval, linked, translator(plan.requesterLocale), plan.requesterLocale, services.backend.vocabulary);
  const delivery = await deliverRequest(services, approval, target, card);
  switch (delivery.kind) {
    case 'channel':
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { messageRef: delivery.posted.messageRef, channelId: delivery.posted.channelId });
      return requestedReply(context, plan, target, approval);
    case 'direct':
      return {
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
      return { ...reachedNobodyReply(context, plan, target, delivery), footer: `approval ${approval.id}` };
  }
}

function requestedReply(context: CommandContext, plan: RunPlanRow, target: ChatTarget, approval: ApprovalRow): Message {
  const { t } = context;
  const where = target.channelId !== plan.channelId ? t(APPROVAL_TEXT.inChannel, { channel: target.channelId }) : '';
  return {
    title: t(APPROVAL_TEXT.requested),
    text: t(APPROVAL_TEXT.requestedText, { script: plan.scriptName, where, time: utcTime(approval.expiresAt.getTime()) }),
    tone: 'info',
    footer: `approval ${approval.id}`,
  };
}

function reachedNobodyReply(context: CommandContext, plan: RunPlanRow, target: ChatTarget, delivery: Extract<RequestDelivery, { kind: 'nobody' }>): Message {
  const { t } = context;
  const direct = !delivery.fallback ? t(APPROVAL_TEXT.directOff) : delivery.approvers === 0 ? t(APPROVAL_TEXT.noApprovers) : t(APPROVAL_TEXT.directFailed, { count: delivery.approvers });
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
  const voided = await change(services, (await getApproval(services.db, approval.id)) ?? approval, { state: 'void', decisionNote: note });
  if (!voided) return;
  await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: note });
  await auditApproval(services, approval, 'approval void', note);
}

function stateRefusal(approval: ApprovalRow, plan: RunPlanRow | undefined, t: Translate, locale: CommandContext['locale'], vocabulary: Vocabulary): Message {
  const card = plan ? approvalMessage(approval, plan, t, locale, vocabulary) : undefined;
  return refusalReply(t(APPROVAL_TEXT.alreadyDecided), card?.fields?.[0]?.value ?? approval.state);
}

async function change(services: Services, approval: ApprovalRow, changes: ApprovalChanges): Promise<ApprovalRow | undefined> {
  return updateApprovalIfVersion(services.db, approval.id, approval.version, changes);
}

/** Marks an open request expired (if it still is open) and tells everyone once. */
async function expire(services: Services, approval: ApprovalRow, plan: RunPlanRow | undefined): Promise<void> {
  const expired = await change(services, approval, { state: 'expired' });
  if (!expired || !plan) return;
  await moveRunPlan(services.db, plan.id, ['requested'], 'expired');
  await announce(services, expired, plan, APPROVAL_TEXT.toRequesterExpired, { script: plan.scriptName });
}

/** The same person as the requester: the same chat user, or the same IAM user from anywhere. */
function isRequester(context: CommandContext, approval: ApprovalRow): boolean {
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
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, plan } = open;
  if (isRequester(context, approval)) {
    return refusalReply(t(APPROVAL_TEXT.own), t(APPROVAL_TEXT.ownText, { requester: approval.requesterIamUser }));
  }
  const expired = await expiredRefusal(context, approval, plan);
  if (expired) return expired;
  if (!plan) return refusalReply(t(APPROVAL_TEXT.notFound), t(APPROVAL_TEXT.notFoundText, { id: approvalId }));
  // A run is made for its requester: one who is no longer linked to the bot gets none.
  if (!(await requesterStillLinked(services, plan))) {
    await voidForUnlinkedRequester(services, approval, plan);
    return refusalReply(t(APPROVAL_TEXT.requesterGone), t(APPROVAL_TEXT.requesterGoneText, { requester: approval.requesterIamUser }));
  }

  // The single winner: of any number of concurrent clicks, one changes the row.
  const won = await change(services, approval, {
    state: 'approved',
    approverChatUserId: actor.userId,
    approverIamUser: identity.iamUserName,
    decidedAt: services.now(),
  });
  if (!won) {
    const now = (await getApproval(services.db, approvalId)) ?? approval;
    return stateRefusal(now, plan, t, locale, context.backend.vocabulary);
  }
  services.metrics.approvalWait((services.now().getTime() - approval.createdAt.getTime()) / 1000);
  const vars = { approver: identity.iamUserName, script: plan.scriptName };
  // A reason is stored as the requester reads it (their plan, their card) and said to the approver in theirs.
  const fail = async (reason: Phrase): Promise<Message> => {
    const failed = await change(services, won, { state: 'failed', error: say(reason, translator(plan.requesterLocale)) });
    if (failed) await announce(services, failed, plan, APPROVAL_TEXT.toRequesterFailed, vars);
    return refusalReply(t(APPROVAL_TEXT.approvedFailed), say(reason, t));
  };
  // Executed with the requester's own rights when they have a credential of their own. The plan
  // and this request are settled inside (requester told); the approver gets the reply.
  const launched = await launchPlan(services, plan, ['requested'], requesterBackend(services));
  if (launched.kind === 'not-claimed') return fail(phrase(FAILURE_TEXTS.notWaiting, { state: plan.state }));
  // Nothing was sent: the run failed with the reason, and the request with it.
  if (launched.kind === 'not-ready') return fail(launched.reason);
  const { plan: starting, outcome } = launched;
  switch (outcome.kind) {
    case 'started': {
      context.audit.maskedParameters = { ...context.audit.maskedParameters, run: outcome.run };
      const hosts = planDetails(starting).batches.reduce((n, b) => n + b.hosts.length, 0);
      const noCard = await cardNeverPosted(services.db, outcome.run, planTarget(starting));
      return {
        title: t(outcome.foundBy === 'answer' ? APPROVAL_TEXT.approvedStarted : APPROVAL_TEXT.approvedFoundLate, { uuid: nativeOf(outcome.run) }),
        text: noCard
          ? t(APPROVAL_TEXT.approvedStartedNoCard, { script: plan.scriptName, hosts, where: placeName(planTarget(starting)), uuid: nativeOf(outcome.run) })
          : t(APPROVAL_TEXT.approvedStartedText, { script: plan.scriptName, hosts }),
        tone: 'success',
      };
    }
    case 'changed': {
      // Checked after this click won, immediately before the execute: the script read just now is not the one requested.
      const voided = await change(services, won, { state: 'void', decisionNote: translator(plan.requesterLocale)(APPROVAL_TEXT.changedNote) });
      if (voided) await announce(services, voided, plan, APPROVAL_TEXT.toRequesterVoid, { script: plan.scriptName });
      return refusalReply(t(outcome.gone ? APPROVAL_TEXT.gone : APPROVAL_TEXT.changed), t(APPROVAL_TEXT.changedText, { script: plan.scriptName, requester: approval.requesterIamUser }));
    }
    case 'refused':
      await announceOutcome(services, approvalId, plan, APPROVAL_TEXT.toRequesterFailed, vars, 'failed');
      return refusalReply(t(APPROVAL_TEXT.approvedFailed), say(outcome.reason, t));
    case 'unknown':
      await announceOutcome(services, approvalId, plan, APPROVAL_TEXT.toRequesterUnknown, vars, 'unknown');
      return { title: t(APPROVAL_TEXT.approvedUnknown), text: say(outcome.reason, t), tone: 'warning', outcome: 'failed' };
  }
}

/**
 * Tells the requester how their approved request ended, with its card as it is now — unless it
 * has moved on since (another replica found the order meanwhile and told them so).
 */
async function announceOutcome(services: Services, approvalId: string, plan: RunPlanRow, notice: Text, vars: Record<string, string>, expected: ApprovalRow['state']): Promise<void> {
  const now = await getApproval(services.db, approvalId);
  if (now?.state === expected) await announce(services, now, plan, notice, vars);
}

/** Whether the requester is still mapped to the IAM user the plan was made for. */
async function requesterStillLinked(services: Services, plan: RunPlanRow): Promise<boolean> {
  const identity = await services.identities.resolve({ platform: plan.platform, workspaceId: plan.workspaceId, userId: plan.requesterChatUserId });
  return identity !== undefined && identity.iamUserName.toLowerCase() === plan.requesterIamUser.toLowerCase() && identity.role !== 'viewer';
}

/** The request is void: its requester was unlinked (or remapped, or made a viewer) after asking. */
export async function voidForUnlinkedRequester(services: Services, approval: ApprovalRow, plan: RunPlanRow): Promise<boolean> {
  const note = translator(plan.requesterLocale)(APPROVAL_TEXT.requesterGoneNote);
  const voided = await change(services, approval, { state: 'void', decisionNote: note });
  if (!voided) return false;
  await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: note });
  await announce(services, voided, plan, APPROVAL_TEXT.toRequesterVoid, { script: plan.scriptName });
  await auditApproval(services, approval, 'approval void', note);
  return true;
}

export async function reject(context: CommandContext, approvalId: string, note: string): Promise<Message> {
  const { services, t, locale, actor, identity } = context;
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
    });
    if (!withdrawn) return stateRefusal((await getApproval(services.db, approvalId)) ?? approval, plan, t, locale, context.backend.vocabulary);
    if (plan) {
      await moveRunPlan(services.db, plan.id, ['requested'], 'canceled', { error: 'withdrawn by the requester' });
      await editCard(services, withdrawn, plan);
    }
    return { title: t(APPROVAL_TEXT.withdrawn), text: t(APPROVAL_TEXT.withdrawnText, { script: approval.scriptName }), tone: 'success' };
  }
  const won = await change(services, approval, {
    state: 'rejected',
    approverChatUserId: actor.userId,
    approverIamUser: identity.iamUserName,
    decidedAt: services.now(),
    decisionNote: note,
  });
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
    const done = await change(services, approval, { state: 'expired' });
    if (!done) continue;
    expired++;
    if (plan) {
      await moveRunPlan(services.db, plan.id, ['requested'], 'expired');
      await announce(services, done, plan, APPROVAL_TEXT.toRequesterExpired, { script: plan.scriptName });
    }
    await auditApproval(services, approval, 'approval expired');
  }
  return expired;
}

/** A system row of the audit trail: the bot settled a request nobody decided. */
async function auditApproval(services: Services, approval: ApprovalRow, command: string, note?: string): Promise<void> {
  await insertAuditEvent(services.db, {
    platform: 'system',
    workspaceId: approval.workspaceId,
    command,
    target: approval.id,
    maskedParameters: { script: approval.scriptName, requester: approval.requesterIamUser },
    outcome: 'succeeded',
    ...(note !== undefined ? { error: note } : {}),
  });
}
