/**
 * One Discord interaction, from its arrival (over the gateway or the HTTP endpoint) to the
 * reply: slash commands, autocomplete, buttons, select menus and modal submissions become
 * Invocations for the dispatcher, and its Message goes back within Discord's deadlines.
 *
 * Discord wants an initial response within 3 s. The dispatcher gets a short head start
 * (`ackBudgetMs`, default 1.2 s): if it answers by then, the answer is the initial response,
 * exactly as it should be (ephemeral when private, a modal when it is a form). Otherwise a
 * slash command is deferred (type 5, "thinking…"; ephemeral from the start for commands that
 * answer privately) and the answer edits that message — only a private answer after a public
 * deferral replaces it with an ephemeral follow-up. A click is deferred without a loader
 * (type 6): its card is edited in place when the click decides it (see settle.ts) and the
 * answer follows as its own message, ephemeral or not as it should be. A modal can only be an
 * initial response, so a form that comes after a deferral (or after a modal submission)
 * arrives as a message with a button that opens it. When the 15-minute token has run out, the
 * answer is posted as a bot message instead (private ones as a DM).
 *
 * Confirmations are a second, ephemeral message with the confirm and deny buttons (Discord
 * has no confirmation dialog); forms longer than five inputs are asked page by page.
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  DiscordAPIError,
  escapeMarkdown,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  RESTJSONErrorCodes,
  Routes,
  type APIButtonComponentWithCustomId,
  type APIInteractionResponse,
  type REST,
} from 'discord.js';
import { LRUCache } from 'lru-cache';
import { InFlightWork } from '../in-flight.js';
import type { WorkAdmission } from '../overload/admission.js';
import { CORE_TEXTS } from '../../i18n/catalogues/core.js';
import { localClaims, type RequestClaims } from '../request-claimer.js';
import { targetOf } from '../../core/chat-surface.js';
import type { Dispatcher } from '../../core/dispatcher.js';
import type { Actor, Invocation, Place } from '../../core/invocation.js';
import { replyFailed, type Form, type Message } from '../../core/message.js';
import { translator, type Translate } from '../../i18n/translate.js';
import type { Metrics } from '../../ops/metrics.js';
import { commandLine, type CommandPlan, type DiscordRoot, type OptionValue } from './command-map.js';
import { isDiscordRoot } from '../../core/discord-roots.js';
import type { ComponentState, Restore, Settle, StoredComponent } from './component-state.js';
import { decodeCustomId, decodeOptionValue, DENY_ID, formButtonId } from './custom-id.js';
import { commandDataSchema, componentDataSchema, modalDataSchema, type CommandOption, type Interaction } from './interaction-schema.js';
import { INITIAL_RESPONSE_MS, INTERACTION_TOKEN_MS, LIMITS } from './limits.js';
import { modalFor, pageCount, refilled, submittedValues } from './modal.js';
import { fieldErrorFields, renderMessages, type DiscordMessage } from './render.js';
import { messageResponse, sharedRendering } from './shared-renderings.js';
import { asResponseData, cardOf, clickedLabel, decidedBody, decisionLine, inlineRestore, restoredBody, type Click, type DecidedBody } from './settle.js';
import type { DiscordSurface } from './surface.js';
import { cut, cutStart } from './text.js';
import { DISCORD_TEXTS as T, localeOf } from './texts.js';
import { within } from '../../core/within.js';
import { attachmentsOf, discordFileReader } from './file-reader.js';

/** Sends the one initial response (the HTTP response body, or the gateway's callback request). */
export type Respond = (body: APIInteractionResponse) => Promise<void>;

export interface DiscordInteractionsOptions {
  readonly dispatcher: Pick<Dispatcher, 'handle' | 'suggest'>;
  readonly rest: REST;
  /**
   * For what the interaction's own token sends (edits of `@original`, follow-ups): Discord does
   * not count these against the bot's global rate limit (50 requests/s), which discord.js's REST
   * otherwise applies to every request; per-route limits (429) are still honoured. Default: `rest`.
   */
  readonly webhookRest?: REST;
  readonly applicationId: string;
  readonly state: ComponentState;
  readonly plan: CommandPlan;
  /** For answers whose interaction token has run out. */
  readonly surface: DiscordSurface;
  /** The server direct messages belong to (identity mappings are per server). */
  readonly dmWorkspace?: string;
  /**
   * How long the dispatcher may take before the interaction is deferred. Default 1200 ms. A
   * function gives each interaction its own (a test defers the ones it holds at once, and gives
   * the others all the time a loaded machine needs).
   */
  readonly ackBudgetMs?: AckBudget;
  /** How long autocomplete may search. Default 2000 ms (Discord allows 3 s). */
  readonly suggestBudgetMs?: number;
  readonly onUnexpected?: (error: unknown) => void;
  /** Real time, for the token's 15 minutes (not the bot's possibly fake clock). */
  readonly clock?: () => number;
  /** Time to the initial response, and deadlines missed. */
  readonly metrics?: Pick<Metrics, 'ackLatency' | 'missedDeadline'> & Partial<Pick<Metrics, 'shedRequest'>>;
  /**
   * The bound on interactions taken in and not yet answered: past it an interaction is answered
   * at once, privately, "busy, try again in n s", and nothing is done or claimed for it. Default: no bound.
   */
  readonly admission?: WorkAdmission;
  /**
   * Whether the process is running behind (its event loop held up, see loop-lag.ts): then new
   * interactions are turned away like past the bound, before anything is claimed. Default: never.
   */
  readonly behind?: () => boolean;
  /**
   * Where interactions that can act are claimed before they run, so one runs once across
   * gateway resumes, replays and replicas (the store, in production). Default: this process only.
   */
  readonly claims?: RequestClaims;
  /**
   * How long after an interaction arrives its claim may still be decided before the initial
   * response (`handleClaimed`). Default 1500 ms: Discord allows 3 s, and the claim is a store write.
   */
  readonly claimDecisionMs?: number;
  /** Where attachments are downloaded from (default DISCORD_ATTACHMENT_ORIGINS); a test's fake Discord serves its own. */
  readonly attachmentOrigins?: readonly string[];
}

/** The dispatcher's head start before a deferral, in ms: one for all, or per interaction. */
export type AckBudget = number | ((interaction: Pick<Interaction, 'id'>) => number);

/** Whether an interaction may run: yes, no (it was taken already), or unknown (the claim could not be made). */
export type Take = 'run' | 'taken' | 'unavailable';

/** Says why an interaction will not run, as the initial response (an HTTP status, for the endpoint). */
export type RefuseTake = (take: Exclude<Take, 'run'>) => Promise<void>;

/**
 * How an interaction was deferred while its claim was still undecided: a "thinking…" message
 * (type 5) whose answers edit or follow it, or a silent update (type 6) whose answers follow it.
 */
type PreDeferral = 'message' | 'update';

interface Turn {
  readonly interaction: Interaction;
  readonly respond: Respond;
  readonly t: Translate;
  readonly actor: Actor;
  readonly place: Place;
  readonly receivedAt: number;
  responded: boolean;
  /** The initial response reached Discord. */
  delivered: boolean;
  /** The form a submission came from, to show refused fields by label and open it again. */
  submitted?: { readonly form: Form; readonly values: Readonly<Record<string, string>> };
  /** What went to the dispatcher, once it did (a stop reports it if it is cut short). */
  dispatched?: Invocation;
  /** The deferral was ephemeral: every answer after it is private, whatever it says. */
  deferredPrivately?: boolean;
  /** Deferred before the claim was decided: what would have been the initial response edits or follows the deferral. */
  preDeferred?: PreDeferral;
  /** Arrival on the monotonic clock, for what is left of the time before the initial response. */
  readonly arrivedAt: number;
}

/**
 * Discord's 3 s include delivery to the bot and the callback's way back, and a busy event loop
 * fires timers late (measured: up to ~0.5 s with 50 commands at once on 2 cores), so the
 * dispatcher gets 1.2 s.
 */
const DEFAULT_ACK_BUDGET_MS = 1200;
const DEFAULT_SUGGEST_BUDGET_MS = 2000;
/** The claim gets half of Discord's 3 s; the other half covers a deferral's way back, as for the dispatcher. */
const DEFAULT_CLAIM_DECISION_MS = 1500;
/** Stop using the token a little before Discord does. */
const TOKEN_MARGIN_MS = 30_000;
const THREAD_TYPES: ReadonlySet<number> = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

export class DiscordInteractions {
  /** Answers of the earlier pages of long forms: only in memory, for 15 minutes (they may hold secrets). */
  readonly #drafts = new LRUCache<string, Record<string, string>>({ max: 1000, ttl: INTERACTION_TOKEN_MS });
  /** Interactions already taken: a gateway may deliver one again after a resume; it must not run twice. */
  readonly #seen = new LRUCache<string, true>({ max: 100_000, ttl: INTERACTION_TOKEN_MS });
  readonly #clock: () => number;
  readonly #claims: RequestClaims;
  /** Interactions being handled, for a stop to wait for. */
  readonly #inFlight = new InFlightWork<Turn>();
  /** The REST client for the interaction token's webhook routes. */
  readonly #webhooks: REST;

  constructor(private readonly options: DiscordInteractionsOptions) {
    this.#clock = options.clock ?? (() => Date.now());
    this.#claims = options.claims ?? localClaims();
    this.#webhooks = options.webhookRest ?? options.rest;
  }

  /**
   * Claims an interaction before it is handled: only the delivery that gets the claim may run.
   * Pings and autocomplete change nothing and are not claimed (a claim per keystroke would cost
   * a write each); the in-process check in `handle` still drops their repeats here.
   */
  async take(interaction: Interaction): Promise<Take> {
    if (interaction.type === InteractionType.Ping || interaction.type === InteractionType.ApplicationCommandAutocomplete) return 'run';
    try {
      return (await this.#claims.claim(`discord:interaction:${interaction.id}`)) ? 'run' : 'taken';
    } catch (error) {
      this.options.onUnexpected?.(error);
      return 'unavailable';
    }
  }

  /**
   * Claims an interaction and handles it, within Discord's deadline: if the claim is not decided
   * `claimDecisionMs` after arrival, the interaction is deferred (commands "thinking…", privately
   * when they answer privately; clicks and submissions from a message silently) and the claim is
   * waited for. Only a claim that succeeds runs anything. Decided in time, a refusal is
   * `refuse`'s to answer; decided late, it edits the deferral: a repeat says it was already
   * received (a silent deferral stays silent), a failed claim says it was not recorded and not run.
   * `arrivedAt`: the request's arrival on the `performance.now()` clock (default: now).
   */
  async handleClaimed(interaction: Interaction, respond: Respond, refuse: RefuseTake, arrivedAt = performance.now()): Promise<void> {
    if (interaction.type === InteractionType.Ping || interaction.type === InteractionType.ApplicationCommandAutocomplete) {
      return this.handle(interaction, respond, arrivedAt);
    }
    if (this.#seen.has(interaction.id)) return refuse('taken');
    // Admitted before the claim: a turned-away interaction is answered at once and leaves no
    // claim behind (nothing ran; the person sends it again later as a new interaction).
    if (this.options.behind?.()) return this.#turnAway(interaction, respond, arrivedAt, this.options.admission?.retryAfterSeconds() ?? 1);
    const admitted = this.options.admission?.admit();
    if (admitted && !admitted.admitted) return this.#turnAway(interaction, respond, arrivedAt, admitted.retryAfterSeconds);
    try {
      await this.#claimAndHandle(interaction, respond, refuse, arrivedAt);
    } finally {
      if (admitted?.admitted) admitted.done();
    }
  }

  /** Busy: answered privately in the initial response, counted, and nothing else done. */
  async #turnAway(interaction: Interaction, respond: Respond, arrivedAt: number, seconds: number): Promise<void> {
    this.options.metrics?.shedRequest?.('discord');
    const turn = this.#turnOf(interaction, respond, arrivedAt);
    const content = cut(`⏳ **${turn.t(CORE_TEXTS.busy, { seconds })}**\n${turn.t(CORE_TEXTS.busyText)}`, LIMITS.content);
    try {
      await this.initial(turn, { type: InteractionResponseType.ChannelMessageWithSource, data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } });
    } catch (error) {
      this.options.onUnexpected?.(error);
    }
  }

  async #claimAndHandle(interaction: Interaction, respond: Respond, refuse: RefuseTake, arrivedAt: number): Promise<void> {
    const claim = this.take(interaction);
    const left = (this.options.claimDecisionMs ?? DEFAULT_CLAIM_DECISION_MS) - (performance.now() - arrivedAt);
    const early = await within(claim, Math.max(0, left));
    if (early.done) return early.value === 'run' ? this.handle(interaction, respond, arrivedAt) : refuse(early.value);
    this.#seen.set(interaction.id, true);
    const turn = this.#turnOf(interaction, respond, arrivedAt);
    await this.#inFlight.track(this.#claimLate(turn, claim), turn);
  }

  async #claimLate(turn: Turn, claim: Promise<Take>): Promise<void> {
    const kind = this.#preDeferralOf(turn);
    const privately = kind === 'message' && this.#answersPrivately(turn);
    try {
      await this.initial(
        turn,
        kind === 'update'
          ? { type: InteractionResponseType.DeferredMessageUpdate }
          : { type: InteractionResponseType.DeferredChannelMessageWithSource, data: privately ? { flags: MessageFlags.Ephemeral } : {} },
      );
    } catch (error) {
      // Its answers fall back to bot messages when the token turns out unusable.
      this.options.onUnexpected?.(error);
    }
    turn.preDeferred = kind;
    turn.deferredPrivately = privately;
    const take = await claim;
    if (take === 'run') return this.#handleTurn(turn);
    try {
      const text = turn.t(take === 'taken' ? T.alreadyReceived : T.notRecorded);
      const body: DiscordMessage = { content: text, embeds: [], components: [], allowed_mentions: { parse: [] } };
      if (kind === 'message') await this.#webhooks.patch(Routes.webhookMessage(this.options.applicationId, turn.interaction.token, '@original'), { body, auth: false });
      else if (take === 'unavailable') await this.followUp(turn, body, MessageFlags.Ephemeral);
      // A repeated click deferred silently shows nothing: the first delivery answers it.
    } catch (error) {
      this.options.onUnexpected?.(error);
    }
  }

  /** Commands get a message ("thinking…"); clicks, and submissions of a modal opened from a message, a silent update. */
  #preDeferralOf(turn: Turn): PreDeferral {
    const { interaction } = turn;
    if (interaction.type === InteractionType.MessageComponent) return 'update';
    if (interaction.type === InteractionType.ModalSubmit && interaction.message) return 'update';
    return 'message';
  }

  #answersPrivately(turn: Turn): boolean {
    if (turn.interaction.type !== InteractionType.ApplicationCommand) return false;
    const called = this.subcommandOf(turn);
    return (called && this.options.plan.find(called.group, called.name, called.root)?.answersPrivately) === true;
  }

  /** What is left of the dispatcher's head start (the claim may have used some of it). */
  #ackBudget(turn: Turn): number {
    const budget = this.options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS;
    const ms = typeof budget === 'number' ? budget : budget(turn.interaction);
    return Math.max(0, ms - (performance.now() - turn.arrivedAt));
  }

  /** Interactions being handled now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Waits for the interactions being handled to finish, up to `deadlineMs`; returns what those
   * still running then had sent to the dispatcher (their outcome is unknown).
   */
  async drain(deadlineMs: number): Promise<Invocation[]> {
    const left = await this.#inFlight.drain(deadlineMs);
    return left.flatMap((turn) => (turn.dispatched ? [turn.dispatched] : []));
  }

  /** Handles one interaction; never throws (failures are answered and reported to onUnexpected). */
  async handle(interaction: Interaction, respond: Respond, arrivedAt = performance.now()): Promise<void> {
    if (this.#seen.has(interaction.id)) return;
    this.#seen.set(interaction.id, true);
    const turn = this.#turnOf(interaction, respond, arrivedAt);
    await this.#inFlight.track(this.#handleTurn(turn), turn);
  }

  #turnOf(interaction: Interaction, respond: Respond, arrivedAt: number): Turn {
    return {
      interaction,
      respond,
      t: translator(localeOf(interaction.locale)),
      actor: this.actorOf(interaction),
      place: placeOf(interaction),
      receivedAt: this.#clock(),
      arrivedAt,
      responded: false,
      delivered: false,
    };
  }

  async #handleTurn(turn: Turn): Promise<void> {
    const { interaction } = turn;
    try {
      switch (interaction.type) {
        case InteractionType.Ping:
          return await this.initial(turn, { type: InteractionResponseType.Pong });
        case InteractionType.ApplicationCommand:
          return await this.command(turn);
        case InteractionType.ApplicationCommandAutocomplete:
          return await this.autocomplete(turn);
        case InteractionType.MessageComponent:
          return await this.component(turn);
        case InteractionType.ModalSubmit:
          return await this.modalSubmit(turn);
        default:
          return await this.ephemeral(turn, { title: turn.t(T.unknownCommand), text: turn.t(T.unknownCommandText), tone: 'danger' });
      }
    } catch (error) {
      this.options.onUnexpected?.(error);
    }
  }

  private actorOf(interaction: Interaction): Actor {
    const user = interaction.member?.user ?? interaction.user;
    const displayName = interaction.member?.nick ?? user?.global_name ?? user?.username;
    return {
      platform: 'discord',
      workspaceId: interaction.guild_id ?? this.options.dmWorkspace ?? 'direct',
      userId: user?.id ?? 'unknown',
      ...(displayName ? { displayName } : {}),
    };
  }

  // ---- slash commands and autocomplete ------------------------------------------------------

  /** The root (`/coc`, `/coc-admin`), group and subcommand called, for `plan.find(group, name, root)`. */
  private subcommandOf(turn: Turn): { root: DiscordRoot; group?: string; name: string; options: readonly CommandOption[] } | undefined {
    const data = commandDataSchema.safeParse(turn.interaction.data);
    if (!data.success || !isDiscordRoot(data.data.name)) return undefined;
    const root = data.data.name;
    const first = data.data.options?.[0];
    if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
      const sub = first.options?.[0];
      return sub ? { root, group: first.name, name: sub.name, options: sub.options ?? [] } : undefined;
    }
    if (first?.type === ApplicationCommandOptionType.Subcommand) return { root, name: first.name, options: first.options ?? [] };
    return undefined;
  }

  private async command(turn: Turn): Promise<void> {
    const called = this.subcommandOf(turn);
    const sub = called && this.options.plan.find(called.group, called.name, called.root);
    if (!called || !sub) return this.ephemeral(turn, { title: turn.t(T.unknownCommand), text: turn.t(T.unknownCommandText), tone: 'danger' });
    const values = new Map<string, OptionValue>();
    for (const option of called.options) if (option.value !== undefined) values.set(option.name, option.value);
    const line = commandLine(sub, values);
    if (!line.ok) {
      const text = turn.t(line.problem === 'dash' ? T.dashValue : T.openQuote, { option: line.option });
      return this.ephemeral(turn, { title: turn.t(T.badOption), text, tone: 'danger' });
    }
    const files = discordFileReader(attachmentsOf(turn.interaction.data), this.options.attachmentOrigins);
    await this.run(turn, { kind: 'command', actor: turn.actor, place: turn.place, text: line.text, interactionId: turn.interaction.id, files }, true, sub.answersPrivately === true);
  }

  private async autocomplete(turn: Turn): Promise<void> {
    const called = this.subcommandOf(turn);
    const sub = called && this.options.plan.find(called.group, called.name, called.root);
    const focused = called?.options.find((option) => option.focused);
    const sourceId = focused && sub?.options.find((option) => option.name === focused.name)?.suggestionId;
    if (!focused || !sourceId) return this.initial(turn, { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } });
    // Lists (host1,host2,…) complete their last item and keep what was typed before it.
    const typed = String(focused.value ?? '');
    const comma = typed.lastIndexOf(',');
    const prefix = comma === -1 ? '' : typed.slice(0, comma + 1);
    const query = typed.slice(comma + 1).trim();
    const search = this.options.dispatcher.suggest(turn.actor, turn.place, sourceId, query);
    const found = await within(search, this.options.suggestBudgetMs ?? DEFAULT_SUGGEST_BUDGET_MS);
    const choices = (found.done ? found.value : [])
      .map((option) => ({ name: cutStart(`${prefix}${option.label}`, LIMITS.choiceName) || '…', value: `${prefix}${option.value}` }))
      .filter((choice) => choice.value.length <= LIMITS.choiceValue)
      .slice(0, LIMITS.autocompleteChoices);
    await this.initial(turn, { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
  }

  // ---- buttons and selects --------------------------------------------------------------------

  private async component(turn: Turn): Promise<void> {
    const data = componentDataSchema.safeParse(turn.interaction.data);
    if (!data.success) return this.expired(turn);
    const customId = data.data.custom_id;
    const decoded = decodeCustomId(customId);
    const label = clickedLabel(turn.interaction, customId);
    const act = (actionId: string, value: string, click: Click = { question: false }) =>
      this.runClick(turn, { kind: 'action', actor: turn.actor, place: turn.place, actionId, value, interactionId: turn.interaction.id }, { ...click, ...(label ? { label } : {}) });
    const labelled = (settle: Settle | undefined): Settle | undefined => {
      const shown = settle?.label ?? label;
      return settle && { ...settle, ...(shown ? { label: shown } : {}) };
    };
    switch (decoded.kind) {
      case 'action':
        return act(decoded.actionId, decoded.value, decoded.settles ? { question: false, settle: labelled({}) } : { question: false });
      case 'stored-action': {
        const stored = await this.options.state.get(decoded.key);
        if (stored?.kind !== 'action') return this.expired(turn);
        const settle = labelled(stored.settle);
        return act(stored.actionId, stored.value, { question: stored.asked === true, ...(settle ? { settle } : {}), ...(stored.restore ? { restore: stored.restore } : {}) });
      }
      case 'select':
      case 'stored-select': {
        const stored = decoded.kind === 'stored-select' ? await this.options.state.get(decoded.key) : undefined;
        const actionId = decoded.kind === 'select' ? decoded.actionId : stored?.kind === 'select' ? stored.actionId : undefined;
        const chosen = data.data.values?.[0];
        const value = chosen === undefined ? undefined : await decodeOptionValue(this.options.state, chosen);
        return actionId && value !== undefined ? act(actionId, value) : this.expired(turn);
      }
      case 'confirm':
        return this.confirm(turn, decoded.key);
      case 'deny':
        return this.initial(turn, {
          type: InteractionResponseType.UpdateMessage,
          data: { content: turn.t(T.notDoneShort), embeds: [], components: [], allowed_mentions: { parse: [] } },
        });
      case 'restore': {
        const stored = await this.options.state.get(decoded.key);
        if (stored?.kind !== 'restore') return this.expired(turn);
        return this.initial(turn, { type: InteractionResponseType.UpdateMessage, data: asResponseData(restoredBody(stored.restore)) });
      }
      case 'form':
        return this.openForm(turn, decoded.key, decoded.page, decoded.draft);
      default:
        return this.expired(turn);
    }
  }

  /** The confirmation Discord does not have: an ephemeral question with the real button and a deny button. */
  private async confirm(turn: Turn, key: string): Promise<void> {
    const stored = await this.options.state.get(key);
    if (stored?.kind !== 'confirm') return this.expired(turn);
    const { confirm } = stored;
    const restore = inlineRestore(turn.interaction);
    if (restore) return this.confirmInline(turn, stored, restore);
    // The real button is kept with what it decides: the card under the question (when the bot
    // can edit it) loses its buttons once the answer goes through.
    const card = stored.settle ? cardOf(turn.interaction) : undefined;
    const settle: Settle | undefined = stored.settle && { label: stored.settle.label ?? confirm.confirmLabel, ...(card ? { card } : {}) };
    const goKey = await this.options.state.put({ kind: 'action', actionId: stored.actionId, value: stored.value, asked: true, ...(settle ? { settle } : {}) });
    const [question] = await renderMessages({ title: confirm.title, text: confirm.text, tone: 'warning' }, { state: this.options.state, t: turn.t }, { mode: 'single' });
    const go: APIButtonComponentWithCustomId = { type: ComponentType.Button, style: ButtonStyle.Danger, label: cut(confirm.confirmLabel, LIMITS.buttonLabel) || '…', custom_id: `k|${goKey}` };
    const deny: APIButtonComponentWithCustomId = { type: ComponentType.Button, style: ButtonStyle.Secondary, label: cut(confirm.denyLabel, LIMITS.buttonLabel) || '…', custom_id: DENY_ID };
    question!.components = [{ type: ComponentType.ActionRow, components: [go, deny] }];
    await this.initial(turn, { type: InteractionResponseType.ChannelMessageWithSource, data: { ...question!, flags: MessageFlags.Ephemeral } });
  }

  /**
   * A private card asks in place (see settle.ts): its embeds stay, the question is its text, and
   * its buttons become the real one and "no", which puts the card back as it was.
   */
  private async confirmInline(turn: Turn, stored: Extract<StoredComponent, { kind: 'confirm' }>, restore: Restore): Promise<void> {
    const { confirm } = stored;
    const settle: Settle | undefined = stored.settle && { label: stored.settle.label ?? confirm.confirmLabel };
    const goKey = await this.options.state.put({ kind: 'action', actionId: stored.actionId, value: stored.value, asked: true, restore, ...(settle ? { settle } : {}) });
    const denyKey = await this.options.state.put({ kind: 'restore', restore });
    const go: APIButtonComponentWithCustomId = { type: ComponentType.Button, style: ButtonStyle.Danger, label: cut(confirm.confirmLabel, LIMITS.buttonLabel) || '…', custom_id: `k|${goKey}` };
    const deny: APIButtonComponentWithCustomId = { type: ComponentType.Button, style: ButtonStyle.Secondary, label: cut(confirm.denyLabel, LIMITS.buttonLabel) || '…', custom_id: `r|${denyKey}` };
    const content = cut(`⚠️ **${escapeMarkdown(confirm.title)}**\n${escapeMarkdown(confirm.text)}`, LIMITS.content);
    await this.initial(turn, {
      type: InteractionResponseType.UpdateMessage,
      data: { content, components: [{ type: ComponentType.ActionRow, components: [go, deny] }], allowed_mentions: { parse: [] } },
    });
  }

  private async openForm(turn: Turn, key: string, page: number, draft: string | undefined): Promise<void> {
    const stored = await this.options.state.get(key);
    if (stored?.kind !== 'form' || page > pageCount(stored.form)) return this.expired(turn);
    if (draft && !this.#drafts.has(draft)) return this.ephemeral(turn, { title: stored.form.title, text: turn.t(T.draftLost), tone: 'warning' });
    if (turn.preDeferred) {
      // Deferred while its claim was made: a modal can no longer open by itself; the button can.
      const again: APIButtonComponentWithCustomId = { ...formButton(cut(`${turn.t(T.openForm)}: ${stored.form.title}`, LIMITS.buttonLabel), key), custom_id: formButtonId(key, page, draft) };
      return this.ephemeral(turn, { text: turn.t(T.formAfterWait) }, [again]);
    }
    await this.initial(turn, { type: InteractionResponseType.Modal, data: modalFor(stored.form, key, page, draft, turn.t) });
  }

  // ---- modal submissions ----------------------------------------------------------------------

  private async modalSubmit(turn: Turn): Promise<void> {
    const data = modalDataSchema.safeParse(turn.interaction.data);
    const decoded = data.success ? decodeCustomId(data.data.custom_id) : undefined;
    if (!data.success || decoded?.kind !== 'modal') return this.expired(turn);
    const stored = await this.options.state.get(decoded.key);
    if (stored?.kind !== 'form') return this.expired(turn);
    const { form } = stored;
    const earlier = decoded.draft ? this.#drafts.get(decoded.draft) : {};
    if (!earlier) return this.ephemeral(turn, { title: form.title, text: turn.t(T.draftLost), tone: 'warning' });
    const values = { ...earlier, ...submittedValues(form, data.data.components) };
    const pages = pageCount(form);
    if (decoded.page < pages) {
      const draft = decoded.draft ?? randomBytes(12).toString('base64url');
      this.#drafts.set(draft, values);
      const next = decoded.page + 1;
      const button: APIButtonComponentWithCustomId = {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: cut(turn.t(T.formContinue, { page: next, pages }), LIMITS.buttonLabel),
        custom_id: formButtonId(decoded.key, next, draft),
      };
      return this.ephemeral(turn, { text: turn.t(T.formStep, { page: decoded.page, pages, title: form.title }) }, [button]);
    }
    if (decoded.draft) this.#drafts.delete(decoded.draft);
    turn.submitted = { form, values };
    const invocation: Invocation = {
      kind: 'submission',
      actor: turn.actor,
      place: turn.place,
      formId: form.id,
      values,
      ...(form.context !== undefined ? { context: form.context } : {}),
      interactionId: turn.interaction.id,
    };
    // A one-page form opened by a settling button (Reject asks a reason) decides the card the
    // button was on, which Discord sends with the submission and lets it update.
    if (stored.settle && turn.interaction.message && pages === 1) return this.runClick(turn, invocation, { question: false, settle: stored.settle });
    await this.run(turn, invocation, false);
  }

  // ---- running and answering ------------------------------------------------------------------

  /** Dispatches, answering directly if the dispatcher is quick, else deferring first. */
  private async run(turn: Turn, invocation: Invocation, canOpenModal: boolean, privately = false): Promise<void> {
    turn.dispatched = invocation;
    const work = this.options.dispatcher.handle(invocation);
    if (turn.preDeferred === 'update') return this.answerClickLater(turn, await work, { question: false });
    if (turn.preDeferred) return this.answerLater(turn, await work);
    const quick = await within(work, this.#ackBudget(turn));
    if (quick.done) {
      try {
        await this.answer(turn, quick.value, canOpenModal);
      } catch (error) {
        this.options.onUnexpected?.(error);
        // The answer exists (and what it reports may have happened): deliver it another way.
        if (!turn.delivered) await this.fallback(turn, quick.value);
      }
      return;
    }
    let deferred = true;
    try {
      // Ephemeral or not is fixed at the deferral: a command that answers privately says so now.
      await this.initial(turn, { type: InteractionResponseType.DeferredChannelMessageWithSource, data: privately ? { flags: MessageFlags.Ephemeral } : {} });
      turn.deferredPrivately = privately;
    } catch (error) {
      deferred = false;
      this.options.onUnexpected?.(error);
    }
    const reply = await work;
    if (!deferred) return this.fallback(turn, reply);
    await this.answerLater(turn, reply);
  }

  private async answer(turn: Turn, reply: Message, canOpenModal: boolean): Promise<void> {
    if (reply.form && canOpenModal && !reply.fieldErrors) {
      const key = await this.options.state.put({ kind: 'form', form: reply.form });
      return this.initial(turn, { type: InteractionResponseType.Modal, data: modalFor(reply.form, key, 1, undefined, turn.t) });
    }
    const { messages, ephemeral } = await this.replyMessages(turn, reply, false);
    const flags = ephemeral ? MessageFlags.Ephemeral : 0;
    const [first, ...rest] = messages;
    await this.initial(turn, messageResponse(first!, ephemeral));
    for (const message of rest) await this.followUp(turn, message, flags);
  }

  /** After a deferral: edit the "thinking…" message, or replace it when the answer is private. */
  private async answerLater(turn: Turn, reply: Message): Promise<void> {
    if (this.#clock() - turn.receivedAt > INTERACTION_TOKEN_MS - TOKEN_MARGIN_MS) {
      this.options.metrics?.missedDeadline('discord', 'followup');
      return this.fallback(turn, reply);
    }
    const { messages, ephemeral } = await this.replyMessages(turn, reply, true);
    const { applicationId } = this.options;
    const rest = this.#webhooks;
    const token = turn.interaction.token;
    try {
      if (ephemeral && !turn.deferredPrivately) {
        // The deferral was public; a private answer must not be shown to the channel. Commands
        // declared to answer privately are deferred ephemerally, so this is the exception (a
        // refusal of a command whose answers are public).
        await rest.delete(Routes.webhookMessage(applicationId, token, '@original'), { auth: false });
        for (const message of messages) await this.followUp(turn, message, MessageFlags.Ephemeral);
      } else {
        const [first, ...others] = messages;
        await rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body: first!, auth: false });
        for (const message of others) await this.followUp(turn, message, turn.deferredPrivately ? MessageFlags.Ephemeral : 0);
      }
    } catch (error) {
      if (isDeadToken(error)) this.options.metrics?.missedDeadline('discord', 'followup');
      else this.options.onUnexpected?.(error);
      await this.fallback(turn, reply);
    }
  }

  // ---- clicks: cards decided in place ------------------------------------------------------

  /**
   * Dispatches a click. A quick answer is the initial response; a slow one is deferred with
   * DEFERRED_UPDATE_MESSAGE (type 6), which shows nothing to the channel, so the answer can
   * then be private or public as it turns out, and the clicked message can still be edited.
   */
  private async runClick(turn: Turn, invocation: Invocation, click: Click): Promise<void> {
    turn.dispatched = invocation;
    const work = this.options.dispatcher.handle(invocation);
    if (turn.preDeferred === 'update') return this.answerClickLater(turn, await work, click);
    if (turn.preDeferred) return this.answerLater(turn, await work);
    const quick = await within(work, this.#ackBudget(turn));
    if (quick.done) {
      try {
        await this.answerClick(turn, quick.value, click);
      } catch (error) {
        this.options.onUnexpected?.(error);
        if (!turn.delivered) await this.fallback(turn, quick.value);
      }
      return;
    }
    try {
      await this.initial(turn, { type: InteractionResponseType.DeferredMessageUpdate });
    } catch (error) {
      this.options.onUnexpected?.(error);
      return this.fallback(turn, await work);
    }
    await this.answerClickLater(turn, await work, click);
  }

  /** What a click's answer does to the clicked message, and whether the answer itself is private. */
  private clickOutcome(turn: Turn, reply: Message, click: Click): { edit?: DecidedBody; decided: boolean; ephemeral: boolean } {
    const failed = replyFailed(reply) || reply.fieldErrors !== undefined;
    const decided = Boolean(click.settle) && !failed && !reply.form;
    const line = decisionLine(turn.t, turn.actor.userId, click.settle?.label ?? click.label, this.#clock());
    // A refused decision (four eyes, a role that may not) is between the bot and the clicker.
    const ephemeral = Boolean(reply.private || reply.fieldErrors || (click.settle && failed));
    if (click.question && click.restore) {
      // A private card that was its own question: decided, or back as it was (a refusal follows, privately).
      return { edit: decided ? decidedBody(click.restore.content, line) : restoredBody(click.restore), decided, ephemeral: ephemeral || failed };
    }
    if (click.question) {
      // The adapter's own question is answered in place: who chose what, or (below) the refusal.
      return { edit: failed ? undefined : { ...decidedBody(undefined, line), embeds: [] }, decided, ephemeral };
    }
    if (decided) return { edit: decidedBody(turn.interaction.message?.content ?? undefined, line), decided, ephemeral };
    return { decided, ephemeral };
  }

  private async answerClick(turn: Turn, reply: Message, click: Click): Promise<void> {
    if (reply.form && !reply.fieldErrors && turn.interaction.type === InteractionType.MessageComponent) {
      // Reject asks a reason first: the modal's submission is what decides the card.
      const settle = click.settle && !click.question ? { settle: click.settle } : {};
      const key = await this.options.state.put({ kind: 'form', form: reply.form, ...settle });
      return this.initial(turn, { type: InteractionResponseType.Modal, data: modalFor(reply.form, key, 1, undefined, turn.t) });
    }
    const { edit, decided, ephemeral } = this.clickOutcome(turn, reply, click);
    const { messages } = await this.replyMessages(turn, reply, false);
    const flags = ephemeral ? MessageFlags.Ephemeral : 0;
    if (click.question && !edit) {
      // A refused answer to the question takes its place (it is ephemeral already).
      const [first, ...rest] = messages;
      await this.initial(turn, { type: InteractionResponseType.UpdateMessage, data: first! });
      for (const message of rest) await this.followUp(turn, message, MessageFlags.Ephemeral);
      return;
    }
    if (edit) {
      await this.initial(turn, { type: InteractionResponseType.UpdateMessage, data: asResponseData(edit) });
      if (decided && click.question) await this.editCard(turn, click);
      for (const message of messages) await this.followUp(turn, message, flags);
      return;
    }
    const [first, ...rest] = messages;
    await this.initial(turn, { type: InteractionResponseType.ChannelMessageWithSource, data: { ...first!, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) } });
    for (const message of rest) await this.followUp(turn, message, flags);
  }

  /** After DEFERRED_UPDATE_MESSAGE: `@original` is the clicked message; the answer follows on its own. */
  private async answerClickLater(turn: Turn, reply: Message, click: Click): Promise<void> {
    if (this.#clock() - turn.receivedAt > INTERACTION_TOKEN_MS - TOKEN_MARGIN_MS) {
      this.options.metrics?.missedDeadline('discord', 'followup');
      return this.fallback(turn, reply);
    }
    const { edit, decided, ephemeral } = this.clickOutcome(turn, reply, click);
    const { messages } = await this.replyMessages(turn, reply, true);
    const { applicationId } = this.options;
    const rest = this.#webhooks;
    const original = Routes.webhookMessage(applicationId, turn.interaction.token, '@original');
    try {
      if (click.question && !edit) {
        const [first, ...others] = messages;
        await rest.patch(original, { body: first!, auth: false });
        for (const message of others) await this.followUp(turn, message, MessageFlags.Ephemeral);
        return;
      }
      if (edit) await rest.patch(original, { body: edit, auth: false });
      if (decided && click.question) await this.editCard(turn, click);
      for (const message of messages) await this.followUp(turn, message, ephemeral ? MessageFlags.Ephemeral : 0);
    } catch (error) {
      if (isDeadToken(error)) this.options.metrics?.missedDeadline('discord', 'followup');
      else this.options.onUnexpected?.(error);
      await this.fallback(turn, reply);
    }
  }

  /**
   * The card under a confirmation question, decided: a channel message, edited with the bot's
   * token. A failure only leaves its buttons (a second click is refused by the bot anyway).
   */
  private async editCard(turn: Turn, click: Click): Promise<void> {
    const card = click.settle?.card;
    if (!card) return;
    const line = decisionLine(turn.t, turn.actor.userId, click.settle?.label, this.#clock());
    try {
      await this.options.rest.patch(Routes.channelMessage(card.channelId, card.messageId), { body: decidedBody(card.content, line) });
    } catch (error) {
      this.options.onUnexpected?.(error);
    }
  }

  /** Without a usable token: public answers as a bot message in the channel, private ones as a DM. */
  private async fallback(turn: Turn, reply: Message): Promise<void> {
    try {
      const answer: Message = { ...reply, form: undefined, fieldErrors: undefined };
      if (reply.private || reply.fieldErrors) await this.options.surface.notify(turn.actor, answer, targetOf(turn.actor, turn.place));
      else await this.options.surface.postReply(targetOf(turn.actor, turn.place), answer);
    } catch (error) {
      this.options.onUnexpected?.(error);
    }
  }

  /**
   * The reply as Discord messages. A form that cannot open as a modal becomes a button that
   * opens it; a refused submission lists its problems by field label, with a button that opens
   * the form again with what was typed (secrets excepted).
   */
  private async replyMessages(turn: Turn, reply: Message, afterDeferral: boolean): Promise<{ messages: readonly DiscordMessage[]; ephemeral: boolean }> {
    const lead: APIButtonComponentWithCustomId[] = [];
    let shown: Message = reply;
    if (reply.fieldErrors && turn.submitted) {
      const { form, values } = turn.submitted;
      const key = await this.options.state.put({ kind: 'form', form: refilled(form, values) });
      const labels = new Map(form.fields.map((field) => [field.id, field.label]));
      lead.push(formButton(turn.t(T.openFormAgain), key));
      shown = { ...reply, title: reply.title ?? turn.t(T.formRefused), tone: 'danger', fields: [...(reply.fields ?? []), ...fieldErrorFields(reply.fieldErrors, labels)] };
    } else if (reply.form) {
      const key = await this.options.state.put({ kind: 'form', form: reply.form });
      lead.push(formButton(cut(`${turn.t(T.openForm)}: ${reply.form.title}`, LIMITS.buttonLabel), key));
      if (afterDeferral || (!reply.title && !reply.text)) shown = { ...reply, text: [reply.text, turn.t(T.formAfterWait)].filter(Boolean).join('\n\n') };
    }
    const render = () => renderMessages(shown, { state: this.options.state, t: turn.t }, { mode: 'split', lead });
    // A reply shown as it is (no form button, no refilled form) is the same for everyone who gets it.
    const messages = shown === reply && lead.length === 0 ? await sharedRendering(reply, localeOf(turn.interaction.locale), render) : await render();
    return { messages, ephemeral: Boolean(reply.private || reply.fieldErrors) };
  }

  private async followUp(turn: Turn, message: DiscordMessage, flags: number): Promise<void> {
    await this.#webhooks.post(Routes.webhook(this.options.applicationId, turn.interaction.token), { body: { ...message, flags }, auth: false });
  }

  private async ephemeral(turn: Turn, message: Message, lead: APIButtonComponentWithCustomId[] = []): Promise<void> {
    const [first] = await renderMessages(message, { state: this.options.state, t: turn.t }, { mode: 'single', lead });
    await this.initial(turn, { type: InteractionResponseType.ChannelMessageWithSource, data: { ...first!, flags: MessageFlags.Ephemeral } });
  }

  private expired(turn: Turn): Promise<void> {
    return this.ephemeral(turn, { title: turn.t(T.expired), text: turn.t(T.expiredText), tone: 'warning' });
  }

  /**
   * What would have been the initial response, after a deferral made while the claim was
   * decided: a message edits a "thinking…" deferral (a private one after a public deferral
   * replaces it) or follows a silent one; an update edits `@original` (the clicked message after a
   * silent deferral).
   */
  async #afterPreDeferral(turn: Turn, body: APIInteractionResponse): Promise<void> {
    const { applicationId } = this.options;
    const rest = this.#webhooks;
    const original = Routes.webhookMessage(applicationId, turn.interaction.token, '@original');
    switch (body.type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const { flags, ...data } = (body.data ?? {}) as CallbackData & { flags?: number };
        const ephemeral = ((flags ?? 0) & MessageFlags.Ephemeral) !== 0;
        if (turn.preDeferred === 'update') return this.followUp(turn, data as DiscordMessage, ephemeral ? MessageFlags.Ephemeral : 0);
        if (ephemeral && !turn.deferredPrivately) {
          await rest.delete(original, { auth: false });
          return this.followUp(turn, data as DiscordMessage, MessageFlags.Ephemeral);
        }
        await rest.patch(original, { body: data, auth: false });
        return;
      }
      case InteractionResponseType.UpdateMessage:
        await rest.patch(original, { body: body.data ?? {}, auth: false });
        return;
      case InteractionResponseType.Modal:
        throw new Error('a modal cannot follow a deferral');
      default:
        // Pongs, autocomplete results and deferrals: nothing to say after a deferral.
        return;
    }
  }

  private async initial(turn: Turn, body: APIInteractionResponse): Promise<void> {
    if (turn.preDeferred) return this.#afterPreDeferral(turn, body);
    if (turn.responded) throw new Error('an interaction can be answered only once');
    turn.responded = true;
    await turn.respond(body);
    turn.delivered = true;
    const elapsed = this.#clock() - turn.receivedAt;
    this.options.metrics?.ackLatency('discord', elapsed / 1000);
    if (elapsed > INITIAL_RESPONSE_MS) this.options.metrics?.missedDeadline('discord', 'ack');
  }
}

type CallbackData = Extract<APIInteractionResponse, { type: InteractionResponseType.ChannelMessageWithSource }>['data'];

function formButton(label: string, key: string): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, style: ButtonStyle.Primary, label: cut(label, LIMITS.buttonLabel), custom_id: formButtonId(key) };
}

function placeOf(interaction: Interaction): Place {
  const channel = interaction.channel;
  const channelId = channel?.id ?? interaction.channel_id ?? 'unknown';
  const isDirect = !interaction.guild_id;
  if (channel && THREAD_TYPES.has(channel.type) && channel.parent_id) {
    // Channel rules apply to a thread as to its channel.
    return { channelId: channel.parent_id, threadId: channel.id, isDirect };
  }
  return { channelId, isDirect };
}

/** The interaction token expired or the webhook is gone: only a bot message can carry the answer now. */
function isDeadToken(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.InvalidWebhookToken || error.code === RESTJSONErrorCodes.UnknownWebhook || error.code === RESTJSONErrorCodes.UnknownInteraction)
  );
}
