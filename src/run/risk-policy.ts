/**
 * What a plan's Run button leads to, by the script's risk level: `run` (it starts), `confirm`
 * (asked once more, server-side, before it starts) or `approval` (another person with the
 * approver role must approve). The configured policy may only be stricter than the default;
 * a risk level COC does not document (or none) is treated as HIGH.
 */

export const RUN_STEPS = ['run', 'confirm', 'approval'] as const;
export type RunStep = (typeof RUN_STEPS)[number];

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The weakest each level may be configured to. */
export const DEFAULT_RISK_POLICY: Readonly<Record<RiskLevel, RunStep>> = { LOW: 'run', MEDIUM: 'confirm', HIGH: 'approval' };

export type RiskPolicy = Readonly<Record<RiskLevel, RunStep>>;

export function stepRank(step: RunStep): number {
  return RUN_STEPS.indexOf(step);
}

/** The stricter of two steps. */
export function stricterStep(a: RunStep, b: RunStep): RunStep {
  return stepRank(a) >= stepRank(b) ? a : b;
}

function isRiskLevel(level: string): level is RiskLevel {
  return (RISK_LEVELS as readonly string[]).includes(level);
}

/** The step for a script of this risk level; never weaker than the default whatever the policy says. */
export function stepFor(policy: RiskPolicy, riskLevel: string): RunStep {
  if (!isRiskLevel(riskLevel)) return 'approval';
  return stricterStep(policy[riskLevel], DEFAULT_RISK_POLICY[riskLevel]);
}
