/**
 * One terminal conversation: who is acting (`/as bob` switches), the buttons and select
 * options of the last message shown (typed back as their numbers), a yes/no for
 * confirmations, and forms asked one field at a time.
 */
import type { Dispatcher } from '../../core/dispatcher.js';
import type { Actor, Invocation, Place } from '../../core/invocation.js';
import { replyFailed, type Button, type Form, type FormField, type Message } from '../../core/message.js';
import { SHELL_WORKSPACE } from '../../identity/demo.js';
import type { Palette } from './ansi.js';
import { renderMessage } from './render.js';
import type { ShellEvent } from './surface.js';

/** The terminal is one channel; it is not a direct message (others may watch the screen). */
export const SHELL_PLACE: Place = { channelId: 'terminal', isDirect: false };

interface Choice {
  readonly actionId: string;
  readonly value: string;
  readonly label: string;
  readonly confirm?: Button['confirm'];
}

interface OpenForm {
  readonly form: Form;
  /** Fields still to ask, in order. */
  readonly queue: FormField[];
  readonly values: Record<string, string>;
}

export class ShellSession {
  #user: string;
  #choices: Choice[] = [];
  #pendingConfirm: Choice | undefined;
  #form: OpenForm | undefined;
  #interaction = 0;
  /** Counts cards posted with buttons, so a reply without buttons keeps those of a card it just posted. */
  #postedWithChoices = 0;
  #lastFailed = false;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly palette: Palette,
    initialUser: string,
  ) {
    this.#user = initialUser;
  }

  /** The last line's answer was a refusal or an error (for `--exec`'s exit code). */
  get lastFailed(): boolean {
    return this.#lastFailed;
  }

  get user(): string {
    return this.#user;
  }

  /** False while a secret form field is being typed: that line must not reach the history file. */
  get recordable(): boolean {
    return !this.#form?.queue[0]?.secret;
  }

  prompt(): string {
    const field = this.#form?.queue[0];
    if (field) return this.palette.bold(`${field.label}${field.required ? '' : ' (optional)'}> `);
    return this.palette.bold(`${this.#user}@coc> `);
  }

  private actor(): Actor {
    return { platform: 'shell', workspaceId: SHELL_WORKSPACE, userId: this.#user };
  }

  private nextInteraction(): string {
    return `shell-${process.pid}-${Date.now()}-${++this.#interaction}`;
  }

  /** Something the bot posted by itself; its buttons become the current choices. */
  receive(event: ShellEvent): string {
    const p = this.palette;
    const where = event.kind === 'notice' ? `for ${event.person.userId}` : event.posted.threadId ? `#${event.posted.channelId} › ${event.posted.threadId}` : `#${event.posted.channelId}`;
    const heading = event.kind === 'updated' ? `── updated (${where}, card ${event.posted.messageRef}) ──` : event.kind === 'posted' ? `── posted (${where}, card ${event.posted.messageRef}) ──` : `── ${where} ──`;
    const choices = choicesOf(event.message);
    if (choices.length && !this.#form && !this.#pendingConfirm) {
      this.#choices = choices;
      this.#postedWithChoices++;
    }
    return `${p.dim(heading)}\n${renderMessage(event.message, p)}${choices.length ? this.renderChoices(choices) : ''}`;
  }

  async handleLine(line: string): Promise<string> {
    this.#lastFailed = false;
    if (this.#form) return this.answerField(line);
    if (line.trim() === '' && !this.#pendingConfirm) return '';
    if (this.#pendingConfirm) {
      const choice = this.#pendingConfirm;
      this.#pendingConfirm = undefined;
      if (/^(y|yes)$/i.test(line)) return this.run({ kind: 'action', actor: this.actor(), place: SHELL_PLACE, actionId: choice.actionId, value: choice.value, interactionId: this.nextInteraction() });
      return this.palette.dim(`Not done: "${choice.label}" was not confirmed.\n`);
    }
    const as = /^\/?as(?:\s+(\S+))?$/.exec(line);
    if (as) {
      if (!as[1]) return `Acting as ${this.#user}. Switch with: /as <user>\n`;
      this.#user = as[1];
      return this.palette.dim(`Now acting as ${this.#user}.\n`);
    }
    if (/^\d+$/.test(line)) {
      const choice = this.#choices[Number(line) - 1];
      if (!choice) {
        return this.#choices.length
          ? this.palette.red(`There is no choice ${line}; pick 1 to ${this.#choices.length}.\n`)
          : this.palette.red('There is nothing to choose from; run a command first.\n');
      }
      if (choice.confirm) {
        this.#pendingConfirm = choice;
        return `${this.palette.bold(choice.confirm.title)}\n${choice.confirm.text}\n${choice.confirm.confirmLabel}? (y/N) `;
      }
      return this.run({ kind: 'action', actor: this.actor(), place: SHELL_PLACE, actionId: choice.actionId, value: choice.value, interactionId: this.nextInteraction() });
    }
    return this.run({ kind: 'command', actor: this.actor(), place: SHELL_PLACE, text: line, interactionId: this.nextInteraction() });
  }

  private async run(invocation: Invocation): Promise<string> {
    const posted = this.#postedWithChoices;
    const reply = await this.dispatcher.handle(invocation);
    this.#lastFailed = replyFailed(reply);
    return this.show(reply, this.#postedWithChoices !== posted);
  }

  /** `keepPosted`: a card with buttons was posted while this ran (an approval request); its buttons stay the choices if the reply has none. */
  private show(reply: Message, keepPosted = false): string {
    if (reply.form) return renderMessage(reply, this.palette) + this.openForm(reply.form);
    const own = choicesOf(reply);
    if (own.length || !keepPosted) this.#choices = own;
    return renderMessage(reply, this.palette) + this.renderChoices(own);
  }

  private openForm(form: Form, values: Record<string, string> = {}, only?: readonly string[]): string {
    const queue = form.fields.filter((field) => !only || only.includes(field.id));
    this.#form = { form, queue, values };
    this.#choices = [];
    return `${this.palette.bold(form.title)}\n${this.palette.dim('Answer each field; an empty line skips an optional one, "/cancel" closes the form.')}\n${this.describeField(queue[0])}`;
  }

  private describeField(field: FormField | undefined): string {
    if (!field) return '';
    const lines: string[] = [];
    if (field.hint) lines.push(this.palette.dim(field.hint));
    if (field.secret) lines.push(this.palette.dim('Sensitive: never shown in any reply, log or audit record, and kept out of the history file.'));
    if (field.options?.length) lines.push(this.palette.cyan(field.options.map((o, i) => `[${i + 1}] ${o.label}`).join('   ')));
    if (field.kind === 'multiselect') lines.push(this.palette.dim('Several: separate them with commas.'));
    if (field.initial && !field.secret) lines.push(this.palette.dim(`Empty line keeps: ${field.initial}`));
    return lines.length ? `${lines.join('\n')}\n` : '';
  }

  private async answerField(line: string): Promise<string> {
    const open = this.#form!;
    if (line === '/cancel') {
      this.#form = undefined;
      return this.palette.dim(`Closed "${open.form.title}"; nothing was submitted.\n`);
    }
    const field = open.queue[0]!;
    const answer = this.fieldValue(field, line);
    if (answer === undefined) return `${this.palette.red(`"${field.label}" needs a value.`)}\n${this.describeField(field)}`;
    if (answer !== '') open.values[field.id] = answer;
    else delete open.values[field.id];
    open.queue.shift();
    if (open.queue.length) return this.describeField(open.queue[0]);
    this.#form = undefined;
    const reply = await this.dispatcher.handle({
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
    return this.show(reply);
  }

  /** '' = left empty (allowed), undefined = required but missing. Numbers pick listed options. */
  private fieldValue(field: FormField, line: string): string | undefined {
    const typed = line.trim();
    if (typed === '') return field.initial && !field.secret ? field.initial : field.required ? undefined : '';
    if (!field.options?.length) return typed;
    const pick = (part: string) => (/^\d+$/.test(part) ? (field.options![Number(part) - 1]?.value ?? part) : part);
    return field.kind === 'multiselect' ? typed.split(',').map((part) => pick(part.trim())).filter(Boolean).join(',') : pick(typed);
  }

  private renderChoices(choices: readonly Choice[]): string {
    if (!choices.length) return '';
    const items = choices.map((choice, i) => `[${i + 1}] ${choice.label}`);
    return `${this.palette.cyan(items.join('   '))}\n${this.palette.dim('Type a number to choose.')}\n`;
  }
}

function choicesOf(message: Message): Choice[] {
  const buttons: Choice[] = (message.buttons ?? []).map((b) => ({ actionId: b.actionId, value: b.value, label: b.label, ...(b.confirm ? { confirm: b.confirm } : {}) }));
  const options: Choice[] = message.select
    ? message.select.options.map((o) => ({ actionId: message.select!.actionId, value: o.value, label: o.label }))
    : [];
  return [...buttons, ...options];
}
