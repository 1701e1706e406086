/**
 * Slack as a ChatSurface: cards posted with chat.postMessage and edited with chat.update,
 * people told privately with chat.postEphemeral (or a direct message), and incident places
 * opened as new channels or as threads.
 *
 * Edits: one at a time per card, the newest waiting state only (CoalescingEdits); an edit that
 * would show exactly what the card already shows is not sent. chat.update is rate-limited per
 * workspace, so a 429 pauses every edit in that workspace until Slack's Retry-After has passed
 * (they fail fast with `retryAfterMs`, and the tracker comes back later) instead of queueing
 * behind the Web API client and stalling incident posts. Calls are never retried here: a post
 * that timed out may have arrived, and posting it again would show it twice.
 */
import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import { ChatDeliveryError, type ChatSurface, type ChatTarget, type IncidentPlaceRequest, type PostedMessage } from '../../core/chat-surface.js';
import type { Actor } from '../../core/invocation.js';
import type { Message } from '../../core/message.js';
import { translator, type Locale } from '../../i18n/translate.js';
import { deliveryError, slackErrorCode } from './api-errors.js';
import { CoalescingEdits } from './card-edits.js';
import { LIMITS } from './limits.js';
import { clip, escapeText, oneLine } from './mrkdwn.js';
import { renderMessage, type RenderedMessage } from './render.js';
import { SLACK_TEXTS as T } from './texts.js';
import type { SLACK_INCIDENT_PLACE_MODES } from '../../config/sections/incidents.js';

export interface IncidentPlaceSettings {
  /** channel / private-channel: a new channel per incident; thread: a thread in `channel` (or where it was created). */
  readonly mode: (typeof SLACK_INCIDENT_PLACE_MODES)[number];
  readonly channel?: string;
}

export interface SlackSurfaceOptions {
  readonly client: webApi.WebClient;
  readonly incidentPlace: IncidentPlaceSettings;
  /** The language of what the adapter adds itself (notes, thread headers) in a workspace. */
  readonly localeOf: (workspaceId: string) => Locale;
  /** The bot's clock (tests pass a fake one); Retry-After pauses are measured with it. */
  readonly now: () => Date;
  /** Called for each edit Slack accepted (metrics). */
  readonly onEdit?: () => void;
}

/** Errors after which a private note goes by direct message instead. */
const NOT_THERE = new Set(['not_in_channel', 'channel_not_found', 'user_not_in_channel', 'is_archived', 'restricted_action']);
const INVITE_CHUNK = LIMITS.inviteUsers;
const NAME_ATTEMPTS = 5;

function fingerprint(rendered: RenderedMessage): string {
  return createHash('sha256').update(JSON.stringify(rendered)).digest('base64url');
}

/** `inc-2024-0001-db-down` (`inc-…` once, whether or not the number already says it): what Slack accepts in a channel name (lower case, digits, - and _). */
export function incidentChannelName(incidentNum: string, title: string, attempt = 0): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
  const suffix = attempt > 0 ? `-${attempt + 1}` : '';
  const num = slug(incidentNum);
  const base = [num.startsWith('inc') ? '' : 'inc', num, slug(title)].filter(Boolean).join('-');
  return `${base.slice(0, LIMITS.channelName - suffix.length).replace(/-$/, '')}${suffix}`;
}

export class SlackSurface implements ChatSurface {
  readonly platform = 'slack' as const;
  readonly #client: webApi.WebClient;
  readonly #options: SlackSurfaceOptions;
  readonly #edits: CoalescingEdits<{ posted: PostedMessage; rendered: RenderedMessage }>;
  /** What each card shows now, so an edit to the same content is skipped. */
  readonly #shown = new LRUCache<string, string>({ max: 10_000 });
  /** chat.update refused with 429 in a workspace: no edits there before this time (ms). */
  readonly #editsPausedUntil = new Map<string, number>();
  readonly #directChannels = new LRUCache<string, string>({ max: 10_000 });

  constructor(options: SlackSurfaceOptions) {
    this.#options = options;
    this.#client = options.client;
    this.#edits = new CoalescingEdits((key, { posted, rendered }) => this.#sendEdit(key, posted, rendered));
  }

  #render(workspaceId: string, message: Message): RenderedMessage {
    return renderMessage(message, this.#options.localeOf(workspaceId));
  }

  async post(target: ChatTarget, message: Message): Promise<PostedMessage> {
    const rendered = this.#render(target.workspaceId, message);
    const ts = await this.postRendered(target.channelId, target.threadId, rendered);
    const posted: PostedMessage = { ...target, messageRef: ts };
    this.#shown.set(cardKey(posted), fingerprint(rendered));
    return posted;
  }

  /** Posts an already rendered message; returns its ts. */
  async postRendered(channel: string, threadTs: string | undefined, rendered: RenderedMessage): Promise<string> {
    let result: { ts?: string };
    try {
      result = await this.#client.chat.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) });
    } catch (error) {
      throw deliveryError('chat.postMessage', error);
    }
    if (!result.ts) throw new ChatDeliveryError('Slack accepted chat.postMessage without a message ts');
    return result.ts;
  }

  update(posted: PostedMessage, message: Message): Promise<void> {
    const rendered = this.#render(posted.workspaceId, message);
    return this.#edits.edit(cardKey(posted), { posted, rendered });
  }

  async #sendEdit(key: string, posted: PostedMessage, rendered: RenderedMessage): Promise<void> {
    const print = fingerprint(rendered);
    if (this.#shown.get(key) === print) return;
    const now = this.#options.now().getTime();
    const pausedUntil = this.#editsPausedUntil.get(posted.workspaceId) ?? 0;
    if (pausedUntil > now) throw new ChatDeliveryError('Slack asked to slow down edits in this workspace', pausedUntil - now);
    try {
      await this.#client.chat.update({ channel: posted.channelId, ts: posted.messageRef, text: rendered.text, blocks: rendered.blocks });
    } catch (error) {
      const failure = deliveryError('chat.update', error);
      if (failure.retryAfterMs !== undefined) this.#editsPausedUntil.set(posted.workspaceId, this.#options.now().getTime() + failure.retryAfterMs);
      throw failure;
    }
    this.#shown.set(key, print);
    this.#options.onEdit?.();
  }

  /**
   * Privately to one person: an ephemeral message where they are (when `where` is a Slack
   * channel), else, or when they or the bot are not there, a direct message from the bot.
   */
  async notify(person: Actor, message: Message, where?: ChatTarget): Promise<void> {
    if (person.platform !== 'slack') throw new ChatDeliveryError(`cannot tell a ${person.platform} user anything in Slack`);
    await this.notifyRendered(person, this.#render(person.workspaceId, message), where);
  }

  /** `notify` for a message already rendered (in the person's own language). */
  async notifyRendered(person: Actor, rendered: RenderedMessage, where?: ChatTarget | undefined): Promise<void> {
    if (where && where.platform === 'slack' && where.workspaceId === person.workspaceId) {
      try {
        await this.#client.chat.postEphemeral({
          channel: where.channelId,
          user: person.userId,
          text: rendered.text,
          blocks: rendered.blocks,
          ...(where.threadId ? { thread_ts: where.threadId } : {}),
        });
        return;
      } catch (error) {
        if (!NOT_THERE.has(slackErrorCode(error) ?? '')) throw deliveryError('chat.postEphemeral', error);
      }
    }
    await this.directMessage(person, rendered);
  }

  /** A message in the person's direct conversation with the bot. */
  async directMessage(person: Actor, rendered: RenderedMessage): Promise<void> {
    const key = `${person.workspaceId}:${person.userId}`;
    let channel = this.#directChannels.get(key);
    if (!channel) {
      try {
        const opened = await this.#client.conversations.open({ users: person.userId });
        channel = opened.channel?.id;
      } catch (error) {
        throw deliveryError('conversations.open', error);
      }
      if (!channel) throw new ChatDeliveryError('Slack opened a direct message without a channel id');
      this.#directChannels.set(key, channel);
    }
    await this.postRendered(channel, undefined, rendered);
  }

  async openIncidentPlace(request: IncidentPlaceRequest): Promise<ChatTarget> {
    return this.#options.incidentPlace.mode === 'thread' ? this.#openThread(request) : this.#openChannel(request);
  }

  async #openChannel(request: IncidentPlaceRequest): Promise<ChatTarget> {
    let channelId: string | undefined;
    for (let attempt = 0; attempt < NAME_ATTEMPTS && !channelId; attempt++) {
      try {
        const created = await this.#client.conversations.create({
          name: incidentChannelName(request.incidentNum, request.title, attempt),
          // A private channel: only the people invited (and the bot) see the incident.
          is_private: this.#options.incidentPlace.mode === 'private-channel',
        });
        channelId = created.channel?.id;
        if (!channelId) throw new ChatDeliveryError('Slack created a channel without an id');
      } catch (error) {
        if (slackErrorCode(error) === 'name_taken' && attempt < NAME_ATTEMPTS - 1) continue;
        throw deliveryError('conversations.create', error);
      }
    }
    if (!channelId) throw new ChatDeliveryError('no free channel name for the incident');
    const people = [...new Set(request.invite.filter((p) => p.platform === 'slack' && p.workspaceId === request.workspaceId).map((p) => p.userId))];
    for (let at = 0; at < people.length; at += INVITE_CHUNK) {
      try {
        await this.#client.conversations.invite({ channel: channelId, users: people.slice(at, at + INVITE_CHUNK).join(',') });
      } catch {
        // The channel exists and is recorded; people who could not be invited can join it themselves.
      }
    }
    return { platform: 'slack', workspaceId: request.workspaceId, channelId };
  }

  async #openThread(request: IncidentPlaceRequest): Promise<ChatTarget> {
    const t = translator(this.#options.localeOf(request.workspaceId));
    const configured = this.#options.incidentPlace.channel;
    const from = request.from?.platform === 'slack' && request.from.workspaceId === request.workspaceId ? request.from : undefined;
    const channelId = configured ?? from?.channelId;
    if (!channelId) throw new ChatDeliveryError(t(T.noIncidentChannel));
    // Slack has no threads in threads: created inside a thread, the incident uses that thread.
    const parentThread = configured ? undefined : from?.threadId;
    const people = request.invite.filter((p) => p.platform === 'slack' && p.workspaceId === request.workspaceId).map((p) => `<@${p.userId}>`);
    const header = t(T.incidentThread, { num: escapeText(oneLine(request.incidentNum)), title: clip(escapeText(oneLine(request.title)), 500) });
    const text = people.length ? `${header}\n${t(T.incidentPeople, { people: [...new Set(people)].join(' ') })}` : header;
    const ts = await this.postRendered(channelId, parentThread, { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) } }] });
    return { platform: 'slack', workspaceId: request.workspaceId, channelId, threadId: parentThread ?? ts };
  }
}

function cardKey(posted: PostedMessage): string {
  return `${posted.workspaceId}:${posted.channelId}:${posted.messageRef}`;
}
