/**
 * One terminal conversation: who is acting (`/as bob` switches), the buttons and select
 * options of the last reply (typed back as their numbers), and a yes/no for confirmations.
 */
import type { Dispatcher } from '../../core/dispatcher.js';
import type { Actor, Invocation, Place } from '../../core/invocation.js';
import type { Button, Message } from '../../core/message.js';
import { SHELL_WORKSPACE } from '../../identity/demo.js';
import type { Palette } from './ansi.js';
import { renderMessage } from './render.js';

/** The terminal is one channel; it is not a direct message (others may watch the screen). */
export const SHELL_PLACE: Place = { channelId: 'terminal', isDirect: false };

interface Choice {
  readonly actionId: string;
  readonly value: string;
  readonly label: string;
  readonly confirm?: Button['confirm'];
}

export class ShellSession {
  #user: string;
  #choices: Choice[] = [];
  #pendingConfirm: Choice | undefined;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly palette: Palette,
    initialUser: string,
  ) {
    this.#user = initialUser;
  }

  get user(): string {
    return this.#user;
  }

  prompt(): string {
    return this.palette.bold(`${this.#user}@coc> `);
  }

  private actor(): Actor {
    return { platform: 'shell', workspaceId: SHELL_WORKSPACE, userId: this.#user };
  }

  async handleLine(line: string): Promise<string> {
    if (this.#pendingConfirm) {
      const choice = this.#pendingConfirm;
      this.#pendingConfirm = undefined;
      if (/^(y|yes)$/i.test(line)) return this.run({ kind: 'action', actor: this.actor(), place: SHELL_PLACE, actionId: choice.actionId, value: choice.value });
      return this.palette.dim(`Not done: "${choice.label}" was not confirmed.\n`);
    }
    const as = /^\/?as(?:\s+(\S+))?$/.exec(line);
    if (as) {
      if (!as[1]) return `Acting as ${this.#user}. Switch with: /as <user>\n`;
      this.#user = as[1];
      this.#choices = [];
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
      return this.run({ kind: 'action', actor: this.actor(), place: SHELL_PLACE, actionId: choice.actionId, value: choice.value });
    }
    return this.run({ kind: 'command', actor: this.actor(), place: SHELL_PLACE, text: line });
  }

  private async run(invocation: Invocation): Promise<string> {
    const reply = await this.dispatcher.handle(invocation);
    this.#choices = choicesOf(reply);
    return renderMessage(reply, this.palette) + this.renderChoices();
  }

  private renderChoices(): string {
    if (!this.#choices.length) return '';
    const items = this.#choices.map((choice, i) => `[${i + 1}] ${choice.label}`);
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
