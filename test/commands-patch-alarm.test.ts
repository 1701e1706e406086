/**
 * `patch`, `patch show` and `alarm` through the real Dispatcher, a fresh simulator and an
 * in-memory store, read as the terminal renders them: compliance counts that agree with the
 * simulated reports, worst hosts first, per-host items, both languages, clear refusals; alarms
 * that reach COC as sent, are cleared by --ok, never show or audit the integration key, and
 * that a viewer cannot push.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import type { CocBackendOptions } from '../src/backends/coc/index.js';
import { CocSessions } from '../src/backends/coc/sessions.js';
import { Secret } from '../src/config.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import type { Services } from '../src/core/command.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { SIM_DEFAULT_INTEGRATION_KEY } from '../src/sim/server.js';
import { isCompliantItem, isCompliantReport } from '../src/sim/state/patches.js';
import type { PatchReport } from '../src/sim/state/model.js';
import { alarmIdFor } from '../commands/alarm.js';
import { EVENT_OPERATIONS } from '../src/coc/api/events.js';
import { routeKeyOf } from './coc-helpers.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

let bot: TestBot;
const STOREFRONT = APPLICATIONS.find((application) => application.name === 'storefront')!.id;

beforeAll(async () => {
  bot = await makeTestBot({
    mappings: [
      ...DEMO_MAPPINGS,
      { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'wang', iamUser: 'wang', role: 'viewer', locale: 'zh-CN' },
      { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'li', iamUser: 'li', role: 'operator', locale: 'zh-CN' },
    ],
    // The application alarms are filed under when --app is not given.
    config: { incidents: { alarmApplication: STOREFRONT } },
  });
});
afterAll(async () => {
  await bot?.close();
});

const reports = (): readonly PatchReport[] => bot.sim.world.patchReports;
const nonCompliant = () => reports().filter((r) => !isCompliantReport(r));
const critical = (r: PatchReport) => r.items.filter((i) => !isCompliantItem(i) && i.complianceLevel === 'CRITICAL').length;
/** Host names of the table rows, in order. */
const rowHosts = (text: string) => [...text.matchAll(/^(\S+)\s+(?:✅|❌)/gmu)].map((m) => m[1]!);

describe('patch (summary)', () => {
  it('counts compliant and non-compliant hosts as COC reports them, with severity totals, worst first', async () => {
    const all = reports();
    const bad = nonCompliant();
    expect(bad.length).toBeGreaterThan(0);
    const text = await bot.run('carol', 'patch --limit 100');
    expect(text).toMatch(new RegExp(`^Patch compliance: ${bad.length} of ${all.length} hosts not compliant`));
    expect(text).toMatch(new RegExp(`✅ Compliant\\s+${all.length - bad.length} hosts`));
    expect(text).toMatch(new RegExp(`❌ Not compliant\\s+${bad.length} hosts`));
    const criticalTotal = bad.reduce((sum, r) => sum + critical(r), 0);
    expect(text).toMatch(new RegExp(`Non-compliant patches by severity\\s+🔴 critical ${criticalTotal} · 🟠 high \\d+`));
    const hosts = rowHosts(text);
    expect(hosts).toHaveLength(all.length);
    // Every non-compliant host before every compliant one, and by critical count first.
    const rank = hosts.map((name) => all.find((r) => r.host.name === name)!);
    expect(rank.slice(0, bad.length).every((r) => !isCompliantReport(r))).toBe(true);
    const criticals = rank.slice(0, bad.length).map(critical);
    expect(criticals).toEqual([...criticals].sort((a, b) => b - a));
    expect(text).toContain(rank[0]!.id);
  });

  it('pages with --page and keeps the filters in the hint', async () => {
    const first = await bot.run('carol', 'patch --limit 5');
    expect(first).toContain(`Page 1 of ${Math.ceil(reports().length / 5)}, worst first.`);
    expect(first).toContain('More: patch --limit 5 --page 2');
    const second = await bot.run('carol', 'patch --limit 5 --page 2');
    expect(rowHosts(second)).toHaveLength(5);
    expect(rowHosts(second).filter((h) => rowHosts(first).includes(h))).toEqual([]);
    expect(await bot.run('carol', 'patch --page 999')).toMatch(/--page 999 is past the end: \d+ pages of 20 in all\./);
  });

  it('filters by status, host and region, while the counts cover host and region only', async () => {
    const bad = nonCompliant();
    const onlyBad = await bot.run('carol', 'patch --status non-compliant --limit 100');
    expect(rowHosts(onlyBad)).toHaveLength(bad.length);
    expect(rowHosts(onlyBad).sort()).toEqual(bad.map((r) => r.host.name).sort());
    // The counts still cover every host: --status only narrows the list.
    expect(onlyBad).toMatch(new RegExp(`✅ Compliant\\s+${reports().length - bad.length} hosts`));
    expect(onlyBad).toMatch(/Filters\s+status Not compliant/);
    const good = await bot.run('carol', 'patch --status COMPLIANT --limit 100');
    expect(rowHosts(good)).toHaveLength(reports().length - bad.length);
    expect(good).not.toContain('Non-compliant patches by severity');

    const region = 'cn-north-4';
    const inRegion = reports().filter((r) => r.host.regionId === region && r.host.name.includes('web'));
    const filtered = await bot.run('carol', `patch --host web --region ${region} --limit 100`);
    expect(rowHosts(filtered).sort()).toEqual(inRegion.map((r) => r.host.name).sort());
    expect(filtered).toMatch(/Filters\s+host name contains "web", region cn-north-4/);
    expect(await bot.run('carol', 'patch --host nohostlikethis')).toMatch(/^Patch compliance: no report matches/);
  });

  it('refuses bad options and says what is allowed', async () => {
    expect(await bot.run('carol', 'patch --status broken')).toContain('--status "broken" is not allowed. Allowed: non-compliant, compliant.');
    expect(await bot.run('carol', 'patch --status non_compliant --limit 0')).toContain('--limit must be a whole number from 1 to 100, got "0".');
    expect(await bot.run('carol', 'patch --region "cn north"')).toContain('--region "cn north" is not allowed: give a region id such as cn-north-4 or ap-southeast-3.');
    expect(await bot.run('carol', 'patch web-01')).toContain('patch takes no plain words, got "web-01"');
  });

  it('speaks Chinese', async () => {
    const text = await bot.run('wang', 'patch --limit 3');
    expect(text).toMatch(new RegExp(`^补丁合规：${reports().length} 台主机中 ${nonCompliant().length} 台不合规`));
    expect(text).toMatch(/✅ 合规\s+\d+ 台/);
    expect(text).toMatch(/不合规补丁（按严重程度）\s+🔴 严重 \d+ · 🟠 高 \d+/);
    expect(text).toMatch(/主机\s+状态\s+不合规项/);
    expect(text).toContain('❌ 不合规');
    expect(text).toContain('下一页：patch --limit 3 --page 2');
    expect(await bot.run('wang', 'patch --status 坏')).toMatch(/--status 不接受“坏”。可选值：non-compliant, compliant。/);
  });
});

describe('patch show', () => {
  const worst = () => [...nonCompliant()].sort((a, b) => b.items.filter((i) => !isCompliantItem(i)).length - a.items.filter((i) => !isCompliantItem(i)).length)[0]!;

  it("lists one host's patch items, the non-compliant ones first, by name or by report id", async () => {
    const report = worst();
    const missing = report.items.filter((i) => !isCompliantItem(i));
    for (const ref of [report.host.name, report.id]) {
      const text = await bot.run('carol', `patch show ${ref} --limit 100`);
      expect(text).toMatch(new RegExp(`^Patches on ${report.host.name}: ❌ Not compliant`));
      expect(text).toMatch(new RegExp(`Items\\s+${report.items.length - missing.length} compliant · ${missing.length} not compliant`));
      expect(text).toMatch(/PATCH\s+CLASS\s+SEVERITY\s+STATUS\s+INSTALLED/);
      expect(text).toContain(`Report id`);
      expect(text).toContain(report.id);
      const rows = text.split('\n').filter((line) => /(?:✅|❌) /u.test(line) && !line.startsWith('Patches on'));
      expect(rows).toHaveLength(report.items.length);
      expect(rows.slice(0, missing.length).every((line) => line.includes('❌'))).toBe(true);
      for (const item of report.items) expect(text).toContain(item.title);
      expect(text).toContain(`Showing ${report.items.length} of ${report.items.length} items.`);
    }
  });

  it('filters by patch status', async () => {
    const report = reports().find((r) => r.items.some((i) => i.patchStatus === 'MISSING'))!;
    const missing = report.items.filter((i) => i.patchStatus === 'MISSING');
    const text = await bot.run('carol', `patch show ${report.host.name} --status missing`);
    expect(text).toContain(`Showing ${missing.length} of ${missing.length} items with status Missing.`);
    for (const item of missing) expect(text).toMatch(new RegExp(`${item.title.replace(/[.+]/g, '\\$&')}\\s+\\S+\\s+\\S+\\s+❌ Missing\\s+—`));
    expect(await bot.run('carol', `patch show ${report.host.name} --status lost`)).toContain(
      'Allowed: installed, installed-other, missing, reject, failed, pending-reboot.',
    );
  });

  it('answers a typo with did-you-mean, and a host without a report with why', async () => {
    const name = worst().host.name;
    const typo = name.replace('-', '');
    const text = await bot.run('carol', `patch show ${typo}`);
    expect(text).toMatch(new RegExp(`^No patch report for a host called "${typo}"`));
    expect(text).toContain(`Did you mean "${name}"?`);
    const unreported = bot.sim.world.hosts.find((h) => !reports().some((r) => r.host === h))!;
    const why = await bot.run('carol', `patch show ${unreported.name}`);
    expect(why).toContain('The host exists');
    expect(why).toContain('COC has no patch report for it');
    const agentWords: Record<string, string> = { ONLINE: 'Online', OFFLINE: 'Offline', INSTALLING: 'Installing', FAILED: 'Install failed' };
    expect(why).toContain(`(agent: ${unreported.agentState ? agentWords[unreported.agentState] : 'Not installed'}, OS type: ${unreported.osType})`);
    expect(await bot.run('wang', `patch show ${typo}`)).toContain(`您是不是想找“${name}”？`);
    const unknownId = await bot.run('carol', 'patch show 0123456789abcdef0123456789abcdef');
    expect(unknownId).toMatch(/^COC could not give the patch report 0123456789abcdef0123456789abcdef/);
    expect(unknownId).toMatch(/COC said: HTTP 500 \S+ The compliance report 0123456789abcdef0123456789abcdef does not exist\. If the id is right/);
    expect(await bot.run('carol', 'patch show')).toContain('Which host (its name or the patch report id)? Usage: patch show');
  });
});

describe('alarm', () => {
  const alarmRequests = () => bot.sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/event/'));

  it('raises an alarm in COC on a host and says what was sent, never the key', async () => {
    const host = bot.sim.world.hosts[0]!;
    const text = await bot.run('alice', `alarm --name "Checkout latency high" --level major --desc "p99 above 2 s" --resource ${host.name}`);
    const alarmId = alarmIdFor('Checkout latency high', host.resourceId);
    expect(text).toMatch(/^Alarm raised in COC: Checkout latency high/);
    expect(text).toMatch(/Level\s+🟠 Major/);
    expect(text).toMatch(/Status\s+Alarming/);
    expect(text).toMatch(/Description\s+p99 above 2 s/);
    expect(text).toContain(`${host.name} · ${host.resourceId} · ${host.regionId}`);
    expect(text).toMatch(new RegExp(`Alarm id\\s+${alarmId}`));
    expect(text).toContain(`To clear it: alarm --name "Checkout latency high" --resource ${host.name} --ok`);
    expect(text).not.toContain(SIM_DEFAULT_INTEGRATION_KEY);

    const alarm = bot.sim.world.alarms.all().find((a) => a.alarmId === alarmId);
    expect(alarm).toMatchObject({
      alarmName: 'Checkout latency high',
      alarmLevel: 'Major',
      alarmDesc: 'p99 above 2 s',
      alarmStatus: 'alarm',
      resourceName: host.name,
      resourceId: host.resourceId,
      regionId: host.regionId,
      alarmSource: 'coc-chatops',
      applicationId: STOREFRONT,
    });
    expect(alarm?.additional).toMatchObject({ raised_by: 'alice' });

    const { rows } = await bot.store.db.query<{ target: string | null; masked_parameters: unknown; outcome: string }>(
      "SELECT target, masked_parameters, outcome FROM audit_events WHERE command = 'alarm' ORDER BY occurred_at DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({ target: `alarm ${alarmId}`, outcome: 'succeeded' });
    expect(JSON.stringify(rows[0]?.masked_parameters)).toContain('Checkout latency high');
    const everything = await bot.store.db.query('SELECT * FROM audit_events');
    expect(JSON.stringify(everything.rows)).not.toContain(SIM_DEFAULT_INTEGRATION_KEY);
  });

  it('clears it with --ok (same name and resource, same alarm id)', async () => {
    const host = bot.sim.world.hosts[1]!;
    await bot.run('alice', `alarm --name "Disk full" --level critical --desc "/ at 98%" --resource ${host.resourceId}`);
    const text = await bot.run('alice', `alarm --name "Disk full" --resource ${host.name} --ok`);
    expect(text).toMatch(/^Alarm cleared in COC: Disk full/);
    expect(text).toMatch(/Status\s+Cleared/);
    const alarms = bot.sim.world.alarms.all().filter((a) => a.alarmId === alarmIdFor('Disk full', host.resourceId));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.alarmStatus).toBe('ok');
  });

  it('speaks Chinese', async () => {
    const text = await bot.run('li', 'alarm --name "磁盘满" --level minor --desc "根分区 90%"');
    expect(text).toMatch(/^已在 COC 中发出告警：磁盘满/);
    expect(text).toMatch(/级别\s+🟡 次要/);
    expect(text).toMatch(/状态\s+告警中/);
    expect(text).toContain('恢复该告警：alarm --name 磁盘满 --ok');
  });

  it('is refused to a viewer, and nothing reaches COC', async () => {
    const before = alarmRequests().length;
    const text = await bot.run('carol', 'alarm --name "x" --level info --desc "y"');
    expect(text).toContain('You may not use "alarm" here');
    expect(text).toMatch(/needs the operator role or higher; you are viewer/);
    expect(alarmRequests()).toHaveLength(before);
  });

  it('refuses incomplete or wrong input before sending anything, saying what is allowed', async () => {
    const before = alarmRequests().length;
    expect(await bot.run('alice', 'alarm --name x --desc y')).toContain('--level is needed: critical, major, minor or info.');
    expect(await bot.run('alice', 'alarm --level info --desc y')).toContain('--name is needed: Alarm name. Usage: alarm --name <text> [--level critical|major|minor|info] [--desc <text>] [--resource <host>] [--app <name-or-id>] [--ok]');
    expect(await bot.run('alice', 'alarm --name x --level info')).toContain('--desc is needed: what is wrong');
    expect(await bot.run('alice', 'alarm --name x --level severe --desc y')).toContain('--level "severe" is not allowed. Allowed: critical, major, minor, info.');
    expect(await bot.run('alice', `alarm --name ${'n'.repeat(256)} --level info --desc y`)).toContain('--name may be at most 255 characters, got 256.');
    expect(await bot.run('alice', 'alarm --name "  " --level info --desc y')).toContain('--name must not be empty.');
    expect(await bot.run('alice', 'alarm --name x --level info --desc y --app "no such app"')).toContain('No COC application "no such app"');
    const noHost = await bot.run('alice', `alarm --name x --level info --desc y --resource ${bot.sim.world.hosts[0]!.name}x`);
    expect(noHost).toMatch(/^No host called/);
    expect(noHost).toContain('Nothing was sent.');
    expect(noHost).toContain(`Did you mean "${bot.sim.world.hosts[0]!.name}"?`);
    expect(alarmRequests()).toHaveLength(before);
  });

  it('says the outcome is unknown when COC may have acted but its answer was lost, and audits it so', async () => {
    bot.sim.faults.set(routeKeyOf(EVENT_OPERATIONS.reportCustom), { kind: 'reset', afterHandling: true, times: 1 });
    const text = await bot.run('alice', 'alarm --name "Lost answer" --level minor --desc "x"');
    expect(text).toMatch(/^Outcome unknown: the alarm may have been raised in COC: Lost answer/);
    expect(text).toContain('COC’s answer was lost (the connection failed before an answer arrived)');
    expect(text).toContain(`Check alarm ${alarmIdFor('Lost answer', undefined)} (source coc-chatops)`);
    expect(bot.sim.world.alarms.all().some((alarm) => alarm.alarmId === alarmIdFor('Lost answer', undefined))).toBe(true);
    const { rows } = await bot.store.db.query<{ masked_parameters: unknown }>(
      "SELECT masked_parameters FROM audit_events WHERE command = 'alarm' ORDER BY occurred_at DESC LIMIT 1",
    );
    expect(JSON.stringify(rows[0]?.masked_parameters)).toContain('unknown (no read-back exists: the connection failed before an answer arrived)');
  });

  it('is refused when no integration key is configured, and a wrong key is never echoed', async () => {
    const run = async (services: Services, line: string) =>
      renderMessage(
        await new Dispatcher(bot.dispatcher.registry, services).handle({
          kind: 'command',
          actor: { platform: 'shell', workspaceId: SHELL_WORKSPACE, userId: 'alice' },
          place: SHELL_PLACE,
          text: line,
        }),
        PLAIN,
      );
    // The key belongs to the COC backend: the same bot's services, with a backend built without (or with another) key.
    const withKey = (options: CocBackendOptions): Services => {
      const sessions = new CocSessions(bot.coc, undefined, options);
      return { ...bot.services, backend: sessions.botBackend, backendFor: (identity) => sessions.backendFor(identity) };
    };
    const before = alarmRequests().length;
    const none = await run(withKey({}), 'alarm --name x --level info --desc y');
    expect(none).toMatch(/^Alarms are not set up for this bot/);
    expect(none).toContain('COC_INTEGRATION_KEY');
    expect(alarmRequests()).toHaveLength(before);

    const wrongKey = 'wrong-integration-key-0123456789';
    const wrong = await run(withKey({ integrationKey: new Secret(wrongKey) }), 'alarm --name x --level info --desc y');
    expect(wrong).toMatch(/COC refused the request \(HTTP 404\)/);
    expect(wrong).not.toContain(wrongKey);
  });
});
