/**
 * A card many people get at once is rendered once per language and sent as the same bytes
 * (src/adapters/discord/shared-renderings.ts) — and nothing of one person's answer reaches
 * another's: over signed HTTP interactions to the real endpoint, people looking at one order at
 * the same moment get byte-identical answers, each with an audit row of their own, while answers
 * made for one person (whoami) stay theirs. What is shared cannot be changed by whoever sends it,
 * and a rendering that failed is made again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, messageResponse, sharedRendering } from '../src/adapters/discord/shared-renderings.js';
import type { DiscordMessage } from '../src/adapters/discord/render.js';
import type { Message } from '../src/core/message.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { startDiscordEndpointBot, type DiscordEndpointBot } from './helpers/discord-endpoint-bot.js';
import { ALICE, BOB, CAROL, interactionOf, slash } from './helpers/discord-interactions.js';
import { simpleOrder } from './tracker-helpers.js';

interface Reply {
  readonly type: number;
  readonly data?: { readonly content?: string; readonly embeds?: unknown[]; readonly flags?: number };
}

let endpoint: DiscordEndpointBot<Reply>;

beforeAll(async () => {
  endpoint = await startDiscordEndpointBot<Reply>();
});
afterAll(() => endpoint?.close());

const plainMessage = (text: string): DiscordMessage => ({ content: text, embeds: [{ title: 'card', fields: [{ name: 'a', value: 'b' }] }], components: [], allowed_mentions: { parse: [] } });

describe('one rendering of a card many people get at once (Discord)', () => {
  it('answers everyone looking at one order at the same moment with the same bytes, and audits each of them', async () => {
    const uuid = await simpleOrder(endpoint.bot.sim, 2, 1);
    const before = (await listAuditEvents(endpoint.bot.store.db, { limit: 1000 })).filter((row) => row.command === 'order show').length;
    const people = [ALICE, BOB, CAROL, ALICE, BOB, CAROL, ALICE, BOB, CAROL, ALICE, BOB, CAROL];
    const answers = await Promise.all(people.map((user) => endpoint.post(interactionOf(2, slash('order show', [{ name: 'execute-uuid', type: 3, value: uuid }]), user))));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.reply.type).toBe(4);
    }
    const bodies = new Set(answers.map((answer) => JSON.stringify(answer.reply)));
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain(uuid);
    const rows = (await listAuditEvents(endpoint.bot.store.db, { limit: 1000 })).filter((row) => row.command === 'order show');
    expect(rows.length - before).toBe(people.length);
    expect(new Set(rows.slice(0, people.length).map((row) => row.chatUserId))).toEqual(new Set([ALICE, BOB, CAROL]));
    expect(endpoint.unexpected).toEqual([]);
  });

  it("keeps an answer made for one person theirs: at the same moment, each whoami names who asked", async () => {
    const people = [ALICE, BOB, CAROL, ALICE, BOB, CAROL];
    const answers = await Promise.all(people.map((user) => endpoint.post(interactionOf(2, slash('whoami'), user))));
    const iamUsers: Record<string, string> = { [ALICE]: 'alice', [BOB]: 'bob', [CAROL]: 'carol' };
    answers.forEach((answer, i) => {
      const text = JSON.stringify(answer.reply.data);
      const own = iamUsers[people[i]!]!;
      expect(text).toContain(own);
      for (const other of Object.values(iamUsers).filter((name) => name !== own)) expect(text).not.toContain(`\`${other}\``);
    });
  });
});

describe('sharedRendering', () => {
  it('renders one reply once per language, and what it shares cannot be changed', async () => {
    const reply: Message = { title: 'Order', text: 'running' };
    let renders = 0;
    const render = (text: string) => async () => {
      renders += 1;
      return [plainMessage(text)];
    };
    // Seen for the first time, a reply is rendered for that one answer (most are one person's).
    const once = await sharedRendering(reply, 'en-US', render('english'));
    expect(Object.isFrozen(once[0])).toBe(false);
    const [first, second] = await Promise.all([sharedRendering(reply, 'en-US', render('english')), sharedRendering(reply, 'en-US', render('english again'))]);
    expect(second).toBe(first);
    expect(renders).toBe(2);
    const chinese = await sharedRendering(reply, 'zh-CN', render('中文'));
    expect(chinese).not.toBe(first);
    expect(chinese[0]!.content).toBe('中文');
    expect(await sharedRendering(reply, 'zh-CN', render('中文 again'))).toBe(chinese);
    expect(renders).toBe(3);
    // Another reply object (another person's, or a newer snapshot's card) is rendered for itself.
    expect((await sharedRendering({ ...reply }, 'en-US', render('another')))[0]!.content).toBe('another');
    expect(() => {
      (first[0] as { content?: string }).content = 'changed';
    }).toThrow(TypeError);
    expect(() => (first[0]!.embeds[0]!.fields as unknown[]).push({ name: 'x', value: 'y' })).toThrow(TypeError);
    expect(first[0]!.content).toBe('english');
  });

  it('does not keep a rendering that failed: the next one renders again', async () => {
    const reply: Message = { title: 'Order' };
    await sharedRendering(reply, 'en-US', async () => [plainMessage('first')]);
    await expect(sharedRendering(reply, 'en-US', () => Promise.reject(new Error('component store unavailable')))).rejects.toThrow('unavailable');
    const again = await sharedRendering(reply, 'en-US', async () => [plainMessage('rendered')]);
    expect(again[0]!.content).toBe('rendered');
  });
});

describe('messageResponse and jsonOf', () => {
  it('shares the initial response and its JSON of a shared message, privately or not, and makes fresh ones of anything else', async () => {
    const reply: Message = { title: 'shared' };
    await sharedRendering(reply, 'en-US', async () => [plainMessage('shared')]);
    const [shared] = await sharedRendering(reply, 'en-US', async () => [plainMessage('shared')]);
    const plain = messageResponse(shared!, false);
    expect(messageResponse(shared!, false)).toBe(plain);
    const ephemeral = messageResponse(shared!, true);
    expect(ephemeral).not.toBe(plain);
    expect(JSON.parse(jsonOf(ephemeral))).toEqual({ type: 4, data: { ...JSON.parse(JSON.stringify(shared)), flags: 64 } });
    expect(JSON.parse(jsonOf(plain)).data.flags).toBeUndefined();
    expect(jsonOf(plain)).toBe(jsonOf(plain));

    const own = plainMessage('own');
    const response = messageResponse(own, false);
    expect(messageResponse(own, false)).not.toBe(response);
    const body = { type: 4, data: { content: 'before' } };
    expect(jsonOf(body)).toContain('before');
    body.data.content = 'after';
    expect(jsonOf(body)).toContain('after');
  });
});
