/**
 * The audit rows of invocations a stop cut short: acknowledged, possibly in the middle of a COC
 * write, and still running when the process had to go. Their outcome is unknown — the write may
 * have reached COC — so each gets a row with outcome 'pending' saying so, and whoever reads the
 * trail knows to check COC before trying again, instead of finding nothing at all.
 */
import type { Invocation } from '../core/invocation.js';
import { toStorableText } from '../core/storable-text.js';
import type { Db, Queryable } from '../store/db.js';
import { insertAuditEvents, type AuditEventInput } from '../store/audit-events.js';
import { getIdentityMapping } from '../store/identity-mappings.js';

export const CUT_SHORT_ERROR = 'cut short by a stop of the bot before it finished: outcome unknown, check COC before trying again';

/**
 * What the invocation was, as the dispatcher labels it, without anything typed after the
 * command's words (flags may carry secrets): `run disk_usage`, `action run:go`, `form run`.
 */
export function invocationLabel(invocation: Invocation): string {
  if (invocation.kind === 'action') return `action ${invocation.actionId}`;
  if (invocation.kind === 'submission') return `form ${invocation.formId}`;
  const words = invocation.text.trim().split(/\s+/).filter((word) => word.length > 0);
  if (words[0] === '/coc' || words[0] === 'coc') words.shift();
  const leading = words.slice(0, 2).filter((word) => !word.startsWith('-'));
  return leading.join(' ') || 'help';
}

export function cutShortEvent(invocation: Invocation, iamUserName?: string): AuditEventInput {
  const text = (value: string, max = 300) => toStorableText(value, max);
  return {
    platform: invocation.actor.platform,
    workspaceId: text(invocation.actor.workspaceId),
    channelId: text(invocation.place.channelId),
    chatUserId: text(invocation.actor.userId),
    iamUserName: iamUserName === undefined ? null : text(iamUserName),
    command: text(invocationLabel(invocation)),
    target: null,
    maskedParameters: invocation.interactionId ? { interactionId: text(invocation.interactionId) } : {},
    outcome: 'pending',
    error: CUT_SHORT_ERROR,
  };
}

/**
 * One row per invocation, in one statement, waiting for the disk (the process is about to exit).
 * Each row names the IAM user the chat user is mapped to, so it is found by their audit listing
 * like their other rows; a mapping that cannot be read leaves the name out rather than the row.
 */
export async function recordCutShort(db: Db | Queryable, invocations: readonly Invocation[]): Promise<void> {
  const events = await Promise.all(
    invocations.map(async (invocation) => {
      const { platform, workspaceId, userId } = invocation.actor;
      const mapping = await getIdentityMapping(db, { platform, workspaceId, platformUserId: userId }).catch(() => undefined);
      return cutShortEvent(invocation, mapping?.iamUserName);
    }),
  );
  await insertAuditEvents(db, true, events);
}
