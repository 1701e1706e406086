/**
 * Discord as a chat surface: what the bot says without being asked right now.
 *
 * Cards (approval requests, live order cards, incident notifications) are ordinary bot
 * messages posted with the bot token from the start, never interaction replies: an
 * interaction's token dies after 15 minutes and only the replica that received it knows it,
 * while an order may run for hours and be tracked by another replica. A bot message can be
 * edited by any replica for as long as it exists. A card stays one message, shortened
 * visibly if it must be, because it is edited in place.
 *
 * Telling one person something privately is a direct message (ephemeral messages exist only
 * as answers to that person's own interaction). If Discord refuses the DM (the person does
 * not accept DMs from server members), the person is told so where they are, without the
 * content. Each incident gets a public thread in the configured channel (or where it was
 * created). Every call goes through discord.js's REST queue, which honours rate limits.
 */
import { ChannelType, DiscordAPIError, RateLimitError, RESTJSONErrorCodes, Routes, type APIChannel, type APIMessage, type REST } from 'discord.js';
import { LRUCache } from 'lru-cache';
import { ChatDeliveryError, type ChatSurface, type DeliveryFailureReason, type ChatTarget, type IncidentPlaceRequest, type PostedMessage } from '../../core/chat-surface.js';
import type { Actor } from '../../core/invocation.js';
import type { Message } from '../../core/message.js';
import { translator, type Locale, type Translate } from '../../i18n/translate.js';
import type { Metrics } from '../../ops/metrics.js';
import type { ComponentState } from './component-state.js';
import { LIMITS } from './limits.js';
import { renderMessages, type DiscordMessage } from './render.js';
import { cut } from './text.js';
import { DISCORD_TEXTS as T } from './texts.js';

export interface DiscordSurfaceOptions {
  readonly rest: REST;
  readonly state: ComponentState;
  /** The language of the adapter's own notes ("shortened to fit"). */
  readonly locale: Locale;
  /** The channel in which a thread is opened per incident; unset = where the incident was created. */
  readonly incidentChannel?: string;
  readonly onUnexpected?: (error: unknown) => void;
  /** Counts card edits. */
  readonly metrics?: Pick<Metrics, 'cardEdit'>;
}

/** Seven days: the longest a thread stays open without activity. */
const THREAD_ARCHIVE_MINUTES = 10080;

export class DiscordSurface implements ChatSurface {
  readonly platform = 'discord' as const;
  readonly #dmChannels = new LRUCache<string, string>({ max: 10_000 });
  readonly #t: Translate;

  constructor(private readonly options: DiscordSurfaceOptions) {
    this.#t = translator(options.locale);
  }

  private channelOf(target: ChatTarget): string {
    return target.threadId ?? target.channelId;
  }

  private async render(message: Message, mode: 'single' | 'split'): Promise<DiscordMessage[]> {
    return renderMessages(message, { state: this.options.state, t: this.#t }, { mode });
  }

  async post(target: ChatTarget, message: Message): Promise<PostedMessage> {
    const [body] = await this.render(message, 'single');
    const created = (await deliver(() => this.options.rest.post(Routes.channelMessages(this.channelOf(target)), { body }))) as APIMessage;
    return { ...target, messageRef: created.id };
  }

  async update(posted: PostedMessage, message: Message): Promise<void> {
    const [body] = await this.render(message, 'single');
    await deliver(() => this.options.rest.patch(Routes.channelMessage(this.channelOf(posted), posted.messageRef), { body }));
    this.options.metrics?.cardEdit('discord');
  }

  /** Posts a whole reply (several messages if it must) in a channel; used when an interaction's token is gone. */
  async postReply(target: ChatTarget, message: Message): Promise<void> {
    for (const body of await this.render(message, 'split')) {
      await deliver(() => this.options.rest.post(Routes.channelMessages(this.channelOf(target)), { body }));
    }
  }

  async notify(person: Actor, message: Message, where?: ChatTarget): Promise<void> {
    try {
      const channel = await this.dmChannel(person.userId);
      for (const body of await this.render(message, 'split')) {
        await deliver(() => this.options.rest.post(Routes.channelMessages(channel), { body }));
      }
    } catch (error) {
      const refused = error instanceof ChatDeliveryError && error.cause instanceof DiscordAPIError && isDmRefusal(error.cause.code);
      if (!refused || !where) throw error;
      // Say where they are that a private message could not reach them, not what it said.
      const body = { content: this.#t(T.dmFailed, { user: person.userId }), allowed_mentions: { users: [person.userId] } };
      await deliver(() => this.options.rest.post(Routes.channelMessages(this.channelOf(where)), { body }));
    }
  }

  private async dmChannel(userId: string): Promise<string> {
    const known = this.#dmChannels.get(userId);
    if (known) return known;
    const channel = (await deliver(() => this.options.rest.post(Routes.userChannels(), { body: { recipient_id: userId } }))) as APIChannel;
    this.#dmChannels.set(userId, channel.id);
    return channel.id;
  }

  async openIncidentPlace(request: IncidentPlaceRequest): Promise<ChatTarget> {
    const parent = this.options.incidentChannel ?? request.from?.channelId;
    if (!parent) throw new ChatDeliveryError(`no Discord channel to open a thread for incident ${request.incidentNum} in: set incidents.discord.channel`);
    const thread = (await deliver(() =>
      this.options.rest.post(Routes.threads(parent), {
        body: { name: cut(`${request.incidentNum} ${request.title}`.trim(), LIMITS.threadName), type: ChannelType.PublicThread, auto_archive_duration: THREAD_ARCHIVE_MINUTES },
      }),
    )) as APIChannel;
    for (const person of request.invite) {
      try {
        await deliver(() => this.options.rest.put(Routes.threadMembers(thread.id, person.userId)));
      } catch (error) {
        // The thread is public; someone who cannot be added can still open it.
        this.options.onUnexpected?.(error);
      }
    }
    return { platform: 'discord', workspaceId: request.workspaceId, channelId: parent, threadId: thread.id };
  }
}

function isDmRefusal(code: number | string): boolean {
  return code === RESTJSONErrorCodes.CannotSendMessagesToThisUser || code === RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds;
}

/** Discord's JSON error codes by what an operator can do about them; codes not listed are 'other'. */
const REASONS: ReadonlyMap<number, DeliveryFailureReason> = new Map<number, DeliveryFailureReason>([
  // The bot cannot see the channel: it lacks View Channel there (or is not in that server).
  [RESTJSONErrorCodes.MissingAccess, 'not-in-channel'],
  [RESTJSONErrorCodes.UnknownChannel, 'channel-not-found'],
  [RESTJSONErrorCodes.UnknownGuild, 'channel-not-found'],
  [RESTJSONErrorCodes.MissingPermissions, 'no-permission'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'no-permission'],
  [RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel, 'no-permission'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds, 'no-permission'],
  [RESTJSONErrorCodes.ThreadLocked, 'archived'],
  [RESTJSONErrorCodes.RequestEntityTooLarge, 'too-large'],
]);

/** What kind of failure a Discord REST error is (its JSON code, else its HTTP status). */
export function discordFailureReason(code: number | string, status: number): DeliveryFailureReason {
  const known = typeof code === 'number' ? REASONS.get(code) : undefined;
  if (known) return known;
  if (status === 413) return 'too-large';
  if (status >= 500) return 'unavailable';
  return 'other';
}

/** Runs one REST call; Discord's refusals become ChatDeliveryError (with the wait it asked for, if any). */
export async function deliver<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RateLimitError) throw new ChatDeliveryError(`Discord asked to slow down (${error.route})`, error.retryAfter, { cause: error });
    if (error instanceof DiscordAPIError) {
      throw new ChatDeliveryError(`Discord refused ${error.method.toUpperCase()} ${routeOf(error.url)}: ${error.code} ${error.message}`, undefined, {
        cause: error,
        reason: discordFailureReason(error.code, error.status),
      });
    }
    if (error instanceof Error) throw new ChatDeliveryError(`Discord could not be reached: ${error.message}`, undefined, { cause: error, reason: 'unavailable' });
    throw error;
  }
}

/** The path of a request without tokens (webhook and interaction tokens are secrets). */
function routeOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/(webhooks|interactions)\/(\d+)\/[^/]+/, '/$1/$2/…');
  } catch {
    return '(unknown route)';
  }
}
