/**
 * The path from acknowledgement to answer: work held back until requests stop arriving for a
 * moment (a fake clock), and answers posted to the response_url over kept-alive connections
 * with Bolt's contract (a refusal throws).
 */
import { describe, expect, it, vi } from 'vitest';
import { AFTER_ACK_DEFAULTS, AfterAckQueue } from '../src/adapters/slack/after-ack.js';
import { ResponseUrlPoster, ResponseUrlRefused } from '../src/adapters/slack/response-url.js';
import { RESPONSE_URL_POSTS, startFakeSlack } from './helpers/fake-slack.js';

/** Runs `test` on a fake clock (timers and performance.now), the real one back after. */
async function onFakeClock(test: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
  try {
    await test();
  } finally {
    vi.useRealTimers();
  }
}

/** A piece of work queued now: whether it has begun, and its end. */
function queued(queue: AfterAckQueue): { began: () => boolean; work: Promise<void> } {
  let began = false;
  const work = queue.run(async () => {
    began = true;
  });
  return { began: () => began, work };
}

describe('work after the acknowledgement waits for a quiet moment', () => {
  it('waits while requests keep arriving, and begins once they have stopped for quietMs', () =>
    onFakeClock(async () => {
      const queue = new AfterAckQueue({ quietMs: 10, maxDeferMs: 24 * 3_600_000 });
      // A burst: two requests 1 ms apart.
      queue.arrived();
      await vi.advanceTimersByTimeAsync(1);
      queue.arrived();
      const piece = queued(queue);
      await vi.advanceTimersByTimeAsync(5);
      // Another request of the burst: the quiet starts again.
      queue.arrived();
      await vi.advanceTimersByTimeAsync(9);
      expect(piece.began()).toBe(false);
      await vi.advanceTimersByTimeAsync(2);
      await piece.work;
      expect(piece.began()).toBe(true);
    }));

  it('begins at once for a request that came alone, however recently', () =>
    onFakeClock(async () => {
      const queue = new AfterAckQueue({ quietMs: 10, maxDeferMs: 24 * 3_600_000 });
      // Requests 20 ms apart (50 a second): none is part of a burst, none waits.
      for (let i = 0; i < 3; i++) {
        queue.arrived();
        const piece = queued(queue);
        await vi.advanceTimersByTimeAsync(0);
        expect(piece.began()).toBe(true);
        await piece.work;
        await vi.advanceTimersByTimeAsync(20);
      }
      // One that another follows within quietMs waits for the quiet after both.
      queue.arrived();
      await vi.advanceTimersByTimeAsync(2);
      queue.arrived();
      const piece = queued(queue);
      await vi.advanceTimersByTimeAsync(9);
      expect(piece.began()).toBe(false);
      await vi.advanceTimersByTimeAsync(2);
      await piece.work;
      expect(piece.began()).toBe(true);
    }));

  it('by default, lets an answer begin 30 ms after its request however long the burst goes on', () =>
    onFakeClock(async () => {
      expect(AFTER_ACK_DEFAULTS.maxDeferMs).toBe(30);
      const queue = new AfterAckQueue();
      // A long burst: a request every millisecond, never a quiet moment.
      queue.arrived();
      await vi.advanceTimersByTimeAsync(1);
      queue.arrived();
      const piece = queued(queue);
      for (let ms = 1; ms < 30; ms++) {
        await vi.advanceTimersByTimeAsync(1);
        queue.arrived();
      }
      expect(piece.began()).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      queue.arrived();
      await vi.advanceTimersByTimeAsync(1);
      expect(piece.began()).toBe(true);
      await piece.work;
    }));

  it('holds nothing back when nothing arrived lately', async () => {
    const queue = new AfterAckQueue({ quietMs: 0, maxDeferMs: 24 * 3_600_000 });
    await expect(queue.run(async () => 'answered')).resolves.toBe('answered');
  });
});

describe('answers through the response_url', () => {
  it('posts JSON (a string as its text) and throws once Slack refuses the url', async () => {
    const fake = await startFakeSlack();
    const poster = new ResponseUrlPoster({ timeoutMs: 10_000 });
    try {
      const respond = poster.to(fake.responseUrl('r1'));
      await respond({ response_type: 'ephemeral', text: 'first' });
      await respond('second');
      expect(fake.responsesTo('r1').map((response) => response.body)).toEqual([{ response_type: 'ephemeral', text: 'first' }, { text: 'second' }]);
      for (let i = 2; i < RESPONSE_URL_POSTS; i++) await respond(`post ${i}`);
      await expect(respond('one too many')).rejects.toBeInstanceOf(ResponseUrlRefused);
    } finally {
      await poster.close();
      await fake.close();
    }
  });

  it('sends a card shared by many answers as each answer says, whatever else differs', async () => {
    const fake = await startFakeSlack();
    const poster = new ResponseUrlPoster({ timeoutMs: 10_000 });
    try {
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'order *1*' } }];
      const answers = [
        { response_type: 'ephemeral', replace_original: false, text: 'order 1', blocks },
        { response_type: 'ephemeral', replace_original: false, text: 'order 1', blocks },
        { response_type: 'in_channel', replace_original: false, text: 'order 1', blocks },
        { response_type: 'ephemeral', replace_original: true, text: 'order 1', blocks },
        { response_type: 'ephemeral', replace_original: false, text: 'order 1 again', blocks },
        { response_type: 'ephemeral', replace_original: false, text: 'order 1', blocks, thread_ts: '1.2' },
        { response_type: 'ephemeral', replace_original: false, text: 'order 1', blocks: [...blocks] },
      ] as const;
      for (const [i, answer] of answers.entries()) await poster.to(fake.responseUrl(`r${i}`))(answer);
      expect(answers.map((_, i) => fake.responsesTo(`r${i}`).map((response) => response.body))).toEqual(answers.map((answer) => [answer]));
    } finally {
      await poster.close();
      await fake.close();
    }
  });
});
