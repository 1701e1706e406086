/**
 * The audit row of a write survives the process: the terminal bot (a separate process, as
 * `npm start`, on an embedded PGlite store) is killed with SIGKILL while COC holds its execute
 * request. The write's row is already in the store, 'pending'; the bot restarted on the same
 * store settles it as 'unknown' at start-up, and nothing is sent again.
 */
import { describe, expect, it } from 'vitest';
import { DANGLING_INTENT_ERROR } from '../src/audit/write-intents.js';
import { listAuditEvents, type AuditEventRow } from '../src/store/audit-events.js';
import { openStore } from '../src/store/index.js';
import { LiveBotProcess } from './helpers/live-bot-process.js';
import { useLiveShellBotDir } from './helpers/live-shell-bot-dir.js';
import { isHealthyHost } from './sim-helpers.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const live = useLiveShellBotDir({
  prefix: 'coc-intent-kill-',
  projectId: 'intent-project',
  secretKey: 'an-intent-test-secret-key-of-some-length',
  people: { alice: 'operator' },
});
const { workDir, dataDir } = live;
/** A bot process starting on a busy machine (WebAssembly PGlite, tsx) can take a while. */
const STARTUP_WAIT_MS = 120_000;

/** The store's write rows, read while no bot holds it. */
async function executeRows(): Promise<AuditEventRow[]> {
  const store = await openStore({ dataDir });
  try {
    return (await listAuditEvents(store.db, { limit: 500 })).filter((row) => row.command === `coc ${EXECUTE}`);
  } finally {
    await store.close();
  }
}

/** Waits for what the simulator's request log shows (an event, not a time). */
async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + STARTUP_WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a bot killed during a COC write', () => {
  it('leaves the write in the audit trail, settled as unknown after the restart, never sent again', async () => {
    const host = live.sim.world.hosts.find(isHealthyHost)!.name;
    const first = new LiveBotProcess(workDir, { COC_CHATOPS_SHELL_USER: 'alice' }, STARTUP_WAIT_MS);
    try {
      await first.waitFor('the prompt', (out) => out.includes('alice@coc> '));
      expect(await first.say(`run disk_usage --hosts ${host}`)).toContain('Run disk_usage on 1 host?');
      live.sim.faults.set(EXECUTE, { kind: 'hang' });
      first.type('1');
      await until('the execute request', () => live.sim.countRequests(EXECUTE) === 1);
      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }
    live.sim.faults.clear();

    const left = await executeRows();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ platform: 'shell', chatUserId: 'alice', iamUserName: 'alice', outcome: 'pending' });

    const second = new LiveBotProcess(workDir, { COC_CHATOPS_SHELL_USER: 'alice' }, STARTUP_WAIT_MS);
    try {
      await second.waitFor('the prompt', (out) => out.includes('alice@coc> '));
      // The start-up sweep runs beside the prompt: ask the trail until it shows the outcome. The
      // write is listed without --calls: its command's own row was never written.
      let trail = '';
      for (let i = 0; i < 50 && !trail.includes('outcome unknown'); i++) trail = await second.say('audit');
      expect(trail).toContain('outcome unknown');
      expect(trail).toContain('POST /v1/job/scripts/{script_uuid}');
    } finally {
      await second.quit();
    }

    const settled = await executeRows();
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({ id: left[0]!.id, outcome: 'unknown', error: DANGLING_INTENT_ERROR, chatUserId: 'alice' });
    expect(live.sim.countRequests(EXECUTE)).toBe(1);
  }, 400_000);
});
