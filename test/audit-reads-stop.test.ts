/**
 * Reads' audit rows are written just after their answers (held a moment to go together); a
 * graceful stop writes what is held: the terminal bot (a separate process, as `npm start`, on
 * an embedded PGlite store) answers reads and is sent SIGTERM at once after the last answer;
 * every read is in the store after it exited, whether or not its rows were written before the
 * signal came. And in one process: rows still held when the store closes are written first.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { openStore } from '../src/store/index.js';
import { seedMigratedDataDir } from './helpers/data-dir.js';
import { LiveBotProcess } from './helpers/live-bot-process.js';
import { useLiveShellBotDir } from './helpers/live-shell-bot-dir.js';

const { workDir, dataDir } = useLiveShellBotDir({
  prefix: 'coc-reads-stop-',
  projectId: 'reads-stop-project',
  secretKey: 'a-reads-stop-test-secret-key-of-some-length',
  people: { carol: 'viewer' },
});
/** A bot process starting on a busy machine (WebAssembly PGlite, tsx) can take a while. */
const STARTUP_WAIT_MS = 120_000;
const READS = 5;

describe("reads' audit rows and a graceful stop", () => {
  it('writes the rows of reads answered just before SIGTERM before the process ends', async () => {
    const bot = new LiveBotProcess(workDir, { COC_CHATOPS_SHELL_USER: 'carol' }, STARTUP_WAIT_MS);
    try {
      await bot.waitFor('the prompt', (out) => out.includes('carol@coc> '));
      // Typed at once, answered one after another; the signal follows the last answer.
      const from = bot.stdout.length;
      for (let i = 0; i < READS; i++) bot.type('whoami');
      await bot.waitFor('the answers', (out) => out.split('carol@coc> ').length > READS, from);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    }
    const store = await openStore({ dataDir });
    try {
      const reads = (await listAuditEvents(store.db, { limit: 500 })).filter((row) => row.command === 'whoami');
      expect(reads).toHaveLength(READS);
      expect(reads.every((row) => row.chatUserId === 'carol' && row.outcome === 'succeeded')).toBe(true);
    } finally {
      await store.close();
    }
  }, 400_000);

  it("writes held rows when the store closes, before the hold is over", async () => {
    const closedDir = join(workDir, 'closed-store');
    await seedMigratedDataDir(closedDir);
    const first = await openStore({ dataDir: closedDir });
    const audit = new AuditLog(first.db);
    const actor = { platform: 'shell' as const, workspaceId: 'local', userId: 'carol' };
    for (let i = 0; i < READS; i++) {
      await audit.within({ actor, place: { channelId: 'local', isDirect: false }, iamUserName: 'carol', command: 'whoami', target: undefined, maskedParameters: {} }, async (scope) => {
        scope.readOnly = true;
        await audit.write(scope, 'succeeded');
      });
    }
    // Closed in the same turn: the hold has not run out, nothing has been written yet.
    await first.close();
    const second = await openStore({ dataDir: closedDir });
    try {
      expect((await listAuditEvents(second.db, { limit: 500 })).filter((row) => row.command === 'whoami')).toHaveLength(READS);
    } finally {
      await second.close();
    }
  }, 400_000);
});
