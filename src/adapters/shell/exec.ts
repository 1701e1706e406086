/**
 * `npm start -- --exec "<line>" …`: each line in turn, the exit code of a command-line tool (1
 * when any line failed or waited for answers). SIGINT and SIGTERM end it as they end the prompt:
 * the line running is finished first (a write in flight is never cut off), later lines are not
 * run, and the caller closes the stores before exiting with 130 or 143.
 */
import type { Writable } from 'node:stream';
import type { Locale } from '../../i18n/translate.js';
import type { ExecResult } from './session.js';
import { withWaitingNotice, type Every } from './waiting.js';

export interface ExecLinesOptions {
  readonly lines: readonly string[];
  readonly execLine: (line: string) => Promise<ExecResult>;
  readonly output: Writable & { isTTY?: boolean };
  /** The platform a slow line waits for ("COC"): named in the notice after two silent seconds. */
  readonly waitingFor: string;
  readonly locale?: () => Locale;
  readonly every?: Every;
  /** Default SIGINT and SIGTERM. */
  readonly signals?: readonly NodeJS.Signals[];
}

/** The shell's exit code for a process ended by `signal`: 128 + its number. */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Runs the lines; resolves to the exit code (0, 1, or 128 + the signal that stopped it). */
export async function runExecLines(options: ExecLinesOptions): Promise<number> {
  let stoppedBy: NodeJS.Signals | undefined;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const handlers = signals.map((signal) => {
    const handler = () => {
      stoppedBy ??= signal;
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    let failed = false;
    for (const line of options.lines) {
      if (stoppedBy) break;
      const done = await withWaitingNotice(options.execLine(line.trim()), {
        output: options.output,
        platform: options.waitingFor,
        ...(options.every ? { every: options.every } : {}),
        ...(options.locale ? { locale: options.locale } : {}),
      });
      options.output.write(done.text);
      failed ||= done.failed;
    }
    if (stoppedBy) return SIGNAL_EXIT[stoppedBy] ?? 1;
    return failed ? 1 : 0;
  } finally {
    for (const off of handlers) off();
  }
}
