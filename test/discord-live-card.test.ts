/**
 * Live order cards in Discord, through the whole bot over signed HTTP interactions and the
 * fake Discord API, on the bot's fake clock: `/coc order watch` posts the card as a bot
 * message; polling rounds edit that message (never the interaction's token, which would die
 * after 15 minutes); the card's buttons reach the order; the summary is written once and who
 * asked gets a DM. The live runbook execution card the same way: `/coc runbook execution` posts
 * it, rounds edit it only when the execution moved, its Resume (through Discord's own
 * confirmation) reaches the execution, and its last edit comes once, without buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../src/adapters/discord/adapter.js';
import { decodeCustomId } from '../src/adapters/discord/custom-id.js';
import { Secret, type Config } from '../src/config.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { ALICE, APP, BOB, CHANNEL, customIdsOf, DISCORD_MAPPINGS, GUILD, interactionOf, postInteraction, slash, testKeys } from './helpers/discord-interactions.js';
import { messageProblems, type SentMessage } from './helpers/discord-limits.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';
import { waitFor } from './helpers/slack-bot.js';
import { FakeClock, pausingOrder, simpleOrder } from './tracker-helpers.js';

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

async function round(advanceMs = 1000): Promise<void> {
  clock.advance(advanceMs);
  await bot.core.tracker.tick();
}

const post = (body: unknown) => postInteraction<Reply>(adapter.endpoint!.url, keys.privateKey, body);

/** `/coc order watch <uuid>` as alice; returns the id of the card message it posted. */
async function watch(uuid: string): Promise<string> {
  const before = new Set(fake.messages.keys());
  const { reply } = await post(interactionOf(2, slash('order watch', [{ name: 'execute-uuid', type: 3, value: uuid }]), ALICE));
  expect([4, 5]).toContain(reply.type);
  const card = [...fake.messages.entries()].find(([id, message]) => !before.has(id) && message.channelId === CHANNEL && JSON.stringify(message.body).includes(uuid));
  expect(card, 'the card was posted as a bot message').toBeDefined();
  return card![0];
}

describe('live order cards in Discord', () => {
  it('edits the card message as the order runs, then writes the summary once and DMs who asked', async () => {
    const uuid = await simpleOrder(bot.sim, 4, 1);
    const id = await watch(uuid);
    for (let i = 0; i < 20; i++) {
      bot.sim.tick(1);
      await round(1000);
    }
    for (let i = 0; i < 4; i++) await round(3000);
    const edits = fake.callsTo('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/${id}$`));
    expect(edits.length).toBeGreaterThan(1);
    for (const edit of edits) expect(messageProblems(edit.body as SentMessage)).toEqual([]);
    // Edited with the bot token, never through an interaction's webhook token.
    expect(edits.every((edit) => edit.authorization === 'Bot MTIz.cards.token')).toBe(true);
    const card = fake.messages.get(id)!.body;
    expect(JSON.stringify(card)).toContain('finished');
    expect(card.components ?? []).toEqual([]);
    expect(edits.filter((edit) => JSON.stringify(edit.body).includes('finished'))).toHaveLength(1);
    const dms = fake.callsTo('POST', new RegExp(`^/channels/dm-${ALICE}/messages$`));
    expect(dms.filter((dm) => JSON.stringify(dm.body).includes(uuid))).toHaveLength(1);
  });

  it("offers the card's buttons, and a click on them reaches the order", async () => {
    const uuid = await pausingOrder(bot.sim);
    const id = await watch(uuid);
    bot.sim.tick(2);
    await round(3000);
    const card = fake.messages.get(id)!.body;
    expect(JSON.stringify(card)).toContain('Paused');
    const resume = customIdsOf(card).find((customId) => {
      const decoded = decodeCustomId(customId);
      return decoded.kind === 'action' && decoded.actionId === 'order:continue' && decoded.value === uuid;
    });
    expect(resume).toBeDefined();
    const { reply } = await post(interactionOf(3, { custom_id: resume, component_type: 2 }, BOB, { message: { id } }));
    expect(reply.type).toBe(4);
    await round(3000);
    expect(JSON.stringify(fake.messages.get(id)!.body)).toContain('Running batch 2 of 3');
  });

});

/** A polling round of the runbook execution cards, `ms` later on the bot's clock and the simulator's. */
async function executionRound(ms: number): Promise<void> {
  clock.advance(ms);
  bot.sim.advanceClock(ms);
  await bot.core.executions.tick();
}

const bodyOf = (id: string) => JSON.stringify(fake.messages.get(id)!.body);

describe('live runbook execution cards in Discord', () => {
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

    for (let i = 0; i < 3; i++) await executionRound(1000);
    expect(edits()).toBe(0);
    await executionRound(8000);
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
    await executionRound(3000);
    expect(bodyOf(id)).toContain(`Runbook execution ${execution}: running`);

    for (let i = 0; i < 6; i++) await executionRound(5000);
    expect(bodyOf(id)).toContain(`Runbook execution ${execution}: finished`);
    expect(customIdsOf(fake.messages.get(id)!.body)).toEqual([]);
    const count = edits();
    await executionRound(5000);
    expect(edits()).toBe(count);
  });

  it('reported nothing unexpected', () => {
    expect(unexpected).toEqual([]);
  });
});
