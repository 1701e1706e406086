/**
 * What the answer benches (bench/slack-answer.ts, bench/discord-answer.ts) share to drive a side
 * — the bot, the bare baseline or COC — in a child process of its own: it says it is ready with
 * its URL, answers 'stats' (or 'reset-peak') with its figures, and leaves on 'exit'.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** What every side process says; each bench's side adds its own figures to 'stats'. */
export type AnswerSideMessage = { readonly kind: 'ready'; readonly url: string; readonly orderUuid: string } | { readonly kind: 'stats' };

export interface AnswerSide<Stats> {
  readonly url: string;
  readonly orderUuid: string;
  stats(resetPeak?: boolean): Promise<Stats>;
  close(): Promise<void>;
}

/**
 * Node's own flags for the bot's side, as `npm start` and the image's CMD run the bot (package.json,
 * Dockerfile): its peak RSS under overload is then the shipped process's. With V8's young
 * generation at its default size the Slack bot peaked at 254 and 292 MB at 800 /coc order/s, with
 * the semi-spaces capped at 2 MB at 194 and 226 MB (alternating runs on PostgreSQL, load average
 * ~20). The baselines run with Node's defaults.
 */
export const BOT_NODE_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=512'];

/**
 * Forks `script` (a bundled `.mjs` run as it is, else TypeScript run through tsx) as the side
 * `side` with `env`, and waits until it is ready; the bot's side with the bot's Node flags first
 * (`execArgv` may add to them).
 */
export async function startAnswerSide<M extends AnswerSideMessage>(
  script: string,
  side: string,
  execArgv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<AnswerSide<Extract<M, { kind: 'stats' }>>> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--expose-gc', ...(script.endsWith('.mjs') ? [] : ['--import', 'tsx']), ...(side === 'bot' ? BOT_NODE_FLAGS : []), ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  const next = () =>
    new Promise<M>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the ${side} process exited (${code})`));
      child.once('exit', exited);
      child.once('message', (message: M) => {
        child.off('exit', exited);
        resolve(message);
      });
    });
  const ready: AnswerSideMessage = await next();
  if (ready.kind !== 'ready') throw new Error(`the ${side} process did not start`);
  return {
    url: ready.url,
    orderUuid: ready.orderUuid,
    stats: async (resetPeak = false) => {
      const answer = next();
      child.send(resetPeak ? 'reset-peak' : 'stats');
      const message = await answer;
      if (message.kind !== 'stats') throw new Error('unexpected message');
      return message as Extract<M, { kind: 'stats' }>;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('exit');
      }),
  };
}
