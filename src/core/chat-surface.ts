/**
 * What the core may say without being asked: post a message to a channel (an approval
 * request, a live order card, an incident notification), edit it later, tell one person
 * something privately, and open the place where an incident's notifications go.
 *
 * Each adapter implements a ChatSurface for its platform (Slack chat.postMessage/chat.update,
 * Discord channel messages, the terminal's output stream). Commands and services only see this
 * interface, never a platform SDK.
 */
import type { ChatPlatform } from '../store/vocabulary.js';
import type { Actor } from './invocation.js';
import type { Message } from './message.js';

/** A channel (or a thread in it) on one platform's workspace. */
export interface ChatTarget {
  readonly platform: ChatPlatform;
  readonly workspaceId: string;
  readonly channelId: string;
  /** Post into this thread (Slack thread_ts, Discord thread channel id). */
  readonly threadId?: string;
}

/** A message the bot posted, enough to edit it later (also after a restart: it is stored). */
export interface PostedMessage extends ChatTarget {
  /** Slack ts, Discord message id, a terminal counter. */
  readonly messageRef: string;
}

export interface IncidentPlaceRequest {
  readonly workspaceId: string;
  readonly incidentNum: string;
  readonly title: string;
  /** Where the incident was created from; a thread is opened here when no channel is configured. */
  readonly from?: ChatTarget;
  /** People to invite into a new channel. */
  readonly invite: readonly Actor[];
}

export interface ChatSurface {
  readonly platform: ChatPlatform;
  post(target: ChatTarget, message: Message): Promise<PostedMessage>;
  /** Replaces the message in place. */
  update(posted: PostedMessage, message: Message): Promise<void>;
  /** Tells one person privately (a direct message, or an ephemeral message where they are). */
  notify(person: Actor, message: Message, where?: ChatTarget): Promise<void>;
  /** A new channel, a thread in a configured channel, or the terminal stream. */
  openIncidentPlace(request: IncidentPlaceRequest): Promise<ChatTarget>;
}

/**
 * Why a platform did not deliver, in terms an operator can act on. Adapters map their own
 * error codes to these (Slack `not_in_channel`, Discord 50001 "Missing Access", …).
 */
export const DELIVERY_FAILURE_REASONS = [
  /** The bot is not a member of the channel (Slack not_in_channel). */
  'not-in-channel',
  /** The channel does not exist, or the bot cannot see it (a private channel it was not invited to). */
  'channel-not-found',
  /** The bot is there but may not post (Discord Missing Access / Missing Permissions, a workspace rule). */
  'no-permission',
  /** The channel is archived. */
  'archived',
  /** The platform asked to slow down (429 with Retry-After). */
  'rate-limited',
  /** The message is larger than the platform allows. */
  'too-large',
  /** The platform could not be reached or failed on its side (timeout, 5xx). */
  'unavailable',
  /** Anything else the platform refused. */
  'other',
] as const;
export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number];

/** Failures after which trying the same post again later can succeed. */
const RETRYABLE: ReadonlySet<DeliveryFailureReason> = new Set(['rate-limited', 'unavailable']);

export interface ChatDeliveryErrorOptions extends ErrorOptions {
  /** Default: `rate-limited` with a `retryAfterMs`, else `other`. */
  readonly reason?: DeliveryFailureReason;
}

/** The platform refused or failed to deliver; `retryAfterMs` when it asked us to slow down. */
export class ChatDeliveryError extends Error {
  override readonly name = 'ChatDeliveryError';
  readonly reason: DeliveryFailureReason;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ChatDeliveryErrorOptions,
  ) {
    super(message, options);
    this.reason = options?.reason ?? (retryAfterMs !== undefined ? 'rate-limited' : 'other');
  }

  /** Whether the same post can succeed later without anyone doing anything (a rate limit, an outage). */
  get retryable(): boolean {
    return RETRYABLE.has(this.reason);
  }
}

/** The surfaces of the adapters that are running, by platform. */
export class ChatSurfaces {
  readonly #byPlatform = new Map<ChatPlatform, ChatSurface>();

  register(surface: ChatSurface): void {
    this.#byPlatform.set(surface.platform, surface);
  }

  get(platform: ChatPlatform): ChatSurface {
    const surface = this.#byPlatform.get(platform);
    if (!surface) throw new ChatDeliveryError(`the ${platform} adapter is not running in this process`);
    return surface;
  }

  has(platform: ChatPlatform): boolean {
    return this.#byPlatform.has(platform);
  }

  post(target: ChatTarget, message: Message): Promise<PostedMessage> {
    return this.get(target.platform).post(target, message);
  }

  update(posted: PostedMessage, message: Message): Promise<void> {
    return this.get(posted.platform).update(posted, message);
  }

  notify(person: Actor, message: Message, where?: ChatTarget): Promise<void> {
    return this.get(person.platform).notify(person, message, where);
  }
}

/** The channel an invocation happened in, as a place to post to. */
export function targetOf(actor: Actor, place: { readonly channelId: string; readonly threadId?: string }): ChatTarget {
  return {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    channelId: place.channelId,
    ...(place.threadId ? { threadId: place.threadId } : {}),
  };
}
