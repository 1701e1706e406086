/**
 * One deadline per command. The dispatcher runs each command's handler inside
 * `withCommandDeadline`; the platform clients read `commandTimeLeft` so that a READ's tries and
 * retries fit in the time the command has left, and a read started after it fails at once. A
 * person therefore gets one clear answer at the command's deadline, however many reads the
 * command makes one after another.
 *
 * Writes never read it: cutting a write short would only turn its answer into "unknown"; and once
 * a command sends one, its deadline is lifted (`liftCommandDeadline`). Work
 * that outlives its command (a tracker round it started, an approval executing after a click) is
 * not bounded either: the deadline ends with the command's reply (`ended`), and background loops
 * can leave it explicitly with `outsideCommandDeadline`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** A command's deadline when the configuration names none. */
export const DEFAULT_COMMAND_DEADLINE_MS = 30_000;

interface CommandDeadline {
  /** Epoch ms (on the clock of whoever reads it: Date.now unless a test injects one). */
  readonly expiresAt: number;
  /** The whole budget, as told to the person ("did not answer within 30 s"). */
  readonly budgetMs: number;
  /** The command has replied: whatever it left running is background work. */
  ended: boolean;
}

/** What a client needs to bound one read. */
export interface CommandTimeLeft {
  /** Milliseconds until the deadline; 0 or less: it has passed. */
  readonly leftMs: number;
  readonly budgetMs: number;
}

const storage = new AsyncLocalStorage<CommandDeadline>();

/** Runs `handler` with a deadline of `budgetMs` from `now`; the deadline ends when it settles. */
export async function withCommandDeadline<T>(budgetMs: number, handler: () => Promise<T>, now: number = Date.now()): Promise<T> {
  const deadline: CommandDeadline = { expiresAt: now + budgetMs, budgetMs, ended: false };
  try {
    return await storage.run(deadline, handler);
  } finally {
    deadline.ended = true;
  }
}

/** Runs `work` outside any command's deadline (background loops started from a command). */
export function outsideCommandDeadline<T>(work: () => T): T {
  return storage.exit(work);
}

/**
 * A write is being sent: the command's later reads follow its outcome (reading the order it
 * started, reconciling an unknown answer) and are not cut short, since "nothing was changed"
 * would then be false.
 */
export function liftCommandDeadline(): void {
  const deadline = storage.getStore();
  if (deadline) deadline.ended = true;
}

/** The running command's time left at `now`; undefined outside a command (or after it replied). */
export function commandTimeLeft(now: number): CommandTimeLeft | undefined {
  const deadline = storage.getStore();
  if (!deadline || deadline.ended) return undefined;
  return { leftMs: deadline.expiresAt - now, budgetMs: deadline.budgetMs };
}
