/**
 * Runs the bot as a separate process (`src/main.ts`, as `npm start` does), types lines into
 * its prompt and collects what it printed, split per line typed.
 */
import { spawn } from 'node:child_process';
import { nodeArgsFor } from './entry-point.js';
import { SAFETY_NET_MS } from './safety-net.js';

export interface BotRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout cut at each prompt (a question's `Run it? (y/1)> ` too): [banner, reply to line 1, reply to line 2, …]. */
  readonly replies: readonly string[];
}

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
      resolve({ code, stdout, stderr, replies: stdout.split(/\S+@coc> |[^\n]*\? \(y\/1\)> /) });
    });
    child.stdin.end(options.lines.map((line) => `${line}\n`).join(''));
  });
}
