/**
 * The README's first-run transcript, typed into `npm start`'s entry point in a fresh folder:
 * the block under "Your first two minutes" is read from the README itself, so the two cannot
 * drift. A line starting with a prompt (`alice@coc> …`, or a question's `Approve? (y/n)> …`) is
 * typed once that prompt has been printed; every other line must then be printed, in order,
 * with `…` matching any text (a line of only `…` stands for lines left out). A line that does
 * not hold fails the test with its README line number.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedMigratedDataDir } from './helpers/data-dir.js';
import { LiveBotProcess } from './helpers/live-bot-process.js';

const README = join(import.meta.dirname, '..', 'README.md');
const START = '$ npm start';
const PROMPT = /^(?<prompt>[a-z][\w.-]*@coc|[^<>]*\(y\/n\))> (?<typed>.*)$/;
/** Prompts the terminal printed before the output on the same line. */
const LEADING_PROMPTS = /^(?:[a-z][\w.-]*@coc> |[^<>\n]*\(y\/n\)> )+/;
/** How long one README line may take before the test gives up on it: a guard, not a measure. */
const GUARD_MS = 120_000;

interface Expected {
  readonly line: number;
  readonly text: string;
  readonly pattern: RegExp;
}

interface Step {
  /** The README line typed (none for the start). */
  readonly typed?: { readonly line: number; readonly prompt: string; readonly text: string };
  readonly expected: Expected[];
}

function patternOf(text: string): RegExp {
  const escaped = text.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/** The transcript block: the text block whose first line is `$ npm start`, as steps. */
function transcript(readme: string): Step[] {
  const lines = readme.split('\n');
  const first = lines.findIndex((line, index) => line === START && lines[index - 1] === '```text');
  if (first < 0) throw new Error(`README.md has no \`\`\`text block starting with "${START}"`);
  const steps: Step[] = [{ expected: [] }];
  for (let index = first + 1; index < lines.length && lines[index] !== '```'; index++) {
    const text = lines[index]!.trimEnd();
    const prompted = PROMPT.exec(text);
    if (prompted) steps.push({ typed: { line: index + 1, prompt: `${prompted.groups!['prompt']!}> `, text: prompted.groups!['typed']! }, expected: [] });
    else if (text !== '…' && text !== '') steps.at(-1)!.expected.push({ line: index + 1, text, pattern: patternOf(text) });
  }
  return steps;
}

/** Resolves once `found` returns a value for what the bot has printed, checked at every chunk it prints. */
function whenPrinted<T>(bot: LiveBotProcess, found: () => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = found();
      if (value === undefined) return false;
      done();
      resolve(value);
      return true;
    };
    const onExit = () => {
      if (!check()) fail(`the bot exited before ${what}`);
    };
    const guard = setTimeout(() => fail(`never saw ${what}`), GUARD_MS);
    const fail = (why: string) => {
      done();
      reject(new Error(`${why}\n--- printed ---\n${bot.stdout}\n--- stderr ---\n${bot.stderr}`));
    };
    const done = () => {
      clearTimeout(guard);
      bot.child.stdout.off('data', check);
      bot.child.off('close', onExit);
    };
    bot.child.stdout.on('data', check);
    bot.child.on('close', onExit);
    check();
  });
}

/** The end of the first complete printed line from `from` on that matches `pattern`. */
function matchFrom(output: string, from: number, pattern: RegExp): number | undefined {
  let start = from;
  for (let end = output.indexOf('\n', start); end >= 0; start = end + 1, end = output.indexOf('\n', start)) {
    if (pattern.test(output.slice(start, end).replace(LEADING_PROMPTS, '').trimEnd())) return end + 1;
  }
  return undefined;
}

const workDir = mkdtempSync(join(tmpdir(), 'readme-transcript-'));
let bot: LiveBotProcess | undefined;

afterAll(async () => {
  await bot?.quit();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the README', () => {
  it('first two minutes: every line shown is what the bot prints', async () => {
    const steps = transcript(readFileSync(README, 'utf8'));
    expect(steps.filter((step) => step.typed).length).toBeGreaterThan(5);
    // A fresh folder, as a newcomer's clone: its own history and data folder (the store as a first
    // start leaves it, without that start's initdb); orders move on quickly.
    await seedMigratedDataDir(join(workDir, 'data', 'pglite'));
    bot = new LiveBotProcess(workDir, { COC_SIM_TICK_MS: '100', COC_TRACKER_POLL_INTERVAL_MS: '250' }, GUARD_MS);
    const live = bot;
    let read = 0;
    let typedAt = 0;
    for (const step of steps) {
      if (step.typed) {
        const { line, prompt, text } = step.typed;
        await whenPrinted(live, () => (live.stdout.indexOf(prompt, typedAt) >= 0 ? true : undefined), `README.md:${line}: the prompt "${prompt}" to type "${text}"`);
        typedAt = live.stdout.length;
        read = Math.max(read, typedAt);
        live.type(text);
      }
      for (const expected of step.expected) {
        read = await whenPrinted(live, () => matchFrom(live.stdout, read, expected.pattern), `README.md:${expected.line}: "${expected.text}"`);
      }
    }
  });
});
