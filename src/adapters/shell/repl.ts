/**
 * The terminal adapter's loop: a prompt with history (kept across runs), one line at a time
 * through the command handler, Ctrl-D or `exit` to leave. `--exec` runs single lines instead.
 */
import { createInterface } from 'node:readline';
import { mkdirSync, readFileSync, appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export interface ReplOptions {
  readonly input: Readable;
  readonly output: Writable & { isTTY?: boolean };
  readonly prompt: () => string;
  readonly historyFile?: string;
  readonly handleLine: (line: string) => Promise<string>;
  /** The line as the history file keeps it: secret values hidden. Default: as typed. */
  readonly historyLine?: (line: string) => string;
  /** Asked before a line is handled: false keeps it out of the history file (a secret being typed). */
  readonly recordable?: () => boolean;
  /** Lets the caller print things that arrive on their own (posted cards) without breaking the prompt. */
  readonly attach?: (print: (text: string) => void) => void;
}

const HISTORY_LIMIT = 500;

function loadHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    // readline wants the newest entry first.
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_LIMIT).reverse();
  } catch {
    return [];
  }
}

function remember(file: string | undefined, line: string): void {
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${line.replace(/\n/g, ' ')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience; a read-only home must not stop the bot.
  }
}

export async function runRepl(options: ReplOptions): Promise<void> {
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal: options.output.isTTY === true,
    history: loadHistory(options.historyFile),
    historySize: HISTORY_LIMIT,
  });
  const showPrompt = () => {
    rl.setPrompt(options.prompt());
    rl.prompt();
  };
  options.attach?.((text) => {
    if (options.output.isTTY) {
      // Clear the half-typed line, print, then redraw the prompt with what was typed so far.
      options.output.write('\r\u001b[2K');
      options.output.write(text);
      rl.prompt(true);
    } else {
      options.output.write(text);
    }
  });
  showPrompt();
  try {
    // The async iterator buffers lines, so a script piped in is never dropped while a
    // previous command is still running.
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === 'exit' || line === 'quit' || line === '/exit') break;
      // An empty line still counts: it skips an optional form field or keeps its default.
      if (line && options.recordable?.() !== false) remember(options.historyFile, options.historyLine ? options.historyLine(line) : line);
      options.output.write(await options.handleLine(line));
      showPrompt();
    }
  } finally {
    rl.close();
  }
}
