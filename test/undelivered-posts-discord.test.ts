/**
 * Posts the bot makes on its own are never silent in Discord, driven through signed HTTP
 * interactions against the fake Discord API, which refuses channel messages as Discord does:
 * 403 50001 "Missing Access" (the bot cannot see the channel), 404 10003 "Unknown Channel",
 * 403 50013 "Missing Permissions", 403 50007 for a person who takes no DMs, 429 with
 * Retry-After (waited out by discord.js's REST queue).
 *
 *  - A HIGH run requested where the bot cannot post: the request goes to the approver by DM and
 *    the requester is told so; when the approver takes no DMs either, it reached nobody: the
 *    requester is told and the request is void.
 *  - A LOW run whose live card cannot be posted: the requester is told once by DM, the card is
 *    not tried again, and the order completes in the simulator.
 *  - A 429 is retried and nobody is told.
 *  - coc_chatops_undelivered_posts_total counts each undelivered post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../src/adapters/discord/adapter.js';
import { decodeCustomId } from '../src/adapters/discord/custom-id.js';
import { Secret, type Config } from '../src/config.js';
import { getApproval } from '../src/store/approvals.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { ALICE, APP, BOB, CHANNEL, customIdsOf, DISCORD_MAPPINGS, GUILD, interactionOf, postInteraction, slash, testKeys } from './helpers/discord-interactions.js';
import type { SentMessage } from './helpers/discord-limits.js';
import { startFakeDiscord, type FakeCall, type FakeDiscord } from './helpers/fake-discord.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { FakeClock } from './tracker-helpers.js';

/** The bot cannot see it (403 50001). */
const HIDDEN = '920000000000000011';
/** Deleted (404 10003). */
const GONE = '920000000000000012';
/** The bot may see it but not post (403 50013). */
const READ_ONLY = '920000000000000013';
const SECRET = 'Undelivered_S3cret';

interface Reply {
  type: number;
  data?: SentMessage & { flags?: number; components?: unknown[] };
}

let bot: TestBot;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
// Approvals are created with the database's own time: the bot's clock starts now.
const clock = new FakeClock();
clock.ms = Date.now();
const keys = testKeys();

beforeAll(async () => {
  bot = await makeTestBot({ mappings: DISCORD_MAPPINGS, now: clock.now });
  fake = await startFakeDiscord();
  fake.refuseChannel(HIDDEN, 'missing-access');
  fake.refuseChannel(GONE, 'unknown-channel');
  fake.refuseChannel(READ_ONLY, 'missing-permissions');
  const config = {
    ...bot.config,
    discord: { ...bot.config.discord, botToken: new Secret('MTIz.undelivered.token'), applicationId: APP, publicKey: keys.publicKeyHex, mode: 'http', guildId: GUILD, apiUrl: fake.api },
  } as Config;
  adapter = await startDiscordAdapter({ config, dispatcher: bot.dispatcher, registry: bot.core.registry, db: bot.store.db, port: 0, host: '127.0.0.1' });
  bot.core.chat.register(adapter.surface);
});

afterAll(async () => {
  await adapter?.close();
  await bot?.close();
  await fake?.close();
});

/** What a message says, as JSON text without Discord's markdown escapes (rotate\\_db → rotate_db). */
function textOf(value: unknown): string {
  return JSON.stringify(value).replaceAll('\\\\', '');
}

/** Sends an interaction and returns what the person sees: the initial response's message, or what replaced the deferral. */
async function send(interaction: ReturnType<typeof interactionOf>): Promise<Reply> {
  const { status, reply } = await postInteraction<Reply>(adapter.endpoint!.url, keys.privateKey, interaction);
  expect(status).toBe(200);
  if (reply.type !== 5 && reply.type !== 6) return reply;
  const path = new RegExp(`^/webhooks/${APP}/${interaction.token}(/messages/@original)?$`);
  const answer = await Promise.race([fake.waitFor('PATCH', path), fake.waitFor('POST', path)]);
  return { type: 4, data: answer.body as Reply['data'] };
}

function inChannel(channelId: string): Record<string, unknown> {
  return { channel: { id: channelId, type: 0 }, channel_id: channelId };
}

function runGo(message: { components?: unknown } | undefined): string {
  const id = customIdsOf(message).find((customId) => {
    const decoded = decodeCustomId(customId);
    return decoded.kind === 'action' && decoded.actionId === 'run:go';
  });
  if (!id) throw new Error(`no run:go button in ${textOf(message)}`);
  return id;
}

/**
 * Everything the person saw in answer to an interaction: its initial response and whatever was
 * sent with its token afterwards (the clicked card updated in place, a follow-up), once it says
 * what `expected` looks for.
 */
async function answerTo(interaction: ReturnType<typeof interactionOf>, expected: RegExp): Promise<Reply> {
  const { status, reply } = await postInteraction<Reply>(adapter.endpoint!.url, keys.privateKey, interaction);
  expect(status).toBe(200);
  const path = new RegExp(`^/webhooks/${APP}/${interaction.token}(/messages/@original)?$`);
  const started = Date.now();
  for (;;) {
    const answers = [reply.data, ...fake.calls.filter((call) => path.test(call.path) && call.method !== 'DELETE').map((call) => call.body)].filter(Boolean) as NonNullable<Reply['data']>[];
    const found = answers.find((answer) => expected.test(textOf(answer)));
    if (found) return { type: 4, data: found };
    if (Date.now() - started > 15_000) throw new Error(`no answer matching ${expected} to the interaction; got ${textOf(answers)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `/coc run …` as alice in a channel, then the preview's Run / Request approval; the answer to the click that says `expected`. */
async function runThroughPreview(options: Parameters<typeof slash>[1], channelId: string, expected: RegExp): Promise<Reply> {
  const preview = await send(interactionOf(2, slash('run', options), ALICE, inChannel(channelId)));
  return answerTo(interactionOf(3, { custom_id: runGo(preview.data), component_type: 2 }, ALICE, inChannel(channelId)), expected);
}

const HIGH = [
  { name: 'script', type: 3, value: 'rotate_db_password' },
  { name: 'tag', type: 3, value: 'role=db' },
  { name: 'param', type: 3, value: `db_user=app new_password=${SECRET}` },
  { name: 'batch-size', type: 4, value: 3 },
];
const LOW = [
  { name: 'script', type: 3, value: 'disk_usage' },
  { name: 'hosts', type: 3, value: 'web-01' },
];

function postsTo(channelId: string, since = 0): FakeCall[] {
  return fake.calls.slice(since).filter((call) => call.method === 'POST' && call.path === `/channels/${channelId}/messages`);
}

function approvalIdOf(reply: Reply): string {
  const id = /approval ([0-9a-f-]{36})/.exec(textOf(reply.data))?.[1];
  if (!id) throw new Error(`no approval id in ${textOf(reply.data)}`);
  return id;
}

async function undelivered(reason: string): Promise<number> {
  const families = parsePrometheusText((await bot.services.metrics.exposition()).body);
  return sampleValue(families, 'coc_chatops_undelivered_posts_total', { platform: 'discord', reason }) ?? 0;
}

async function round(advanceMs: number): Promise<void> {
  clock.advance(advanceMs);
  await bot.core.tracker.tick();
}

describe('undelivered posts in Discord', () => {
  it('sends a request refused with Missing Access to the approver by DM and tells the requester where it went', async () => {
    const since = fake.calls.length;
    const answer = await runThroughPreview(HIGH, HIDDEN, /Approval request/);
    const said = textOf(answer.data);
    expect(said).toContain('Approval requested by direct message');
    expect(said).toContain(`the bot cannot see #${HIDDEN}: give its role View Channel and Send Messages there`);
    expect(said).toContain('sent to 1 approver by direct message');
    expect(postsTo(HIDDEN, since)).toHaveLength(1);
    const dms = postsTo(`dm-${BOB}`, since);
    expect(dms).toHaveLength(1);
    const id = approvalIdOf(answer);
    expect(textOf(dms[0]!.body)).toContain('rotate_db_password');
    expect(textOf(dms[0]!.body)).toContain(`approval show ${id}`);
    expect(textOf(dms[0]!.body)).not.toContain(SECRET);
    expect(postsTo(`dm-${ALICE}`, since)).toEqual([]);
    expect((await getApproval(bot.store.db, id))?.state).toBe('requested');
    expect(await undelivered('not-in-channel')).toBe(1);
  });

  it('voids a request that reached nobody (Unknown Channel, and the approver takes no DMs) and says so', async () => {
    fake.refuseDms(BOB);
    const answer = await runThroughPreview(HIGH, GONE, /Approval request/);
    const said = textOf(answer.data);
    expect(said).toContain('Approval request not sent: it reached no approver');
    expect(said).toContain(`#${GONE} no longer exists`);
    expect(said).toContain('Sending it by direct message failed too (1 approver tried)');
    expect(said).not.toContain('waits for an approver');
    const id = approvalIdOf(answer);
    expect((await getApproval(bot.store.db, id))?.state).toBe('void');
    const plan = await bot.store.db.query<{ state: string }>(`SELECT state FROM run_plans WHERE approval_id = $1`, [id]);
    expect(plan.rows[0]?.state).toBe('canceled');
    expect(await undelivered('channel-not-found')).toBe(1);
    // The DM Discord refused (50007) is an undelivered post as well.
    expect(await undelivered('no-permission')).toBe(1);
  });

  it('tells the requester once by DM when a live card is refused with Missing Permissions, and the order still completes', async () => {
    const since = fake.calls.length;
    const answer = await runThroughPreview(LOW, READ_ONLY, /SCT\w+/);
    const uuid = /(SCT\w+)/.exec(textOf(answer.data))?.[1];
    expect(uuid).toBeDefined();
    expect(textOf(answer.data)).toContain('its live card could not be posted here');
    for (let i = 0; i < 30 && bot.sim.world.orders.get(uuid!)?.status !== 'FINISHED'; i++) {
      bot.sim.tick(1);
      await round(3000);
    }
    for (let i = 0; i < 5; i++) await round(3000);
    expect(bot.sim.world.orders.get(uuid!)?.status).toBe('FINISHED');

    // One refused post, never tried again.
    const cards = postsTo(READ_ONLY, since).filter((call) => textOf(call.body).includes(uuid!));
    expect(cards).toHaveLength(1);
    const told = postsTo(`dm-${ALICE}`, since).filter((call) => textOf(call.body).includes(`live card of order ${uuid} could not be posted`));
    expect(told).toHaveLength(1);
    expect(textOf(told[0]!.body)).toContain(`the bot may not post in #${READ_ONLY}: give its role Send Messages`);
    expect(textOf(told[0]!.body)).toMatch(new RegExp(`order ${uuid}\\W+ shows how it is doing`));
    expect(await undelivered('no-permission')).toBe(2);
  });

  it('retries a 429 (discord.js waits out Retry-After): the card arrives, nobody is told, nothing is counted', async () => {
    const since = fake.calls.length;
    const total = async () => (await Promise.all(['not-in-channel', 'channel-not-found', 'no-permission', 'rate-limited', 'other'].map(undelivered))).reduce((a, b) => a + b, 0);
    const counted = await total();
    fake.rateLimit('POST', new RegExp(`^/channels/${CHANNEL}/messages$`), 1, 1);
    const answer = await runThroughPreview(LOW, CHANNEL, /SCT\w+/);
    const uuid = /(SCT\w+)/.exec(textOf(answer.data))?.[1]!;
    const cardPosts = postsTo(CHANNEL, since).filter((call) => textOf(call.body).includes(`Order ${uuid}`));
    expect(cardPosts.length).toBe(2);
    expect([...fake.messages.values()].some((message) => message.channelId === CHANNEL && textOf(message.body).includes(`Order ${uuid}`))).toBe(true);
    expect(postsTo(`dm-${ALICE}`, since)).toEqual([]);
    expect(await total()).toBe(counted);
  });
});
