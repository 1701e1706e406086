/**
 * The Discord adapter in HTTP interactions mode, end to end: real signed HTTP requests (a
 * test Ed25519 key made with node:crypto) into the endpoint, the real dispatcher and
 * simulator behind it, and a fake Discord REST API recording what the bot sends back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordAdapter } from '../src/adapters/discord/adapter.js';
import { decodeCustomId } from '../src/adapters/discord/custom-id.js';
import { Readiness } from '../src/ops/readiness.js';
import type { TestBot } from './helpers/bot.js';
import { startDiscordEndpointBot, type DiscordEndpointBot } from './helpers/discord-endpoint-bot.js';
import { messageProblems, type SentMessage } from './helpers/discord-limits.js';
import type { FakeDiscord } from './helpers/fake-discord.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';
import { ALICE, APP, CAROL, CHANNEL, GUILD, BOB, interactionOf, customIdsOf, slash } from './helpers/discord-interactions.js';

interface Reply {
  type: number;
  data?: SentMessage & { flags?: number; custom_id?: string; title?: string; components?: unknown[]; choices?: { name: string; value: string }[] };
}

let bot: TestBot;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
let post: DiscordEndpointBot<Reply>['post'];
let unexpected: unknown[];
let close: (() => Promise<void>) | undefined;
const readiness = new Readiness();

beforeAll(async () => {
  ({ bot, fake, adapter, post, unexpected, close } = await startDiscordEndpointBot<Reply>({
    bot: { cocClient: { timeoutMs: 1500, retry: { retries: 2, baseDelayMs: 10 } } },
    // The store's claims, as the bot runs.
    claims: 'store',
    adapter: (started) => ({ metrics: started.services.metrics, readiness }),
  }));
});

afterAll(() => close?.());

/**
 * How a click updated its message: in the initial response (type 7) or, when the answer took
 * longer than the adapter's head start, by an edit of `@original` after a deferred update (type 6).
 */
async function updateOf(interaction: ReturnType<typeof interactionOf>, reply: Reply): Promise<Reply['data']> {
  if (reply.type === 7) return reply.data;
  expect(reply.type).toBe(6);
  return (await fake.waitFor('PATCH', new RegExp(`^/webhooks/${APP}/${interaction.token}/messages/@original$`))).body as Reply['data'];
}

function order(): Promise<string> {
  const host = bot.sim.world.hosts.filter(isHealthyHost)[0]!;
  return bot.coc.executeScript(scriptUuid(bot.sim, 'disk_usage'), executeBody([{ hosts: [host] }]));
}

const customIds = customIdsOf;

describe('Discord HTTP interactions endpoint', () => {
  it('answers a PING with a PONG', async () => {
    const { status, reply } = await post({ ...interactionOf(1, undefined), type: 1 });
    expect(status).toBe(200);
    expect(reply).toEqual({ type: 1 });
  });

  it('refuses a bad, missing or stale signature with 401 and a replayed interaction with 409', async () => {
    const ping = interactionOf(1, undefined);
    expect((await post(ping, { signature: 'bad' })).status).toBe(401);
    expect((await post(ping, { signature: 'none' })).status).toBe(401);
    expect((await post(ping, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    // Signed, then changed on the way: the signature no longer matches the body.
    expect((await post(ping, { rawBody: JSON.stringify({ ...ping, type: 2 }) })).status).toBe(401);
    expect((await post(ping)).status).toBe(200);
    expect((await post(ping)).status).toBe(409);
  });

  it('answers a quick command directly, ephemeral when the reply is private', async () => {
    const { reply } = await post(interactionOf(2, slash('whoami')));
    expect(reply.type).toBe(4);
    expect(reply.data!.flags).toBe(64);
    expect(messageProblems(reply.data!)).toEqual([]);
    expect(JSON.stringify(reply.data)).toContain('alice');
    const { reply: hosts } = await post(interactionOf(2, slash('hosts', [{ name: 'limit', type: 4, value: 3 }])));
    expect(hosts.type).toBe(4);
    expect(hosts.data!.flags ?? 0).toBe(0);
    expect(JSON.stringify(hosts.data)).toMatch(/NAME/);
  });

  it('defers a command within 3 s while the simulator hangs, then edits the answer in', async () => {
    bot.sim.faults.set('*', { kind: 'hang', times: 1 });
    const interaction = interactionOf(2, slash('hosts', [{ name: 'limit', type: 4, value: 5 }]));
    const { reply, ms } = await post(interaction);
    expect(reply.type).toBe(5);
    expect(ms).toBeLessThan(3000);
    const edit = await fake.waitFor('PATCH', new RegExp(`^/webhooks/${APP}/${interaction.token}/messages/@original$`));
    expect(messageProblems(edit.body as SentMessage)).toEqual([]);
    expect(JSON.stringify(edit.body)).toMatch(/NAME/);
    bot.sim.faults.clear();
  });

  it('refuses a positional value that would read as a switch, and an unknown subcommand', async () => {
    const { reply } = await post(interactionOf(2, slash('order cancel', [{ name: 'execute-uuid', type: 3, value: '--yes' }])));
    expect(reply.type).toBe(4);
    expect(reply.data!.flags).toBe(64);
    expect(JSON.stringify(reply.data)).toContain('starts with \\"--\\"');
    const unknown = await post(interactionOf(2, slash('nosuch thing')));
    expect(JSON.stringify(unknown.reply.data)).toContain('discord:register');
  });

  it('autocompletes orders from the registry suggestion source', async () => {
    const uuid = await order();
    const { reply } = await post(interactionOf(4, slash('order show', [{ name: 'execute-uuid', type: 3, value: uuid.slice(0, 8), focused: true }])));
    expect(reply.type).toBe(8);
    expect(reply.data!.choices!.length).toBeGreaterThan(0);
    expect(reply.data!.choices!.length).toBeLessThanOrEqual(25);
    expect(reply.data!.choices!.map((c) => c.value)).toContain(uuid);
    // Scripts and hosts for /coc run; a list of hosts completes its last item.
    const scripts = await post(interactionOf(4, slash('run', [{ name: 'script', type: 3, value: 'rotate', focused: true }])));
    expect(scripts.reply.data!.choices!.map((c) => c.value)).toContain('rotate_db_password');
    const hosts = await post(interactionOf(4, slash('run', [{ name: 'script', type: 3, value: 'disk_usage' }, { name: 'hosts', type: 3, value: 'web-01,web-0', focused: true }])));
    const values = hosts.reply.data!.choices!.map((c) => c.value);
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((value) => value.startsWith('web-01,web-0'))).toBe(true);
    // An option without a source answers with no choices rather than not at all.
    const none = await post(interactionOf(4, slash('hosts', [{ name: 'name', type: 3, value: 'we', focused: true }])));
    expect(none.reply).toEqual({ type: 8, data: { choices: [] } });
  });

  it('runs buttons, asks for confirmation first when the button says so, and honours "no"', async () => {
    const uuid = await order();
    const { reply: card } = await post(interactionOf(2, slash('order cancel', [{ name: 'execute-uuid', type: 3, value: uuid }])));
    expect(card.type).toBe(4);
    const confirmId = customIds(card.data).find((id) => decodeCustomId(id).kind === 'confirm');
    expect(confirmId).toBeDefined();
    // The danger button opens an ephemeral question; nothing is sent to COC yet.
    const { reply: question } = await post(interactionOf(3, { custom_id: confirmId, component_type: 2 }));
    expect(question.type).toBe(4);
    expect(question.data!.flags).toBe(64);
    const [yes, no] = customIds(question.data);
    expect(no).toBe('x');
    const { reply: declined } = await post(interactionOf(3, { custom_id: no, component_type: 2 }));
    expect(declined.type).toBe(7);
    expect(bot.sim.world.orders.get(uuid)?.status).not.toBe('CANCELED');
    // As carol (viewer) the same button is refused: permissions are checked on every click. The
    // refusal takes the place of her question (ephemeral, so only she sees it).
    const carol = interactionOf(3, { custom_id: yes, component_type: 2 }, CAROL);
    const refused = await updateOf(carol, (await post(carol)).reply);
    expect(JSON.stringify(refused)).not.toContain('chose');
    expect(bot.sim.world.orders.get(uuid)?.status).not.toBe('CANCELED');
    // The question is answered in place (who chose what, no buttons); the answer follows.
    const click = interactionOf(3, { custom_id: yes, component_type: 2 });
    const done = await updateOf(click, (await post(click)).reply);
    expect(done!.components).toEqual([]);
    expect(done!.content).toMatch(/^✓ .+ · \d\d:\d\d UTC$/);
    const answer = await fake.waitFor('POST', new RegExp(`^/webhooks/${APP}/${click.token}$`));
    expect(JSON.stringify(answer.body)).toContain('canceled');
    expect(bot.sim.world.orders.get(uuid)?.status).toBe('CANCELED');
  });

  it('answers an unknown or expired button clearly', async () => {
    const { reply } = await post(interactionOf(3, { custom_id: 'k|AAAAAAAAAAAAAAAAAAAAAA', component_type: 2 }));
    expect(reply.type).toBe(4);
    expect(reply.data!.flags).toBe(64);
    expect(JSON.stringify(reply.data)).toContain('expired');
  });

  it('opens a form as a modal and submits it', async () => {
    const { reply: modal } = await post(interactionOf(2, slash('incident create', [], 1, 'coc-incident')));
    expect(modal.type).toBe(9);
    expect(modal.data!.title!.length).toBeLessThanOrEqual(45);
    expect(modal.data!.custom_id!.length).toBeLessThanOrEqual(100);
    const inputs = (modal.data!.components as { type: number; component: { custom_id: string; type: number } }[]).map((label) => label.component);
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.length).toBeLessThanOrEqual(5);
    // Submitting only part of it: the refusal lists the fields and offers the form again.
    const first = inputs[0]!;
    const { reply: refused } = await post(
      interactionOf(5, { custom_id: modal.data!.custom_id, components: [{ type: 18, component: first.type === 4 ? { type: 4, custom_id: first.custom_id, value: 'x' } : { type: 3, custom_id: first.custom_id, values: ['o0'] } }] }),
    );
    expect([4, 5]).toContain(refused.type);
    if (refused.type === 4) {
      expect(refused.data!.flags).toBe(64);
      expect(customIds(refused.data).some((id) => id.startsWith('f|'))).toBe(true);
    }
  });
});

describe('Discord chat surface', () => {
  it('posts and edits cards as bot messages, and survives a rate limit through the REST queue', async () => {
    fake.rateLimit('POST', new RegExp(`^/channels/${CHANNEL}/messages$`), 1, 0.05);
    const before = fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL}/messages$`)).length;
    const posted = await bot.core.chat.post({ platform: 'discord', workspaceId: GUILD, channelId: CHANNEL }, { title: 'Order card', progress: { done: 1, total: 4 } });
    expect(fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL}/messages$`)).length - before).toBe(2);
    expect(posted.messageRef).toMatch(/^\d+$/);
    await bot.core.chat.update(posted, { title: 'Order card', progress: { done: 4, total: 4 }, tone: 'success' });
    const edit = await fake.waitFor('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/${posted.messageRef}$`));
    expect(JSON.stringify(edit.body)).toContain('4/4');
    expect(edit.authorization).toBe('Bot MTIz.fake.token');
  });

  it('tells one person by DM, and where they are when they refuse DMs', async () => {
    const person = { platform: 'discord' as const, workspaceId: GUILD, userId: BOB };
    await bot.core.chat.notify(person, { title: 'Approved', text: 'Your run was approved.' });
    expect(fake.callsTo('POST', new RegExp(`^/channels/dm-${BOB}/messages$`))).toHaveLength(1);
    fake.refuseDms(CAROL);
    const where = { platform: 'discord' as const, workspaceId: GUILD, channelId: CHANNEL };
    await bot.core.chat.notify({ ...person, userId: CAROL }, { title: 'Secret detail' }, where);
    const pointer = fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL}/messages$`)).at(-1)!;
    expect(JSON.stringify(pointer.body)).toContain(`<@${CAROL}>`);
    expect(JSON.stringify(pointer.body)).not.toContain('Secret detail');
  });

  it('opens a thread per incident and invites the people involved', async () => {
    const target = await adapter.surface.openIncidentPlace({
      workspaceId: GUILD,
      incidentNum: 'INC20260101000001',
      title: `Database down ${'!'.repeat(200)}`,
      from: { platform: 'discord', workspaceId: GUILD, channelId: CHANNEL },
      invite: [{ platform: 'discord', workspaceId: GUILD, userId: ALICE }],
    });
    expect(target.channelId).toBe(CHANNEL);
    expect(target.threadId).toMatch(/^\d+$/);
    const created = fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL}/threads$`)).at(-1)!;
    expect((created.body as { name: string }).name.length).toBeLessThanOrEqual(100);
    expect(fake.callsTo('PUT', new RegExp(`^/channels/${target.threadId}/thread-members/${ALICE}$`))).toHaveLength(1);
    await bot.core.chat.post(target, { title: 'Incident acknowledged' });
    expect(fake.callsTo('POST', new RegExp(`^/channels/${target.threadId}/messages$`))).toHaveLength(1);
  });

  it('reports its ack latency, card edits and readiness to the ops endpoints', async () => {
    const { body } = await bot.services.metrics.exposition();
    expect(body).toMatch(/coc_chatops_ack_latency_seconds_count\{platform="discord"\} [1-9]/);
    expect(body).toMatch(/coc_chatops_card_edits_total\{platform="discord"\} [1-9]/);
    expect(body).not.toMatch(/coc_chatops_missed_deadlines_total\{platform="discord"/);
    const report = await readiness.report();
    expect(report.checks.find((check) => check.name === 'discord')).toMatchObject({ ok: true });
  });

  it('reported nothing unexpected', () => {
    expect(unexpected).toEqual([]);
  });
});
