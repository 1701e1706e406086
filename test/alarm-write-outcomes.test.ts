/**
 * The fault matrix of the alarm centre's writes from chat — turning an alarm into an incident,
 * clearing it, running its linked script — under every way an answer can fail (5xx before and
 * after COC acted, 400 with COC's error body, 429, hang, hang-body, reset before and after,
 * malformed JSON, a 200 carrying an error envelope). What the person is told must match what the
 * simulator did (read from its world afterwards), each write is sent exactly once (a lost answer
 * is settled by reading the alarm back, never by sending again), the write intent is audited
 * before it is sent, and the audit row tells the outcome. Attempts end exactly when the simulator
 * holds them in a hang: nothing waits on a timer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { raiseManagedAlarm } from '../src/sim/routes/alarms.js';
import type { ManagedAlarm } from '../src/sim/state/alarms.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { writeFaultCases, type Told } from './helpers/write-faults.js';
import { click, command } from './incident-helpers.js';
import { WRITE_ROUTES } from './helpers/write-routes.js';

const ROUTES = { link: WRITE_ROUTES.link, clear: WRITE_ROUTES.clear, run: WRITE_ROUTES.autoProcess } as const;

const FAULTS = writeFaultCases('COC.00060400');

interface Write {
  readonly name: string;
  readonly route: string;
  /** Sends the write for a fresh alarm; returns the reply. */
  send(bot: TestBot, alarm: ManagedAlarm): Promise<Message>;
  /** Whether the simulator carried it out. */
  acted(alarm: ManagedAlarm): boolean;
  readonly task?: { readonly type: 'SCRIPT'; readonly name: string };
}

const WRITES: readonly Write[] = [
  {
    name: 'alarms incident',
    route: ROUTES.link,
    send: (bot, alarm) => command(bot, 'alice', `alarms incident ${alarm.id} --level p3 --type function --interrupted no`),
    acted: (alarm) => alarm.associateEventId !== undefined,
  },
  {
    name: 'alarms clear',
    route: ROUTES.clear,
    send: (bot, alarm) => command(bot, 'alice', `alarms clear ${alarm.id} --reason "fault matrix"`),
    acted: (alarm) => alarm.status === 'resolved',
  },
  {
    name: 'alarms run (the preview’s Run button)',
    route: ROUTES.run,
    task: { type: 'SCRIPT', name: 'disk_usage' },
    async send(bot, alarm) {
      const preview = await command(bot, 'alice', `alarms run ${alarm.id}`);
      const run = preview.buttons?.find((button) => button.actionId === 'alarm:run');
      expect(run, preview.title).toBeDefined();
      return click(bot, 'alice', run!.actionId, run!.value);
    },
    acted: (alarm) => alarm.handlings.length > 0,
  },
];

function told(reply: Message): Told {
  if (/^Outcome unknown/.test(reply.title ?? '')) return 'unknown';
  if (/refused/i.test(reply.title ?? '')) return 'refused';
  if (/^Not done/.test(reply.title ?? '')) return 'not-done';
  if (reply.tone === 'success') return 'done';
  throw new Error(`a reply that says nothing clear: ${reply.title}\n${reply.text}`);
}

let bot: TestBot;
let counter = 0;

beforeAll(async () => {
  bot = await makeTestBot({ expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
});
afterAll(async () => {
  await bot?.close();
});

describe.each(WRITES)('$name', (write) => {
  it.each(FAULTS)('$name: told what COC did, sent once, audited', async (fault) => {
    const alarm = raiseManagedAlarm(bot.sim.world, {
      name: `Fault matrix ${++counter}`,
      importance: 'major',
      appName: 'storefront',
      region: 'cn-north-4',
      minutesAgo: 1,
      status: 'alarming',
      ...(write.task ? { task: write.task } : {}),
    });
    const before = bot.sim.countRequests(write.route);
    bot.sim.faults.set(write.route, { ...fault.fault, times: 1 });
    let reply: Message;
    try {
      reply = await write.send(bot, alarm);
    } finally {
      bot.sim.faults.clear(write.route);
    }
    const text = [reply.title, reply.text, reply.footer].filter(Boolean).join('\n');
    expect(bot.sim.countRequests(write.route) - before, text).toBe(1);
    expect(write.acted(alarm), text).toBe(fault.acts);
    // Reading the alarm back settles every lost answer here: acted → done, not acted → not done.
    const expected: Told = fault.refused ? 'refused' : fault.acts ? 'done' : 'not-done';
    expect(told(reply), text).toBe(expected);
    if (!fault.refused) expect(text).not.toMatch(/Nothing was sent|nothing was sent/);
    if (expected === 'done') expect(text).toMatch(/Confirmed by reading the alarm back/);
    // The audit trail: the write intent (recorded before sending) and the command's row.
    const rows = (await listAuditEvents(bot.store.db, { limit: 100 })).filter((row) => row.target === `alarm ${alarm.id}`);
    expect(rows.length, JSON.stringify(rows)).toBeGreaterThanOrEqual(1);
    if (!fault.refused) {
      const outcomes = rows.map((row) => String(row.maskedParameters['outcome'] ?? ''));
      expect(outcomes.some((outcome) => outcome.startsWith(expected === 'done' ? 'done (confirmed by read-back' : 'not done (read back unchanged')), JSON.stringify(rows)).toBe(true);
    }
  });
});

describe('an answer that stays unknown', () => {
  it('says so, advises a check that works, and never sends again', async () => {
    const alarm = raiseManagedAlarm(bot.sim.world, { name: 'Unknown clear', importance: 'minor', appName: 'orders', region: 'cn-north-4', minutesAgo: 1, status: 'alarming' });
    bot.sim.faults.set(ROUTES.clear, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    // The read-back fails too: nobody can tell from here.
    bot.sim.faults.set('GET /v1/alarm-mgmt/alarm/{alarm_id}', { kind: 'status', status: 503, times: 10 });
    let reply: Message;
    const before = bot.sim.countRequests(ROUTES.clear);
    try {
      // The alarm is read before the clear: let that read through, then fail the read-back.
      bot.sim.faults.clear('GET /v1/alarm-mgmt/alarm/{alarm_id}');
      const faults = bot.sim.faults;
      const take = faults.take.bind(faults);
      let clearSeen = false;
      faults.take = (key) => {
        if (key === ROUTES.clear) clearSeen = true;
        if (key === 'GET /v1/alarm-mgmt/alarm/{alarm_id}' && clearSeen) return { kind: 'status', status: 503 };
        return take(key);
      };
      try {
        reply = await command(bot, 'alice', `alarms clear ${alarm.id} --reason "lost"`);
      } finally {
        faults.take = take;
      }
    } finally {
      bot.sim.faults.clear();
    }
    expect(reply.title).toBe(`Outcome unknown: clear alarm ${alarm.id}`);
    expect(reply.text).toContain(`Check with "alarms show ${alarm.id}"`);
    expect(bot.sim.countRequests(ROUTES.clear) - before).toBe(1);
    expect(alarm.status).toBe('resolved');
    expect(await bot.run('alice', `alarms show ${alarm.id}`)).toContain('Resolved');
  });
});
