/**
 * The card of an approved platform action's request, as approvers see it and as it is edited
 * once decided, and telling its requester: the card is always in the requester's language;
 * delivery failures never undo anything.
 */
import { label, type Vocabulary } from '../../backends/index.js';
import type { Services } from '../../core/command.js';
import type { Button, Message } from '../../core/message.js';
import { utcTime } from '../../i18n/format.js';
import { translator, type Locale, type Text, type Translate } from '../../i18n/translate.js';
import { APPROVAL_ACTIONS, approvalButtons, approvalHead, RUN_TEXT } from '../../run/messages.js';
import type { ApprovalRow } from '../../store/approvals.js';
import type { PlatformActionRow } from '../../store/platform-actions.js';
import { approverRuleOf, APPROVERS_TEXT, REVIEWER_ACTIONS, whoMayApprove } from '../approvers.js';
import { requesterOf } from '../../script-changes/announce.js';
import { kindOf } from './kinds.js';

/** The words every message about the request uses: the kind's, and its risk in the reader's words. */
export function actionVars(t: Translate, approval: ApprovalRow, action: PlatformActionRow, locale: Locale, vocabulary: Vocabulary): Record<string, string> {
  return { ...kindOf(action).vars(t, approval, action), risk: label(vocabulary, 'riskLevel', action.plan.risk, locale) };
}

/** Under the reviewers rule the buttons are the reviewers' (open to operators; each click checks the rule). */
function reviewerButton(button: Button): Button {
  if (button.actionId === APPROVAL_ACTIONS.approve) return { ...button, actionId: REVIEWER_ACTIONS.approve };
  if (button.actionId === APPROVAL_ACTIONS.reject) return { ...button, actionId: REVIEWER_ACTIONS.reject };
  return button;
}

export function platformActionCard(approval: ApprovalRow, action: PlatformActionRow, locale: Locale, vocabulary: Vocabulary): Message {
  const t = translator(locale);
  const kind = kindOf(action);
  const T = kind.texts;
  const vars = actionVars(t, approval, action, locale, vocabulary);
  const stateVars = {
    ...vars,
    approver: approval.approverIamUser ?? '?',
    time: utcTime((approval.decidedAt ?? approval.expiresAt).getTime()),
    note: approval.decisionNote ?? approval.error ?? t(RUN_TEXT.noReason),
    order: action.result ? t(T.resultShown, { order: action.result }) : '',
  };
  const state = t(T[`state_${approval.state}`], stateVars);
  const rule = approverRuleOf(approval);
  const head = approvalHead(approval, state, t);
  const buttons = approvalButtons(approval, t, { title: t(T.approveConfirmTitle, vars), text: t(T.approveConfirmText, vars) }).buttons;
  return {
    title: t(T.cardTitle, vars),
    text: approval.state === 'requested' ? t(T.cardText, vars) : state,
    tone: head.tone,
    fields: [
      ...head.fields.slice(0, 2),
      { label: t(APPROVERS_TEXT.field), value: whoMayApprove(t, rule, approval.requesterIamUser, vars['platform']!) },
      ...head.fields.slice(2),
      ...kind.fields(t, action, locale, vocabulary),
      ...(action.result ? [{ label: t(kind.resultLabel), value: action.result }] : []),
    ],
    ...(buttons ? { buttons: rule.rule === 'reviewers' ? buttons.map(reviewerButton) : buttons } : {}),
    footer: `approval ${approval.id}`,
  };
}


/** Edits the request card and, with a notice, tells the requester privately where they asked. */
export async function announceAction(services: Services, approval: ApprovalRow, action: PlatformActionRow, notice?: Text): Promise<void> {
  const t = translator(action.requesterLocale);
  const card = platformActionCard(approval, action, action.requesterLocale, services.backend.vocabulary);
  try {
    if (approval.messageRef && approval.channelId) {
      await services.chat.update({ platform: approval.platform, workspaceId: approval.workspaceId, channelId: approval.channelId, messageRef: approval.messageRef }, card);
    }
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id }, 'could not edit an approved action request card');
  }
  if (!notice) return;
  const vars = { ...actionVars(t, approval, action, action.requesterLocale, services.backend.vocabulary), approver: approval.approverIamUser ?? '?' };
  const where = { platform: approval.platform, workspaceId: approval.workspaceId, channelId: action.channelId, ...(action.threadRef ? { threadId: action.threadRef } : {}) };
  try {
    await services.chat.notify(requesterOf(approval), { ...card, title: t(notice, vars), private: true }, where);
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id }, 'could not tell the requester about an approved action request');
  }
}
