import { describe, expect, it } from 'vitest';
import { WorkAdmission } from '../src/adapters/overload/admission.js';

describe('WorkAdmission', () => {
  it('lets requests in up to the bound, then turns them away until one finishes', () => {
    let now = 0;
    const admission = new WorkAdmission({ maxInFlight: 2 }, () => now);
    const first = admission.admit();
    const second = admission.admit();
    expect(first.admitted && second.admitted).toBe(true);
    expect(admission.admit()).toMatchObject({ admitted: false });
    if (first.admitted) {
      first.done();
      first.done(); // a second call changes nothing
    }
    expect(admission.inFlight).toBe(1);
    now = 10;
    expect(admission.admit().admitted).toBe(true);
    expect(admission.admit()).toMatchObject({ admitted: false });
  });

  it('says when to try again from the rate work has been finishing at', () => {
    let now = 0;
    const admission = new WorkAdmission({ maxInFlight: 100, rateWindowMs: 1_000 }, () => now);
    // 20 pieces finish within the last second: 20 per second.
    for (let i = 0; i < 20; i++) {
      const ticket = admission.admit();
      now += 50;
      if (ticket.admitted) ticket.done();
    }
    const waiting = Array.from({ length: 100 }, () => admission.admit());
    expect(waiting.every((ticket) => ticket.admitted)).toBe(true);
    // 100 in flight at 20 per second: 5 s.
    expect(admission.admit()).toEqual({ admitted: false, retryAfterSeconds: 5 });
  });

  it('says the longest wait when nothing has finished lately (a hanging backend), and never less than 1 s', () => {
    let now = 0;
    const admission = new WorkAdmission({ maxInFlight: 1, rateWindowMs: 1_000 }, () => now);
    expect(admission.admit().admitted).toBe(true);
    expect(admission.admit()).toEqual({ admitted: false, retryAfterSeconds: 60 });
    const fast = new WorkAdmission({ maxInFlight: 1, rateWindowMs: 1_000 }, () => now);
    for (let i = 0; i < 50; i++) {
      const ticket = fast.admit();
      if (ticket.admitted) ticket.done();
    }
    expect(fast.admit().admitted).toBe(true);
    expect(fast.admit()).toEqual({ admitted: false, retryAfterSeconds: 1 });
    now = 5_000;
    // The finishes fell out of the window.
    expect(fast.admit()).toEqual({ admitted: false, retryAfterSeconds: 60 });
  });

  it('sizes the bound to what drains within its time at the rate measured while work was queued, within its floor and cap', () => {
    let now = 0;
    const admission = new WorkAdmission({ maxInFlight: 400, drainWithinMs: 1_000, minInFlight: 10, queuedAt: 5 }, () => now);
    // Nothing measured yet: the cap.
    expect(admission.bound).toBe(400);
    const tickets = Array.from({ length: 300 }, () => admission.admit());
    expect(tickets.every((ticket) => ticket.admitted)).toBe(true);
    // With work queued, one finishes every 20 ms: 50 a second, 50 drain within 1 s.
    for (const ticket of tickets.slice(0, 200)) {
      now += 20;
      if (ticket.admitted) ticket.done();
    }
    expect(admission.bound).toBe(50);
    expect(admission.admit()).toMatchObject({ admitted: false });
    // Finishes with less in flight than `queuedAt` follow the arrivals, not the drain: not measured.
    for (const ticket of tickets.slice(200, 296)) if (ticket.admitted) ticket.done();
    const boundBefore = admission.bound;
    for (const ticket of tickets.slice(296)) {
      now += 1_000;
      if (ticket.admitted) ticket.done();
    }
    expect(admission.bound).toBe(boundBefore);

    // A slow drain never closes the door below the floor.
    const slow = new WorkAdmission({ maxInFlight: 400, drainWithinMs: 1_000, minInFlight: 10, queuedAt: 2 }, () => now);
    const queued = Array.from({ length: 20 }, () => slow.admit());
    for (const ticket of queued) {
      now += 5_000;
      if (ticket.admitted) ticket.done();
    }
    expect(slow.bound).toBe(10);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new WorkAdmission({ maxInFlight: 0 })).toThrow(RangeError);
  });
});
