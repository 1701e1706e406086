/**
 * What the write of a script change came to, recorded once: its write state moved on from where
 * it was (one conditional step, so of the approver and recovery only one records it), the
 * request given the matching state, its card edited and its requester told. The approver's
 * click (decide.ts) and recovery's read-back (recover.ts) both record through here.
 */
import type { Services } from '../core/command.js';
import { phrase, say } from '../i18n/phrase.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';
import { updateApprovalIfVersion, type ApprovalChanges, type ApprovalRow } from '../store/approvals.js';
import { moveScriptWrite, type ScriptChangeRow, type ScriptWriteState } from '../store/script-changes.js';
import { announceChange, baseVars } from './announce.js';
import { platformOf, resultOf } from './card.js';
import { SCRIPT_CHANGE_TEXT as T } from './texts.js';
import type { ScriptWriteResult } from './write.js';

/** A result that settles the write one way or the other ('unknown' from 'sending' settles it as unknown). */
export type RecordedResult = ScriptWriteResult;

/** Why the write stands where it does, in `t`'s words (undefined for a write done). */
export function noteOf(t: Translate, change: ScriptChangeRow, result: ScriptWriteResult): string | undefined {
  const platform = platformOf(t, change.backend);
  switch (result.kind) {
    case 'done':
      return undefined;
    case 'refused':
      return t(T.refusedNote, { platform, reason: result.reason });
    case 'not-audited':
      return t(T.notAuditedNote, { platform });
    case 'not-done':
      return say(phrase(T.notDoneNote, { platform, why: result.why, done: t(T[`done_${change.action}`]) }), t);
    case 'unknown':
      if (result.sensitive?.length) return say(phrase(T.unknownSensitiveNote, { platform, why: result.why, params: result.sensitive.join(', ') }), t);
      return say(phrase(T.unknownNote, { platform, why: result.why, script: change.scriptName }), t);
  }
}

/** The words of a write done, for `t`'s reader: "created as …", noting a lost answer read back. */
export function doneResultOf(t: Translate, change: ScriptChangeRow, result: Extract<ScriptWriteResult, { kind: 'done' }>): string {
  const said = resultOf(t, change);
  return result.foundBy === 'read-back' ? t(T.foundLate, { result: said, platform: platformOf(t, change.backend) }) : said;
}

function stepsOf(result: ScriptWriteResult, note: string | undefined): { writeState: ScriptWriteState; approval: ApprovalChanges; notice: Text } {
  switch (result.kind) {
    case 'done':
      return { writeState: 'done', approval: { state: 'executed' }, notice: T.toRequesterDone };
    case 'refused':
      return { writeState: 'refused', approval: { state: 'failed', error: note! }, notice: T.toRequesterRefused };
    case 'not-audited':
    case 'not-done':
      return { writeState: 'refused', approval: { state: 'failed', error: note! }, notice: T.toRequesterNotDone };
    case 'unknown':
      return { writeState: 'unknown', approval: { state: 'unknown', error: note! }, notice: T.toRequesterUnknown };
  }
}

export interface RecordedWrite {
  readonly approval: ApprovalRow;
  readonly change: ScriptChangeRow;
}

/**
 * Records `result` for a write in one of `from`, then tells the requester. undefined = the write
 * was no longer in one of `from` (someone else recorded it first): nothing is changed or told.
 */
export async function recordScriptWrite(services: Services, approval: ApprovalRow, change: ScriptChangeRow, result: ScriptWriteResult, from: readonly ScriptWriteState[]): Promise<RecordedWrite | undefined> {
  const requesterT = translator(change.requesterLocale);
  const note = noteOf(requesterT, change, result);
  const steps = stepsOf(result, note);
  const scriptId = result.kind === 'done' ? result.scriptId : undefined;
  const moved = await moveScriptWrite(services.db, approval.id, from, { writeState: steps.writeState, ...(scriptId ? { resultScriptId: scriptId } : {}), ...(note ? { error: note } : {}) });
  if (!moved) return undefined;
  const decided = (await updateApprovalIfVersion(services.db, approval.id, approval.version, steps.approval)) ?? approval;
  const vars: Record<string, string | number> = { ...baseVars(requesterT, change), approver: approval.approverIamUser ?? '?' };
  if (result.kind === 'done') vars['result'] = doneResultOf(requesterT, moved, result);
  await announceChange(services, decided, moved, { text: steps.notice, vars });
  return { approval: decided, change: moved };
}
