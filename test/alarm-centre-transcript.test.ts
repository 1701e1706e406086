/**
 * The alarm centre from the terminal, through the real Dispatcher and a fresh simulator: an
 * alarm shown, turned into an incident (which the simulator's incident desk now holds, linked
 * back from the alarm), cleared with a reason, its history; the linked script previewed and run
 * under the risk rules (HIGH through a second person's approval, sent once; a linked runbook previewed
 * and run the same way, test/alarm-runbook.test.ts);
 * viewers refused; both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { ALARM_SEEDS } from '../src/sim/state/alarms.js';
import { seededAlarmIds } from '../src/sim/routes/alarms.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { command } from './incident-helpers.js';
import { raiseManagedAlarm } from '../src/sim/routes/alarms.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';

let bot: TestBot;
let ids: string[];
const idOf = (name: string) => ids[ALARM_SEEDS.findIndex((seed) => seed.name === name)]!;

beforeAll(async () => {
  bot = await makeTestBot({
    mappings: [...DEMO_MAPPINGS, { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'li', iamUser: 'li', role: 'operator', locale: 'zh-CN' }],
  });
  ids = seededAlarmIds(bot.sim.world);
});
afterAll(async () => {
  await bot?.close();
});

describe('an alarm linked to an incident and cleared', () => {
  it('shows, links, clears and tells the history', async () => {
    const disk = idOf('Disk usage above 90% on web-01');
    const shown = await bot.run('alice', `alarms show ${disk}`);
    expect(shown).toContain('Disk usage above 90% on web-01');
    expect(shown).toContain('Urgent');
    expect(shown).toContain('Alarming');
    expect(shown).toContain('script disk_usage');
    expect(shown).toContain(`alarms incident ${disk}`);

    const LINK = 'POST /v1/alarm-mgmt/alarms-linked-incident';
    const CANCEL = 'POST /v1/alarm-mgmt/alarms/cancel';
    const linksBefore = bot.sim.countRequests(LINK);
    const linked = await bot.run('alice', `alarms incident ${disk} --level p2 --type function --interrupted no`);
    const incident = /Alarm turned into incident (IM\d+)/.exec(linked)?.[1];
    expect(incident, linked).toBeDefined();
    expect(bot.sim.countRequests(LINK) - linksBefore).toBe(1);
    const held = bot.sim.world.incidents.get(incident!);
    expect(held).toMatchObject({ title: 'Disk usage above 90% on web-01', level: 'level_20', type: 'inc_type_p_function_issues', source: 'incident_source_alarm', creator: 'chatops-bot' });
    expect(await bot.run('alice', `alarms show ${disk}`)).toContain(incident!);
    expect(await bot.run('alice', `alarms incident ${disk} --level p2 --type function --interrupted no`)).toContain(`already linked to incident ${incident}`);
    expect(bot.sim.countRequests(LINK) - linksBefore, 'the second link sends nothing').toBe(1);
    const cancelsBefore = bot.sim.countRequests(CANCEL);

    const cleared = await bot.run('alice', `alarms clear ${disk} --reason "Cleaned /var/log, usage back at 40%"`);
    expect(cleared).toContain('Alarm cleared: Disk usage above 90% on web-01');
    expect(await bot.run('alice', `alarms show ${disk}`)).toContain('Resolved');
    const history = await bot.run('carol', `alarms history ${disk}`);
    expect(history).toContain('Cleaned /var/log, usage back at 40%');
    expect(history).toMatch(/by chatops-bot: Cleaned/);
    expect(await bot.run('alice', `alarms clear ${disk} --reason again`)).toContain('already resolved');
    expect(bot.sim.countRequests(CANCEL) - cancelsBefore, 'one clear sent, the second sends nothing').toBe(1);
  });
});

describe('the linked automation, under the rules of run', () => {
  it('previews a LOW-risk script, runs it on Run once, and the history shows the handling', async () => {
    const disk = raiseManagedAlarm(bot.sim.world, { name: 'Disk usage above 90% on web-02', importance: 'urgent', appName: 'storefront', region: 'cn-north-4', minutesAgo: 5, status: 'alarming', task: { type: 'SCRIPT', name: 'disk_usage' } });
    const preview = await command(bot, 'alice', `alarms run ${disk.id}`);
    expect(preview.title).toBe(`Run disk_usage for alarm ${disk.id}?`);
    expect(preview.awaitsAnswer).toBe(true);
    expect(renderMessage(preview, PLAIN)).toContain('mount_point=/');
    expect(disk.handlings).toHaveLength(0);
    const run = preview.buttons!.find((button) => button.actionId === 'alarm:run')!;
    const started = await bot.click('alice', run.actionId, run.value);
    expect(started).toContain(`disk_usage started for alarm ${disk.id}`);
    expect(disk.handlings).toHaveLength(1);
    expect(started).toContain(disk.handlings[0]!.workOrderId);
    // A second click on the same preview (here, or on another replica) finds the handling and sends nothing.
    const sent = bot.sim.countRequests('POST /v1/alarm-mgmt/alarm/{alarm_id}/auto-process');
    expect(await bot.click('bob', run.actionId, run.value)).toContain(`Alarm ${disk.id} was handled since this preview`);
    expect(bot.sim.countRequests('POST /v1/alarm-mgmt/alarm/{alarm_id}/auto-process')).toBe(sent);
    expect(disk.handlings).toHaveLength(1);
    const history = await bot.run('carol', `alarms history ${disk.id}`);
    expect(history).toContain('SCRIPT disk_usage');
    expect(history).toContain('FINISHED');
    // Cancel sends nothing.
    const again = await command(bot, 'alice', `alarms run ${disk.id}`);
    expect(await bot.click('alice', 'alarm:run-cancel', again.buttons![1]!.value)).toContain('Nothing was sent.');
    expect(disk.handlings).toHaveLength(1);
  });

  it('asks once more for a MEDIUM-risk script, and refuses a Run whose script changed since the preview', async () => {
    const nginx = raiseManagedAlarm(bot.sim.world, { name: 'nginx 502s', importance: 'major', appName: 'storefront', region: 'cn-north-4', minutesAgo: 5, status: 'alarming', task: { type: 'SCRIPT', name: 'restart_nginx' } });
    const preview = await command(bot, 'alice', `alarms run ${nginx.id}`);
    const run = preview.buttons!.find((button) => button.actionId === 'alarm:run')!;
    expect(run.confirm?.title).toBe('Run restart_nginx now?');
    const [id] = run.value.split('|');
    expect(await bot.click('alice', 'alarm:run', `${id}|0000|0`)).toContain('changed since the preview');
    expect(nginx.handlings).toHaveLength(0);
  });

  it('takes a HIGH-risk script through four eyes (requested, approved by another person, sent once)', async () => {
    const route = 'POST /v1/alarm-mgmt/alarm/{alarm_id}/auto-process';
    const before = bot.sim.countRequests(route);
    const alarm = idOf('Database password older than 90 days');
    const high = await bot.run('alice', `alarms run ${alarm}`);
    expect(high).toContain(`Run rotate_db_password for alarm ${alarm}?`);
    expect(high).toContain('High risk: Request approval files it for a second authorised person; nothing is sent before they approve.');
    expect(high).toContain('Request approval');
    const preview = await command(bot, 'alice', `alarms run ${alarm}`);
    const request = preview.buttons!.find((button) => button.actionId === 'alarm:run-request')!;
    const requested = await bot.click('alice', request.actionId, request.value);
    expect(requested).toContain(`Approval requested: rotate_db_password for alarm ${alarm}`);
    const id = /approval ([0-9a-f-]{36})/.exec(requested)![1]!;
    expect(await bot.run('carol', 'approvals')).toContain(id);
    expect(await bot.run('carol', `approval show ${id}`)).toContain(`Approve running rotate_db_password for alarm ${alarm}?`);
    expect(bot.sim.countRequests(route)).toBe(before);
    const approved = await bot.click('bob', 'approval:approve', id);
    expect(approved).toContain(`Approved: rotate_db_password started for alarm ${alarm}`);
    expect(bot.sim.countRequests(route)).toBe(before + 1);
    expect(await bot.click('bob', 'approval:approve', id)).toContain('This request is already decided');
    expect(await bot.run('carol', `alarms history ${alarm}`)).toContain('SCRIPT rotate_db_password');
    expect(bot.sim.countRequests(route)).toBe(before + 1);
  });
});

describe('who may, and in Chinese', () => {
  it('refuses the writes to a viewer, and speaks Chinese to li', async () => {
    const alarm = idOf('Session cache hit rate below 60%');
    expect(await bot.run('carol', `alarms clear ${alarm} --reason nope`)).toMatch(/operator/i);
    expect(bot.sim.world.alarms.managed(() => undefined).get(alarm)?.status).toBe('alarming');
    const zh = await bot.run('li', `alarms show ${alarm}`);
    expect(zh).toContain('告警中');
    expect(zh).toContain('关联自动化');
    expect(await bot.run('li', `alarms clear ${alarm} --reason 已恢复`)).toContain('告警已清除');
  });
});
