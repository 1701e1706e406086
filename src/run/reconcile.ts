/**
 * Reconciling a run whose outcome is unknown against the platform itself: its run is searched
 * in the platform's own list (the backend's `runs.find`). Found → adopted exactly as if the
 * answer had arrived. Not found → it is proven absent only by two reads a settle period apart,
 * both after the request could have ended (its own timeout); until then it stays unknown. A
 * read that fails changes nothing. Nothing here ever sends the start again.
 */
import type { Backend, RunId } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { backendTimeoutMs } from '../config.js';
import { phrase } from '../i18n/phrase.js';
import { utcTime } from '../i18n/format.js';
import { isOrderOfAnotherPlan, listUnknownPlansOf, noteRunPlanAbsent, type RunPlanRow } from '../store/run-plans.js';
import { FAILURE_TEXTS } from './failure-reasons.js';
import { executionRequestOf } from './plan-details.js';
import { adoptOrder, failPlan } from './settle.js';

/** Between the two reads that prove a run absent: longer than the platform takes to list a new one. */
export const ABSENCE_SETTLE_MS = 30_000;

export type Reconciled =
  | { readonly kind: 'started'; readonly run: RunId }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown' };

export interface ReconcileOptions {
  /** The requester is waiting for the reply of the click that sent the request (no separate note). */
  readonly requesterIsWaiting?: boolean;
}

/** One look on the platform for an 'unknown' plan's run; settles the plan when the look is conclusive. */
export async function reconcilePlan(services: Services, plan: RunPlanRow, options: ReconcileOptions = {}): Promise<Reconciled> {
  if (plan.state !== 'unknown') return { kind: 'unknown' };
  const sentAt = plan.executeSentAt ?? plan.updatedAt;
  let found;
  try {
    // Read with the requester's rights when they have their own credential: the platform lists their runs.
    const find = readerFor(services, plan).runs?.find;
    if (!find) return { kind: 'unknown' };
    found = await find({
      sentAt,
      request: executionRequestOf(plan, {}),
      windowMs: backendTimeoutMs(services.config),
      takenByOther: (id) => isOrderOfAnotherPlan(services.db, id, plan.id),
    });
  } catch (error) {
    services.log.warn({ err: error, plan: plan.id }, 'could not read COC to reconcile a run whose outcome is unknown');
    return { kind: 'unknown' };
  }
  if (found.kind === 'found') {
    const adopted = await adoptOrder(services, plan, found.id, 'reconciliation', options);
    return adopted ? { kind: 'started', run: found.id } : { kind: 'unknown' };
  }
  if (found.kind !== 'absent') return { kind: 'unknown' };
  // Before the request's own time limit has passed, the platform may still be creating the run.
  const check = await noteRunPlanAbsent(services.db, plan.id, backendTimeoutMs(services.config) + ABSENCE_SETTLE_MS, ABSENCE_SETTLE_MS);
  if (check.kind !== 'noted' || !check.proven) return { kind: 'unknown' };
  const reason = phrase(FAILURE_TEXTS.provenAbsent, { first: utcTime(check.since.getTime()), second: utcTime(check.at.getTime()), script: plan.scriptName });
  const failed = await failPlan(services, plan, ['unknown'], reason, true);
  return failed ? { kind: 'absent' } : { kind: 'unknown' };
}

function readerFor(services: Services, plan: RunPlanRow): Backend {
  try {
    return services.backendFor({ credentialRef: plan.credentialRef ?? undefined, iamUserName: plan.requesterIamUser });
  } catch {
    // The requester's credential is gone from the bot's environment: the bot's own rights read the list.
    return services.backend;
  }
}

/** Looks for the runs of one person's unknown starts now (before their own list is shown). */
export async function reconcileRunsOf(services: Services, iamUserName: string): Promise<void> {
  for (const plan of await listUnknownPlansOf(services.db, iamUserName)) await reconcilePlan(services, plan, { requesterIsWaiting: true });
}
