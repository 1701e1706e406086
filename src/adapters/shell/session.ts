/**
 * One terminal conversation: who is acting (`/as bob` switches), the buttons and select
 * options of the card being answered (typed back as their numbers), a yes/no for
 * confirmations, and forms asked one field at a time. Numbers belong to the card they were
 * printed with (see choices.ts), and only what the person acting may click is numbered.
 */
import type { Dispatcher } from '../../core/dispatcher.js';
import type { Identity } from '../../identity/identity-service.js';
import type { Actor, Invocation, Place } from '../../core/invocation.js';
import { replyFailed, type Form, type FormField, type Message, type SelectOption } from '../../core/message.js';
import { SHELL_WORKSPACE } from '../../identity/demo.js';
import type { Palette } from './ansi.js';
import { cardLabel, choicesOf, renderBound, renderUnbound, type BoundCard, type Choice } from './choices.js';
import { renderItems, renderMessage, renderProse } from './render.js';
import type { ShellEvent } from './surface.js';
import type { LineTyped } from './repl.js';
import { formFileAnswer, pathFileReader } from './file-reader.js';
import { translator, type Locale, type Translate } from '../../i18n/translate.js';
import { SHELL_TEXTS as T } from '../../i18n/catalogues/shell.js';

/** The terminal is one channel; it is not a direct message (others may watch the screen). */
export const SHELL_PLACE: Place = { channelId: 'terminal', isDirect: false };

/** Cards kept for "/answer <ref>"; older ones are forgotten. */
const REMEMBERED_CARDS = 50;

interface OpenForm {
  readonly form: Form;
  /** Fields still to ask, in order. */
  readonly queue: FormField[];
  readonly values: Record<string, string>;
  /** A part of a name several options match: the numbers pick among them (see answerField). */
  picking?: NamePick;
}

/** Part of a name typed into a searched field that several options match, listed with numbers. */
interface NamePick {
  readonly typed: string;
  readonly options: readonly SelectOption[];
  /** Parts already resolved, and parts still to resolve after this one (multiselect). */
  readonly done: readonly string[];
  readonly rest: readonly string[];
  readonly echoes: readonly string[];
}

/**
 * A yes/no question the next line answers: a button's own confirmation, or the question the
 * bot answered a pressed button with (Button.onlyAsks). Printed as whole lines before the
 * prompt, so the prompt's redraw never erases it.
 */
interface OpenQuestion {
  /** Printed above the choices; empty when the bot's reply already showed them. */
  readonly head: string;
  readonly yesLabel: string;
  readonly noLabel: string;
  readonly yes: Choice;
  /** The question's own No (the bot's question has one): pressed on any answer but yes. */
  readonly no?: Choice;
  /** The button the question is about, for "Not done". */
  readonly about: string;
}

/** What a line under `--exec` left open: it fails, and the next line is a command again. */
export interface ExecResult {
  readonly text: string;
  readonly failed: boolean;
}

export class ShellSession {
  #user: string;
  /** Who `#user` is, as last read: what they may click decides which buttons are numbered. */
  #viewer: Identity | undefined;
  #viewerOf: string | undefined;
  /** The card the numbers answer; nothing else's buttons are numbered. */
  #answering: BoundCard | undefined;
  /** Cards posted or edited lately, by ref, as sent (for "/answer <ref>" and for re-offering after "/as"). */
  readonly #cards = new Map<string, { label: string; message: Message }>();
  #question: OpenQuestion | undefined;
  #form: OpenForm | undefined;
  #interaction = 0;
  #notices = 0;
  /** While a line runs: the last card with buttons the bot posted meanwhile (an approval request, a live card). */
  #running = false;
  #postedWhileRunning: BoundCard | undefined;
  #lastFailed = false;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly palette: Palette,
    initialUser: string,
    /** The language of a person the bot does not know (the configured `locale`). */
    private readonly fallbackLocale: Locale = 'en-US',
    /**
     * "/as <name>" switches people: only against the built-in simulator and its demo people.
     * On a real platform the terminal acts as the one person it was started as, or one person
     * could request a run and approve it as another (the four-eyes rule would mean nothing).
     */
    private readonly switchesPeople = true,
  ) {
    this.#user = initialUser;
    // Read at once, so a card posted before the first line is offered to the right person.
    void this.refreshViewer();
  }

  /** The last line's answer was a refusal or an error (for `--exec`'s exit code). */
  get lastFailed(): boolean {
    return this.#lastFailed;
  }

  get user(): string {
    return this.#user;
  }

  /** The language of the person acting: the terminal's own words follow it. */
  get locale(): Locale {
    return (this.#viewerOf === this.#user ? this.#viewer?.locale : undefined) ?? this.fallbackLocale;
  }

  private get t(): Translate {
    return translator(this.locale);
  }

  /** False while a secret form field is being typed: that line must not reach the history file. */
  get recordable(): boolean {
    return !this.#form?.queue[0]?.secret;
  }

  prompt(): string {
    if (this.#question) return this.palette.bold(`${this.#question.yesLabel}? (y/n)> `);
    if (this.#form?.picking) return this.palette.bold(`${this.#form.queue[0]!.label}: ${this.t(T.whichOne)}> `);
    const field = this.#form?.queue[0];
    if (field) return this.palette.bold(`${field.label}${field.required ? '' : this.t(T.optional)}> `);
    return this.palette.bold(`${this.#user}@coc> `);
  }

  private actor(): Actor {
    return { platform: 'shell', workspaceId: SHELL_WORKSPACE, userId: this.#user };
  }

  private nextInteraction(): string {
    return `shell-${process.pid}-${Date.now()}-${++this.#interaction}`;
  }

  private async refreshViewer(): Promise<void> {
    const user = this.#user;
    const viewer = await this.dispatcher.viewer(this.actor());
    // A "/as" while this was read: the newer lookup wins.
    if (this.#user === user) {
      this.#viewer = viewer;
      this.#viewerOf = user;
    }
  }

  /** `message` as the person acting may use it: buttons they may not click are left out. */
  private offer(message: Message): Message {
    const viewer = this.#viewerOf === this.#user ? this.#viewer : undefined;
    return this.dispatcher.offeredTo(message, this.actor(), SHELL_PLACE, viewer);
  }

  private label(message: Message, ref?: string): string {
    return cardLabel(message, ref, this.t);
  }

  private bind(key: string, label: string, message: Message): BoundCard {
    return { key, label, message, choices: choicesOf(this.offer(message)) };
  }

  private remember(key: string, label: string, message: Message): void {
    this.#cards.delete(key);
    this.#cards.set(key, { label, message });
    if (this.#cards.size > REMEMBERED_CARDS) this.#cards.delete(this.#cards.keys().next().value!);
  }

  /**
   * Something the bot posted by itself. An edit of the card being answered refreshes its
   * numbers (the same card, as it is now); any other card never takes the numbers over while
   * one is being answered, so a `1` typed after a live card's edit still answers the card the
   * person was looking at. A new card with buttons is numbered only when nothing else is.
   */
  receive(event: ShellEvent): string {
    const p = this.palette;
    const t = this.t;
    const where = event.kind === 'notice' ? t(T.noticeFor, { user: event.person.userId }) : event.posted.threadId ? `#${event.posted.channelId} › ${event.posted.threadId}` : `#${event.posted.channelId}`;
    const heading = event.kind === 'updated' ? t(T.updated, { where, ref: event.posted.messageRef }) : event.kind === 'posted' ? t(T.posted, { where, ref: event.posted.messageRef }) : `── ${where} ──`;
    const key = event.kind === 'notice' ? `notice-${++this.#notices}` : event.posted.messageRef;
    const card = this.bind(key, event.kind === 'notice' ? this.label(event.message) : this.label(event.message, key), event.message);
    if (event.kind !== 'notice') this.remember(key, card.label, event.message);
    let shown: 'numbered' | 'later' | 'unnumbered' = 'unnumbered';
    if (this.#answering?.key === key) {
      this.#answering = card;
      shown = 'numbered';
    } else if (card.choices.length && event.kind !== 'updated' && !this.#form && !this.#question) {
      if (this.#running) {
        // The reply to the line running now says whether the numbers go to this card.
        this.#postedWhileRunning = card;
        shown = 'later';
      } else if (!this.#answering) {
        this.#answering = card;
        shown = 'numbered';
      }
    }
    const choices = shown === 'numbered' ? renderBound(card, p, t) : shown === 'later' ? '' : renderUnbound(card.choices, key, this.#answering, p, t);
    return `${p.dim(heading)}\n${renderMessage(event.message, p)}${choices}`;
  }

  /**
   * `typed.beforePrompt`: the line was read before the prompt now shown (see runRepl). Such a
   * line never answers a question: a key pressed twice, or typed while the bot was still busy,
   * must not confirm what the person has not seen yet. The question stays open.
   */
  async handleLine(line: string, typed?: LineTyped): Promise<string> {
    this.#lastFailed = false;
    // Read each time: a role changed meanwhile changes what is offered from now on.
    await this.refreshViewer();
    if (this.#question && typed?.beforePrompt) {
      this.#lastFailed = true;
      return this.palette.red(`${this.t(T.typedBeforeQuestion)}\n`);
    }
    if (this.#question) return this.answerQuestion(line);
    if (this.#form) return this.answerField(line);
    if (line.trim() === '') return '';
    const as = /^\/?as(?:\s+(.*))?$/.exec(line.trim());
    if (as) {
      const names = (as[1] ?? '').split(/\s+/).filter(Boolean);
      if (names.length === 0) return this.whoIsHere();
      if (!this.switchesPeople) {
        this.#lastFailed = true;
        return this.palette.red(`${this.t(T.asOnlyDemo, { user: this.#user })}\n`);
      }
      if (names.length > 1) return this.palette.red(`${this.t(T.asOneName, { name: names[0]! })}\n`);
      const unknown = await this.unknownPerson(names[0]!);
      if (unknown) return this.palette.red(`${unknown}\n`);
      this.#user = names[0]!;
      await this.refreshViewer();
      // The same card, offered to the new person: only what they may click is numbered.
      const card = this.#answering ? this.bind(this.#answering.key, this.#answering.label, this.#answering.message) : undefined;
      this.#answering = card?.choices.length ? card : undefined;
      return `${this.palette.dim(this.t(T.nowActingAs, { user: this.#user }))}\n${this.#answering ? renderBound(this.#answering, this.palette, this.t) : ''}`;
    }
    const answer = /^\/answer(?:\s+(\S+))?$/.exec(line);
    if (answer) return this.answerCard(answer[1]);
    if (/^\d+$/.test(line)) {
      const choices = this.#answering?.choices ?? [];
      const choice = choices[Number(line) - 1];
      if (!choice) {
        const t = this.t;
        return choices.length
          ? this.palette.red(`${t(T.noChoice, { n: line, card: this.#answering!.label, hint: choices.length === 1 ? t(T.typeOne) : t(T.pickRange, { count: choices.length }) })}\n`)
          : this.palette.red(`${t(T.nothingToChoose)}\n`);
      }
      // A button that only brings the bot's own question is not asked about first: one question, not two.
      if (choice.confirm && !choice.onlyAsks) {
        const { title, text, confirmLabel, denyLabel } = choice.confirm;
        return this.ask({ head: `${this.palette.bold(title)}\n${text}\n`, yesLabel: confirmLabel, noLabel: denyLabel, yes: choice, about: choice.label });
      }
      return this.run(this.press(choice), choice.onlyAsks ? choice : undefined);
    }
    return this.run({ kind: 'command', actor: this.actor(), place: SHELL_PLACE, text: line, interactionId: this.nextInteraction(), files: pathFileReader() });
  }

  /** The people one can switch to, as "alice (operator), bob (approver)". */
  private async peopleHere(): Promise<{ readonly ids: readonly string[]; readonly list: string }> {
    const people = await this.dispatcher.peopleOn('shell', SHELL_WORKSPACE);
    return { ids: people.map((person) => person.userId), list: people.map((person) => `${person.userId} (${person.role})`).join(', ') };
  }

  /** "/as" alone: who is acting, and the people one can switch to. */
  private async whoIsHere(): Promise<string> {
    const { list } = await this.peopleHere();
    return `${this.t(T.actingAs, { user: this.#user, people: list ? this.t(T.peopleHere, { people: list }) : '' })}\n`;
  }

  /** Why "/as <name>" cannot switch to `name` (nobody of that name here); undefined when it can. */
  private async unknownPerson(name: string): Promise<string | undefined> {
    const { ids, list } = await this.peopleHere();
    if (ids.includes(name)) return undefined;
    return ids.length ? this.t(T.noSuchPerson, { name, people: list, user: this.#user }) : this.t(T.noSuchPersonNobody, { name, user: this.#user });
  }

  /** "/answer <ref>": the numbers answer that card (as it was last printed) from now on. */
  private answerCard(ref: string | undefined): string {
    const known = [...this.#cards.keys()].reverse().slice(0, 10);
    const card = ref ? this.#cards.get(ref) : undefined;
    const t = this.t;
    if (!card) {
      const list = known.length ? t(T.cardsLately, { cards: known.join(', ') }) : '';
      return this.palette.red(`${ref ? t(T.noCard, { ref }) : t(T.whichCard)}${list}\n`);
    }
    const bound = this.bind(ref!, card.label, card.message);
    if (!bound.choices.length) return this.palette.dim(`${t(T.offersNothing, { card: card.label })}\n`);
    this.#answering = bound;
    return renderBound(bound, this.palette, t);
  }

  private press(choice: Choice): Invocation {
    return { kind: 'action', actor: this.actor(), place: SHELL_PLACE, actionId: choice.actionId, value: choice.value, interactionId: this.nextInteraction() };
  }

  /** `asking`: the pressed button only asks; the reply's choices are that question's answers. */
  private async run(invocation: Invocation, asking?: Choice): Promise<string> {
    const { reply, posted } = await this.dispatch(invocation);
    // Only a question looks like one: two buttons that both decide it (anything else the action
    // answered instead, e.g. an approval request under a stricter policy, is shown as it is).
    const question = asking && !reply.form && reply.buttons?.length === 2 && reply.buttons.every((b) => b.settles);
    if (question) {
      const [yes, no] = this.bind(`reply-${this.#interaction}`, this.label(reply), reply).choices;
      if (yes) {
        this.#answering = undefined;
        return renderMessage(reply, this.palette) + this.ask({ head: '', yesLabel: yes.label, noLabel: no?.label ?? this.t(T.no), yes, ...(no ? { no } : {}), about: asking!.label });
      }
    }
    return this.show(reply, posted);
  }

  /** Opens a yes/no question: its choices and how to answer, each on a line of its own. */
  private ask(question: OpenQuestion): string {
    this.#question = question;
    const p = this.palette;
    // Lettered, not numbered: a number typed for the card before must never confirm (only y/yes does).
    return `${question.head}${p.cyan(`[y] ${question.yesLabel}   [n] ${question.noLabel}`)}\n${p.dim(this.t(T.confirmHow, { yes: question.yesLabel, no: question.noLabel }))}\n`;
  }

  private async answerQuestion(line: string): Promise<string> {
    const question = this.#question!;
    this.#question = undefined;
    const typed = line.trim();
    if (/^(y|yes)$/i.test(typed)) return this.run(this.press(question.yes));
    const said = typed === '' ? this.t(T.emptyLine) : `"${typed.length > 20 ? `${typed.slice(0, 19)}…` : typed}"`;
    const notDone = this.palette.dim(`${this.t(T.notDone, { about: question.about, said })}\n`);
    // The bot's own question has its own No: pressed, so the preview does not stay half-asked.
    return question.no ? notDone + (await this.run(this.press(question.no))) : notDone;
  }

  /**
   * Ctrl-C: closes the open form or question, sending nothing. Undefined when nothing was open
   * (the terminal then asks for a second Ctrl-C to quit).
   */
  cancelOpen(): string | undefined {
    if (!this.#form && !this.#question) return undefined;
    this.#form = undefined;
    this.#question = undefined;
    return `${this.palette.dim(this.t(T.canceled))}\n`;
  }

  /**
   * One `--exec` line. It may not open anything that waits for more lines (a form, a
   * question, a preview's Run / Cancel): `--exec` presses no buttons and answers no fields,
   * so such a line fails, says what to give instead, and the next line is a command again.
   */
  async execLine(line: string): Promise<ExecResult> {
    const text = await this.handleLine(line);
    const waits = this.waitsFor(line);
    if (!waits) return { text, failed: this.#lastFailed };
    this.#form = undefined;
    this.#question = undefined;
    this.#answering = undefined;
    return { text: `${text}${renderProse(waits, this.palette, this.palette.red)}`, failed: true };
  }

  /** What the last line left waiting for an answer, said as a failure of `--exec`; undefined when nothing. */
  private waitsFor(line: string): string | undefined {
    const command = line.trim().split(/\s+/)[0] ?? line;
    // The line is said again, so secret values are hidden as in the history file.
    const shown = this.dispatcher.maskLine(line.trim());
    const t = this.t;
    if (this.#form) {
      const labels = this.#form.form.fields.map((f) => f.label);
      const fields = labels.length > 3 ? `${labels.slice(0, 3).join(', ')}, …` : labels.join(', ');
      return t(T.execForm, { line: shown, fields, command });
    }
    if (this.#question) return t(T.execQuestion, { line: shown, about: this.#question.about });
    // Only a reply that says it waits for this person (a run preview) fails; a card whose buttons
    // are optional actions (an approval, an incident) is printed and the line succeeds.
    const settling = this.#answering?.key === `reply-${this.#interaction}` && this.#answering.message.awaitsAnswer === true;
    if (settling) {
      const labels = this.#answering!.choices.map((c) => c.label).join(' / ');
      return t(T.execButtons, { line: shown, labels });
    }
    return undefined;
  }

  /** The reply, and the last card with buttons the bot posted while it was being made. */
  private async dispatch(invocation: Invocation): Promise<{ reply: Message; posted: BoundCard | undefined }> {
    this.#running = true;
    this.#postedWhileRunning = undefined;
    try {
      const reply = await this.dispatcher.handle(invocation);
      this.#lastFailed = replyFailed(reply);
      return { reply, posted: this.#postedWhileRunning };
    } finally {
      this.#running = false;
      this.#postedWhileRunning = undefined;
    }
  }

  /**
   * A reply with choices is what the numbers answer next; a reply without them hands the
   * numbers to a card with buttons the bot posted while it ran (the approval request, the
   * live card of a run just started), saying so; otherwise nothing is numbered.
   */
  private show(reply: Message, posted?: BoundCard): string {
    if (reply.form) return renderMessage(reply, this.palette) + this.openForm(reply.form);
    const own = this.bind(`reply-${this.#interaction}`, this.label(reply), reply);
    if (own.choices.length) {
      this.#answering = own;
      return renderMessage(reply, this.palette) + renderBound(own, this.palette, this.t);
    }
    this.#answering = posted;
    return renderMessage(reply, this.palette) + (posted ? renderBound(posted, this.palette, this.t) : '');
  }

  private openForm(form: Form, values: Record<string, string> = {}, only?: readonly string[]): string {
    const queue = form.fields.filter((field) => !only || only.includes(field.id));
    this.#form = { form, queue, values };
    this.#answering = undefined;
    return `${renderProse(form.title, this.palette, this.palette.bold)}${renderProse(this.t(T.formHow), this.palette, this.palette.dim)}${this.describeField(queue[0])}`;
  }

  private describeField(field: FormField | undefined): string {
    if (!field) return '';
    const p = this.palette;
    // Wrapped to the terminal's width like every reply: a long hint never breaks mid-word.
    const dim = (text: string) => renderProse(text, p, p.dim);
    const t = this.t;
    let text = '';
    if (field.file) text += dim(t(T.filePath, { max: field.maxLength ?? '?' }));
    else if (field.hint) text += dim(field.hint);
    if (field.secret) text += dim(t(T.sensitive));
    if (field.options?.length) text += renderItems(field.options.map((o, i) => `[${i + 1}] ${o.label}`), p, p.cyan);
    if (field.kind === 'multiselect') text += dim(t(T.several));
    if (field.initial && !field.secret) text += dim(t(T.emptyKeeps, { value: field.initial }));
    return text;
  }

  private async answerField(line: string): Promise<string> {
    const open = this.#form!;
    if (line === '/cancel') {
      this.#form = undefined;
      return this.palette.dim(`${this.t(T.formClosed, { form: open.form.title })}\n`);
    }
    const field = open.queue[0]!;
    if (open.picking && !/^[\d,\s]+$/.test(line)) {
      // Not numbers: more of the name, typed instead of the part that matched too many.
      const pick = open.picking;
      open.picking = undefined;
      const retyped = (field.kind === 'multiselect' ? line.split(',') : [line]).map((part) => part.trim()).filter(Boolean);
      const resolved = await this.resolveNames(field, { done: pick.done, rest: [...retyped, ...pick.rest], echoes: pick.echoes });
      if ('ask' in resolved) return resolved.ask;
      return this.acceptField(open, field, resolved.value, resolved.echo);
    }
    if (open.picking) {
      const picked = this.pickedNames(open.picking, line);
      if ('error' in picked) return picked.error;
      open.picking = undefined;
      const resolved = await this.resolveNames(field, picked);
      if ('ask' in resolved) return resolved.ask;
      return this.acceptField(open, field, resolved.value, resolved.echo);
    }
    let answer = this.fieldValue(field, line);
    // A searched field (a script, hosts) takes part of a name: checked now, not after the last field.
    if (field.searchId && !field.options?.length && answer && answer === line.trim()) {
      const resolved = await this.resolveNames(field, { done: [], rest: (field.kind === 'multiselect' ? answer.split(',') : [answer]).map((part) => part.trim()).filter(Boolean), echoes: [] });
      if ('ask' in resolved) return resolved.ask;
      return this.acceptField(open, field, resolved.value, resolved.echo);
    }
    // A file field is answered with a path here: what is submitted is the file's text.
    if (field.file && answer && answer === line.trim()) {
      const read = await formFileAnswer(answer, field.maxLength ?? Number.MAX_SAFE_INTEGER, undefined, this.locale);
      if ('error' in read) return `${this.palette.red(read.error)}
${this.describeField(field)}`;
      answer = read.text;
    }
    if (answer === undefined) return `${this.palette.red(this.t(T.needsValue, { field: field.label }))}\n${this.describeField(field)}`;
    return this.acceptField(open, field, answer, '');
  }

  /** Takes `answer` for the field being asked, then asks the next field or submits the form. */
  private async acceptField(open: OpenForm, field: FormField, answer: string, echo: string): Promise<string> {
    if (answer !== '') open.values[field.id] = answer;
    else delete open.values[field.id];
    open.queue.shift();
    if (open.queue.length) return echo + this.describeField(open.queue[0]);
    this.#form = undefined;
    const { reply, posted } = await this.dispatch({
      kind: 'submission',
      actor: this.actor(),
      place: SHELL_PLACE,
      formId: open.form.id,
      values: open.values,
      ...(open.form.context !== undefined ? { context: open.form.context } : {}),
      interactionId: this.nextInteraction(),
    });
    if (reply.fieldErrors) {
      const problems = Object.entries(reply.fieldErrors).map(([id, problem]) => {
        const label = open.form.fields.find((f) => f.id === id)?.label ?? id;
        return this.palette.red(`${label}: ${problem}`);
      });
      const again = Object.keys(reply.fieldErrors).filter((id) => open.form.fields.some((f) => f.id === id));
      // Nothing of this form to answer again (the problem is about something it does not ask): it stays closed.
      if (again.length === 0) return `${renderMessage(reply, this.palette)}${problems.join('\n')}\n`;
      const kept = Object.fromEntries(Object.entries(open.values).filter(([id]) => !again.includes(id)));
      return `${renderMessage(reply, this.palette)}${problems.join('\n')}\n${this.openForm(open.form, kept, again)}`;
    }
    return echo + this.show(reply, posted);
  }

  /**
   * Each typed part of a searched field, looked up as the type-ahead of Slack and Discord does:
   * the option named exactly so, or the one option it is part of (said: "disk → disk_usage");
   * several are listed with numbers to pick from; none is said at once. A part already in the
   * platform's own form (an id:…, a region/name) is taken as typed.
   */
  private async resolveNames(field: FormField, state: Omit<NamePick, 'typed' | 'options'>): Promise<{ value: string; echo: string } | { ask: string }> {
    const p = this.palette;
    const done = [...state.done];
    const echoes = [...state.echoes];
    const rest = [...state.rest];
    while (rest.length) {
      const part = rest.shift()!;
      if (/[:/]/.test(part)) {
        done.push(part);
        continue;
      }
      const found = await this.dispatcher.lookup(this.actor(), SHELL_PLACE, field.searchId!, part);
      if (!found.ok) {
        return { ask: `${p.red(this.t(T.searchFailed, { field: field.label, part }))}\n${renderMessage(found.reply, p)}${this.describeField(field)}` };
      }
      const { options, complete, withheld = [] } = found.answer;
      const exact = options.filter((o) => o.value === part || o.label.split(' · ')[0] === part);
      // Typed exactly as something that cannot be chosen: never another thing whose name contains it.
      const barred = exact.length === 0 ? withheld.find((w) => w.name.toLowerCase() === part.toLowerCase()) : undefined;
      if (barred) return { ask: `${p.red(this.t(T.withheld, { field: field.label, part, why: barred.why }))}\n${this.describeField(field)}` };
      const matches = exact.length === 1 ? exact : options;
      // One option of a cut list is not the only match: it is listed to pick from.
      if (matches.length === 1 && (complete || exact.length === 1)) {
        const only = matches[0]!;
        done.push(only.value);
        if (only.value !== part) echoes.push(this.t(T.resolved, { typed: part, value: only.value }));
        continue;
      }
      if (matches.length === 0) {
        return { ask: `${p.red(this.t(complete ? T.nothingMatches : T.noneShown, { field: field.label, part }))}\n${this.describeField(field)}` };
      }
      this.#form!.picking = { typed: part, options: matches, done, rest, echoes };
      const several = field.kind === 'multiselect' ? this.t(T.severalNumbers) : '';
      return {
        // Wrapped to the terminal's width: the sentence and long labels (region, short id) run wide.
        ask: `${renderProse(this.t(complete || exact.length === 1 ? T.matchesSeveral : T.matchesMore, { field: field.label, part, count: matches.length, several }), p, p.dim)}${matches.map((o, i) => renderProse(`[${i + 1}] ${o.label}`, p, p.cyan)).join('')}`,
      };
    }
    const echo = echoes.length ? `${p.dim(echoes.join(', '))}\n` : '';
    return { value: done.join(','), echo };
  }

  /** The numbers typed to pick among the listed matches; the rest of the field is then resolved on. */
  private pickedNames(pick: NamePick, line: string): Omit<NamePick, 'typed' | 'options'> | { error: string } {
    const numbers = line.split(',').map((part) => part.trim()).filter(Boolean);
    const chosen = numbers.map((n) => (/^\d+$/.test(n) ? pick.options[Number(n) - 1] : undefined));
    if (!numbers.length || chosen.some((c) => !c) || (numbers.length > 1 && this.#form!.queue[0]!.kind !== 'multiselect')) {
      return { error: this.palette.red(`${this.t(T.pickNumber, { count: pick.options.length, typed: pick.typed })}\n`) };
    }
    return { done: [...pick.done, ...chosen.map((c) => c!.value)], rest: pick.rest, echoes: [...pick.echoes, this.t(T.resolved, { typed: pick.typed, value: chosen.map((c) => c!.value).join(', ') })] };
  }

  /** '' = left empty (allowed), undefined = required but missing. Numbers pick listed options. */
  private fieldValue(field: FormField, line: string): string | undefined {
    const typed = line.trim();
    if (typed === '') return field.initial && !field.secret ? field.initial : field.required ? undefined : '';
    if (!field.options?.length) return typed;
    const pick = (part: string) => (/^\d+$/.test(part) ? (field.options![Number(part) - 1]?.value ?? part) : part);
    return field.kind === 'multiselect' ? typed.split(',').map((part) => pick(part.trim())).filter(Boolean).join(',') : pick(typed);
  }
}
