/**
 * Numbered choices in the terminal, bound to the one card they were printed with. A number
 * typed later acts on that card only: another card printed meanwhile (a live order card's
 * edit, a notification) never takes the numbers over.
 */
import type { Button, Message } from '../../core/message.js';
import type { Palette } from './ansi.js';
import { renderItems, renderProse } from './render.js';
import { truncateToWidth } from './width.js';
import { translator, type Translate } from '../../i18n/translate.js';
import { SHELL_TEXTS as T } from '../../i18n/catalogues/shell.js';

const ENGLISH = translator('en-US');

export interface Choice {
  readonly actionId: string;
  readonly value: string;
  readonly label: string;
  readonly confirm?: Button['confirm'];
  /** Pressing it only brings the bot's own confirmation question (see Button.onlyAsks). */
  readonly onlyAsks?: boolean;
}

/** A card the numbers may answer: what it is called on screen, and the choices offered on it. */
export interface BoundCard {
  /** The surface's message ref for a posted card; a local key for a reply or a notice. */
  readonly key: string;
  /** How the terminal names it: `card <ref> ("<title>")` or `"<title>"`. */
  readonly label: string;
  /** As the bot sent it, before leaving out what the viewer may not click (re-offered after "/as"). */
  readonly message: Message;
  readonly choices: readonly Choice[];
}

export function choicesOf(message: Message): Choice[] {
  const buttons: Choice[] = (message.buttons ?? []).map((b) => ({ actionId: b.actionId, value: b.value, label: b.label, ...(b.confirm ? { confirm: b.confirm } : {}), ...(b.onlyAsks ? { onlyAsks: true } : {}) }));
  const options: Choice[] = message.select
    ? message.select.options.map((o) => ({ actionId: message.select!.actionId, value: o.value, label: o.label }))
    : [];
  return [...buttons, ...options];
}

function shortTitle(title: string | undefined): string {
  const text = (title ?? '').replace(/\s+/g, ' ').trim();
  return truncateToWidth(text, 60);
}

/** `t`: the words of the person acting at the prompt. */
export function cardLabel(message: Message, ref?: string, t: Translate = ENGLISH): string {
  const title = shortTitle(message.title);
  if (ref) return title ? t(T.cardWithTitle, { ref, title }) : t(T.card, { ref });
  return title ? t(T.titled, { title }) : t(T.lastReply);
}

/** The numbers of the card they answer, and which card that is. */
export function renderBound(card: BoundCard, palette: Palette, t: Translate = ENGLISH): string {
  if (!card.choices.length) return '';
  const items = card.choices.map((choice, i) => `[${i + 1}] ${choice.label}`);
  return `${renderItems(items, palette, palette.cyan)}${renderProse(t(T.chooseHint, { card: card.label }), palette, palette.dim)}`;
}

/** A card whose buttons are not numbered, because the numbers answer another card. */
export function renderUnbound(choices: readonly Choice[], key: string, answering: BoundCard | undefined, palette: Palette, t: Translate = ENGLISH): string {
  if (!choices.length) return '';
  const now = answering ? t(T.stillAnswer, { card: answering.label }) : t(T.nothingNumbered);
  return renderProse(t(T.buttonsUnnumbered, { buttons: choices.map((c) => c.label).join(' · '), now, ref: key }), palette, palette.dim);
}
