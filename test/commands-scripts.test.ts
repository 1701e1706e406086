/**
 * `scripts`, `scripts show`, `public scripts`, `public script show` and `hosts` through the real
 * Dispatcher, a fresh simulator and an in-memory store, read as the terminal renders them:
 * both languages, risk badges, paging, did-you-mean for unknown names, clear refusals — and
 * sensitive parameter defaults never anywhere in a reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import type { Script } from '../src/sim/state/model.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { writeHeldAuditRows } from '../src/store/audit-events.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await makeTestBot({
    mappings: [
      ...DEMO_MAPPINGS,
      // A viewer who reads Chinese.
      { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'wang', iamUser: 'wang', role: 'viewer', locale: 'zh-CN' },
    ],
  });
});
afterAll(async () => {
  await bot?.close();
});

const customScripts = (): Script[] => [...bot.sim.world.scripts.values()];
const publicScripts = (): Script[] => [...bot.sim.world.publicScripts.values()];
const byName = (name: string): Script => {
  const script = [...customScripts(), ...publicScripts()].find((s) => s.name === name);
  if (!script) throw new Error(`the simulator has no script ${name}`);
  return script;
};
/** Every sensitive default the simulator seeded: none of them may reach a reply. */
const sensitiveDefaults = (): string[] =>
  [...customScripts(), ...publicScripts()].flatMap((s) => s.params.filter((p) => p.sensitive).map((p) => p.param_value));

function expectNoSecrets(text: string): void {
  for (const secret of sensitiveDefaults()) expect(text, `"${secret}" leaked`).not.toContain(secret);
}

describe('scripts (list)', () => {
  it('lists every script with a risk badge, type and status, for a viewer, in English', async () => {
    const text = await bot.run('carol', 'scripts');
    expect(text).toMatch(/^Scripts \(10 of 10\)/);
    expect(text).toMatch(/NAME\s+RISK\s+TYPE\s+STATUS\s+UUID/);
    expect(text).toMatch(/rotate_db_password\s+🔴 HIGH\s+SHELL\s+Approved\s+SC\d{14}/);
    expect(text).toMatch(/restart_nginx\s+🟡 MEDIUM\s+SHELL/);
    expect(text).toMatch(/disk_usage\s+🟢 LOW\s+SHELL/);
    expect(text).toMatch(/deploy_hotfix\s+🔴 HIGH\s+PYTHON/);
    expect(text).toContain('Details: scripts show <name>');
  });

  it('speaks Chinese to a zh-CN reader', async () => {
    const text = await bot.run('wang', 'scripts --risk high');
    expect(text).toMatch(/^脚本（显示 3 个，共 3 个）/);
    expect(text).toMatch(/名称\s+风险\s+类型\s+状态\s+UUID/);
    expect(text).toMatch(/rotate_db_password\s+🔴 高\s+SHELL\s+正常（审批通过）/);
    expect(text).toContain('查看详情：scripts show <名称>');
    expect(text).not.toMatch(/LOW|MEDIUM/);
  });

  it('filters by name, risk and type', async () => {
    const nginx = await bot.run('carol', 'scripts --name nginx');
    expect(nginx).toMatch(/Scripts \(1 of 1\)/);
    expect(nginx).toContain('restart_nginx');
    const python = await bot.run('carol', 'scripts --type PYTHON --risk High');
    expect(python).toContain('deploy_hotfix');
    expect(python).not.toContain('rotate_db_password');
    expect(await bot.run('carol', 'scripts --name nothing_like_this')).toContain('No script matches these filters. Try fewer of them.');
  });

  it('pages with --after, keeping the filters, and the next page carries on where the last one stopped', async () => {
    const first = await bot.run('carol', 'scripts --limit 4 --type shell');
    const more = /More: (scripts .*--after \d+)/.exec(first);
    expect(more?.[1]).toMatch(/^scripts --limit 4 --type shell --after \d+$/);
    const second = await bot.run('carol', more![1]!);
    const names = (text: string) => [...text.matchAll(/^(\w+)\s+[🟢🟡🔴]/gmu)].map((m) => m[1]);
    expect(names(first)).toHaveLength(4);
    expect(names(second)).toHaveLength(4);
    expect(names(second).filter((n) => names(first).includes(n))).toEqual([]);
    expect(second).not.toContain('BAT');
  });

  it('refuses bad options and says what is allowed', async () => {
    expect(await bot.run('carol', 'scripts --risk extreme')).toMatch(/--risk "extreme" is not allowed\. Allowed: low, medium, high\./);
    expect(await bot.run('carol', 'scripts --type shel')).toMatch(/Did you mean shell\? Allowed: shell, python, bat\./);
    expect(await bot.run('carol', 'scripts --limit 500')).toContain('--limit must be a whole number from 1 to 100, got "500".');
    expect(await bot.run('carol', 'scripts --after abc')).toContain('--after "abc" is not allowed: give the id of the last script of the previous page (a whole number, as printed after "More:").');
    expect(await bot.run('carol', 'scripts nginx')).toContain('scripts takes no plain words, got "nginx"');
    expect(await bot.run('wang', 'scripts --risk extreme')).toMatch(/命令格式不正确\n--risk 不接受“extreme”。可选值：low, medium, high。/);
  });
});

describe('scripts show', () => {
  it('shows description, risk, type, version, reviewers, parameters and last change, with sensitive defaults masked', async () => {
    const text = await bot.run('carol', 'scripts show rotate_db_password');
    const script = byName('rotate_db_password');
    expect(text).toMatch(/^Script rotate_db_password · 🔴 HIGH/);
    expect(text).toContain(script.description);
    expect(text).toMatch(/Risk\s+🔴 HIGH: every run needs a second person's approval/);
    expect(text).toMatch(/Type\s+SHELL/);
    expect(text).toMatch(/Version\s+1\.0\.0/);
    expect(text).toMatch(/Reviewers in COC\s+bob/);
    expect(text).toMatch(/Last modified\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC by alice/);
    expect(text).toContain(script.scriptUuid);
    expect(text).toMatch(/db_user\s+app\s+Database account to rotate/);
    expect(text).toMatch(/new_password\s+•••••• \(sensitive\)\s+New password/);
    expect(text).toContain('Content (5 lines)');
    expect(text).toContain('systemctl reload app');
    expect(text).toContain('Sensitive defaults are never shown');
    expectNoSecrets(text);
  });

  it('never shows any seeded sensitive default, in either language, by name or by uuid', async () => {
    expect(sensitiveDefaults().length).toBeGreaterThanOrEqual(3);
    for (const script of customScripts().filter((s) => s.params.some((p) => p.sensitive))) {
      for (const [user, ref] of [
        ['carol', script.name],
        ['wang', script.name],
        ['carol', script.scriptUuid],
      ] as const) {
        const text = await bot.run(user, `scripts show ${ref}`);
        expect(text).toContain(script.scriptUuid);
        expect(text).toContain('••••••');
        expectNoSecrets(text);
      }
    }
  });

  it('speaks Chinese', async () => {
    const text = await bot.run('wang', 'scripts show deploy_hotfix');
    expect(text).toMatch(/^脚本 deploy_hotfix · 🔴 高/);
    expect(text).toMatch(/风险等级\s+🔴 高：每次执行都需要另一人审批/);
    expect(text).toMatch(/COC 审核人\s+bob/);
    expect(text).toMatch(/api_token\s+••••••（敏感）/);
    expect(text).toContain('敏感参数的默认值从不显示');
  });

  it('leaves out the content when a sensitive default is written into it, and masks hard-coded passwords', async () => {
    const secret = 'Sup3rSecretDefault';
    const uuid = await bot.coc.createScript({
      name: 'leaky_script',
      description: 'Writes its default into the content',
      type: 'SHELL',
      content: `#!/bin/bash\necho ${secret}\nmysql --password=hunter2hunter2 -e "select 1"\n`,
      properties: { risk_level: 'LOW', version: '1' },
      script_params: [{ param_name: 'token', param_value: secret, param_description: 'A token', sensitive: true }],
    });
    const leaky = await bot.run('carol', 'scripts show leaky_script');
    expect(leaky).toContain('Content not shown: it contains the default value of a sensitive parameter.');
    expect(leaky).not.toContain(secret);
    expect(leaky).not.toContain('hunter2hunter2');

    const hardcodedUuid = await bot.coc.createScript({
      name: 'hardcoded_password',
      description: 'Has a password in its content',
      type: 'SHELL',
      content: '#!/bin/bash\nmysql --password=hunter2hunter2 -e "select 1"\nexport API_TOKEN="abc123abc123"\n',
      properties: { risk_level: 'LOW', version: '1' },
    });
    const hardcoded = await bot.run('carol', 'scripts show hardcoded_password');
    expect(hardcoded).toContain('mysql --password=•••••• -e "select 1"');
    expect(hardcoded).not.toContain('hunter2hunter2');
    expect(hardcoded).not.toContain('abc123abc123');
    expect(hardcoded).toMatch(/Parameters\s+none/);
    await bot.coc.deleteScript(uuid);
    await bot.coc.deleteScript(hardcodedUuid);
  });

  it('answers an unknown name with "no script called" and a did-you-mean', async () => {
    const typo = await bot.run('carol', 'scripts show rotate_db_pasword');
    expect(typo).toMatch(/^No script called "rotate_db_pasword"/);
    expect(typo).toContain('Did you mean "rotate_db_password"?');
    const part = await bot.run('carol', 'scripts show nginx');
    expect(part).toContain('Names containing "nginx": restart_nginx.');
    const publicName = await bot.run('carol', 'scripts show COC_Reboot_Host');
    expect(publicName).toContain('There is a public (built-in) script of that name: "public script show COC_Reboot_Host".');
    const zh = await bot.run('wang', 'scripts show rotate_db_pasword');
    expect(zh).toMatch(/^没有名为“rotate_db_pasword”的脚本/);
    expect(zh).toContain('您是不是想找“rotate_db_password”？');
  });

  it('answers an unknown uuid, a malformed name and a missing one clearly', async () => {
    expect(await bot.run('carol', 'scripts show SC20990101000000abcdef123')).toMatch(/^No script has the uuid SC20990101000000abcdef123/);
    const bad = await bot.run('carol', 'scripts show "rm -rf"');
    expect(bad).toMatch(/^"rm -rf" is not a script name or uuid/);
    expect(bad).toContain('Script names are 1-64 letters, digits, _ or Chinese characters');
    expect(await bot.run('carol', 'scripts show')).toContain('Which script (its name or uuid)? Usage: scripts show <name|uuid>');
    expect(await bot.run('carol', 'scripts show a b')).toContain('Unexpected "b". Usage: scripts show <name|uuid>');
  });

  it('writes the script it showed into the audit trail', async () => {
    await bot.run('carol', 'scripts show disk_usage');
    // A read's row is written just after its answer.
    await writeHeldAuditRows(bot.store.db);
    const { rows } = await bot.store.db.query<{ target: string | null; command: string }>(
      "SELECT target, command FROM audit_events WHERE command = 'scripts show' ORDER BY occurred_at DESC LIMIT 1",
    );
    expect(rows[0]?.target).toBe(`script disk_usage (${byName('disk_usage').scriptUuid})`);
  });
});

describe('public scripts', () => {
  it('lists the built-in scripts with their description', async () => {
    const text = await bot.run('carol', 'public scripts');
    expect(text).toMatch(/^COC public scripts \(3 of 3\)/);
    expect(text).toMatch(/COC_Reboot_Host\s+🔴 HIGH\s+SHELL\s+Approved\s+Reboot the host after a delay/);
    expect(text).toContain('Details: public script show <name>');
    expect(await bot.run('carol', 'public scripts --name COC_Check')).toMatch(/\(1 of 1\)[\s\S]*COC_Check_System_Load/);
    expect(await bot.run('carol', 'public scripts show COC_Reboot_Host')).toContain('Did you mean "public script show COC_Reboot_Host"?');
  });

  it('shows one by name or uuid, and points to a custom script of that name', async () => {
    const script = byName('COC_Check_System_Load');
    for (const ref of [script.name, script.scriptUuid]) {
      const text = await bot.run('carol', `public script show ${ref}`);
      expect(text).toMatch(/^Public script COC_Check_System_Load · 🟢 LOW/);
      expect(text).toMatch(/top_n\s+15\s+Lines of top output/);
      expect(text).toContain('uptime');
    }
    expect(await bot.run('carol', 'public script show COC_Check_Systen_Load')).toContain('Did you mean "COC_Check_System_Load"?');
    expect(await bot.run('carol', 'public script show disk_usage')).toContain('There is a custom script of that name: "scripts show disk_usage".');
    expect(await bot.run('wang', 'public script show COC_Reboot_Host')).toMatch(/^公共脚本 COC_Reboot_Host · 🔴 高/);
  });
});

describe('hosts', () => {
  it('marks hosts whose agent is not online and counts them', async () => {
    const offline = bot.sim.world.hosts.filter((h) => h.agentState === 'OFFLINE');
    expect(offline.length).toBeGreaterThan(0);
    const text = await bot.run('carol', 'hosts --agent offline');
    expect(text).toMatch(new RegExp(`^Hosts \\(${offline.length} of ${offline.length}\\)`));
    for (const host of offline) expect(text).toMatch(new RegExp(`${host.name}\\s+⚠ Offline`));
    expect(text).toContain(`⚠ ${offline.length} of these hosts cannot run scripts now: their UniAgent is not online.`);
    const online = await bot.run('carol', 'hosts --agent online --limit 3');
    expect(online).toMatch(/● Online/);
    expect(online).not.toMatch(/⚠/);
  });

  it('speaks Chinese', async () => {
    const text = await bot.run('wang', 'hosts --agent offline --limit 1');
    expect(text).toMatch(/^主机（显示 1 台，共 \d+ 台）/);
    expect(text).toMatch(/名称\s+Agent 状态\s+区域/);
    expect(text).toContain('⚠ 离线');
    expect(text).toMatch(/下一页：hosts --agent offline --limit 1 --after \S+/);
  });

  it('filters by tag and region, pages with --after and counts with countResources', async () => {
    const prodInRegion = bot.sim.world.hosts.filter((h) => h.tags.some((t) => t.key === 'env' && t.value === 'prod') && h.regionId === 'cn-north-4');
    const first = await bot.run('carol', 'hosts --tag env=prod --region cn-north-4 --limit 2');
    expect(first).toMatch(new RegExp(`^Hosts \\(2 of ${prodInRegion.length}\\)`));
    const next = /More: (hosts .*)$/m.exec(first)?.[1];
    expect(next).toMatch(/^hosts --tag env=prod --region cn-north-4 --limit 2 --after \S+$/);
    const second = await bot.run('carol', next!);
    expect(second).toContain(prodInRegion[2]!.name);
    expect(second).not.toContain(prodInRegion[0]!.name);
  });

  it('refuses bad filters clearly', async () => {
    expect(await bot.run('carol', 'hosts --tag env')).toContain('--tag must look like key=value (for example --tag env=prod), got "env".');
    expect(await bot.run('carol', 'hosts --tag a.b=c')).toContain('--tag key=value needs a key of 1-36 characters without "."');
    expect(await bot.run('carol', 'hosts --region Mars')).toContain('--region "Mars" is not allowed: give a region id such as cn-north-4 or ap-southeast-3.');
    expect(await bot.run('carol', 'hosts --agent sleeping')).toContain('Allowed: online, offline, installing, failed, uninstalled.');
  });
});
