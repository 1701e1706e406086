/**
 * A file argument on Discord: registered as an ATTACHMENT option, read from the interaction's
 * `resolved.attachments`, its size and content type checked before the download, downloaded
 * only from the attachment hosts (the fake Discord's CDN here), through the real dispatcher.
 * Every attachment that cannot be taken is refused in chat, and the handler never runs.
 */
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCommands, rootJson } from '../src/adapters/discord/command-map.js';
import { commandProblems } from '../src/adapters/discord/command-limits.js';
import { ComponentState } from '../src/adapters/discord/component-state.js';
import type { Interaction } from '../src/adapters/discord/interaction-schema.js';
import { DiscordInteractions, type Respond } from '../src/adapters/discord/interactions.js';
import { DiscordSurface } from '../src/adapters/discord/surface.js';
import type { FileText } from '../src/core/arguments/index.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { Registry } from '../src/core/registry.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { FILE_PROBE_MAX, fileProbeCommand } from './helpers/file-probe.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { startFakeDiscord, type FakeAttachment, type FakeDiscord } from './helpers/fake-discord.js';
import { APP, DISCORD_MAPPINGS, interactionOf, slash } from './helpers/discord-interactions.js';

const MAX = FILE_PROBE_MAX;
const received: FileText[] = [];

const fileProbe = fileProbeCommand('<attachment>', received);

const plan = planCommands({ commands: [fileProbe], suggestion: () => undefined });

let bot: TestBot;
let fake: FakeDiscord;
let handler: DiscordInteractions;
beforeAll(async () => {
  bot = await makeTestBot({ mappings: DISCORD_MAPPINGS });
  fake = await startFakeDiscord();
  const rest = new REST({ api: fake.api }).setToken('MTIz.fake.token');
  const state = new ComponentState(bot.store.db);
  const dispatcher = new Dispatcher(new Registry([fileProbe], [], {}), bot.services, (error) => {
    throw error instanceof Error ? error : new Error(String(error));
  });
  // A budget no download here comes near: every answer is the initial response.
  handler = new DiscordInteractions({ dispatcher, rest, applicationId: APP, state, plan, surface: new DiscordSurface({ rest, state, locale: 'en-US' }), ackBudgetMs: 60_000, attachmentOrigins: [fake.cdn] });
});
afterAll(async () => {
  await fake.close();
  await bot.close();
});

/** `/coc file-probe` with `attachment` as its content option (and in resolved, unless `resolved` says otherwise); the answer as one string. */
async function send(attachment: Pick<FakeAttachment, 'id'> & Partial<FakeAttachment>, resolved: readonly Partial<FakeAttachment>[] = [attachment]): Promise<string> {
  const data = { ...slash('file-probe', [{ name: 'content', type: 11, value: attachment.id }]), resolved: { attachments: Object.fromEntries(resolved.map((a) => [a.id, a])) } };
  const responses: Parameters<Respond>[0][] = [];
  await handler.handle(interactionOf(2, data) as Interaction, async (body) => {
    responses.push(body);
  });
  expect(responses).toHaveLength(1);
  expect(responses[0]).toMatchObject({ type: 4 });
  return JSON.stringify(responses[0]);
}

const ALLOWED = 'Allowed: UTF-8 text, at most 0.1 KB.';

describe('a Discord attachment as a file argument', () => {
  it('is registered as an ATTACHMENT option', () => {
    const json = rootJson(plan) as { options: { name: string; options?: { name: string; type: number; required?: boolean }[] }[] };
    expect(json.options.find((sub) => sub.name === 'file-probe')!.options).toEqual([expect.objectContaining({ name: 'content', type: 11, required: true })]);
    expect(commandProblems(rootJson(plan))).toEqual([]);
  });

  it('hands the handler the attachment text, downloaded from the attachment host; the audit keeps no content', async () => {
    const attachment = fake.addAttachment({ filename: 'deploy.sh', content: '#!/bin/sh\necho from discord\n', contentType: 'application/x-sh' });
    const answer = await send(attachment);
    expect(answer).toContain('Read deploy.sh');
    expect(received.at(-1)).toMatchObject({ text: '#!/bin/sh\necho from discord\n', name: 'deploy.sh', bytes: 28 });
    expect(fake.attachmentDownloads.filter((download) => download.id === attachment.id)).toEqual([{ id: attachment.id, status: 200 }]);
    const [row] = (await listAuditEvents(bot.store.db, { limit: 5 })).filter((event) => event.command === 'file-probe');
    expect(row!.maskedParameters).toEqual({ content: { name: 'deploy.sh', bytes: 28, sha256: received.at(-1)!.sha256 } });
  });

  it.each([
    ['too big, said by Discord', { filename: 'big.sh', content: 'x'.repeat(MAX + 1), contentType: 'text/plain' }, 'big.sh is larger than 0.1 KB (65 bytes; at most 64).', false],
    ['too big, found while downloading', { filename: 'grown.sh', content: 'x'.repeat(MAX * 4), contentType: 'text/plain', reportedSize: 10 }, 'grown.sh is larger than 0.1 KB', true],
    ['an image', { filename: 'cat.png', content: 'not really a png', contentType: 'image/png' }, 'cat.png is not a text file (only UTF-8 text is taken).', false],
    ['binary with an unknown type', { filename: 'tool.bat', content: Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0]) }, 'tool.bat is not a text file (only UTF-8 text is taken).', true],
  ])('refuses %s in chat, and the handler never runs', async (_, spec, says, downloaded) => {
    const before = received.length;
    const attachment = fake.addAttachment(spec);
    const answer = await send(attachment);
    expect(answer).toContain('--content: the file cannot be used');
    expect(answer).toContain(says);
    expect(answer).toContain(ALLOWED);
    expect(received.length).toBe(before);
    expect(fake.attachmentDownloads.some((download) => download.id === attachment.id)).toBe(downloaded);
  });

  it('never downloads from another host', async () => {
    const before = received.length;
    const attachment = fake.addAttachment({ filename: 'evil.sh', content: 'echo evil\n', contentType: 'text/plain' });
    const answer = await send({ ...attachment, url: 'https://evil.example.com/attachments/1/2/evil.sh' });
    expect(answer).toContain('evil.sh is not stored on 127.0.0.1');
    expect(received.length).toBe(before);
    expect(fake.attachmentDownloads.some((download) => download.id === attachment.id)).toBe(false);
  });

  it('refuses an attachment that is not part of this interaction, and a link the CDN no longer serves', async () => {
    const attachment = fake.addAttachment({ filename: 'other.sh', content: 'echo other\n', contentType: 'text/plain' });
    expect(await send(attachment, [])).toContain(`\\"${attachment.id}\\" does not name a file here. Attach the file to the command.`);
    const stale = await send({ ...attachment, url: attachment.url.replace(/hm=[0-9a-f]+/, 'hm=0000') });
    expect(stale).toContain('other.sh could not be fetched now (the download answered HTTP 404)');
  });
});
