/**
 * Approvals through ITSM (`approvals.via: itsm`), against an in-memory ITSM on the backend: a
 * HIGH request opens a ticket (parameters masked) before its card is posted; a chat winner's
 * decision reaches the ticket as the person who clicked before anything starts, and only one
 * ITSM accepted starts the run; a decision made in ITSM's own UI is read back and acted on once;
 * a request that ends undecided withdraws its ticket. One bot for the file; each test its own plan.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../src/backends/index.js';
import type { Message } from '../src/core/message.js';
import { readTicketDecisions } from '../src/approvals/itsm-read.js';
import { expireDueApprovals } from '../src/approvals/approvals.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../src/store/approvals.js';
import { getRunPlanByApproval } from '../src/store/run-plans.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { FakeItsm } from './helpers/fake-itsm.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const SECRET = 'Itsm_S3cret_Value';
const HIGH_LINE = `run rotate_db_password --hosts db-01 --param db_user=app --param new_password=${SECRET}`;
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const ROUND = { leftAfterMs: 300_000 };

let bot: TestBot;
const itsm = new FakeItsm('coc');
let offsetMs = 0;

beforeAll(async () => {
  bot = await makeTestBot({ config: { approvals: { via: 'itsm' } }, now: () => new Date(Date.now() + offsetMs) });
  // The deployment's backend with an ITSM: what a BlueKing backend offers as `approvals`.
  // Composed in each invocation's call scope too, as the dispatcher hands backends out.
  const deployed = bot.services.backend;
  const withItsm: Backend = { ...deployed, approvals: itsm, within: (scope) => ({ ...(deployed.within?.(scope) ?? deployed), approvals: itsm }) };
  Object.assign(bot.services, { backend: withItsm });
});
afterAll(async () => {
  await bot?.close();
});
beforeEach(() => {
  itsm.reset();
  bot.sim.resetRequests();
  offsetMs = 0;
});

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const say = (user: string, text: string): Promise<Message> => bot.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (user: string, actionId: string, value: string): Promise<Message> => bot.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

/** Reject: the button asks for a reason, the form's submission decides. */
async function rejectWith(user: string, approvalId: string, reason: string): Promise<Message> {
  const form = await click(user, 'approval:reject', approvalId);
  return bot.handle({ kind: 'submission', actor: actor(user), place: PLACE, formId: form.form!.id, values: { reason }, context: form.form!.context! });
}

function button(message: Message, actionId: string): string {
  const found = message.buttons?.find((b) => b.actionId === actionId);
  if (!found) throw new Error(`no ${actionId} button on "${message.title}"`);
  return found.value;
}

function text(message: Message): string {
  return [message.title, message.text, ...(message.fields ?? []).map((f) => `${f.label} ${f.value}`), message.footer].filter(Boolean).join('\n');
}

/** Alice (or another) previews and requests the HIGH run; returns the request's reply and its row. */
async function request(requester = 'alice'): Promise<{ reply: Message; approval: ApprovalRow }> {
  const posts = bot.surface.posts.length;
  const preview = await say(requester, HIGH_LINE);
  const reply = await click(requester, 'run:go', button(preview, 'run:go'));
  const id = /approval ([0-9a-f-]{36})/.exec(reply.footer ?? '')?.[1];
  if (!id) throw new Error(`no approval id in "${text(reply)}"`);
  const approval = await getApproval(bot.services.db, id);
  if (!approval) throw new Error(`no approval ${id}`);
  expect(bot.surface.posts.length - posts, 'cards posted').toBeLessThanOrEqual(1);
  return { reply, approval };
}

async function row(id: string): Promise<ApprovalRow> {
  const found = await getApproval(bot.services.db, id);
  if (!found) throw new Error(`no approval ${id}`);
  return found;
}

describe('requesting through ITSM', () => {
  it('opens a ticket as the requester with the plan, parameters masked, and posts the card with the ticket', async () => {
    const { reply, approval } = await request();
    expect(reply.title).toBe('Approval requested');
    expect(itsm.count('open')).toBe(1);
    const ticket = itsm.tickets.get(approval.externalRef!)!;
    expect(ticket.request.requester).toBe('alice');
    expect(ticket.request.title).toBe('coc-chatops: rotate_db_password on 1 host');
    const fields = ticket.request.fields;
    expect(Object.keys(fields)).toEqual(['Script', 'Hosts', 'Parameters (sensitive ones masked)', 'Batches', 'Requester', 'Reason', 'Chat request']);
    expect(fields['Hosts']).toBe('db-01');
    expect(fields['Parameters (sensitive ones masked)']).toMatch(/db_user=app/);
    expect(fields['Parameters (sensitive ones masked)']).toMatch(/new_password=\S+/);
    expect(fields['Requester']).toMatch(/^alice \(alice on shell\)$/);
    expect(fields['Chat request']).toBe(approval.id);
    // The secret reaches neither ITSM nor the request's row.
    expect(JSON.stringify(itsm.calls)).not.toContain(SECRET);
    expect(JSON.stringify(approval)).not.toContain(SECRET);
    expect(approval).toMatchObject({ via: 'itsm', externalState: 'open', state: 'requested' });
    expect(approval.externalUrl).toMatch(/^https:\/\/itsm\.example\/ticket\/NO/);
    const card = bot.surface.posts.at(-1)!.message;
    expect(text(card)).toMatch(/ITSM ticket NO\d+ \(https:\/\/itsm\.example/);
    expect(text(card)).toMatch(/only a processor of the ticket can decide/);
    expect(text(await say('bob', `approval show ${approval.id}`))).toMatch(/ITSM ticket NO\d+/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('refuses the request with ITSM\'s reason when ITSM refuses the ticket; no card is posted', async () => {
    itsm.failNext('open', { kind: 'refuse', code: '3900001', message: 'service 7 has no approval node' });
    const posts = bot.surface.posts.length;
    const preview = await say('alice', HIGH_LINE);
    const reply = await click('alice', 'run:go', button(preview, 'run:go'));
    expect(reply.title).toBe('ITSM refused the approval ticket');
    expect(reply.text).toMatch(/3900001: service 7 has no approval node.*the request is void/);
    expect(bot.surface.posts.length).toBe(posts);
    const id = /approval ([0-9a-f-]{36})/.exec(reply.footer ?? '')![1]!;
    expect(await row(id)).toMatchObject({ state: 'void', externalState: 'closed', externalRef: null });
    expect((await getRunPlanByApproval(bot.services.db, id))?.state).toBe('canceled');
  });

  it('says so when the answer to opening is lost: nothing decidable is posted, the ticket is not opened again', async () => {
    itsm.failNext('open', { kind: 'lose', acted: true });
    const posts = bot.surface.posts.length;
    const preview = await say('alice', HIGH_LINE);
    const go = button(preview, 'run:go');
    const reply = await click('alice', 'run:go', go);
    expect(reply.title).toBe('Whether ITSM opened the approval ticket is not known');
    expect(reply.text).toMatch(/"coc-chatops: rotate_db_password on 1 host" may exist in ITSM/);
    expect(bot.surface.posts.length).toBe(posts);
    // Clicked again: the plan is used up, no second ticket.
    expect((await click('alice', 'run:go', go)).tone).toBe('danger');
    expect(itsm.count('open')).toBe(1);
    const id = /approval ([0-9a-f-]{36})/.exec(reply.footer ?? '')![1]!;
    expect((await row(id)).state).toBe('void');
  });
});

describe('deciding in chat', () => {
  it('sends a processor\'s approval to ITSM as them before the run starts, and starts it once', async () => {
    const { approval } = await request();
    let executesAtDecide = -1;
    itsm.onDecide = () => {
      executesAtDecide = bot.sim.countRequests(EXECUTE);
    };
    const reply = await click('bob', 'approval:approve', approval.id);
    expect(reply.title).toMatch(/^Approved: order /);
    expect(itsm.calls.filter((c) => c.method === 'decide').map((c) => c.args.slice(0, 3))).toEqual([[approval.externalRef, 'approve', 'bob']]);
    expect(executesAtDecide).toBe(0);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(await row(approval.id)).toMatchObject({ state: 'executed', approverIamUser: 'bob', externalState: 'closed' });
    // Nothing is left for the ticket's reader.
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(0);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('starts nothing when ITSM took an approval but the ticket waits for another step; starts once when ITSM approves it', async () => {
    const { approval } = await request();
    itsm.steps = 2;
    const reply = await click('bob', 'approval:approve', approval.id);
    expect(reply.title).toBe('Your approval reached ITSM; the ticket waits for more');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect(await row(approval.id)).toMatchObject({ state: 'requested', externalState: 'open' });
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(0);
    itsm.decideInUi(approval.externalRef!, 'approve', 'carol');
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(1);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(await row(approval.id)).toMatchObject({ state: 'executed', approverIamUser: 'carol' });
  });

  it('keeps four eyes before asking ITSM: the requester cannot approve their own request', async () => {
    itsm.processors = ['bob', 'dave'];
    const { approval } = await request('dave');
    const reply = await click('dave', 'approval:approve', approval.id);
    expect(reply.title).toBe('You cannot approve your own request');
    expect(itsm.count('decide')).toBe(0);
  });

  it('tells someone ITSM refuses (not a processor) so, and leaves the request open for a processor', async () => {
    const { approval } = await request();
    const refused = await click('dave', 'approval:approve', approval.id);
    expect(refused.title).toBe('ITSM refused your decision');
    expect(refused.text).toMatch(/dave is not a processor/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect(await row(approval.id)).toMatchObject({ state: 'requested', externalState: 'open', approverIamUser: null });
    expect((await click('bob', 'approval:approve', approval.id)).title).toMatch(/^Approved: order /);
    expect(itsm.count('decide')).toBe(2);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('of 50 concurrent Approve clicks, one reaches ITSM and one run starts', async () => {
    const { approval } = await request();
    const replies = await Promise.all(Array.from({ length: 50 }, () => click('bob', 'approval:approve', approval.id)));
    expect(replies.filter((r) => /^Approved: order /.test(r.title ?? '')).length).toBe(1);
    expect(itsm.count('decide')).toBe(1);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('rejects through ITSM, the requester told; nothing runs', async () => {
    const { approval } = await request();
    const reply = await rejectWith('bob', approval.id, 'not during the sale');
    expect(reply.title).toBe('Rejected');
    expect(itsm.calls.filter((c) => c.method === 'decide').map((c) => c.args)).toEqual([[approval.externalRef, 'reject', 'bob', 'not during the sale']]);
    expect(await row(approval.id)).toMatchObject({ state: 'rejected', approverIamUser: 'bob', decisionNote: 'not during the sale', externalState: 'closed' });
    expect(bot.surface.notices.some((n) => n.person.userId === 'alice' && /bob rejected/.test(n.message.title ?? ''))).toBe(true);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('keeps a decision whose answer was lost undecided, refuses other clicks meanwhile, and acts once on what ITSM did', async () => {
    const { approval } = await request();
    itsm.failNext('decide', { kind: 'lose', acted: true });
    const lost = await click('bob', 'approval:approve', approval.id);
    expect(lost.title).toBe('Your decision was sent to ITSM; its answer was lost');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect(await row(approval.id)).toMatchObject({ state: 'requested', externalState: 'approve-unknown' });
    expect((await click('bob', 'approval:approve', approval.id)).title).toBe('A decision on this request is on its way to ITSM');
    expect(itsm.count('decide')).toBe(1);
    // The ticket says approved: started once, however many rounds read it.
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(1);
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(0);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(await row(approval.id)).toMatchObject({ state: 'executed', approverIamUser: 'bob' });
  });

  it('opens a request again when the lost decision never reached ITSM, and tells the one who clicked', async () => {
    const { approval } = await request();
    itsm.failNext('decide', { kind: 'lose', acted: false });
    await click('bob', 'approval:approve', approval.id);
    const notices = bot.surface.notices.length;
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(1);
    expect(await row(approval.id)).toMatchObject({ state: 'requested', externalState: 'open', approverIamUser: null });
    expect(bot.surface.notices.slice(notices).some((n) => n.person.userId === 'bob' && /did not reach ITSM/.test(n.message.title ?? ''))).toBe(true);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect((await click('bob', 'approval:approve', approval.id)).title).toMatch(/^Approved: order /);
  });
});

describe('left behind by a stopped bot', () => {
  it('reads a decision left on its way only once it is left behind, and voids a ticket left opening', async () => {
    const { approval } = await request();
    // As a process that stopped after claiming the decision, before ITSM answered, leaves it.
    const claimed = await updateApprovalIfVersion(bot.services.db, approval.id, approval.version, { externalState: 'approving', approverChatUserId: 'bob', approverIamUser: 'bob' });
    expect(claimed).toBeDefined();
    // Another replica may be waiting on ITSM right now: not touched while it is recent.
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(0);
    expect(await readTicketDecisions(bot.services, { leftAfterMs: 0 })).toBe(1);
    expect(await row(approval.id)).toMatchObject({ state: 'requested', externalState: 'open', approverIamUser: null });

    const opening = await request();
    await updateApprovalIfVersion(bot.services.db, opening.approval.id, opening.approval.version, { externalState: 'opening', externalRef: null, externalUrl: null });
    expect((await click('bob', 'approval:approve', opening.approval.id)).title).toBe('This request cannot be decided yet');
    expect(await readTicketDecisions(bot.services, { leftAfterMs: 0 })).toBe(1);
    expect(await row(opening.approval.id)).toMatchObject({ state: 'void', externalState: 'closed' });
    expect((await getRunPlanByApproval(bot.services.db, opening.approval.id))?.state).toBe('canceled');
    expect(itsm.count('decide')).toBe(0);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });
});

describe('decisions made in ITSM', () => {
  it('starts an approval made in ITSM\'s own UI exactly once, as the requester', async () => {
    const { approval } = await request();
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(0);
    itsm.decideInUi(approval.externalRef!, 'approve', 'erin');
    const rounds = await Promise.all([readTicketDecisions(bot.services, ROUND), readTicketDecisions(bot.services, ROUND)]);
    expect(rounds.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(0);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(await row(approval.id)).toMatchObject({ state: 'executed', approverIamUser: 'erin', approverChatUserId: null });
    expect((await click('bob', 'approval:approve', approval.id)).title).toBe('This request is already decided');
    expect(itsm.count('decide')).toBe(0);
  });

  it('rejects a request rejected in ITSM, its card updated and the requester told', async () => {
    const { approval } = await request();
    const updates = bot.surface.updates.length;
    itsm.decideInUi(approval.externalRef!, 'reject', 'erin');
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(1);
    expect(await row(approval.id)).toMatchObject({ state: 'rejected', approverIamUser: 'erin' });
    expect(bot.surface.updates.length).toBeGreaterThan(updates);
    expect(bot.surface.notices.some((n) => n.person.userId === 'alice' && /erin rejected/.test(n.message.title ?? ''))).toBe(true);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('starts nothing when the requester approves their own ticket in ITSM', async () => {
    const { approval } = await request();
    itsm.decideInUi(approval.externalRef!, 'approve', 'alice');
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(1);
    expect((await row(approval.id)).state).toBe('void');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('withdraws the ticket of a request that expires, and of one the requester withdraws', async () => {
    const first = await request();
    offsetMs = 31 * 60_000;
    expect(await expireDueApprovals(bot.services)).toBeGreaterThanOrEqual(1);
    expect(itsm.calls.filter((c) => c.method === 'withdraw').map((c) => c.args)).toContainEqual([first.approval.externalRef, 'alice']);
    expect(itsm.tickets.get(first.approval.externalRef!)?.state).toBe('withdrawn');
    offsetMs = 0;
    const second = await request('dave');
    expect((await rejectWith('dave', second.approval.id, 'wrong hosts')).title).toBe('Withdrawn');
    expect(itsm.tickets.get(second.approval.externalRef!)?.state).toBe('withdrawn');
    expect(itsm.calls.filter((c) => c.method === 'withdraw').map((c) => c.args)).toContainEqual([second.approval.externalRef, 'dave']);
    expect(itsm.count('decide')).toBe(0);
  });
});
