/**
 * Work after an acknowledgement takes turns: a few begin at once, later ones wait — but a turn
 * ends after a short slice, so work stuck on a hanging COC never holds up everyone else.
 */
import { describe, expect, it } from 'vitest';
import { AfterAckQueue } from '../src/adapters/slack/after-ack.js';

describe('work after the acknowledgement', () => {
  it('begins at most `concurrency` pieces at once while they are quick', async () => {
    const queue = new AfterAckQueue({ concurrency: 2, sliceMs: 10_000 });
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
    const queue = new AfterAckQueue({ concurrency: 2, sliceMs: 30 });
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

  it('waits for requests to stop arriving before working, but never longer than its bound', async () => {
    const queue = new AfterAckQueue({ quietMs: 20, maxDeferMs: 10_000 });
    const started: number[] = [];
    queue.arrived();
    const work = queue.run(async () => started.push(performance.now()));
    // Requests keep arriving for 100 ms: the work waits for them.
    const burstEnds = performance.now() + 100;
    while (performance.now() < burstEnds) {
      queue.arrived();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await work;
    expect(started[0]!).toBeGreaterThanOrEqual(burstEnds);

    const bounded = new AfterAckQueue({ quietMs: 1_000, maxDeferMs: 50 });
    const queued = performance.now();
    const keepArriving = setInterval(() => bounded.arrived(), 5);
    try {
      const began = await bounded.run(async () => performance.now());
      expect(began - queued).toBeLessThan(900);
    } finally {
      clearInterval(keepArriving);
    }
  });
});
