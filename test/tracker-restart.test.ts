/**
 * The bot killed with SIGKILL in the middle of an order: after a restart its live card resumes
 * (the same message is edited) and the final summary is posted exactly once across both runs.
 *
 * The bot runs as a separate process (the terminal adapter, as `npm start`) against a COC
 * simulator started here, which survives the kill and whose order the test moves on by hand.
 * The store is PGlite in a folder on disk, shared by both runs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import { seedMigratedDataDir } from './helpers/data-dir.js';
import { simpleOrder } from './tracker-helpers.js';
import { nodeArgsFor } from './helpers/entry-point.js';

const workDir = mkdtempSync(join(tmpdir(), 'coc-tracker-restart-'));
const WAIT_MS = 40_000;

/** The terminal bot, kept running (its stdin stays open) until killed. */
class BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor() {
    this.child = spawn(process.execPath, nodeArgsFor('src/main.ts'), {
      cwd: workDir,
      env: { PATH: process.env['PATH'], NO_COLOR: '1', HOME: workDir, COC_CHATOPS_SHELL_USER: 'alice' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  async waitFor(what: string, predicate: (stdout: string) => boolean): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!predicate(this.stdout)) {
      if (this.child.exitCode !== null) throw new Error(`the bot exited while waiting for ${what}:\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.stdout}\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async quit(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Every card header the bot printed: `── posted (#terminal, card x-1) ──`. */
function headers(stdout: string): { kind: string; ref: string }[] {
  return [...stdout.matchAll(/── (posted|updated) \([^,]*, card (\S+)\) ──/g)].map((m) => ({ kind: m[1]!, ref: m[2]! }));
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
  // The store as the bot's first start leaves it, without that start's initdb and migrations.
  await seedMigratedDataDir(join(workDir, 'store'));
  const mapping = (user: string, role: string) => ({ platform: 'shell', workspace: 'local', user, iamUser: user, role });
  writeFileSync(
    join(workDir, 'coc-chatops.json'),
    JSON.stringify({
      coc: { endpoint: sim.url, auth: { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, projectId: 'restart-project' } },
      store: { dataDir: join(workDir, 'store') },
      identity: { mappings: [mapping('alice', 'operator'), mapping('bob', 'approver')] },
      tracker: { pollIntervalMs: 250, minEditIntervalMs: 500 },
    }),
    { mode: 0o600 },
  );
});

afterAll(async () => {
  await sim?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('a bot killed in the middle of an order', () => {
  it('resumes the card after a restart and posts the final summary exactly once', async () => {
    const uuid = await simpleOrder(sim, 5, 1);
    const finalTitle = `Order ${uuid} finished`;

    // Run 1: the card is posted and follows the order.
    const first = new BotProcess();
    try {
      first.type(`order watch ${uuid}`);
      await first.waitFor('the card', (out) => headers(out).some((h) => h.kind === 'posted'));
      sim.tick(1);
      await first.waitFor('an edit', (out) => headers(out).some((h) => h.kind === 'updated'));
    } finally {
      await first.kill();
    }
    const [card] = headers(first.stdout).filter((h) => h.kind === 'posted');
    expect(card).toBeDefined();
    expect(first.stdout).not.toContain(finalTitle);

    // While the bot is dead the order moves on.
    sim.tick(3);
    expect(sim.world.orders.get(uuid)?.status).toBe('PROCESSING');

    // Run 2: the same card is edited (nothing new posted), then the order ends.
    const second = new BotProcess();
    try {
      await second.waitFor('the resumed card', (out) => headers(out).some((h) => h.kind === 'updated'));
      expect(headers(second.stdout)).toEqual([{ kind: 'updated', ref: card!.ref }]);
      expect(second.stdout).toContain('Running batch 4 of 5');
      sim.settle(uuid);
      await second.waitFor('the final summary', (out) => out.includes(finalTitle) && out.includes('── for alice ──'));
      // A few more polling rounds: nothing more may be printed about the order.
      const settled = second.stdout.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(second.stdout.slice(settled)).not.toContain(uuid);
    } finally {
      await second.quit();
    }
    const after = headers(second.stdout);
    expect(after.every((h) => h.kind === 'updated' && h.ref === card!.ref)).toBe(true);
    const both = first.stdout + second.stdout;
    // The summary: once on the card, once in the note to alice.
    expect(count(both, finalTitle)).toBe(2);
    expect(count(both, '── for alice ──')).toBe(1);
    expect(count(both, '5 of 5 hosts succeeded, 0 failed, 0 canceled.')).toBe(2);
  });
});
