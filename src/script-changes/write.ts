/**
 * The one write of an approved script change, sent once and never retried, and what it came to.
 * The transport records its audit write intent before sending. A lost answer (5xx, timeout,
 * reset, unreadable) is read back before anyone is told anything definite:
 *
 * - create: the script is looked up by its exact name (unique per tenant), following the pages:
 *   there with everything sent that a read shows → created (its uuid adopted: a script that
 *   did not exist holds what was sent, sensitive defaults too); the whole list read without it →
 *   not created; there with something else, the list too long to finish, or the read failed →
 *   unknown;
 * - edit: the script is read: its pin as before the write → not changed (any change moves the
 *   modification time); a new pin with everything sent → changed — unless a sensitive default
 *   was part of it, which the platform may not show: then unknown, saying what to check; else
 *   unknown;
 * - delete: the script is read: absent → deleted; still there → not deleted; read failed → unknown.
 *
 * Recovery reads a write left 'sending' or 'unknown' back the same way (recover.ts).
 */
import { BackendNotAuditedError, normalizeError, writeFailureOf, type Script, type ScriptDraft, type ScriptId, type ScriptsCapability, type ScriptUpdate } from '../backends/index.js';
import { lostAnswerPhrase } from '../core/lost-answer.js';
import type { Phrase } from '../i18n/phrase.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { ScriptChangeAction, ScriptChangeRow } from '../store/script-changes.js';
import { scriptNamed } from './named.js';

export type ScriptWriteResult =
  | { readonly kind: 'done'; readonly scriptId?: ScriptId; readonly foundBy: 'answer' | 'read-back' }
  | { readonly kind: 'refused'; readonly reason: string }
  /** The audit trail could not record the write intent, so it was never sent. */
  | { readonly kind: 'not-audited' }
  /** The answer was lost, and reading back shows it was not done. */
  | { readonly kind: 'not-done'; readonly why: Phrase }
  /** `sensitive`: everything else reads back as sent; these sensitive defaults cannot be read back. */
  | { readonly kind: 'unknown'; readonly why: Phrase; readonly sensitive?: readonly string[] };

export interface ScriptWrite {
  readonly action: ScriptChangeAction;
  readonly scriptId: ScriptId | undefined;
  /** What was sent; a sensitive default may be empty here (recovery: dropped once sent), it is never compared. */
  readonly draft: ScriptDraft | undefined;
  readonly update: Omit<ScriptUpdate, 'draft'>;
  /** The script's pin before the change (edit): what "not changed" looks like. */
  readonly pinBefore?: Script['pin'];
}

/** The platform's reason for a refusal: its code and words, else the error's own. */
function refusalOf(error: unknown): string {
  const known = normalizeError(error);
  const said = [known?.detail.code, known?.detail.platformMessage].filter(Boolean).join(': ');
  if (said) return said;
  if (known?.detail.problems?.length) return known.detail.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  if (known?.detail.status !== undefined) return `HTTP ${known.detail.status}`;
  return error instanceof Error ? error.message : String(error);
}

const norm = (text: string | undefined) => (text ?? '').replace(/\r\n?/g, '\n');
const sorted = (values: readonly string[]) => [...values].sort().join('\n');

/** Whether the parameters read back are the ones sent (a sensitive default is never compared: the platform may mask it). */
function paramsAsSent(script: Script, draft: ScriptDraft): boolean {
  if (script.params.length !== draft.params.length) return false;
  const read = new Map(script.params.map((p) => [p.name, p]));
  return draft.params.every((sent) => {
    const got = read.get(sent.name);
    if (!got || got.sensitive !== sent.sensitive || (got.description ?? '') !== sent.description) return false;
    return sent.sensitive || (got.defaultValue ?? '') === sent.defaultValue;
  });
}

/** Whether the reviewers read back are the ones sent: by the platform's user ids where it gives them, else by name. */
function reviewersAsSent(script: Script, draft: ScriptDraft): boolean {
  const refs = script.reviewerRefs;
  if (refs && refs.every((r) => r.id) && draft.reviewers.every((r) => r.id)) return sorted(refs.map((r) => r.id)) === sorted(draft.reviewers.map((r) => r.id));
  return sorted(script.reviewers) === sorted(draft.reviewers.map((r) => r.name || r.id));
}

/** Whether the script as read has everything that was sent that a read can show. */
function isAsSent(script: Script, draft: ScriptDraft, update: Omit<ScriptUpdate, 'draft'>): boolean {
  if (norm(script.content) !== norm(draft.content) || (script.description ?? '') !== draft.description) return false;
  if (update.paramsChanged && !paramsAsSent(script, draft)) return false;
  if (update.propertiesChanged) {
    if (script.risk.code !== draft.risk || (script.version ?? '') !== draft.version || !reviewersAsSent(script, draft)) return false;
  }
  return true;
}

/** The sensitive defaults a write sent (parameters are sent whole, each sensitive default given again). */
function sensitiveSent(write: ScriptWrite): string[] {
  return write.update.paramsChanged ? (write.draft?.params ?? []).filter((p) => p.sensitive).map((p) => p.name) : [];
}

/** What an approved change sends (or sent), from its request and its draft (`defaults opened` for the send itself). */
export function scriptWriteOf(
  approval: Pick<ApprovalRow, 'scriptContentHash' | 'scriptModifiedAt'>,
  change: Pick<ScriptChangeRow, 'action' | 'scriptId'>,
  draft: { readonly script: ScriptDraft; readonly paramsChanged: boolean; readonly propertiesChanged: boolean } | null | undefined,
): ScriptWrite {
  return {
    action: change.action,
    scriptId: change.scriptId ?? undefined,
    draft: draft?.script,
    update: { paramsChanged: draft?.paramsChanged ?? false, propertiesChanged: draft?.propertiesChanged ?? false },
    ...(change.action === 'edit' ? { pinBefore: { hash: approval.scriptContentHash, modifiedAt: approval.scriptModifiedAt } } : {}),
  };
}

const samePin = (a: Script['pin'], b: Script['pin']) => a.hash === b.hash && a.modifiedAt === b.modifiedAt;

/**
 * What a write whose answer was lost came to, read from the platform; `why` is what was lost.
 * A read that fails is 'unknown' (recovery asks again in its next round).
 */
export async function readScriptWriteBack(scripts: ScriptsCapability, write: ScriptWrite, why: Phrase): Promise<Exclude<ScriptWriteResult, { kind: 'refused' | 'not-audited' }>> {
  const { action, draft } = write;
  try {
    if (action === 'create') {
      const named = await scriptNamed(scripts, draft!.name);
      if (named === 'absent') return { kind: 'not-done', why };
      if (named === 'unsure') return { kind: 'unknown', why };
      const found = await scripts.get(named.id);
      if (found && isAsSent(found, draft!, write.update)) return { kind: 'done', scriptId: found.id, foundBy: 'read-back' };
      return { kind: 'unknown', why };
    }
    const found = await scripts.get(write.scriptId!);
    if (action === 'delete') return found ? { kind: 'not-done', why } : { kind: 'done', foundBy: 'read-back' };
    if (!found) return { kind: 'unknown', why };
    // Any change moves the pin: the script exactly as it was was not changed, whatever it looks like.
    if (write.pinBefore && samePin(found.pin, write.pinBefore)) return { kind: 'not-done', why };
    if (!write.pinBefore || !isAsSent(found, draft!, write.update)) return { kind: 'unknown', why };
    const sensitive = sensitiveSent(write);
    if (sensitive.length > 0) return { kind: 'unknown', why, sensitive };
    return { kind: 'done', scriptId: found.id, foundBy: 'read-back' };
  } catch {
    return { kind: 'unknown', why };
  }
}

/** Sends the write once; a lost answer is read back, never sent again. */
export async function sendScriptWrite(scripts: ScriptsCapability, write: ScriptWrite): Promise<ScriptWriteResult> {
  try {
    switch (write.action) {
      case 'create':
        return { kind: 'done', scriptId: await scripts.create!(write.draft!), foundBy: 'answer' };
      case 'edit':
        await scripts.update!(write.scriptId!, { draft: write.draft!, ...write.update });
        return { kind: 'done', scriptId: write.scriptId!, foundBy: 'answer' };
      case 'delete':
        await scripts.remove!(write.scriptId!);
        return { kind: 'done', foundBy: 'answer' };
    }
  } catch (error) {
    if (error instanceof BackendNotAuditedError) return { kind: 'not-audited' };
    if (writeFailureOf(error) === 'refused') return { kind: 'refused', reason: refusalOf(error) };
    return readScriptWriteBack(scripts, write, lostAnswerPhrase(error));
  }
}
