/**
 * Filing an alarm's linked HIGH-risk script for a second person's approval (`alarms run <id>`,
 * its Request approval button): a four-eyes request like a HIGH-risk run's — an `approvals` row
 * posted where approvals go (the approvals channel, else where it was asked; to those who may
 * decide by direct message when the channel refuses), expiring at the same time, decided under
 * the same `approvals.approvers` rule (the approver role, the script's reviewers, or both) —
 * with what the preview showed beside it (store/alarm-runs.ts). Nothing is sent to the platform
 * here: the approval does that (alarm-run-decide.ts).
 */
import { platformName, type Alarm, type AlarmAutomation, type Script } from '../backends/index.js';
import type { ChatTarget } from '../core/chat-surface.js';
import type { CommandContext } from '../core/command.js';
import type { Message } from '../core/message.js';
import { refusalReply } from '../core/refusal.js';
import { placeName, whyUndelivered } from '../core/undelivered.js';
import { utcTime } from '../i18n/format.js';
import { translator } from '../i18n/translate.js';
import { isPublicScriptId } from '../run/script.js';
import { insertAlarmRun } from '../store/alarm-runs.js';
import { insertApproval, updateApprovalIfVersion } from '../store/approvals.js';
import { alarmRunCard, alarmRunVars } from './alarm-run-card.js';
import { ALARM_RUN_APPROVAL_TEXT as T } from './alarm-run-texts.js';
import { APPROVAL_TEXT } from './announce.js';
import { APPROVERS_TEXT, eligibleReviewers, snapshotEntry, type ApproverSnapshot } from './approvers.js';
import { deliverRequest } from './deliver-request.js';

/** What `plan.kind` of an approvals row says for an alarm run. */
export const ALARM_RUN_KIND = 'alarm-run';

/** What the preview showed, as the click that files it read it again. */
export interface AlarmRunProposal {
  readonly alarm: Alarm;
  readonly automation: AlarmAutomation;
  readonly script: Script;
  readonly risk: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly handlings: number | undefined;
  /** Unique to the preview the button was on: a redelivered click files nothing new. */
  readonly previewKey: string;
}

function requestTarget(context: CommandContext): ChatTarget {
  const { services, actor, place } = context;
  const configured = actor.platform === 'slack' ? services.config.approvals.channel.slack : actor.platform === 'discord' ? services.config.approvals.channel.discord : undefined;
  if (configured) return { platform: actor.platform, workspaceId: actor.workspaceId, channelId: configured };
  return { platform: actor.platform, workspaceId: actor.workspaceId, channelId: place.channelId, ...(place.threadId ? { threadId: place.threadId } : {}) };
}

/** Who may decide, fixed now; undefined when nobody but the requester could (the request is refused, nothing filed). */
function approversOf(context: CommandContext, script: Script): ApproverSnapshot | undefined {
  const rule = context.services.config.approvals.approvers;
  if (rule === 'role') return { rule, reviewers: [] };
  const snapshot: ApproverSnapshot = { rule, reviewers: [...script.reviewers] };
  return eligibleReviewers(snapshot, context.identity.iamUserName).length > 0 ? snapshot : undefined;
}

/** Files the request, posts its card, and says to the requester where it waits. */
export async function requestAlarmRun(context: CommandContext, proposal: AlarmRunProposal): Promise<Message> {
  const { services, t, actor, identity, place } = context;
  const approvers = approversOf(context, proposal.script);
  if (!approvers) {
    const vars = { script: proposal.script.name, platform: t(platformName(context.backend.name)), rule: services.config.approvals.approvers, requester: identity.iamUserName };
    const text = proposal.script.reviewers.length > 0 ? APPROVERS_TEXT.onlyRequesterText : isPublicScriptId(proposal.script.id) ? APPROVERS_TEXT.publicNoReviewersText : APPROVERS_TEXT.noReviewersText;
    return { ...refusalReply(t(APPROVERS_TEXT.nobodyCould), t(text, vars)), outcome: 'failed' };
  }
  const target = requestTarget(context);
  const { approval, created } = await insertApproval(services.db, {
    idempotencyKey: `alarm-run:${proposal.previewKey}`,
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    requesterChatUserId: actor.userId,
    requesterIamUser: identity.iamUserName,
    scriptId: proposal.script.id,
    scriptName: proposal.script.name,
    scriptContentHash: proposal.script.pin.hash,
    scriptModifiedAt: proposal.script.pin.modifiedAt,
    plan: { kind: ALARM_RUN_KIND, alarm: proposal.alarm.id, ...snapshotEntry(approvers) },
    channelId: target.channelId,
    expiresAt: new Date(services.now().getTime() + services.config.approvals.expiryMinutes * 60_000),
    createdAt: services.now(),
  });
  const run = await insertAlarmRun(services.db, {
    approvalId: approval.id,
    backend: context.backend.name,
    alarmId: proposal.alarm.id,
    alarmTitle: proposal.alarm.title,
    region: proposal.alarm.region ?? null,
    automation: { ...proposal.automation },
    parameters: { ...proposal.parameters },
    riskLevel: proposal.risk,
    handlings: proposal.handlings ?? null,
    requesterLocale: context.locale,
    channelId: place.channelId,
    threadRef: place.threadId ?? null,
  });
  context.audit.maskedParameters = { ...context.audit.maskedParameters, approval: approval.id, script: proposal.script.name, risk: proposal.risk };
  const vars = alarmRunVars(t, approval, run);
  // Filed before (a redelivered click): said as it stands, never posted twice.
  if (!created) {
    if (approval.state !== 'requested') return refusalReply(t(APPROVAL_TEXT.alreadyDecided), alarmRunCard(approval, run, context.locale, context.backend.vocabulary).fields?.[0]?.value ?? approval.state);
    return { title: t(T.requested, vars), text: t(T.requestedText, { where: '', time: utcTime(approval.expiresAt.getTime()) }), tone: 'info', footer: `approval ${approval.id}` };
  }
  const card = alarmRunCard(approval, run, run.requesterLocale, services.backend.vocabulary);
  const delivery = await deliverRequest(services, approval, target, card);
  switch (delivery.kind) {
    case 'channel': {
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { messageRef: delivery.posted.messageRef, channelId: delivery.posted.channelId });
      const where = target.channelId !== place.channelId ? t(APPROVAL_TEXT.inChannel, { channel: target.channelId }) : '';
      return { title: t(T.requested, vars), text: t(T.requestedText, { where, time: utcTime(approval.expiresAt.getTime()) }), tone: 'info', footer: `approval ${approval.id}` };
    }
    case 'direct':
      return { title: t(T.requestedDirect, vars), text: t(T.requestedText, { where: '', time: utcTime(approval.expiresAt.getTime()) }), tone: 'warning', footer: `approval ${approval.id}` };
    case 'nobody':
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'void', decisionNote: translator(run.requesterLocale)(T.reachedNobodyNote) });
      return {
        title: t(T.reachedNobody),
        text: t(T.reachedNobodyText, { where: placeName(target), why: whyUndelivered(t, target.platform, delivery.refusal, placeName(target)) }),
        tone: 'danger',
        outcome: 'failed',
        footer: `approval ${approval.id}`,
      };
  }
}
