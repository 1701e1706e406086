/**
 * Decided cards: a click on a settling button (a preview's Run or Cancel, an approval's Approve
 * or Reject, a confirmation's answer) that goes through takes the buttons off the card it was
 * on and notes who chose what ("✓ @alice chose Approve · 10:42 UTC"), so a decided card never
 * looks clickable and nothing piles up under it. The card is edited in the click's own answer
 * (UPDATE_MESSAGE, or DEFERRED_UPDATE_MESSAGE and an edit of `@original` when the answer is
 * slow); a card seen from a second message (the confirmation question) is edited as a channel
 * message with the bot's token.
 */
import type { APIInteractionResponseCallbackData } from 'discord.js';
import { utcTime } from '../../i18n/format.js';
import type { Translate } from '../../i18n/translate.js';
import type { Restore, Settle } from './component-state.js';
import type { Interaction } from './interaction-schema.js';
import { LIMITS } from './limits.js';
import { cutStart } from './text.js';
import { DISCORD_TEXTS as T } from './texts.js';

/** Discord's flag of an ephemeral message: only its token can edit it. */
const EPHEMERAL = 1 << 6;

/** What a click in progress may decide, read from the custom id or the kept component. */
export interface Click {
  /** The clicked message is the adapter's own confirmation question: it is answered in place, whatever the outcome. */
  readonly question: boolean;
  /** The click decides a card if it goes through. Without `card`, the clicked message is the card. */
  readonly settle?: Settle;
  /** The clicked button's label, as the message showed it. */
  readonly label?: string;
  /** The question is a private card turned into its own question: how the card was. */
  readonly restore?: Restore;
}

/** The body that edits a card (or a question) into its decided state — no buttons, who chose what — or back as it was. */
export interface DecidedBody {
  content: string;
  components: readonly unknown[];
  /** Only for the confirmation question, whose own text goes: a card keeps its embeds (left out of an edit). */
  embeds?: [];
  allowed_mentions: { parse: [] };
}

/** The label of the clicked component on the message it was on (Discord sends that message with the click). */
export function clickedLabel(interaction: Interaction, customId: string): string | undefined {
  for (const row of interaction.message?.components ?? []) {
    for (const component of row.components ?? []) {
      if (component.custom_id === customId && component.label) return component.label;
    }
  }
  return undefined;
}

/**
 * The message a click was on, as a card another message may decide later: only a channel
 * message can be edited with the bot's token (an ephemeral one only through its interaction).
 */
export function cardOf(interaction: Interaction): Settle['card'] {
  const message = interaction.message;
  const channelId = message?.channel_id ?? interaction.channel_id ?? interaction.channel?.id;
  if (!message || !channelId || ((message.flags ?? 0) & EPHEMERAL) !== 0) return undefined;
  return { channelId, messageId: message.id, ...(message.content ? { content: message.content } : {}) };
}

/** "✓ <@id> chose Approve · 10:42 UTC" — a mention that pings nobody (allowed_mentions is empty). */
export function decisionLine(t: Translate, userId: string, label: string | undefined, nowMs: number): string {
  const time = utcTime(nowMs).slice(11);
  return label ? t(T.decided, { user: userId, label, time }) : t(T.decidedUnlabelled, { user: userId, time });
}

/** The decided card: what it said before (its embeds are left as they are), the decision under it, no buttons. */
export function decidedBody(previous: string | undefined, line: string): DecidedBody {
  const content = previous ? cutStart(`${previous}\n${line}`, LIMITS.content) : line;
  return { content, components: [], allowed_mentions: { parse: [] } };
}

/** A private card that was its own question, back as it was (its embeds were never touched). */
export function restoredBody(restore: Restore): DecidedBody {
  return { content: restore.content ?? '', components: restore.components, allowed_mentions: { parse: [] } };
}

/**
 * A private card, turned into its own confirmation question when one of its buttons asks one:
 * only the clicker sees it, so the question needs no second message and the answer decides the
 * card in place. Its content and buttons are kept to put back on "no".
 */
export function inlineRestore(interaction: Interaction): Restore | undefined {
  const message = interaction.message;
  if (!message?.components || ((message.flags ?? 0) & EPHEMERAL) === 0) return undefined;
  return { ...(message.content ? { content: message.content } : {}), components: message.components };
}

/** As an interaction response's data: put-back components are Discord's own, as it sent them. */
export function asResponseData(body: DecidedBody): APIInteractionResponseCallbackData {
  return body as unknown as APIInteractionResponseCallbackData;
}
