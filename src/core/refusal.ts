/**
 * A refusal in the reader's language: what was wrong and what is allowed. Thrown from anywhere
 * in a handler (small checking helpers instead of every handler's main line); the dispatcher
 * replies with it and records it as a failure with its title as the reason, as it would a
 * returned danger-toned reply.
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

/** A refusal returned rather than thrown: seen only by the person refused. */
export function refusalReply(title: string, text: string): Message {
  return { title, text, tone: 'danger', private: true };
}
