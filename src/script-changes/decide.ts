/**
 * Deciding a script change request: the same Approve / Reject buttons, expiry and audit as a
 * HIGH-risk run's request (src/approvals/approvals.ts hands these requests here), with the rules
 * of a change to a script:
 *
 * - only an admin decides, and never the requester (the same chat user, or the same IAM user
 *   from anywhere); the requester must still be linked as an admin;
 * - an edit or a delete is pinned to the script as previewed (hash and modification time), a
 *   create to its name being free: otherwise the request is void and the requester told;
 * - one click wins (the approval's versioned update), and only the winner stamps the write
 *   'sending' and sends it, once, with the requester's rights (write.ts);
 * - the approver gets the outcome as the reply, the requester privately, and the card is edited:
 *   created with its uuid / changed / deleted / refused with the platform's reason / unknown
 *   with what to check.
 */
import { need, platformName, type Backend, type ScriptDraft } from '../backends/index.js';
import type { CommandContext, Services } from '../core/command.js';
import type { Message } from '../core/message.js';
import { refusalReply } from '../core/refusal.js';
import { isRequester } from '../approvals/approvals.js';
import { openRequestWith, recordRejection } from '../approvals/open-request.js';
import { APPROVAL_TEXT } from '../approvals/announce.js';
import { utcTime } from '../i18n/format.js';
import { phrase, say } from '../i18n/phrase.js';
import { CORE_TEXTS } from '../i18n/catalogues/core.js';
import { translator, type Translate } from '../i18n/translate.js';
import { notReadyReason } from '../run/failure-reasons.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import { dropSealedDefaults, getScriptChange, moveScriptWrite, type ScriptChangeRow } from '../store/script-changes.js';
import type { StoredDraft } from './request.js';
import { announceChange, baseVars, requesterOf } from './announce.js';
import { resultOf, scriptChangeCard } from './card.js';
import { scriptNamed } from './named.js';
import { doneResultOf, noteOf, recordScriptWrite } from './settle.js';
import { SCRIPT_CHANGE_TEXT as T } from './texts.js';
import { scriptWriteOf, sendScriptWrite, type ScriptWriteResult } from './write.js';

/** The change of a request, when the request is a script change. */
export async function scriptChangeOf(services: Services, approvalId: string): Promise<ScriptChangeRow | undefined> {
  return getScriptChange(services.db, approvalId);
}

export { announceChange } from './announce.js';

/** Voids an open request (if it still is), tells the requester; true when this call voided it. */
async function voidRequest(services: Services, approval: ApprovalRow, change: ScriptChangeRow, note: string): Promise<boolean> {
  const voided = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'void', decisionNote: note });
  if (!voided) return false;
  await dropSealedDefaults(services.db, approval.id);
  const t = translator(change.requesterLocale);
  await announceChange(services, voided, change, { text: T.toRequesterVoid, vars: baseVars(t, change) });
  return true;
}

function stateRefusal(t: Translate, approval: ApprovalRow, change: ScriptChangeRow): Message {
  const card = scriptChangeCard(approval, change, t);
  return refusalReply(t(APPROVAL_TEXT.alreadyDecided), card.fields?.[0]?.value ?? approval.state);
}

/** The open request a click decides, or the refusal that says why not. */
async function openRequest(context: CommandContext, approvalId: string): Promise<{ approval: ApprovalRow; change: ScriptChangeRow } | Message> {
  const { t } = context;
  const open = await openRequestWith(context, approvalId, {
    read: getScriptChange,
    audit: (_approval, change) => ({ change: change.action, script: change.scriptName }),
    decided: (approval, change) => stateRefusal(t, approval, change),
    expiredText: (approval) => t(T.state_expired, { time: utcTime(approval.expiresAt.getTime()) }),
  });
  return 'row' in open ? { approval: open.approval, change: open.row } : open;
}

/** The requester as linked now, with the platform acting as them; undefined when they are no longer an admin. */
async function requesterBackend(services: Services, approval: ApprovalRow): Promise<Backend | undefined> {
  const identity = await services.identities.resolve(requesterOf(approval));
  if (!identity || identity.role !== 'admin' || identity.iamUserName.toLowerCase() !== approval.requesterIamUser.toLowerCase()) return undefined;
  return services.backendFor(identity);
}

/** Why the request can no longer be written as approved (void), or undefined when it can. */
async function staleNote(backend: Backend, approval: ApprovalRow, change: ScriptChangeRow, t: Translate): Promise<{ void: string } | { unreadable: string } | undefined> {
  const scripts = need(backend, 'scripts');
  const platform = t(platformName(change.backend));
  try {
    if (change.action === 'create') {
      const named = await scriptNamed(scripts, change.scriptName);
      if (named === 'unsure') return { unreadable: t(T.unreadableNote, { why: t(T.nameUnsure, { script: change.scriptName, platform }) }) };
      return named === 'absent' ? undefined : { void: t(T.takenSinceNote, { script: change.scriptName, platform }) };
    }
    const now = await scripts.get(change.scriptId!);
    if (!now) return { void: t(T.goneSinceNote, { platform }) };
    if (now.pin.hash !== approval.scriptContentHash || now.pin.modifiedAt !== approval.scriptModifiedAt) return { void: t(T.changedSinceNote, { platform }) };
    return undefined;
  } catch (error) {
    return { unreadable: say(phrase(T.unreadableNote, { why: error instanceof Error ? error.message : String(error) }), t) };
  }
}

/** The stored draft with its sensitive defaults opened again. */
function openedDraft(services: Services, change: ScriptChangeRow): StoredDraft | undefined {
  if (!change.draft) return undefined;
  const stored = change.draft as unknown as StoredDraft;
  const secrets = change.sealedDefaults ? services.sealer.unseal(change.sealedDefaults) : {};
  const params = stored.script.params.map((p) => (p.sensitive && secrets[p.name] !== undefined ? { ...p, defaultValue: secrets[p.name]! } : p));
  const script: ScriptDraft = { ...stored.script, params };
  return { ...stored, script };
}

export async function approveScriptChange(context: CommandContext, approvalId: string): Promise<Message> {
  const { services, t, actor, identity } = context;
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, change } = open;
  if (isRequester(context, approval)) return refusalReply(t(T.own), t(T.ownText, { requester: approval.requesterIamUser }));
  if (identity.role !== 'admin') return refusalReply(t(T.notAdmin), t(T.notAdminText, { role: identity.role }));
  const requesterT = translator(change.requesterLocale);
  const vars = baseVars(t, change);

  let backend: Backend | undefined;
  let draft: StoredDraft | undefined;
  try {
    backend = await requesterBackend(services, approval);
    draft = openedDraft(services, change);
  } catch (error) {
    // The requester's credential is not set, or the sealed defaults cannot be opened: nothing can be sent.
    const note = say(notReadyReason(error), requesterT);
    await voidRequest(services, approval, change, note);
    return refusalReply(t(T.toRequesterVoid, vars), say(notReadyReason(error), t));
  }
  if (!backend) {
    await voidRequest(services, approval, change, requesterT(T.requesterGoneNote));
    return refusalReply(t(T.requesterGone), t(T.requesterGoneText, { requester: approval.requesterIamUser }));
  }
  const stale = await staleNote(backend, approval, change, requesterT);
  if (stale && 'unreadable' in stale) return refusalReply(t(T.notReadable), stale.unreadable);
  if (stale) {
    await voidRequest(services, approval, change, stale.void);
    return refusalReply(t(T.changedSince), t(T.voidText, { ...vars, note: stale.void, requester: approval.requesterIamUser }));
  }

  // The single winner of any number of clicks; only it stamps the write and sends it.
  const won = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'approved', approverChatUserId: actor.userId, approverIamUser: identity.iamUserName, decidedAt: services.now() });
  if (!won) return stateRefusal(t, (await getApproval(services.db, approvalId)) ?? approval, change);
  const sending = await moveScriptWrite(services.db, approval.id, ['none'], { writeState: 'sending', dropSealed: true });
  if (!sending) return stateRefusal(t, won, change);

  const result = await sendScriptWrite(need(backend, 'scripts'), scriptWriteOf(approval, change, draft));
  context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: result.kind };
  return settle(context, won, sending, result);
}

/** Records what the write came to (tells the requester), and answers the approver. */
async function settle(context: CommandContext, won: ApprovalRow, change: ScriptChangeRow, result: ScriptWriteResult): Promise<Message> {
  const { services, t } = context;
  const vars = baseVars(t, change);
  const footer = `approval ${won.id}`;
  const recorded = await recordScriptWrite(services, won, change, result, ['sending']);
  const now = recorded?.change ?? change;
  const note = noteOf(t, change, result);
  switch (result.kind) {
    case 'done': {
      const said = doneResultOf(t, now, result);
      const review = change.action !== 'delete' && (change.draft as unknown as StoredDraft | null)?.script.reviewers.length ? t(T.pendingReview, { platform: vars['platform']! }) : '';
      return {
        title: t(T.doneTitle, { script: change.scriptName, result: resultOf(t, now) }),
        text: [result.foundBy === 'read-back' ? `${said}.` : '', t(T.requesterTold, { requester: won.requesterIamUser }), review].filter(Boolean).join(' '),
        tone: 'success',
        footer,
      };
    }
    case 'refused':
      return { ...refusalReply(t(T.refusedTitle, vars), note!), footer };
    case 'not-audited':
      return { ...refusalReply(t(CORE_TEXTS.notAudited, { platform: vars['platform']! }), t(CORE_TEXTS.notAuditedText, { platform: vars['platform']! })), footer };
    case 'not-done':
      return { ...refusalReply(t(T.toRequesterNotDone, { ...vars, approver: won.approverIamUser ?? '?' }), note!), footer };
    case 'unknown':
      return { title: t(T.unknownTitle, vars), text: note!, tone: 'warning', outcome: 'failed', footer };
  }
}

export async function rejectScriptChange(context: CommandContext, approvalId: string, note: string): Promise<Message> {
  const { services, t, identity } = context;
  const open = await openRequest(context, approvalId);
  if (!('approval' in open)) return open;
  const { approval, change } = open;
  const vars = baseVars(t, change);
  if (isRequester(context, approval)) {
    const requesterT = translator(change.requesterLocale);
    const withdrawn = await updateApprovalIfVersion(services.db, approval.id, approval.version, {
      state: 'void',
      decidedAt: services.now(),
      decisionNote: requesterT(T.withdrawnNote, { requester: approval.requesterIamUser, reason: note }),
    });
    if (!withdrawn) return stateRefusal(t, (await getApproval(services.db, approvalId)) ?? approval, change);
    await dropSealedDefaults(services.db, approval.id);
    await announceChange(services, withdrawn, change);
    return { title: t(T.withdrawn), text: t(T.withdrawnText, vars), tone: 'success' };
  }
  if (identity.role !== 'admin') return refusalReply(t(T.notAdmin), t(T.notAdminText, { role: identity.role }));
  const won = await recordRejection(context, approval, note);
  if (!won) return stateRefusal(t, (await getApproval(services.db, approvalId)) ?? approval, change);
  await dropSealedDefaults(services.db, approval.id);
  const requesterT = translator(change.requesterLocale);
  await announceChange(services, won, change, { text: T.toRequesterRejected, vars: { ...baseVars(requesterT, change), approver: identity.iamUserName } });
  return { title: t(T.rejected), text: t(T.rejectedText, { ...vars, requester: approval.requesterIamUser }), tone: 'success' };
}

/** A request that just expired: its sealed defaults dropped, its card edited, its requester told. */
export async function scriptChangeExpired(services: Services, expired: ApprovalRow): Promise<void> {
  const change = await getScriptChange(services.db, expired.id);
  if (!change) return;
  await dropSealedDefaults(services.db, expired.id);
  await announceChange(services, expired, change, { text: T.toRequesterExpired, vars: baseVars(translator(change.requesterLocale), change) });
}

/** The card of a request, when it is a script change (`approvals`, `approval show`). */
export async function scriptChangeCardOf(context: CommandContext, approval: ApprovalRow): Promise<Message | undefined> {
  const change = await getScriptChange(context.services.db, approval.id);
  return change && { ...scriptChangeCard(approval, change, context.t), outcome: 'succeeded' };
}
