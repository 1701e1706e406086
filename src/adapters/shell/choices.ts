/**
 * Numbered choices in the terminal, bound to the one card they were printed with. A number
 * typed later acts on that card only: another card printed meanwhile (a live order card's
 * edit, a notification) never takes the numbers over.
 */
import type { Button, Message } from '../../core/message.js';
import type { Palette } from './ansi.js';
import { renderItems, renderProse } from './render.js';
import { truncateToWidth } from './width.js';

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

export function cardLabel(message: Message, ref?: string): string {
  const title = shortTitle(message.title);
  if (ref) return title ? `card ${ref} ("${title}")` : `card ${ref}`;
  return title ? `"${title}"` : 'the last reply';
}

/** The numbers of the card they answer, and which card that is. */
export function renderBound(card: BoundCard, palette: Palette): string {
  if (!card.choices.length) return '';
  const items = card.choices.map((choice, i) => `[${i + 1}] ${choice.label}`);
  return `${renderItems(items, palette, palette.cyan)}${renderProse(`Type a number to choose; the numbers answer ${card.label}.`, palette, palette.dim)}`;
}

/** A card whose buttons are not numbered, because the numbers answer another card. */
export function renderUnbound(choices: readonly Choice[], key: string, answering: BoundCard | undefined, palette: Palette): string {
  if (!choices.length) return '';
  const now = answering ? `the numbers still answer ${answering.label}` : 'nothing is numbered now';
  return renderProse(`Buttons: ${choices.map((c) => c.label).join(' · ')} (not numbered: ${now}; "/answer ${key}" numbers these instead).`, palette, palette.dim);
}
