/**
 * Reconciling a run whose outcome is unknown against COC itself: its order is searched in COC's
 * order list (see find-order.ts). Found → adopted exactly as if the answer had arrived. Not
 * found → it is proven absent only by two reads a settle period apart, both after the request
 * could have ended (its own timeout); until then it stays unknown. A read that fails changes
 * nothing. Nothing here ever sends the execute again.
 */
import type { Services } from '../core/command.js';
import { phrase } from '../i18n/phrase.js';
import { utcTime } from '../i18n/format.js';
import { columnsOf, parseRows } from '../store/rows.js';
import { noteRunPlanAbsent, runPlanRowSchema, type RunPlanRow } from '../store/run-plans.js';
import { FAILURE_TEXTS } from './failure-reasons.js';
import { findOrderOfPlan } from './find-order.js';
import { adoptOrder, failPlan } from './settle.js';

/** Between the two reads that prove an order absent: longer than COC takes to list a new order. */
export const ABSENCE_SETTLE_MS = 30_000;

export type Reconciled =
  | { readonly kind: 'started'; readonly executeUuid: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown' };

export interface ReconcileOptions {
  /** The requester is waiting for the reply of the click that sent the request (no separate note). */
  readonly requesterIsWaiting?: boolean;
}

/** One look in COC for an 'unknown' plan's order; settles the plan when the look is conclusive. */
export async function reconcilePlan(services: Services, plan: RunPlanRow, options: ReconcileOptions = {}): Promise<Reconciled> {
  if (plan.state !== 'unknown') return { kind: 'unknown' };
  const sentAt = plan.executeSentAt ?? plan.updatedAt;
  let found;
  try {
    // Read with the requester's rights when they have their own credential: COC lists their orders.
    const coc = readerFor(services, plan);
    found = await findOrderOfPlan(coc, services.db, plan, sentAt, services.config.coc.timeoutMs);
  } catch (error) {
    services.log.warn({ err: error, plan: plan.id }, 'could not read COC to reconcile a run whose outcome is unknown');
    return { kind: 'unknown' };
  }
  if (found.kind === 'found') {
    const adopted = await adoptOrder(services, plan, found.executeUuid, 'reconciliation', options);
    return adopted ? { kind: 'started', executeUuid: found.executeUuid } : { kind: 'unknown' };
  }
  if (found.kind !== 'absent') return { kind: 'unknown' };
  // Before the request's own time limit has passed, COC may still be creating the order.
  const check = await noteRunPlanAbsent(services.db, plan.id, services.config.coc.timeoutMs + ABSENCE_SETTLE_MS, ABSENCE_SETTLE_MS);
  if (check.kind !== 'noted' || !check.proven) return { kind: 'unknown' };
  const reason = phrase(FAILURE_TEXTS.provenAbsent, { first: utcTime(check.since.getTime()), second: utcTime(check.at.getTime()), script: plan.scriptName });
  const failed = await failPlan(services, plan, ['unknown'], reason, true);
  return failed ? { kind: 'absent' } : { kind: 'unknown' };
}

function readerFor(services: Services, plan: RunPlanRow) {
  try {
    return services.cocFor({ credentialRef: plan.credentialRef ?? undefined, iamUserName: plan.requesterIamUser });
  } catch {
    // The requester's credential is gone from the bot's environment: the bot's own rights read the list.
    return services.coc;
  }
}

/** Looks for the orders of one person's unknown runs now (before their own list is shown). */
export async function reconcileRunsOf(services: Services, iamUserName: string): Promise<void> {
  const { rows } = await services.db.query(
    `SELECT ${columnsOf(runPlanRowSchema)} FROM run_plans
      WHERE state = 'unknown' AND lower(requester_iam_user) = lower($1) AND updated_at > now() - interval '1 day'
      ORDER BY updated_at LIMIT 20`,
    [iamUserName],
  );
  for (const plan of parseRows(runPlanRowSchema, 'run_plans', rows)) await reconcilePlan(services, plan, { requesterIsWaiting: true });
}
