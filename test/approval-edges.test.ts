/**
 * The edges of an approval where the run must not happen:
 *
 * - the script changes after Approve won but before the execute (the test holds the claim in
 *   the database open and edits the script meanwhile): the script read right before the execute
 *   sees the change, nothing is sent, the request is void; the gap left between that read and
 *   the execute is measured on the simulator's own clock and printed;
 * - the requester is unlinked after asking: Approve voids the request, nothing is sent; an open
 *   request of an unlinked requester is voided by the sweep too;
 * - a plan left 'requested' without its approval row (the process died between the two
 *   writes): the sweep fails it, drops its sealed values and tells the requester.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nativeOf } from '../src/backends/index.js';
import type { IdentityMappingConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import type { Db } from '../src/store/db.js';
import { getApproval, updateApprovalIfVersion } from '../src/store/approvals.js';
import { getRunPlan, getRunPlanByApproval, moveRunPlan } from '../src/store/run-plans.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const SCRIPT_READ = 'GET /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const HIGH_LINE = 'run rotate_db_password --hosts db-01 --param db_user=app --param new_password=Edge_S3cret';
const PEOPLE: IdentityMappingConfig[] = [
  { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'operator' },
  { platform: 'shell', workspace: 'local', user: 'bob', iamUser: 'bob', role: 'approver' },
];

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const say = (b: TestBot, user: string, text: string): Promise<Message> => b.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (b: TestBot, user: string, actionId: string, value: string): Promise<Message> => b.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

async function preview(b: TestBot): Promise<string> {
  const shown = await say(b, 'alice', HIGH_LINE);
  const plan = shown.buttons?.find((x) => x.actionId === 'run:go')?.value;
  if (!plan) throw new Error(`no preview: ${shown.title} ${shown.text}`);
  return plan;
}

async function requested(b: TestBot): Promise<string> {
  const reply = await click(b, 'alice', 'run:go', await preview(b));
  const id = /approval (\S+)/.exec(reply.footer ?? '')?.[1];
  if (!id) throw new Error(`no approval: ${reply.title}`);
  return id;
}

/** Runs `meanwhile` once, when the first query `matches` is about to be sent, before it is. */
function holdQuery(db: Db, matches: RegExp | ((text: string, params?: unknown[]) => boolean), meanwhile: () => Promise<void>): void {
  const query = db.query.bind(db);
  const hit = typeof matches === 'function' ? matches : (text: string) => matches.test(text);
  let held = false;
  db.query = (async (text: string, params?: unknown[]) => {
    if (!held && hit(text, params)) {
      held = true;
      await meanwhile();
    }
    return query(text, params as never);
  }) as Db['query'];
}

/** Runs `meanwhile` when the plan's claim ('starting') is about to be written, before it is. */
function holdClaim(db: Db, meanwhile: () => Promise<void>): void {
  holdQuery(db, (text, params) => /UPDATE run_plans/.test(text) && Array.isArray(params) && params[2] === 'starting', meanwhile);
}

describe('the script changes after Approve won', () => {
  it('is read again immediately before the execute: nothing is sent, the request is void', async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
    const b = bot;
    const id = await requested(b);
    holdClaim(b.store.db, async () => {
      await b.coc.updateScript(scriptUuid(b.sim, 'rotate_db_password'), { description: 'rotates the password', content: '#!/bin/sh\necho changed in the window' });
    });
    const reply = await click(b, 'bob', 'approval:approve', id);
    expect(reply.title).toBe('The script changed after the request');
    expect(b.sim.countRequests(EXECUTE)).toBe(0);
    expect((await getApproval(b.store.db, id))?.state).toBe('void');
    expect((await getRunPlanByApproval(b.store.db, id))?.state).toBe('canceled');
    expect(b.surface.notices.some((n) => n.person.userId === 'alice' && n.message.title === 'Your request to run rotate_db_password is void')).toBe(true);
  });

  it('leaves only the audit intent between the script read and the execute (measured on the simulator)', async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
    const id = await requested(bot);
    bot.sim.resetRequests();
    const reply = await click(bot, 'bob', 'approval:approve', id);
    expect(reply.title).toMatch(/^Approved: order /);
    const requests = bot.sim.requests;
    const execute = requests.findIndex((r) => r.routeKey === EXECUTE);
    expect(execute).toBeGreaterThan(0);
    // The last COC request before the execute is the script read that checks it.
    expect(requests[execute - 1]?.routeKey).toBe(SCRIPT_READ);
    const gapMs = requests[execute]!.at - requests[execute - 1]!.at;
    console.log(`script check → execute: ${gapMs} ms on the simulator's clock (no COC request in between)`);
    expect(gapMs).toBeGreaterThanOrEqual(0);
  });
});

describe('a start that stalls until recovery judges it unsent', () => {
  it('never sends its execute when it wakes', async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
    const b = bot;
    const id = await requested(b);
    let report: Awaited<ReturnType<typeof recoverInterruptedRuns>> | undefined;
    // The start stalls right before it is stamped as sent; meanwhile another replica's recovery
    // finds it 'starting', never stamped, with no audit row of an execute.
    holdQuery(b.store.db, /SET execute_sent_at = now\(\)/, async () => {
      report = await recoverInterruptedRuns(b.services, { leftAfterMs: 0 });
    });
    const reply = await click(b, 'bob', 'approval:approve', id);
    expect(report?.unknownOutcome).toBe(1);
    expect(reply.text).toMatch(/settled as not sent meanwhile; it was not sent/);
    expect(b.sim.countRequests(EXECUTE)).toBe(0);
    expect((await getRunPlanByApproval(b.store.db, id))?.state).toBe('failed');
  });
});

describe('the requester is unlinked after asking', () => {
  it('Approve voids the request and sends nothing', async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
    const id = await requested(bot);
    expect(await bot.services.identities.unlink(actor('alice'))).toBe(true);
    const reply = await click(bot, 'bob', 'approval:approve', id);
    expect(reply.title).toBe('The requester is no longer linked');
    expect(reply.text).toMatch(/alice is no longer linked to the bot as an operator, so their request is void and nothing ran/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect((await getApproval(bot.store.db, id))?.state).toBe('void');
    const plan = await getRunPlanByApproval(bot.store.db, id);
    expect(plan?.state).toBe('canceled');
    expect(plan?.sealedParams).toBeNull();
  });

  it('the sweep voids an open request of a requester made a viewer', async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
    const id = await requested(bot);
    await bot.services.identities.link(actor('alice'), 'alice', 'viewer', 'en-US');
    const report = await recoverInterruptedRuns(bot.services, { leftAfterMs: 300_000 });
    expect(report.unlinkedRequesters).toBe(1);
    expect((await getApproval(bot.store.db, id))?.state).toBe('void');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });
});

describe('a request left unknown after its plan ended', () => {
  it("gets the plan's outcome from the sweep, and the requester is told", async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
    const id = await requested(bot);
    const plan = (await getRunPlanByApproval(bot.store.db, id))!;
    // What a crash between the plan's adoption and its request's update leaves behind.
    const approval = (await getApproval(bot.store.db, id))!;
    await updateApprovalIfVersion(bot.store.db, id, approval.version, { state: 'unknown', approverChatUserId: 'bob', approverIamUser: 'bob', decidedAt: new Date() });
    const healthy = bot.sim.world.hosts.filter(isHealthyHost);
    const executeUuid = await bot.coc.executeScript(nativeOf(plan.scriptId), executeBody([{ hosts: [healthy[0]!] }]));
    await moveRunPlan(bot.store.db, plan.id, ['requested'], 'starting');
    await moveRunPlan(bot.store.db, plan.id, ['starting'], 'started', { runId: `coc:run:${executeUuid}` });
    const report = await recoverInterruptedRuns(bot.services, { leftAfterMs: 0 });
    expect(report.approvalsSettled).toBe(1);
    expect(await getApproval(bot.store.db, id)).toMatchObject({ state: 'executed', runId: `coc:run:${executeUuid}` });
    expect(bot.surface.notices.some((n) => n.person.userId === 'alice' && n.message.title === `bob approved your run of rotate_db_password: order ${executeUuid} started`)).toBe(true);
    // Settled once: the next round finds nothing.
    expect((await recoverInterruptedRuns(bot.services, { leftAfterMs: 0 })).approvalsSettled).toBe(0);
  });
});

describe('a plan left requested without its approval', () => {
  it('is failed by the sweep, its sealed values dropped and its requester told', async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
    const planId = await preview(bot);
    // What a crash between the plan's move and the approval's insert leaves behind.
    expect(await moveRunPlan(bot.store.db, planId, ['previewed'], 'requested')).toBeDefined();
    expect((await getRunPlan(bot.store.db, planId))?.sealedParams).not.toBeNull();
    const report = await recoverInterruptedRuns(bot.services, { leftAfterMs: 0 });
    expect(report.orphanedRequests).toBe(1);
    const plan = await getRunPlan(bot.store.db, planId);
    expect(plan?.state).toBe('failed');
    expect(plan?.sealedParams).toBeNull();
    expect(plan?.error).toMatch(/before the approval request was filed, so no approver saw it: nothing ran/);
    expect(bot.surface.notices.some((n) => n.person.userId === 'alice' && n.message.title === 'Your run of rotate_db_password did not start')).toBe(true);
    // Run on the old preview now says what became of it, and nothing is sent.
    const again = await click(bot, 'alice', 'run:go', planId);
    expect(again.tone).toBe('danger');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });
});
