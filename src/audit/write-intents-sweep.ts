/**
 * The background task that settles dangling write intents: once at start-up (a restart finds
 * what the previous process left mid-call) and then every round. What it settles is handed to
 * `onSettled` (reconciliation against COC), after the rows already say 'unknown'.
 */
import type { BackgroundTask } from '../app/background.js';
import type { Logger } from '../ops/log.js';
import type { Db } from '../store/db.js';
import { settleDanglingWriteIntents, type SettledWriteIntent, type SettleOptions } from './write-intents.js';

export interface WriteIntentSweepOptions {
  readonly db: Db;
  readonly settle: SettleOptions;
  readonly intervalMs: number;
  readonly log?: Logger;
  /** Told about each round's settled intents (e.g. to reconcile them against COC). */
  readonly onSettled?: (settled: readonly SettledWriteIntent[]) => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

/** One round: every dangling intent, in batches, until none is left. */
export async function sweepWriteIntents(options: Pick<WriteIntentSweepOptions, 'db' | 'settle' | 'log' | 'onSettled'>): Promise<SettledWriteIntent[]> {
  const all: SettledWriteIntent[] = [];
  for (;;) {
    const settled = await settleDanglingWriteIntents(options.db, options.settle);
    if (settled.length === 0) break;
    all.push(...settled);
    await options.onSettled?.(settled);
  }
  if (all.length > 0) {
    options.log?.warn({ count: all.length, commands: [...new Set(all.map((intent) => intent.command))] }, 'COC writes cut short by a stopped bot marked outcome unknown in the audit trail');
  }
  return all;
}

export function writeIntentSweepTask(options: WriteIntentSweepOptions): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const round = () => {
    if (running) return;
    running = sweepWriteIntents(options)
      .then(() => undefined, (error: unknown) => options.onError?.(error))
      .finally(() => {
        running = undefined;
      });
  };
  return {
    name: 'write-intents',
    start() {
      if (timer) return;
      round();
      timer = setInterval(round, options.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
