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

/** Forks `script` (run through tsx) as the side `side` with `env`, and waits until it is ready. */
export async function startAnswerSide<M extends AnswerSideMessage>(
  script: string,
  side: string,
  execArgv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<AnswerSide<Extract<M, { kind: 'stats' }>>> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--expose-gc', '--import', 'tsx', ...execArgv],
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
