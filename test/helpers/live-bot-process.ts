/**
 * The terminal bot as a separate process that stays up (its stdin open) while a test types
 * lines into it and waits for what it prints — for flows that take time (approvals, live cards).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { nodeArgsFor } from './entry-point.js';
import { SAFETY_NET_MS } from './safety-net.js';

export class LiveBotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(
    cwd: string,
    env: NodeJS.ProcessEnv,
    private readonly waitMs = 40_000,
  ) {
    this.child = spawn(process.execPath, nodeArgsFor('src/main.ts'), {
      cwd,
      env: { PATH: process.env['PATH'], NO_COLOR: '1', HOME: cwd, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits until stdout after `from` (an earlier length) satisfies `predicate`; returns that part. */
  async waitFor(what: string, predicate: (output: string) => boolean, from = 0): Promise<string> {
    const deadline = Date.now() + this.waitMs;
    while (!predicate(this.stdout.slice(from))) {
      if (this.child.exitCode !== null) throw new Error(`the bot exited while waiting for ${what}:\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.stdout.slice(from)}\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.stdout.slice(from);
  }

  /**
   * Types a line and waits for the prompt that follows its reply; returns what was printed since.
   * Live cards may print after that prompt at any moment, so the prompt is looked for anywhere,
   * not only at the very end. A question's prompt (`Approve? (y/n)> `) is a prompt too.
   */
  async say(line: string, until: (output: string) => boolean = (out) => /\S+@coc> |\(y\/n\)> /.test(out)): Promise<string> {
    const from = this.stdout.length;
    this.type(line);
    return this.waitFor(`the answer to "${line}"`, until, from);
  }

  /**
   * Moves a simulator on (`tick`, once per poll) until what the bot printed after `from` satisfies
   * `predicate`: the bot's own rounds read the simulator meanwhile. Returns that part.
   */
  async tickUntil(what: string, predicate: (output: string) => boolean, from: number, tick: () => void, waitMs = SAFETY_NET_MS): Promise<string> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const output = this.stdout.slice(from);
      if (predicate(output)) return output;
      if (this.child.exitCode !== null) throw new Error(`the bot exited while waiting for ${what}:\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`never saw ${what}:\n${output}\n${this.stderr}`);
      tick();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async quit(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
