/**
 * A message as one known person may use it: buttons (and a select) whose click would be
 * refused to them are left out, so nobody is offered what they may not do. Used where a card
 * is shown to one person (the terminal, private replies); a card shared in a channel keeps
 * every button and each click is refused with its reason.
 */
import type { Identity } from '../identity/identity-service.js';
import type { Actor } from './invocation.js';
import type { Button, Message } from './message.js';

export interface Viewer {
  readonly actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>;
  /** Undefined for someone not linked: every click would be refused, so nothing is offered. */
  readonly identity: Pick<Identity, 'iamUserName'> | undefined;
}

function excluded(button: Button, viewer: Viewer): boolean {
  const not = button.notFor;
  if (!not) return false;
  const { chatUser, iamUserName } = not;
  if (chatUser && chatUser.platform === viewer.actor.platform && chatUser.workspaceId === viewer.actor.workspaceId && chatUser.userId === viewer.actor.userId) return true;
  return iamUserName !== undefined && viewer.identity !== undefined && iamUserName.toLowerCase() === viewer.identity.iamUserName.toLowerCase();
}

/** `message` without what `viewer` may not click; `mayUse` says whether the dispatcher would let them run an action. */
export function offeredTo(message: Message, viewer: Viewer, mayUse: (actionId: string) => boolean): Message {
  if (!message.buttons?.length && !message.select) return message;
  const allowed = (actionId: string) => viewer.identity !== undefined && mayUse(actionId);
  const buttons = (message.buttons ?? []).filter((button) => allowed(button.actionId) && !excluded(button, viewer));
  const keepSelect = message.select !== undefined && allowed(message.select.actionId);
  if (buttons.length === (message.buttons?.length ?? 0) && keepSelect === (message.select !== undefined)) return message;
  const { buttons: _buttons, select: _select, ...rest } = message;
  return { ...rest, ...(buttons.length ? { buttons } : {}), ...(keepSelect ? { select: message.select! } : {}) };
}
