/**
 * Approvals of a HIGH BlueKing run under load and lost answers, on the bot assembled as
 * `npm start -- --backend blueking` (its built-in simulator, the terminal's demo people): one bot
 * decides in chat (approvals.via bot), the other through ITSM (approvals.via itsm).
 *
 * - 100 concurrent Approve clicks on one request: one decision (one operate_node to ITSM), each
 *   batch's fast_execute_script reaches the simulator exactly once (its jobs by task name) even
 *   with 20 rounds racing to send the next batch, and the approval card is decided once and the
 *   run's card ends once. (Replicas on one store are the kill and replica files' subject; here the
 *   races are within one assembled bot.)
 * - itsm/create_ticket and itsm/operate_node whose answers are lost after ITSM acted: the request
 *   is never decidable twice nor started twice, and settles from get_ticket_status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverInterruptedRuns } from '../../src/approvals/recovery.js';
import { readTicketDecisions } from '../../src/approvals/itsm-read.js';
import { startBot, type Bot } from '../../src/app/bot.js';
import { need, type RunId } from '../../src/backends/index.js';
import { batchLabel } from '../../src/batches/index.js';
import { loadConfig } from '../../src/config.js';
import type { Message } from '../../src/core/message.js';
import type { OrderTracker } from '../../src/orders/tracker.js';
import type { BluekingSimulator, Fault } from '../../src/sim/blueking/server.js';
import { getApproval, type ApprovalRow } from '../../src/store/approvals.js';
import { listRunBatches } from '../../src/store/run-batches.js';
import { freshMemoryStore } from '../helpers/memory-store.js';
import { RecordingSurface } from '../helpers/recording-surface.js';

const SECRET = 'Bk_Conc_S3cret';
const HIGH_LINE = `run rotate_password --hosts db-02,db-03 --batch-size 1 --param args=${SECRET}`;
const EXECUTE = 'job/fast_execute_script';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const ROUND = { leftAfterMs: 300_000 };
const CLICKS = 100;

interface Assembled {
  readonly bot: Bot;
  readonly sim: BluekingSimulator;
  readonly surface: RecordingSurface;
}

async function assemble(via: 'bot' | 'itsm'): Promise<Assembled> {
  const loaded = loadConfig({
    env: { COC_CHATOPS_DATA_DIR: 'memory://', COC_CHATOPS_BACKEND: 'blueking', COC_APPROVAL_VIA: via, COC_SIM_TICK_MS: '60000', BLUEKING_TIMEOUT_MS: '1000', COC_TRACKER_MIN_EDIT_INTERVAL_MS: '0' },
    // (no edit throttle: the rounds here follow each other at once, and every edit is counted)
    cwd: '/nonexistent',
    file: undefined,
  });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  // The store: a migrated in-memory one from the tests' pool, instead of initdb and every migration per bot.
  const bot = await startBot(loaded.config, { store: await freshMemoryStore(), logDestination: { write: () => true } as unknown as NodeJS.WritableStream });
  if (bot.connected.kind !== 'blueking' || !bot.connected.simulator) throw new Error('not the BlueKing simulator');
  const surface = new RecordingSurface('shell');
  bot.chat.register(surface);
  return { bot, sim: bot.connected.simulator, surface };
}

let inChat: Assembled;
let viaItsm: Assembled;

beforeAll(async () => {
  [inChat, viaItsm] = await Promise.all([assemble('bot'), assemble('itsm')]);
});
afterAll(async () => {
  await Promise.all([inChat?.bot.close(), viaItsm?.bot.close()]);
});

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const say = (a: Assembled, user: string, text: string): Promise<Message> => a.bot.dispatcher.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (a: Assembled, user: string, actionId: string, value: string): Promise<Message> =>
  a.bot.dispatcher.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });
const jobsOf = (a: Assembled, label: string) => a.sim.world.jobs.filter((job) => job.task_name === label);
const executesOf = (a: Assembled, label: string) => a.sim.requests.filter((r) => r.routeKey === EXECUTE && JSON.stringify(r).includes(label)).length;

/** Alice previews and requests the HIGH run; the request's row and its Run button's plan. */
async function request(a: Assembled): Promise<{ approval: ApprovalRow; reply: Message; planId: string; go: string }> {
  const preview = await say(a, 'alice', HIGH_LINE);
  const go = preview.buttons?.find((b) => b.actionId === 'run:go');
  if (!go) throw new Error(`no Run button on "${preview.title}": ${preview.text}`);
  const reply = await click(a, 'alice', 'run:go', go.value);
  const id = /approval ([0-9a-f-]{36})/.exec(reply.footer ?? '')?.[1];
  const approval = id ? await getApproval(a.bot.services.db, id) : undefined;
  if (!approval) throw new Error(`no approval filed: ${reply.title} ${reply.text}`);
  return { approval, reply, planId: go.value, go: go.value };
}

/** Ends the simulator's jobs and runs tracker rounds until the plan's batches read `want`. */
async function runToEnd(a: Assembled, planId: string, want: readonly string[]): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const states = (await listRunBatches(a.bot.services.db, planId)).map((row) => `${row.batchIndex}:${row.state}`);
    if (JSON.stringify(states) === JSON.stringify(want)) return;
    a.sim.tick(3);
    await (a.bot.services.tracker as OrderTracker).tick();
  }
  expect((await listRunBatches(a.bot.services.db, planId)).map((row) => `${row.batchIndex}:${row.state}`)).toEqual(want);
}

/** Edits of the card first posted with `title`: all of them, and those that are its final summary. */
function editsOf(a: Assembled, title: string): { all: number; final: number } {
  const posted = a.surface.posts.find((p) => p.message.title === title);
  if (!posted) throw new Error(`no card "${title}" among ${a.surface.posts.map((p) => p.message.title).join(', ')}`);
  const edits = a.surface.updates.filter((u) => u.posted.messageRef === posted.posted.messageRef);
  return { all: edits.length, final: edits.filter((u) => (u.message.footer ?? '').includes('Final summary')).length };
}

describe(`${CLICKS} concurrent Approve clicks on one HIGH BlueKing run`, () => {
  for (const which of ['bot', 'itsm'] as const) {
    it(`approvals via ${which}: one decision, each batch sent once, the card ends once`, async () => {
      const a = which === 'bot' ? inChat : viaItsm;
      a.sim.resetRequests();
      const { approval, planId } = await request(a);
      expect(approval.via).toBe(which);
      const clickers = ['bob', 'carol', 'dave'];
      const replies = await Promise.all(Array.from({ length: CLICKS }, (_, i) => click(a, clickers[i % clickers.length]!, 'approval:approve', approval.id)));
      const approved = replies.filter((r) => /^Approved/.test(r.title ?? ''));
      expect(approved, replies.map((r) => r.title).join('\n')).toHaveLength(1);
      expect(a.sim.countRequests('itsm/operate_node')).toBe(which === 'itsm' ? 1 : 0);
      expect(executesOf(a, batchLabel(planId, 1))).toBe(1);
      // Batch 1 ends; 20 rounds race to move the run on (as replicas' trackers would): batch 2 goes out once.
      a.sim.tick(3);
      const runs = need(a.bot.services.backend, 'runs');
      await Promise.all(Array.from({ length: 20 }, () => runs.advance!(`blueking:run:${planId}` as RunId)));
      expect(executesOf(a, batchLabel(planId, 2))).toBe(1);
      await runToEnd(a, planId, ['1:succeeded', '2:succeeded']);
      // A round more: nothing is sent again.
      await (a.bot.services.tracker as OrderTracker).tick();
      expect([1, 2].map((n) => executesOf(a, batchLabel(planId, n)))).toEqual([1, 1]);
      expect([1, 2].map((n) => jobsOf(a, batchLabel(planId, n)).length)).toEqual([1, 1]);
      expect(a.sim.countRequests(EXECUTE)).toBe(2);
      const tracker = a.bot.services.tracker as OrderTracker;
      for (let round = 0; round < 2; round++) await tracker.tick();
      await tracker.settled();
      // The approval card is edited once (decided, its buttons gone); the run's card ends once.
      const approvalCard = editsOf(a, 'Approval needed: rotate_password on 2 hosts');
      const orderCard = editsOf(a, `Order ${planId}`);
      expect(approvalCard.all).toBe(1);
      expect(orderCard.final).toBe(1);
      expect(await getApproval(a.bot.services.db, approval.id)).toMatchObject({ state: 'executed' });
      expect(JSON.stringify(a.sim.requests)).not.toContain(SECRET);
    });
  }
});

describe('ITSM answers lost after ITSM acted', () => {
  const lost: Fault = { kind: 'status', status: 502, afterHandling: true, times: 1 };

  it('create_ticket: nothing decidable is posted, no second ticket; the ticket opened meanwhile is closed, nothing runs', async () => {
    const a = viaItsm;
    a.sim.resetRequests();
    const posts = a.surface.posts.length;
    a.sim.faults.set('itsm/create_ticket', lost);
    const { approval, reply, go } = await request(a);
    a.sim.faults.clear('itsm/create_ticket');
    expect(reply.title).toBe('Whether ITSM opened the approval ticket is not known');
    expect(a.surface.posts.length).toBe(posts);
    // Clicked again: the plan is used up, no second ticket; an approver's click cannot decide it.
    expect((await click(a, 'alice', 'run:go', go)).tone).toBe('danger');
    expect((await click(a, 'bob', 'approval:approve', approval.id)).title).not.toMatch(/^Approved/);
    expect(a.sim.countRequests('itsm/create_ticket')).toBe(1);
    await readTicketDecisions(a.bot.services, { leftAfterMs: 0 });
    await recoverInterruptedRuns(a.bot.services, { leftAfterMs: 0 });
    expect((await getApproval(a.bot.services.db, approval.id))?.state).toBe('void');
    expect(a.sim.countRequests('itsm/create_ticket')).toBe(1);
    expect(a.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('operate_node: undecided until read; other clicks refused; started once from get_ticket_status', async () => {
    const a = viaItsm;
    const { approval, planId } = await request(a);
    a.sim.resetRequests();
    a.sim.faults.set('itsm/operate_node', lost);
    const first = await click(a, 'bob', 'approval:approve', approval.id);
    a.sim.faults.clear('itsm/operate_node');
    expect(first.title).toBe('Your decision was sent to ITSM; its answer was lost');
    expect(a.sim.countRequests(EXECUTE)).toBe(0);
    expect(await getApproval(a.bot.services.db, approval.id)).toMatchObject({ state: 'requested', externalState: 'approve-unknown' });
    const again = await Promise.all(['bob', 'carol', 'dave'].map((user) => click(a, user, 'approval:approve', approval.id)));
    expect(again.filter((r) => /^Approved/.test(r.title ?? ''))).toHaveLength(0);
    expect(a.sim.countRequests('itsm/operate_node')).toBe(1);
    // The ticket says approved (get_ticket_status): started once, however many rounds read it.
    expect(await readTicketDecisions(a.bot.services, ROUND)).toBe(1);
    expect(await readTicketDecisions(a.bot.services, ROUND)).toBe(0);
    expect(a.sim.countRequests('itsm/get_ticket_status')).toBeGreaterThanOrEqual(1);
    expect(await getApproval(a.bot.services.db, approval.id)).toMatchObject({ state: 'executed', approverIamUser: 'bob' });
    expect(executesOf(a, batchLabel(planId, 1))).toBe(1);
    expect(jobsOf(a, batchLabel(planId, 1))).toHaveLength(1);
    expect(a.sim.countRequests('itsm/operate_node')).toBe(1);
  });
});
