/**
 * A live card the platform will not take: refused for good (the bot is not in the channel) it
 * is given up at the first refusal; refused for a passing reason (the platform unreachable) it
 * is tried for 5 rounds; asked to slow down it is only ever waited out. A card given up is
 * counted once in coc_chatops_undelivered_posts_total and its requester told once, with where
 * and why; the order runs on in COC.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createCocBackend } from '../src/backends/coc/index.js';
import { ChatDeliveryError, ChatSurfaces, type ChatTarget, type DeliveryFailureReason, type PostedMessage } from '../src/core/chat-surface.js';
import type { Actor } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { Metrics } from '../src/ops/metrics.js';
import { OrderTracker } from '../src/orders/tracker.js';
import { listTrackedCards } from '../src/store/tracked-orders.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { useTrackerWorld } from './helpers/tracker-world.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { FakeClock, simpleOrder, text, trackerConfig } from './tracker-helpers.js';

const target = { platform: 'slack' as const, workspaceId: 'T0TEST', channelId: 'C0PRIVATE' };
const alice: Actor = { platform: 'slack', workspaceId: 'T0TEST', userId: 'U0ALICE' };

/** A Slack-like surface whose posts fail as told (each failure used once; `always` for every post). */
class RefusingSurface extends RecordingSurface {
  readonly postFailures: ChatDeliveryError[] = [];
  always: ChatDeliveryError | undefined;
  attempts = 0;

  override async post(to: ChatTarget, message: Message): Promise<PostedMessage> {
    this.attempts++;
    const failure = this.always ?? this.postFailures.shift();
    if (failure) throw failure;
    return super.post(to, message);
  }
}

function refusal(reason: DeliveryFailureReason, retryAfterMs?: number): ChatDeliveryError {
  return new ChatDeliveryError(`refused (${reason})`, retryAfterMs, { reason });
}

describe('live cards the platform will not take', () => {
  const world = useTrackerWorld();
  let clock: FakeClock;
  let surface: RefusingSurface;
  let metrics: Metrics;
  let tracker: OrderTracker;

  beforeEach(async () => {
    clock = new FakeClock();
    surface = new RefusingSurface('slack', () => clock.ms);
    const chat = new ChatSurfaces();
    chat.register(surface);
    metrics = new Metrics();
    tracker = new OrderTracker({ db: world.store.db, backend: createCocBackend(world.coc), chat, now: clock.now, config: trackerConfig(), metrics });
  });

  async function round(ms = 3000): Promise<void> {
    clock.advance(ms);
    await tracker.tick();
  }

  async function undelivered(reason: DeliveryFailureReason): Promise<number> {
    return sampleValue(parsePrometheusText((await metrics.exposition()).body), 'coc_chatops_undelivered_posts_total', { platform: 'slack', reason }) ?? 0;
  }

  it('gives up a card refused for good at once and tells its requester once; the order runs on to its end', async () => {
    const uuid = await simpleOrder(world.sim, 3, 1, 60);
    surface.always = refusal('not-in-channel');
    expect(await tracker.track({ run: `coc:run:${uuid}`, target, locale: 'en-US', startedBy: alice })).toBeUndefined();
    for (let i = 0; i < 8; i++) {
      world.sim.tick(1);
      await round();
    }
    expect(surface.attempts).toBe(1);
    expect(surface.notices).toHaveLength(1);
    const [notice] = surface.notices;
    expect(notice!.person).toEqual(alice);
    expect(notice!.where).toEqual(target);
    expect(text(notice!.message)).toContain(`The live card of order ${uuid} could not be posted`);
    expect(text(notice!.message)).toContain('the bot is not in #C0PRIVATE: invite it with /invite @coc');
    expect(await listTrackedCards(world.store.db, `coc:run:${uuid}`)).toMatchObject([{ finalState: 'abandoned', messageRef: null }]);
    expect(await undelivered('not-in-channel')).toBe(1);
    expect(tracker.stats.undelivered).toBe(1);
    expect(world.sim.world.orders.get(uuid)?.status).toBe('FINISHED');
    // Nothing left to show: the order is no longer polled for it.
    const ended = await world.store.db.query<{ command: string }>(`SELECT command FROM audit_events WHERE target = $1`, [uuid]);
    expect(ended.rows).toEqual([{ command: 'order tracking ended' }]);
  });

  it('tries a card that fails for a passing reason for 5 rounds, then gives up and tells once', async () => {
    const uuid = await simpleOrder(world.sim, 20, 1, 64);
    surface.always = refusal('unavailable');
    await tracker.track({ run: `coc:run:${uuid}`, target, locale: 'zh-CN', startedBy: alice });
    for (let i = 0; i < 10; i++) await round();
    expect(surface.attempts).toBe(5);
    expect(surface.notices).toHaveLength(1);
    // In the requester's language.
    expect(text(surface.notices[0]!.message)).toContain(`工单 ${uuid} 的实时卡片无法发布`);
    expect(await undelivered('unavailable')).toBe(1);
  });

  it('only waits out rate limits: never given up, nobody told, nothing counted', async () => {
    const uuid = await simpleOrder(world.sim, 20, 1, 68);
    for (let i = 0; i < 8; i++) surface.postFailures.push(refusal('rate-limited', 2000));
    await tracker.track({ run: `coc:run:${uuid}`, target, locale: 'en-US', startedBy: alice });
    for (let i = 0; i < 12; i++) await round();
    expect(surface.attempts).toBe(9);
    expect(surface.posts).toHaveLength(1);
    expect(surface.notices).toEqual([]);
    expect(await listTrackedCards(world.store.db, `coc:run:${uuid}`)).toMatchObject([{ finalState: 'live' }]);
    expect(await undelivered('rate-limited')).toBe(0);
  });
});
