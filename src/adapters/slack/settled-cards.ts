/**
 * A card decided by a click (a preview's Run or Cancel, an approval's Approve, a confirmation's
 * answer: buttons marked `settles`) loses its buttons and says who chose what, so it never
 * looks clickable again and no second message is needed to tell it. A click that was refused
 * (the wrong person, four eyes) changes nothing on the card.
 */
import type { types } from '@slack/bolt';
import { translator, type Locale } from '../../i18n/translate.js';
import { LIMITS } from './limits.js';
import { clip, escapeText, oneLine } from './mrkdwn.js';
import { SLACK_TEXTS as T } from './texts.js';

/** The clicked card, as the click's payload describes it. */
export interface ClickedCard {
  readonly channelId: string;
  readonly ts?: string;
  /** Only its viewer sees it: it can be changed through the click's response_url only. */
  readonly ephemeral: boolean;
  /** What the card shows now (Slack sends it for channel messages, not for ephemeral ones). */
  readonly text?: string;
  readonly blocks?: readonly unknown[];
  /** Member id of whoever clicked. */
  readonly chooserId: string;
  /** The clicked button's label. */
  readonly choice: string;
}

/** "✓ <@U123> chose Approve · 10:42 UTC" */
export function settledLine(card: Pick<ClickedCard, 'chooserId' | 'choice'>, locale: Locale, now: Date): string {
  const time = now.toISOString().slice(11, 16);
  return translator(locale)(T.settled, { who: `<@${card.chooserId}>`, choice: clip(escapeText(oneLine(card.choice)), 75), time });
}

export function settledLineBlock(line: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(line, LIMITS.contextText) }] };
}

/** The card's blocks without its buttons and menus, with the line saying who decided it. */
export function settledBlocks(blocks: readonly unknown[], line: string): unknown[] {
  const kept = blocks.filter((block) => !(typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'actions'));
  return [...kept, settledLineBlock(line)];
}
