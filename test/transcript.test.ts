/**
 * The terminal adapter as a separate process, typed at line by line, through every command
 * against a COC simulator (started here, so the test can set up an order with a secret).
 * Then everything the process printed and everything it audited is searched for the
 * simulator's SK and every sensitive parameter value: nothing may be found.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_INTEGRATION_KEY, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import { openStore } from '../src/store/index.js';
import { runBotProcess, type BotRun } from './helpers/bot-process.js';
import { seedMigratedDataDir } from './helpers/data-dir.js';

const SECRET_PASSWORD = 'Tr4nscript-S3cret-Pw';
const workDir = mkdtempSync(join(tmpdir(), 'coc-transcript-'));
const dataDir = join(workDir, 'store');
let sim: Simulator;
let executeUuid: string;
let incidentNum: string;
let patchHost: string;
let sensitiveValues: string[];
let run: BotRun;

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
  // The store as the bot's first start leaves it, without that start's initdb and migrations.
  await seedMigratedDataDir(dataDir);
  const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
  const script = [...sim.world.scripts.values()].find((s) => s.name === 'rotate_db_password')!;
  const healthy = sim.world.hosts.filter((h) => h.agentState === 'ONLINE' && !h.tags.some((t) => t.key === 'flaky'));
  const flaky = sim.world.hosts.find((h) => h.agentState === 'ONLINE' && h.tags.some((t) => t.key === 'flaky'))!;
  const target = (h: { resourceId: string; regionId: string }) => ({ resource_id: h.resourceId, region_id: h.regionId });
  executeUuid = await coc.executeScript(
    script.scriptUuid,
    {
      execute_param: { timeout: 60, success_rate: 50, execute_user: 'root', script_params: [{ param_name: 'db_user', param_value: 'app' }, { param_name: 'new_password', param_value: SECRET_PASSWORD }] },
      execute_batches: [
        { batch_index: 1, rotation_strategy: 'PAUSE', target_instances: [target(healthy[0]!), target(flaky)] },
        { batch_index: 2, rotation_strategy: 'CONTINUE', target_instances: [target(healthy[1]!)] },
      ],
    },
    { sensitiveParams: ['new_password'] },
  );
  sim.tick(3); // batch 1 runs (the flaky host fails, its log echoes the password), then the order pauses
  incidentNum = sim.world.incidents.all()[0]!.incidentNum;
  const report = (await coc.listPatchCompliance({ compliant_status: 'non_compliant', limit: 1 })).instance_compliant[0]!;
  patchHost = report.name!;
  await coc.close();
  sensitiveValues = [
    SECRET_PASSWORD,
    SIM_DEFAULT_SK,
    SIM_DEFAULT_INTEGRATION_KEY,
    ...[...sim.world.scripts.values()].flatMap((s) => s.params.filter((p) => p.sensitive).map((p) => p.param_value)),
  ];

  const mapping = (user: string, role: string) => ({ platform: 'shell', workspace: 'local', user, iamUser: user, role });
  writeFileSync(
    join(workDir, 'coc-chatops.json'),
    JSON.stringify({
      coc: { endpoint: sim.url, auth: { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, projectId: 'transcript-project' }, integrationKey: SIM_DEFAULT_INTEGRATION_KEY },
      store: { dataDir },
      identity: { mappings: [mapping('alice', 'operator'), mapping('bob', 'approver'), mapping('carol', 'viewer'), mapping('dave', 'admin')] },
    }),
    { mode: 0o600 },
  );
  run = await runBotProcess({
    cwd: workDir,
    env: { HOME: workDir, COC_CHATOPS_SHELL_USER: 'alice', COC_CHATOPS_SHELL_SWITCH_PEOPLE: '1' },
    lines: [
      'whoami', // 1
      'scripts --risk high', // 2
      'scripts show rotate_db_password', // 3
      'public scripts', // 4
      'hosts --tag env=prod --limit 3', // 5
      'patch --limit 3', // 6
      `patch show ${patchHost}`, // 7
      'alarm --name "Transcript test" --level minor --desc "raised by the transcript test" --app storefront', // 8
      'orders', // 9
      `order show ${executeUuid}`, // 10
      'incidents', // 11
      `incident show ${incidentNum}`, // 12
      '/as carol', // 13
      `order cancel ${executeUuid} --yes`, // 14: a viewer is refused
      '/as mallory', // 15: nobody of that name here: carol stays
      'scripts', // 16: carol, a viewer, may list
      '/as alice', // 17
      `order cancel ${executeUuid}`, // 18: asks first
      '1', // 19: the Cancel button, which asks to confirm
      'y', // 20
      `order show ${executeUuid}`, // 21
      'audit --limit 50', // 22 (alice: her own entries)
      '/as dave', // 23
      'admin users', // 24
      'admin link erin viewer-iam viewer', // 25
      'audit --user carol', // 26
      'help', // 27 (dave, admin: everything)
      'public script show COC_Check_System_Load', // 28
      `order pause ${executeUuid}`, // 29: the order was canceled
      `order continue ${executeUuid}`, // 30
      `order skip-batch ${executeUuid} --batch 2`, // 31
      'admin unlink erin', // 32
      'exit',
    ],
  });
});

afterAll(async () => {
  await sim?.close();
  rmSync(workDir, { recursive: true, force: true });
});

const reply = (n: number) => run.replies[n] ?? '';

describe('terminal transcript against the simulator', () => {
  it('starts, answers every line, and exits cleanly', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.replies[0]).toContain(`COC at ${sim.url}`);
    expect(run.replies.length).toBeGreaterThanOrEqual(33);
  });

  it('answers the read commands', () => {
    expect(reply(1)).toMatch(/alice/);
    expect(reply(1)).toMatch(/operator/);
    expect(reply(2)).toContain('rotate_db_password');
    expect(reply(2)).not.toContain('disk_usage');
    expect(reply(3)).toContain('new_password');
    expect(reply(4)).toContain('COC_Check_System_Load');
    expect(reply(5)).toMatch(/Hosts \(3 of \d+\)/);
    expect(reply(6)).toMatch(/not compliant/i);
    expect(reply(7)).toContain(patchHost);
    expect(reply(8)).toMatch(/Transcript test/);
    expect(reply(9)).toContain(executeUuid);
    expect(reply(10)).toContain(executeUuid);
    expect(reply(10)).toMatch(/paused/i);
    expect(reply(10)).toContain('••••••'); // the failing host's log echoed the password: redacted
    expect(reply(11)).toMatch(/IM\d+/);
    expect(reply(12)).toContain(incidentNum);
  });

  it('refuses a viewer with a reason; "/as" of someone unknown keeps the person acting', () => {
    expect(reply(14)).toMatch(/operator role/);
    expect(reply(15)).toContain('No person "mallory" here. People: alice (operator), bob (approver), carol (viewer), dave (admin). Still acting as carol.');
    expect(reply(16)).toMatch(/^Scripts/);
  });

  it('asks before cancelling, cancels once after the confirmation', () => {
    expect(reply(18)).toMatch(/\[1\]/);
    expect(reply(19)).toMatch(/Type y or yes for/);
    expect(reply(20)).toMatch(/cancel/i);
    expect(reply(21)).toMatch(/cancel/i);
    expect(sim.world.orders.get(executeUuid)?.status).toBe('CANCELED');
    expect(sim.countRequests('PUT /v1/job/script/orders/{execute_uuid}/operation')).toBe(1);
  });

  it('keeps the audit trail and lets an admin manage links', async () => {
    expect(reply(22)).toMatch(/order cancel/);
    expect(reply(24)).toContain('carol');
    expect(reply(25)).toContain('erin');
    expect(reply(26)).toMatch(/denied/);
    expect(reply(27)).toContain('/coc admin unlink');
    expect(reply(32)).toContain('erin');
  });

  it('shows a public script and explains why a canceled order cannot be paused, continued or skipped', () => {
    expect(reply(28)).toContain('COC_Check_System_Load');
    for (const n of [29, 30, 31]) expect(reply(n)).toMatch(/cancel/i);
    expect(sim.countRequests('PUT /v1/job/script/orders/{execute_uuid}/operation')).toBe(1);
  });

  it('never shows the SK or a sensitive parameter value, in output or in the audit trail', async () => {
    const store = await openStore({ dataDir });
    try {
      const { rows } = await store.db.query('SELECT * FROM audit_events');
      expect(rows.length).toBeGreaterThan(20);
      const audited = JSON.stringify(rows);
      const everything = `${run.stdout}\n${run.stderr}\n${audited}`;
      for (const secret of sensitiveValues) expect(everything.includes(secret), `found a secret of length ${secret.length}`).toBe(false);
      expect(audited).toContain('"outcome":"denied"');
    } finally {
      await store.close();
    }
  });
});
