/**
 * The card of an alarm run request (an alarm's linked HIGH-risk script), as approvers see it and
 * as it is edited once decided, and telling its requester: the card is always in the
 * requester's language; delivery failures never undo anything.
 */
import { label, nativeOf, platformName, type Vocabulary } from '../backends/index.js';
import type { Services } from '../core/command.js';
import type { Button, Message } from '../core/message.js';
import { shown, utcTime } from '../i18n/format.js';
import { translator, type Locale, type Text, type Translate } from '../i18n/translate.js';
import { APPROVAL_ACTIONS, approvalButtons, approvalHead, RUN_TEXT } from '../run/messages.js';
import type { ApprovalRow } from '../store/approvals.js';
import type { AlarmRunRow } from '../store/alarm-runs.js';
import { approverRuleOf, APPROVERS_TEXT, REVIEWER_ACTIONS, whoMayApprove } from './approvers.js';
import { ALARM_RUN_APPROVAL_TEXT as T } from './alarm-run-texts.js';

/** The words every message about the request uses. */
export function alarmRunVars(t: Translate, approval: ApprovalRow, run: AlarmRunRow): Record<string, string> {
  return { script: approval.scriptName, id: nativeOf(run.alarmId), alarm: run.alarmTitle, platform: t(platformName(run.backend)), requester: approval.requesterIamUser };
}

function riskOf(run: AlarmRunRow, locale: Locale, vocabulary: Vocabulary): string {
  return label(vocabulary, 'riskLevel', run.riskLevel, locale);
}

/** Under the reviewers rule the buttons are the reviewers' (open to operators; each click checks the rule). */
function reviewerButton(button: Button): Button {
  if (button.actionId === APPROVAL_ACTIONS.approve) return { ...button, actionId: REVIEWER_ACTIONS.approve };
  if (button.actionId === APPROVAL_ACTIONS.reject) return { ...button, actionId: REVIEWER_ACTIONS.reject };
  return button;
}

export function alarmRunCard(approval: ApprovalRow, run: AlarmRunRow, locale: Locale, vocabulary: Vocabulary): Message {
  const t = translator(locale);
  const vars = alarmRunVars(t, approval, run);
  const stateVars = {
    approver: approval.approverIamUser ?? '?',
    time: utcTime((approval.decidedAt ?? approval.expiresAt).getTime()),
    note: approval.decisionNote ?? approval.error ?? t(RUN_TEXT.noReason),
    order: run.workOrder ? t(T.orderShown, { order: run.workOrder }) : '',
  };
  const state = t(T[`state_${approval.state}`], stateVars);
  const open = approval.state === 'requested';
  const rule = approverRuleOf(approval);
  const head = approvalHead(approval, state, t);
  const params = Object.entries(run.parameters);
  const buttons = approvalButtons(approval, t, { title: t(T.approveConfirmTitle, vars), text: t(T.approveConfirmText, vars) }).buttons;
  return {
    title: t(T.cardTitle, vars),
    text: open ? t(T.cardText, { ...vars, alarm: shown(run.alarmTitle, 80), risk: riskOf(run, locale, vocabulary) }) : state,
    tone: head.tone,
    fields: [
      ...head.fields.slice(0, 2),
      { label: t(APPROVERS_TEXT.field), value: whoMayApprove(t, rule, approval.requesterIamUser, vars['platform']!) },
      ...head.fields.slice(2),
      { label: t(T.alarm), value: `${shown(run.alarmTitle, 80)} (${vars['id']})` },
      { label: t(T.script), value: approval.scriptName },
      { label: t(T.risk), value: riskOf(run, locale, vocabulary) },
      ...(run.region ? [{ label: t(T.region), value: run.region }] : []),
      { label: t(T.parameters), value: params.length ? params.map(([name, value]) => `${name}=${shown(value, 60)}`).join('\n') : t(T.noParameters) },
      ...(run.workOrder ? [{ label: t(T.workOrder), value: run.workOrder }] : []),
    ],
    ...(buttons ? { buttons: rule.rule === 'reviewers' ? buttons.map(reviewerButton) : buttons } : {}),
    footer: `approval ${approval.id}`,
  };
}

function requesterOf(approval: ApprovalRow) {
  return { platform: approval.platform, workspaceId: approval.workspaceId, userId: approval.requesterChatUserId };
}

/** Edits the request card and, with a notice, tells the requester privately where they asked. */
export async function announceAlarmRun(services: Services, approval: ApprovalRow, run: AlarmRunRow, notice?: { readonly text: Text; readonly vars?: Record<string, string> }): Promise<void> {
  const t = translator(run.requesterLocale);
  const card = alarmRunCard(approval, run, run.requesterLocale, services.backend.vocabulary);
  try {
    if (approval.messageRef && approval.channelId) {
      await services.chat.update({ platform: approval.platform, workspaceId: approval.workspaceId, channelId: approval.channelId, messageRef: approval.messageRef }, card);
    }
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id }, 'could not edit an alarm run request card');
  }
  if (!notice) return;
  const vars = { ...alarmRunVars(t, approval, run), approver: approval.approverIamUser ?? '?', ...notice.vars };
  const where = { platform: approval.platform, workspaceId: approval.workspaceId, channelId: run.channelId, ...(run.threadRef ? { threadId: run.threadRef } : {}) };
  try {
    await services.chat.notify(requesterOf(approval), { ...card, title: t(notice.text, vars), private: true }, where);
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id }, 'could not tell the requester about an alarm run request');
  }
}
