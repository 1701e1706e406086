/**
 * What to tell a person when a post the bot made on its own (an approval request, a live
 * order card, an incident notification) did not arrive: where, and why, in words they can act
 * on. The platform's reason comes from the adapter's ChatDeliveryError.
 */
import { DELIVERY_TEXTS } from '../i18n/catalogues/delivery.js';
import type { Translate } from '../i18n/translate.js';
import type { ChatPlatform } from '../store/vocabulary.js';
import { ChatDeliveryError, type ChatTarget, type DeliveryFailureReason } from './chat-surface.js';

/** `#C0123`, `#C0123 › 1700000000.000100`: the place as replies name it. */
export function placeName(target: Pick<ChatTarget, 'channelId' | 'threadId'>): string {
  return target.threadId ? `#${target.channelId} › ${target.threadId}` : `#${target.channelId}`;
}

/** The failure's reason; an error that is not a ChatDeliveryError is 'other'. */
export function failureReason(error: unknown): DeliveryFailureReason {
  return error instanceof ChatDeliveryError ? error.reason : 'other';
}

/** Why nothing arrived at `where`, and what to do: "the bot is not in #C01: invite it with /invite @coc, …". */
export function whyUndelivered(t: Translate, platform: ChatPlatform, error: unknown, where: string): string {
  const reason = failureReason(error);
  const detail = error instanceof Error ? error.message : String(error);
  const texts = platform === 'slack' ? DELIVERY_TEXTS.slack : platform === 'discord' ? DELIVERY_TEXTS.discord : undefined;
  return texts ? t(texts[reason], { where, detail }) : t(DELIVERY_TEXTS.other, { where, detail });
}
