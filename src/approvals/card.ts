/**
 * The request card: the run's approval card (src/run/messages.ts), plus — for a request decided
 * through ITSM — its ticket and where it may be decided.
 */
import { nativeOf, type Vocabulary } from '../backends/index.js';
import type { Message } from '../core/message.js';
import type { Locale, Translate } from '../i18n/translate.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { RunPlanRow } from '../store/run-plans.js';
import { approvalMessage } from '../run/messages.js';
import { ITSM_TEXT } from './itsm-texts.js';

/** The ticket as people see it: its number, and its link when ITSM gave one. */
export function ticketShown(approval: Pick<ApprovalRow, 'externalRef' | 'externalUrl'>): string | undefined {
  if (!approval.externalRef) return undefined;
  const number = nativeOf(approval.externalRef);
  return approval.externalUrl ? `${number} (${approval.externalUrl})` : number;
}

export function approvalCard(approval: ApprovalRow, plan: RunPlanRow, t: Translate, locale: Locale, vocabulary: Vocabulary): Message {
  const card = approvalMessage(approval, plan, t, locale, vocabulary);
  const ticket = ticketShown(approval);
  if (approval.via !== 'itsm' || ticket === undefined) return card;
  const [status, ...rest] = card.fields ?? [];
  const fields = [...(status ? [status] : []), { label: t(ITSM_TEXT.ticket), value: ticket }, ...rest];
  const open = approval.state === 'requested';
  return { ...card, fields, ...(open ? { text: [card.text, t(ITSM_TEXT.decidedThere)].filter(Boolean).join('\n') } : {}) };
}
