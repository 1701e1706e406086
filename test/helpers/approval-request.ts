/** Previewing something whose preview offers Request approval, and pressing it: the preview, the answer and the request's id. */
import { expect } from 'vitest';
import type { Message } from '../../src/core/message.js';
import type { TestBot } from './bot.js';
import { click, command } from '../incident-helpers.js';

export const approvalIdOf = (message: Message): string | undefined => /approval ([0-9a-f-]{36})/.exec(message.footer ?? '')?.[1];

export async function requestThroughPreview(bot: TestBot, user: string, line: string, requestAction: string): Promise<{ preview: Message; requested: Message; id: string }> {
  const preview = await command(bot, user, line);
  const request = preview.buttons?.find((button) => button.actionId === requestAction);
  expect(request, JSON.stringify(preview)).toBeDefined();
  const requested = await click(bot, user, request!.actionId, request!.value);
  const id = approvalIdOf(requested);
  expect(id, JSON.stringify(requested)).toBeDefined();
  return { preview, requested, id: id! };
}
