/**
 * An alarm's linked HIGH-risk script under four eyes (`alarms run <id>`), an approved platform
 * action of kind alarm-run: the preview offers
 * Request approval, nothing is sent before a second authorised person approves; the requester
 * cannot approve their own; the approval re-checks the alarm and its script (handled, cleared or
 * changed since = void, nothing sent); exactly one auto-process request reaches the simulator,
 * and a replayed click on another replica (two bots, one PostgreSQL store) sends nothing. Both
 * languages. Recovery never sends again: a request left approved is settled by the alarm's
 * handlings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import { expireDueApprovals } from '../src/approvals/approvals.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { raiseManagedAlarm } from '../src/sim/routes/alarms.js';
import type { AlarmSeed } from '../src/sim/state/alarms.js';
import { getPlatformAction, movePlatformActionWrite } from '../src/store/platform-actions.js';
import { getApproval, updateApprovalIfVersion } from '../src/store/approvals.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { announceSkip, postgresLeg } from './helpers/store-legs.js';
import { click, command, submit } from './incident-helpers.js';
import { requestThroughPreview } from './helpers/approval-request.js';
import { writeFaultCases } from './helpers/write-faults.js';

const AUTO_PROCESS = 'POST /v1/alarm-mgmt/alarm/{alarm_id}/auto-process';
const PEOPLE: IdentityMappingConfig[] = [
  ...DEMO_MAPPINGS,
  // An approver who asks: four eyes still keeps her from approving her own request.
  { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'ann', iamUser: 'ann', role: 'approver' },
  { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'li', iamUser: 'li', role: 'operator', locale: 'zh-CN' },
];
const HIGH: AlarmSeed = { name: 'Database password older than 90 days', importance: 'major', appName: 'orders', region: 'cn-north-4', minutesAgo: 5, status: 'alarming', task: { type: 'SCRIPT', name: 'rotate_db_password' } };

/** Previews the alarm's run and presses Request approval; the request's id. */
const requestRun = (bot: TestBot, user: string, alarmId: string) => requestThroughPreview(bot, user, `alarms run ${alarmId}`, 'alarm:run-request');

describe('four eyes for an alarm’s HIGH-risk script', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot({ mappings: PEOPLE });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('files a request, refuses the requester, runs once on another approver’s click', async () => {
    const alarm = raiseManagedAlarm(bot.sim.world, HIGH);
    const before = bot.sim.countRequests(AUTO_PROCESS);
    const { preview, requested, id } = await requestRun(bot, 'ann', alarm.id);
    expect(preview.title).toBe(`Run rotate_db_password for alarm ${alarm.id}?`);
    expect(preview.footer).toContain('High risk: Request approval files it for a second authorised person');
    expect(preview.buttons?.some((button) => button.actionId === 'alarm:run')).toBe(false);
    expect(requested.title).toBe(`Approval requested: rotate_db_password for alarm ${alarm.id}`);
    // The card is posted where approvals go, with Approve / Reject.
    const card = bot.surface.posts.find((post) => post.message.footer === `approval ${id}`);
    expect(card?.message.title).toBe(`Approve running rotate_db_password for alarm ${alarm.id}?`);
    expect(card?.message.buttons?.map((b) => b.actionId)).toEqual(['approval:approve', 'approval:reject']);
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before);

    // A forged Run click on a HIGH-risk script sends nothing.
    const [alarmPart, hash, handlings] = preview.buttons![0]!.value.split('|');
    expect((await click(bot, 'alice', 'alarm:run', `${alarmPart}|${hash}|${handlings}`)).title).toContain('a second authorised person must approve it');
    // The requester cannot approve it, even holding the approver role; an operator has no Approve at all.
    expect((await click(bot, 'ann', 'approval:approve', id)).title).toBe('You cannot approve your own request');
    expect((await click(bot, 'alice', 'approval:approve', id)).outcome).not.toBe('succeeded');
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before);
    expect((await command(bot, 'carol', `approval show ${id}`)).fields?.[0]?.value).toMatch(/^Waiting for approval/);

    const approved = await click(bot, 'bob', 'approval:approve', id);
    expect(approved.title, JSON.stringify(approved)).toBe(`Approved: rotate_db_password started for alarm ${alarm.id}`);
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before + 1);
    expect(alarm.handlings).toHaveLength(1);
    expect(approved.fields?.[0]?.value).toBe(alarm.handlings[0]!.workOrderId);
    // A replayed click sends nothing.
    expect((await click(bot, 'bob', 'approval:approve', id)).title).toBe('This request is already decided');
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before + 1);
    expect(await getApproval(bot.store.db, id)).toMatchObject({ state: 'executed', approverIamUser: 'bob', requesterIamUser: 'ann' });
    expect(await getPlatformAction(bot.store.db, id)).toMatchObject({ kind: 'alarm-run', writeState: 'done', result: alarm.handlings[0]!.workOrderId });
    // The requester is told privately; the card says who approved.
    expect(bot.surface.notices.some((n) => n.message.title === `bob approved your run of rotate_db_password for alarm ${alarm.id}: it started`)).toBe(true);
    expect(bot.surface.updates.some((u) => /Approved by bob; the script ran/.test(u.message.fields?.[0]?.value ?? ''))).toBe(true);
    const audit = await listAuditEvents(bot.store.db, { limit: 50 });
    expect(audit.some((e) => e.command.includes('approve') && e.maskedParameters['outcome'] === 'done')).toBe(true);
  });

  it('voids a request whose alarm was handled or cleared since, sending nothing', async () => {
    const handled = raiseManagedAlarm(bot.sim.world, { ...HIGH, name: 'Database password older than 90 days (replica)' });
    const first = await requestRun(bot, 'alice', handled.id);
    const second = await requestRun(bot, 'ann', handled.id);
    const before = bot.sim.countRequests(AUTO_PROCESS);
    expect((await click(bot, 'bob', 'approval:approve', first.id)).title).toContain('started');
    // The other request was made before that handling: approving it would run the script twice.
    const stale = await click(bot, 'dave', 'approval:approve', second.id);
    expect(stale.title).toBe(`Alarm ${handled.id} was handled since the request`);
    expect(stale.text).toContain('nothing was sent');
    expect((await getApproval(bot.store.db, second.id))?.state).toBe('void');
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before + 1);

    const cleared = raiseManagedAlarm(bot.sim.world, { ...HIGH, name: 'Database password older than 90 days (reports)' });
    const request = await requestRun(bot, 'alice', cleared.id);
    expect(await bot.run('alice', `alarms clear ${cleared.id} --reason "rotated by hand"`)).toContain('Alarm cleared');
    expect((await click(bot, 'bob', 'approval:approve', request.id)).title).toBe(`Alarm ${cleared.id} was cleared since the request`);
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before + 1);
  });

  it('lets the requester withdraw and an approver reject, sending nothing', async () => {
    const alarm = raiseManagedAlarm(bot.sim.world, { ...HIGH, name: 'Database password older than 90 days (billing)' });
    const before = bot.sim.countRequests(AUTO_PROCESS);
    const rejected = await requestRun(bot, 'alice', alarm.id);
    expect((await submit(bot, 'bob', 'approval:reject-reason', { reason: 'rotate it in the window' }, rejected.id)).title).toBe('Rejected');
    expect(bot.surface.notices.some((n) => n.message.title === `bob rejected your run of rotate_db_password for alarm ${alarm.id}`)).toBe(true);
    const withdrawn = await requestRun(bot, 'alice', alarm.id);
    expect((await submit(bot, 'alice', 'approval:reject-reason', { reason: 'not needed' }, withdrawn.id)).outcome).not.toBe('succeeded');
    expect((await submit(bot, 'ann', 'approval:reject-reason', { reason: 'mine' }, (await requestRun(bot, 'ann', alarm.id)).id)).title).toBe('Withdrawn');
    expect((await click(bot, 'bob', 'approval:approve', rejected.id)).title).toBe('This request is already decided');
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before);
    expect(alarm.handlings).toHaveLength(0);
  });

  it('expires undecided, telling the requester, and an Approve after that sends nothing', async () => {
    const alarm = raiseManagedAlarm(bot.sim.world, { ...HIGH, name: 'Database password older than 90 days (expiring)' });
    const { id } = await requestRun(bot, 'alice', alarm.id);
    await bot.store.db.query(`UPDATE approvals SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await expireDueApprovals(bot.services)).toBeGreaterThanOrEqual(1);
    expect((await getApproval(bot.store.db, id))?.state).toBe('expired');
    expect(bot.surface.notices.some((n) => n.message.title === `Your run of rotate_db_password for alarm ${alarm.id} expired`)).toBe(true);
    const before = bot.sim.countRequests(AUTO_PROCESS);
    expect((await click(bot, 'bob', 'approval:approve', id)).title).toBe('This request is already decided');
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before);
  });

  it('speaks Chinese to a Chinese-speaking requester', async () => {
    const alarm = raiseManagedAlarm(bot.sim.world, { ...HIGH, name: '数据库密码超过 90 天' });
    const { preview, requested, id } = await requestRun(bot, 'li', alarm.id);
    expect(preview.buttons?.[0]?.label).toBe('申请审批');
    expect(preview.footer).toContain('批准前不会发送任何内容');
    expect(requested.title).toBe(`已提交审批请求：为告警 ${alarm.id} 执行 rotate_db_password`);
    await click(bot, 'bob', 'approval:approve', id);
    expect(bot.surface.notices.some((n) => n.message.title === `bob 批准了您为告警 ${alarm.id} 执行 rotate_db_password 的请求：已开始执行`)).toBe(true);
  });

  it('recovery never sends again: a request left approved is settled by the alarm’s handlings', async () => {
    const alarm = raiseManagedAlarm(bot.sim.world, { ...HIGH, name: 'Database password older than 90 days (left)' });
    const notSent = await requestRun(bot, 'alice', alarm.id);
    const sent = await requestRun(bot, 'ann', alarm.id);
    const approve = async (id: string) => {
      const approval = (await getApproval(bot.store.db, id))!;
      await updateApprovalIfVersion(bot.store.db, id, approval.version, { state: 'approved', approverChatUserId: 'bob', approverIamUser: 'bob', decidedAt: new Date() });
    };
    // One stopped before its write was stamped; the other after it was sent (the simulator has the handling).
    await approve(notSent.id);
    await approve(sent.id);
    await movePlatformActionWrite(bot.store.db, sent.id, ['none'], { writeState: 'sending' });
    raiseHandling(bot.sim, alarm.id);
    const before = bot.sim.countRequests(AUTO_PROCESS);
    expect((await recoverInterruptedRuns(bot.services, { leftAfterMs: 0 })).approvalsSettled).toBe(2);
    expect(await getApproval(bot.store.db, notSent.id)).toMatchObject({ state: 'failed' });
    expect((await getApproval(bot.store.db, notSent.id))?.error).toContain('before the request was sent: nothing ran');
    expect(await getApproval(bot.store.db, sent.id)).toMatchObject({ state: 'executed' });
    expect(bot.sim.countRequests(AUTO_PROCESS)).toBe(before);
  });
});

describe('the approved write under faults: told what COC did, sent once, audited', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot({ mappings: PEOPLE, expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
  });
  afterAll(async () => {
    await bot?.close();
  });
  const FAULTS = writeFaultCases('COC.00060400');
  it.each(FAULTS)('$name', async ({ name, fault, acts, refused }) => {
    const told = refused ? 'refused' : acts ? 'done' : 'not-done';
    const state = acts ? 'executed' : 'failed';
    const alarm = raiseManagedAlarm(bot.sim.world, { ...HIGH, name: `Fault matrix: ${name}` });
    const { id } = await requestRun(bot, 'alice', alarm.id);
    const before = bot.sim.countRequests(AUTO_PROCESS);
    bot.sim.faults.set(AUTO_PROCESS, { ...fault, times: 1 });
    let reply: Message;
    try {
      reply = await click(bot, 'bob', 'approval:approve', id);
    } finally {
      bot.sim.faults.clear(AUTO_PROCESS);
    }
    const text = [reply.title, reply.text].join('\n');
    expect(bot.sim.countRequests(AUTO_PROCESS) - before, text).toBe(1);
    expect(alarm.handlings.length > 0, text).toBe(told === 'done');
    if (told === 'done') expect(text).toMatch(/started for alarm[\s\S]*Confirmed by the alarm’s history/);
    if (told === 'not-done') expect(reply.title, text).toBe('Approved, but it did not run');
    if (told === 'refused') expect(reply.title, text).toBe('Approved, but COC refused to run it');
    expect((await getApproval(bot.store.db, id))?.state).toBe(state);
    // The audit trail: the write intent before it was sent, and the approval's row with its outcome.
    const rows = await listAuditEvents(bot.store.db, { limit: 200 });
    expect(rows.some((row) => row.target === id && row.maskedParameters['outcome'] === (told === 'not-done' ? 'not-done' : told)), JSON.stringify(rows.filter((row) => row.target === id))).toBe(true);
    // A second click sends nothing.
    await click(bot, 'dave', 'approval:approve', id);
    expect(bot.sim.countRequests(AUTO_PROCESS) - before).toBe(1);
  });
});

/** A handling of the alarm, as the platform records one (the bot's auto-process request reached it). */
function raiseHandling(sim: Simulator, alarmId: string): void {
  const alarm = sim.world.alarms.managed(() => undefined).get(alarmId)!;
  alarm.handlings.push({ ...(alarm.handlings[0] ?? {}), workOrderId: `WO${Date.now()}` } as (typeof alarm.handlings)[number]);
}

describe('two replicas, one store (PostgreSQL)', () => {
  announceSkip(postgresLeg, 'alarm-run-approval.test.ts');
  it.skipIf(postgresLeg.skipReason !== undefined)('a replayed or concurrent approval on another replica sends nothing', async () => {
    const sim = await startSimulator({ tickMs: 0 });
    const store = postgresLeg.freshOptions();
    const one = await makeTestBot({ simulator: sim, store, mappings: PEOPLE });
    const two = await makeTestBot({ simulator: sim, store, mappings: PEOPLE });
    try {
      const alarm = raiseManagedAlarm(sim.world, HIGH);
      const { id } = await requestRun(one, 'alice', alarm.id);
      const before = sim.countRequests(AUTO_PROCESS);
      // bob on one replica and dave on the other click at once: one wins, one request is sent.
      const [a, b] = await Promise.all([click(one, 'bob', 'approval:approve', id), click(two, 'dave', 'approval:approve', id)]);
      expect([a.title, b.title].filter((title) => title?.startsWith('Approved:'))).toHaveLength(1);
      expect(sim.countRequests(AUTO_PROCESS)).toBe(before + 1);
      // A replayed click on the other replica, later, sends nothing either.
      expect((await click(two, 'bob', 'approval:approve', id)).title).toBe('This request is already decided');
      expect(sim.countRequests(AUTO_PROCESS)).toBe(before + 1);
      expect(alarm.handlings).toHaveLength(1);
      expect((await getApproval(two.store.db, id))?.state).toBe('executed');
    } finally {
      await one.close();
      await two.close();
      await sim.close();
    }
  });
});
