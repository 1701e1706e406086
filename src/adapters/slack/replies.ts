/**
 * Where the answer to a command, a click or a submission goes:
 * - a reply with a form opens it as a modal with the interaction's trigger id (valid 3 s, so
 *   it is opened first); when it cannot open, the rest of the reply says so;
 * - private replies and errors are ephemeral, seen only by the person who caused them;
 * - the rest is posted in the channel;
 * through the interaction's response_url when there is one (it works in channels the bot has
 * not joined), else through the Web API, else (private) by direct message.
 */
import type { RespondArguments, webApi } from '@slack/bolt';
import { targetOf } from '../../core/chat-surface.js';
import type { Actor, Place } from '../../core/invocation.js';
import type { Message } from '../../core/message.js';
import { translator, type Locale } from '../../i18n/translate.js';
import { deliveryError, slackErrorCode } from './api-errors.js';
import { renderForm } from './modal.js';
import { renderMessage } from './render.js';
import type { SlackSurface } from './surface.js';
import { SLACK_TEXTS as T } from './texts.js';

export interface ReplyRoute {
  readonly actor: Actor;
  readonly place: Place;
  /** The interaction's response_url (commands and clicks in messages). */
  readonly respond?: (message: RespondArguments) => Promise<unknown>;
  /** Opens a modal within 3 s of the interaction. */
  readonly triggerId?: string;
  readonly locale: Locale;
}

export interface ReplyDeliveryOptions {
  readonly client: webApi.WebClient;
  readonly surface: SlackSurface;
  /** A reply that could not be delivered at all (logged; the dispatcher already audited the action). */
  readonly log: (line: string) => void;
  /** A form could not open because its trigger had expired (the answer took longer than 3 s). */
  readonly onFormExpired?: () => void;
}

export function isPrivateReply(reply: Message): boolean {
  return reply.private === true || reply.tone === 'danger';
}

export class ReplyDelivery {
  constructor(private readonly options: ReplyDeliveryOptions) {}

  async deliver(reply: Message, route: ReplyRoute): Promise<void> {
    let message = reply;
    if (reply.form) {
      const opened = await this.#openForm(reply, route);
      if (opened === true) return;
      const t = translator(route.locale);
      const note = t(T.formNotOpened, { title: reply.form.title, reason: t(opened === 'too-large' ? T.formTooLarge : T.formExpired) });
      const { form: _unopened, ...rest } = reply;
      message = { ...rest, footer: [rest.footer, note].filter(Boolean).join('\n') };
    }
    await this.#send(message, route);
  }

  async #openForm(reply: Message, route: ReplyRoute): Promise<true | 'too-large' | 'expired'> {
    if (!reply.form) return 'too-large';
    const rendered = renderForm(reply.form, route.place, route.locale, reply);
    if (!rendered.ok) return 'too-large';
    if (!route.triggerId) {
      this.options.onFormExpired?.();
      return 'expired';
    }
    try {
      await this.options.client.views.open({ trigger_id: route.triggerId, view: rendered.view });
      return true;
    } catch (error) {
      this.options.log(`could not open the form ${reply.form.id}: ${deliveryError('views.open', error).message}`);
      if (slackErrorCode(error) === 'expired_trigger_id') this.options.onFormExpired?.();
      return 'expired';
    }
  }

  async #send(message: Message, route: ReplyRoute): Promise<void> {
    const ephemeral = isPrivateReply(message);
    const rendered = renderMessage(message, route.locale);
    if (route.respond) {
      try {
        await route.respond({ response_type: ephemeral ? 'ephemeral' : 'in_channel', replace_original: false, text: rendered.text, blocks: rendered.blocks });
        return;
      } catch (error) {
        // Expired or used up (5 uses in 30 min): the Web API still reaches the channel.
        this.options.log(`response_url refused the reply (${error instanceof Error ? error.message : 'unknown error'}); posting instead`);
      }
    }
    const { surface } = this.options;
    try {
      if (ephemeral) await surface.notifyRendered(route.actor, rendered, targetOf(route.actor, route.place));
      else await surface.postRendered(route.place.channelId, route.place.threadId, rendered);
      return;
    } catch (error) {
      this.options.log(`a reply could not be delivered in ${route.place.channelId}: ${deliveryError('reply', error).message}`);
    }
    if (ephemeral) return;
    // The bot cannot post there (not invited): the person still gets the answer, directly.
    try {
      await surface.directMessage(route.actor, rendered);
    } catch (error) {
      this.options.log(`a reply could not be delivered by direct message either: ${deliveryError('reply', error).message}`);
    }
  }
}
