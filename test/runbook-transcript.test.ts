/**
 * Runbooks from the terminal, through the real Dispatcher and a fresh simulator, as the terminal
 * prints them: the list and one runbook, a run previewed and started, its live execution card
 * following it to the confirm step, resumed through the card's button by a second operator,
 * finished once (the card's last edit); the old
 * Resume clicked again sends nothing; a viewer may look but not act; in Chinese too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { renderMessage } from '../src/adapters/shell/render.js';
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
    // The card's edits come a moment apart on the real clock: none is held back for spacing.
    config: { runbookTracker: { minEditIntervalMs: 0 } },
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
    const answer = await bot.click('alice', run.actionId, run.value);
    const executionId = /Live card of runbook execution (EXE\w+) posted/.exec(answer)?.[1];
    expect(executionId, answer).toBeDefined();
    // The live card, posted in the channel, as the terminal prints it.
    const ref = bot.surface.posts.at(-1)!.posted.messageRef;
    const live = () => renderMessage(bot.surface.latest(ref)!, PLAIN);
    expect(live()).toContain(`Runbook execution ${executionId}: running`);
    expect(live()).toContain('service=nginx');
    expect(live()).toContain('1. Drain traffic');
    expect(live()).toContain('2. Confirm the restart');

    // The card follows the execution to its confirm step by itself.
    bot.sim.advanceClock(11_000);
    await bot.core.executions.tick();
    expect(live()).toContain(`Runbook execution ${executionId}: paused`);
    expect(live()).toContain('Waiting for a person to confirm.');
    const paused = bot.surface.latest(ref)!;
    // Asked for here again: the answer shows it, and says the live card above keeps updating.
    const pausedText = await bot.run('carol', `runbook execution ${executionId}`);
    expect(pausedText).toContain(`Runbook execution ${executionId}: paused`);
    expect(pausedText).toContain('The live card posted earlier in this channel keeps updating.');
    const resume = paused.buttons!.find((button) => button.label === 'Resume')!;
    // A viewer sees the card but may not act on it.
    expect(await bot.click('carol', resume.actionId, resume.value)).toMatch(/operator/i);

    const resumed = await bot.click('erin', resume.actionId, resume.value);
    expect(resumed).toContain(`Resume sent to execution ${executionId}`);
    expect(await bot.click('alice', resume.actionId, resume.value)).toContain(`Execution ${executionId} moved on since this card`);

    bot.sim.advanceClock(26_000);
    await bot.core.executions.tick();
    expect(live()).toContain(`Runbook execution ${executionId}: finished`);
    expect(live()).toContain('Final: this card no longer changes.');
    expect(live()).not.toMatch(/Resume|Terminate/);
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
