/**
 * One deadline per command. The dispatcher starts one around each command's handler
 * (`withCommandDeadline`) and hands it to the command's backend with the rest of its call scope
 * (`Backend.within`); the platform clients read `commandTimeLeft` so that a READ's tries and
 * retries fit in the time the command has left, and a read started after it fails at once. A
 * person therefore gets one clear answer at the command's deadline, however many reads the
 * command makes one after another.
 *
 * Writes never read it: cutting a write short would only turn its answer into "unknown"; and once
 * a command sends one, its deadline is lifted (`liftCommandDeadline`). Work that outlives its
 * command (an approval executing after a click, what a command left running) is not bounded
 * either: the deadline ends with the command's reply (`ended`). Background loops (the trackers)
 * use the bot's backend, outside any scope, and have no deadline.
 */
import type { CallScope } from '../backends/observe.js';

/** A command's deadline when the configuration names none. */
export const DEFAULT_COMMAND_DEADLINE_MS = 30_000;

export interface CommandDeadline {
  /** Epoch ms (on the clock of whoever reads it: Date.now unless a test injects one). */
  readonly expiresAt: number;
  /** The whole budget, as told to the person ("did not answer within 30 s"). */
  readonly budgetMs: number;
  /** The command has replied, or sent a write: whatever it still reads is not bounded. */
  ended: boolean;
}

/** What a client needs to bound one read. */
export interface CommandTimeLeft {
  /** Milliseconds until the deadline; 0 or less: it has passed. */
  readonly leftMs: number;
  readonly budgetMs: number;
}

/** Runs `handler` with a deadline of `budgetMs` from `now`; the deadline ends when it settles. */
export async function withCommandDeadline<T>(budgetMs: number, handler: (deadline: CommandDeadline) => Promise<T>, now: number = Date.now()): Promise<T> {
  const deadline: CommandDeadline = { expiresAt: now + budgetMs, budgetMs, ended: false };
  try {
    return await handler(deadline);
  } finally {
    deadline.ended = true;
  }
}

/**
 * A write is being sent in `scope`: the command's later reads follow its outcome (reading the
 * order it started, reconciling an unknown answer) and are not cut short, since "nothing was
 * changed" would then be false.
 */
export function liftCommandDeadline(scope: CallScope | undefined): void {
  if (scope?.deadline) scope.deadline.ended = true;
}

/** The time left at `now` to the command whose scope `scope` is; undefined outside a command (or after it replied). */
export function commandTimeLeft(scope: CallScope | undefined, now: number): CommandTimeLeft | undefined {
  const deadline = scope?.deadline;
  if (!deadline || deadline.ended) return undefined;
  return { leftMs: deadline.expiresAt - now, budgetMs: deadline.budgetMs };
}
