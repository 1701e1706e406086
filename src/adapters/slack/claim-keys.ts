/**
 * What makes a Slack request the same request when it arrives again: the ids Slack repeats in
 * every delivery of it (a retry, a Socket Mode redelivery, a replay of the signed body) and
 * never in another request. Undefined when a payload carries none of them (then it cannot be
 * told apart from another one and simply runs).
 */
import type { BlockActionsPayload, CommandPayload, ViewSubmissionPayload } from './invocations.js';

type Team = { readonly id: string } | null | undefined;

function teamOf(team: Team, user: { team_id?: string | undefined }, enterprise: Team): string {
  return team?.id ?? user.team_id ?? enterprise?.id ?? '';
}

/** A slash command: its trigger id is new for every time the command is sent. */
export function commandClaimKey(payload: CommandPayload): string | undefined {
  return payload.trigger_id ? `slack:command:${payload.team_id}:${payload.trigger_id}` : undefined;
}

/**
 * A click: the action on its message (or modal) and the click's own trigger id — or, without
 * one, the click's timestamp. The message and action alone would also refuse a second, real
 * click on the same button (Refresh, Continue after a pause).
 */
export function actionClaimKey(payload: BlockActionsPayload): string | undefined {
  const action = payload.actions[0];
  const click = payload.trigger_id ?? action?.action_ts;
  if (!action || !click) return undefined;
  const where = payload.container?.message_ts ?? payload.message?.ts ?? payload.container?.view_id ?? '';
  return `slack:action:${teamOf(payload.team, payload.user, payload.enterprise)}:${where}:${action.action_id}:${click}`;
}

/**
 * A modal submission: the view and the submission's trigger id (a view refused with field
 * errors keeps its id and is submitted again, corrected, as a new request).
 */
export function submissionClaimKey(payload: ViewSubmissionPayload): string | undefined {
  const view = payload.view.id ?? '';
  if (!payload.trigger_id && !view) return undefined;
  const hash = typeof payload.view['hash'] === 'string' ? payload.view['hash'] : '';
  return `slack:view:${teamOf(payload.team, payload.user, payload.enterprise)}:${view}:${payload.trigger_id ?? hash}`;
}
