/**
 * The live runbook execution card in Discord, through the whole bot over signed HTTP interactions
 * and the fake Discord API, on the bot's fake clock (the simulator's moved along):
 * `/coc runbook execution` posts the card as a bot message; rounds edit that message (never the
 * interaction's token) only when the execution moved; paused, its Resume button reaches the
 * execution; finished, its last edit carries no buttons and nothing is edited after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../src/adapters/discord/adapter.js';
import { decodeCustomId } from '../src/adapters/discord/custom-id.js';
import { Secret, type Config } from '../src/config.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { ALICE, APP, CHANNEL, customIdsOf, DISCORD_MAPPINGS, GUILD, interactionOf, postInteraction, slash, testKeys } from './helpers/discord-interactions.js';
import type { SentMessage } from './helpers/discord-limits.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';
import { waitFor } from './helpers/slack-bot.js';
import { FakeClock } from './tracker-helpers.js';

interface Reply {
  type: number;
  data?: SentMessage & { flags?: number };
}

let bot: TestBot;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
const clock = new FakeClock();
const keys = testKeys();
const unexpected: unknown[] = [];

beforeAll(async () => {
  bot = await makeTestBot({ mappings: DISCORD_MAPPINGS, now: clock.now });
  fake = await startFakeDiscord();
  const config = {
    ...bot.config,
    discord: { ...bot.config.discord, botToken: new Secret('MTIz.cards.token'), applicationId: APP, publicKey: keys.publicKeyHex, mode: 'http', guildId: GUILD, apiUrl: fake.api },
  } as Config;
  adapter = await startDiscordAdapter({ config, dispatcher: bot.dispatcher, registry: bot.core.registry, db: bot.store.db, port: 0, host: '127.0.0.1', onUnexpected: (error) => unexpected.push(error) });
  bot.core.chat.register(adapter.surface);
});

afterAll(async () => {
  await adapter?.close();
  await bot?.close();
  await fake?.close();
});

async function round(ms: number): Promise<void> {
  clock.advance(ms);
  bot.sim.advanceClock(ms);
  await bot.core.executions.tick();
}

const post = (body: unknown) => postInteraction<Reply>(adapter.endpoint!.url, keys.privateKey, body);
const bodyOf = (id: string) => JSON.stringify(fake.messages.get(id)!.body);

describe('the live runbook execution card in Discord', () => {
  it('posts the card as a bot message, edits it as the steps move, takes a Resume click and ends with one last edit', async () => {
    const board = runbooksOf(bot.sim.world);
    const execution = board.execute(board.document('DOC-restart-web-service')!, [{ key: 'service', value: 'nginx' }], 'alice', '').executionId;
    const before = new Set(fake.messages.keys());
    const { reply } = await post(interactionOf(2, slash('runbook execution', [{ name: 'id', type: 3, value: execution }]), ALICE));
    expect([4, 5]).toContain(reply.type);
    const card = [...fake.messages.entries()].find(([id, message]) => !before.has(id) && message.channelId === CHANNEL && JSON.stringify(message.body).includes(`Runbook execution ${execution}`));
    expect(card, 'the card was posted as a bot message').toBeDefined();
    const id = card![0];
    const edits = () => fake.calls.filter((call) => call.method === 'PATCH' && call.path.endsWith(`/messages/${id}`)).length;

    for (let i = 0; i < 3; i++) await round(1000);
    expect(edits()).toBe(0);
    await round(8000);
    expect(edits()).toBe(1);
    expect(bodyOf(id)).toContain(`Runbook execution ${execution}: paused`);
    // Discord has no confirm dialog: Resume asks first, privately, then its real button resumes.
    const resume = customIdsOf(fake.messages.get(id)!.body).find((customId) => decodeCustomId(customId).kind === 'confirm');
    expect(resume).toBeDefined();
    const question = await post(interactionOf(3, { custom_id: resume, component_type: 2 }, ALICE, { message: { id } }));
    expect(JSON.stringify(question.reply)).toContain(`Resume execution ${execution}?`);
    const [yes] = customIdsOf(question.reply.data);
    await post(interactionOf(3, { custom_id: yes, component_type: 2 }, ALICE, { message: { id: '1500000000000000009', channel_id: CHANNEL, flags: 64, components: question.reply.data!.components } }));
    await waitFor(() => board.execution(execution)!.operations.length > 0, 'the resume');
    expect(board.execution(execution)!.operations.map((operation) => operation.type)).toEqual(['RESUME']);
    await round(3000);
    expect(bodyOf(id)).toContain(`Runbook execution ${execution}: running`);

    for (let i = 0; i < 6; i++) await round(5000);
    expect(bodyOf(id)).toContain(`Runbook execution ${execution}: finished`);
    expect(customIdsOf(fake.messages.get(id)!.body)).toEqual([]);
    const count = edits();
    await round(5000);
    expect(edits()).toBe(count);
  });

  it('reported nothing unexpected', () => {
    expect(unexpected).toEqual([]);
  });
});
