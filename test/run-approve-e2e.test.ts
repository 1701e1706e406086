/**
 * The main job end to end, in the terminal adapter running as a separate process (as
 * `npm start`), against a COC simulator started here (so the test can move orders on and
 * change a script meanwhile):
 *
 *   alice requests a HIGH-risk script on 25 hosts → bob approves → the order runs in 3 batches
 *   → the live card reaches its final summary, printed once.
 *
 * And the refusals, with their reasons: alice approving her own request, a request whose
 * script changed after it was made, and a request nobody decided within its 30 minutes (the
 * bot's wall clock and the simulator's are moved on together, see helpers/shifted-clock.mjs).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import { LiveBotProcess } from './helpers/live-bot-process.js';
import { seedMigratedDataDir } from './helpers/data-dir.js';
import { isHealthyHost, scriptUuid } from './sim-helpers.js';

const SECRET = 'E2e_Rotated_Secret_7';
const workDir = mkdtempSync(join(tmpdir(), 'coc-run-e2e-'));
const clockFile = join(workDir, 'clock-offset-ms');
const SHIFTED_CLOCK = pathToFileURL(join(import.meta.dirname, 'helpers', 'shifted-clock.mjs')).href;
let clockOffsetMs = 0;

/** Moves the bot's wall clock and the simulator's on by `ms`, so signatures stay in time. */
async function timePasses(ms: number): Promise<void> {
  clockOffsetMs += ms;
  sim.advanceClock(ms);
  writeFileSync(clockFile, String(clockOffsetMs));
  await new Promise((resolve) => setTimeout(resolve, 200)); // the bot re-reads it every 50 ms
}
let sim: Simulator;
let coc: CocClient;

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
  // The store as the bot's first start leaves it, without that start's initdb and migrations.
  await seedMigratedDataDir(join(workDir, 'store'));
  coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
  const mapping = (user: string, role: string) => ({ platform: 'shell', workspace: 'local', user, iamUser: user, role });
  writeFileSync(
    join(workDir, 'coc-chatops.json'),
    JSON.stringify({
      coc: { endpoint: sim.url, auth: { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, projectId: 'e2e-project' } },
      store: { dataDir: join(workDir, 'store'), secretKey: 'an-e2e-secret-key-of-some-length' },
      identity: { mappings: [mapping('alice', 'approver'), mapping('bob', 'approver')] },
      tracker: { pollIntervalMs: 250, minEditIntervalMs: 300 },
    }),
    { mode: 0o600 },
  );
});

afterAll(async () => {
  await coc?.close();
  await sim?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('run → approve → live card, in the terminal', () => {
  it('runs a HIGH-risk script on 25 hosts in 3 batches after a second person approves, and refuses what must be refused', async () => {
    const hosts = sim.world.hosts.filter(isHealthyHost).slice(0, 25).map((h) => h.name);
    expect(hosts).toHaveLength(25);
    const bot = new LiveBotProcess(workDir, { COC_CHATOPS_SHELL_USER: 'alice', COC_CHATOPS_SHELL_SWITCH_PEOPLE: '1', NODE_OPTIONS: `--import ${SHIFTED_CLOCK}`, COC_TEST_CLOCK_FILE: clockFile });
    try {
      await bot.waitFor('the prompt', (out) => out.includes('alice@coc> '));

      // A request whose script changes before anyone approves it is void.
      let out = await bot.say(`run rotate_db_password --hosts ${hosts.slice(0, 3).join(',')} --param db_user=app --param new_password=${SECRET}`);
      expect(out).toContain('Run rotate_db_password on 3 hosts?');
      out = await bot.say('1');
      expect(out).toContain('Approval requested');
      await coc.updateScript(scriptUuid(sim, 'rotate_db_password'), { description: 'rotates a database password', content: '#!/bin/sh\necho "rotating (v2)"' });
      await bot.say('/as bob');
      await bot.say('approvals');
      out = await bot.say('1', (o) => o.includes('(y/n)'));
      out = await bot.say('y');
      expect(out).toContain('The script changed after the request');
      expect(out).toMatch(/request is void and nothing ran/);

      // A request nobody decides within its 30 minutes expires: bob's Approve comes 31 minutes late.
      await bot.say('/as alice');
      out = await bot.say(`run rotate_db_password --hosts ${hosts.slice(3, 5).join(',')} --param db_user=app --param new_password=${SECRET}`);
      expect(out).toContain('Run rotate_db_password on 2 hosts?');
      expect(await bot.say('1')).toContain('Approval requested');
      await bot.say('/as bob');
      await bot.say('approvals');
      await timePasses(31 * 60_000);
      await bot.say('1', (o) => o.includes('(y/n)'));
      out = await bot.say('y');
      // Refused at the click, or already closed by the expiry sweep: either way, with the reason.
      expect(out).toMatch(/This request has expired|Expired at \d\d:\d\d/);
      expect(sim.countRequests('POST /v1/job/scripts/{script_uuid}')).toBe(0);

      // The main flow: alice asks for 25 hosts in batches of 10.
      await bot.say('/as alice');
      out = await bot.say(`run rotate_db_password --hosts ${hosts.join(',')} --batch-size 10 --param db_user=app --param new_password=${SECRET}`);
      expect(out).toContain('Run rotate_db_password on 25 hosts?');
      expect(out).toContain('3 (10/5 hosts)');
      expect(out).not.toContain(SECRET);
      out = await bot.say('1');
      expect(out).toContain('Approval requested');
      expect(out).toMatch(/── posted \(#terminal, card \S+\) ──\nApproval needed: rotate_db_password on 25 hosts/);

      // alice is not offered Approve on her own request; Reject (which withdraws it) is still hers.
      out = await bot.say('approvals');
      expect(out).toContain('Open approval requests');
      expect(out).not.toMatch(/\[\d\] Approve/);
      expect(out).toMatch(/\[1\] Reject/);
      expect(sim.countRequests('POST /v1/job/scripts/{script_uuid}')).toBe(0);

      // bob approves: the order starts and its live card is posted.
      await bot.say('/as bob');
      await bot.say('approvals');
      await bot.say('1', (o) => o.includes('(y/n)'));
      out = await bot.say('y', (o) => /Approved: order SCT\w+ started/.test(o) && /bob@coc> $/.test(o));
      const uuid = /Approved: order (SCT\w+) started/.exec(out)![1]!;
      expect(out).toContain('── for alice ──');
      expect(sim.countRequests('POST /v1/job/scripts/{script_uuid}')).toBe(1);
      const order = sim.world.orders.get(uuid);
      expect(order?.batches).toHaveLength(3);

      // The order moves on; the card follows it to its final summary.
      const from = bot.stdout.length;
      for (let i = 0; i < 12 && sim.world.orders.get(uuid)?.status !== 'FINISHED'; i++) {
        sim.tick(1);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(sim.world.orders.get(uuid)?.status).toBe('FINISHED');
      const finalTitle = `Order ${uuid} finished`;
      await bot.waitFor('the final summary', (o) => o.includes(finalTitle), from);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      // Exactly once on the card and once in the note to the requester, whatever more polling rounds ran.
      expect(count(bot.stdout, finalTitle)).toBe(2);
      expect(count(bot.stdout, `── for alice ──\n${finalTitle}`)).toBe(1);
      expect(bot.stdout).toContain('25 of 25 hosts succeeded');
      expect(bot.stdout).not.toContain(SECRET);
    } finally {
      await bot.quit();
    }
  });
});
