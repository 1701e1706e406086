/**
 * The terminal as a separate process (`src/main.ts`, as `npm start` runs it) against a COC
 * simulator the test moves on by hand, through what the COC references describe beyond runs of
 * custom scripts:
 *
 *   a script created by alice, approved by bob (a second admin), edited with its difference
 *   shown, run, and deleted; a public (built-in) script run to its final card; `hosts sync`
 *   finding a host only the cloud knew; a run of a HIGH script under `approvals.approvers:
 *   reviewers`, refused to an admin who is not its reviewer and approved by its reviewer; an
 *   incident whose solution is rejected, reworked and verified; `warrooms --status running`.
 *
 * Asserted against the simulator as well as the output: each script write reached COC exactly
 * once, each run started exactly one order, the incident went through REJECTED, and no
 * sensitive value was ever printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_DEFAULT_AK, SIM_DEFAULT_INTEGRATION_KEY, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import { LiveBotProcess } from './helpers/live-bot-process.js';
import { seedMigratedDataDir } from './helpers/data-dir.js';

/** Piped output is laid out for 80 columns; these checks are about what is said, not the width, so lines stay whole. */
const WIDE = '200';

const workDir = mkdtempSync(join(tmpdir(), 'coc-documents-transcript-'));
const dataDir = join(workDir, 'store');
const fixtures = join(import.meta.dirname, 'fixtures', 'script-changes');
const SECRETS = ['T0ken_S3cret', 'Other_T0ken', 'N3w_s3cret_pw'];
const PROMPT = /\S+@coc> $/;
const ORDER = /Started: order (SCT\w+)/;

let sim: Simulator;
let bot: LiveBotProcess;
/** What the last `approvals` listed. */
let lastListing = '';

/** Requests the simulator received on one route (method and path template). */
function sent(routeKey: string): number {
  return sim.requests.filter((request) => request.routeKey === routeKey).length;
}

/** Moves the simulator on until the bot has printed what `predicate` waits for (the bot's rounds read it). */
function tickUntil(what: string, predicate: (output: string) => boolean, from: number): Promise<string> {
  return bot.tickUntil(what, predicate, from, () => sim.tick());
}

/** Answers the only open request in `approvals` with its first button (Approve), confirming it. */
async function approveOnlyRequest(as: string): Promise<string> {
  await bot.say(`/as ${as}`);
  const listed = await bot.say('approvals');
  expect(listed).toMatch(/\[1\] Approve/);
  lastListing = listed;
  await bot.say('1');
  return bot.say('y');
}

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
  await seedMigratedDataDir(dataDir);
  const mapping = (user: string, role: string) => ({ platform: 'shell', workspace: 'local', user, iamUser: user, role });
  writeFileSync(
    join(workDir, 'coc-chatops.json'),
    JSON.stringify({
      coc: { endpoint: sim.url, auth: { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, projectId: 'documents-project' }, integrationKey: SIM_DEFAULT_INTEGRATION_KEY },
      store: { dataDir },
      tracker: { pollIntervalMs: 250, minEditIntervalMs: 0 },
      approvals: { approvers: 'reviewers' },
      identity: { mappings: [mapping('alice', 'admin'), mapping('bob', 'admin'), mapping('carol', 'viewer'), mapping('dave', 'admin')] },
    }),
    { mode: 0o600 },
  );
  bot = new LiveBotProcess(workDir, { COC_CHATOPS_SHELL_USER: 'alice', COC_CHATOPS_SHELL_SWITCH_PEOPLE: '1', COLUMNS: WIDE }, 90_000);
  await bot.waitFor('the prompt', (out) => PROMPT.test(out));
}, 180_000);

afterAll(async () => {
  if (process.env['TRANSCRIPT_OUT']) writeFileSync(process.env['TRANSCRIPT_OUT'], bot?.stdout ?? '');
  await bot?.quit();
  await sim?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the terminal against a COC as its documents describe it', () => {
  it('creates a script on a second admin’s approval, edits it with its difference shown, runs it and deletes it: each write once', async () => {
    const requested = await bot.say(
      `scripts create rotate_logs --type shell --risk low --description "Rotate app logs" --file ${join(fixtures, 'rotate_logs.sh')} --param keep_days=7 --param api_token=T0ken_S3cret --sensitive api_token --param-description keep_days="Days to keep"`,
    );
    expect(requested).toContain('Approval requested');
    expect(requested).toMatch(/api_token = •+ \(sensitive\)/);
    expect(requested).toContain('+#!/bin/bash');
    expect(sent('POST /v1/job/scripts')).toBe(0);

    const created = await approveOnlyRequest('bob');
    // Script changes need another admin whatever approvals.approvers says, and the list says so.
    expect(lastListing).toContain('A change to a script (create, edit, delete) is approved by another admin.');
    expect(lastListing).not.toContain("script's reviewers");
    expect(created).toMatch(/Script rotate_logs created as SC\w+/);
    expect(sent('POST /v1/job/scripts')).toBe(1);
    const script = [...sim.world.scripts.values()].find((s) => s.name === 'rotate_logs');
    expect(script?.properties.risk_level).toBe('LOW');

    await bot.say('/as alice');
    const edit = await bot.say(`scripts edit rotate_logs --param keep_days=14 --param api_token=T0ken_S3cret --file ${join(fixtures, 'rotate_logs_v2.sh')}`);
    expect(edit).toContain('Approval requested');
    expect(edit).toMatch(/keep_days: default "7" → "14"/);
    expect(edit).toMatch(/Content \(\+2 −1\)/);
    expect(edit).toContain('+du -sh /var/log/app');
    const changed = await approveOnlyRequest('bob');
    expect(changed).toContain('Script rotate_logs changed');
    expect(sent('PUT /v1/job/scripts/{script_uuid}')).toBe(1);

    await bot.say('/as alice');
    const preview = await bot.say('run rotate_logs --hosts web-01 --param api_token=Other_T0ken');
    expect(preview).toMatch(/keep_days=14/);
    const from = bot.stdout.length;
    const started = await bot.say('1');
    const order = ORDER.exec(started)?.[1];
    expect(order, started).toBeDefined();
    await tickUntil('the run’s final card', (out) => out.includes(`Order ${order} finished`), from);
    expect(sim.world.orders.all().filter((o) => o.script.name === 'rotate_logs')).toHaveLength(1);

    const deleting = await bot.say('scripts delete rotate_logs');
    expect(deleting).toContain('Approval requested');
    const deleted = await approveOnlyRequest('bob');
    expect(deleted).toContain('Script rotate_logs deleted');
    expect(sent('DELETE /v1/job/scripts/{script_uuid}')).toBe(1);
    expect([...sim.world.scripts.values()].some((s) => s.name === 'rotate_logs')).toBe(false);
  });

  it('runs a public (built-in) script to its final card', async () => {
    await bot.say('/as alice');
    const preview = await bot.say('run COC_Check_System_Load --hosts web-01,web-02');
    expect(preview).toContain('Public (built-in) script');
    expect(preview).toContain('LOW');
    const from = bot.stdout.length;
    const started = await bot.say('1');
    const order = ORDER.exec(started)?.[1];
    expect(order, started).toBeDefined();
    const output = await tickUntil('the public run’s final card', (out) => out.includes(`Order ${order} finished`), from);
    expect(output).toMatch(/2 of 2 hosts succeeded, 0 failed, 0 canceled/);
    expect(sent('POST /v1/job/public-scripts/{script_uuid}')).toBe(1);
  });

  it('syncs hosts: a host only the cloud knew is listed as added, once', async () => {
    sim.world.addHost({ name: 'web-new-01' }, { unsynced: true });
    const from = bot.stdout.length;
    const started = await bot.say('hosts sync');
    expect(started).toContain('Host sync started');
    const output = await bot.waitFor('the sync’s result', (out) => out.includes('Host sync finished'), from);
    expect(output).toMatch(/Added \(1\)/);
    expect(output).toContain('web-new-01');
    expect(sent('POST /v1/resources/sync')).toBe(1);
  });

  it('under approvals.approvers reviewers, refuses an admin who is not the script’s reviewer and starts the run on its reviewer’s approval', async () => {
    await bot.say('/as alice');
    const preview = await bot.say('run rotate_db_password --hosts db-01 --param db_user=app --param new_password=N3w_s3cret_pw');
    expect(preview).toContain("one of the script's reviewers in COC (other than you) must approve");
    const requested = await bot.say('1');
    expect(requested).toContain('Approval requested');
    const ordersBefore = sim.world.orders.all().length;

    await bot.say('/as dave');
    await bot.say('approvals');
    await bot.say('1');
    const refused = await bot.say('y');
    expect(refused).toContain('Only bob may approve or reject this request');
    expect(sim.world.orders.all().length).toBe(ordersBefore);

    const approved = await approveOnlyRequest('bob');
    expect(approved).toMatch(/Approved: order SCT\w+ started/);
    expect(sim.world.orders.all().length).toBe(ordersBefore + 1);
  });

  it('reworks an incident whose solution was rejected, to completion', async () => {
    const incident = sim.world.incidents.all().find((i) => i.title === 'Redis memory usage at 95% on cache-03')!;
    await bot.say('/as bob');
    const rejected = await bot.say(`incident reject ${incident.incidentNum} --comment "errors still at 2%"`);
    expect(rejected).toMatch(/Status\s+Rejected/);
    expect(sim.world.incidents.get(incident.incidentNum)?.status).toBe('INCIDENT_STATUS_REJECTED');

    await bot.say('/as alice');
    const solved = await bot.say(`incident solve ${incident.incidentNum} --cause "disk full on cache-03" --solution "rotated logs and raised the quota" --type config --interrupted no`);
    expect(solved).toMatch(/Status\s+Resolved/);

    await bot.say('/as bob');
    const verified = await bot.say(`incident verify ${incident.incidentNum} --comment "memory at 60% for 30 min"`);
    expect(verified).toMatch(/Status\s+Completed/);
    expect(sim.world.incidents.get(incident.incidentNum)?.status).toBe('INCIDENT_STATUS_COMPLETED');
  });

  it('lists the running WarRooms only', async () => {
    await bot.say('/as carol');
    const listed = await bot.say('warrooms --status running');
    expect(listed).toContain('WarRooms (1 of 1)');
    expect(listed).toContain('Running');
    expect(listed).not.toMatch(/\bClosed\b.*\bP\d\b/);
  });

  it('never printed a sensitive value', () => {
    for (const secret of SECRETS) {
      expect(bot.stdout).not.toContain(secret);
      expect(bot.stderr).not.toContain(secret);
    }
  });
});
