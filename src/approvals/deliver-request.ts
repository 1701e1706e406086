/**
 * Getting an approval request in front of approvers, so it never waits on nobody.
 *
 * The card goes to its channel (the approvals channel, else the requester's). A rate limit is
 * waited out, briefly; any other refusal (the bot is not in the channel, no permission) is
 * counted as an undelivered post and, unless `approvals.directMessageFallback` is off, the
 * request is sent by direct message to every other linked person on that platform and workspace
 * who may decide it (the approver role, or the script's reviewers under `approvals.approvers`).
 * The caller learns where it went (or that it reached nobody) and says so to the requester.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatDeliveryError, type ChatTarget, type PostedMessage } from '../core/chat-surface.js';
import type { CommandContext, Services } from '../core/command.js';
import type { Actor } from '../core/invocation.js';
import type { Message } from '../core/message.js';
import { failureReason, placeName, whyUndelivered } from '../core/undelivered.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';
import type { ApprovalRow } from '../store/approvals.js';
import { decidersOf } from './approvers.js';

/** Retry-Afters up to this long are waited out before the post is tried again. */
const MAX_RATE_LIMIT_WAIT_MS = 5_000;
/** Posts of the request in its channel, counting the first, when the platform asks to slow down. */
const RATE_LIMITED_ATTEMPTS = 3;

export const REQUEST_DELIVERY_TEXT = {
  directNote: {
    'en-US': 'This request could not be posted in {where} ({why}), so it is sent to you directly.',
    'zh-CN': '此请求无法发布到 {where}（{why}），因此直接发送给您。',
  },
  decideHere: { 'en-US': 'Approve or reject it with the buttons below.', 'zh-CN': '请用下方按钮批准或拒绝。' },
  decideInChannel: {
    'en-US': 'Changes are not made from direct messages here: decide in a team channel the bot is in with "approval show {id}".',
    'zh-CN': '此处不允许在私信中执行变更：请在机器人所在的团队频道中用 "approval show {id}" 处理。',
  },
} satisfies Record<string, Text>;

/** Where a request asked here goes: the configured approvals channel of the platform, else where it was asked. */
export function requestTarget(context: CommandContext): ChatTarget {
  const { services, actor, place } = context;
  const configured = actor.platform === 'slack' ? services.config.approvals.channel.slack : actor.platform === 'discord' ? services.config.approvals.channel.discord : undefined;
  if (configured) return { platform: actor.platform, workspaceId: actor.workspaceId, channelId: configured };
  return { platform: actor.platform, workspaceId: actor.workspaceId, channelId: place.channelId, ...(place.threadId ? { threadId: place.threadId } : {}) };
}

/** The requester's word for a request that reached nobody (the caller has made it void). */
export function reachedNobodyReply(
  t: Translate,
  target: ChatTarget,
  delivery: Extract<RequestDelivery, { kind: 'nobody' }>,
  approvalId: string,
  words: { readonly reachedNobody: Text; readonly reachedNobodyText: Text },
): Message {
  return {
    title: t(words.reachedNobody),
    text: t(words.reachedNobodyText, { where: placeName(target), why: whyUndelivered(t, target.platform, delivery.refusal, placeName(target)) }),
    tone: 'danger',
    outcome: 'failed',
    footer: `approval ${approvalId}`,
  };
}

/** Where the request went. */
export type RequestDelivery =
  | { readonly kind: 'channel'; readonly posted: PostedMessage }
  /** The channel refused; `reached` approvers got it by direct message (at least one). */
  | { readonly kind: 'direct'; readonly refusal: unknown; readonly reached: number }
  /** Nobody got it: the channel refused and no direct message arrived (`approvers` were tried; `fallback` off = none tried). */
  | { readonly kind: 'nobody'; readonly refusal: unknown; readonly approvers: number; readonly fallback: boolean };

/** Posts, waiting out short rate limits; throws the last refusal. */
async function postWaitingOutRateLimits(services: Services, target: ChatTarget, message: Message): Promise<PostedMessage> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await services.chat.post(target, message);
    } catch (error) {
      const wait = error instanceof ChatDeliveryError ? error.retryAfterMs : undefined;
      if (wait === undefined || wait > MAX_RATE_LIMIT_WAIT_MS || attempt >= RATE_LIMITED_ATTEMPTS) throw error;
      await sleep(wait);
    }
  }
}

/**
 * The linked people who may decide this request, on its platform and workspace, never the
 * requester: approver role or higher, or under `approvals.approvers` reviewers / both the
 * script's reviewers the request names (approvers.ts).
 */
export async function approversOf(services: Services, approval: Pick<ApprovalRow, 'platform' | 'workspaceId' | 'requesterChatUserId' | 'requesterIamUser' | 'plan'>) {
  return decidersOf(services, approval);
}

/** Posts the request card in `target`; falls back to the approvers' direct messages when the channel refuses. */
export async function deliverRequest(services: Services, approval: ApprovalRow, target: ChatTarget, card: Message): Promise<RequestDelivery> {
  let refusal: unknown;
  try {
    return { kind: 'channel', posted: await postWaitingOutRateLimits(services, target, card) };
  } catch (error) {
    refusal = error;
  }
  services.metrics.undeliveredPost(target.platform, failureReason(refusal));
  services.log.warn({ err: refusal, approval: approval.id, channel: target.channelId }, 'could not post an approval request in its channel');
  if (!services.config.approvals.directMessageFallback) return { kind: 'nobody', refusal, approvers: 0, fallback: false };

  const approvers = await approversOf(services, approval);
  let reached = 0;
  for (const row of approvers) {
    const person: Actor = { platform: row.platform, workspaceId: row.workspaceId, userId: row.platformUserId };
    const t = translator(row.locale ?? services.identities.localeFor(person));
    const decide = services.policy.executionInDmsAllowed ? t(REQUEST_DELIVERY_TEXT.decideHere) : t(REQUEST_DELIVERY_TEXT.decideInChannel, { id: approval.id });
    const note = `${t(REQUEST_DELIVERY_TEXT.directNote, { where: placeName(target), why: whyUndelivered(t, target.platform, refusal, placeName(target)) })} ${decide}`;
    // Buttons only where a click can be accepted: the policy refuses changes from DMs unless allowed.
    const { buttons, ...rest } = card;
    const direct: Message = { ...rest, ...(services.policy.executionInDmsAllowed && buttons ? { buttons } : {}), text: [note, card.text].filter(Boolean).join('\n\n') };
    try {
      await services.chat.notify(person, direct);
      reached++;
    } catch (error) {
      services.metrics.undeliveredPost(person.platform, failureReason(error));
      services.log.warn({ err: error, approval: approval.id, approver: row.iamUserName }, 'could not send an approval request to an approver by direct message');
    }
  }
  return reached > 0 ? { kind: 'direct', refusal, reached } : { kind: 'nobody', refusal, approvers: approvers.length, fallback: true };
}
