/**
 * Launching a plan whoever asked for it (the requester's Run, or an approver's Approve): claim
 * it (of any number of clicks, one wins), make its real parameter values ready (the sealed ones
 * unsealed) and reach the platform with the requester's rights — or fail the plan with the
 * reason when that cannot be done, nothing sent — then start it (start.ts).
 */
import type { Backend } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { say, type Phrase } from '../i18n/phrase.js';
import { translator } from '../i18n/translate.js';
import { moveRunPlan, type RunPlanRow, type RunPlanState } from '../store/run-plans.js';
import { notReadyReason } from './failure-reasons.js';
import { planDetails } from './plan-details.js';
import { startPlan, type StartOutcome } from './start.js';

export type LaunchOutcome =
  /** Another click (or replica) claimed the plan first: nothing was done here. */
  | { readonly kind: 'not-claimed' }
  /** Claimed, but its values or the requester's rights could not be made ready: failed, nothing sent. */
  | { readonly kind: 'not-ready'; readonly reason: Phrase }
  | { readonly kind: 'launched'; readonly plan: RunPlanRow; readonly outcome: StartOutcome };

/**
 * Claims `plan` out of `from` and starts it. `backendOf` gives the platform as the requester
 * (called once the plan is claimed: a credential gone since the preview fails the plan).
 */
export async function launchPlan(services: Services, plan: RunPlanRow, from: readonly RunPlanState[], backendOf: (plan: RunPlanRow) => Backend): Promise<LaunchOutcome> {
  const starting = await moveRunPlan(services.db, plan.id, from, 'starting');
  if (!starting) return { kind: 'not-claimed' };
  let values: Record<string, string>;
  let backend: Backend;
  try {
    values = { ...planDetails(starting).plainParams, ...(starting.sealedParams ? services.sealer.unseal(starting.sealedParams) : {}) };
    backend = backendOf(starting);
  } catch (error) {
    // Nothing was sent: the plan fails with the reason (in the requester's words) rather than staying 'starting'.
    const reason = notReadyReason(error);
    await moveRunPlan(services.db, plan.id, ['starting'], 'failed', { error: say(reason, translator(plan.requesterLocale)) });
    return { kind: 'not-ready', reason };
  }
  return { kind: 'launched', plan: starting, outcome: await startPlan(services, backend, starting, values) };
}

/** The platform as the plan's requester: their own credential when they have one. */
export function requesterBackend(services: Services): (plan: RunPlanRow) => Backend {
  return (plan) => services.backendFor({ credentialRef: plan.credentialRef ?? undefined, iamUserName: plan.requesterIamUser });
}
