/**
 * The terminal's read-eval-print loop over in-memory streams, as a test types into it: what it
 * printed so far, how many lines it has handled, and typing a line then waiting for its answer
 * (on the count of handled lines, never on time).
 */
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { runRepl, type LineTyped, type ReplOptions } from '../../src/adapters/shell/repl.js';
import type { ShellSession } from '../../src/adapters/shell/session.js';

export interface TestTerminal {
  /** What the person types (keys such as Ctrl-C, '\u0003', too). */
  readonly input: PassThrough;
  /** Settles when the loop has ended. */
  readonly done: Promise<void>;
  /** Everything printed so far, escape sequences included. */
  screen(): string;
  /** How many lines have been handled so far. */
  handled(): number;
  /** Waits until `count` lines in all have been handled. */
  handledUpTo(count: number): Promise<void>;
  /** Types `line` and Enter, then waits until it has been handled. */
  type(line: string): Promise<void>;
}

type LoopOptions = Omit<ReplOptions, 'input' | 'output' | 'prompt' | 'handleLine'>;

export interface TestTerminalOptions extends LoopOptions {
  /** A terminal 200 columns wide (readline redraws the prompt, Ctrl-C is a key), or a pipe. Default true. */
  readonly tty?: boolean;
}

/** A loop with its own prompt and line handler. */
export function testTerminal(prompt: () => string, handleLine: (line: string, typed: LineTyped) => Promise<string>, options: TestTerminalOptions = {}): TestTerminal {
  const { tty = true, ...loop } = options;
  const input = new PassThrough();
  const output = tty ? Object.assign(new PassThrough(), { isTTY: true, columns: 200 }) : new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
  });
  let handled = 0;
  const done = runRepl({ ...loop, input, output, prompt, handleLine: async (line, typed) => {
    const text = await handleLine(line, typed);
    handled++;
    return text;
  } });
  const handledUpTo = async (count: number): Promise<void> => {
    await expect.poll(() => handled, { timeout: 60_000, interval: 20 }).toBe(count);
  };
  return {
    input,
    done,
    screen: () => screen,
    handled: () => handled,
    handledUpTo,
    type: async (line) => {
      const before = handled;
      input.write(`${line}\r`);
      await handledUpTo(before + 1);
    },
  };
}

export interface SessionTerminalOptions extends TestTerminalOptions {
  /** Tell the session whether each line was read before its prompt was printed (as `npm start` does). Default false. */
  readonly passTyped?: boolean;
}

/** A loop over `session`, prompting with the session's prompt. */
export function sessionTerminal(session: ShellSession, options: SessionTerminalOptions = {}): TestTerminal {
  const { passTyped = false, ...rest } = options;
  return testTerminal(() => session.prompt(), (line, typed) => session.handleLine(line, passTyped ? typed : undefined), rest);
}
