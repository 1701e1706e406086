/**
 * A HIGH-risk runbook from the terminal, through the real Dispatcher and a fresh simulator, as the
 * terminal prints it: alice previews it and requests approval; bob finds it in "approvals" and
 * approves; it executes once, pauses at its confirm step, is resumed through its card's button and
 * finishes once — the simulator saw exactly one execute and one resume. In Chinese too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { click, command } from './incident-helpers.js';

const EXECUTE = 'POST /v1/documents/{document_id}';
const OPERATE = 'POST /v1/executions';

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot({ mappings: [...DEMO_MAPPINGS, { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'li', iamUser: 'li', role: 'operator', locale: 'zh-CN' }] });
});
afterAll(async () => {
  await bot?.close();
});

describe('a HIGH-risk runbook executed with approval', () => {
  it('is requested by alice, approved by bob, paused, resumed through its card and finished once', async () => {
    const line = 'runbook run DOC-db-failover --param cluster=orders-main --param reason=drill';
    const printed = await bot.run('alice', line);
    expect(printed).toContain('Run runbook Fail the orders database over?');
    expect(printed).toContain('High');
    expect(printed).toContain('cluster=orders-main');
    expect(printed).toContain('Request approval');
    expect(printed).toContain('High risk: Request approval files it for a second authorised person; nothing is sent before they approve.');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);

    const preview = await command(bot, 'alice', line);
    const request = preview.buttons!.find((button) => button.actionId === 'runbook:run-request')!;
    const requested = await bot.click('alice', request.actionId, request.value);
    expect(requested).toContain('Approval requested: runbook Fail the orders database over');
    expect(requested).toContain('Nothing has been sent yet.');
    const id = /approval ([0-9a-f-]{36})/.exec(requested)![1]!;

    const open = await bot.run('bob', 'approvals');
    expect(open).toContain(id);
    expect(open).toContain('Fail the orders database over');
    const card = await bot.run('bob', `approval show ${id}`);
    expect(card).toContain('Approve running runbook Fail the orders database over?');
    expect(card).toContain('Fail the orders database over (DOC-db-failover)');
    expect(card).toContain('reason=drill');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);

    const approved = await bot.click('bob', 'approval:approve', id);
    const executionId = /Runbook execution (EXE\w+): running/.exec(approved)?.[1];
    expect(executionId, approved).toBeDefined();
    expect(approved).toContain('Approved: runbook Fail the orders database over started');
    expect(approved).toContain('1. Check replication lag');
    expect(approved).toContain('2. Confirm the switch');
    expect(approved).toContain(`runbook execution ${executionId}`);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(await bot.click('bob', 'approval:approve', id)).toContain('This request is already decided');

    bot.sim.advanceClock(11_000);
    // The card read again through its Refresh button, as printed.
    const pausedText = await bot.click('alice', 'runbook:refresh', executionId!);
    expect(pausedText).toContain(`Runbook execution ${executionId}: paused`);
    expect(pausedText).toContain('Waiting for a person to confirm.');
    const paused = await click(bot, 'alice', 'runbook:refresh', executionId!);
    const resume = paused.buttons!.find((button) => button.label === 'Resume')!;
    expect(await bot.click('alice', resume.actionId, resume.value)).toContain(`Resume sent to execution ${executionId}`);
    expect(await bot.click('bob', resume.actionId, resume.value)).toContain(`Execution ${executionId} moved on since this card`);

    bot.sim.advanceClock(36_000);
    const finished = await bot.click('carol', 'runbook:refresh', executionId!);
    expect(finished).toContain(`Runbook execution ${executionId}: finished`);
    const state = runbooksOf(bot.sim.world).execution(executionId!)!;
    expect(state.steps.map((step) => step.status)).toEqual(['FINISHED', 'FINISHED', 'FINISHED', 'FINISHED']);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(bot.sim.countRequests(OPERATE)).toBe(1);
    expect(await bot.run('carol', `approval show ${id}`)).toContain(`Approved by bob; the runbook started (execution ${executionId})`);
  });

  it('speaks Chinese to li', async () => {
    const preview = await command(bot, 'li', 'runbook run DOC-db-failover --param cluster=orders-zh');
    const request = preview.buttons!.find((button) => button.actionId === 'runbook:run-request')!;
    expect(request.label).toBe('申请审批');
    const requested = await bot.click('li', request.actionId, request.value);
    expect(requested).toContain('已提交审批请求：执行作业 Fail the orders database over');
    const id = /approval ([0-9a-f-]{36})/.exec(requested)![1]!;
    expect(await bot.run('li', `approval show ${id}`)).toContain('是否批准执行作业 Fail the orders database over？');
    const approved = await bot.click('bob', 'approval:approve', id);
    expect(approved).toContain('Approved: runbook Fail the orders database over started');
    expect(bot.surface.notices.some((n) => n.message.title === 'bob 批准了您执行作业 Fail the orders database over 的请求：已开始执行')).toBe(true);
  });
});
