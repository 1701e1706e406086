/**
 * Overload is shed on Discord also when the process is running behind (its event loop held up,
 * on a loaded machine, before the bound on work taken in is reached): signed interactions into
 * the real HTTP endpoint while the process says it is behind are answered at once, privately,
 * "busy, try again", counted, and nothing runs or is claimed for them; once it has caught up
 * they run. No timing: "behind" is the test's switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/invocation.js';
import { Metrics } from '../src/ops/metrics.js';
import { interactionOf, slash } from './helpers/discord-interactions.js';
import { originalOf, shedCount, startDiscordEndpointBot, type DiscordEndpointBot } from './helpers/discord-endpoint-bot.js';
import type { FakeDiscord } from './helpers/fake-discord.js';

interface Reply {
  type: number;
  data?: { flags?: number; content?: string };
}

let fake: FakeDiscord;
let post: DiscordEndpointBot<Reply>['post'];
let dispatched: Invocation[];
let claimed: string[];
let unexpected: unknown[];
let close: (() => Promise<void>) | undefined;
const metrics = new Metrics();
let behind = false;

beforeAll(async () => {
  ({ fake, post, dispatched, claimed, unexpected, close } = await startDiscordEndpointBot<Reply>({
    // Deferred at once: what is measured is the bound, never a race with the head start.
    adapter: { metrics, ackBudgetMs: 0, behind: () => behind },
  }));
});

afterAll(() => close?.());

const shed = () => shedCount(metrics);

describe('Discord when the process is running behind', () => {
  it('answers busy at once, runs and claims nothing, and runs interactions again once caught up', async () => {
    behind = true;
    const late = interactionOf(2, slash('whoami'));
    const busy = await post(late);
    expect(busy.status).toBe(200);
    expect(busy.reply).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(busy.reply.data?.content).toMatch(/^⏳ \*\*Busy: too many requests are waiting\. Try again in \d+ s\.\*\*/);
    expect(dispatched.map((invocation) => invocation.interactionId)).not.toContain(late.id);
    expect(claimed).not.toContain(`discord:interaction:${late.id}`);
    expect(await shed()).toBe(1);

    behind = false;
    const after = interactionOf(2, slash('whoami'));
    const answered = await post(after);
    const answer = answered.reply.type === 4 ? answered.reply.data : (await fake.waitFor('PATCH', originalOf(after.token))).body;
    expect(JSON.stringify(answer)).toContain('alice');
    expect(dispatched.map((invocation) => invocation.interactionId)).toContain(after.id);
    expect(claimed).toContain(`discord:interaction:${after.id}`);
    expect(await shed()).toBe(1);
    expect(unexpected).toEqual([]);
  });
});
