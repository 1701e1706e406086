/**
 * The one write of an approved script change, sent once and never retried, and what it came to.
 * The transport records its audit write intent before sending. A lost answer (5xx, timeout,
 * reset, unreadable) is read back before anyone is told anything definite:
 *
 * - create: the script is looked up by its name (unique per tenant): there with the content
 *   sent → created (its uuid adopted); absent → not created; there with other content, or the
 *   read failed → unknown;
 * - edit: the script is read: as sent → changed; as it was before → not changed; else unknown;
 * - delete: the script is read: absent → deleted; still there → not deleted; read failed → unknown.
 */
import { normalizeError, writeFailureOf, type Script, type ScriptDraft, type ScriptId, type ScriptsCapability, type ScriptUpdate } from '../backends/index.js';
import { lostAnswerPhrase } from '../core/lost-answer.js';
import type { Phrase } from '../i18n/phrase.js';
import type { ScriptChangeAction } from '../store/script-changes.js';

export type ScriptWriteResult =
  | { readonly kind: 'done'; readonly scriptId?: ScriptId; readonly foundBy: 'answer' | 'read-back' }
  | { readonly kind: 'refused'; readonly reason: string }
  /** The answer was lost, and reading back shows it was not done. */
  | { readonly kind: 'not-done'; readonly why: Phrase }
  | { readonly kind: 'unknown'; readonly why: Phrase };

export interface ScriptWrite {
  readonly action: ScriptChangeAction;
  readonly scriptId: ScriptId | undefined;
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

/** Whether the script as read is the draft that was sent (what a person can see of it). */
function isAsSent(script: Script, draft: ScriptDraft, update: Omit<ScriptUpdate, 'draft'>): boolean {
  const norm = (text: string | undefined) => (text ?? '').replace(/\r\n?/g, '\n');
  if (norm(script.content) !== norm(draft.content) || (script.description ?? '') !== draft.description) return false;
  if (update.paramsChanged) {
    const names = (params: readonly { name: string; sensitive: boolean }[]) => params.map((p) => `${p.name}:${p.sensitive}`).sort().join(',');
    if (names(script.params) !== names(draft.params)) return false;
  }
  if (update.propertiesChanged && script.risk.code !== draft.risk) return false;
  return true;
}

async function readBack(scripts: ScriptsCapability, write: ScriptWrite, why: Phrase): Promise<ScriptWriteResult> {
  const { action, draft } = write;
  try {
    if (action === 'create') {
      const page = await scripts.list({ name: draft!.name, limit: 20 });
      const named = page.items.filter((item) => item.name === draft!.name);
      if (named.length === 0) return { kind: 'not-done', why };
      if (named.length > 1) return { kind: 'unknown', why };
      const found = await scripts.get(named[0]!.id);
      if (found && isAsSent(found, draft!, write.update)) return { kind: 'done', scriptId: found.id, foundBy: 'read-back' };
      return { kind: 'unknown', why };
    }
    const found = await scripts.get(write.scriptId!);
    if (action === 'delete') return found ? { kind: 'not-done', why } : { kind: 'done', foundBy: 'read-back' };
    if (!found) return { kind: 'unknown', why };
    if (isAsSent(found, draft!, write.update)) return { kind: 'done', scriptId: found.id, foundBy: 'read-back' };
    if (write.pinBefore && found.pin.hash === write.pinBefore.hash && found.pin.modifiedAt === write.pinBefore.modifiedAt) return { kind: 'not-done', why };
    return { kind: 'unknown', why };
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
    if (writeFailureOf(error) === 'refused') return { kind: 'refused', reason: refusalOf(error) };
    return readBack(scripts, write, lostAnswerPhrase(error));
  }
}
