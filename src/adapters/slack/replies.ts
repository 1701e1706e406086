/**
 * Where the answer to a command, a click or a submission goes:
 * - a reply with a form opens it as a modal with the interaction's trigger id (valid 3 s, so
 *   it is opened first); when it cannot open, the rest of the reply says so;
 * - private replies and errors are ephemeral, seen only by the person who caused them;
 * - the rest is posted in the channel;
 * through the interaction's response_url when there is one (it works in channels the bot has
 * not joined), else through the Web API, else (private) by direct message.
 *
 * A view already waiting for the answer (a placeholder opened while COC was slow, a submitted
 * form showing "working") is filled in instead: with the form, or with the answer (which also
 * goes to the conversation when others should see it or it has buttons). A click that decided
 * its card takes the card's buttons off first (settled-cards.ts).
 */
import type { RespondArguments, types, webApi } from '@slack/bolt';
import { targetOf } from '../../core/chat-surface.js';
import type { Actor, Place } from '../../core/invocation.js';
import type { Message } from '../../core/message.js';
import { translator, type Locale } from '../../i18n/translate.js';
import { deliveryError, slackErrorCode } from './api-errors.js';
import { answerView, renderForm } from './modal.js';
import { renderMessage } from './render.js';
import { settledBlocks, settledLineBlock, type ClickedCard } from './settled-cards.js';
import type { SlackSurface } from './surface.js';
import { SLACK_TEXTS as T } from './texts.js';
import { replaceView, type HeldView, type ViewsApi } from './waiting-view.js';

export interface ReplyRoute {
  readonly actor: Actor;
  readonly place: Place;
  /** The interaction's response_url (commands and clicks in messages). */
  readonly respond?: (message: RespondArguments) => Promise<unknown>;
  /** Opens a modal within 3 s of the interaction. */
  readonly triggerId?: string;
  readonly locale: Locale;
  /** A view on the person's screen waiting for this answer (resolves to none when none opened). */
  readonly waiting?: () => Promise<HeldView | undefined>;
  /** The clicked card, when the click decides it (its buttons come off once the answer is a success). */
  readonly settles?: { readonly card: ClickedCard; readonly line: string };
}

export interface ReplyDeliveryOptions {
  readonly client: webApi.WebClient;
  /** views.open and views.update, apart from the client's queue of posts (a trigger id lives 3 s). */
  readonly views?: ViewsApi;
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

  get #views(): ViewsApi {
    return this.options.views ?? this.options.client.views;
  }

  async deliver(reply: Message, route: ReplyRoute): Promise<void> {
    const held = route.waiting ? await route.waiting() : undefined;
    if (held && (await this.#fillWaiting(reply, route, held))) return;
    let message = reply;
    if (reply.form) {
      const opened = await this.#openForm(reply, route);
      if (opened === true) return;
      const t = translator(route.locale);
      const note = t(T.formNotOpened, { title: reply.form.title, reason: t(opened === 'too-large' ? T.formTooLarge : T.formExpired) });
      const { form: _unopened, ...rest } = reply;
      message = { ...rest, footer: [rest.footer, note].filter(Boolean).join('\n') };
    }
    if (route.settles && (await this.#settle(message, route, route.settles))) return;
    await this.#send(message, route);
  }

  /** The answer shown in the view waiting for it; false when that view is gone (then it is delivered as usual). */
  async #fillWaiting(reply: Message, route: ReplyRoute, held: HeldView): Promise<boolean> {
    let message = reply;
    if (reply.form) {
      const rendered = renderForm(reply.form, route.place, route.locale, reply);
      if (rendered.ok) return replaceView(this.#views, held, rendered.view, this.options.log);
      const t = translator(route.locale);
      const { form: _unopened, ...rest } = reply;
      message = { ...rest, footer: [rest.footer, t(T.formNotOpened, { title: reply.form.title, reason: t(T.formTooLarge) })].filter(Boolean).join('\n') };
    }
    // Buttons do not work from a view, and a public answer is for the conversation to see too.
    const elsewhere = !isPrivateReply(message) || (message.buttons?.length ?? 0) > 0 || message.select !== undefined;
    if (!(await replaceView(this.#views, held, answerView(message, route.locale, elsewhere), this.options.log))) return false;
    if (elsewhere) await this.#send(message, route);
    return true;
  }

  /**
   * Takes the buttons off the decided card. An ephemeral card can only be replaced through the
   * response_url: a private answer takes its place, with the line saying who decided (true:
   * delivered). A channel card is edited (`chat.update`), else replaced through the response_url.
   */
  async #settle(message: Message, route: ReplyRoute, settles: NonNullable<ReplyRoute['settles']>): Promise<boolean> {
    const { card, line } = settles;
    if (card.ephemeral || !card.ts || !card.blocks) {
      if (!route.respond) return false;
      try {
        if (isPrivateReply(message)) {
          const rendered = renderMessage(message, route.locale);
          await route.respond({ response_type: 'ephemeral', replace_original: true, text: rendered.text, blocks: [...rendered.blocks, settledLineBlock(line)] });
          return true;
        }
        await route.respond({ response_type: 'ephemeral', replace_original: true, text: line, blocks: [settledLineBlock(line)] });
      } catch (error) {
        this.options.log(`could not take the buttons off a decided card: ${error instanceof Error ? error.message : 'unknown error'}`);
      }
      return false;
    }
    const blocks = settledBlocks(card.blocks, line) as types.KnownBlock[];
    const text = card.text || line;
    try {
      await this.options.client.chat.update({ channel: card.channelId, ts: card.ts, text, blocks });
    } catch (error) {
      this.options.log(`could not edit a decided card: ${deliveryError('chat.update', error).message}`);
      await route.respond?.({ replace_original: true, text, blocks }).catch(() => {
        // The card keeps its buttons; the answer still comes, and a second click is refused by the core.
      });
    }
    return false;
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
      await this.#views.open({ trigger_id: route.triggerId, view: rendered.view });
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
