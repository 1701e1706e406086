/**
 * Typing and clicking in-process as terminal users of a test bot: the command line or the button
 * a person would give, answered as the dispatcher answers it.
 */
import type { Message } from '../../src/core/message.js';
import type { TestBot } from './bot.js';

const PLACE = { channelId: 'terminal', isDirect: false } as const;

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });

/** `bot` is read at each call: the test may make its bot after building the driver. */
export function terminalDriver(bot: () => TestBot) {
  return {
    say: (user: string, text: string): Promise<Message> => bot().handle({ kind: 'command', actor: actor(user), place: PLACE, text }),
    click: (user: string, actionId: string, value: string): Promise<Message> => bot().handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value }),
  };
}

/** The value of the button with `actionId` on `message` (a failure naming the buttons there when none). */
export function buttonOf(message: Message, actionId: string): string {
  const found = message.buttons?.find((b) => b.actionId === actionId);
  if (!found) throw new Error(`no ${actionId} on "${message.title}": ${JSON.stringify(message.buttons)}`);
  return found.value;
}

/** Title, text and footer as one text. */
export const textOf = (message: Message): string => [message.title, message.text, message.footer].filter(Boolean).join('\n');
