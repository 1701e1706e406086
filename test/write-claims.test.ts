/**
 * Two clicks at the same moment on one card's write button — two people, a double click, one
 * delivery to each of two replicas — send the write once: a runbook's Run, an alarm's Run, an
 * execution card's Resume, a change ticket's action; an alarm typed into an incident, or cleared,
 * by two people at once. Each button's own check against the platform
 * only turns away a click that reads after the first write; clicks that read together are decided
 * by the store's claim. A write the platform proves it did not act on frees the claim: the same
 * card works again at once. Two bots on one PostgreSQL store: one execute between them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { startSimulator } from '../src/sim/server.js';
import { raiseManagedAlarm } from '../src/sim/routes/alarms.js';
import { changesOf } from '../src/sim/state/changes.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { announceSkip, postgresLeg } from './helpers/store-legs.js';
import { click, command } from './incident-helpers.js';

const EXECUTE = 'POST /v1/documents/{document_id}';
const OPERATE = 'POST /v1/executions';
const AUTO_PROCESS = 'POST /v1/alarm-mgmt/alarm/{alarm_id}/auto-process';
const ACT = 'POST /v1/{ticket_type}/actions';
const ROTATE_LOGS = 'runbook run DOC-rotate-logs --param retention_days=7';

const button = (message: Message, actionId: string, label?: string) => message.buttons!.find((one) => one.actionId === actionId && (label === undefined || one.label === label))!;

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot({ config: { runbookTracker: { minEditIntervalMs: 0 } }, expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
});
afterAll(async () => {
  await bot?.close();
});

describe('two clicks at once send one write', () => {
  it('a runbook’s Run: one execute, one execution', async () => {
    const run = button(await command(bot, 'alice', ROTATE_LOGS), 'runbook:run');
    const sent = bot.sim.countRequests(EXECUTE);
    const executions = runbooksOf(bot.sim.world).allExecutions().length;
    const answers = await Promise.all([click(bot, 'alice', run.actionId, run.value), click(bot, 'bob', run.actionId, run.value)]);
    expect(bot.sim.countRequests(EXECUTE) - sent).toBe(1);
    expect(runbooksOf(bot.sim.world).allExecutions().length - executions).toBe(1);
    expect(answers.filter((answer) => /Live card of runbook execution EXE\w+ posted/.test(answer.title ?? ''))).toHaveLength(1);
  });

  it('an alarm’s Run: one auto-process, one handling', async () => {
    const alarm = raiseManagedAlarm(bot.sim.world, { name: 'Disk usage above 90% on web-09', importance: 'urgent', appName: 'storefront', region: 'cn-north-4', minutesAgo: 5, status: 'alarming', task: { type: 'SCRIPT', name: 'disk_usage' } });
    const run = button(await command(bot, 'alice', `alarms run ${alarm.id}`), 'alarm:run');
    const sent = bot.sim.countRequests(AUTO_PROCESS);
    const answers = await Promise.all([click(bot, 'alice', run.actionId, run.value), click(bot, 'bob', run.actionId, run.value)]);
    expect(bot.sim.countRequests(AUTO_PROCESS) - sent).toBe(1);
    expect(alarm.handlings).toHaveLength(1);
    expect(answers.filter((answer) => answer.title === `disk_usage started for alarm ${alarm.id}`)).toHaveLength(1);
  });

  it('an execution card’s Resume: one operation', async () => {
    const run = button(await command(bot, 'alice', 'runbook run DOC-restart-web-service --param service=nginx --param drain_seconds=10'), 'runbook:run');
    const started = await click(bot, 'alice', run.actionId, run.value);
    const id = /execution (EXE\w+)/.exec(started.title ?? '')![1]!;
    bot.sim.advanceClock(11_000);
    const resume = button(await click(bot, 'alice', 'runbook:refresh', id), 'runbook:op', 'Resume');
    const sent = bot.sim.countRequests(OPERATE);
    const answers = await Promise.all([click(bot, 'alice', resume.actionId, resume.value), click(bot, 'bob', resume.actionId, resume.value)]);
    expect(bot.sim.countRequests(OPERATE) - sent).toBe(1);
    expect(runbooksOf(bot.sim.world).execution(id)!.operations.map((operation) => operation.type)).toEqual(['RESUME']);
    expect(answers.filter((answer) => answer.text?.includes(`Resume sent to execution ${id}`))).toHaveLength(1);
  });

  it('a change ticket’s action: one act', async () => {
    const board = changesOf(bot.sim.world);
    const start = Date.now();
    const ticket = { ticketId: board.nextId(start), title: 'Two clicks at once', description: 'claims', application: APPLICATIONS[0]!.id, level: 'change_level_minor', region: 'cn-north-4', creator: 'alice', assignee: 'bob', status: 'CHANGE_SCHEDULED', phase: 'wait_implement', taskId: board.nextTask(), plannedStart: start, plannedEnd: start + 3_600_000, createTime: start, updateTime: start, history: [] };
    board.add(ticket);
    const startButton = button(await command(bot, 'alice', `change show ${ticket.ticketId}`), 'change:act', 'start');
    const sent = bot.sim.countRequests(ACT);
    await Promise.all([click(bot, 'alice', startButton.actionId, startButton.value), click(bot, 'bob', startButton.actionId, startButton.value)]);
    expect(bot.sim.countRequests(ACT) - sent).toBe(1);
    expect(ticket.history.filter((entry: { action: string }) => entry.action === 'start')).toHaveLength(1);
  });

  it('an alarm turned into an incident, and cleared, typed by two people at once: one link, one clear', async () => {
    const LINK = 'POST /v1/alarm-mgmt/alarms-linked-incident';
    const CANCEL = 'POST /v1/alarm-mgmt/alarms/cancel';
    const alarm = raiseManagedAlarm(bot.sim.world, { name: 'Queue depth above 10k on mq-03', importance: 'urgent', appName: 'storefront', region: 'cn-north-4', minutesAgo: 3, status: 'alarming' });
    const incidents = bot.sim.world.incidents.all().length;
    const links = bot.sim.countRequests(LINK);
    const line = `alarms incident ${alarm.id} --level p2 --type function --interrupted no`;
    const linked = await Promise.all([command(bot, 'alice', line), command(bot, 'bob', line)]);
    expect(bot.sim.countRequests(LINK) - links).toBe(1);
    expect(bot.sim.world.incidents.all().length - incidents).toBe(1);
    expect(linked.filter((answer) => /^Alarm turned into incident IM\d+/.test(answer.title ?? ''))).toHaveLength(1);

    const cancels = bot.sim.countRequests(CANCEL);
    const clear = `alarms clear ${alarm.id} --reason "Consumers scaled out"`;
    const cleared = await Promise.all([command(bot, 'alice', clear), command(bot, 'bob', clear)]);
    expect(bot.sim.countRequests(CANCEL) - cancels).toBe(1);
    expect(cleared.filter((answer) => answer.title?.startsWith('Alarm cleared:'))).toHaveLength(1);
  });

  it('a write the platform did not act on frees its claim: the same Run works again at once', async () => {
    const run = button(await command(bot, 'alice', ROTATE_LOGS), 'runbook:run');
    const sent = bot.sim.countRequests(EXECUTE);
    bot.sim.faults.set(EXECUTE, { kind: 'status', status: 503, times: 1 });
    let first: Message;
    try {
      first = await click(bot, 'alice', run.actionId, run.value);
    } finally {
      bot.sim.faults.clear(EXECUTE);
    }
    expect(first.title).toBe('Not done: run runbook Rotate and archive logs');
    expect((await click(bot, 'alice', run.actionId, run.value)).title).toMatch(/Live card of runbook execution EXE\w+ posted/);
    expect(bot.sim.countRequests(EXECUTE) - sent).toBe(2);
  });
});

describe('two bots, one store (PostgreSQL)', () => {
  announceSkip(postgresLeg, 'write-claims.test.ts');
  it.skipIf(postgresLeg.skipReason !== undefined)('a runbook’s Run clicked on both at once sends one execute', async () => {
    const sim = await startSimulator({ tickMs: 0 });
    const store = postgresLeg.freshOptions();
    const one = await makeTestBot({ simulator: sim, store });
    const two = await makeTestBot({ simulator: sim, store });
    try {
      const run = button(await command(one, 'alice', ROTATE_LOGS), 'runbook:run');
      const before = sim.countRequests(EXECUTE);
      await Promise.all([click(one, 'alice', run.actionId, run.value), click(two, 'bob', run.actionId, run.value)]);
      expect(sim.countRequests(EXECUTE)).toBe(before + 1);
    } finally {
      await one.close();
      await two.close();
      await sim.close();
    }
  });
});
