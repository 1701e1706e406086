/**
 * Script change requests a bot that stopped left behind, and writes whose outcome is unknown.
 * Nothing here ever sends a write again:
 *
 * - approved, its write never stamped: never sent. The write is fenced off ('none' → 'refused',
 *   one conditional step, so an approving process that stalled can no longer stamp and send it)
 *   and the request fails: nothing was written;
 * - approved, its write stamped 'sending': it may have been sent. It is read back at once, the
 *   same way as a lost answer (write.ts): done / not done settle it, else it becomes unknown;
 * - a write 'unknown' (changed within the last day): read back every round until the read
 *   settles it; a read that fails, or does not settle it, leaves it for the next round.
 *
 * Each settles in one conditional step (the requester told once) and leaves an audit row.
 */
import { need, type Backend } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { LOST_ANSWER_TEXTS } from '../core/lost-answer.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import { translator } from '../i18n/translate.js';
import { auditApproval } from '../approvals/approvals.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import { getScriptChange, listUnknownWrites, moveScriptWrite, type ScriptChangeRow } from '../store/script-changes.js';
import { announceChange, baseVars, requesterOf } from './announce.js';
import { doneResultOf, noteOf, recordScriptWrite } from './settle.js';
import type { StoredDraft } from './request.js';
import { SCRIPT_CHANGE_TEXT as T } from './texts.js';
import { readScriptWriteBack, scriptWriteOf, type ScriptWriteResult } from './write.js';

/** An unknown write is read back for a day; after that whoever cares has long checked by hand. */
const RECONCILE_WITHIN_HOURS = 24;
const BATCH = 100;

/** Reads with the requester's rights where they are still linked, else with the bot's own. */
async function readerFor(services: Services, approval: ApprovalRow): Promise<Backend> {
  try {
    const identity = await services.identities.resolve(requesterOf(approval));
    if (identity && identity.iamUserName.toLowerCase() === approval.requesterIamUser.toLowerCase()) return services.backendFor(identity);
  } catch {
    // The requester's credential is gone from the bot's environment: the bot's own rights read the script.
  }
  return services.backend;
}

/**
 * Reads a write left 'sending' or 'unknown' back and records what the read shows; true when it
 * was settled by this call. A write already 'unknown' that the read does not settle stays as it
 * is (its requester was told once).
 */
async function reconcileScriptWrite(services: Services, approval: ApprovalRow, change: ScriptChangeRow, why: Phrase): Promise<boolean> {
  const from = change.writeState;
  let result: ScriptWriteResult;
  try {
    result = await readScriptWriteBack(need(await readerFor(services, approval), 'scripts'), scriptWriteOf(approval, change, change.draft as unknown as StoredDraft | null), why);
  } catch {
    result = { kind: 'unknown', why };
  }
  if (result.kind === 'unknown' && from === 'unknown') return false;
  const recorded = await recordScriptWrite(services, approval, change, result, [from]);
  if (!recorded) return false;
  const en = translator('en-US');
  const said = result.kind === 'done' ? doneResultOf(en, recorded.change, result) : noteOf(en, change, result);
  await auditApproval(services, approval, result.kind === 'unknown' ? 'script change interrupted' : 'script change reconciled', said);
  return true;
}

/** The request brought in line with a write that settled while the request did not follow (the bot stopped in between). */
async function followWrite(services: Services, approval: ApprovalRow, change: ScriptChangeRow): Promise<boolean> {
  const state = change.writeState === 'done' ? 'executed' : change.writeState === 'unknown' ? 'unknown' : 'failed';
  const followed = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state, ...(change.error ? { error: change.error } : {}) });
  return followed !== undefined;
}

/**
 * A request left 'approved' by a bot that stopped (see above). undefined = the request is not a
 * script change; true when this call settled it.
 */
export async function settleLeftScriptChange(services: Services, approval: ApprovalRow): Promise<boolean | undefined> {
  const change = await getScriptChange(services.db, approval.id);
  if (!change) return undefined;
  if (approval.state !== 'approved') return false;
  const requesterT = translator(change.requesterLocale);
  if (change.writeState === 'none') {
    // Fenced first: from here on no approving process can stamp it 'sending' and send it.
    const fenced = await moveScriptWrite(services.db, approval.id, ['none'], { writeState: 'refused', error: requesterT(T.interruptedNote), dropSealed: true });
    if (!fenced) return false;
    const failed = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'failed', error: requesterT(T.interruptedNote) });
    await auditApproval(services, approval, 'script change interrupted', translator('en-US')(T.interruptedNote));
    if (failed) await announceChange(services, failed, fenced, { text: T.toRequesterNotDone, vars: { ...baseVars(requesterT, change), approver: approval.approverIamUser ?? '?' } });
    return true;
  }
  if (change.writeState === 'sending') return reconcileScriptWrite(services, approval, change, phrase(T.stoppedWhileWaiting));
  return followWrite(services, approval, change);
}

/** Writes whose outcome is unknown, from the last day: each read back once per round. */
export async function reconcileUnknownScriptWrites(services: Services): Promise<number> {
  let settled = 0;
  for (const change of await listUnknownWrites(services.db, RECONCILE_WITHIN_HOURS, BATCH)) {
    const approval = await getApproval(services.db, change.approvalId);
    if (!approval) continue;
    if (await reconcileScriptWrite(services, approval, change, phrase(LOST_ANSWER_TEXTS.other))) settled++;
  }
  return settled;
}
