/**
 * Filing a script change: a four-eyes request like a HIGH-risk run's (an `approvals` row, posted
 * where approvals go, to approvers by direct message when the channel refuses, expiring at the
 * same time), with the proposed change beside it (store/script-changes.ts). Nothing is written
 * to the platform here: a second admin's approval does that (decide.ts).
 *
 * An edit or a delete is pinned to the script as previewed (hash and modification time); a
 * create to its name being free. Sensitive defaults are sealed before they reach the database.
 */
import { makeId, nativeOf, type Script, type ScriptDraft } from '../backends/index.js';
import type { ChatTarget } from '../core/chat-surface.js';
import type { CommandContext } from '../core/command.js';
import type { Message } from '../core/message.js';
import { utcTime } from '../i18n/format.js';
import { deliverRequest, reachedNobodyReply, requestTarget } from '../approvals/deliver-request.js';
import { translator } from '../i18n/translate.js';
import { insertApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import { insertScriptChange, dropSealedDefaults, type ScriptChangeAction, type ScriptChangeRow } from '../store/script-changes.js';
import { scriptDiff } from './diff.js';
import { platformOf, scriptChangeCard, verbOf } from './card.js';
import { SCRIPT_CHANGE_TEXT as T } from './texts.js';

/** What a person asks for, already checked: the script as it is (edit, delete) and as proposed (create, edit). */
export interface ScriptChangeProposal {
  readonly action: ScriptChangeAction;
  readonly name: string;
  readonly current?: Script;
  readonly currentDraft?: ScriptDraft;
  readonly draft?: ScriptDraft;
  readonly paramsChanged: boolean;
  readonly propertiesChanged: boolean;
}

/** What the change row keeps of a draft: everything but the sensitive defaults (sealed apart). */
export interface StoredDraft {
  readonly script: ScriptDraft;
  readonly paramsChanged: boolean;
  readonly propertiesChanged: boolean;
}

export const SCRIPT_CHANGE_KIND = 'script-change';

function storedDraft(proposal: ScriptChangeProposal): { stored: StoredDraft; secrets: Record<string, string> } | undefined {
  if (!proposal.draft) return undefined;
  const secrets: Record<string, string> = {};
  const params = proposal.draft.params.map((param) => {
    if (!param.sensitive) return param;
    secrets[param.name] = param.defaultValue;
    return { ...param, defaultValue: '' };
  });
  return { stored: { script: { ...proposal.draft, params }, paramsChanged: proposal.paramsChanged, propertiesChanged: proposal.propertiesChanged }, secrets };
}

/** Files the request, posts its card, and says to the requester where it waits. */
export async function requestScriptChange(context: CommandContext, proposal: ScriptChangeProposal): Promise<Message> {
  const { services, t, actor, identity, place } = context;
  const backend = context.backend.name;
  const expiresAt = new Date(services.now().getTime() + services.config.approvals.expiryMinutes * 60_000);
  const target = requestTarget(context);
  const drafted = storedDraft(proposal);
  const sealed = drafted && Object.keys(drafted.secrets).length > 0 ? services.sealer.seal(drafted.secrets) : null;
  const diff = scriptDiff(proposal.currentDraft, proposal.draft);
  const scriptId = proposal.current?.id ?? makeId(backend, 'script', `new:${proposal.name}`);
  const { approval } = await insertApproval(services.db, {
    idempotencyKey: null,
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    requesterChatUserId: actor.userId,
    requesterIamUser: identity.iamUserName,
    scriptId,
    scriptName: proposal.name,
    // A create is pinned to nothing but its name being free.
    scriptContentHash: proposal.current?.pin.hash ?? '',
    scriptModifiedAt: proposal.current?.pin.modifiedAt ?? 0,
    plan: { kind: SCRIPT_CHANGE_KIND, action: proposal.action, name: proposal.name },
    channelId: target.channelId,
    expiresAt,
    createdAt: services.now(),
  });
  const change = await insertScriptChange(services.db, {
    approvalId: approval.id,
    action: proposal.action,
    backend,
    scriptId: proposal.current?.id ?? null,
    scriptName: proposal.name,
    requesterLocale: context.locale,
    channelId: place.channelId,
    threadRef: place.threadId ?? null,
    draft: drafted ? (drafted.stored as unknown as Record<string, unknown>) : null,
    sealedDefaults: sealed,
    diff: JSON.stringify(diff),
  });
  context.audit.target = `script ${proposal.name}${proposal.current ? ` (${nativeOf(proposal.current.id)})` : ''}`;
  context.audit.maskedParameters = { ...context.audit.maskedParameters, approval: approval.id, change: proposal.action, contentLines: `+${diff.added} -${diff.removed}` };
  return postRequest(context, approval, change, target);
}

async function postRequest(context: CommandContext, approval: ApprovalRow, change: ScriptChangeRow, target: ChatTarget): Promise<Message> {
  const { services, t } = context;
  const card = scriptChangeCard(approval, change, translator(change.requesterLocale));
  const delivery = await deliverRequest(services, approval, target, card);
  const vars = { verb: verbOf(t, change), script: change.scriptName, platform: platformOf(t, change.backend) };
  switch (delivery.kind) {
    case 'channel': {
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { messageRef: delivery.posted.messageRef, channelId: delivery.posted.channelId });
      const where = target.channelId !== context.place.channelId ? t({ 'en-US': ' in {channel}', 'zh-CN': '（{channel}）' }, { channel: target.channelId }) : '';
      return { title: t(T.requested, vars), text: t(T.requestedText, { ...vars, where, time: utcTime(approval.expiresAt.getTime()) }), tone: 'info', footer: `approval ${approval.id}` };
    }
    case 'direct':
      return { title: t(T.requestedDirect, vars), text: t(T.requestedText, { ...vars, where: '', time: utcTime(approval.expiresAt.getTime()) }), tone: 'warning', footer: `approval ${approval.id}` };
    case 'nobody': {
      const note = translator(change.requesterLocale)(T.reachedNobody);
      await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'void', decisionNote: note });
      await dropSealedDefaults(services.db, approval.id);
      return reachedNobodyReply(t, target, delivery, approval.id, T);
    }
  }
}
