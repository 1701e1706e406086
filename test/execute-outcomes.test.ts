/**
 * The execute request under every way its answer can fail, before and after COC acted: what
 * the person is told must match what the simulator actually did (the order exists or not), the
 * request is sent exactly once, and an order COC created is adopted at once (its id told, its
 * live card asked for, the audit trail saying how it was found). An order that was never
 * created is proven absent only by two reads a settle period apart, after the request's timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeOf } from '../src/backends/index.js';
import type { Message } from '../src/core/message.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import { ABSENCE_SETTLE_MS } from '../src/run/reconcile.js';
import type { Fault } from '../src/sim/faults.js';
import { getRunPlan } from '../src/store/run-plans.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { buttonOf, terminalDriver, textOf } from './helpers/terminal-driver.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const CLIENT_TIMEOUT_MS = 400;

let bot: TestBot;

beforeAll(async () => {
  bot = await makeTestBot({ cocClient: { timeoutMs: CLIENT_TIMEOUT_MS, retry: { retries: 0 } }, config: { coc: { timeoutMs: 1000 } } });
  // The worker's first replies compile a lot of code (and PGlite's WebAssembly tiers up
  // meanwhile): done once here, so no case's preview meets the short timeout cold.
  for (const line of ['scripts', 'run disk_usage --hosts web-01,web-02']) await say('alice', line);
});
afterAll(async () => {
  await bot?.close();
});

const { say, click } = terminalDriver(() => bot);

/** The outcomes of the execute request's audit rows made for this plan. */
async function executeAuditOutcomes(planId: string): Promise<string[]> {
  const { rows } = await bot.store.db.query<{ outcome: string }>(
    `SELECT outcome FROM audit_events WHERE command = 'coc POST /v1/job/scripts/{script_uuid}' AND masked_parameters -> 'parameters' ->> 'plan' = $1`,
    [planId],
  );
  return rows.map((row) => row.outcome);
}

async function trackedOrders(): Promise<string[]> {
  const { rows } = await bot.store.db.query<{ run_id: string }>('SELECT run_id FROM tracked_orders');
  return rows.map((row) => nativeOf(row.run_id));
}

/** Previews a LOW run on two hosts, arms the fault on execute, clicks Run; what came of it. */
async function runWith(fault: Fault | undefined) {
  const preview = await say('alice', 'run disk_usage --hosts web-01,web-02');
  const planId = buttonOf(preview, 'run:go');
  const ordersBefore = bot.sim.world.orders.all().length;
  const executesBefore = bot.sim.countRequests(EXECUTE);
  if (fault) bot.sim.faults.set(EXECUTE, { ...fault, times: 1 } as Fault);
  const reply = await click('alice', 'run:go', planId);
  bot.sim.faults.clear(EXECUTE);
  const created = bot.sim.world.orders.all().slice(ordersBefore);
  return { reply, planId, created, executes: bot.sim.countRequests(EXECUTE) - executesBefore };
}

/**
 * Two recovery rounds a settle period apart, both after the request's timeout: proof of absence.
 * Judged on the database's clock, so the rows are aged instead of waiting.
 */
async function proveAbsence(): Promise<void> {
  await bot.store.db.query(`UPDATE run_plans SET execute_sent_at = execute_sent_at - interval '10 minutes' WHERE state = 'unknown'`);
  await recoverInterruptedRuns(bot.services, { leftAfterMs: 300_000 });
  await bot.store.db.query(`UPDATE run_plans SET absent_since = absent_since - make_interval(secs => $1::double precision) WHERE state = 'unknown'`, [(ABSENCE_SETTLE_MS + 1_000) / 1000]);
  await recoverInterruptedRuns(bot.services, { leftAfterMs: 300_000 });
}

// Every way an answer can be lost: kind, and whether COC acted before it was lost.
const LOST: readonly { readonly name: string; readonly fault: Fault }[] = [
  { name: '503', fault: { kind: 'status', status: 503 } },
  { name: '502', fault: { kind: 'status', status: 502 } },
  { name: '504', fault: { kind: 'status', status: 504 } },
  { name: 'hang', fault: { kind: 'hang' } },
  { name: 'hang-body', fault: { kind: 'hang-body' } },
  { name: 'reset', fault: { kind: 'reset' } },
  { name: 'malformed JSON', fault: { kind: 'malformed-json' } },
  { name: '200 with an error envelope', fault: { kind: 'error-envelope' } },
];

describe('execute: an answer lost after COC created the order', () => {
  for (const { name, fault } of LOST) {
    it(`${name} after handling → the order is adopted at once, told, tracked and audited; sent once`, async () => {
      const noted = bot.surface.notices.length;
      const { reply, planId, created, executes } = await runWith({ ...fault, afterHandling: true } as Fault);
      // Told once, in the reply to the click: no second note to the same person.
      expect(bot.surface.notices.slice(noted)).toEqual([]);
      expect(executes).toBe(1);
      expect(created).toHaveLength(1);
      const uuid = created[0]!.executeUuid;
      expect(reply.title).toBe(`Started: order ${uuid} (found in COC after its answer was lost)`);
      expect(reply.tone).toBe('success');
      const plan = await getRunPlan(bot.store.db, planId);
      expect(plan?.state).toBe('started');
      expect(plan?.runId).toBe(`coc:run:${uuid}`);
      expect(await trackedOrders()).toContain(uuid);
      const audit = await bot.services.audit.list({ limit: 20 });
      expect(audit.some((row) => row.command === 'run started (confirmed after a lost answer)' && row.maskedParameters['run'] === `coc:run:${uuid}`)).toBe(true);
      // The execute's own audit row, unknown when the answer was lost, says what COC's list proved.
      expect(await executeAuditOutcomes(planId)).toEqual(['succeeded']);
    });
  }
});

describe('execute: an answer lost before COC acted', () => {
  for (const { name, fault } of LOST) {
    it(`${name} before handling → "not known yet", never "did not start"; proven absent later; sent once`, async () => {
      const { reply, planId, created, executes } = await runWith(fault);
      expect(executes).toBe(1);
      expect(created).toHaveLength(0);
      expect(reply.title).toBe('Whether the run started is not known yet');
      expect(textOf(reply)).toContain('It was not sent again');
      expect(textOf(reply)).not.toMatch(/did not start|nothing was sent/i);
      expect((await getRunPlan(bot.store.db, planId))?.state).toBe('unknown');
      expect(await executeAuditOutcomes(planId)).toEqual(['unknown']);
      const noted = bot.surface.notices.length;
      const sent = bot.sim.countRequests(EXECUTE);
      await proveAbsence();
      const plan = await getRunPlan(bot.store.db, planId);
      expect(plan?.state).toBe('failed');
      expect(plan?.error).toMatch(/^did not start: COC's order list, read at .* and again at .*, has no order of disk_usage on these hosts/);
      // The requester is told once, and nothing was sent again.
      expect(bot.surface.notices.slice(noted).filter((note) => note.message.title === 'Your run of disk_usage did not start')).toHaveLength(1);
      expect(bot.sim.countRequests(EXECUTE)).toBe(sent);
      expect(await executeAuditOutcomes(planId)).toEqual(['failed']);
    });
  }
});

describe('execute: refused by COC before acting', () => {
  it('400 with COC\'s error body → "did not start" with COC\'s reason, nothing created; sent once', async () => {
    const { reply, planId, created, executes } = await runWith({ kind: 'status', status: 400, errorCode: 'COC.00040701', errorMsg: 'bad batch' });
    expect(executes).toBe(1);
    expect(created).toHaveLength(0);
    expect(reply.title).toBe('The run did not start');
    expect(reply.text).toContain('COC refused the run: COC.00040701: bad batch');
    expect((await getRunPlan(bot.store.db, planId))?.state).toBe('failed');
  });

  it('429 → refused, nothing created; sent once', async () => {
    const { reply, created, executes } = await runWith({ kind: 'rate-limit', retryAfterSeconds: 1 });
    expect(executes).toBe(1);
    expect(created).toHaveLength(0);
    expect(reply.title).toBe('The run did not start');
  });
});

describe('execute after an approval: the answer lost after COC acted', () => {
  it('the approver is told the order found, the requester too, and the request is executed', async () => {
    const preview = await say('alice', 'run rotate_db_password --hosts db-01 --param db_user=app --param new_password=S3cret_value');
    const requested = await click('alice', 'run:go', buttonOf(preview, 'run:go'));
    const approvalId = /approval ([0-9a-f-]{36})/.exec(requested.footer ?? '')?.[1];
    expect(approvalId).toBeDefined();
    const before = bot.sim.world.orders.all().length;
    bot.sim.faults.set(EXECUTE, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    const noted = bot.surface.notices.length;
    const reply = await click('bob', 'approval:approve', approvalId!);
    const created = bot.sim.world.orders.all().slice(before);
    expect(created).toHaveLength(1);
    const uuid = created[0]!.executeUuid;
    expect(reply.title).toBe(`Approved: order ${uuid} started (found in COC after its answer was lost)`);
    const { rows } = await bot.store.db.query<{ state: string; run_id: string }>('SELECT state, run_id FROM approvals WHERE id = $1', [approvalId]);
    expect(rows[0]).toEqual({ state: 'executed', run_id: `coc:run:${uuid}` });
    const toRequester = bot.surface.notices.slice(noted).map((note) => note.message.title);
    expect(toRequester).toContain(`Your run of rotate_db_password started: order ${uuid} (COC's answer was lost; the bot found the order in COC)`);
  });
});
