/**
 * The card of a script change request, as approvers see it and as it is edited once decided:
 * what changes (the stored difference, sensitive defaults masked), who asked, its state, and
 * Approve / Reject while it is open (the approval buttons every request has).
 */
import { nativeOf, platformName, type BackendName } from '../backends/index.js';
import type { Message, MessageSection } from '../core/message.js';
import { MASK } from '../core/mask.js';
import { utcTime } from '../i18n/format.js';
import type { Translate } from '../i18n/translate.js';
import { approvalButtons, approvalHead, RUN_TEXT } from '../run/messages.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { ScriptChangeRow } from '../store/script-changes.js';
import type { ScriptDiff } from './diff.js';
import { SCRIPT_CHANGE_TEXT as T } from './texts.js';

export function verbOf(t: Translate, change: Pick<ScriptChangeRow, 'action'>): string {
  return t(T[`verb_${change.action}`]);
}

export function platformOf(t: Translate, backend: BackendName): string {
  return t(platformName(backend));
}

/** What the write came to, for a request that was executed. */
export function resultOf(t: Translate, change: ScriptChangeRow): string {
  if (change.action === 'create') return t(T.created, { uuid: change.resultScriptId ? nativeOf(change.resultScriptId) : '?' });
  return t(change.action === 'edit' ? T.changed : T.deleted);
}

export function parseDiff(change: Pick<ScriptChangeRow, 'diff'>): ScriptDiff {
  return JSON.parse(change.diff) as ScriptDiff;
}

/** The difference as sections: properties, parameters, content (each only when something differs). */
export function diffSections(t: Translate, diff: ScriptDiff): MessageSection[] {
  const sections: MessageSection[] = [];
  if (diff.properties.length > 0) sections.push({ title: t(T.properties), text: diff.properties.join('\n') });
  if (diff.params.length > 0) sections.push({ title: t(T.parameters), text: diff.params.join('\n') });
  if (diff.content.length > 0) {
    const more = diff.contentMore > 0 ? `\n${t(T.contentMore, { count: diff.contentMore })}` : '';
    sections.push({ title: t(T.content, { added: diff.added, removed: diff.removed }), text: `${diff.content.join('\n')}${more}` });
  }
  return sections;
}

export function scriptChangeCard(approval: ApprovalRow, change: ScriptChangeRow, t: Translate): Message {
  const platform = platformOf(t, change.backend);
  const verb = verbOf(t, change);
  const vars = {
    approver: approval.approverIamUser ?? '?',
    time: approval.decidedAt ? utcTime(approval.decidedAt.getTime()) : utcTime(approval.expiresAt.getTime()),
    note: approval.decisionNote ?? approval.error ?? t(RUN_TEXT.noReason),
    result: resultOf(t, change),
  };
  const state = t(T[`state_${approval.state}`], vars);
  const open = approval.state === 'requested';
  const target = change.resultScriptId ?? change.scriptId;
  const head = approvalHead(approval, state, t);
  return {
    title: t(T.cardTitle, { verb, script: change.scriptName }),
    text: open ? t(T.cardText, { requester: approval.requesterIamUser, verb, script: change.scriptName, platform }) : state,
    ...head,
    fields: [...head.fields, ...(target ? [{ label: t(T.scriptId), value: `${change.scriptName} (${nativeOf(target)})` }] : [])],
    sections: diffSections(t, parseDiff(change)),
    ...approvalButtons(approval, t, { title: t(T.approveConfirmTitle), text: t(T.approveConfirmText, { verb, script: change.scriptName, platform }) }),
    footer: `${t(T.sensitiveNote, { mask: MASK })}\napproval ${approval.id}`,
  };
}
