/**
 * A refusal in the reader's language: what was wrong and what is allowed. Thrown from anywhere
 * in a handler (small checking helpers instead of every handler's main line); the command's
 * `guarded` wrapper, or else the dispatcher, replies with it.
 */
import type { Message, Tone } from './message.js';

export class Refusal extends Error {
  readonly reply: Message;
  constructor(title: string, detail?: string, tone: Tone = 'danger') {
    super(title);
    this.name = 'Refusal';
    this.reply = { title, ...(detail ? { text: detail } : {}), tone };
  }
}

export function refuse(title: string, detail?: string): never {
  throw new Refusal(title, detail);
}
