/**
 * Driving `scripts create|edit|delete` requests in-process, as the terminal would: a person types
 * a line (a file argument is a path in a folder of the test's own) or clicks a card's button; the
 * reply is read as one text, and the request's id from its footer.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathFileReader } from '../../src/adapters/shell/file-reader.js';
import type { Message } from '../../src/core/message.js';
import type { TestBot } from './bot.js';

const PLACE = { channelId: 'terminal', isDirect: false } as const;

export function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}

/** A message as one text: title, text, fields, sections, button labels and footer. */
export function text(message: Message): string {
  return [
    message.title,
    message.text,
    ...(message.fields ?? []).map((f) => `${f.label} ${f.value}`),
    ...(message.sections ?? []).flatMap((s) => [s.title, s.text]),
    ...(message.buttons ?? []).map((b) => b.label),
    message.footer,
  ]
    .filter(Boolean)
    .join('\n');
}

export function approvalIdOf(reply: Message): string {
  const id = /approval ([0-9a-f-]{36})/.exec(reply.footer ?? '')?.[1];
  if (!id) throw new Error(`no approval id in "${reply.title}": ${text(reply)}`);
  return id;
}

/** Typing and clicking as people of `bot()` (read when called: the test may make its bot later). */
export function scriptChangeDriver(bot: () => TestBot, folderPrefix: string) {
  const dir = mkdtempSync(join(tmpdir(), folderPrefix));
  return {
    dir,
    /** A file in the test's folder, by its path. */
    file(name: string, content: string): string {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    // The terminal reads a file argument as a path.
    say: (user: string, line: string) => bot().handle({ kind: 'command', actor: actor(user), place: PLACE, text: line, files: pathFileReader(dir) }),
    click: (user: string, actionId: string, value: string) => bot().handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value }),
  };
}
