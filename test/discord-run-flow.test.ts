/**
 * The whole HIGH-risk flow in Discord, through signed HTTP interactions, the real bot and the
 * fake Discord API: `/coc run` previews (alone, it asks the run form over modals, the script's
 * parameters in one of their own that a button opens); "Request approval" posts the request in
 * the approvals channel; a reject opens a modal, a blank reason is refused with a button that
 * reopens the form, a reason rejects; a second request is approved through the confirmation,
 * the order starts, its live card is edited as it runs, and the summary is written once with a
 * DM to the requester. The sensitive parameter never reaches Discord.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../src/adapters/discord/adapter.js';
import { decodeCustomId } from '../src/adapters/discord/custom-id.js';
import { Secret, type Config } from '../src/config.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { ALICE, APP, BOB, CHANNEL, customIdsOf, DISCORD_MAPPINGS, GUILD, interactionOf, postInteraction, slash, testKeys } from './helpers/discord-interactions.js';
import { messageProblems, type SentMessage } from './helpers/discord-limits.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';
import { FakeClock } from './tracker-helpers.js';

const APPROVALS = '920000000000000099';
const SECRET = 'Rotated_S3cret_Value';

interface Reply {
  type: number;
  data?: SentMessage & { flags?: number; custom_id?: string; title?: string; components?: unknown[] };
}

let bot: TestBot;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
// The bot's clock starts now: approvals are created with the database's own time.
const clock = new FakeClock();
clock.ms = Date.now();
const keys = testKeys();
const unexpected: unknown[] = [];

beforeAll(async () => {
  bot = await makeTestBot({ mappings: DISCORD_MAPPINGS, now: clock.now, config: { approvals: { channel: { discord: APPROVALS }, expiryMinutes: 30 } } });
  fake = await startFakeDiscord();
  const config = {
    ...bot.config,
    discord: { ...bot.config.discord, botToken: new Secret('MTIz.flow.token'), applicationId: APP, publicKey: keys.publicKeyHex, mode: 'http', guildId: GUILD, apiUrl: fake.api },
  } as Config;
  adapter = await startDiscordAdapter({ config, dispatcher: bot.dispatcher, registry: bot.core.registry, db: bot.store.db, port: 0, host: '127.0.0.1', onUnexpected: (error) => unexpected.push(error) });
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
  if (reply.type !== 5) return reply;
  const path = new RegExp(`^/webhooks/${APP}/${interaction.token}(/messages/@original)?$`);
  const answer = await Promise.race([fake.waitFor('PATCH', path), fake.waitFor('POST', path)]);
  return { type: 4, data: answer.body as Reply['data'] };
}

/** The message a button is on, as Discord sends it with the click. */
interface ShownMessage {
  id: string;
  channel_id?: string;
  flags?: number;
  content?: string;
  components?: unknown;
}

const clickOf = (customId: string, user: string, on?: ShownMessage) => interactionOf(3, { custom_id: customId, component_type: 2 }, user, on ? { message: on } : {});

function click(customId: string, user: string, on?: ShownMessage) {
  return send(clickOf(customId, user, on));
}

/** The answer that follows a click which updated its message (POSTed with the interaction's token). */
async function followUp(interaction: ReturnType<typeof interactionOf>): Promise<Reply['data']> {
  const call = await fake.waitFor('POST', new RegExp(`^/webhooks/${APP}/${interaction.token}$`));
  return call.body as Reply['data'];
}

/**
 * How a click updated its message: in the initial response (type 7) or, when the answer took
 * longer than the adapter's head start, by an edit of `@original` after a deferred update (type 6).
 */
async function updateOf(interaction: ReturnType<typeof interactionOf>, reply: Reply): Promise<Reply['data']> {
  if (reply.type === 7) return reply.data;
  expect(reply.type).toBe(6);
  return (await fake.waitFor('PATCH', new RegExp(`^/webhooks/${APP}/${interaction.token}/messages/@original$`))).body as Reply['data'];
}

/** A private answer to a click: in the initial response, or as a follow-up after a deferred update. */
async function privateAnswerOf(interaction: ReturnType<typeof interactionOf>, reply: Reply): Promise<Reply['data']> {
  if (reply.type === 4) return reply.data;
  expect(reply.type).toBe(6);
  return (await fake.waitFor('POST', new RegExp(`^/webhooks/${APP}/${interaction.token}$`))).body as Reply['data'];
}

/** A bot message in a channel, as a click on it carries it. */
function channelMessage(id: string): ShownMessage {
  const { channelId, body } = fake.messages.get(id)!;
  return { id, channel_id: channelId, ...(body.content ? { content: body.content } : {}), components: body.components };
}

/** The button that asks a confirmation first (Approve). */
function confirmButton(message: { components?: unknown } | undefined): string {
  const id = customIdsOf(message).find((customId) => decodeCustomId(customId).kind === 'confirm');
  if (!id) throw new Error(`no button with a confirmation in ${textOf(message)}`);
  return id;
}

function actionExactly(message: { components?: unknown } | undefined, actionId: string): string {
  const id = customIdsOf(message).find((customId) => {
    const decoded = decodeCustomId(customId);
    return decoded.kind === 'action' && decoded.actionId === actionId;
  });
  if (!id) throw new Error(`no ${actionId} button in ${textOf(message)}`);
  return id;
}

/** `/coc run` of the HIGH-risk script as alice, then "Request approval"; returns the approval card's message id. */
async function requestApproval(): Promise<string> {
  const preview = await send(
    interactionOf(
      2,
      slash('run', [
        { name: 'script', type: 3, value: 'rotate_db_password' },
        { name: 'tag', type: 3, value: 'role=db' },
        { name: 'param', type: 3, value: `db_user=app new_password=${SECRET}` },
        { name: 'batch-size', type: 4, value: 3 },
      ]),
      ALICE,
    ),
  );
  expect(textOf(preview.data)).toContain('rotate_db_password');
  expect(textOf(preview.data)).toContain('new_password=••••••');
  const before = new Set(fake.messages.keys());
  // The preview is private (an ephemeral reply): its Run click updates it in place.
  const go = clickOf(actionExactly(preview.data, 'run:go'), ALICE, { id: '1500000000000000001', channel_id: CHANNEL, flags: 64, components: preview.data!.components });
  const decided = { data: await updateOf(go, await send(go)) };
  expect(decided.data!.components).toEqual([]);
  expect(decided.data!.content).toMatch(new RegExp(`^✓ <@${ALICE}> chose Request approval · \\d\\d:\\d\\d UTC$`));
  const requested = await followUp(go);
  expect(textOf(requested)).toContain('Approval requested');
  const card = [...fake.messages.entries()].find(([id, message]) => !before.has(id) && message.channelId === APPROVALS);
  expect(card, 'the approval request was posted in the approvals channel').toBeDefined();
  return card![0];
}

async function round(advanceMs = 1000): Promise<void> {
  clock.advance(advanceMs);
  await bot.core.tracker.tick();
}

describe('run → approve → live card → summary in Discord', () => {
  it('rejects through a modal: a blank reason is refused with the form offered again, a reason rejects', async () => {
    const cardId = await requestApproval();
    const card = fake.messages.get(cardId)!.body;
    expect(messageProblems(card)).toEqual([]);
    // The reject button's reply is a form, so it opens as a modal straight away.
    const modal = await click(actionExactly(card, 'approval:reject'), BOB, channelMessage(cardId));
    expect(modal.type).toBe(9);
    const input = (modal.data!.components as { component: { custom_id: string } }[])[0]!.component.custom_id;
    // The modal was opened from the card, which Discord sends with its submission; a refused reason leaves the card as it is.
    const blank = interactionOf(5, { custom_id: modal.data!.custom_id, components: [{ type: 18, component: { type: 4, custom_id: input, value: '   ' } }] }, BOB, { message: channelMessage(cardId) });
    const refused = { data: await privateAnswerOf(blank, await send(blank)) };
    expect(refused.data!.flags).toBe(64);
    expect(customIdsOf(fake.messages.get(cardId)!.body).length).toBeGreaterThan(0);
    const reopen = customIdsOf(refused.data).find((id) => id.startsWith('f|'));
    expect(reopen).toBeDefined();
    const again = await click(reopen!, BOB);
    expect(again.type).toBe(9);
    const rejected = await send(interactionOf(5, { custom_id: again.data!.custom_id, components: [{ type: 18, component: { type: 4, custom_id: input, value: 'Not during business hours' } }] }, BOB));
    expect(textOf(rejected.data)).toMatch(/[Rr]ejected/);
    // The request card itself now says so, and has no buttons left.
    const edited = fake.messages.get(cardId)!.body;
    expect(textOf(edited)).toContain('Not during business hours');
    expect(customIdsOf(edited)).toEqual([]);
  });

  it('approves through the confirmation, starts the order, edits its live card and DMs the summary', async () => {
    const cardId = await requestApproval();
    const card = fake.messages.get(cardId)!.body;
    const approve = confirmButton(card);
    // The requester cannot approve her own request: the refusal takes the place of her (ephemeral) question; the card keeps its buttons.
    const own = await click(approve, ALICE, channelMessage(cardId));
    const ownYes = customIdsOf(own.data)[0]!;
    const ownClick = clickOf(ownYes, ALICE, { id: '1500000000000000002', channel_id: CHANNEL, flags: 64, components: own.data!.components });
    const refused = { data: await updateOf(ownClick, await send(ownClick)) };
    expect(textOf(refused.data)).not.toContain('chose');
    expect(customIdsOf(fake.messages.get(cardId)!.body)).toEqual(customIdsOf(card));
    // Bob: the confirmation is a message only he sees, with the real button and "Not now".
    const question = await click(approve, BOB, channelMessage(cardId));
    expect(question.data!.flags).toBe(64);
    const [yes, no] = customIdsOf(question.data);
    expect(no).toBe('x');
    const before = new Set(fake.messages.keys());
    const yesClick = clickOf(yes!, BOB, { id: '1500000000000000003', channel_id: APPROVALS, flags: 64, components: question.data!.components });
    const answered = { data: await updateOf(yesClick, await send(yesClick)) };
    // The question is answered in place; the card under it is decided too.
    expect(answered.data!.components).toEqual([]);
    expect(answered.data!.content).toContain(`<@${BOB}> chose`);
    const approved = await followUp(yesClick);
    expect(textOf(approved)).toMatch(/SCT\w+/);
    const decidedCard = fake.messages.get(cardId)!.body;
    expect(customIdsOf(decidedCard)).toEqual([]);
    expect(decidedCard.content).toContain(`<@${BOB}> chose Approve`);
    // The live card of the new order is a bot message where the run was asked for.
    const live = [...fake.messages.entries()].find(([id, message]) => !before.has(id) && message.channelId === CHANNEL && textOf(message.body).includes('Order SCT'));
    expect(live, 'the live card was posted').toBeDefined();
    const [liveId] = live!;
    const uuid = /Order (SCT\w+)/.exec(textOf(live![1].body))![1]!;
    for (let i = 0; i < 20; i++) {
      bot.sim.tick(1);
      await round(3000);
    }
    for (let i = 0; i < 4; i++) await round(3000);
    const edits = fake.callsTo('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/${liveId}$`));
    expect(edits.length).toBeGreaterThan(1);
    const final = fake.messages.get(liveId)!.body;
    // db-04 fails, so the order stops with failures: that is its final summary, written once.
    expect(textOf(final)).toContain('Final summary');
    expect(final.components).toEqual([]);
    expect(edits.filter((edit) => textOf(edit.body).includes('Final summary'))).toHaveLength(1);
    // The approval card says the request was carried out, and the requester got a DM.
    expect(textOf(fake.messages.get(cardId)!.body)).toContain(uuid);
    const dms = fake.callsTo('POST', new RegExp(`^/channels/dm-${ALICE}/messages$`)).filter((dm) => textOf(dm.body).includes(uuid));
    expect(dms.length).toBeGreaterThanOrEqual(1);
  });

  it('asks the run form over two modals when /coc run has no options, and previews what was filled in', async () => {
    const executed = bot.sim.countRequests('POST /v1/job/scripts/{script_uuid}');
    const first = await send(interactionOf(2, slash('run'), ALICE));
    expect(first.type).toBe(9);
    const inputs = (modal: Reply) => (modal.data!.components as { label: string; component: { custom_id: string; type: number } }[]).map((label) => label.component);
    const page1 = inputs(first);
    expect(page1).toHaveLength(5);
    // Script and hosts are searched as you type elsewhere; in a modal they are typed, with a hint.
    const [script, hosts] = page1;
    expect([script!.type, hosts!.type]).toEqual([4, 4]);
    const step = await send(
      interactionOf(
        5,
        {
          custom_id: first.data!.custom_id,
          components: [
            { type: 18, component: { type: 4, custom_id: script!.custom_id, value: 'disk_usage' } },
            { type: 18, component: { type: 4, custom_id: hosts!.custom_id, value: 'web-01,web-02' } },
          ],
        },
        ALICE,
      ),
    );
    expect(step.data!.flags).toBe(64);
    const next = customIdsOf(step.data)[0]!;
    const second = await click(next, ALICE);
    expect(second.type).toBe(9);
    expect(inputs(second).length).toBeGreaterThan(0);
    // The script takes parameters: Discord cannot open a modal from a modal's submission, so a button opens the next form.
    const asked = await send(interactionOf(5, { custom_id: second.data!.custom_id, components: [] }, ALICE));
    expect(asked.data!.flags).toBe(64);
    expect(textOf(asked.data)).toContain('disk_usage (Low) on web-01, web-02');
    const opener = customIdsOf(asked.data).find((id) => decodeCustomId(id).kind === 'form');
    expect(opener).toBeDefined();
    const params = await click(opener!, ALICE);
    expect(params.type).toBe(9);
    const labels = params.data!.components as { label: string; description?: string; component: { custom_id: string; type: number; value?: string; required: boolean } }[];
    // One field per parameter of the script: its name, its description, its default filled in.
    expect(labels.map((label) => [label.label, label.description, label.component.value, label.component.required])).toEqual([
      ['mount_point', 'Mount point to inspect', '/', false],
      ['threshold_percent', 'Warn when usage is at or above this percentage', '90', false],
    ]);
    const mount = labels[0]!.component.custom_id;
    const preview = await send(interactionOf(5, { custom_id: params.data!.custom_id, components: [{ type: 18, component: { type: 4, custom_id: mount, value: '/data' } }] }, ALICE));
    expect(textOf(preview.data)).toContain('Run disk_usage on 2 hosts?');
    expect(textOf(preview.data)).toContain('/data');
    expect(customIdsOf(preview.data).some((id) => decodeCustomId(id).kind === 'action')).toBe(true);
    expect(bot.sim.countRequests('POST /v1/job/scripts/{script_uuid}')).toBe(executed);
  });

  it('never sent the sensitive parameter to Discord, and every message was within its limits', () => {
    expect(JSON.stringify(fake.calls)).not.toContain(SECRET);
    for (const call of fake.calls.filter((c) => /\/messages/.test(c.path) && (c.method === 'POST' || c.method === 'PATCH'))) {
      expect(messageProblems(call.body as SentMessage), `${call.method} ${call.path}`).toEqual([]);
    }
  });

  it('reported nothing unexpected', () => {
    expect(unexpected).toEqual([]);
  });
});
