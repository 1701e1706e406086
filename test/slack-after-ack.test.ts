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

  it('widens by one piece ended while the loop keeps up, and narrows at once when it is held up', async () => {
    let lagMs = 0;
    const queue = new AfterAckQueue({ concurrency: 2, maxConcurrency: 4, lagBoundMs: 40, sliceMs: 10_000 }, () => lagMs);
    const ends: (() => void)[] = [];
    let running = 0;
    let most = 0;
    let began!: () => void;
    let beganCount = 0;
    let beganTarget = 0;
    const untilBegun = (count: number) => {
      beganTarget = count;
      return beganCount >= count ? Promise.resolve() : new Promise<void>((resolve) => (began = resolve));
    };
    const piece = () =>
      queue.run(
        () =>
          new Promise<void>((resolve) => {
            running++;
            most = Math.max(most, running);
            beganCount++;
            if (beganCount === beganTarget) began();
            ends.push(() => {
              running--;
              resolve();
            });
          }),
      );
    const all = Promise.all(Array.from({ length: 10 }, piece));
    await untilBegun(2);
    expect(queue.width).toBe(2);
    expect(running).toBe(2);

    // One piece ends while the loop keeps up: one place more, so two waiting pieces begin.
    ends.shift()!();
    await untilBegun(4);
    expect(queue.width).toBe(3);
    expect(running).toBe(3);

    ends.shift()!();
    await untilBegun(6);
    expect(queue.width).toBe(4);
    expect(running).toBe(4);

    // Never wider than the bound.
    ends.shift()!();
    await untilBegun(7);
    expect(queue.width).toBe(4);
    expect(running).toBe(4);

    // The loop is held up: back to the narrow width at once, and nothing new begins until the
    // running pieces are under it.
    lagMs = 40;
    ends.shift()!();
    ends.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.width).toBe(2);
    expect(running).toBe(2);
    expect(beganCount).toBe(7);
    ends.shift()!();
    await untilBegun(8);
    expect(running).toBe(2);

    while (ends.length > 0 || beganCount < 10) {
      ends.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
    expect(most).toBe(4);
  });

  it('keeps its width without a lag source', async () => {
    const queue = new AfterAckQueue({ concurrency: 2, maxConcurrency: 64 });
    await Promise.all(Array.from({ length: 5 }, () => queue.run(async () => undefined)));
    expect(queue.width).toBe(2);
  });
});
