/**
 * What a stored plan holds besides its columns (the `plan` jsonb): the batches with their
 * hosts, the execute options, the parameter names that are sensitive and the values shown for
 * display (sensitive ones masked), the hosts that were left out and why. One zod schema reads
 * it back, so a plan written by an older version is checked, not trusted.
 */
import { z } from 'zod';
import type { ExecutionRequest, HostId } from '../backends/index.js';
import type { RunPlanRow } from '../store/run-plans.js';
import { RUN_STEPS } from './risk-policy.js';

/** A host as the plan sends it: the backend's id, its region, its name (a HostTarget). */
const hostId = z.string().transform((id) => id as HostId);
// COC hosts carry their region; a platform without regions (BlueKing) stores none.
const host = z.object({ id: hostId, region: z.string().optional(), name: z.string() });

export const planDetailsSchema = z.object({
  batches: z.array(z.object({ index: z.number().int(), rotation: z.enum(['CONTINUE', 'PAUSE']), hosts: z.array(host) })),
  options: z.object({ timeout: z.number().int(), successRate: z.number(), executeUser: z.string() }),
  sensitive: z.array(z.string()),
  shownParams: z.record(z.string(), z.string()),
  /** Non-sensitive values in clear (they are shown anyway); sensitive ones are in `sealed_params`. */
  plainParams: z.record(z.string(), z.string()),
  /** Host id and region: so the preview can say which of two same-named hosts was left out (absent in older plans, and for a host without one). */
  excluded: z.array(z.object({ name: z.string(), reason: z.string(), id: hostId.optional(), region: z.string().optional() })),
  canary: z.boolean(),
  selection: z.string(),
  /** What Run leads to under the policy at preview time (plans from before it was stored: derived from the risk). */
  step: z.enum(RUN_STEPS).optional(),
});
export type PlanDetails = z.infer<typeof planDetailsSchema>;

export function planDetails(plan: Pick<RunPlanRow, 'plan'>): PlanDetails {
  return planDetailsSchema.parse(plan.plan);
}

export function hostCount(details: PlanDetails): number {
  return details.batches.reduce((sum, batch) => sum + batch.hosts.length, 0);
}

/**
 * What a stored plan starts: its batches and options with `values` (the real parameter values;
 * none when only the hosts matter, as when looking for the run after a lost answer).
 */
export function executionRequestOf(plan: Pick<RunPlanRow, 'plan' | 'scriptId'> & { readonly id?: string }, values: Readonly<Record<string, string>>): ExecutionRequest {
  const details = planDetails(plan);
  return {
    // Bot-batched runs are named after their plan (and reconciled from it).
    ...(plan.id !== undefined ? { planId: plan.id } : {}),
    script: { id: plan.scriptId },
    batches: details.batches.map((batch) => ({ index: batch.index, rotation: batch.rotation, hosts: batch.hosts.map((h) => ({ id: h.id, name: h.name, ...(h.region !== undefined ? { region: h.region } : {}) })) })),
    timeoutSeconds: details.options.timeout,
    successRate: details.options.successRate,
    runAs: details.options.executeUser,
    params: values,
    sensitive: details.sensitive,
  };
}
