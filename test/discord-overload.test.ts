/**
 * Overload is shed, never hoarded, on Discord: signed interactions into the real HTTP endpoint
 * with at most two taken in at a time, while COC holds every request until the test releases
 * it. The third is answered at once, privately, "busy, try again in n s" in the person's
 * language, counted, and nothing runs or is claimed for it; once the two are answered, the
 * next one runs. No timing: COC is held and released, and the commands defer at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordAdapter } from '../src/adapters/discord/adapter.js';
import type { Invocation } from '../src/core/invocation.js';
import { Metrics } from '../src/ops/metrics.js';
import type { TestBot } from './helpers/bot.js';
import { interactionOf, slash } from './helpers/discord-interactions.js';
import { originalOf, shedCount, startDiscordEndpointBot, type DiscordEndpointBot } from './helpers/discord-endpoint-bot.js';
import type { FakeDiscord } from './helpers/fake-discord.js';

interface Reply {
  type: number;
  data?: { flags?: number; content?: string };
}

let bot: TestBot;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
let post: DiscordEndpointBot<Reply>['post'];
let dispatched: Invocation[];
let claimed: string[];
let unexpected: unknown[];
let close: (() => Promise<void>) | undefined;
const metrics = new Metrics();

beforeAll(async () => {
  ({ bot, fake, adapter, post, dispatched, claimed, unexpected, close } = await startDiscordEndpointBot<Reply>({
    discord: { maxInFlight: 2 },
    // Deferred at once: what is measured is the bound, never a race with the head start.
    adapter: { metrics, ackBudgetMs: 0 },
  }));
});

afterAll(async () => {
  bot?.sim.releaseHeld();
  await close?.();
});

const shed = () => shedCount(metrics);

describe('Discord under overload', () => {
  it('answers busy at once past the bound, runs and claims nothing for it, and runs the next one once the work drained', async () => {
    bot.sim.faults.set('*', { kind: 'held' });
    const first = interactionOf(2, slash('hosts'));
    const second = interactionOf(2, slash('hosts'));
    const taken = await Promise.all([post(first), post(second)]);
    expect(taken.map((posted) => posted.reply.type)).toEqual([5, 5]);

    // The bound is full: the third is told at once, in its own language, and nothing is done for it.
    const third = interactionOf(2, slash('whoami'), undefined, { locale: 'zh-CN' });
    const busy = await post(third);
    expect(busy.status).toBe(200);
    expect(busy.reply.type).toBe(4);
    expect(busy.reply.data?.flags).toBe(64);
    // Nothing finished lately (COC holds everything): the longest honest wait.
    expect(busy.reply.data?.content).toContain('繁忙');
    expect(busy.reply.data?.content).toContain('60');
    expect(dispatched.map((invocation) => invocation.interactionId)).not.toContain(third.id);
    expect(claimed).not.toContain(`discord:interaction:${third.id}`);
    expect(await shed()).toBe(1);

    // English for an English speaker.
    const fourth = await post(interactionOf(2, slash('whoami')));
    expect(fourth.reply).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(fourth.reply.data?.content).toMatch(/^⏳ \*\*Busy: too many requests are waiting\. Try again in \d+ s\.\*\*/);
    expect(await shed()).toBe(2);

    // COC answers again: the two taken in are answered, and the bound frees up.
    bot.sim.faults.clear();
    bot.sim.releaseHeld();
    await Promise.all([fake.waitFor('PATCH', originalOf(first.token)), fake.waitFor('PATCH', originalOf(second.token))]);
    expect(await adapter.interactions.drain(60_000)).toEqual([]);

    const after = interactionOf(2, slash('whoami'));
    const answered = await post(after);
    // Answered in the initial response or after a deferral, whichever the machine's speed makes it.
    const answer = answered.reply.type === 4 ? answered.reply.data : (await fake.waitFor('PATCH', originalOf(after.token))).body;
    expect(JSON.stringify(answer)).toContain('alice');
    expect(JSON.stringify(answer)).not.toContain('Busy');
    expect(dispatched.map((invocation) => invocation.interactionId)).toContain(after.id);
    expect(claimed).toContain(`discord:interaction:${after.id}`);
    expect(await shed()).toBe(2);
    expect(unexpected).toEqual([]);
  });
});
