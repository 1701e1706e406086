/**
 * A HIGH-risk runbook under four eyes (`runbook run <id>`), an approved platform action of kind
 * runbook-execute, against the simulator over HTTP: the preview offers Request approval and
 * nothing is sent before a second authorised person approves; the requester cannot approve their
 * own, an operator cannot approve at all; the approval re-checks the runbook (another version,
 * other definitions or values that no longer fit = void, naming what changed); exactly one
 * POST /v1/documents/{id} reaches the simulator, the answer is the execution card and its live card
 * is posted where the requester asked; reject,
 * withdraw and expiry send nothing; recovery never sends again; the fault matrix of the approved
 * execute; two bots on one PostgreSQL store clicked at once and replayed send one execute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import { expireDueApprovals } from '../src/approvals/approvals.js';
import { startSimulator } from '../src/sim/server.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { getApproval, updateApprovalIfVersion } from '../src/store/approvals.js';
import { getPlatformAction, movePlatformActionWrite } from '../src/store/platform-actions.js';
import { listExecutionCards } from '../src/store/tracked-executions.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { announceSkip, postgresLeg } from './helpers/store-legs.js';
import { click, submit } from './incident-helpers.js';
import { requestThroughPreview } from './helpers/approval-request.js';
import { writeFaultCases } from './helpers/write-faults.js';

const EXECUTE = 'POST /v1/documents/{document_id}';
const EXECUTIONS = 'GET /v1/executions';
const FAILOVER = 'runbook run DOC-db-failover --param cluster=orders-main --param reason=drill';
const PEOPLE: IdentityMappingConfig[] = [
  ...DEMO_MAPPINGS,
  { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'ann', iamUser: 'ann', role: 'approver' },
  { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'li', iamUser: 'li', role: 'operator', locale: 'zh-CN' },
];

const textOf = (message: Message) => [message.title, message.text, ...(message.fields ?? []).map((field) => `${field.label}: ${field.value}`)].filter(Boolean).join('\n');
/** Previews the runbook and presses Request approval; the request's id. */
const requestRunbook = (bot: TestBot, user: string, line = FAILOVER) => requestThroughPreview(bot, user, line, 'runbook:run-request');

describe('four eyes for a HIGH-risk runbook', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
  });
  afterAll(async () => {
    await bot?.close();
  });
  const board = () => runbooksOf(bot.sim.world);

  it('files a request, refuses the requester and an operator, executes once on another approver’s click', async () => {
    const before = bot.sim.countRequests(EXECUTE);
    const { preview, requested, id } = await requestRunbook(bot, 'ann');
    expect(preview.title).toBe('Run runbook Fail the orders database over?');
    expect(textOf(preview)).toContain('Parameters: cluster=orders-main\nreason=drill');
    expect(requested.title).toBe('Approval requested: runbook Fail the orders database over');
    // The card, posted where approvals go: the plan (runbook, version, risk, values) and Approve / Reject.
    const card = bot.surface.posts.find((post) => post.message.footer === `approval ${id}`)!.message;
    expect(card.title).toBe('Approve running runbook Fail the orders database over?');
    expect(textOf(card)).toContain('Runbook: Fail the orders database over (DOC-db-failover)');
    expect(textOf(card)).toContain('Version: v2');
    expect(textOf(card)).toMatch(/Risk: .*High/);
    expect(textOf(card)).toContain('Parameters: cluster=orders-main\nreason=drill');
    expect(card.buttons?.map((b) => b.actionId)).toEqual(['approval:approve', 'approval:reject']);
    expect(await getPlatformAction(bot.store.db, id)).toMatchObject({
      kind: 'runbook-execute',
      writeState: 'none',
      plan: { kind: 'runbook-execute', runbookId: 'coc:template:DOC-db-failover', version: 'v2', risk: 'HIGH', parameters: { cluster: 'orders-main', reason: 'drill' }, requestedBy: 'ann' },
    });

    expect((await click(bot, 'ann', 'approval:approve', id)).title).toBe('You cannot approve your own request');
    expect((await click(bot, 'alice', 'approval:approve', id)).outcome).not.toBe('succeeded');
    expect(bot.sim.countRequests(EXECUTE)).toBe(before);

    const approved = await click(bot, 'bob', 'approval:approve', id);
    const executionId = (await getPlatformAction(bot.store.db, id))!.result!;
    expect(executionId).toMatch(/^EXE/);
    // The answer: the execution id and its card (steps, buttons for what it allows now).
    expect(approved.title, textOf(approved)).toBe(`Approved: runbook Fail the orders database over started — Runbook execution ${executionId}: running`);
    expect(approved.text).toContain(`runbook execution ${executionId}`);
    expect(approved.table?.rows.map((row) => row[0])).toEqual(['1. Check replication lag', '2. Confirm the switch', '3. Switch to standby', '4. Verify writes']);
    expect(bot.sim.countRequests(EXECUTE)).toBe(before + 1);
    expect(board().execution(executionId)).toMatchObject({ parameters: [{ key: 'cluster', value: 'orders-main' }, { key: 'reason', value: 'drill' }], description: 'chat: ann' });
    // The execution's live card, posted where ann asked (as an approved order's is), tracked until it ends.
    const action = (await getPlatformAction(bot.store.db, id))!;
    const live = bot.surface.posts.find((post) => post.message.title === `Runbook execution ${executionId}: running`);
    expect(live?.posted.channelId).toBe(action.channelId);
    expect(live?.message.footer).toContain('This card updates itself until the execution ends.');
    expect(await listExecutionCards(bot.store.db, `coc:execution:${executionId}`)).toHaveLength(1);
    // A replayed click sends nothing.
    expect((await click(bot, 'bob', 'approval:approve', id)).title).toBe('This request is already decided');
    expect(bot.sim.countRequests(EXECUTE)).toBe(before + 1);
    expect(await getApproval(bot.store.db, id)).toMatchObject({ state: 'executed', approverIamUser: 'bob', requesterIamUser: 'ann' });
    expect(bot.surface.notices.some((n) => n.message.title === 'bob approved your run of runbook Fail the orders database over: it started')).toBe(true);
    expect(bot.surface.updates.some((u) => (u.message.fields?.[0]?.value ?? '').includes(`Approved by bob; the runbook started (execution ${executionId})`))).toBe(true);
  });

  it('voids a request whose runbook changed since, naming what changed, and sends nothing', async () => {
    const original = board().document('DOC-db-failover')!;
    const version = await requestRunbook(bot, 'alice');
    const values = await requestRunbook(bot, 'alice');
    const before = bot.sim.countRequests(EXECUTE);
    try {
      board().addDocument({ ...original, version: 'v3' });
      const stale = await click(bot, 'bob', 'approval:approve', version.id);
      expect(stale.title).toBe('Runbook Fail the orders database over changed since the request');
      expect(stale.text).toContain('its version is v3 (was v2)');
      expect(stale.text).toContain('nothing was sent');
      expect((await getApproval(bot.store.db, version.id))?.state).toBe('void');
      expect(bot.surface.notices.some((n) => n.message.title === 'Your run of runbook Fail the orders database over is void')).toBe(true);

      // Same version, but the values no longer fit the definitions now.
      board().addDocument({ ...original, parameters: original.parameters.map((p) => (p.name === 'cluster' ? { ...p, pattern: '^db-[a-z]+$' } : p)) });
      const unfit = await click(bot, 'bob', 'approval:approve', values.id);
      expect(unfit.text).toContain('the values no longer fit: cluster: must match ^db-[a-z]+$, got "orders-main"');
      expect(bot.sim.countRequests(EXECUTE)).toBe(before);
    } finally {
      board().addDocument(original);
    }
  });

  it('lets the requester withdraw and an approver reject, and expires undecided, sending nothing', async () => {
    const before = bot.sim.countRequests(EXECUTE);
    const rejected = await requestRunbook(bot, 'alice');
    expect((await submit(bot, 'bob', 'approval:reject-reason', { reason: 'not during the sale' }, rejected.id)).title).toBe('Rejected');
    expect(bot.surface.notices.some((n) => n.message.title === 'bob rejected your run of runbook Fail the orders database over')).toBe(true);
    expect((await submit(bot, 'ann', 'approval:reject-reason', { reason: 'mine' }, (await requestRunbook(bot, 'ann')).id)).title).toBe('Withdrawn');
    const expiring = await requestRunbook(bot, 'alice');
    await bot.store.db.query(`UPDATE approvals SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.id]);
    expect(await expireDueApprovals(bot.services)).toBeGreaterThanOrEqual(1);
    expect(bot.surface.notices.some((n) => n.message.title === 'Your run of runbook Fail the orders database over expired')).toBe(true);
    for (const id of [rejected.id, expiring.id]) expect((await click(bot, 'bob', 'approval:approve', id)).title).toBe('This request is already decided');
    expect(bot.sim.countRequests(EXECUTE)).toBe(before);
  });

  it('speaks Chinese to a Chinese-speaking requester', async () => {
    const { preview, requested, id } = await requestRunbook(bot, 'li');
    expect(preview.buttons?.[0]?.label).toBe('申请审批');
    expect(requested.title).toBe('已提交审批请求：执行作业 Fail the orders database over');
    await click(bot, 'bob', 'approval:approve', id);
    expect(bot.surface.notices.some((n) => n.message.title === 'bob 批准了您执行作业 Fail the orders database over 的请求：已开始执行')).toBe(true);
  });

  it('recovery never sends again: a request left approved is settled by the runbook’s executions', async () => {
    const notSent = await requestRunbook(bot, 'alice');
    const sent = await requestRunbook(bot, 'ann');
    for (const id of [notSent.id, sent.id]) {
      const approval = (await getApproval(bot.store.db, id))!;
      await updateApprovalIfVersion(bot.store.db, id, approval.version, { state: 'approved', approverChatUserId: 'bob', approverIamUser: 'bob', decidedAt: new Date() });
    }
    // One stopped before its write was stamped; the other after its execute reached COC.
    await movePlatformActionWrite(bot.store.db, sent.id, ['none'], { writeState: 'sending' });
    const started = board().execute(board().document('DOC-db-failover')!, [{ key: 'cluster', value: 'orders-main' }, { key: 'reason', value: 'drill' }], 'ann', 'chat: ann');
    const before = bot.sim.countRequests(EXECUTE);
    expect((await recoverInterruptedRuns(bot.services, { leftAfterMs: 0 })).approvalsSettled).toBeGreaterThanOrEqual(2);
    expect(await getApproval(bot.store.db, notSent.id)).toMatchObject({ state: 'failed' });
    expect((await getApproval(bot.store.db, notSent.id))?.error).toContain('before the request was sent: nothing ran');
    expect(await getApproval(bot.store.db, sent.id)).toMatchObject({ state: 'executed' });
    expect((await getPlatformAction(bot.store.db, sent.id))?.result).toBe(started.executionId);
    expect(bot.sim.countRequests(EXECUTE)).toBe(before);
  });
});

describe('the approved execute under faults: told what COC did, sent once', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot({ mappings: PEOPLE, expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
  });
  afterAll(async () => {
    await bot?.close();
  });
  const board = () => runbooksOf(bot.sim.world);
  const FAULTS = writeFaultCases('COC.00040601');
  it.each(FAULTS)('$name', async ({ name, fault, acts, refused }) => {
    const told = refused ? 'refused' : acts ? 'done' : 'not-done';
    const state = acts ? 'executed' : 'failed';
    const { id } = await requestRunbook(bot, 'alice');
    const sent = bot.sim.countRequests(EXECUTE);
    const executions = board().allExecutions().length;
    const intents = async () => (await listAuditEvents(bot.store.db, { limit: 500 })).filter((row) => row.command === `coc ${EXECUTE}`);
    const audited = (await intents()).length;
    bot.sim.faults.set(EXECUTE, { ...fault, times: 1 });
    let reply: Message;
    try {
      reply = await click(bot, 'bob', 'approval:approve', id);
    } finally {
      bot.sim.faults.clear(EXECUTE);
    }
    const text = textOf(reply);
    expect(bot.sim.countRequests(EXECUTE) - sent, `${name}: ${text}`).toBe(1);
    expect(board().allExecutions().length - executions, text).toBe(told === 'done' ? 1 : 0);
    if (told === 'done') expect(text).toContain('Confirmed by the runbook’s executions');
    if (told === 'not-done') expect(reply.title, text).toBe('Approved, but it did not run');
    if (told === 'refused') expect(reply.title, text).toBe('Approved, but COC refused to run it');
    expect((await getApproval(bot.store.db, id))?.state).toBe(state);
    // The write's intent, recorded once before it was sent and closed with what became of it; the approval's row with its outcome.
    const rows = await intents();
    expect(rows.length - audited, text).toBe(1);
    expect(rows[0]!.outcome, text).not.toBe('pending');
    const audit = await listAuditEvents(bot.store.db, { limit: 500 });
    expect(audit.some((row) => row.target === id && row.maskedParameters['outcome'] === told), JSON.stringify(audit.filter((row) => row.target === id))).toBe(true);
    await click(bot, 'dave', 'approval:approve', id);
    expect(bot.sim.countRequests(EXECUTE) - sent).toBe(1);
  });

  it('an answer lost after COC acted, unreadable too: told "unknown", then settled by recovery, never sent again', async () => {
    const { id } = await requestRunbook(bot, 'alice');
    const sent = bot.sim.countRequests(EXECUTE);
    bot.sim.faults.set(EXECUTE, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    bot.sim.faults.set(EXECUTIONS, { kind: 'status', status: 503, times: 1 });
    let reply: Message;
    try {
      reply = await click(bot, 'bob', 'approval:approve', id);
    } finally {
      bot.sim.faults.clear(EXECUTE);
      bot.sim.faults.clear(EXECUTIONS);
    }
    expect(reply.title, textOf(reply)).toBe('Approved; whether runbook Fail the orders database over started is unknown');
    expect(await getApproval(bot.store.db, id)).toMatchObject({ state: 'unknown' });
    expect(bot.surface.notices.some((n) => n.message.title === 'bob approved your run of runbook Fail the orders database over; whether it started is unknown')).toBe(true);
    expect((await recoverInterruptedRuns(bot.services, { leftAfterMs: 0 })).platformActionsSettled).toBe(1);
    expect(await getApproval(bot.store.db, id)).toMatchObject({ state: 'executed' });
    expect((await getPlatformAction(bot.store.db, id))?.result).toMatch(/^EXE/);
    expect(bot.surface.notices.some((n) => n.message.title === 'bob approved your run of runbook Fail the orders database over: it started')).toBe(true);
    expect(bot.sim.countRequests(EXECUTE) - sent).toBe(1);
  });
});

describe('two bots, one store (PostgreSQL)', () => {
  announceSkip(postgresLeg, 'runbook-approval.test.ts');
  it.skipIf(postgresLeg.skipReason !== undefined)('an approval clicked on both at once and replayed sends one execute', async () => {
    const sim = await startSimulator({ tickMs: 0 });
    const store = postgresLeg.freshOptions();
    const one = await makeTestBot({ simulator: sim, store, mappings: PEOPLE });
    const two = await makeTestBot({ simulator: sim, store, mappings: PEOPLE });
    try {
      const { id } = await requestRunbook(one, 'alice');
      const before = sim.countRequests(EXECUTE);
      const [a, b] = await Promise.all([click(one, 'bob', 'approval:approve', id), click(two, 'dave', 'approval:approve', id)]);
      expect([a.title, b.title].filter((title) => title?.startsWith('Approved:'))).toHaveLength(1);
      expect(sim.countRequests(EXECUTE)).toBe(before + 1);
      // Replayed on each bot, later: nothing more reaches the simulator.
      expect((await click(two, 'bob', 'approval:approve', id)).title).toBe('This request is already decided');
      expect((await click(one, 'dave', 'approval:approve', id)).title).toBe('This request is already decided');
      expect(sim.countRequests(EXECUTE)).toBe(before + 1);
      expect((await getApproval(two.store.db, id))?.state).toBe('executed');
    } finally {
      await one.close();
      await two.close();
      await sim.close();
    }
  });
});
