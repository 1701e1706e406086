/**
 * The background work's first rounds start just after the first readiness check that follows
 * the bot's start, or at the latest after a while when nobody asks; once, and never after a stop.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFirstRoundsSoon } from '../src/app/first-rounds.js';

describe('the first rounds of the background work', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('start just after the first readiness check, not during it, and only once', () => {
    const start = vi.fn();
    const rounds = startFirstRoundsSoon(start, 500);
    rounds.askedIfReady();
    // The check's own store query is queued first: nothing has started yet.
    expect(start).not.toHaveBeenCalled();
    vi.runOnlyPendingTimers();
    expect(start).toHaveBeenCalledTimes(1);
    rounds.askedIfReady();
    vi.runAllTimers();
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('start after the latest delay when nobody asks whether the bot is ready', () => {
    const start = vi.fn();
    startFirstRoundsSoon(start, 500);
    vi.advanceTimersByTime(499);
    expect(start).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(start).toHaveBeenCalledTimes(1);
    vi.runAllTimers();
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('never start once the bot stops first', () => {
    const start = vi.fn();
    const rounds = startFirstRoundsSoon(start, 500);
    rounds.askedIfReady();
    rounds.cancel();
    vi.runAllTimers();
    expect(start).not.toHaveBeenCalled();
  });
});
