/**
 * Deciding an alarm run request (an alarm's linked HIGH-risk script): the same Approve / Reject
 * buttons, expiry and audit as a HIGH-risk run's request (approvals.ts hands these requests
 * here), with the rules of `alarms run`:
 *
 * - never the requester (the same chat user, or the same IAM user from anywhere); otherwise the
 *   request's own `approvals.approvers` rule, as for run (the dispatcher checks the role first);
 * - re-checked on the click, as the requester (who must still be linked, not as a viewer): the
 *   alarm still exists, is not cleared, has no handling since the request, is still linked to
 *   the same script, and the script is exactly the one previewed (hash and modification time) —
 *   else the request is void and the requester told; an alarm that cannot be read now leaves it
 *   open;
 * - one click wins (the approval's versioned update), and only the winner stamps the write
 *   'sending' and asks the platform to auto-process, once. A lost answer is settled by the
 *   alarm's handling history (one more handling = it ran), never by sending again.
 */
import { makeId, need, platformName, writeFailureOf, type AlarmsCapability, type Backend } from '../backends/index.js';
import type { CommandContext, Services } from '../core/command.js';
import { errorToMessage, isExpectedError } from '../core/errors-to-message.js';
import { lostAnswer } from '../core/lost-answer.js';
import type { Message } from '../core/message.js';
import { refusalReply } from '../core/refusal.js';
import { utcTime } from '../i18n/format.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';
import { getAlarmRun, moveAlarmRunWrite, type AlarmRunRow } from '../store/alarm-runs.js';
import { getApproval, updateApprovalIfVersion, type ApprovalChanges, type ApprovalRow } from '../store/approvals.js';
import { alarmRunCard, alarmRunVars, announceAlarmRun } from './alarm-run-card.js';
import { ALARM_RUN_APPROVAL_TEXT as T } from './alarm-run-texts.js';
import { APPROVAL_TEXT } from './announce.js';
import { expire, isRequester } from './approvals.js';
import { approverRuleOf, APPROVERS_TEXT, deciderProblem, whoInShort } from './approvers.js';

/** The alarm run of a request, when the request is one. */
export async function alarmRunOf(services: Services, approvalId: string): Promise<AlarmRunRow | undefined> {
  return getAlarmRun(services.db, approvalId);
}

function stateRefusal(context: CommandContext, approval: ApprovalRow, run: AlarmRunRow): Message {
  const card = alarmRunCard(approval, run, context.locale, context.backend.vocabulary);
  return refusalReply(context.t(APPROVAL_TEXT.alreadyDecided), card.fields?.[0]?.value ?? approval.state);
}

/** The open request a click decides, or the refusal that says why not. */
async function openRequest(context: CommandContext, approvalId: string): Promise<{ approval: ApprovalRow; run: AlarmRunRow } | Message> {
  const { services, t } = context;
  context.audit.target = approvalId;
  const approval = await getApproval(services.db, approvalId);
  const run = await getAlarmRun(services.db, approvalId);
  if (!approval || !run) return refusalReply(t(APPROVAL_TEXT.notFound), t(APPROVAL_TEXT.notFoundText, { id: approvalId }));
  context.audit.maskedParameters = { ...context.audit.maskedParameters, alarm: run.alarmId, script: approval.scriptName };
  if (approval.state !== 'requested') return stateRefusal(context, approval, run);
  if (services.now().getTime() >= approval.expiresAt.getTime()) {
    await expire(services, approval, undefined);
    return refusalReply(t(APPROVAL_TEXT.expired), t(APPROVAL_TEXT.expiredText, { requester: approval.requesterIamUser, time: utcTime(approval.expiresAt.getTime()) }));
  }
  return { approval, run };
}

function deciderRefusal(context: CommandContext, approval: ApprovalRow): Message | undefined {
  const { t, identity } = context;
  const rule = approverRuleOf(approval);
  const problem = deciderProblem(rule, identity);
  if (!problem) return undefined;
  const vars = { rule: rule.rule, script: approval.scriptName, platform: t(platformName(approval.backend)), you: identity.iamUserName, role: identity.role };
  const text = problem === 'not-reviewer' ? APPROVERS_TEXT.notReviewerText : problem === 'needs-approver' ? APPROVERS_TEXT.needsApproverText : APPROVERS_TEXT.viewerText;
  return refusalReply(t(APPROVERS_TEXT.onlyThey, { who: whoInShort(t, rule, approval.requesterIamUser) }), t(text, vars));
}

/** The requester as linked now, with the platform acting as them; undefined when they no longer may run. */
async function requesterBackend(services: Services, approval: ApprovalRow): Promise<Backend | undefined> {
  const identity = await services.identities.resolve({ platform: approval.platform, workspaceId: approval.workspaceId, userId: approval.requesterChatUserId }, { fresh: true });
  if (!identity || identity.role === 'viewer' || identity.iamUserName.toLowerCase() !== approval.requesterIamUser.toLowerCase()) return undefined;
  return services.backendFor(identity);
}

/** Voids an open request (if it still is) and tells the requester; true when this call voided it. */
async function voidRequest(services: Services, approval: ApprovalRow, run: AlarmRunRow, note: string): Promise<boolean> {
  const voided = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'void', decisionNote: note });
  if (!voided) return false;
  await announceAlarmRun(services, voided, run, { text: T.toRequesterVoid });
  return true;
}

/** Why the request no longer matches the alarm and its script (its words), or undefined when it does. */
async function staleness(backend: Backend, approval: ApprovalRow, run: AlarmRunRow): Promise<Text | undefined> {
  const alarms = need(backend, 'alarms');
  const alarm = await alarms.get!(run.alarmId);
  if (!alarm) return T.goneSince;
  // Ended (the alarm centre's resolved alarm) or cleared (a reported one): nothing is left to handle.
  if (alarm.endedAt !== undefined || alarm.statusCode === alarms.statusCodes.cleared) return T.clearedSince;
  const automation = alarm.automation;
  if (!automation || automation.kind !== run.automation.kind || automation.id !== run.automation.id) return T.relinkedSince;
  const script = await need(backend, 'scripts').get(makeId(backend.name, 'script', automation.id));
  if (!script || script.pin.hash !== approval.scriptContentHash || script.pin.modifiedAt !== approval.scriptModifiedAt) return T.scriptChangedSince;
  if (run.handlings !== null && alarms.history) {
    const now = await alarms.history(run.alarmId, { limit: 1, offset: 0 });
    if (now.total > run.handlings) return T.handledSince;
  }
  return undefined;
}

export async function approveAlarmRun(context: CommandContext, approvalId: string): Promise<Message> {
  const { services, t, actor, identity } = context;
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, run } = open;
  if (isRequester(context, approval)) return refusalReply(t(T.own), t(T.ownText, { requester: approval.requesterIamUser }));
  const notTheirs = deciderRefusal(context, approval);
  if (notTheirs) return notTheirs;
  const requesterT = translator(run.requesterLocale);
  const vars = alarmRunVars(t, approval, run);

  let backend: Backend | undefined;
  try {
    backend = await requesterBackend(services, approval);
  } catch (error) {
    // The requester's own credential is not ready: nothing can be sent as them.
    if (!isExpectedError(error)) throw error;
    const why = errorToMessage(error, t).title ?? '?';
    await voidRequest(services, approval, run, `${requesterT(T.notReady)}: ${errorToMessage(error, requesterT).title ?? '?'}`);
    return refusalReply(t(T.notReady), why);
  }
  if (!backend) {
    await voidRequest(services, approval, run, requesterT(APPROVAL_TEXT.requesterGoneNote));
    return refusalReply(t(APPROVAL_TEXT.requesterGone), t(APPROVAL_TEXT.requesterGoneText, { requester: approval.requesterIamUser }));
  }
  let stale: Text | undefined;
  try {
    stale = await staleness(backend, approval, run);
  } catch (error) {
    if (!isExpectedError(error)) throw error;
    return refusalReply(t(T.unreadable, vars), t(T.unreadableText, { why: errorToMessage(error, t).title ?? '?' }));
  }
  if (stale) {
    await voidRequest(services, approval, run, requesterT(stale, alarmRunVars(requesterT, approval, run)));
    return refusalReply(t(stale, vars), t(T.staleText, vars));
  }

  // The single winner of any number of clicks (on any replica); only it stamps the write and sends it.
  const won = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'approved', approverChatUserId: actor.userId, approverIamUser: identity.iamUserName, decidedAt: services.now() });
  if (!won) return stateRefusal(context, (await getApproval(services.db, approvalId)) ?? approval, run);
  const sending = await moveAlarmRunWrite(services.db, approval.id, ['none'], { writeState: 'sending' });
  if (!sending) return stateRefusal(context, won, run);
  const outcome = await sendOnce(context, backend, sending);
  context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: outcome.kind };
  const recorded = (await recordOutcome(services, won, sending, outcome, ['sending'])) ?? { approval: won, run: sending };
  return replyOf(context, recorded.approval, recorded.run, outcome);
}

/** What the one write came to, as far as the platform's answer or the alarm's history proves. */
export type AlarmRunOutcome =
  | { readonly kind: 'done'; readonly workOrder?: string; readonly lostAnswer?: string }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'not-done'; readonly answer: string }
  | { readonly kind: 'unknown'; readonly answer: string };

async function sendOnce(context: CommandContext, backend: Backend, run: AlarmRunRow): Promise<AlarmRunOutcome> {
  const alarms: AlarmsCapability = need(backend, 'alarms');
  if (!alarms.runLinked) throw new Error('alarm run approval: the backend declares alarms.run-linked without runLinked');
  try {
    const sent = await alarms.runLinked({ alarm: run.alarmId, automation: run.automation, parameters: run.parameters, ...(run.region ? { region: run.region } : {}) });
    return { kind: 'done', ...(sent.workOrder ? { workOrder: sent.workOrder } : {}) };
  } catch (error) {
    if (writeFailureOf(error) === 'refused') return { kind: 'refused', reason: errorToMessage(error, translator(run.requesterLocale)).text ?? String(error) };
    const answer = lostAnswer(error, translator(run.requesterLocale));
    return (await readBack(alarms, run, answer)) ?? { kind: 'unknown', answer };
  }
}

/** A lost answer settled by the alarm's handlings: one more = it ran, the same = it did not; undefined when it cannot tell. */
async function readBack(alarms: AlarmsCapability, run: AlarmRunRow, answer: string): Promise<AlarmRunOutcome | undefined> {
  if (!alarms.history || run.handlings === null) return undefined;
  try {
    const after = await alarms.history(run.alarmId, { limit: 1, offset: 0 });
    if (after.total > run.handlings) return { kind: 'done', ...(after.handlings[0]?.workOrder ? { workOrder: after.handlings[0].workOrder } : {}), lostAnswer: answer };
    return { kind: 'not-done', answer };
  } catch {
    return undefined;
  }
}

function noteOf(t: Translate, approval: ApprovalRow, run: AlarmRunRow, outcome: AlarmRunOutcome): string | undefined {
  const vars = alarmRunVars(t, approval, run);
  switch (outcome.kind) {
    case 'done':
      return undefined;
    case 'refused':
      return outcome.reason;
    case 'not-done':
      return t(T.notDoneNote, { ...vars, answer: outcome.answer });
    case 'unknown':
      return t(T.unknownNote, { ...vars, answer: outcome.answer });
  }
}

/**
 * Records the outcome of a write in one of `from` (one conditional step: of the approver and
 * recovery only one records it), gives the request the matching state, and tells the requester.
 */
export async function recordOutcome(services: Services, approval: ApprovalRow, run: AlarmRunRow, outcome: AlarmRunOutcome, from: readonly AlarmRunRow['writeState'][]): Promise<{ approval: ApprovalRow; run: AlarmRunRow } | undefined> {
  const note = noteOf(translator(run.requesterLocale), approval, run, outcome);
  const steps: { writeState: AlarmRunRow['writeState']; approval: ApprovalChanges; notice: Text } =
    outcome.kind === 'done'
      ? { writeState: 'done', approval: { state: 'executed' }, notice: T.toRequesterDone }
      : outcome.kind === 'unknown'
        ? { writeState: 'unknown', approval: { state: 'unknown', error: note! }, notice: T.toRequesterUnknown }
        : { writeState: 'refused', approval: { state: 'failed', error: note! }, notice: T.toRequesterNotRun };
  const moved = await moveAlarmRunWrite(services.db, approval.id, from, {
    writeState: steps.writeState,
    ...(outcome.kind === 'done' && outcome.workOrder ? { workOrder: outcome.workOrder } : {}),
    ...(note ? { error: note } : {}),
  });
  if (!moved) return undefined;
  const decided = (await updateApprovalIfVersion(services.db, approval.id, approval.version, steps.approval)) ?? approval;
  await announceAlarmRun(services, decided, moved, { text: steps.notice });
  return { approval: decided, run: moved };
}

function replyOf(context: CommandContext, approval: ApprovalRow, run: AlarmRunRow, outcome: AlarmRunOutcome): Message {
  const { t } = context;
  const vars = alarmRunVars(t, approval, run);
  const footer = `approval ${approval.id}`;
  switch (outcome.kind) {
    case 'done':
      return {
        title: t(T.done, vars),
        text: [...(outcome.lostAnswer ? [t(T.doneLate, { ...vars, answer: outcome.lostAnswer })] : []), t(T.doneText, vars)].join(' '),
        tone: 'success',
        fields: run.workOrder ? [{ label: t(T.workOrder), value: run.workOrder }] : [],
        footer,
      };
    case 'refused':
      return { ...refusalReply(t(T.refused, vars), outcome.reason), footer };
    case 'not-done':
      return { ...refusalReply(t(T.notDone), t(T.notDoneNote, { ...vars, answer: outcome.answer })), footer };
    case 'unknown':
      return { title: t(T.unknown), text: t(T.unknownNote, { ...vars, answer: outcome.answer }), tone: 'warning', outcome: 'failed', footer };
  }
}

export async function rejectAlarmRun(context: CommandContext, approvalId: string, note: string): Promise<Message> {
  const { services, t, actor, identity } = context;
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, run } = open;
  const vars = alarmRunVars(t, approval, run);
  if (isRequester(context, approval)) {
    const withdrawn = await updateApprovalIfVersion(services.db, approval.id, approval.version, {
      state: 'void',
      decidedAt: services.now(),
      decisionNote: translator(run.requesterLocale)(APPROVAL_TEXT.withdrawnNote, { requester: approval.requesterIamUser, reason: note }),
    });
    if (!withdrawn) return stateRefusal(context, (await getApproval(services.db, approvalId)) ?? approval, run);
    await announceAlarmRun(services, withdrawn, run);
    return { title: t(T.withdrawn), text: t(T.withdrawnText, vars), tone: 'success' };
  }
  const notTheirs = deciderRefusal(context, approval);
  if (notTheirs) return notTheirs;
  const won = await updateApprovalIfVersion(services.db, approval.id, approval.version, {
    state: 'rejected',
    approverChatUserId: actor.userId,
    approverIamUser: identity.iamUserName,
    decidedAt: services.now(),
    decisionNote: note,
  });
  if (!won) return stateRefusal(context, (await getApproval(services.db, approvalId)) ?? approval, run);
  await announceAlarmRun(services, won, run, { text: T.toRequesterRejected });
  return { title: t(APPROVAL_TEXT.rejected), text: t(T.rejectedText, vars), tone: 'success' };
}

/** A request that just expired: its card edited, its requester told. */
export async function alarmRunExpired(services: Services, expired: ApprovalRow): Promise<void> {
  const run = await getAlarmRun(services.db, expired.id);
  if (run) await announceAlarmRun(services, expired, run, { text: T.toRequesterExpired });
}

/** The card of a request, when it is an alarm run (`approvals`, `approval show`). */
export async function alarmRunCardOf(context: CommandContext, approval: ApprovalRow): Promise<Message | undefined> {
  const run = await getAlarmRun(context.services.db, approval.id);
  if (!run) return undefined;
  const expired = approval.state === 'requested' && approval.expiresAt.getTime() <= context.services.now().getTime();
  return { ...alarmRunCard(expired ? { ...approval, state: 'expired' } : approval, run, context.locale, context.backend.vocabulary), outcome: 'succeeded' };
}

/**
 * Recovery: a request left 'approved' (the process stopped after the winning click). Never sent
 * again: a write not yet stamped 'sending' was never sent (failed, "request again"); one stamped
 * is settled by the alarm's handlings (one more = it ran), else it stays unknown with the check
 * to run. undefined when the request is not an alarm run; true when it was settled here.
 */
export async function settleLeftAlarmRun(services: Services, approval: ApprovalRow): Promise<boolean | undefined> {
  const run = await getAlarmRun(services.db, approval.id);
  if (!run) return undefined;
  if (approval.state !== 'approved') return false;
  const t = translator(run.requesterLocale);
  if (run.writeState === 'none') {
    return (await recordOutcome(services, approval, run, { kind: 'refused', reason: t(T.interruptedNote) }, ['none'])) !== undefined;
  }
  if (run.writeState !== 'sending') return false;
  const answer = t(T.interruptedSendingNote);
  const alarms = services.backend.alarms;
  const outcome = (alarms ? await readBack(alarms, run, answer) : undefined) ?? { kind: 'unknown' as const, answer };
  return (await recordOutcome(services, approval, run, outcome.kind === 'not-done' ? { kind: 'unknown', answer } : outcome, ['sending'])) !== undefined;
}
