/**
 * Telling about a script change request: its card edited (in the requester's language) and its
 * requester told privately. Delivery failures never undo anything.
 */
import type { Services } from '../core/command.js';
import type { Message } from '../core/message.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { ScriptChangeRow } from '../store/script-changes.js';
import { platformOf, scriptChangeCard, verbOf } from './card.js';
import { SCRIPT_CHANGE_TEXT as T } from './texts.js';

/** Who asked for a change, as the chat knows them. */
export function requesterOf(approval: ApprovalRow) {
  return { platform: approval.platform, workspaceId: approval.workspaceId, userId: approval.requesterChatUserId };
}

function whereAsked(approval: ApprovalRow, change: ScriptChangeRow) {
  return { platform: approval.platform, workspaceId: approval.workspaceId, channelId: change.channelId, ...(change.threadRef ? { threadId: change.threadRef } : {}) };
}

/** Edits the request card (in the requester's language) and tells the requester privately; delivery failures never undo anything. */
export async function announceChange(services: Services, approval: ApprovalRow, change: ScriptChangeRow, notice?: { text: Text; vars: Record<string, string | number> }): Promise<Message> {
  const t = translator(change.requesterLocale);
  const card = scriptChangeCard(approval, change, t);
  try {
    if (approval.messageRef && approval.channelId) {
      await services.chat.update({ platform: approval.platform, workspaceId: approval.workspaceId, channelId: approval.channelId, messageRef: approval.messageRef }, card);
    }
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id }, 'could not edit a script change card');
  }
  if (notice) {
    try {
      await services.chat.notify(requesterOf(approval), { ...card, title: t(notice.text, notice.vars), private: true }, whereAsked(approval, change));
    } catch (error) {
      services.log.warn({ err: error, approval: approval.id }, 'could not tell the requester about a script change');
    }
  }
  return card;
}

/** The words every message about a change uses: its verb, script, platform and what "done" is. */
export function baseVars(t: Translate, change: ScriptChangeRow): Record<string, string> {
  return { verb: verbOf(t, change), script: change.scriptName, platform: platformOf(t, change.backend), done: t(T[`done_${change.action}`]) };
}
