/**
 * Incident posts the platform will not take, through the real Dispatcher against the
 * simulator: the place of a new incident refuses its card → whoever created it is told where
 * and why; a WarRoom started while the place refuses posts → whoever started it is told; a
 * status change and a periodic summary refused for good are counted once each and not tried
 * again at every poll. The incident itself is untouched in COC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatDeliveryError, type ChatTarget, type PostedMessage } from '../src/core/chat-surface.js';
import type { Message } from '../src/core/message.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { command, createIncident } from './incident-helpers.js';
import { text } from './tracker-helpers.js';

const MINUTE = 60_000;
const INCIDENTS = { summaryMinutes: 30, pollSeconds: 30, announce: false, slack: { mode: 'thread' }, discord: {} };

/** The terminal's surface, except that incident places refuse every post (the bot was removed from them). */
class RefusingPlaces extends RecordingSurface {
  refused: { target: ChatTarget; message: Message }[] = [];
  override async post(target: ChatTarget, message: Message): Promise<PostedMessage> {
    if (target.channelId.startsWith('incident-')) {
      this.refused.push({ target, message });
      throw new ChatDeliveryError('the bot may not post there', undefined, { reason: 'no-permission' });
    }
    return super.post(target, message);
  }
}

describe('incident posts the platform refuses', () => {
  let bot: TestBot;
  let surface: RefusingPlaces;
  let nowMs = Date.now();
  let num: string;

  beforeAll(async () => {
    bot = await makeTestBot({ now: () => new Date(nowMs), config: { incidents: INCIDENTS } });
    nowMs = Date.now();
    surface = new RefusingPlaces('shell', () => nowMs);
    bot.core.chat.register(surface);
  });
  afterAll(async () => {
    await bot.close();
  });

  async function undelivered(): Promise<number> {
    return sampleValue(parsePrometheusText((await bot.services.metrics.exposition()).body), 'coc_chatops_undelivered_posts_total', { platform: 'shell', reason: 'no-permission' }) ?? 0;
  }

  it('tells the creator that the new incident card could not be posted, and why', async () => {
    num = await createIncident(bot);
    expect(bot.sim.world.incidents.get(num)).toBeDefined();
    expect(surface.refused.map((r) => r.target.channelId)).toEqual([`incident-${num}`]);
    const told = surface.notices.filter((n) => text(n.message).includes(`The card of incident ${num} could not be posted`));
    expect(told).toHaveLength(1);
    expect(told[0]!.person.userId).toBe('alice');
    expect(text(told[0]!.message)).toContain(`the post in #incident-${num} could not be delivered`);
    expect(text(told[0]!.message)).toContain(`incident show ${num}`);
    expect(await undelivered()).toBe(1);
  });

  it('tells whoever started a WarRoom that its place refused the note', async () => {
    const before = surface.notices.length;
    await command(bot, 'alice', `warroom create ${num}`);
    const told = surface.notices.slice(before).filter((n) => text(n.message).includes(`An update of incident ${num} could not be posted`));
    expect(told).toHaveLength(1);
    expect(told[0]!.person.userId).toBe('alice');
    expect(await undelivered()).toBe(2);
  });

  it('counts a status change and a periodic summary refused for good once each, without trying them at every poll', async () => {
    await command(bot, 'alice', `incident accept ${num}`);
    const afterAccept = surface.refused.length;
    const counted = await undelivered();
    nowMs += 31 * MINUTE;
    await bot.core.incidentWatcher.runOnce();
    const afterSummary = surface.refused.length;
    expect(surface.refused.slice(afterAccept).some((r) => r.message.title?.startsWith('Summary of incident'))).toBe(true);
    // Later polls within the interval try nothing again: neither the summary nor the status change.
    nowMs += MINUTE;
    await bot.core.incidentWatcher.runOnce();
    nowMs += MINUTE;
    await bot.core.incidentWatcher.runOnce();
    expect(surface.refused.length).toBe(afterSummary);
    expect(surface.refused.filter((r) => r.message.title?.startsWith(`${num}: `) && r.message.title.includes('→'))).toHaveLength(1);
    expect(await undelivered()).toBe(counted + (afterSummary - afterAccept));
  });
});
