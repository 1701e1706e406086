/**
 * Runs the bot as a separate process (`src/main.ts`, as `npm start` does), types lines into
 * its prompt and collects what it printed, split per line typed. Each line is typed once the
 * prompt before it has been printed, as a person does (a line read before a question is
 * printed never answers it).
 */
import { spawn } from 'node:child_process';
import { nodeArgsFor } from './entry-point.js';
import { SAFETY_NET_MS } from './safety-net.js';

export interface BotRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout cut at each prompt (a question's `Run it? (y/n)> ` too): [banner, reply to line 1, reply to line 2, …]. */
  readonly replies: readonly string[];
}

/** The terminal's prompts that end a reply: a person's and a question's. */
const PROMPTS = /\S+@coc> |[^\n]*\? \(y\/n\)> /;
/** Any prompt, a form field's too ("Cause> "): a line the bot starts and leaves open for typing. */
const ANY_PROMPT = /(?:^|\n)[^\n]*?> /g;

export function runBotProcess(options: {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly lines: readonly string[];
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
}): Promise<BotRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgsFor('src/main.ts'), ...(options.args ?? [])], {
      cwd: options.cwd,
      env: { PATH: process.env['PATH'], NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? SAFETY_NET_MS);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, replies: stdout.split(PROMPTS) });
    });
    // Line i is typed after the (i+1)-th prompt: the first, then one after each reply.
    let typed = 0;
    const typeReady = () => {
      const prompts = stdout.match(ANY_PROMPT)?.length ?? 0;
      while (typed < options.lines.length && typed < prompts) child.stdin.write(`${options.lines[typed++]!}\n`);
      if (typed === options.lines.length && !child.stdin.writableEnded) child.stdin.end();
    };
    child.stdout.on('data', typeReady);
    typeReady();
  });
}
