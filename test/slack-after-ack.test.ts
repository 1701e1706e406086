/**
 * Work after an acknowledgement takes turns: a few begin at once, later ones wait — but a turn
 * ends after a short slice, so work stuck on a hanging COC never holds up everyone else.
 */
import { describe, expect, it } from 'vitest';
import { AfterAckQueue } from '../src/adapters/slack/after-ack.js';

describe('work after the acknowledgement', () => {
  it('begins at most `concurrency` pieces at once while they are quick', async () => {
    const queue = new AfterAckQueue(2, 10_000);
    let running = 0;
    let most = 0;
    const work = () =>
      queue.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
      });
    await Promise.all(Array.from({ length: 6 }, work));
    expect(most).toBe(2);
  });

  it('lets the next piece begin when a turn has run its slice, so hanging work blocks nobody', async () => {
    const queue = new AfterAckQueue(2, 30);
    const hang = new Promise<void>(() => {});
    void queue.run(() => hang);
    void queue.run(() => hang);
    const quick = await Promise.race([
      queue.run(async () => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('blocked'), 2_000)),
    ]);
    expect(quick).toBe('answered');
  });

  it('passes results and errors through', async () => {
    const queue = new AfterAckQueue();
    await expect(queue.run(async () => 42)).resolves.toBe(42);
    await expect(queue.run(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
  });
});
