/**
 * Discord cards are decided in place, through signed HTTP interactions, the real bot and the
 * fake Discord API: a click that decides its card (a preview's Run or Cancel, an approval's
 * Approve) updates the clicked message — no buttons left, who chose what — in the click's own
 * answer (UPDATE_MESSAGE) or, when the answer is slow, after DEFERRED_UPDATE_MESSAGE by an
 * edit of `@original`; the answer follows as its own message, private ones ephemeral. A
 * refused click leaves the card and its buttons as they were and answers only the clicker.
 * Commands that answer privately are deferred ephemerally from the start, so nothing is ever
 * deleted.
 *
 * Slow answers are made slow by holding the dispatcher until the test has seen the deferral
 * (no timing is assumed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../src/adapters/discord/adapter.js';
import { decodeCustomId } from '../src/adapters/discord/custom-id.js';
import { Secret, type Config } from '../src/config.js';
import type { Invocation } from '../src/core/invocation.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { ALICE, APP, BOB, CAROL, CHANNEL, customIdsOf, DISCORD_MAPPINGS, GUILD, interactionOf, postInteraction, slash, testKeys } from './helpers/discord-interactions.js';
import { messageProblems, type SentMessage } from './helpers/discord-limits.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';
import { FakeClock } from './tracker-helpers.js';

const APPROVALS = '920000000000000098';
const EPHEMERAL = 64;
const DECIDED = /^✓ <@(\d+)> chose (.+) · \d\d:\d\d UTC$/;

interface Body extends SentMessage {
  flags?: number;
  allowed_mentions?: unknown;
}
interface Reply {
  type: number;
  data?: Body & { custom_id?: string };
}
type Sent = ReturnType<typeof interactionOf>;

let bot: TestBot;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
const clock = new FakeClock();
clock.ms = Date.now();
const keys = testKeys();
const unexpected: unknown[] = [];
/**
 * Interactions whose dispatch waits until released, by interaction id: they get no head start
 * (deferred at once). The others answer within theirs (set long here, so a loaded machine does
 * not turn a quick answer into a deferral).
 */
const held = new Map<string, { released: Promise<void>; release: () => void }>();

beforeAll(async () => {
  bot = await makeTestBot({ mappings: DISCORD_MAPPINGS, now: clock.now, config: { approvals: { channel: { discord: APPROVALS }, expiryMinutes: 30 } } });
  fake = await startFakeDiscord();
  const config = {
    ...bot.config,
    discord: { ...bot.config.discord, botToken: new Secret('MTIz.decided.token'), applicationId: APP, publicKey: keys.publicKeyHex, mode: 'http', guildId: GUILD, apiUrl: fake.api },
  } as Config;
  const dispatcher = {
    async handle(invocation: Invocation) {
      await held.get(invocation.interactionId ?? '')?.released;
      return bot.dispatcher.handle(invocation);
    },
    suggest: bot.dispatcher.suggest.bind(bot.dispatcher),
  };
  adapter = await startDiscordAdapter({ config, dispatcher, registry: bot.core.registry, db: bot.store.db, port: 0, host: '127.0.0.1', ackBudgetMs: (interaction) => (held.has(interaction.id) ? 0 : 120_000), onUnexpected: (error) => unexpected.push(error) });
  bot.core.chat.register(adapter.surface);
});

afterAll(async () => {
  for (const gate of held.values()) gate.release();
  await adapter?.close();
  await bot?.close();
  await fake?.close();
});

function textOf(value: unknown): string {
  return JSON.stringify(value).replaceAll('\\\\', '');
}

async function post(interaction: Sent): Promise<Reply> {
  const { status, reply } = await postInteraction<Reply>(adapter.endpoint!.url, keys.privateKey, interaction);
  expect(status).toBe(200);
  return reply;
}

/** Holds the interaction's dispatch until `release()`: its answer is slow for sure. */
function hold(interaction: Sent): () => void {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  held.set(interaction.id, { released, release });
  return release;
}

const webhook = (interaction: Sent) => new RegExp(`^/webhooks/${APP}/${interaction.token}$`);
const original = (interaction: Sent) => new RegExp(`^/webhooks/${APP}/${interaction.token}/messages/@original$`);

/** What the person sees of a slash command: the initial response, or what edited the deferral in. */
async function command(interaction: Sent): Promise<Body> {
  const reply = await post(interaction);
  if (reply.type !== 5) return reply.data!;
  return (await fake.waitFor('PATCH', original(interaction))).body as Body;
}

function clickOn(customId: string, user: string, message: { id: string; channel_id?: string; flags?: number; content?: string; components?: unknown }): Sent {
  return interactionOf(3, { custom_id: customId, component_type: 2 }, user, { message });
}

function buttonOf(message: { components?: unknown } | undefined, kind: string, actionId?: string): string {
  const id = customIdsOf(message).find((customId) => {
    const decoded = decodeCustomId(customId);
    return decoded.kind === kind && (actionId === undefined || (decoded.kind === 'action' && decoded.actionId === actionId));
  });
  if (!id) throw new Error(`no ${kind} ${actionId ?? ''} button in ${textOf(message)}`);
  return id;
}

/** A bot message in a channel, as a click on it carries it. */
function channelMessage(id: string) {
  const { channelId, body } = fake.messages.get(id)!;
  return { id, channel_id: channelId, ...(body.content ? { content: body.content } : {}), components: body.components };
}

/** A private preview of a LOW-risk run of disk_usage, as alice sees it (an ephemeral reply). */
async function lowPreview(): Promise<Body> {
  const preview = await command(interactionOf(2, slash('run', [{ name: 'script', type: 3, value: 'disk_usage' }, { name: 'hosts', type: 3, value: 'web-01,web-02' }]), ALICE));
  expect(textOf(preview)).toContain('disk_usage');
  return preview;
}

/** A HIGH-risk request by alice; returns the id of its approval card in the approvals channel. */
async function approvalCard(): Promise<string> {
  const preview = await command(
    interactionOf(2, slash('run', [{ name: 'script', type: 3, value: 'rotate_db_password' }, { name: 'tag', type: 3, value: 'role=db' }, { name: 'param', type: 3, value: 'db_user=app new_password=Secret_123' }]), ALICE),
  );
  const before = new Set(fake.messages.keys());
  const go = clickOn(buttonOf(preview, 'action', 'run:go'), ALICE, { id: '1500000000000000010', channel_id: CHANNEL, flags: EPHEMERAL, components: preview.components });
  expect((await post(go)).type).toBe(7);
  const card = [...fake.messages.entries()].find(([id, message]) => !before.has(id) && message.channelId === APPROVALS);
  expect(card, 'the approval request was posted').toBeDefined();
  return card![0];
}

describe('Discord cards decided in place', () => {
  it("updates a preview in the click's own answer: no buttons, who chose Run; the answer follows", async () => {
    const preview = await lowPreview();
    const run = clickOn(buttonOf(preview, 'action', 'run:go'), ALICE, { id: '1500000000000000011', channel_id: CHANNEL, flags: EPHEMERAL, components: preview.components });
    const reply = await post(run);
    expect(reply.type).toBe(7);
    expect(reply.data!.components).toEqual([]);
    expect(reply.data!.content).toMatch(DECIDED);
    expect(DECIDED.exec(reply.data!.content!)!.slice(1)).toEqual([ALICE, 'Run']);
    // Nobody is pinged by the mention.
    expect(reply.data!.allowed_mentions).toEqual({ parse: [] });
    const answer = await fake.waitFor('POST', webhook(run));
    expect(textOf(answer.body)).toMatch(/SCT\w+|[Ss]tarted/);
    expect(fake.callsTo('DELETE', original(run))).toEqual([]);
  });

  it('defers a slow decision without a loader (type 6), then edits the clicked message and answers privately', async () => {
    const preview = await lowPreview();
    const cancel = clickOn(buttonOf(preview, 'action', 'run:cancel'), ALICE, { id: '1500000000000000012', channel_id: CHANNEL, flags: EPHEMERAL, components: preview.components });
    const release = hold(cancel);
    const reply = await post(cancel);
    expect(reply).toEqual({ type: 6 });
    release();
    const edit = await fake.waitFor('PATCH', original(cancel));
    const edited = edit.body as Body;
    expect(edited.components).toEqual([]);
    expect(DECIDED.exec(edited.content ?? '')?.slice(1)).toEqual([ALICE, 'Cancel']);
    const answer = await fake.waitFor('POST', webhook(cancel));
    expect((answer.body as Body).flags).toBe(EPHEMERAL);
    expect(textOf(answer.body)).toMatch(/[Cc]anceled/);
    expect(fake.callsTo('DELETE', original(cancel))).toEqual([]);
  });

  it('turns a private card into its own question when a button asks one: "no" puts it back, "yes" decides it in place', async () => {
    const preview = await command(interactionOf(2, slash('run', [{ name: 'script', type: 3, value: 'restart_nginx' }, { name: 'hosts', type: 3, value: 'web-01' }]), ALICE));
    const shown = { id: '1500000000000000015', channel_id: CHANNEL, flags: EPHEMERAL, components: preview.components };
    const run = buttonOf(preview, 'confirm');
    // MEDIUM risk: Run asks first. The preview is only alice's, so it asks in place (its embeds stay: not in the update).
    const asked = await post(clickOn(run, ALICE, shown));
    expect(asked.type).toBe(7);
    expect(asked.data!.embeds).toBeUndefined();
    expect(asked.data!.content).toMatch(/restart\\_nginx/);
    const [yes, no] = customIdsOf(asked.data);
    expect(decodeCustomId(no!).kind).toBe('restore');
    const questionShown = { ...shown, content: asked.data!.content!, components: asked.data!.components };
    const back = await post(clickOn(no!, ALICE, questionShown));
    expect(back.type).toBe(7);
    expect(back.data!.components).toEqual(preview.components);
    // Asked again, and yes: the preview is decided where it is; the answer follows, privately.
    const again = await post(clickOn(run, ALICE, shown));
    const [yesAgain] = customIdsOf(again.data);
    expect(yesAgain).toBe(yes);
    const decide = clickOn(yesAgain!, ALICE, { ...shown, content: again.data!.content!, components: again.data!.components });
    const decided = await post(decide);
    expect(decided.type).toBe(7);
    expect(decided.data!.embeds).toBeUndefined();
    expect(decided.data!.components).toEqual([]);
    expect(DECIDED.exec(decided.data!.content ?? '')?.slice(1)).toEqual([ALICE, 'Run']);
    const answer = await fake.waitFor('POST', webhook(decide));
    expect((answer.body as Body).flags).toBe(EPHEMERAL);
  });

  it('refuses a click by a role that may not decide: the card and its buttons stay, only the clicker is told', async () => {
    const cardId = await approvalCard();
    const before = structuredClone(fake.messages.get(cardId)!.body);
    const edits = fake.callsTo('PATCH', new RegExp(`^/channels/${APPROVALS}/messages/${cardId}$`)).length;
    const reject = clickOn(buttonOf(before, 'action', 'approval:reject'), CAROL, channelMessage(cardId));
    const reply = await post(reject);
    expect(reply.type).toBe(4);
    expect(reply.data!.flags).toBe(EPHEMERAL);
    expect(textOf(reply.data)).not.toMatch(/chose/);
    expect(fake.messages.get(cardId)!.body).toEqual(before);
    expect(fake.callsTo('PATCH', new RegExp(`^/channels/${APPROVALS}/messages/${cardId}$`))).toHaveLength(edits);
  });

  it('refuses a self-approval in place of the question, leaving the card; a second person approves it slowly and the card is decided', async () => {
    const cardId = await approvalCard();
    const card = structuredClone(fake.messages.get(cardId)!.body);
    const approve = buttonOf(card, 'confirm');
    // Alice asked; her own Approve is refused where she asked it, and the card is untouched.
    const question = (await post(clickOn(approve, ALICE, channelMessage(cardId)))).data!;
    expect(question.flags).toBe(EPHEMERAL);
    const own = clickOn(customIdsOf(question)[0]!, ALICE, { id: '1500000000000000013', channel_id: APPROVALS, flags: EPHEMERAL, components: question.components });
    const refused = await post(own);
    expect(refused.type).toBe(7);
    expect(textOf(refused.data)).not.toMatch(/chose/);
    expect(customIdsOf(refused.data)).toEqual([]);
    expect(fake.messages.get(cardId)!.body).toEqual(card);
    // Bob approves, and the answer is slow: nothing is shown until the question and the card are edited.
    const asked = (await post(clickOn(approve, BOB, channelMessage(cardId)))).data!;
    const yes = clickOn(customIdsOf(asked)[0]!, BOB, { id: '1500000000000000014', channel_id: APPROVALS, flags: EPHEMERAL, components: asked.components });
    const release = hold(yes);
    expect(await post(yes)).toEqual({ type: 6 });
    release();
    const answered = (await fake.waitFor('PATCH', original(yes))).body as Body;
    expect(answered.components).toEqual([]);
    expect(DECIDED.exec(answered.content ?? '')?.slice(1)).toEqual([BOB, 'Approve']);
    const cardEdit = await fake.waitForMatching('PATCH', new RegExp(`^/channels/${APPROVALS}/messages/${cardId}$`), (call) => textOf(call.body).includes(`<@${BOB}> chose Approve`));
    expect(cardEdit.authorization).toBe('Bot MTIz.decided.token');
    const decided = fake.messages.get(cardId)!.body;
    expect(customIdsOf(decided)).toEqual([]);
    expect(decided.content).toMatch(new RegExp(`<@${BOB}> chose Approve · \\d\\d:\\d\\d UTC$`));
    // The card keeps what it said (its embeds): only the buttons went and the decision was added.
    expect((decided.embeds ?? []).length).toBeGreaterThan(0);
    const result = await fake.waitFor('POST', webhook(yes));
    expect(textOf(result.body)).toMatch(/SCT\w+/);
  });

  it("decides the card with the reason's submission when Reject asks one first", async () => {
    const cardId = await approvalCard();
    const modal = await post(clickOn(buttonOf(fake.messages.get(cardId)!.body, 'action', 'approval:reject'), BOB, channelMessage(cardId)));
    expect(modal.type).toBe(9);
    const input = (modal.data!.components as unknown as { component: { custom_id: string } }[])[0]!.component.custom_id;
    // Discord sends the card with the submission of a modal opened from it, and lets the answer update it.
    const submit = interactionOf(5, { custom_id: modal.data!.custom_id, components: [{ type: 18, component: { type: 4, custom_id: input, value: 'Not in business hours' } }] }, BOB, {
      message: channelMessage(cardId),
    });
    const reply = await post(submit);
    expect(reply.type).toBe(7);
    expect(reply.data!.components).toEqual([]);
    expect(DECIDED.exec(reply.data!.content ?? '')?.slice(1)).toEqual([BOB, 'Reject']);
    const answer = await fake.waitFor('POST', webhook(submit));
    expect(textOf(answer.body)).toMatch(/[Rr]ejected/);
  });

  it('defers a command that answers privately as ephemeral from the start, and deletes nothing', async () => {
    const whoami = interactionOf(2, slash('whoami'), ALICE);
    const release = hold(whoami);
    const reply = await post(whoami);
    expect(reply.type).toBe(5);
    expect(reply.data).toEqual({ flags: EPHEMERAL });
    release();
    const answer = await fake.waitFor('PATCH', original(whoami));
    expect(textOf(answer.body)).toContain('alice');
    expect(fake.callsTo('DELETE', original(whoami))).toEqual([]);
    // A command whose answers are public keeps a public deferral.
    const orders = interactionOf(2, slash('orders'), ALICE);
    const releaseOrders = hold(orders);
    const publicReply = await post(orders);
    expect(publicReply.type).toBe(5);
    expect(publicReply.data?.flags ?? 0).toBe(0);
    releaseOrders();
    await fake.waitFor('PATCH', original(orders));
    expect(fake.callsTo('DELETE', original(orders))).toEqual([]);
  });

  it('sent only messages within Discord limits and reported nothing unexpected', () => {
    for (const call of fake.calls.filter((c) => /\/messages/.test(c.path) && (c.method === 'POST' || c.method === 'PATCH'))) {
      expect(messageProblems(call.body as SentMessage), `${call.method} ${call.path}`).toEqual([]);
    }
    expect(unexpected).toEqual([]);
  });
});
