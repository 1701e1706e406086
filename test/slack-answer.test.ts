/**
 * The path from acknowledgement to answer: work held back only while acknowledgements are
 * being written (never by a fixed quiet after each arrival), and answers posted to the
 * response_url over kept-alive connections with Bolt's contract (a refusal throws). No timing:
 * the test releases what the work waits on.
 */
import { describe, expect, it } from 'vitest';
import { AfterAckQueue } from '../src/adapters/slack/after-ack.js';
import { ResponseUrlPoster, ResponseUrlRefused } from '../src/adapters/slack/response-url.js';
import { RESPONSE_URL_POSTS, startFakeSlack } from './helpers/fake-slack.js';

const turns = async (count: number) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('work after the acknowledgement, counted at the server', () => {
  it('waits while a request awaits its acknowledgement, and begins once it has it', async () => {
    const queue = new AfterAckQueue({ quietMs: 0, maxDeferMs: 24 * 3_600_000 });
    const acked = queue.awaitingAck();
    let began = false;
    const work = queue.run(async () => {
      began = true;
    });
    await turns(20);
    expect(began).toBe(false);
    acked();
    // Idempotent: a second call does not count another request as acknowledged.
    acked();
    await work;
    expect(began).toBe(true);
  });

  it('holds nothing back when no acknowledgement is pending', async () => {
    const queue = new AfterAckQueue({ quietMs: 0, maxDeferMs: 24 * 3_600_000 });
    queue.arrived();
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
});
