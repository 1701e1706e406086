/**
 * A chat surface that remembers everything the bot posted, edited and told people, for tests
 * that check what reached chat (and how often).
 */
import type { ChatSurface, ChatTarget, IncidentPlaceRequest, PostedMessage } from '../../src/core/chat-surface.js';
import type { Actor } from '../../src/core/invocation.js';
import type { Message } from '../../src/core/message.js';
import type { ChatPlatform } from '../../src/store/vocabulary.js';

export interface RecordedPost {
  readonly posted: PostedMessage;
  readonly message: Message;
  readonly at: number;
}

export interface RecordedUpdate {
  readonly posted: PostedMessage;
  readonly message: Message;
  readonly at: number;
}

export interface RecordedNotice {
  readonly person: Actor;
  readonly message: Message;
  readonly where?: ChatTarget;
}

export class RecordingSurface implements ChatSurface {
  readonly posts: RecordedPost[] = [];
  readonly updates: RecordedUpdate[] = [];
  readonly notices: RecordedNotice[] = [];
  readonly incidentPlaces: { request: IncidentPlaceRequest; target: ChatTarget }[] = [];
  #next = 1;

  constructor(
    readonly platform: ChatPlatform = 'shell',
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async post(target: ChatTarget, message: Message): Promise<PostedMessage> {
    const posted: PostedMessage = { ...target, messageRef: `m${this.#next++}` };
    this.posts.push({ posted, message, at: this.clock() });
    return posted;
  }

  async update(posted: PostedMessage, message: Message): Promise<void> {
    this.updates.push({ posted, message, at: this.clock() });
  }

  async notify(person: Actor, message: Message, where?: ChatTarget): Promise<void> {
    this.notices.push({ person, message, ...(where ? { where } : {}) });
  }

  async openIncidentPlace(request: IncidentPlaceRequest): Promise<ChatTarget> {
    const target: ChatTarget = { platform: this.platform, workspaceId: request.workspaceId, channelId: `incident-${request.incidentNum}` };
    this.incidentPlaces.push({ request, target });
    return target;
  }

  /** The latest text of a posted message: its last update, else what was posted. */
  latest(messageRef: string): Message | undefined {
    const updated = this.updates.filter((u) => u.posted.messageRef === messageRef).at(-1);
    return updated?.message ?? this.posts.find((p) => p.posted.messageRef === messageRef)?.message;
  }

  /** Posts and updates of one message, in order. */
  historyOf(messageRef: string): Message[] {
    return [
      ...this.posts.filter((p) => p.posted.messageRef === messageRef).map((p) => p.message),
      ...this.updates.filter((u) => u.posted.messageRef === messageRef).map((u) => u.message),
    ];
  }
}
