/**
 * Preloaded into a bot process that a test runs (NODE_OPTIONS="--import <this file>"), so the
 * test can move that process's wall clock on without waiting: the offset in milliseconds is
 * read from the file named by COC_TEST_CLOCK_FILE (re-read every 50 ms; absent = 0). Timers
 * and performance.now() are not affected, only what Date says the time is.
 */
import { readFileSync } from 'node:fs';

const file = process.env.COC_TEST_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  let offsetMs = 0;
  const read = () => {
    try {
      offsetMs = Number(readFileSync(file, 'utf8').trim()) || 0;
    } catch {
      offsetMs = 0;
    }
  };
  read();
  setInterval(read, 50).unref();
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = ShiftedDate;
}
