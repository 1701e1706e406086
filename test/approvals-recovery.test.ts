/**
 * A start whose outcome is unknown is never sent again: COC not answering the execute request,
 * and the bot stopping between an approval and COC's answer (simulated by leaving the rows as a
 * crash would, then starting a new bot on the same data folder). Each becomes 'unknown' (never
 * "did not start"), its requester told, and is reconciled against COC's order list: an order
 * COC did create is adopted; the check the bot advises lists it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import { getApproval, updateApprovalIfVersion } from '../src/store/approvals.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { getRunPlanByApproval, moveRunPlan } from '../src/store/run-plans.js';
import { cocExecuteBody } from '../src/backends/coc/run-start.js';
import { nativeOf } from '../src/backends/index.js';
import { executionRequestOf } from '../src/run/plan-details.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { announceSkip, storeLegs } from './helpers/store-legs.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const HIGH_LINE = 'run rotate_db_password --tag role=db --param db_user=app --param new_password=Interrupted_S3cret --batch-size 3';
const APPROVERS: IdentityMappingConfig[] = ['alice', 'bob', 'carol'].map((name) => ({ platform: 'shell' as const, workspace: 'local', user: name, iamUser: name, role: 'approver' as const }));

const bots: TestBot[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.close()));
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function bot(options: Parameters<typeof makeTestBot>[0] = {}): Promise<TestBot> {
  const made = await makeTestBot({ mappings: APPROVERS, ...options });
  bots.push(made);
  return made;
}

function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}
const say = (b: TestBot, user: string, text: string): Promise<Message> => b.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (b: TestBot, user: string, actionId: string, value: string): Promise<Message> => b.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

/** alice previews and requests; returns the approval id. */
async function requested(b: TestBot, line = HIGH_LINE): Promise<string> {
  const preview = await say(b, 'alice', line);
  const plan = preview.buttons?.find((x) => x.actionId === 'run:go')?.value;
  if (!plan) throw new Error(`no preview: ${preview.title} ${preview.text}`);
  const reply = await click(b, 'alice', 'run:go', plan);
  const id = /approval (\S+)/.exec(reply.footer ?? '')?.[1];
  if (!id) throw new Error(`no approval: ${reply.title}`);
  return id;
}

/** What a crash leaves when it strikes after Approve won (and, with `starting`, after the plan moved on). */
async function leaveApproved(b: TestBot, approvalId: string, plan: 'requested' | 'starting'): Promise<void> {
  const approval = await getApproval(b.store.db, approvalId);
  await updateApprovalIfVersion(b.store.db, approvalId, approval!.version, { state: 'approved', approverChatUserId: 'bob', approverIamUser: 'bob', decidedAt: new Date() });
  if (plan === 'starting') {
    const row = await getRunPlanByApproval(b.store.db, approvalId);
    expect(await moveRunPlan(b.store.db, row!.id, ['requested'], 'starting')).toBeDefined();
  }
}

/** The audit row an execute gets before it is sent, as the approving click would have written it. */
async function recordExecute(b: TestBot, approvalId: string): Promise<void> {
  await b.store.db.query(
    `INSERT INTO audit_events (write_intent, platform, workspace_id, chat_user_id, iam_user_name, command, target, masked_parameters, outcome)
     VALUES (true, 'shell', 'local', 'bob', 'bob', 'coc POST /v1/job/scripts/{script_uuid}', $1, '{"invocation":"approval:approve"}', 'pending')`,
    [approvalId],
  );
}

async function until(check: () => Promise<boolean>, what: string, debug?: () => Promise<string>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}${debug ? `: ${await debug()}` : ''}`);
}

describe('COC does not answer the execute request', () => {
  it('records the outcome as unknown, tells the requester, and never sends it again', async () => {
    const b = await bot({ cocClient: { timeoutMs: 300 } });
    const id = await requested(b);
    b.sim.faults.set(EXECUTE, { kind: 'hang', times: 1 });
    b.sim.resetRequests();
    const reply = await click(b, 'bob', 'approval:approve', id);
    expect(reply.title).toBe('Approved; whether the run started is not known yet');
    expect(reply.text).toMatch(/may or may not be running\. It was not sent again\..*"orders --mine --since 1h" lists it as soon as COC shows it/);
    expect(b.sim.countRequests(EXECUTE)).toBe(1);
    expect((await getApproval(b.store.db, id))?.state).toBe('unknown');
    expect(b.surface.notices.some((n) => n.person.userId === 'alice' && n.message.title === 'bob approved your run of rotate_db_password; whether it started is unknown')).toBe(true);
    expect((await click(b, 'carol', 'approval:approve', id)).title).toBe('This request is already decided');
    expect(b.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('the advised check, typed as written, lists the order COC created while its answer and the first look were lost', async () => {
    const b = await bot({ cocClient: { timeoutMs: 300, retry: { retries: 0 } } });
    const id = await requested(b);
    // The execute's answer is lost after COC acted, and every read fails while the bot looks at once.
    b.sim.faults.set(EXECUTE, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    b.sim.faults.set('GET /v1/job/script/orders', { kind: 'status', status: 503 });
    const before = b.sim.world.orders.all().length;
    const reply = await click(b, 'bob', 'approval:approve', id);
    b.sim.faults.clear();
    const created = b.sim.world.orders.all().slice(before);
    expect(created).toHaveLength(1);
    expect(reply.title).toBe('Approved; whether the run started is not known yet');
    const advised = /"(orders --mine --since 1h)"/.exec(reply.text ?? '')?.[1];
    expect(advised).toBe('orders --mine --since 1h');
    const listed = await say(b, 'alice', advised!);
    expect(listed.table?.rows.map((row) => row[0])).toContain(created[0]!.executeUuid);
    expect((await getApproval(b.store.db, id))?.state).toBe('executed');
    expect(b.sim.countRequests(EXECUTE)).toBe(1);
  });
});

describe('the bot stopped in the middle of a start', () => {
  let sim: Simulator | undefined;
  afterAll(async () => {
    await sim?.close();
  });

  it('settles every interrupted start at the next start-up, executing nothing again', async () => {
    sim = await startSimulator({ tickMs: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'coc-recovery-'));
    dirs.push(dir);
    const store = { dataDir: join(dir, 'pglite') };

    const before = await bot({ simulator: sim, store });
    const unknown = await requested(before);
    const notSent = await requested(before);
    const ranAnyway = await requested(before);
    // Batched differently: an order is recognised by its script and its hosts batch by batch.
    const reachedCoc = await requested(before, HIGH_LINE.replace('--batch-size 3', '--batch-size 2'));
    await leaveApproved(before, unknown, 'starting');
    await recordExecute(before, unknown);
    await leaveApproved(before, notSent, 'requested');
    // Left starting before its execute was recorded: known never to have been sent.
    const neverSent = await requested(before);
    await leaveApproved(before, neverSent, 'starting');
    // The third one reached COC and was recorded, but its live card was never asked for.
    await leaveApproved(before, ranAnyway, 'starting');
    const healthy = sim.world.hosts.filter(isHealthyHost);
    const executeUuid = await before.coc.executeScript(scriptUuid(sim, 'rotate_db_password'), executeBody([{ hosts: [healthy[0]!] }]));
    const ranPlan = await getRunPlanByApproval(before.store.db, ranAnyway);
    await moveRunPlan(before.store.db, ranPlan!.id, ['starting'], 'started', { runId: `coc:run:${executeUuid}` });
    // The fourth reached COC, which created its order, but the bot died before the answer was recorded.
    await leaveApproved(before, reachedCoc, 'starting');
    await recordExecute(before, reachedCoc);
    const reachedPlan = (await getRunPlanByApproval(before.store.db, reachedCoc))!;
    const reachedUuid = await before.coc.executeScript(nativeOf(reachedPlan.scriptId), cocExecuteBody(executionRequestOf(reachedPlan, { db_user: 'app', new_password: 'Interrupted_S3cret' })));
    await before.close();
    bots.splice(bots.indexOf(before), 1);

    sim.resetRequests();
    const after = await bot({ simulator: sim, store, startBackground: true });
    await until(
      async () =>
        (await getApproval(after.store.db, ranAnyway))?.state === 'executed' &&
        (await getApproval(after.store.db, unknown))?.state === 'unknown' &&
        (await getApproval(after.store.db, reachedCoc))?.state === 'executed',
      'the interrupted starts to be settled',
      async () => JSON.stringify([(await getApproval(after.store.db, ranAnyway))?.state, (await getApproval(after.store.db, unknown))?.state, (await getApproval(after.store.db, reachedCoc))?.state]),
    );

    const settledUnknown = await getApproval(after.store.db, unknown);
    expect(settledUnknown?.error).toMatch(/^outcome unknown: the answer to the execute request was lost \(the bot stopped while waiting for it\).*It was not sent again/);
    expect((await getRunPlanByApproval(after.store.db, unknown))?.state).toBe('unknown');
    const settledNeverSent = await getApproval(after.store.db, neverSent);
    expect(settledNeverSent?.state).toBe('failed');
    expect(settledNeverSent?.error).toMatch(/^the bot stopped before the execute request was sent .*: nothing ran/);
    const settledNotSent = await getApproval(after.store.db, notSent);
    expect(settledNotSent?.state).toBe('failed');
    expect(settledNotSent?.error).toMatch(/before the run was sent to COC: nothing ran\. Request it again/);
    expect((await getApproval(after.store.db, ranAnyway))?.runId).toBe(`coc:run:${executeUuid}`);
    // The order COC created for the interrupted start is adopted, exactly as if its answer had arrived.
    expect((await getApproval(after.store.db, reachedCoc))?.runId).toBe(`coc:run:${reachedUuid}`);
    expect((await getRunPlanByApproval(after.store.db, reachedCoc))?.runId).toBe(`coc:run:${reachedUuid}`);

    // Nothing was executed again; the orders that did start got their live cards.
    expect(sim.countRequests(EXECUTE)).toBe(0);
    const { rows } = await after.store.db.query('SELECT run_id FROM tracked_orders');
    expect(rows.map((r) => r['run_id']).sort()).toEqual([`coc:run:${executeUuid}`, `coc:run:${reachedUuid}`].sort());

    const toAlice = after.surface.notices.filter((n) => n.person.userId === 'alice').map((n) => n.message.title);
    expect(toAlice).toContain('bob approved your run of rotate_db_password; whether it started is unknown');
    expect(toAlice).toContain('bob approved your run of rotate_db_password, but it did not start');
    expect(toAlice).toContain(`bob approved your run of rotate_db_password: order ${executeUuid} started`);
    expect(toAlice).toContain(`Your run of rotate_db_password started: order ${reachedUuid} (COC's answer was lost; the bot found the order in COC)`);
    expect(after.surface.updates.some((u) => /Approved by bob at .*; outcome unknown/.test(u.message.text ?? ''))).toBe(true);

    const system = (await listAuditEvents(after.store.db, { limit: 100 })).filter((e) => e.platform === 'system');
    expect(system.filter((e) => e.command === 'run interrupted')).toHaveLength(2);
    expect(system.filter((e) => e.command === 'run outcome unknown')).toHaveLength(2);
    expect(system.filter((e) => e.command === 'run started (confirmed after a lost answer)' && e.maskedParameters['run'] === `coc:run:${reachedUuid}`)).toHaveLength(1);
    expect(JSON.stringify(system)).not.toContain('Interrupted_S3cret');

    // A later click changes nothing.
    expect((await click(after, 'carol', 'approval:approve', unknown)).title).toBe('This request is already decided');
    expect(sim.countRequests(EXECUTE)).toBe(0);
    // A second round finds nothing new to settle (the unknown one is still looked for, and not yet proven absent).
    expect(await recoverInterruptedRuns(after.services, { leftAfterMs: 0 })).toMatchObject({ unknownOutcome: 0, approvalsSettled: 0, cardsResumed: 0, foundInCoc: 0, provenAbsent: 0 });
  });
});

describe.each(storeLegs)('another replica may still be waiting on COC ($name)', (leg) => {
  announceSkip(leg, 'approvals-recovery.test.ts');
  it.skipIf(leg.skipReason !== undefined)('leaves a start alone until it is older than any COC request can take', async () => {
    // On PGlite, an empty migrated store from the worker's pool (a new one through openStore would run initdb).
    const b = await bot(leg.name === 'PGlite' ? {} : { store: leg.freshOptions() });
    const id = await requested(b);
    await leaveApproved(b, id, 'starting');
    await recordExecute(b, id);
    const options = { leftAfterMs: 5 * 60_000 };
    expect(await recoverInterruptedRuns(b.services, options)).toMatchObject({ unknownOutcome: 0, approvalsSettled: 0, cardsResumed: 0 });
    expect((await getApproval(b.store.db, id))?.state).toBe('approved');
    await b.store.db.query(`UPDATE run_plans SET updated_at = now() - interval '6 minutes'`);
    await b.store.db.query(`UPDATE approvals SET updated_at = now() - interval '6 minutes'`);
    expect((await recoverInterruptedRuns(b.services, options)).unknownOutcome).toBe(1);
    expect((await getApproval(b.store.db, id))?.state).toBe('unknown');
    expect(b.sim.countRequests(EXECUTE)).toBe(0);
  });
});
