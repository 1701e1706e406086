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

/** The platform refused or failed to deliver; `retryAfterMs` when it asked us to slow down. */
export class ChatDeliveryError extends Error {
  override readonly name = 'ChatDeliveryError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
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
