/**
 * The terminal's numbered choices, driven as a person types them, with the bot's own posts and
 * edits arriving through the shell surface: a number answers the card it was printed with
 * (a live card's edit in between never takes it over), and only what the person acting may
 * click is numbered (a viewer gets no Pause / Continue / Skip / Cancel on an order card; a
 * requester gets no Approve on their own request, though they may still withdraw it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { SHELL_PLACE, ShellSession } from '../src/adapters/shell/session.js';
import { ShellSurface, type ShellEvent } from '../src/adapters/shell/surface.js';
import type { IdentityMappingConfig } from '../src/config.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { isHealthyHost } from './sim-helpers.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const OPERATION = 'PUT /v1/job/script/orders/{execute_uuid}/operation';
const people: IdentityMappingConfig[] = [
  { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'approver' },
  { platform: 'shell', workspace: 'local', user: 'bob', iamUser: 'bob', role: 'approver' },
  { platform: 'shell', workspace: 'local', user: 'carol', iamUser: 'carol', role: 'viewer' },
  { platform: 'shell', workspace: 'local', user: 'olga', iamUser: 'olga', role: 'operator' },
];

let bot: TestBot;
let session: ShellSession;
let surface: ShellSurface;
const events: ShellEvent[] = [];
const printed: string[] = [];

beforeAll(async () => {
  bot = await makeTestBot({ mappings: people });
  // The terminal's own surface, as `npm start` wires it: what the bot posts or edits is printed into the session.
  surface = new ShellSurface((event) => {
    events.push(event);
    printed.push(session.receive(event));
  }, 'test');
  bot.core.chat.register(surface);
});
afterAll(async () => {
  await bot.close();
});

function hosts(from: number, count: number): string {
  return bot.sim.world.hosts.filter(isHealthyHost).slice(from, from + count).map((h) => h.name).join(',');
}

/** The last live order card printed, as posted (its ref) and as it looked. */
function lastOrderCard(): Extract<ShellEvent, { kind: 'posted' | 'updated' }> {
  const card = events.filter((e): e is Extract<ShellEvent, { kind: 'posted' | 'updated' }> => e.kind !== 'notice' && /^Order SCT/.test(e.message.title ?? '')).at(-1);
  if (!card) throw new Error('no order card was printed');
  return card;
}

async function startOrder(as: string): Promise<string> {
  session = new ShellSession(bot.dispatcher, PLAIN, as);
  expect(await session.handleLine(`run disk_usage --hosts ${hosts(0, 2)} --rotation pause --batch-size 1`)).toContain('[1] Run');
  const started = await session.handleLine('1');
  const uuid = /Started: order (SCT\w+)/.exec(started)?.[1];
  expect(uuid, started).toBeDefined();
  await bot.core.tracker.tick();
  await bot.core.tracker.settled();
  return uuid!;
}

describe('terminal choices belong to the card they were printed with', () => {
  it('a live card edit between the preview and "1" does not take the numbers: the preview runs', async () => {
    const first = await startOrder('olga');
    const live = lastOrderCard();
    expect(live.message.buttons?.map((b) => b.actionId)).toContain('order:pause');

    const preview = await session.handleLine(`run disk_usage --hosts ${hosts(2, 1)}`);
    expect(preview).toContain('[1] Run   [2] Cancel');
    expect(preview).toMatch(/the numbers answer "Run disk_usage on 1 host\?"/);
    bot.sim.resetRequests();

    // The tracker edits the live card of the first order through the shell surface.
    await surface.update(live.posted, live.message);
    const edit = printed.at(-1)!;
    expect(edit).toContain(`── updated (#terminal, card ${live.posted.messageRef}) ──`);
    expect(edit).not.toMatch(/\[1\]/);
    expect(edit).toMatch(/not numbered: the numbers still answer "Run disk_usage on 1 host\?"; "\/answer \S+" numbers these instead/);

    const ran = await session.handleLine('1');
    expect(ran).toMatch(/Started: order SCT/);
    expect(ran).not.toContain(first);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(bot.sim.countRequests(OPERATION)).toBe(0);
    expect(bot.sim.world.orders.get(first)?.status).not.toBe('PAUSED');

    // "/answer <card>" moves the numbers to the live card on purpose.
    const answered = await session.handleLine(`/answer ${live.posted.messageRef}`);
    expect(answered).toMatch(/\[1\] Pause/);
    expect(answered).toContain(`the numbers answer card ${live.posted.messageRef}`);
  });

  it('an edit of the card being answered keeps its numbers on that card', async () => {
    await startOrder('olga');
    const live = lastOrderCard();
    const answered = await session.handleLine(`/answer ${live.posted.messageRef}`);
    expect(answered).toMatch(/\[1\] Pause/);
    await surface.update(live.posted, live.message);
    expect(printed.at(-1)).toMatch(/\[1\] Pause/);
    expect(printed.at(-1)).toContain(`the numbers answer card ${live.posted.messageRef}`);
  });
});

describe('the terminal offers only what the person acting may do', () => {
  it("a viewer's order card has no Pause, Continue, Skip or Cancel", async () => {
    const uuid = await startOrder('olga');
    // As the operator: the order's controls are numbered.
    expect(await session.handleLine(`order show ${uuid}`)).toMatch(/\[1\] Pause[\s\S]*Cancel/);
    const viewer = new ShellSession(bot.dispatcher, PLAIN, 'carol');
    const shown = await viewer.handleLine(`order show ${uuid}`);
    expect(shown).toContain(uuid);
    expect(shown).not.toMatch(/\[\d\] (Pause|Continue|Skip|Cancel)/);
    expect(shown).toMatch(/\[1\] Refresh/);
    expect(await viewer.handleLine('2')).toMatch(/There is no choice 2/);
    // A live card edit printed for the viewer: its controls are not offered either.
    const live = lastOrderCard();
    const edit = viewer.receive({ kind: 'updated', posted: live.posted, message: live.message });
    expect(edit).not.toMatch(/\[\d\] Pause|Buttons: Pause/);
    // Switching person re-offers the card being answered.
    const asOlga = await viewer.handleLine('/as olga');
    expect(asOlga).toMatch(/\[1\] Pause/);
    expect(await viewer.handleLine('/as carol')).not.toMatch(/Pause/);
  });

  it("a requester's own approval request offers no Approve (Reject withdraws it); another approver gets both", async () => {
    session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    await session.handleLine(`run rotate_db_password --hosts ${hosts(3, 2)} --param db_user=app --param new_password=Rq_S3cret_v1`);
    const requested = await session.handleLine('1');
    expect(requested).toContain('Approval requested');
    // The request card posted while her click ran: numbered for her without Approve.
    const card = printed.at(-1)!;
    expect(card).toMatch(/── posted \(#terminal, card \S+\) ──\nApproval needed/);
    expect(card).not.toMatch(/\[\d\]/);
    expect(requested).not.toMatch(/\[\d\] Approve/);
    expect(requested).toMatch(/\[1\] Reject\n.*the numbers answer card \S+ \("Approval needed/);

    const listed = await session.handleLine('approvals');
    expect(listed).toContain('Open approval requests');
    expect(listed).not.toMatch(/\[\d\] Approve/);
    expect(listed).toMatch(/\[1\] Reject/);
    bot.sim.resetRequests();

    const asBob = await session.handleLine('/as bob');
    expect(asBob).toMatch(/\[1\] Approve   \[2\] Reject/);
    expect(await session.handleLine('/as alice')).toMatch(/\[1\] Reject/);
    // Her "1" withdraws (asks for a reason first); it never approves.
    expect(await session.handleLine('1')).toContain('Reject the request');
    expect(await session.handleLine('changed my mind')).toMatch(/Withdrawn/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('a private reply offers only what its reader may click', async () => {
    const reply = await bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: 'carol' }, place: SHELL_PLACE, text: 'approvals' });
    // Not private: shared where it is posted, so its buttons stay (a click is refused with the reason).
    expect(reply.private).toBeUndefined();
    const offered = bot.dispatcher.offeredTo(
      { title: 'x', private: true, buttons: [{ actionId: 'order:pause', label: 'Pause', value: 'u' }, { actionId: 'order:refresh', label: 'Refresh', value: 'u' }] },
      { platform: 'shell', workspaceId: 'local', userId: 'carol' },
      SHELL_PLACE,
      await bot.dispatcher.viewer({ platform: 'shell', workspaceId: 'local', userId: 'carol' }),
    );
    expect(offered.buttons?.map((b) => b.label)).toEqual(['Refresh']);
  });
});
