/**
 * One rendering of a reply many people get at once. A card everyone looking at one order within
 * its snapshot's life gets is one reply object (src/orders/show.ts keeps the card per snapshot and
 * language), so from its second answer on its Discord messages, the initial response that carries
 * the first one and that response's JSON are made once per language and kept as long as the reply is — not once per
 * person: in a burst of 200 views of one order, rendering and serialising each answer again was a
 * fifth of everything the bot allocated, and its collections the largest part of its CPU beyond a
 * bare app's.
 *
 * What is shared is frozen, so no one answering can change what the others send; renderings that
 * failed (the component store unavailable) are not kept.
 */
import { InteractionResponseType, MessageFlags, type APIInteractionResponse } from 'discord.js';
import type { Message } from '../../core/message.js';
import type { Locale } from '../../i18n/translate.js';
import type { DiscordMessage } from './render.js';
import { deepFreeze, RepeatedReplyRenderings } from '../repeated-replies.js';

/** Frozen once made; a rendering that failed (the component store unavailable) is not kept. */
const renderings = new RepeatedReplyRenderings<Promise<readonly DiscordMessage[]>>((made, forget) => {
  const frozen = made.then(deepFreeze);
  frozen.catch(forget);
  return frozen;
});

/**
 * `render()`'s messages for `reply` in `locale`. A reply seen for the first time is rendered for
 * its one answer as any other; from the second time on, one rendering per language is made,
 * frozen and shared while `reply` lives (src/adapters/repeated-replies.ts).
 */
export function sharedRendering(reply: Message, locale: Locale, render: () => Promise<DiscordMessage[]>): Promise<readonly DiscordMessage[]> {
  return renderings.of(reply, locale, render);
}

const responses = new WeakMap<DiscordMessage, { plain?: APIInteractionResponse; ephemeral?: APIInteractionResponse }>();

/** The initial response carrying `message` (privately or not): the same frozen one for a shared, frozen message. */
export function messageResponse(message: DiscordMessage, ephemeral: boolean): APIInteractionResponse {
  const make = (): APIInteractionResponse => ({ type: InteractionResponseType.ChannelMessageWithSource, data: { ...message, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) } });
  if (!Object.isFrozen(message)) return make();
  let made = responses.get(message);
  if (!made) responses.set(message, (made = {}));
  const which = ephemeral ? 'ephemeral' : 'plain';
  return (made[which] ??= deepFreeze(make()));
}

const serialized = new WeakMap<object, string>();

/** `body` as JSON; a frozen body's JSON is made once (it cannot change). */
export function jsonOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || !Object.isFrozen(body)) return JSON.stringify(body);
  let text = serialized.get(body);
  if (text === undefined) serialized.set(body, (text = JSON.stringify(body)));
  return text;
}
