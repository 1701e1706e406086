/**
 * One replica of the bot as `npm start` runs it in production — a separate OS process serving
 * Slack (HTTP mode) and Discord (HTTP interactions) from the environment — for tests that send
 * it real signed requests and stop it with real signals.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { nodeArgsFor } from './entry-point.js';
import { SAFETY_NET_MS, waitFor as until } from './safety-net.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Polls `probe` (a condition on recorded state, never a fixed wait) until it holds: the helpers' one polling wait. */
export { until };

export class ReplicaProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    cwd: string,
    env: NodeJS.ProcessEnv,
    readonly ports: { readonly slack: number; readonly discord: number },
  ) {
    this.child = spawn(process.execPath, nodeArgsFor('src/main.ts'), {
      cwd,
      env: { PATH: process.env['PATH'], HOME: cwd, NO_COLOR: '1', ...env, SLACK_PORT: String(ports.slack), DISCORD_PORT: String(ports.discord) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  get slackUrl(): string {
    return `http://127.0.0.1:${this.ports.slack}/slack/events`;
  }

  get discordUrl(): string {
    return `http://127.0.0.1:${this.ports.discord}/discord/interactions`;
  }

  /** Resolves once the replica says it is running (store migrated, adapters listening). */
  running(timeoutMs = SAFETY_NET_MS): Promise<true> {
    return until(
      () => {
        if (this.child.exitCode !== null) throw new Error(`${this.name} exited at start:\n${this.stdout}\n${this.stderr}`);
        return this.stdout.includes('coc-chatops is running');
      },
      `${this.name} to start`,
      timeoutMs,
    );
  }

  /** How many log lines (JSON, stderr) contain `text`. */
  logged(text: string): number {
    return this.stderr.split('\n').filter((line) => line.includes(text)).length;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}
