/**
 * The execute request answered the way COC's reference documents a failed execute: HTTP 204
 * (with the documented `{error_code, error_msg}` after it, which HTTP does not let a 204 carry,
 * or bare), or a 2xx body with an error and no `data`. The client says so precisely, for custom
 * and public scripts alike; the run flow says what COC answered (never "did not answer"), keeps
 * the outcome unknown (the same reference reads 204 as "task delivered") and reconciles it:
 * the order is adopted when COC made one, proven absent when it did not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CocFailureAnswerError } from '../src/coc/errors.js';
import { writeFailureOf } from '../src/coc/write-outcome.js';
import type { Message } from '../src/core/message.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import { ABSENCE_SETTLE_MS } from '../src/run/reconcile.js';
import type { Fault } from '../src/sim/faults.js';
import { getRunPlan } from '../src/store/run-plans.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { buttonOf, terminalDriver, textOf } from './helpers/terminal-driver.js';
import { executeBody, isHealthyHost } from './sim-helpers.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const EXECUTE_PUBLIC = 'POST /v1/job/public-scripts/{script_uuid}';

let bot: TestBot;

beforeAll(async () => {
  bot = await makeTestBot({ cocClient: { timeoutMs: 2_000, retry: { retries: 0 } }, config: { coc: { timeoutMs: 2_000 } } });
});
afterAll(async () => {
  await bot?.close();
});

const { say, click } = terminalDriver(() => bot);

/** What the client throws for an execute answered with `fault`. */
async function clientFailure(route: string, fault: Fault, call: () => Promise<string>): Promise<unknown> {
  bot.sim.faults.set(route, { ...fault, times: 1 } as Fault);
  try {
    await call();
  } catch (error) {
    return error;
  } finally {
    bot.sim.faults.clear(route);
  }
  throw new Error('the execute succeeded');
}

function oneHealthyTarget() {
  const host = bot.sim.world.hosts.find(isHealthyHost)!;
  return executeBody([{ hosts: [host] }]);
}

describe('the client: a 2xx without an execute uuid', () => {
  const customUuid = () => [...bot.sim.world.scripts.values()].find((script) => script.name === 'disk_usage')!.scriptUuid;
  const publicUuid = () => [...bot.sim.world.publicScripts.values()][0]!.scriptUuid;

  it.each([
    ['custom', EXECUTE],
    ['public', EXECUTE_PUBLIC],
  ] as const)('%s script, 204 with the documented error body → the documented failure form, no reason (a 204 carries none), outcome unknown', async (kind, route) => {
    const error = await clientFailure(route, { kind: 'no-content' }, () =>
      kind === 'custom' ? bot.coc.executeScript(customUuid(), oneHealthyTarget()) : bot.coc.executePublicScript(publicUuid(), oneHealthyTarget()),
    );
    expect(error).toBeInstanceOf(CocFailureAnswerError);
    const failure = error as CocFailureAnswerError;
    expect(failure.status).toBe(204);
    expect(failure.errorCode).toBeUndefined();
    expect(failure.message).toBe(`COC POST ${route.slice(5)} answered HTTP 204, the execute's documented failure status, without a reason`);
    expect(writeFailureOf(error)).toBe('unknown');
  });

  it('a bare 204 → the same', async () => {
    const error = await clientFailure(EXECUTE, { kind: 'no-content', body: 'none' }, () => bot.coc.executeScript(customUuid(), oneHealthyTarget()));
    expect(error).toBeInstanceOf(CocFailureAnswerError);
    expect((error as CocFailureAnswerError).status).toBe(204);
  });

  it.each([
    ['custom', EXECUTE],
    ['public', EXECUTE_PUBLIC],
  ] as const)('%s script, 200 carrying error_code and error_msg without data → COC\'s code and message, outcome unknown', async (kind, route) => {
    const error = await clientFailure(route, { kind: 'error-envelope', errorCode: 'COC.00040701', errorMsg: 'error_msg' }, () =>
      kind === 'custom' ? bot.coc.executeScript(customUuid(), oneHealthyTarget()) : bot.coc.executePublicScript(publicUuid(), oneHealthyTarget()),
    );
    expect(error).toBeInstanceOf(CocFailureAnswerError);
    expect(error).toMatchObject({ status: 200, errorCode: 'COC.00040701', errorMsg: 'error_msg' });
    expect((error as Error).message).toMatch(`COC POST ${route.slice(5)} answered HTTP 200 with an error and no data: COC.00040701 — error_msg (request `);
    expect(writeFailureOf(error)).toBe('unknown');
  });
});

/** Previews a run on two hosts, arms the fault on execute, clicks Run. */
async function runWith(fault: Fault) {
  const preview = await say('alice', 'run disk_usage --hosts web-01,web-02');
  const planId = buttonOf(preview, 'run:go');
  const ordersBefore = bot.sim.world.orders.all().length;
  const executesBefore = bot.sim.countRequests(EXECUTE);
  bot.sim.faults.set(EXECUTE, { ...fault, times: 1 } as Fault);
  const reply = await click('alice', 'run:go', planId);
  bot.sim.faults.clear(EXECUTE);
  return { reply, planId, created: bot.sim.world.orders.all().slice(ordersBefore), executes: bot.sim.countRequests(EXECUTE) - executesBefore };
}

/** Two recovery rounds a settle period apart, both after the request's timeout (rows aged, not waited for). */
async function proveAbsence(): Promise<void> {
  await bot.store.db.query(`UPDATE run_plans SET execute_sent_at = execute_sent_at - interval '10 minutes' WHERE state = 'unknown'`);
  await recoverInterruptedRuns(bot.services, { leftAfterMs: 300_000 });
  await bot.store.db.query(`UPDATE run_plans SET absent_since = absent_since - make_interval(secs => $1::double precision) WHERE state = 'unknown'`, [(ABSENCE_SETTLE_MS + 1_000) / 1000]);
  await recoverInterruptedRuns(bot.services, { leftAfterMs: 300_000 });
}

describe('run: COC answers the execute with 204', () => {
  it('before acting → says COC answered 204 (never "did not answer"), stays unknown, sent once; proven absent later', async () => {
    const { reply, planId, created, executes } = await runWith({ kind: 'no-content' });
    expect(executes).toBe(1);
    expect(created).toHaveLength(0);
    expect(reply.title).toBe('Whether the run started is not known yet');
    const text = textOf(reply);
    expect(text).toContain('outcome unknown: COC answered HTTP 204, its documented failure status, without a reason.');
    expect(text).toContain('its status table also reads 204 as "task delivered", so it does not prove that nothing started. It was not sent again.');
    expect(text).not.toMatch(/did not answer|failed unexpectedly|answer .* was lost/i);
    expect((await getRunPlan(bot.store.db, planId))?.state).toBe('unknown');
    await proveAbsence();
    const plan = await getRunPlan(bot.store.db, planId);
    expect(plan?.state).toBe('failed');
    expect(plan?.error).toMatch(/^did not start: COC's order list, read at .* and again at .*, has no order of disk_usage on these hosts/);
    expect(bot.sim.countRequests(EXECUTE)).toBeGreaterThanOrEqual(1);
  });

  it('after acting (a bare 204 although COC made the order) → the order is found and adopted at once', async () => {
    const { reply, created, executes } = await runWith({ kind: 'no-content', body: 'none', afterHandling: true });
    expect(executes).toBe(1);
    expect(created).toHaveLength(1);
    expect(reply.title).toBe(`Started: order ${created[0]!.executeUuid} (found in COC after its answer was lost)`);
  });

  it('200 with COC\'s error and no data → COC\'s code and message are said', async () => {
    const { reply, created } = await runWith({ kind: 'error-envelope', errorCode: 'COC.00040701', errorMsg: 'error_msg' });
    expect(created).toHaveLength(0);
    expect(textOf(reply)).toContain('outcome unknown: COC answered HTTP 200 with an error in the body COC.00040701: error_msg. That is how COC\'s reference describes a failed execute');
  });

});
