/**
 * kill -9 of the bot in BlueKing mode (a separate process, `src/main.ts` as `npm start` runs it,
 * on a PGlite data folder) against a BlueKing simulator this test runs and moves on by hand, with
 * three LOW runs of 3 batches caught at once:
 *
 *   A  between batches: batch 1 finished, batch 2 held by PAUSE rotation;
 *   B  during a batch: batch 2's job created and running on Job;
 *   C  during a batch's send: batch 2's fast_execute_script held by a `hang` fault (sent, never
 *      answered, nothing created).
 *
 * The process is killed with SIGKILL and a new one started on the same data folder. Asserted: no
 * batch is ever sent twice (task names unique in the simulator's jobs; one fast_execute_script
 * per batch), A and B go on to their end, C waits on its unknown batch and stops at its deadline
 * naming the Job task (its rows are aged while no process runs, rather than waiting), and each
 * run's card reaches its final summary exactly once across both processes' output.
 *
 * Waits poll the process's output and the simulator (never a fixed sleep). PGlite only: no
 * PostgreSQL is needed, so nothing is skipped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, BK_SIM_BIZ_ID } from '../../src/sim/blueking/defaults.js';
import { startBluekingSimulator, type BluekingSimulator } from '../../src/sim/blueking/server.js';
import { openStore } from '../../src/store/index.js';
import { seedMigratedDataDir } from '../helpers/data-dir.js';
import { LiveBotProcess } from '../helpers/live-bot-process.js';
import { SAFETY_NET_MS, VOLUME_TEST_MS } from '../helpers/safety-net.js';

const EXECUTE = 'job/fast_execute_script';
const PROMPT = /\S+@coc> $/;
const ORDER = /Started: order ([0-9a-f-]{36})/;
const FINAL = 'Final summary: this card no longer changes.';
const WAIT_MS = SAFETY_NET_MS;
/** Piped output is laid out for 80 columns; the sentences counted here must stay on one line. */
const WIDE = '200';

const workDir = mkdtempSync(join(tmpdir(), 'coc-blueking-kill-'));
const dataDir = join(workDir, 'store');
let sim: BluekingSimulator;
let bot: LiveBotProcess;
/** Everything every process printed, in order. */
const transcripts: string[] = [];

const label = (order: string, batch: number) => `chatops-${order.slice(0, 8)}-b${batch}`;
const jobsOf = (order: string, batch: number) => sim.world.jobs.filter((job) => job.task_name === label(order, batch)).length;
const sendsOf = (order: string, batch: number) => sim.requests.filter((r) => r.routeKey === EXECUTE && JSON.stringify(r).includes(label(order, batch))).length;
/** How often `needle` was printed; a long paragraph wraps even at a wide COLUMNS, so line breaks count as spaces. */
const count = (text: string, needle: string) => text.replace(/\s+/g, ' ').split(needle).length - 1;
const allOutput = () => [...transcripts, bot.stdout].join('\n');

async function startProcess(): Promise<void> {
  bot = new LiveBotProcess(workDir, { COC_CHATOPS_SHELL_USER: 'alice', BLUEKING_APP_SECRET: BK_SIM_APP_SECRET, COLUMNS: WIDE }, WAIT_MS);
  await bot.waitFor('the prompt', (out) => PROMPT.test(out));
}

async function killProcess(): Promise<void> {
  bot.child.kill('SIGKILL');
  await bot.exited;
  transcripts.push(bot.stdout);
}

/** Moves the simulator on (one tick per poll) until `done` holds; the bot's own rounds read it meanwhile. */
async function tickUntil(what: string, done: () => boolean, tick = true): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (bot.child.exitCode !== null) throw new Error(`the bot exited while waiting for ${what}:\n${bot.stdout}\n${bot.stderr}`);
    if (Date.now() > deadline) {
      writeFileSync(join(tmpdir(), 'blueking-kill-last.txt'), `${allOutput()}\n--- stderr\n${bot.stderr}`);
      throw new Error(`never saw ${what}:\n${bot.stdout.slice(-2000)}\n${bot.stderr.slice(-2000)}`);
    }
    if (tick) sim.tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function start(line: string): Promise<string> {
  await bot.say(line);
  const started = await bot.say('1');
  const order = ORDER.exec(started)?.[1];
  if (!order) throw new Error(`not started:\n${started}`);
  return order;
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
        risk: [{ namePattern: 'check_*', risk: 'LOW' }],
      },
      store: { dataDir },
      tracker: { pollIntervalMs: 250, minEditIntervalMs: 0 },
      identity: { mappings: [mapping('alice', 'operator'), mapping('bob', 'approver')] },
    }),
    { mode: 0o600 },
  );
  await startProcess();
}, 180_000);

afterAll(async () => {
  if (bot && bot.child.exitCode === null) await bot.quit();
  await sim?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('kill -9 of the bot in BlueKing mode, between batches and during one', () => {
  it('sends no batch twice; the runs go on (or stop at their deadline) and each card ends once', { timeout: VOLUME_TEST_MS }, async () => {
    // A: paused by PAUSE rotation after batch 1.
    const a = await start('run check_disk --hosts web-02,web-03,web-04 --batch-size 1 --rotation pause');
    await tickUntil('A paused before batch 2', () => bot.stdout.includes('Paused before batch 2 of 3'));
    expect([1, 2].map((n) => jobsOf(a, n))).toEqual([1, 0]);

    // C: batch 2's start is held by Job (sent, no answer, nothing created).
    const c = await start('run check_disk --hosts web-05,web-06,web-07 --batch-size 1');
    sim.faults.set(EXECUTE, { kind: 'hang', times: 1 });
    await tickUntil('C’s batch 2 held', () => sendsOf(c, 2) === 1);
    expect([1, 2].map((n) => jobsOf(c, n))).toEqual([1, 0]);

    // B: batch 2's job created on Job and not ended (checked before every tick).
    const b = await start('run check_disk --hosts web-08,web-09,web-10 --batch-size 1');
    await tickUntil('B’s batch 2 running', () => jobsOf(b, 2) === 1);
    const bBatch2 = sim.world.jobs.find((job) => job.task_name === label(b, 2))!;
    expect(bBatch2.status).toBeLessThan(3);
    // Killed once the bot has recorded that job (it asks Job about it by id), not in the moment
    // between Job's answer and the record: that moment is the unknown batch C covers, and a batch
    // whose callback came while no process ran waits for its deadline, which this test does not.
    await tickUntil('the bot asking Job about B’s batch 2', () => sim.requests.some((r) => r.routeKey?.startsWith('job/get_job_instance') && JSON.stringify(r).includes(String(bBatch2.job_instance_id))), false);
    expect(bBatch2.status).toBeLessThan(3);

    await killProcess();
    const finalsBeforeKill = count(transcripts.join('\n'), FINAL);
    expect(finalsBeforeKill).toBe(0);

    // While no process runs: C's stamps an hour older, as if the new process started that much later.
    const store = await openStore({ dataDir });
    await store.db.query(
      `UPDATE run_batches SET sent_at = sent_at - interval '1 hour', claimed_at = claimed_at - interval '1 hour' WHERE plan_id = $1 AND sent_at IS NOT NULL`,
      [c],
    );
    await store.close();

    await startProcess();
    const from = bot.stdout.length;
    const continued = await bot.say(`order continue ${a}`);
    expect(continued).not.toMatch(/refused|not done/i);
    await tickUntil('A paused before batch 3', () => bot.stdout.slice(from).includes('Paused before batch 3 of 3'));
    expect(await bot.say(`order continue ${a}`)).not.toMatch(/refused|not done/i);
    await tickUntil('A and B finished, C stopped', () => {
      const out = bot.stdout.slice(from);
      return out.includes(`Order ${a} finished`) && out.includes(`Order ${b} finished`) && out.includes(label(c, 2)) && count(out, FINAL) >= 3;
    });
    // Read again through the new process: nothing more is sent; C says where it stopped and why.
    const sendsAtEnd = sim.countRequests(EXECUTE);
    for (const order of [a, b]) expect(await bot.say(`order show ${order}`)).toContain('All batches finished (3 batches).');
    expect((await bot.say(`order show ${c}`)).replace(/\s+/g, ' ')).toContain(`Stopped: the outcome of batch 2 of 3 stayed unknown. Check the task ${label(c, 2)}`);
    expect(sim.countRequests(EXECUTE)).toBe(sendsAtEnd);

    const taskNames = sim.world.jobs.map((job) => job.task_name);
    expect(new Set(taskNames).size).toBe(taskNames.length);
    expect([1, 2, 3].map((n) => jobsOf(a, n))).toEqual([1, 1, 1]);
    expect([1, 2, 3].map((n) => jobsOf(b, n))).toEqual([1, 1, 1]);
    expect([1, 2, 3].map((n) => jobsOf(c, n))).toEqual([1, 0, 0]);
    expect([1, 2, 3].map((n) => sendsOf(c, n))).toEqual([1, 1, 0]);
    for (const order of [a, b]) expect([1, 2, 3].map((n) => sendsOf(order, n))).toEqual([1, 1, 1]);
    const output = allOutput();
    expect(output.replace(/\s+/g, ' ')).toContain(`Check the task ${label(c, 2)} on the platform by hand`);
    expect(count(output, FINAL)).toBe(3);
    console.log(
      `kill -9: jobs per task name A ${[1, 2, 3].map((n) => jobsOf(a, n))} B ${[1, 2, 3].map((n) => jobsOf(b, n))} C ${[1, 2, 3].map((n) => jobsOf(c, n))}; sends C ${[1, 2, 3].map((n) => sendsOf(c, n))}; final summaries ${count(output, FINAL)}`,
    );
  });
});
