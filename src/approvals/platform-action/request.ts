/**
 * Filing an approved platform action (an alarm's linked automation, a runbook) for a second
 * person's approval: a four-eyes request like a HIGH-risk run's — an `approvals` row posted where
 * approvals go (the approvals channel, else where it was asked; to those who may decide by direct
 * message when the channel refuses), expiring at the same time, decided under the same
 * `approvals.approvers` rule — with its typed plan beside it (store/platform-actions.ts). Nothing
 * is sent to the platform here: the approval does that (decide.ts).
 */
import { platformName, type ScriptId } from '../../backends/index.js';
import type { CommandContext } from '../../core/command.js';
import type { Message } from '../../core/message.js';
import { refusalReply } from '../../core/refusal.js';
import { utcTime } from '../../i18n/format.js';
import { translator, type Text } from '../../i18n/translate.js';
import { insertApproval, updateApprovalIfVersion } from '../../store/approvals.js';
import { insertPlatformAction, type PlatformActionPlan } from '../../store/platform-actions.js';
import { APPROVAL_TEXT } from '../announce.js';
import { APPROVERS_TEXT, eligibleReviewers, snapshotEntry, type ApproverSnapshot } from '../approvers.js';
import { deliverRequest, reachedNobodyReply, requestTarget } from '../deliver-request.js';
import { actionVars, platformActionCard } from './card.js';
import { kindOf } from './kinds.js';

/** What `plan.kind` of an approvals row says for an approved platform action (its `action` names the kind). */
export const PLATFORM_ACTION_KIND = 'platform-action';

export interface PlatformActionProposal {
  readonly plan: PlatformActionPlan;
  /** What the approvals row is pinned to: the script or runbook as previewed (a runbook's definition hash, no time). */
  readonly pin: { readonly id: ScriptId; readonly name: string; readonly hash: string; readonly modifiedAt: number };
  /** The reviewers the platform names for it (a runbook names none). */
  readonly reviewers: readonly string[];
  /** Why nobody but the requester could decide it, when that is so. */
  readonly nobodyText: Text;
  /** Unique to the preview the button was on: a redelivered click files nothing new. */
  readonly previewKey: string;
}

/** Who may decide, fixed now; undefined when nobody but the requester could (the request is refused, nothing filed). */
function approversOf(context: CommandContext, reviewers: readonly string[]): ApproverSnapshot | undefined {
  const rule = context.services.config.approvals.approvers;
  if (rule === 'role') return { rule, reviewers: [] };
  const snapshot: ApproverSnapshot = { rule, reviewers: [...reviewers] };
  return eligibleReviewers(snapshot, context.identity.iamUserName).length > 0 ? snapshot : undefined;
}

/** Files the request, posts its card, and says to the requester where it waits. */
export async function requestPlatformAction(context: CommandContext, proposal: PlatformActionProposal): Promise<Message> {
  const { services, t, actor, identity, place } = context;
  const approvers = approversOf(context, proposal.reviewers);
  if (!approvers) {
    const vars = { script: proposal.pin.name, platform: t(platformName(context.backend.name)), rule: services.config.approvals.approvers, requester: identity.iamUserName };
    return { ...refusalReply(t(APPROVERS_TEXT.nobodyCould), t(proposal.nobodyText, vars)), outcome: 'failed' };
  }
  const target = requestTarget(context);
  const { approval, created } = await insertApproval(services.db, {
    idempotencyKey: `${proposal.plan.kind}:${proposal.previewKey}`,
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    requesterChatUserId: actor.userId,
    requesterIamUser: identity.iamUserName,
    scriptId: proposal.pin.id,
    scriptName: proposal.pin.name,
    scriptContentHash: proposal.pin.hash,
    scriptModifiedAt: proposal.pin.modifiedAt,
    plan: { kind: PLATFORM_ACTION_KIND, action: proposal.plan.kind, ...snapshotEntry(approvers) },
    channelId: target.channelId,
    expiresAt: new Date(services.now().getTime() + services.config.approvals.expiryMinutes * 60_000),
    createdAt: services.now(),
  });
  const action = await insertPlatformAction(services.db, {
    approvalId: approval.id,
    backend: context.backend.name,
    plan: proposal.plan,
    requesterLocale: context.locale,
    channelId: place.channelId,
    threadRef: place.threadId ?? null,
  });
  context.audit.maskedParameters = { ...context.audit.maskedParameters, approval: approval.id, action: action.kind, risk: action.plan.risk };
  const T = kindOf(action).texts;
  const vars = actionVars(t, approval, action, context.locale, context.backend.vocabulary);
  const waiting = (where: string): string => t(T.requestedText, { where, time: utcTime(approval.expiresAt.getTime()) });
  // Filed before (a redelivered click): said as it stands, never posted twice.
  if (!created) {
    if (approval.state !== 'requested') return refusalReply(t(APPROVAL_TEXT.alreadyDecided), platformActionCard(approval, action, context.locale, context.backend.vocabulary).fields?.[0]?.value ?? approval.state);
    return { title: t(T.requested, vars), text: waiting(''), tone: 'info', footer: `approval ${approval.id}` };
  }
  const card = platformActionCard(approval, action, action.requesterLocale, services.backend.vocabulary);
  const delivery = await deliverRequest(services, approval, target, card);
  switch (delivery.kind) {
    case 'channel': {
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { messageRef: delivery.posted.messageRef, channelId: delivery.posted.channelId });
      const where = target.channelId !== place.channelId ? t(APPROVAL_TEXT.inChannel, { channel: target.channelId }) : '';
      return { title: t(T.requested, vars), text: waiting(where), tone: 'info', footer: `approval ${approval.id}` };
    }
    case 'direct':
      return { title: t(T.requestedDirect, vars), text: waiting(''), tone: 'warning', footer: `approval ${approval.id}` };
    case 'nobody':
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'void', decisionNote: translator(action.requesterLocale)(T.reachedNobodyNote) });
      return reachedNobodyReply(t, target, delivery, approval.id, T);
  }
}
