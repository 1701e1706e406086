/**
 * The terminal adapter's loop: a prompt with history (kept across runs), one line at a time
 * through the command handler, Ctrl-D or `exit` to leave. `--exec` runs single lines instead.
 *
 * Ctrl-C never quits at once: it cancels the open form or question, clears a half-typed line,
 * and at an empty prompt asks for a second Ctrl-C. While a line runs it does not stop it (a
 * write may be in flight): a second Ctrl-C quits once that line has finished, as `exit` does.
 */
import { createInterface } from 'node:readline';
import { mkdirSync, readFileSync, appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { withWaitingNotice, type Every } from './waiting.js';
import { translator, type Locale } from '../../i18n/translate.js';
import { SHELL_TEXTS } from '../../i18n/catalogues/shell.js';

export interface ReplOptions {
  readonly input: Readable;
  readonly output: Writable & { isTTY?: boolean };
  readonly prompt: () => string;
  readonly historyFile?: string;
  /**
   * `typed.beforePrompt`: the line was read before the prompt now shown was printed (typed ahead,
   * or piped in with the lines before it), so it cannot answer a question that prompt asks.
   */
  readonly handleLine: (line: string, typed: LineTyped) => Promise<string>;
  /** The line as the history file keeps it: secret values hidden. Default: as typed. */
  readonly historyLine?: (line: string) => string;
  /** Asked before a line is handled: false keeps it out of the history file (a secret being typed). */
  readonly recordable?: () => boolean;
  /** Lets the caller print things that arrive on their own (posted cards) without breaking the prompt. */
  readonly attach?: (print: (text: string) => void) => void;
  /** Ctrl-C: closes what is open (a form, a question) and says so; undefined when nothing was. */
  readonly interrupt?: () => string | undefined;
  /** The platform a slow line waits for ("COC"): named in the notice after two silent seconds. */
  readonly waitingFor?: string;
  /** The notice's clock (tests); default real seconds. */
  readonly every?: Every;
  /**
   * Process signals that end the loop as `exit` does (a line running is finished first, so a
   * write in flight is never cut off, and the caller closes the stores after): SIGTERM, and
   * SIGINT when the input is no terminal (a terminal's Ctrl-C is read as a key instead).
   */
  readonly stopSignals?: readonly NodeJS.Signals[];
  /** The language of the person at the prompt, for the terminal's own words; default English. */
  readonly locale?: () => Locale;
}

/** When a line was read, against the prompts printed. */
export interface LineTyped {
  readonly beforePrompt: boolean;
}

/** What Ctrl-C says, in `locale`. */
export function ctrlCText(locale: Locale = 'en-US'): { readonly again: string; readonly running: string; readonly quitting: string } {
  const t = translator(locale);
  return { again: t(SHELL_TEXTS.ctrlCAgain), running: t(SHELL_TEXTS.ctrlCRunning), quitting: t(SHELL_TEXTS.ctrlCQuitting) };
}

export const CTRL_C_TEXT = ctrlCText();

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
  let closed = false;
  let running = false;
  /** Quit by Ctrl-C: lines typed ahead are dropped (a piped script's end still runs every line). */
  let quit = false;
  rl.once('close', () => {
    closed = true;
  });
  /**
   * Prompts printed so far, and for each line read but not yet handled the count when it was
   * read: a line read before the latest prompt was typed without having seen it.
   */
  let promptsShown = 0;
  const readAt: number[] = [];
  rl.on('line', () => readAt.push(promptsShown));
  const showPrompt = () => {
    promptsShown += 1;
    if (closed) {
      // A piped script's input ended while its lines still run: the prompt still separates
      // their answers (readline cannot draw it once closed). After a quit, nothing more.
      if (!quit) options.output.write(options.prompt());
      return;
    }
    rl.setPrompt(options.prompt());
    rl.prompt();
  };
  /** A first Ctrl-C at an empty prompt (or while a line runs) arms the second, which quits. */
  let armed = false;
  const say = (text: string) => options.output.write(`\n${text}\n`);
  const words = () => ctrlCText(options.locale?.());
  rl.on('SIGINT', () => {
    if (running) {
      if (armed) {
        say(words().quitting);
        quit = true;
        rl.close();
      } else {
        armed = true;
        say(words().running);
      }
      return;
    }
    const canceled = options.interrupt?.();
    if (canceled !== undefined) {
      armed = false;
      options.output.write(`\n${canceled}`);
      showPrompt();
      return;
    }
    if (rl.line) {
      // Like a shell: the half-typed line is dropped, nothing quits.
      armed = false;
      rl.write(null, { ctrl: true, name: 'e' });
      rl.write(null, { ctrl: true, name: 'u' });
      options.output.write('\n');
      showPrompt();
      return;
    }
    if (armed) {
      options.output.write('\n');
      quit = true;
      rl.close();
      return;
    }
    armed = true;
    say(words().again);
    showPrompt();
  });
  options.attach?.((text) => {
    if (options.output.isTTY) {
      // Clear the half-typed line (or the waiting notice), print, then redraw the prompt with what
      // was typed so far; while a line runs there is no prompt to redraw: the answer brings it.
      options.output.write('\r\u001b[2K');
      options.output.write(text);
      if (!running && !closed) rl.prompt(true);
    } else {
      options.output.write(text);
    }
  });
  const stop = () => {
    if (running) say(words().quitting);
    quit = true;
    rl.close();
  };
  for (const signal of options.stopSignals ?? []) process.on(signal, stop);
  showPrompt();
  try {
    // The async iterator buffers lines, so a script piped in is never dropped while a
    // previous command is still running.
    for await (const raw of rl) {
      if (quit) break;
      const line = raw.trim();
      const typed: LineTyped = { beforePrompt: (readAt.shift() ?? promptsShown) < promptsShown };
      armed = false;
      if (line === 'exit' || line === 'quit' || line === '/exit') break;
      // An empty line still counts: it skips an optional form field or keeps its default.
      if (line && options.recordable?.() !== false) remember(options.historyFile, options.historyLine ? options.historyLine(line) : line);
      running = true;
      try {
        const answer = options.handleLine(line, typed);
        options.output.write(options.waitingFor ? await withWaitingNotice(answer, { output: options.output, platform: options.waitingFor, ...(options.every ? { every: options.every } : {}), ...(options.locale ? { locale: options.locale } : {}) }) : await answer);
      } finally {
        running = false;
        armed = false;
      }
      showPrompt();
    }
  } finally {
    for (const signal of options.stopSignals ?? []) process.off(signal, stop);
    rl.close();
  }
}
