/**
 * What every live card (an order's, a runbook execution's) does with chat, whatever it shows: post
 * it the first time or edit it in place, and tell a person privately. A platform's refusal is
 * returned as a value, for the tracker to count and decide on (wait, try again, post again, give
 * up); anything else is thrown.
 */
import { ChatDeliveryError, type ChatSurfaces, type ChatTarget, type PostedMessage } from './chat-surface.js';
import type { Actor } from './invocation.js';
import type { Message } from './message.js';
import type { ChatPlatform } from '../store/vocabulary.js';

/** Where a stored card is: its place, and its message once posted ('' = not in a thread). */
export interface CardPlace {
  readonly platform: ChatPlatform;
  readonly workspaceId: string;
  readonly channelId: string;
  readonly threadRef: string;
  readonly messageRef: string | null;
}

export function targetOfCard(card: CardPlace): ChatTarget {
  return {
    platform: card.platform,
    workspaceId: card.workspaceId,
    channelId: card.channelId,
    ...(card.threadRef ? { threadId: card.threadRef } : {}),
  };
}

/** The posted message of a card; undefined until it is posted. */
export function postedOf(card: CardPlace): PostedMessage | undefined {
  return card.messageRef === null ? undefined : Object.assign(targetOfCard(card), { messageRef: card.messageRef });
}

export type CardSent =
  | { readonly posted: PostedMessage; readonly edited: boolean }
  | { readonly refused: ChatDeliveryError };

/** Posts the card (never posted yet, or `afresh`) or edits it in place. */
export async function sendCard(chat: ChatSurfaces, card: CardPlace, message: Message, options: { readonly afresh?: boolean } = {}): Promise<CardSent> {
  const posted = options.afresh ? undefined : postedOf(card);
  try {
    if (!posted) return { posted: await chat.post(targetOfCard(card), message), edited: false };
    await chat.update(posted, message);
    return { posted, edited: true };
  } catch (error) {
    if (!(error instanceof ChatDeliveryError)) throw error;
    return { refused: error };
  }
}

/** Tells the card's requester privately, where the card is if the platform allows it there; the refusal if it did not reach them. */
export async function tellRequester(chat: ChatSurfaces, card: CardPlace & { readonly requesterUserId: string }, message: Message): Promise<ChatDeliveryError | undefined> {
  const person: Actor = { platform: card.platform, workspaceId: card.workspaceId, userId: card.requesterUserId };
  try {
    await chat.notify(person, message, targetOfCard(card));
    return undefined;
  } catch (error) {
    if (!(error instanceof ChatDeliveryError)) throw error;
    return error;
  }
}
