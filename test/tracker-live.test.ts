/**
 * The live order card through the whole bot: `order watch` posts it, polling rounds edit it
 * only when the order changed and at most once per 3 s of the bot's (fake) clock, a paused
 * order shows Continue / Cancel, failing hosts show their output with secrets hidden, and the
 * final summary is written once, with one note to the person who asked.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MASK } from '../src/orders/redact-log.js';
import { getTrackedOrder, listTrackedCards } from '../src/store/tracked-orders.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { failingOrder, FakeClock, pausingOrder, SECRET, simpleOrder, text } from './tracker-helpers.js';

const STATISTICS = 'GET /v1/job/script/orders/{execute_uuid}/statistics';
const ORDER = 'GET /v1/job/script/orders/{execute_uuid}';

describe('live order card', () => {
  let bot: TestBot;
  const clock = new FakeClock();

  // One bot for the file (starting PGlite takes seconds); each test starts from no cards.
  beforeAll(async () => {
    bot = await makeTestBot({ now: clock.now });
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(async () => {
    clock.ms += 3_600_000;
    await bot.store.db.exec('TRUNCATE tracked_orders CASCADE');
    for (const list of [bot.surface.posts, bot.surface.updates, bot.surface.notices]) list.length = 0;
  });

  async function round(advanceMs = 1000): Promise<void> {
    clock.advance(advanceMs);
    await bot.core.tracker.tick();
  }

  it('posts one card, edits it only when the order changed and never more than once per 3 s', async () => {
    const uuid = await simpleOrder(bot.sim, 3, 2);
    const reply = await bot.run('alice', `order watch ${uuid}`);
    expect(reply).toContain(`Watching order ${uuid}`);
    expect(bot.surface.posts).toHaveLength(1);
    const ref = bot.surface.posts[0]!.posted.messageRef;
    expect(text(bot.surface.posts[0]!.message)).toContain('Waiting to start batch 1 of 3');

    // Nothing changes: no edit, however many rounds.
    for (let i = 0; i < 5; i++) await round();
    expect(bot.surface.updates).toHaveLength(0);

    // The order moves every round; the card follows, at most once per 3 s.
    for (let i = 0; i < 20; i++) {
      bot.sim.tick(1);
      await round(1000);
    }
    const times = [bot.surface.posts[0]!.at, ...bot.surface.updates.map((u) => u.at)];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(3000);
    expect(bot.surface.updates.every((u) => u.posted.messageRef === ref)).toBe(true);
    expect(bot.sim.world.orders.get(uuid)?.status).toBe('FINISHED');

    // The final summary: once, and then nothing more.
    for (let i = 0; i < 6; i++) await round(3000);
    const finals = bot.surface.updates.filter((u) => u.message.title === `Order ${uuid} finished`);
    expect(finals).toHaveLength(1);
    expect(bot.surface.updates.at(-1)).toBe(finals[0]);
    expect(text(finals[0]!.message)).toContain('6 of 6 hosts succeeded, 0 failed, 0 canceled.');
    expect(finals[0]!.message.buttons).toBeUndefined();
    expect(bot.surface.notices).toHaveLength(1);
    expect(bot.surface.notices[0]!.person.userId).toBe('alice');
    expect(bot.surface.notices[0]!.message.title).toBe(`Order ${uuid} finished`);

    const tracked = await getTrackedOrder(bot.store.db, `coc:run:${uuid}`);
    expect(tracked).toMatchObject({ finalPosted: true, leaseOwner: null, lastStatus: 'FINISHED' });
    const [card] = await listTrackedCards(bot.store.db, `coc:run:${uuid}`);
    expect(card).toMatchObject({ messageRef: ref, finalState: 'done', noticeState: 'sent' });
    expect(bot.core.tracker.stats.unexpected).toBe(0);
  });

  it('shows a paused order with Continue and Cancel, and its failing host with the secret hidden', async () => {
    const uuid = await pausingOrder(bot.sim);
    await bot.run('alice', `order watch ${uuid}`);
    bot.sim.tick(2);
    expect(bot.sim.world.orders.get(uuid)?.status).toBe('PAUSED');
    await round(3000);
    const card = bot.surface.latest(bot.surface.posts[0]!.posted.messageRef)!;
    const shown = text(card);
    expect(shown).toContain('Paused before batch 2 of 3');
    const actions = (card.buttons ?? []).map((b) => b.actionId);
    expect(actions).toEqual(expect.arrayContaining(['order:continue', 'order:cancel']));
    expect(actions).not.toContain('order:refresh');
    expect(shown).toContain('batch-05');
    expect(shown).toContain(MASK);
    for (const message of [...bot.surface.posts, ...bot.surface.updates].map((m) => m.message)) {
      expect(JSON.stringify(message)).not.toContain(SECRET);
    }

    // Continue is clicked: the card shows the running batch at the next round.
    await bot.click('bob', 'order:continue', uuid);
    await round(3000);
    expect(text(bot.surface.latest(bot.surface.posts[0]!.posted.messageRef))).toContain('Running batch 2 of 3');
  });

  it('ends with the summary of a canceled order and of one that stopped with failures', async () => {
    const canceled = await simpleOrder(bot.sim, 4, 1);
    const failed = await failingOrder(bot.sim);
    await bot.run('alice', `order watch ${canceled}`);
    await bot.run('alice', `order watch ${failed}`, { channelId: 'ops', isDirect: false });
    bot.sim.tick(2);
    await round(3000);
    await bot.click('bob', 'order:cancel', canceled);
    expect(bot.sim.settle(failed)).toBe('ABNORMAL');
    for (let i = 0; i < 3; i++) await round(3000);

    const finals = (title: string) => bot.surface.updates.filter((u) => u.message.title === title);
    const [canceledCard, ...moreCanceled] = finals(`Order ${canceled} was canceled`);
    expect(moreCanceled).toEqual([]);
    expect(text(canceledCard!.message)).toContain('1 of 4 hosts succeeded, 0 failed, 3 canceled.');
    const [failedCard, ...moreFailed] = finals(`Order ${failed} stopped with failures`);
    expect(moreFailed).toEqual([]);
    const shown = text(failedCard!.message);
    expect(shown).toContain('1 of 3 hosts succeeded, 1 failed, 0 canceled.');
    expect(shown).toContain('batch-05');
    expect(bot.surface.notices.map((n) => n.message.title).sort()).toEqual([`Order ${canceled} was canceled`, `Order ${failed} stopped with failures`].sort());
  });

  it('writes the card and the note in Chinese for a reader who reads Chinese', async () => {
    const uuid = await simpleOrder(bot.sim, 1, 1);
    await bot.services.tracker.track({
      run: `coc:run:${uuid}`,
      target: { platform: 'shell', workspaceId: 'local', channelId: 'zh' },
      locale: 'zh-CN',
      startedBy: { platform: 'shell', workspaceId: 'local', userId: 'carol' },
    });
    bot.sim.settle(uuid);
    await round(3000);
    const final = bot.surface.updates.at(-1)!.message;
    expect(final.title).toBe(`工单 ${uuid} 已完成`);
    expect(text(final)).toContain('共 1 台主机：成功 1 台，失败 0 台，取消 0 台。');
    expect(bot.surface.notices[0]!.message.text).toContain('详情见 #zh 中的卡片。');
  });

  it('reads each order once per round however many cards watch it', async () => {
    const uuid = await simpleOrder(bot.sim, 10, 1);
    await bot.run('alice', `order watch ${uuid}`);
    await bot.run('bob', `order watch ${uuid}`, { channelId: 'ops', isDirect: false });
    await bot.run('carol', `order watch ${uuid}`, { channelId: 'ops', isDirect: false, threadId: 'T1' });
    expect(await bot.run('dave', `order watch ${uuid}`)).toContain('already has a live card here');
    expect(bot.surface.posts).toHaveLength(3);

    bot.sim.resetRequests();
    const rounds = 12;
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) bot.sim.tick(1);
      await round(1000);
    }
    expect(bot.sim.world.orders.get(uuid)?.status).toBe('PROCESSING');
    expect(bot.sim.countRequests(STATISTICS)).toBe(rounds);
    // Orders are read only when their counts moved (or as they end), never once per card.
    expect(bot.sim.countRequests(ORDER)).toBeLessThanOrEqual(rounds);
    const refs = new Set(bot.surface.updates.map((u) => u.posted.messageRef));
    expect(refs.size).toBe(3);
  });

  it('posts the summary at once for an order that has already ended, and tells nobody later', async () => {
    const uuid = await simpleOrder(bot.sim, 1, 1);
    bot.sim.settle(uuid);
    expect(await bot.run('alice', `order watch ${uuid}`)).toContain(`Order ${uuid} has already ended`);
    expect(bot.surface.posts).toHaveLength(1);
    expect(bot.surface.posts[0]!.message.title).toBe(`Order ${uuid} finished`);
    for (let i = 0; i < 3; i++) await round(3000);
    expect(bot.surface.updates).toHaveLength(0);
    expect(bot.surface.notices).toHaveLength(0);
    expect(await getTrackedOrder(bot.store.db, `coc:run:${uuid}`)).toMatchObject({ finalPosted: true });
  });

  it('refuses an order COC does not know, and watches nothing', async () => {
    const reply = await bot.run('alice', 'order watch SCT2026031409300101ab2cd3e');
    expect(reply).toContain('No order SCT2026031409300101ab2cd3e in COC');
    expect(bot.surface.posts).toHaveLength(0);
    expect(await getTrackedOrder(bot.store.db, 'coc:run:SCT2026031409300101ab2cd3e')).toBeUndefined();
  });
});
