/**
 * What the tracker remembers of one execution between rounds (memory only; rebuilt after a
 * restart), and one round's read of it: the execution alone every round, its steps only when it
 * moved (its status, its last update or its end changed), or when a click asked for a fresh read.
 */
import { isBackendError, type RunbookExecution, type RunbookExecutionId, type RunbooksCapability } from '../backends/index.js';
import { GONE_AFTER_MS, GONE_AFTER_NOT_FOUND } from '../orders/tracker-observe.js';
import type { ExecutionCardState } from './execution-live-card.js';

/** What the execution's head says of its progress: equal keys mean nothing moved. */
function headKey(execution: RunbookExecution): string {
  return `${execution.statusCode}|${execution.updatedAt ?? ''}|${execution.endedAt ?? ''}`;
}

export class ExecutionWatch implements ExecutionCardState {
  execution: RunbookExecution | undefined;
  #headKey: string | undefined;
  /** Answers of "no such execution" in a row: how many, since when (epoch ms). */
  #notFound: { rounds: number; readonly since: number } | undefined;
  /** The platform no longer knows the execution (it said so GONE_AFTER_NOT_FOUND rounds in a row, over GONE_AFTER_MS). */
  gone = false;
  /** Reads that failed in a row, and since when (the card says so after a few). */
  failures = 0;
  failingSince: Date | undefined;
  /** A click: the last one seen in the store (epoch ms), and one in this process (read the steps at the next round). */
  nudgeSeen: number | undefined;
  forceRead = false;

  constructor(readonly id: RunbookExecutionId) {}

  /** The execution has finished or was terminated (or vanished): its cards get their last edit. */
  get ended(): boolean {
    return this.gone || this.execution?.state === 'finished' || this.execution?.state === 'canceled';
  }

  /** An execution read elsewhere (with its steps) just now. */
  adopt(execution: RunbookExecution): void {
    this.execution = execution;
    this.#headKey = headKey(execution);
  }

  /**
   * One round's read. A platform failure is counted (and shown on the card after a few), never
   * thrown; anything else is.
   */
  async observe(runbooks: RunbooksCapability, options: { readonly fullRead: boolean; readonly now: Date }): Promise<void> {
    try {
      await this.#read(runbooks, options);
      this.failures = 0;
      this.failingSince = undefined;
    } catch (error) {
      if (!isBackendError(error)) throw error;
      this.failures++;
      this.failingSince ??= options.now;
    }
  }

  async #read(runbooks: RunbooksCapability, options: { readonly fullRead: boolean; readonly now: Date }): Promise<void> {
    const head = await runbooks.executionHead(this.id);
    if (!head) {
      const notFound = (this.#notFound ??= { rounds: 0, since: options.now.getTime() });
      notFound.rounds++;
      // One stray 404 (a lagging replica of the platform) does not end a card for good.
      this.gone = notFound.rounds >= GONE_AFTER_NOT_FOUND && options.now.getTime() - notFound.since >= GONE_AFTER_MS;
      return;
    }
    this.#notFound = undefined;
    const key = headKey(head);
    if (!options.fullRead && this.execution && key === this.#headKey) return;
    const steps = await runbooks.executionSteps(this.id);
    this.execution = { ...head, steps };
    this.#headKey = key;
  }
}
