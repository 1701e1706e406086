/**
 * Runbooks from chat against the simulator: list, show, a run whose parameters the runbook's
 * definitions refuse (nothing sent), a preview with its risk, Run, the execution card paused at its
 * confirm step and resumed through its button, finished once; a replayed Run or Resume sends
 * nothing; a HIGH-risk runbook is only offered for approval (a forged Run sends nothing); the execute's and
 * the operation's fault matrix (told what COC did, sent once, settled by reading back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import type { Fault } from '../src/sim/faults.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { click, command } from './incident-helpers.js';

const EXECUTE_ROUTE = 'POST /v1/documents/{document_id}';
const OPERATE_ROUTE = 'POST /v1/executions';

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot({ expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
});
afterAll(async () => {
  await bot?.close();
});

const board = () => runbooksOf(bot.sim.world);
const textOf = (message: Message) => [message.title, message.text, ...(message.fields ?? []).map((field) => `${field.label}: ${field.value}`)].filter(Boolean).join('\n');
/** The write intents recorded for `route` (each before its request was sent), newest first. */
const intents = async (route: string) => (await listAuditEvents(bot.store.db, { limit: 500 })).filter((row) => row.command === `coc ${route}`);
/** Run clicked: the answer names the execution, whose live card the bot posted in the channel. */
async function started(run: { actionId: string; value: string }): Promise<{ reply: Message; executionId: string; card: Message }> {
  const reply = await click(bot, 'alice', run.actionId, run.value);
  const executionId = /execution (EXE\w+)/.exec(reply.title ?? '')?.[1];
  expect(executionId, reply.title).toBeDefined();
  return { reply, executionId: executionId!, card: bot.surface.posts.at(-1)!.message };
}
const button = (message: Message, actionId: string, label?: string) => message.buttons!.find((one) => one.actionId === actionId && (label === undefined || one.label === label))!;

describe('runbooks from chat', () => {
  it('lists runbooks with their risk and shows one with its parameters', async () => {
    const listed = await bot.run('carol', 'runbooks');
    expect(listed).toContain('Runbooks (4 of 4)');
    expect(listed).toMatch(/DOC-db-failover\s+.*Fail the orders database over/);
    const shown = await bot.run('carol', 'runbook show DOC-restart-web-service');
    expect(shown).toContain('service — Service to restart (required; default nginx; one of nginx, httpd)');
    expect(shown).toContain('runbook run DOC-restart-web-service --param name=value');
  });

  it('refuses parameters that do not fit the definitions, naming each problem; nothing is sent', async () => {
    bot.sim.resetRequests();
    const reply = await command(bot, 'alice', 'runbook run DOC-restart-web-service --param service=apache --param drain_seconds=lots --param colour=red');
    const text = textOf(reply);
    expect(reply.title).toBe('The parameters do not fit runbook Restart web service');
    expect(text).toContain('colour: not a parameter of this runbook (it takes: service, drain_seconds)');
    expect(text).toContain('service: must be one of nginx, httpd, got "apache"');
    expect(text).toContain('drain_seconds: must match ^[0-9]{1,3}$, got "lots"');
    expect(bot.sim.countRequests(EXECUTE_ROUTE)).toBe(0);
    const missing = await command(bot, 'alice', 'runbook run DOC-rotate-logs');
    expect(textOf(missing)).toContain('retention_days: required, and it has no default');
  });

  it('offers a HIGH-risk runbook only for approval: a forged Run sends nothing (test/runbook-approval.test.ts decides it)', async () => {
    const reply = await command(bot, 'alice', 'runbook run DOC-db-failover --param cluster=orders-main');
    expect(reply.title).toBe('Run runbook Fail the orders database over?');
    expect(reply.buttons!.map((one) => one.actionId)).toEqual(['runbook:run-request', 'runbook:run-cancel']);
    expect(reply.footer).toContain('Request approval files it for a second authorised person');
    const forged = JSON.stringify((JSON.parse(reply.buttons![0]!.value) as unknown[]).slice(0, 4));
    const refused = await click(bot, 'alice', 'runbook:run', forged);
    expect(refused.title).toMatch(/^Runbook Fail the orders database over is High risk: a second authorised person must approve it/i);
    expect(textOf(refused)).toContain('Nothing was sent');
    expect(bot.sim.countRequests(EXECUTE_ROUTE)).toBe(0);
  });

  it('previews, runs once, pauses at its confirm step, resumes through its card and finishes once', async () => {
    const before = board().allExecutions().length;
    const preview = await command(bot, 'alice', 'runbook run DOC-restart-web-service --param service=httpd');
    expect(preview.title).toBe('Run runbook Restart web service?');
    expect(textOf(preview)).toContain('Parameters: service=httpd\ndrain_seconds=30');
    const run = button(preview, 'runbook:run');
    const { reply, executionId, card } = await started(run);
    expect(reply.title).toBe(`Live card of runbook execution ${executionId} posted`);
    expect(card.title).toBe(`Runbook execution ${executionId}: running`);
    expect(board().allExecutions()).toHaveLength(before + 1);
    // The same Run again (a replayed click, or another replica's): the runbook ran since, nothing sent.
    const again = await click(bot, 'alice', run.actionId, run.value);
    expect(again.title).toBe('Runbook Restart web service was run since this preview');
    expect(board().allExecutions()).toHaveLength(before + 1);
    expect(bot.sim.countRequests(EXECUTE_ROUTE)).toBe(1);

    bot.sim.advanceClock(11_000);
    const paused = await command(bot, 'carol', `runbook execution ${executionId}`);
    expect(paused.title).toBe(`Runbook execution ${executionId}: paused`);
    expect(paused.buttons!.map((one) => one.label)).toEqual(['Resume', 'Terminate', 'Refresh']);
    expect(paused.table!.rows.map((row) => row[1])).toEqual(['✅ FINISHED', '⏸️ PAUSED', '⚪ READY', '⚪ READY']);
    const resume = button(paused, 'runbook:op', 'Resume');
    const resumed = await click(bot, 'alice', resume.actionId, resume.value);
    expect(resumed.title).toBe(`Runbook execution ${executionId}: running`);
    expect(resumed.text).toBe(`Resume sent to execution ${executionId}`);
    const replay = await click(bot, 'alice', resume.actionId, resume.value);
    expect(replay.title).toBe(`Execution ${executionId} moved on since this card`);
    expect(bot.sim.countRequests(OPERATE_ROUTE)).toBe(1);

    // The confirmed step, then the restart and the health check.
    bot.sim.advanceClock(26_000);
    const finished = await command(bot, 'carol', `runbook execution ${executionId}`);
    expect(finished.title).toBe(`Runbook execution ${executionId}: finished`);
    expect(finished.buttons).toBeUndefined();
    const state = board().execution(executionId)!;
    expect(state.operations.map((operation) => operation.type)).toEqual(['RESUME']);
    expect(state.steps.every((step) => step.status === 'FINISHED')).toBe(true);
  });

  it('a viewer cannot run or operate', async () => {
    expect(await bot.run('carol', 'runbook run DOC-restart-web-service')).toMatch(/operator/i);
  });
});

describe('the execute’s and the operation’s fault matrix', () => {
  const FAULTS: readonly { name: string; fault: Fault; acts: boolean; refused?: boolean }[] = [
    { name: '503 before handling', fault: { kind: 'status', status: 503 }, acts: false },
    { name: '503 after handling', fault: { kind: 'status', status: 503, afterHandling: true }, acts: true },
    { name: '400 with a COC error body', fault: { kind: 'status', status: 400, errorCode: 'COC.00040601', errorMsg: 'Bad request' }, acts: false, refused: true },
    { name: '429', fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, acts: false, refused: true },
    { name: 'hang', fault: { kind: 'hang' }, acts: false },
    { name: 'reset after handling', fault: { kind: 'reset', afterHandling: true }, acts: true },
    { name: 'malformed JSON after handling', fault: { kind: 'malformed-json', afterHandling: true }, acts: true },
  ];

  it.each(FAULTS)('execute, $name: told what COC did, sent once', async (fault) => {
    const preview = await command(bot, 'alice', 'runbook run DOC-rotate-logs --param retention_days=7');
    const run = button(preview, 'runbook:run');
    const before = board().allExecutions().length;
    const sent = bot.sim.countRequests(EXECUTE_ROUTE);
    const audited = (await intents(EXECUTE_ROUTE)).length;
    bot.sim.faults.set(EXECUTE_ROUTE, { ...fault.fault, times: 1 });
    let reply: Message;
    try {
      reply = await click(bot, 'alice', run.actionId, run.value);
    } finally {
      bot.sim.faults.clear(EXECUTE_ROUTE);
    }
    const text = textOf(reply);
    expect(bot.sim.countRequests(EXECUTE_ROUTE) - sent, text).toBe(1);
    expect(board().allExecutions().length - before, text).toBe(fault.acts ? 1 : 0);
    // Its intent was recorded before the request, once, and is closed with what became of it.
    const rows = await intents(EXECUTE_ROUTE);
    expect(rows.length - audited, text).toBe(1);
    expect(rows[0]!.outcome, text).not.toBe('pending');
    if (fault.refused) expect(reply.title, text).toMatch(/refused/i);
    else if (fault.acts) expect(text).toMatch(/Confirmed by reading the runbook’s executions back/);
    else expect(reply.title, text).toBe('Not done: run runbook Rotate and archive logs');
  });

  it.each(FAULTS)('terminate, $name: told what COC did, sent once', async (fault) => {
    const preview = await command(bot, 'alice', 'runbook run DOC-rotate-logs --param retention_days=7');
    const run = button(preview, 'runbook:run');
    const { executionId, card } = await started(run);
    const terminate = button(card, 'runbook:op', 'Terminate');
    const sent = bot.sim.countRequests(OPERATE_ROUTE);
    const audited = (await intents(OPERATE_ROUTE)).length;
    bot.sim.faults.set(OPERATE_ROUTE, { ...fault.fault, times: 1 });
    let reply: Message;
    try {
      reply = await click(bot, 'alice', terminate.actionId, terminate.value);
    } finally {
      bot.sim.faults.clear(OPERATE_ROUTE);
    }
    const text = textOf(reply);
    expect(bot.sim.countRequests(OPERATE_ROUTE) - sent, text).toBe(1);
    expect(board().execution(executionId)!.status === 'CANCELED', text).toBe(fault.acts);
    const rows = await intents(OPERATE_ROUTE);
    expect(rows.length - audited, text).toBe(1);
    expect(rows[0]!.outcome, text).not.toBe('pending');
    if (fault.refused) expect(reply.title, text).toMatch(/refused/i);
    else if (fault.acts) expect(text).toMatch(/Confirmed by reading the execution back/);
    else expect(reply.title, text).toBe(`Not done: Terminate execution ${executionId}`);
  });
});
