/**
 * The live runbook execution card in the terminal, through the real dispatcher and simulator on
 * fake clocks (the bot's and the simulator's moved together; rounds driven by `tick()`): a Run
 * posts the card; rounds where nothing moved edit nothing and read the execution alone; the steps
 * are read only when it moved; paused at its confirm step it offers Resume; a click on it resumes
 * the execution and the card follows; finished, the card gets its last edit and tracking stops
 * (no more reads). An execution the platform no longer knows is said on its card, once, and no
 * longer read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { getTrackedExecution, listExecutionCards } from '../src/store/tracked-executions.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { click, command } from './incident-helpers.js';
import { FakeClock } from './tracker-helpers.js';

const GET_EXECUTION = 'GET /v1/executions/{execution_id}';
const GET_STEPS = 'GET /v1/executions/{execution_id}/steps';

describe('the live runbook execution card in the terminal', () => {
  let bot: TestBot;
  const clock = new FakeClock();

  beforeAll(async () => {
    // One clock for the bot and the simulator; the requests' signatures are dated by the real one.
    bot = await makeTestBot({ now: clock.now, sim: { now: () => clock.ms, maxSkewMs: 365 * 24 * 3_600_000 } });
  });
  afterAll(async () => {
    await bot?.close();
  });

  /** One polling round, `ms` after the last on both clocks. */
  async function round(ms: number): Promise<void> {
    clock.advance(ms);
    await bot.core.executions.tick();
  }
  const edits = () => bot.surface.updates.length;
  const latest = (ref: string): Message => bot.surface.latest(ref)!;
  const labels = (message: Message) => (message.buttons ?? []).map((button) => button.label);

  async function startRun(): Promise<{ id: string; ref: string }> {
    const preview = await command(bot, 'alice', 'runbook run DOC-restart-web-service --param service=nginx');
    const run = preview.buttons!.find((button) => button.actionId === 'runbook:run')!;
    const posts = bot.surface.posts.length;
    const reply = await click(bot, 'alice', run.actionId, run.value);
    const id = /^Live card of runbook execution (EXE\w+) posted$/.exec(reply.title ?? '')?.[1];
    expect(id, reply.title).toBeDefined();
    expect(bot.surface.posts).toHaveLength(posts + 1);
    return { id: id!, ref: bot.surface.posts.at(-1)!.posted.messageRef };
  }

  it('edits as the steps move, nothing when nothing moved, offers Resume when paused, and ends with a last edit', async () => {
    const { id, ref } = await startRun();
    const first = latest(ref);
    expect(first.title).toBe(`Runbook execution ${id}: running`);
    expect(labels(first)).toEqual(['Terminate']);
    expect(first.footer).toContain('This card updates itself until the execution ends.');

    // The drain step takes 10 s: rounds before its end read the execution alone and edit nothing.
    bot.sim.resetRequests();
    for (let i = 0; i < 3; i++) await round(1000);
    expect(edits()).toBe(0);
    expect(bot.sim.countRequests(GET_EXECUTION)).toBe(3);
    expect(bot.sim.countRequests(GET_STEPS)).toBe(0);

    // Drained: the confirm step pauses it. One edit, the steps read once.
    await round(8000);
    expect(edits()).toBe(1);
    expect(bot.sim.countRequests(GET_STEPS)).toBe(1);
    const paused = latest(ref);
    expect(paused.title).toBe(`Runbook execution ${id}: paused`);
    expect(labels(paused)).toEqual(['Resume', 'Terminate']);
    expect(paused.table!.rows.map((row) => row[1])).toEqual(['✅ FINISHED', '⏸️ PAUSED', '⚪ READY', '⚪ READY']);

    // Paused, nothing moves: no edit, no steps read.
    for (let i = 0; i < 3; i++) await round(5000);
    expect(edits()).toBe(1);
    expect(bot.sim.countRequests(GET_EXECUTION)).toBe(7);
    expect(bot.sim.countRequests(GET_STEPS)).toBe(1);

    // Resume, clicked on the live card by an operator.
    const resume = paused.buttons!.find((button) => button.label === 'Resume')!;
    expect((await click(bot, 'alice', resume.actionId, resume.value)).text).toBe(`Resume sent to execution ${id}`);
    await round(3000);
    expect(edits()).toBe(2);
    expect(latest(ref).title).toBe(`Runbook execution ${id}: running`);
    expect(labels(latest(ref))).toEqual(['Terminate']);

    // The confirmed step (5 s), the restart (10 s) and the health check (10 s).
    for (let i = 0; i < 6; i++) await round(5000);
    const last = latest(ref);
    expect(last.title).toBe(`Runbook execution ${id}: finished`);
    expect(last.buttons).toBeUndefined();
    expect(last.footer).toContain('Final: this card no longer changes.');
    const finalEdits = bot.surface.updates.filter((update) => update.message.title?.endsWith('finished'));
    expect(finalEdits).toHaveLength(1);

    // Tracking has stopped: further rounds read and edit nothing.
    const reads = bot.sim.countRequests(GET_EXECUTION);
    const editsAtEnd = edits();
    for (let i = 0; i < 3; i++) await round(5000);
    expect(bot.sim.countRequests(GET_EXECUTION)).toBe(reads);
    expect(edits()).toBe(editsAtEnd);
    const execution = `coc:execution:${id}`;
    expect(await getTrackedExecution(bot.store.db, execution)).toMatchObject({ ended: true, leaseOwner: null });
    expect((await listExecutionCards(bot.store.db, execution)).map((card) => card.cardState)).toEqual(['final']);
    const audit = await listAuditEvents(bot.store.db, { limit: 500 });
    expect(audit.filter((row) => row.command === 'runbook execution tracking ended' && row.target === id)).toHaveLength(1);
    expect(runbooksOf(bot.sim.world).execution(id)!.operations.map((operation) => operation.type)).toEqual(['RESUME']);
  });

  it('answers "runbook execution" with the card while this place already has its live card, and with the card alone once it ended', async () => {
    const { id, ref } = await startRun();
    const again = await command(bot, 'carol', `runbook execution ${id}`);
    expect(again.title).toBe(`Runbook execution ${id}: running`);
    expect(again.text).toBe('The live card posted earlier in this channel keeps updating.');
    // Elsewhere, a second card of its own.
    const other = await command(bot, 'carol', `runbook execution ${id}`, { channelId: 'ops-2', isDirect: false });
    expect(other.title).toBe(`Live card of runbook execution ${id} posted`);
    expect(bot.surface.posts.at(-1)!.posted.channelId).toBe('ops-2');
    // Both cards are served by one read of the execution per round.
    bot.sim.resetRequests();
    await round(1000);
    expect(bot.sim.countRequests(GET_EXECUTION)).toBe(1);
    // Terminated from the card: both cards get their last edit, then nothing is read.
    const terminate = latest(ref).buttons!.find((button) => button.label === 'Terminate')!;
    await click(bot, 'alice', terminate.actionId, terminate.value);
    await round(3000);
    const lastOfBoth = bot.surface.posts.slice(-2).map((post) => latest(post.posted.messageRef).title);
    expect(lastOfBoth).toEqual([`Runbook execution ${id}: terminated`, `Runbook execution ${id}: terminated`]);
    const ended = await command(bot, 'carol', `runbook execution ${id}`, { channelId: 'ops-3', isDirect: false });
    expect(ended.title).toBe(`Runbook execution ${id}: terminated`);
    expect(bot.surface.posts.filter((post) => post.posted.channelId === 'ops-3')).toHaveLength(0);
  });

  it('says on the card when the platform no longer knows the execution, and stops reading it', async () => {
    const { id, ref } = await startRun();
    runbooksOf(bot.sim.world).forget(id);
    bot.sim.resetRequests();
    // A stray 404 does not end it: three in a row over a minute do.
    await round(30_000);
    await round(30_000);
    expect(latest(ref).title).toBe(`Runbook execution ${id}: running`);
    await round(30_000);
    const gone = latest(ref);
    expect(gone.title).toBe(`Runbook execution ${id} is no longer in COC`);
    expect(gone.text).toContain('Last state read: running');
    expect(gone.buttons).toBeUndefined();
    const reads = bot.sim.countRequests(GET_EXECUTION);
    expect(reads).toBe(3);
    await round(30_000);
    expect(bot.sim.countRequests(GET_EXECUTION)).toBe(reads);
    expect(await getTrackedExecution(bot.store.db, `coc:execution:${id}`)).toMatchObject({ ended: true });
  });
});
