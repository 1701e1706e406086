/**
 * Runbooks from the terminal, through the real Dispatcher and a fresh simulator, as the terminal
 * prints them: the list and one runbook, a run previewed and started, its execution card paused at
 * the confirm step, resumed through the card's button by a second operator, finished once; the old
 * Resume clicked again sends nothing; a viewer may look but not act; in Chinese too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { command } from './incident-helpers.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot({
    mappings: [
      ...DEMO_MAPPINGS,
      { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'erin', iamUser: 'erin', role: 'operator' },
      { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'li', iamUser: 'li', role: 'operator', locale: 'zh-CN' },
    ],
  });
});
afterAll(async () => {
  await bot?.close();
});

describe('a runbook run from the terminal', () => {
  it('is previewed, started, paused at its confirm step, resumed through its card and finished once', async () => {
    const listed = await bot.run('carol', 'runbooks --name restart');
    expect(listed).toContain('Runbooks (1 of 1)');
    expect(listed).toContain('DOC-restart-web-service');

    const preview = await command(bot, 'alice', 'runbook run DOC-restart-web-service --param service=nginx --param drain_seconds=10');
    const run = preview.buttons!.find((button) => button.actionId === 'runbook:run')!;
    const started = await bot.click('alice', run.actionId, run.value);
    const executionId = /Runbook execution (EXE\w+): running/.exec(started)?.[1];
    expect(executionId, started).toBeDefined();
    expect(started).toContain('service=nginx');
    expect(started).toContain('1. Drain traffic');
    expect(started).toContain('2. Confirm the restart');

    bot.sim.advanceClock(11_000);
    const paused = await command(bot, 'carol', `runbook execution ${executionId}`);
    const pausedText = await bot.run('carol', `runbook execution ${executionId}`);
    expect(pausedText).toContain(`Runbook execution ${executionId}: paused`);
    expect(pausedText).toContain('Waiting for a person to confirm.');
    const resume = paused.buttons!.find((button) => button.label === 'Resume')!;
    // A viewer sees the card but may not act on it.
    expect(await bot.click('carol', resume.actionId, resume.value)).toMatch(/operator/i);

    const resumed = await bot.click('erin', resume.actionId, resume.value);
    expect(resumed).toContain(`Resume sent to execution ${executionId}`);
    expect(await bot.click('alice', resume.actionId, resume.value)).toContain(`Execution ${executionId} moved on since this card`);

    bot.sim.advanceClock(26_000);
    const finished = await bot.run('carol', `runbook execution ${executionId}`);
    expect(finished).toContain(`Runbook execution ${executionId}: finished`);
    expect(finished).not.toMatch(/Resume|Terminate/);

    const state = runbooksOf(bot.sim.world).execution(executionId!)!;
    expect(state.operations.map((operation) => `${operation.type} by ${operation.operator}`)).toEqual(['RESUME by chatops-bot']);
    expect(bot.sim.countRequests('POST /v1/documents/{document_id}')).toBe(1);
    expect(bot.sim.countRequests('POST /v1/executions')).toBe(1);
    expect(state.steps.map((step) => step.status)).toEqual(['FINISHED', 'FINISHED', 'FINISHED', 'FINISHED']);
  });

  it('speaks Chinese to a Chinese reader', async () => {
    expect(await bot.run('li', 'runbooks')).toContain('作业（4 个中的 4 个）');
    const refused = await bot.run('li', 'runbook run DOC-rotate-logs');
    expect(refused).toContain('参数不符合作业 Rotate and archive logs 的定义');
    expect(refused).toContain('retention_days：必填，且没有默认值');
    expect(await bot.run('li', 'runbook execution EXE20250601000000000001')).toContain('作业执行 EXE20250601000000000001：已完成');
  });
});
