/**
 * Waiting for work at most so long (a platform's deadline): the value in time, `done: false`
 * after it, a rejection in time thrown, a late rejection left to the work's own handlers, and no
 * timer left behind either way. On a fake clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { within } from '../src/core/within.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('within', () => {
  it('gives the value when the work ends in time, and leaves no timer pending', async () => {
    let finish!: (value: string) => void;
    const waited = within(new Promise<string>((resolve) => (finish = resolve)), 1_000);
    await vi.advanceTimersByTimeAsync(999);
    finish('answered');
    await expect(waited).resolves.toEqual({ done: true, value: 'answered' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('says not done once the time is up, while the work goes on', async () => {
    let finish!: (value: string) => void;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const waited = within(work, 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(waited).resolves.toEqual({ done: false });
    finish('later');
    await expect(work).resolves.toBe('later');
  });

  it('throws a rejection that comes in time, and clears its timer', async () => {
    const waited = within(Promise.reject(new Error('store unavailable')), 1_000);
    await expect(waited).rejects.toThrow('store unavailable');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves a rejection after the deadline to the work (no unhandled rejection from the wait)', async () => {
    // Real timers here: Node reports unhandled rejections between its own turns, which a fake clock does not run.
    vi.useRealTimers();
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      let fail!: (error: Error) => void;
      const work = new Promise<string>((_, reject) => (fail = reject));
      const seenByWork = work.catch((error: Error) => error.message);
      await expect(within(work, 0)).resolves.toEqual({ done: false });
      fail(new Error('COC timed out'));
      await expect(seenByWork).resolves.toBe('COC timed out');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', note);
    }
  });

  it('waits no time at all for a negative or zero budget', async () => {
    const waited = within(new Promise<never>(() => {}), -5);
    await vi.advanceTimersByTimeAsync(0);
    await expect(waited).resolves.toEqual({ done: false });
  });
});
