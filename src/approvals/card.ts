/**
 * The request card: the run's approval card (src/run/messages.ts), plus who may approve it (the
 * request's own rule and reviewers, see approvers.ts) and — for a request decided through ITSM —
 * its ticket and where it may be decided.
 */
import { nativeOf, platformName, type Vocabulary } from '../backends/index.js';
import type { Button, Message } from '../core/message.js';
import type { Locale, Translate } from '../i18n/translate.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { RunPlanRow } from '../store/run-plans.js';
import { APPROVAL_ACTIONS, approvalMessage, riskWord } from '../run/messages.js';
import { approverRuleOf, APPROVERS_TEXT, REVIEWER_ACTIONS, whoMayApprove, type ReviewerLink } from './approvers.js';
import { ITSM_TEXT } from './itsm-texts.js';

/** The ticket as people see it: its number, and its link when ITSM gave one. */
export function ticketShown(approval: Pick<ApprovalRow, 'externalRef' | 'externalUrl'>): string | undefined {
  if (!approval.externalRef) return undefined;
  const number = nativeOf(approval.externalRef);
  return approval.externalUrl ? `${number} (${approval.externalUrl})` : number;
}

/** Under the reviewers rule the buttons are the reviewers' (open to operators; each click checks the rule). */
function reviewerButton(button: Button): Button {
  if (button.actionId === APPROVAL_ACTIONS.approve) return { ...button, actionId: REVIEWER_ACTIONS.approve };
  if (button.actionId === APPROVAL_ACTIONS.reject) return { ...button, actionId: REVIEWER_ACTIONS.reject };
  return button;
}

/**
 * The card of a request. `links` (each reviewer's linked chat users, read by the caller) name
 * who each reviewer is in chat, and an unlinked one with how to link them; without them the
 * reviewers are named alone.
 */
export function approvalCard(approval: ApprovalRow, plan: RunPlanRow, t: Translate, locale: Locale, vocabulary: Vocabulary, links?: readonly ReviewerLink[]): Message {
  const base = approvalMessage(approval, plan, t, locale, vocabulary);
  const rule = approverRuleOf(approval);
  const open = approval.state === 'requested';
  const who = { label: t(APPROVERS_TEXT.field), value: whoMayApprove(t, rule, approval.requesterIamUser, t(platformName(plan.backend)), open ? links : undefined) };
  // After "Requested by": who asked, then who may answer.
  const withWho = [...(base.fields ?? []).slice(0, 2), who, ...(base.fields ?? []).slice(2)];
  // An open card says who decides in its first words too (the run's text names the approver role).
  const reviewersText =
    open && rule.rule !== 'role'
      ? { text: t(rule.rule === 'reviewers' ? APPROVERS_TEXT.openReviewers : APPROVERS_TEXT.openBoth, { requester: approval.requesterIamUser, risk: riskWord(plan.riskLevel, locale, vocabulary), platform: t(platformName(plan.backend)) }) }
      : {};
  const card: Message = { ...base, ...reviewersText, fields: withWho, ...(rule.rule === 'reviewers' && base.buttons ? { buttons: base.buttons.map(reviewerButton) } : {}) };
  const ticket = ticketShown(approval);
  if (approval.via !== 'itsm' || ticket === undefined) return card;
  const [status, ...rest] = card.fields ?? [];
  const fields = [...(status ? [status] : []), { label: t(ITSM_TEXT.ticket), value: ticket }, ...rest];
  return { ...card, fields, ...(open ? { text: [card.text, t(ITSM_TEXT.decidedThere)].filter(Boolean).join('\n') } : {}) };
}
