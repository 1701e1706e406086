/**
 * The terminal as a chat surface: everything the bot posts by itself (approval requests,
 * live order cards, incident notifications) is printed into the same stream, headed by what
 * it is. An edited card is printed again; the tracker already limits edits to real changes.
 */
import type { ChatSurface, ChatTarget, IncidentPlaceRequest, PostedMessage } from '../../core/chat-surface.js';
import type { Actor } from '../../core/invocation.js';
import type { Message } from '../../core/message.js';

export type ShellEvent =
  | { readonly kind: 'posted'; readonly posted: PostedMessage; readonly message: Message }
  | { readonly kind: 'updated'; readonly posted: PostedMessage; readonly message: Message }
  | { readonly kind: 'notice'; readonly person: Actor; readonly message: Message };

export class ShellSurface implements ChatSurface {
  readonly platform = 'shell' as const;
  #next = 1;
  /**
   * Cards live on in the store after the bot stops (a restarted bot edits them again), so a
   * new run must not hand out the refs of an earlier one: each run has its own prefix.
   */
  readonly #run: string;

  constructor(
    private readonly emit: (event: ShellEvent) => void,
    run: string = Date.now().toString(36),
  ) {
    this.#run = run;
  }

  async post(target: ChatTarget, message: Message): Promise<PostedMessage> {
    const posted: PostedMessage = { ...target, messageRef: `${this.#run}-${this.#next++}` };
    this.emit({ kind: 'posted', posted, message });
    return posted;
  }

  async update(posted: PostedMessage, message: Message): Promise<void> {
    this.emit({ kind: 'updated', posted, message });
  }

  async notify(person: Actor, message: Message): Promise<void> {
    this.emit({ kind: 'notice', person, message });
  }

  /** The terminal has one stream; an incident gets a thread name so its messages are labelled and linked. */
  async openIncidentPlace(request: IncidentPlaceRequest): Promise<ChatTarget> {
    return { platform: 'shell', workspaceId: request.workspaceId, channelId: request.from?.channelId ?? 'terminal', threadId: `incident-${request.incidentNum}` };
  }
}
