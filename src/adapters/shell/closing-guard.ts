/**
 * Keeps the process's own SIGINT / SIGTERM handling in place until the bot has closed. The
 * prompt and `--exec` remove their handlers when they end, before the stores close; without a
 * listener left, a second signal during that close would kill the process at once (the
 * simulator's world file losing its last save, the store closed uncleanly). While closing, a
 * signal only says so.
 */
import type { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { translator, type Locale } from '../../i18n/translate.js';
import { SHELL_TEXTS } from '../../i18n/catalogues/shell.js';

export interface ClosingGuard {
  /** From now on a signal says `text` (the stores are closing) and changes nothing. */
  closing(): void;
  /** The close has finished: the signals' default action is back. */
  release(): void;
}

export function guardSignalsUntilClosed(options: {
  readonly signals: readonly NodeJS.Signals[];
  /** Where "closing…" is said (once per signal received while closing). */
  readonly output: Pick<Writable, 'write'>;
  readonly locale?: () => Locale;
  /** Where signals arrive; default the process. */
  readonly source?: Pick<EventEmitter, 'on' | 'off' | 'listenerCount'>;
  /**
   * Before closing, a signal nothing else handles (e.g. SIGINT at a prompt that reads it as a
   * key) does what it would without the guard; default: raised again with the guard removed.
   */
  readonly unhandled?: (signal: NodeJS.Signals) => void;
}): ClosingGuard {
  const source = options.source ?? process;
  let closing = false;
  const handlers = options.signals.map((signal) => {
    const handler = () => {
      if (closing) {
        options.output.write(`\n${translator(options.locale?.() ?? 'en-US')(SHELL_TEXTS.closing)}\n`);
      } else if (source.listenerCount(signal) === 1) {
        // Only the guard listens: nothing else decided what this signal does.
        release();
        (options.unhandled ?? ((s) => process.kill(process.pid, s)))(signal);
      }
      // Otherwise the prompt's or --exec's own handler decides.
    };
    source.on(signal, handler);
    return { signal, handler };
  });
  const release = () => {
    for (const { signal, handler } of handlers) source.off(signal, handler);
  };
  return {
    closing: () => {
      closing = true;
    },
    release,
  };
}
