/**
 * A stored plan's life after its preview: it expires (by the clock on Run, or closed by the
 * sweep, which drops its sealed values), is used once, and Run on a plan that cannot run says
 * why — with nothing sent to COC.
 */
import { nativeOf } from '../src/backends/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { expireDuePlans, getRunPlan } from '../src/store/run-plans.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const SECRET = 'Never_Run_S3cret';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}
const say = (b: TestBot, user: string, text: string): Promise<Message> => b.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (b: TestBot, user: string, actionId: string, value: string): Promise<Message> => b.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

function planOf(preview: Message): string {
  const id = preview.buttons?.find((b) => b.actionId === 'run:go')?.value;
  if (!id) throw new Error(`no preview: ${preview.title} ${preview.text}`);
  return id;
}

describe('plans after their preview', () => {
  it('refuses Run on an expired preview by the clock, before any sweep ran', async () => {
    let now = Date.UTC(2026, 10, 23, 9, 0);
    bot = await makeTestBot({ now: () => new Date(now) });
    const plan = planOf(await say(bot, 'alice', 'run disk_usage --hosts web-01'));
    now += 16 * 60_000;
    bot.sim.resetRequests();
    const reply = await click(bot, 'alice', 'run:go', plan);
    expect(reply.title).toBe('This preview has expired');
    expect(reply.text).toMatch(/It expired at 2026-11-23 09:15 UTC; nothing ran/);
    expect(bot.sim.requests).toEqual([]);
  });

  it('closes previews nobody acted on, dropping their sealed values, and Run afterwards says it expired', async () => {
    let now = Date.UTC(2026, 10, 23, 9, 0);
    bot = await makeTestBot({ now: () => new Date(now) });
    const plan = planOf(await say(bot, 'dave', `run rotate_db_password --hosts db-01 --param new_password=${SECRET}`));
    const fresh = planOf(await say(bot, 'dave', 'run disk_usage --hosts web-01'));
    expect((await getRunPlan(bot.store.db, plan))?.sealedParams).toMatch(/^v1\./);
    now += 16 * 60_000;
    const later = planOf(await say(bot, 'dave', 'run disk_usage --hosts web-02'));
    expect(await expireDuePlans(bot.store.db, bot.services.now())).toBe(2);
    expect(await expireDuePlans(bot.store.db, bot.services.now())).toBe(0);
    const closed = await getRunPlan(bot.store.db, plan);
    expect(closed?.state).toBe('expired');
    expect(closed?.sealedParams).toBeNull();
    expect((await getRunPlan(bot.store.db, fresh))?.state).toBe('expired');
    expect((await getRunPlan(bot.store.db, later))?.state).toBe('previewed');
    expect((await click(bot, 'dave', 'run:go', plan)).title).toBe('This preview has expired');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('says what became of a plan that was already used', async () => {
    bot = await makeTestBot();
    const plan = planOf(await say(bot, 'alice', 'run disk_usage --hosts web-01'));
    const started = await click(bot, 'alice', 'run:go', plan);
    const uuid = /order (SCT\w+)/.exec(started.title ?? '')?.[1];
    expect(uuid).toBeDefined();
    const again = await click(bot, 'alice', 'run:go', plan);
    expect(again.title).toBe('This plan was already used');
    expect(again.text).toBe(`It started as order ${uuid}.`);
    expect((await click(bot, 'alice', 'run:cancel', plan)).text).toBe(`It started as order ${uuid}.`);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('cancels a plan whose script is gone from COC since the preview, sending nothing', async () => {
    bot = await makeTestBot();
    const plan = planOf(await say(bot, 'alice', 'run disk_usage --hosts web-01'));
    const stored = await getRunPlan(bot.store.db, plan);
    expect(bot.sim.world.scripts.delete(nativeOf(stored!.scriptId))).toBe(true);
    bot.sim.resetRequests();
    const reply = await click(bot, 'alice', 'run:go', plan);
    expect(reply.title).toBe('The script changed since the preview');
    expect((await getRunPlan(bot.store.db, plan))?.state).toBe('canceled');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('refuses a plan id that is not one, or someone else\'s plan', async () => {
    bot = await makeTestBot();
    expect((await click(bot, 'alice', 'run:go', 'not-a-plan')).title).toBe('No such plan');
    expect((await click(bot, 'alice', 'run:go', '00000000-0000-4000-8000-000000000000')).title).toBe('No such plan');
    const plan = planOf(await say(bot, 'alice', 'run disk_usage --hosts web-01'));
    expect((await click(bot, 'dave', 'run:cancel', plan)).title).toBe('Only alice can run or cancel this plan');
    expect((await getRunPlan(bot.store.db, plan))?.state).toBe('previewed');
  });
});
