/**
 * How the rest of the bot asks for a live card: "watch this order and keep its card in that
 * channel up to date until it ends". The tracker behind it keeps the request in the database
 * (tracked_orders), so a restart resumes every card.
 */
import type { ChatDeliveryError, ChatTarget, PostedMessage } from '../core/chat-surface.js';
import type { Actor } from '../core/invocation.js';
import type { Backend, RunId } from '../backends/index.js';
import type { Locale } from '../i18n/translate.js';

export interface TrackRequest {
  readonly run: RunId;
  /** Where the card goes. */
  readonly target: ChatTarget;
  readonly startedByIamUser?: string;
  /** Who asked for the card; told privately when the order ends. */
  readonly startedBy?: Actor;
  /** The approval the order was run under, shown on the card and kept with it. */
  readonly approvalId?: string;
  /** The language the card is written in (the requester's). */
  readonly locale: Locale;
  /**
   * The requester reads what this call returns (`order watch`): a card the platform refuses for
   * good is said there (`undelivered`) instead of in a separate private note.
   */
  readonly requesterIsWaiting?: boolean;
  /**
   * The bot's backend as the asking invocation holds it (its `services.backend`): the card's first
   * read is then that invocation's call — in its audit row, within its deadline. Only the first:
   * the rounds after it are the tracker's own, on the bot's backend. Ignored unless it is a view
   * of the tracker's own backend (never other rights).
   */
  readonly readsIn?: Backend;
}

/** What asking for a card did. */
export type TrackOutcome =
  /** A new card was posted: live, or already the final summary when the order had ended (`ended`). */
  | { readonly kind: 'posted'; readonly card: PostedMessage; readonly ended: boolean }
  /** This place already has a card for the order; it is kept. */
  | { readonly kind: 'existing'; readonly card: PostedMessage | undefined }
  /** Stored; the replica polling the order posts the card within a polling round. */
  | { readonly kind: 'pending' }
  /** The platform refused the card for good (the bot is not in the channel, …): given up, nothing will be posted here. */
  | { readonly kind: 'undelivered'; readonly error: ChatDeliveryError };

export interface OrderTracking {
  /**
   * Posts the first card and starts tracking. Asking twice for the same order and place keeps
   * the first card. Never calls a mutating COC endpoint.
   */
  track(request: TrackRequest): Promise<PostedMessage | undefined>;
  /** `track()` telling what it did: posted a card, kept the one this place has, or left it to the polling replica. */
  watch(request: TrackRequest): Promise<TrackOutcome>;
  /** Re-reads the order at the next tick instead of waiting (after a pause/continue/cancel click). */
  nudge(run: RunId): void;
}
