/**
 * An alarm whose linked automation is a runbook (`alarms run <id>`), against the simulator over
 * HTTP: the preview shows the linked runbook (its version, risk and the values its definitions
 * give), its risk decides — LOW runs on Run, MEDIUM asks once more, HIGH goes to a second person's
 * approval (an approved platform action of kind alarm-run) — and the write is COC's auto-process
 * with task_type RUNBOOK, sent once (the simulator executes the document). A runbook changed since
 * the request makes it void, naming what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { raiseManagedAlarm } from '../src/sim/routes/alarms.js';
import type { AlarmSeed } from '../src/sim/state/alarms.js';
import { runbooksOf, type RunbookDocument } from '../src/sim/state/runbooks.js';
import { getApproval } from '../src/store/approvals.js';
import { getPlatformAction } from '../src/store/platform-actions.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { click, command } from './incident-helpers.js';

const AUTO_PROCESS = 'POST /v1/alarm-mgmt/alarm/{alarm_id}/auto-process';
const EXECUTE = 'POST /v1/documents/{document_id}';
const FLUSH: AlarmSeed = { name: 'Session cache hit rate below 60%', importance: 'minor', appName: 'sessions', region: 'cn-north-4', minutesAgo: 5, status: 'alarming', task: { type: 'RUNBOOK', name: 'Flush session cache' } };

let bot: TestBot;
let original: RunbookDocument;
beforeAll(async () => {
  bot = await makeTestBot({});
  original = runbooksOf(bot.sim.world).document('DOC-flush-session-cache')!;
});
afterAll(async () => {
  await bot?.close();
});

const textOf = (message: Message) => [message.title, message.text, ...(message.fields ?? []).map((field) => `${field.label}: ${field.value}`), message.footer].filter(Boolean).join('\n');
/** The linked runbook as the platform now holds it, at `risk`. */
const linkedAt = (riskLevel: RunbookDocument['riskLevel'], changes: Partial<RunbookDocument> = {}) => runbooksOf(bot.sim.world).addDocument({ ...original, riskLevel, ...changes });
const executionsOfFlush = () => runbooksOf(bot.sim.world).allExecutions().filter((execution) => execution.document.documentId === 'DOC-flush-session-cache');

describe('an alarm linked to a runbook', () => {
  it('LOW: previews the runbook and auto-processes it once on Run', async () => {
    linkedAt('LOW');
    const alarm = raiseManagedAlarm(bot.sim.world, FLUSH);
    const preview = await command(bot, 'alice', `alarms run ${alarm.id}`);
    expect(preview.title).toBe(`Run Flush session cache for alarm ${alarm.id}?`);
    const shown = textOf(preview);
    expect(shown).toContain('The platform runs the runbook linked to alarm "Session cache hit rate below 60%"');
    expect(shown).toContain('Runbook: Flush session cache (DOC-flush-session-cache)');
    expect(shown).toContain('Version: v1');
    expect(shown).toContain('Risk: Low');
    const run = preview.buttons!.find((button) => button.actionId === 'alarm:run')!;
    expect(run.confirm).toBeUndefined();
    const sent = bot.sim.countRequests(AUTO_PROCESS);
    const executions = executionsOfFlush().length;
    const started = await click(bot, 'alice', run.actionId, run.value);
    expect(started.title, textOf(started)).toBe(`Flush session cache started for alarm ${alarm.id}`);
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(sent + 1);
    const body = bot.sim.requests.filter((request) => request.routeKey === AUTO_PROCESS).at(-1)!.body;
    expect(body).toMatchObject({ task_type: 'RUNBOOK', associated_task_id: 'DOC-flush-session-cache', associated_task_type: 'CUSTOMIZATION', associated_task_name: 'Flush session cache', input_param: {} });
    expect(executionsOfFlush().length).toBe(executions + 1);
    expect(alarm.handlings).toHaveLength(1);
    // The same Run again finds the handling: nothing is sent, and no execute ever goes around the alarm.
    expect((await click(bot, 'bob', run.actionId, run.value)).title).toBe(`Alarm ${alarm.id} was handled since this preview`);
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(sent + 1);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('MEDIUM: Run asks once more', async () => {
    linkedAt('MEDIUM');
    const alarm = raiseManagedAlarm(bot.sim.world, FLUSH);
    const preview = await command(bot, 'alice', `alarms run ${alarm.id}`);
    const run = preview.buttons!.find((button) => button.actionId === 'alarm:run')!;
    expect(run.confirm?.title).toBe('Run Flush session cache now?');
    expect(preview.footer).toContain('MEDIUM risk: Run asks once more');
  });

  it('HIGH: goes to a second person’s approval, auto-processed once on Approve; a runbook changed since voids it', async () => {
    linkedAt('HIGH');
    try {
      const alarm = raiseManagedAlarm(bot.sim.world, FLUSH);
      const preview = await command(bot, 'alice', `alarms run ${alarm.id}`);
      expect(preview.buttons!.map((button) => button.actionId)).toEqual(['alarm:run-request', 'alarm:run-cancel']);
      const request = preview.buttons![0]!;
      const requested = await click(bot, 'alice', request.actionId, request.value);
      expect(requested.title).toBe(`Approval requested: Flush session cache for alarm ${alarm.id}`);
      const id = /approval ([0-9a-f-]{36})/.exec(requested.footer ?? '')![1]!;
      const card = bot.surface.posts.find((post) => post.message.footer === `approval ${id}`)!.message;
      expect(card.text).toContain('alice asks COC to run the runbook linked to alarm');
      expect(textOf(card)).toContain('Runbook: Flush session cache');
      expect(await getPlatformAction(bot.store.db, id)).toMatchObject({ kind: 'alarm-run', plan: { automation: { kind: 'runbook', id: 'DOC-flush-session-cache' }, risk: 'HIGH', runbook: { version: 'v1' } } });
      const sent = bot.sim.countRequests(AUTO_PROCESS);
      expect((await click(bot, 'alice', 'approval:approve', id)).outcome).not.toBe('succeeded');
      const approved = await click(bot, 'bob', 'approval:approve', id);
      expect(approved.title, textOf(approved)).toBe(`Approved: Flush session cache started for alarm ${alarm.id}`);
      expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(sent + 1);
      expect((await click(bot, 'dave', 'approval:approve', id)).title).toBe('This request is already decided');
      expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(sent + 1);
      expect(await getApproval(bot.store.db, id)).toMatchObject({ state: 'executed' });

      const other = raiseManagedAlarm(bot.sim.world, { ...FLUSH, name: 'Session cache hit rate below 60% (eu)' });
      const again = await command(bot, 'alice', `alarms run ${other.id}`);
      const filed = await click(bot, 'alice', again.buttons![0]!.actionId, again.buttons![0]!.value);
      const stale = /approval ([0-9a-f-]{36})/.exec(filed.footer ?? '')![1]!;
      linkedAt('HIGH', { version: 'v2' });
      const refused = await click(bot, 'bob', 'approval:approve', stale);
      expect(refused.title).toBe('Flush session cache changed since the request');
      expect(refused.text).toContain('its version is v2 (was v1)');
      expect((await getApproval(bot.store.db, stale))?.state).toBe('void');
      expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(sent + 1);
    } finally {
      runbooksOf(bot.sim.world).addDocument(original);
    }
  });
});
