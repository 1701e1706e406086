import { z } from 'zod';
import { nonEmpty, wholeNumber } from '../fields.js';
import { reportRule } from '../rules.js';
import { DEFAULT_RISK_POLICY, RUN_STEPS, stepRank, type RiskLevel } from '../../run/risk-policy.js';

/** One risk level's step: any of the three, but never weaker than the default for that level. */
function stepAtLeast(level: RiskLevel, env: string) {
  const floor = DEFAULT_RISK_POLICY[level];
  const allowed = RUN_STEPS.filter((step) => stepRank(step) >= stepRank(floor));
  return z
    .enum(RUN_STEPS, { error: `must be one of ${RUN_STEPS.join(', ')}` })
    .refine((step) => stepRank(step) >= stepRank(floor), {
      error: `must be ${allowed.join(' or ')}: a ${level} script may be held back more than by default (${floor}), never less`,
    })
    .default(floor)
    .meta({ description: `What Run does for a ${level}-risk script: ${allowed.join(' or ')} (default ${floor}).`, env });
}

/** Who holds an approval: the bot alone (its chat card), or BlueKing ITSM beside the chat card. */
export const APPROVAL_HOLDERS = ['bot', 'itsm'] as const;
export type ApprovalHolder = (typeof APPROVAL_HOLDERS)[number];

/**
 * Who may approve a HIGH-risk run: anyone with the approver role (role), only the script's own
 * reviewers as the platform names them, linked to chat users (reviewers), or a reviewer who also
 * has the approver role (both). The requester never approves their own request.
 */
export const APPROVER_RULES = ['role', 'reviewers', 'both'] as const;
export type ApproverRule = (typeof APPROVER_RULES)[number];

export const approvalsSchema = z
  .strictObject({
    approvers: z
      .enum(APPROVER_RULES, { error: `must be one of ${APPROVER_RULES.join(', ')}` })
      .default('role')
      .meta({
        description:
          "Who may approve: role (anyone with the approver role), reviewers (only the script's reviewers in COC, linked to chat users; any role but viewer) or both (a reviewer with the approver role). The requester never approves their own request.",
        env: 'COC_APPROVAL_APPROVERS',
      }),
    via: z
      .enum(APPROVAL_HOLDERS, { error: `must be one of ${APPROVAL_HOLDERS.join(', ')}` })
      .default('bot')
      .meta({
        description:
          'Where approvals are held: bot (the chat card alone) or itsm (also a BlueKing ITSM ticket, whose processors may decide in ITSM too; backend blueking only).',
        env: 'COC_APPROVAL_VIA',
      }),
    channel: z
      .strictObject({
        slack: nonEmpty()
          .optional()
          .meta({ description: 'Slack channel id for approval requests.', env: 'SLACK_APPROVAL_CHANNEL' }),
        discord: nonEmpty()
          .optional()
          .meta({ description: 'Discord channel id for approval requests.', env: 'DISCORD_APPROVAL_CHANNEL' }),
      })
      .prefault({})
      .meta({ description: 'Where approval requests are posted. Unset = in the channel where the script was requested.' }),
    directMessageFallback: z
      .boolean({ error: 'must be true or false' })
      .default(true)
      .meta({
        description:
          'When a request cannot be posted in its channel (the bot is not there, no permission), send it to each approver by direct message instead, so it never waits on nobody.',
        env: 'COC_APPROVAL_DM_FALLBACK',
      }),
    expiryMinutes: wholeNumber(1, 1440)
      .default(30)
      .meta({ description: 'Minutes an approval request stays open before it expires.', env: 'COC_APPROVAL_EXPIRY_MINUTES' }),
    riskPolicy: z
      .strictObject({
        LOW: stepAtLeast('LOW', 'COC_RISK_POLICY_LOW'),
        MEDIUM: stepAtLeast('MEDIUM', 'COC_RISK_POLICY_MEDIUM'),
        HIGH: stepAtLeast('HIGH', 'COC_RISK_POLICY_HIGH'),
      })
      .prefault({})
      .meta({
        description:
          'What Run does per script risk level: run (starts), confirm (asks once more) or approval (a second person approves). Only stricter than the default (LOW run, MEDIUM confirm, HIGH approval).',
      }),
  })
  .prefault({})
  .meta({ description: 'Second-person approval of HIGH-risk scripts.' });

export type ApprovalsConfig = z.infer<typeof approvalsSchema>;

/**
 * Rules across the backend and the approver rule: a rule that names the scripts' reviewers
 * cannot work where nobody names them — BlueKing's scripts have no reviewers, and an ITSM
 * ticket is decided by its own processors — so every HIGH-risk request would be refused.
 */
export function reportApproverRules(config: { backend: string; approvals: { approvers: string; via: string } }, ctx: z.RefinementCtx): void {
  const { approvers, via } = config.approvals;
  if (approvers === 'role') return;
  const why = [
    ...(config.backend === 'blueking' ? ["BlueKing's scripts name no reviewers"] : []),
    ...(via === 'itsm' ? ["with approvals.via itsm the ticket's processors in ITSM decide, not the script's reviewers"] : []),
  ];
  if (why.length === 0) return;
  reportRule(ctx, ['approvals', 'approvers'], `${approvers} cannot work here: ${why.join(', and ')}; every HIGH-risk request would be refused`, {
    set: ['approvals', 'approvers'],
    to: 'role',
    ...(config.backend === 'blueking' ? {} : { orElse: 'set approvals.via to bot' }),
  });
}
