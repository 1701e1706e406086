/**
 * The terminal in BlueKing mode as a separate process (`src/main.ts`, as `npm start` runs it),
 * typed at line by line against a BlueKing simulator the test moves on by hand (no timer: a job
 * advances only when the test ticks, so every step is reached by waiting on what the bot prints,
 * never on time):
 *
 *   hosts and scripts; a LOW run in 3 batches with PAUSE rotation (paused after each batch,
 *   continued, its last batch skipped); a LOW run paused while its first batch runs, then
 *   canceled; a HIGH run approved through ITSM by bob; alarms; a standard-operations task paused
 *   and resumed.
 *
 * Asserted against the simulator as well as the output: each batch reached Job exactly once, a
 * skipped or canceled batch never did, ITSM's ticket was decided by bob, and each order's card
 * reached its final summary exactly once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, BK_SIM_APPROVAL_SERVICE_ID, BK_SIM_BIZ_ID } from '../src/sim/blueking/defaults.js';
import { startBluekingSimulator, type BluekingSimulator } from '../src/sim/blueking/server.js';
import { LiveBotProcess } from './helpers/live-bot-process.js';
import { seedMigratedDataDir } from './helpers/data-dir.js';

/** Piped output is laid out for 80 columns; these checks are about what is said, not the width, so lines stay whole. */
const WIDE = '200';

const workDir = mkdtempSync(join(tmpdir(), 'coc-blueking-transcript-'));
const dataDir = join(workDir, 'store');
let sim: BluekingSimulator;
let bot: LiveBotProcess;

const PROMPT = /\S+@coc> $/;
const ORDER = /Started: order ([0-9a-f-]{36})/;

/** Jobs the simulator received for one order's plan, by batch number (`chatops-<plan8>-b<n>`). */
function jobsOf(planPrefix: string): Map<number, number> {
  const sent = new Map<number, number>();
  for (const job of sim.world.jobs) {
    const match = /^chatops-([0-9a-f]{8})-b(\d+)$/.exec(job.task_name ?? '');
    if (match?.[1] === planPrefix) sent.set(Number(match[2]), (sent.get(Number(match[2])) ?? 0) + 1);
  }
  return sent;
}

/** Moves the simulator on until the bot has printed what `predicate` waits for (the bot's rounds read it). */
function tickUntil(what: string, predicate: (output: string) => boolean, from: number): Promise<string> {
  return bot.tickUntil(what, predicate, from, () => sim.tick());
}

/** How often `needle` was printed; a long paragraph wraps even at a wide COLUMNS, so line breaks count as spaces. */
function count(text: string, needle: string): number {
  return text.replace(/\s+/g, ' ').split(needle).length - 1;
}

beforeAll(async () => {
  sim = await startBluekingSimulator({ tickMs: 0 });
  await seedMigratedDataDir(dataDir);
  const mapping = (user: string, role: string) => ({ platform: 'shell', workspace: 'local', user, iamUser: user, role });
  writeFileSync(
    join(workDir, 'coc-chatops.json'),
    JSON.stringify({
      backend: 'blueking',
      blueking: {
        paasHost: sim.url,
        appCode: BK_SIM_APP_CODE,
        serviceUser: 'chatops-bot',
        defaultBiz: BK_SIM_BIZ_ID,
        risk: [
          { namePattern: 'check_*', risk: 'LOW' },
          { namePattern: 'rotate_password', risk: 'HIGH', sensitiveArgs: true },
        ],
        itsm: { serviceId: BK_SIM_APPROVAL_SERVICE_ID },
      },
      approvals: { via: 'itsm' },
      store: { dataDir },
      tracker: { pollIntervalMs: 250, minEditIntervalMs: 0 },
      identity: { mappings: [mapping('alice', 'operator'), mapping('bob', 'approver'), mapping('carol', 'viewer'), mapping('dave', 'admin')] },
    }),
    { mode: 0o600 },
  );
  bot = new LiveBotProcess(workDir, { COC_CHATOPS_SHELL_USER: 'alice', COC_CHATOPS_SHELL_SWITCH_PEOPLE: '1', BLUEKING_APP_SECRET: BK_SIM_APP_SECRET, COLUMNS: WIDE }, 90_000);
  await bot.waitFor('the prompt', (out) => PROMPT.test(out));
}, 180_000);

afterAll(async () => {
  if (process.env['TRANSCRIPT_OUT']) writeFileSync(process.env['TRANSCRIPT_OUT'], bot?.stdout ?? '');
  await bot?.quit();
  await sim?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the terminal in BlueKing mode', () => {
  it('lists hosts and scripts from CMDB, GSE and Job', async () => {
    const hosts = await bot.say('hosts');
    expect(hosts).toMatch(/web-02 .*10\.0\.1\.12/);
    expect(hosts).not.toContain('{platform}');
    const scripts = await bot.say('scripts');
    expect(scripts).toMatch(/check_disk .*LOW/);
    expect(scripts).toMatch(/rotate_password .*HIGH/);
  });

  it('runs a LOW script in 3 batches with PAUSE rotation: paused after each, continued, the last batch skipped', async () => {
    const preview = await bot.say('run check_disk --hosts web-02,web-03,web-04,web-05,web-06,web-07 --batch-size 2 --rotation pause');
    expect(preview).toContain('Run check_disk on 6 hosts?');
    const from = bot.stdout.length;
    const started = await bot.say('1');
    const order = ORDER.exec(started)?.[1];
    expect(order, started).toBeDefined();
    const plan8 = await planPrefixOf(order!);
    expect(jobsOf(plan8)).toEqual(new Map([[1, 1]]));

    await tickUntil('the pause before batch 2', (out) => out.includes('Paused before batch 2 of 3'), from);
    expect(jobsOf(plan8)).toEqual(new Map([[1, 1]]));
    const continued = await bot.say(`order continue ${order}`);
    expect(continued).not.toMatch(/refused|not done/i);
    await tickUntil('the pause before batch 3', (out) => out.includes('Paused before batch 3 of 3'), from);
    expect(jobsOf(plan8)).toEqual(new Map([[1, 1], [2, 1]]));

    const skipped = await bot.say(`order skip-batch ${order} --batch 3`);
    expect(skipped).not.toMatch(/refused|not done/i);
    const output = await tickUntil('the final summary', (out) => out.includes(`Order ${order} finished`) || out.includes(`Order ${order} was canceled`) || out.includes(`Order ${order} ended`), from);
    // Batch 3 never reached Job; batches 1 and 2 exactly once.
    expect(jobsOf(plan8)).toEqual(new Map([[1, 1], [2, 1]]));
    expect(output).toMatch(/4 of 6 hosts succeeded, 0 failed, 2 canceled/);
    await settleCards();
    expect(count(bot.stdout, 'Final summary: this card no longer changes.') - finalsBefore(from)).toBe(1);
  });

  it('pauses a LOW run while its first batch runs, then cancels it: no later batch is sent', async () => {
    const from = bot.stdout.length;
    await bot.say('run check_disk --hosts web-08,web-09,web-10 --batch-size 1');
    const started = await bot.say('1');
    const order = ORDER.exec(started)?.[1];
    expect(order, started).toBeDefined();
    const plan8 = await planPrefixOf(order!);
    const paused = await bot.say(`order pause ${order}`);
    expect(paused).not.toMatch(/refused|not done/i);
    await tickUntil('the pause after batch 1', (out) => out.includes('Paused before batch 2 of 3'), from);
    const canceled = await bot.say(`order cancel ${order} --yes`);
    expect(canceled).not.toMatch(/refused|not done/i);
    await tickUntil('the final summary', (out) => out.includes(`Order ${order} was canceled`), from);
    expect(jobsOf(plan8)).toEqual(new Map([[1, 1]]));
    await settleCards();
    expect(count(bot.stdout.slice(from), `Order ${order} was canceled`)).toBeGreaterThanOrEqual(1);
    expect(count(bot.stdout.slice(from), 'Final summary: this card no longer changes.')).toBe(1);
  });

  it('runs a HIGH script only after bob approves it, with ITSM deciding the ticket', async () => {
    const from = bot.stdout.length;
    const sentBefore = sim.countRequests('job/fast_execute_script');
    const preview = await bot.say('run rotate_password --hosts web-11 --param args=N3w_s3cret');
    expect(preview).toContain('HIGH');
    expect(preview).not.toContain('N3w_s3cret');
    const requested = await bot.say('1');
    expect(requested).toContain('ITSM ticket');
    expect(sim.world.itsm.tickets).toHaveLength(1);
    // Nothing runs before the approval.
    expect(sim.countRequests('job/fast_execute_script')).toBe(sentBefore);
    await bot.say('/as bob');
    const list = await bot.say('approvals');
    expect(list).toContain('rotate_password');
    await bot.say('1');
    const approved = await bot.say('y');
    const order = /order ([0-9a-f-]{36}) started/.exec(approved)?.[1];
    expect(order, approved).toBeDefined();
    const ticket = sim.world.itsm.tickets[0]!;
    expect(ticket.status).toBe('FINISHED');
    expect(ticket.approved).toBe(true);
    expect(ticket.creator).toBe('alice');
    expect(ticket.logs.some((log) => JSON.stringify(log).includes('bob'))).toBe(true);
    await tickUntil('the final summary', (out) => out.includes(`Order ${order} finished`), from);
    const plan8 = await planPrefixOf(order!);
    expect(jobsOf(plan8)).toEqual(new Map([[1, 1]]));
    // The secret went to Job as a sensitive parameter and is nowhere in what the bot printed.
    expect(bot.stdout).not.toContain('N3w_s3cret');
    await bot.say('/as alice');
  });

  it('reads alarms from Monitor', async () => {
    const alarms = await bot.say('alarms');
    const id = /^(\d+)\s/m.exec(alarms.split('\n').slice(2).join('\n'))?.[1];
    expect(id, alarms).toBeDefined();
    const shown = await bot.say(`alarms show ${id}`);
    expect(shown).toContain(id!);
  });

  it('starts a standard-operations task, pauses and resumes it until it ends', async () => {
    const from = bot.stdout.length;
    const templates = await bot.say('tasks templates');
    expect(templates).toContain('rotate_logs');
    const started = await bot.say('tasks start rotate_logs');
    const task = /tasks (?:show|pause|resume|revoke) (\S+)/.exec(started)?.[1] ?? /Task (\S+)/.exec(started)?.[1];
    expect(task, started).toBeDefined();
    const paused = await bot.say(`tasks pause ${task}`);
    expect(paused).not.toMatch(/refused|not done/i);
    sim.tick(3);
    const shownPaused = await bot.say(`tasks show ${task}`);
    expect(shownPaused).toMatch(/Paused/);
    const resumed = await bot.say(`tasks resume ${task}`);
    expect(resumed).not.toMatch(/refused|not done/i);
    const mark = bot.stdout.length - from;
    const ended = await tickUntil('the task to finish', (out) => out.slice(mark).includes('Final state: this card no longer changes.'), from);
    expect(ended.slice(mark)).toContain('Succeeded (FINISHED)');
    const simTask = sim.world.sops.tasks.at(-1)!;
    expect(simTask.state).toBe('FINISHED');
  });
});

/** Final summaries printed before `from` (earlier orders' cards). */
function finalsBefore(from: number): number {
  return count(bot.stdout.slice(0, from), 'Final summary: this card no longer changes.');
}

/** A round or two more: a card that would be edited again after its final summary shows up here. */
async function settleCards(): Promise<void> {
  const mark = bot.stdout.length;
  await bot.say('whoami');
  sim.tick(2);
  await bot.say('whoami');
  expect(bot.stdout.slice(mark)).not.toContain('── updated');
}

/** The plan's first 8 characters, as the Job task names carry them: the order id is the plan id. */
async function planPrefixOf(order: string): Promise<string> {
  return order.slice(0, 8);
}
