/**
 * The tracker when things fail: COC errors never stop the polling (the card says since when COC
 * is unreachable, then recovers), a card that cannot be edited is posted again once and not in
 * a loop, a platform's Retry-After is honoured, and a final summary or notification that failed
 * is tried again without ever being delivered twice.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ChatDeliveryError, type PostedMessage } from '../src/core/chat-surface.js';
import type { Actor } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { GONE_AFTER_MS, GONE_AFTER_NOT_FOUND } from '../src/orders/tracker-observe.js';
import { listTrackedCards } from '../src/store/tracked-orders.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { useTrackerWorld } from './helpers/tracker-world.js';
import { FakeClock, makeTracker, simpleOrder, text, type TestTracker } from './tracker-helpers.js';

const STATISTICS = 'GET /v1/job/script/orders/{execute_uuid}/statistics';
const ORDER = 'GET /v1/job/script/orders/{execute_uuid}';
const target = { platform: 'shell' as const, workspaceId: 'local', channelId: 'ops' };
const alice: Actor = { platform: 'shell', workspaceId: 'local', userId: 'alice' };

/** A surface whose next edits / notifications fail as told. */
class FlakySurface extends RecordingSurface {
  readonly updateFailures: ChatDeliveryError[] = [];
  readonly noticeFailures: ChatDeliveryError[] = [];
  /** Every edit fails (the message was deleted). */
  deleted = false;
  attempts = 0;

  override async update(posted: PostedMessage, message: Message): Promise<void> {
    this.attempts++;
    if (this.deleted && posted.messageRef === this.posts[0]?.posted.messageRef) throw new ChatDeliveryError('message_not_found');
    const failure = this.updateFailures.shift();
    if (failure) throw failure;
    return super.update(posted, message);
  }

  override async notify(person: Actor, message: Message): Promise<void> {
    const failure = this.noticeFailures.shift();
    if (failure) throw failure;
    return super.notify(person, message);
  }
}

describe('tracker failures', () => {
  const world = useTrackerWorld();
  let clock: FakeClock;
  let surface: FlakySurface;
  let t: TestTracker;

  beforeEach(async () => {
    clock = new FakeClock();
    surface = new FlakySurface('shell', () => clock.ms);
    t = makeTracker({ db: world.store.db, coc: world.coc, clock, surface });
  });

  async function round(ms = 3000): Promise<void> {
    clock.advance(ms);
    await t.tracker.tick();
  }

  it('keeps polling while COC fails, says since when it is unreachable, and recovers', async () => {
    const uuid = await simpleOrder(world.sim, 4, 1, 20);
    const posted = await t.tracker.track({ run: `coc:run:${uuid}`, target, locale: 'en-US' });
    world.sim.faults.set(STATISTICS, { kind: 'status', status: 503 });
    const failedAt = clock.ms + 3000;
    await round();
    await round();
    expect(surface.updates).toHaveLength(0); // one or two failed reads are not news
    await round();
    expect(surface.updates).toHaveLength(1);
    const banner = text(surface.updates[0]!.message);
    expect(banner).toContain(`COC unreachable since ${new Date(failedAt).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
    expect(banner).toContain('Waiting to start batch 1 of 4'); // the last state read stays on the card
    for (let i = 0; i < 5; i++) await round();
    expect(surface.updates).toHaveLength(1); // the outage does not edit the card again and again

    world.sim.faults.clear();
    world.sim.tick(1);
    await round();
    expect(surface.updates).toHaveLength(2);
    expect(text(surface.updates[1]!.message)).not.toContain('unreachable');
    expect(text(surface.updates[1]!.message)).toContain('Running batch 1 of 4');
    expect(surface.updates.every((u) => u.posted.messageRef === posted!.messageRef)).toBe(true);
    expect(t.tracker.stats.cocFailures).toBe(8);
    expect(t.errors).toEqual([]);
  });

  it('leaves a resumed card as it is while COC cannot be read after a restart', async () => {
    const uuid = await simpleOrder(world.sim, 4, 1, 28);
    const posted = await t.tracker.track({ run: `coc:run:${uuid}`, target, locale: 'en-US' });
    const restarted = makeTracker({ db: world.store.db, coc: world.coc, clock, surface });
    world.sim.faults.set('*', { kind: 'status', status: 503 });
    for (let i = 0; i < 5; i++) {
      clock.advance(3000);
      await restarted.tracker.tick();
    }
    expect(surface.updates).toHaveLength(0);
    world.sim.faults.clear();
    world.sim.tick(1);
    clock.advance(3000);
    await restarted.tracker.tick();
    expect(surface.updates).toHaveLength(1);
    expect(surface.updates[0]!.posted.messageRef).toBe(posted!.messageRef);
    expect(text(surface.updates[0]!.message)).toContain('Running batch 1 of 4');
    expect(restarted.errors).toEqual([]);
  });

  it('posts a card that cannot be edited again once, then gives it up instead of looping', async () => {
    const uuid = await simpleOrder(world.sim, 8, 1, 24);
    await t.tracker.track({ run: `coc:run:${uuid}`, target, locale: 'en-US' });
    surface.deleted = true;
    for (let i = 0; i < 4; i++) {
      world.sim.tick(1);
      await round();
    }
    expect(surface.posts).toHaveLength(2); // reposted after 3 failed edits
    // The new message is edited normally.
    world.sim.tick(1);
    await round();
    expect(surface.updates.at(-1)!.posted.messageRef).toBe(surface.posts[1]!.posted.messageRef);

    // It is deleted too: no third post, however long the order runs.
    surface.deleted = false;
    surface.updateFailures.push(...Array.from({ length: 50 }, () => new ChatDeliveryError('message_not_found')));
    for (let i = 0; i < 10; i++) {
      world.sim.tick(1);
      await round();
    }
    expect(surface.posts).toHaveLength(2);
    expect(await listTrackedCards(world.store.db, `coc:run:${uuid}`)).toMatchObject([{ finalState: 'abandoned', reposted: true }]);
    const attempts = surface.attempts;
    for (let i = 0; i < 5; i++) await round();
    expect(surface.attempts).toBe(attempts);
    expect(t.errors).toEqual([]);
  });

  it('waits as long as the platform asks after a 429', async () => {
    const uuid = await simpleOrder(world.sim, 8, 1, 32);
    await t.tracker.track({ run: `coc:run:${uuid}`, target, locale: 'en-US' });
    surface.updateFailures.push(new ChatDeliveryError('ratelimited', 20_000));
    world.sim.tick(1);
    await round(); // refused with Retry-After 20 s
    const refusedAt = clock.ms;
    expect(surface.attempts).toBe(1);
    for (let i = 0; i < 8; i++) {
      world.sim.tick(1);
      await round();
    }
    // No attempt in between: the one refused edit, then successful ones from 20 s on.
    expect(surface.attempts).toBe(surface.updates.length + 1);
    expect(surface.updates[0]!.at - refusedAt).toBeGreaterThanOrEqual(20_000);
  });

  it('writes a final summary that failed once again later, and tells the requester once', async () => {
    const uuid = await simpleOrder(world.sim, 1, 1, 40);
    await t.tracker.track({ run: `coc:run:${uuid}`, target, locale: 'en-US', startedBy: alice });
    world.sim.settle(uuid);
    surface.updateFailures.push(new ChatDeliveryError('internal_error'));
    surface.noticeFailures.push(new ChatDeliveryError('cannot_dm_bot'));
    for (let i = 0; i < 6; i++) await round();
    const finals = surface.updates.filter((u) => u.message.title === `Order ${uuid} finished`);
    expect(finals).toHaveLength(1);
    expect(surface.notices).toHaveLength(1);
    expect(await listTrackedCards(world.store.db, `coc:run:${uuid}`)).toMatchObject([{ finalState: 'done', noticeState: 'sent', noticeAttempts: 2 }]);
  });

  it('ends the card when COC no longer knows the order', async () => {
    const uuid = await simpleOrder(world.sim, 4, 1, 44);
    await t.tracker.track({ run: `coc:run:${uuid}`, target, locale: 'en-US' });
    world.sim.faults.set(ORDER, { kind: 'status', status: 404, errorCode: 'COC.00040603', errorMsg: 'order not found' });
    t.tracker.nudge(`coc:run:${uuid}`); // a full read
    // Said a few rounds in a row and for a minute (one stray 404 does not end a card): test/tracker-gone.test.ts.
    for (let i = 0; i < GONE_AFTER_NOT_FOUND; i++) await round(GONE_AFTER_MS / (GONE_AFTER_NOT_FOUND - 1));
    expect(surface.updates).toHaveLength(1);
    expect(surface.updates[0]!.message.title).toBe(`Order ${uuid} is no longer in COC`);
    for (let i = 0; i < 3; i++) await round();
    expect(surface.updates).toHaveLength(1);
  });
});
