/**
 * How the rest of the bot asks for a live runbook execution card: "show this execution in that
 * channel and keep the card up to date until it ends". The tracker behind it keeps the request
 * in the database (tracked_executions, tracked_execution_cards), so a restart resumes every card.
 */
import type { Backend, RunbookExecution, RunbookExecutionId } from '../backends/index.js';
import type { ChatTarget } from '../core/chat-surface.js';
import type { Actor } from '../core/invocation.js';
import type { Logger } from '../ops/log.js';
import type { Locale } from '../i18n/translate.js';
import type { TrackOutcome } from '../orders/tracking.js';

export type { TrackOutcome } from '../orders/tracking.js';

export interface ExecutionCardRequest {
  readonly execution: RunbookExecutionId;
  /** Where the card goes. */
  readonly target: ChatTarget;
  /** The language the card is written in (the requester's). */
  readonly locale: Locale;
  /** Who asked for the card: told privately if the platform will not take it. */
  readonly startedBy?: Actor;
  /** The execution with its steps, as the caller has just read it: the first card shows it without reading it again. */
  readonly known?: RunbookExecution;
  /**
   * The requester reads what this call returns: a card the platform refuses for good is said there
   * (`undelivered`) instead of in a separate private note.
   */
  readonly requesterIsWaiting?: boolean;
  /**
   * The bot's backend as the asking invocation holds it (its `services.backend`): the card's first
   * read is then that invocation's call — in its audit row, within its deadline. Only the first:
   * the rounds after it are the tracker's own, on the bot's backend. Ignored unless it is a view
   * of the tracker's own backend (never other rights).
   */
  readonly readsIn?: Backend;
}

export interface ExecutionTracking {
  /**
   * Posts the first card and starts tracking (a place that already has a card for the execution
   * keeps it). Never calls a mutating platform endpoint.
   */
  track(request: ExecutionCardRequest): Promise<TrackOutcome>;
  /** Re-reads the execution soon instead of at the next round (after a click on its card). */
  nudge(execution: RunbookExecutionId): void;
}

/**
 * The one call for anything that has just started an execution (a Run click, an approved
 * execution): its live card in `request.target`. Never throws: the execution runs whether or not
 * its card could be asked for, so a failure is logged and `undefined` returned.
 */
export async function trackExecutionCard(
  services: { readonly executions: ExecutionTracking; readonly log: Logger; readonly backend?: Backend },
  request: ExecutionCardRequest,
): Promise<TrackOutcome | undefined> {
  try {
    return await services.executions.track(services.backend && !request.readsIn ? { ...request, readsIn: services.backend } : request);
  } catch (error) {
    services.log.error({ err: error, execution: request.execution }, 'could not start the live card of a runbook execution');
    return undefined;
  }
}
