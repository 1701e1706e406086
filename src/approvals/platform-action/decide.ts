/**
 * Deciding an approved platform action's request (an alarm's linked automation, a runbook): the
 * same Approve / Reject buttons, expiry and audit as a HIGH-risk run's request (approvals.ts hands
 * these requests here), the same for every kind:
 *
 * - never the requester (the same chat user, or the same IAM user from anywhere); otherwise the
 *   request's own `approvals.approvers` rule, as for run (the dispatcher checks the role first);
 * - re-checked on the click, as the requester (who must still be linked, not as a viewer),
 *   against the platform by the kind's own rules (kinds.ts): anything that differs from the
 *   preview makes the request void, naming what changed, and the requester is told; a platform
 *   that cannot be read now leaves it open;
 * - one click wins (the approval's versioned update), and only the winner stamps the write
 *   'sending' in the store and sends it, once (the transport audits its intent before it leaves).
 *   A lost answer is settled by the kind's read-back, never by sending again.
 */
import { platformName, writeFailureOf, type Backend } from '../../backends/index.js';
import type { CommandContext, Services } from '../../core/command.js';
import { errorToMessage, isExpectedError } from '../../core/errors-to-message.js';
import { lostAnswer } from '../../core/lost-answer.js';
import type { Message } from '../../core/message.js';
import { refusalReply } from '../../core/refusal.js';
import { translator, type Text, type Translate } from '../../i18n/translate.js';
import { getApproval, updateApprovalIfVersion, type ApprovalChanges, type ApprovalRow } from '../../store/approvals.js';
import { getPlatformAction, listUnknownPlatformActions, movePlatformActionWrite, type PlatformActionRow, type PlatformActionWriteState } from '../../store/platform-actions.js';
import { APPROVAL_TEXT } from '../announce.js';
import { isRequester } from '../approvals.js';
import { expiredAt, openRequestWith, recordRejection } from '../open-request.js';
import { approverRuleOf, APPROVERS_TEXT, deciderProblem, whoInShort } from '../approvers.js';
import { actionVars, announceAction, platformActionCard } from './card.js';
import { kindOf } from './kinds.js';

/** The action of a request, when the request is one. */
export async function platformActionOf(services: Services, approvalId: string): Promise<PlatformActionRow | undefined> {
  return getPlatformAction(services.db, approvalId);
}

function varsFor(context: CommandContext, approval: ApprovalRow, action: PlatformActionRow): Record<string, string> {
  return actionVars(context.t, approval, action, context.locale, context.backend.vocabulary);
}

function stateRefusal(context: CommandContext, approval: ApprovalRow, action: PlatformActionRow): Message {
  const card = platformActionCard(approval, action, context.locale, context.backend.vocabulary);
  return refusalReply(context.t(APPROVAL_TEXT.alreadyDecided), card.fields?.[0]?.value ?? approval.state);
}

/** The open request a click decides, or the refusal that says why not. */
async function openRequest(context: CommandContext, approvalId: string): Promise<{ approval: ApprovalRow; action: PlatformActionRow } | Message> {
  const open = await openRequestWith(context, approvalId, {
    read: getPlatformAction,
    audit: (approval, action) => ({ action: action.kind, script: approval.scriptName }),
    decided: (approval, action) => stateRefusal(context, approval, action),
    expiredText: (approval) => expiredAt(context, approval),
  });
  return 'row' in open ? { approval: open.approval, action: open.row } : open;
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

/** The requester as linked now, with the platform acting as them; undefined when they no longer may act. */
async function requesterBackend(services: Services, approval: ApprovalRow): Promise<Backend | undefined> {
  const identity = await services.identities.resolve({ platform: approval.platform, workspaceId: approval.workspaceId, userId: approval.requesterChatUserId }, { fresh: true });
  if (!identity || identity.role === 'viewer' || identity.iamUserName.toLowerCase() !== approval.requesterIamUser.toLowerCase()) return undefined;
  return services.backendFor(identity);
}

/** Voids an open request (if it still is) and tells the requester; true when this call voided it. */
async function voidRequest(services: Services, approval: ApprovalRow, action: PlatformActionRow, note: string): Promise<boolean> {
  const voided = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'void', decisionNote: note });
  if (!voided) return false;
  await announceAction(services, voided, action, kindOf(action).texts.toRequesterVoid);
  return true;
}

export async function approvePlatformAction(context: CommandContext, approvalId: string): Promise<Message> {
  const { services, t, actor, identity } = context;
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, action } = open;
  const kind = kindOf(action);
  const T = kind.texts;
  if (isRequester(context, approval)) return refusalReply(t(T.own), t(T.ownText, { ...varsFor(context, approval, action), requester: approval.requesterIamUser }));
  const notTheirs = deciderRefusal(context, approval);
  if (notTheirs) return notTheirs;
  const requesterT = translator(action.requesterLocale);
  const vars = varsFor(context, approval, action);

  let backend: Backend | undefined;
  try {
    backend = await requesterBackend(services, approval);
  } catch (error) {
    // The requester's own credential is not ready: nothing can be sent as them.
    if (!isExpectedError(error)) throw error;
    const why = errorToMessage(error, t).title ?? '?';
    await voidRequest(services, approval, action, `${requesterT(T.notReady)}: ${errorToMessage(error, requesterT).title ?? '?'}`);
    return refusalReply(t(T.notReady), why);
  }
  if (!backend) {
    await voidRequest(services, approval, action, requesterT(APPROVAL_TEXT.requesterGoneNote));
    return refusalReply(t(APPROVAL_TEXT.requesterGone), t(APPROVAL_TEXT.requesterGoneText, { requester: approval.requesterIamUser }));
  }
  let stale: Awaited<ReturnType<typeof kind.staleness>>;
  try {
    stale = await kind.staleness(backend, approval, action);
  } catch (error) {
    if (!isExpectedError(error)) throw error;
    return refusalReply(t(T.unreadable, vars), t(T.unreadableText, { ...vars, why: errorToMessage(error, t).title ?? '?' }));
  }
  if (stale) {
    const said = (tr: Translate, words: Record<string, string>) => [tr(stale.title, words), ...(stale.why ? [stale.why(tr)] : [])].join(': ');
    await voidRequest(services, approval, action, said(requesterT, actionVars(requesterT, approval, action, action.requesterLocale, services.backend.vocabulary)));
    return refusalReply(t(stale.title, vars), [...(stale.why ? [`${stale.why(t)}.`] : []), t(T.staleText, vars)].join(' '));
  }

  // The single winner of any number of clicks (on any replica); only it stamps the write and sends it.
  const won = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'approved', approverChatUserId: actor.userId, approverIamUser: identity.iamUserName, decidedAt: services.now() });
  if (!won) return stateRefusal(context, (await getApproval(services.db, approvalId)) ?? approval, action);
  const sending = await movePlatformActionWrite(services.db, approval.id, ['none'], { writeState: 'sending' });
  if (!sending) return stateRefusal(context, won, action);
  const outcome = await sendOnce(backend, sending);
  context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: outcome.kind };
  const recorded = (await recordOutcome(services, won, sending, outcome, ['sending'])) ?? { approval: won, action: sending };
  return replyOf(context, backend, recorded.approval, recorded.action, outcome);
}

/** What the one write came to, as far as the platform's answer or the read-back proves. */
export type PlatformActionOutcome =
  | { readonly kind: 'done'; readonly result?: string; readonly lostAnswer?: string }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'not-done'; readonly answer: string }
  | { readonly kind: 'unknown'; readonly answer: string };

async function sendOnce(backend: Backend, action: PlatformActionRow): Promise<PlatformActionOutcome> {
  const kind = kindOf(action);
  try {
    const result = await kind.send(backend, action);
    return { kind: 'done', ...(result ? { result } : {}) };
  } catch (error) {
    if (writeFailureOf(error) === 'refused') return { kind: 'refused', reason: errorToMessage(error, translator(action.requesterLocale)).text ?? String(error) };
    const answer = lostAnswer(error, translator(action.requesterLocale));
    return (await readBack(backend, action, answer)) ?? { kind: 'unknown', answer };
  }
}

/** A lost answer settled by what the platform shows now; undefined when it cannot tell. */
async function readBack(backend: Backend, action: PlatformActionRow, answer: string): Promise<PlatformActionOutcome | undefined> {
  try {
    const seen = await kindOf(action).readBack(backend, action);
    if (seen === 'unchanged') return { kind: 'not-done', answer };
    if (seen) return { kind: 'done', ...(seen.done ? { result: seen.done } : {}), lostAnswer: answer };
    return undefined;
  } catch {
    return undefined;
  }
}

function noteIn(t: Translate, approval: ApprovalRow, action: PlatformActionRow, outcome: PlatformActionOutcome, T: ReturnType<typeof kindOf>['texts']): string | undefined {
  const vars = kindOf(action).vars(t, approval, action);
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
export async function recordOutcome(
  services: Services,
  approval: ApprovalRow,
  action: PlatformActionRow,
  outcome: PlatformActionOutcome,
  from: readonly PlatformActionWriteState[],
): Promise<{ approval: ApprovalRow; action: PlatformActionRow } | undefined> {
  const T = kindOf(action).texts;
  const note = noteIn(translator(action.requesterLocale), approval, action, outcome, T);
  const steps: { writeState: PlatformActionWriteState; approval: ApprovalChanges; notice: Text } =
    outcome.kind === 'done'
      ? { writeState: 'done', approval: { state: 'executed' }, notice: T.toRequesterDone }
      : outcome.kind === 'unknown'
        ? { writeState: 'unknown', approval: { state: 'unknown', error: note! }, notice: T.toRequesterUnknown }
        : { writeState: 'refused', approval: { state: 'failed', error: note! }, notice: T.toRequesterNotRun };
  const moved = await movePlatformActionWrite(services.db, approval.id, from, {
    writeState: steps.writeState,
    ...(outcome.kind === 'done' && outcome.result ? { result: outcome.result } : {}),
    ...(note ? { error: note } : {}),
  });
  if (!moved) return undefined;
  const decided = (await updateApprovalIfVersion(services.db, approval.id, approval.version, steps.approval)) ?? approval;
  await announceAction(services, decided, moved, steps.notice);
  if (outcome.kind === 'done') await kindOf(moved).afterDone?.(services, decided, moved);
  return { approval: decided, action: moved };
}

async function replyOf(context: CommandContext, backend: Backend, approval: ApprovalRow, action: PlatformActionRow, outcome: PlatformActionOutcome): Promise<Message> {
  const { t } = context;
  const kind = kindOf(action);
  const T = kind.texts;
  const vars = varsFor(context, approval, action);
  const footer = `approval ${approval.id}`;
  switch (outcome.kind) {
    case 'done': {
      const said = [...(outcome.lostAnswer ? [t(T.doneLate, { ...vars, answer: outcome.lostAnswer })] : []), t(T.doneText, { ...vars, result: action.result ?? '?' })].join(' ');
      const card = kind.doneCard ? await kind.doneCard(context, backend, action).catch(() => undefined) : undefined;
      if (card) return { ...card, title: `${t(T.done, vars)} — ${card.title ?? ''}`, text: said };
      return { title: t(T.done, vars), text: said, tone: 'success', fields: action.result ? [{ label: t(kind.resultLabel), value: action.result }] : [], footer };
    }
    case 'refused':
      return { ...refusalReply(t(T.refused, vars), outcome.reason), footer };
    case 'not-done':
      return { ...refusalReply(t(T.notDone), t(T.notDoneNote, { ...vars, answer: outcome.answer })), footer };
    case 'unknown':
      return { title: t(T.unknown, vars), text: t(T.unknownNote, { ...vars, answer: outcome.answer }), tone: 'warning', outcome: 'failed', footer };
  }
}

export async function rejectPlatformAction(context: CommandContext, approvalId: string, note: string): Promise<Message> {
  const { services, t } = context;
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, action } = open;
  const T = kindOf(action).texts;
  const vars = varsFor(context, approval, action);
  if (isRequester(context, approval)) {
    const withdrawn = await updateApprovalIfVersion(services.db, approval.id, approval.version, {
      state: 'void',
      decidedAt: services.now(),
      decisionNote: translator(action.requesterLocale)(APPROVAL_TEXT.withdrawnNote, { requester: approval.requesterIamUser, reason: note }),
    });
    if (!withdrawn) return stateRefusal(context, (await getApproval(services.db, approvalId)) ?? approval, action);
    await announceAction(services, withdrawn, action);
    return { title: t(T.withdrawn), text: t(T.withdrawnText, vars), tone: 'success' };
  }
  const notTheirs = deciderRefusal(context, approval);
  if (notTheirs) return notTheirs;
  const won = await recordRejection(context, approval, note);
  if (!won) return stateRefusal(context, (await getApproval(services.db, approvalId)) ?? approval, action);
  await announceAction(services, won, action, T.toRequesterRejected);
  return { title: t(APPROVAL_TEXT.rejected), text: t(T.rejectedText, vars), tone: 'success' };
}

/** A request that just expired: its card edited, its requester told. */
export async function platformActionExpired(services: Services, expired: ApprovalRow): Promise<void> {
  const action = await getPlatformAction(services.db, expired.id);
  if (action) await announceAction(services, expired, action, kindOf(action).texts.toRequesterExpired);
}

/** The card of a request, when it is an approved platform action (`approvals`, `approval show`). */
export async function platformActionCardOf(context: CommandContext, approval: ApprovalRow): Promise<Message | undefined> {
  const action = await getPlatformAction(context.services.db, approval.id);
  if (!action) return undefined;
  const expired = approval.state === 'requested' && approval.expiresAt.getTime() <= context.services.now().getTime();
  return { ...platformActionCard(expired ? { ...approval, state: 'expired' } : approval, action, context.locale, context.backend.vocabulary), outcome: 'succeeded' };
}

/**
 * Recovery: a request left 'approved' (the process stopped after the winning click). Never sent
 * again: a write not yet stamped 'sending' was never sent (failed, "request again"); one stamped
 * is settled by the kind's read-back, else it stays unknown with the check to run. undefined when
 * the request is not an approved platform action; true when it was settled here.
 */
export async function settleLeftPlatformAction(services: Services, approval: ApprovalRow): Promise<boolean | undefined> {
  const action = await getPlatformAction(services.db, approval.id);
  if (!action) return undefined;
  if (approval.state !== 'approved') return false;
  const T = kindOf(action).texts;
  const t = translator(action.requesterLocale);
  if (action.writeState === 'none') {
    return (await recordOutcome(services, approval, action, { kind: 'refused', reason: t(T.interruptedNote) }, ['none'])) !== undefined;
  }
  if (action.writeState !== 'sending') return false;
  const answer = t(T.interruptedSendingNote);
  const outcome = (await readBack(services.backend, action, answer)) ?? { kind: 'unknown' as const, answer };
  // Unchanged after a stop while sending proves nothing: the request may still be on its way.
  return (await recordOutcome(services, approval, action, outcome.kind === 'not-done' ? { kind: 'unknown', answer } : outcome, ['sending'])) !== undefined;
}

/** An unknown outcome is read back for a day; after that whoever cares has long checked by hand. */
const RECONCILE_WITHIN_HOURS = 24;
const BATCH = 100;

/**
 * Actions whose outcome is unknown, from the last day: each read back once per round. One the
 * platform shows done is settled (the request executed, the requester told once); anything else
 * stays unknown for the next round. Never sent again.
 */
export async function reconcileUnknownPlatformActions(services: Services): Promise<number> {
  let settled = 0;
  for (const action of await listUnknownPlatformActions(services.db, RECONCILE_WITHIN_HOURS, BATCH)) {
    const approval = await getApproval(services.db, action.approvalId);
    if (!approval) continue;
    const outcome = await readBack(services.backend, action, '');
    if (outcome?.kind !== 'done') continue;
    if (await recordOutcome(services, approval, action, { kind: 'done', ...(outcome.result ? { result: outcome.result } : {}) }, ['unknown'])) settled++;
  }
  return settled;
}
