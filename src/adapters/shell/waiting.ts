/**
 * "Still waiting for COC… 4 s": said while a terminal line has not answered after two seconds,
 * so a platform that hangs is never silence. On a terminal the line is rewritten in place each
 * second and wiped when the answer comes; into a file or a pipe a new line comes every five
 * seconds. It only speaks: the command goes on until its own deadline, where the answer says
 * what happened (a read: not answered, nothing changed; a write: outcome unknown).
 */
import type { Writable } from 'node:stream';
import { translator, type Locale } from '../../i18n/translate.js';
import { SHELL_TEXTS } from '../../i18n/catalogues/shell.js';

/** Schedules `tick` every `ms`; returns how to stop. Injected by tests (a fake clock). */
export type Every = (ms: number, tick: () => void) => () => void;

export interface WaitingNoticeOptions {
  readonly output: Writable & { isTTY?: boolean };
  /** Who is being waited for, as people know it: "COC", "BlueKing". */
  readonly platform: string;
  readonly every?: Every;
  /** The language of the person waiting (asked at each notice: "/as" may change it); default English. */
  readonly locale?: () => Locale;
}

/** Silence allowed before the first notice. */
export const FIRST_NOTICE_S = 2;
/** Between notices where they cannot be rewritten in place. */
const PLAIN_EVERY_S = 5;

const realEvery: Every = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export function waitingText(platform: string, seconds: number, locale: Locale = 'en-US'): string {
  return translator(locale)(SHELL_TEXTS.stillWaiting, { platform, seconds });
}

/** `work`'s result, with notices printed while it is not there yet. */
export async function withWaitingNotice<T>(work: Promise<T>, options: WaitingNoticeOptions): Promise<T> {
  const { output, platform } = options;
  const tty = output.isTTY === true;
  let seconds = 0;
  let shown = false;
  const stop = (options.every ?? realEvery)(1_000, () => {
    seconds++;
    if (seconds < FIRST_NOTICE_S) return;
    if (tty) {
      output.write(`\r\u001b[2K${waitingText(platform, seconds, options.locale?.())}`);
      shown = true;
    } else if ((seconds - FIRST_NOTICE_S) % PLAIN_EVERY_S === 0) {
      output.write(`${waitingText(platform, seconds, options.locale?.())}\n`);
    }
  });
  try {
    return await work;
  } finally {
    stop();
    // The answer takes the notice's place on a terminal.
    if (shown) output.write('\r\u001b[2K');
  }
}
