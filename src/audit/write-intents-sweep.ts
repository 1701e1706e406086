/**
 * Settling dangling write intents, a round of the background sweep (run once at start-up — a
 * restart finds what the previous process left mid-call — and then every interval). What it
 * settles is handed to `onSettled` (reconciliation against COC), after the rows say 'unknown'.
 */
import type { Logger } from '../ops/log.js';
import type { Db } from '../store/db.js';
import { settleDanglingWriteIntents, type SettledWriteIntent, type SettleOptions } from './write-intents.js';

export interface WriteIntentSweepOptions {
  readonly db: Db;
  readonly settle: SettleOptions;
  readonly log?: Logger;
  /** Told about each round's settled intents (e.g. to reconcile them against COC). */
  readonly onSettled?: (settled: readonly SettledWriteIntent[]) => Promise<void>;
}

/** One round: every dangling intent, in batches, until none is left. */
export async function sweepWriteIntents(options: WriteIntentSweepOptions): Promise<SettledWriteIntent[]> {
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
