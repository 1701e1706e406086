/**
 * An incident post the platform would not take (the bot is not in the incident's channel, no
 * permission): counted, logged, and told to the person concerned when there is one (the
 * person who created the incident or acted on it), privately where they are or by direct
 * message. Background posts (status changes seen by polling, periodic summaries) have nobody
 * to tell: they are counted and logged, and a refusal that will not pass is not retried at
 * every poll.
 */
import type { ChatTarget } from '../core/chat-surface.js';
import type { Services } from '../core/command.js';
import type { Actor } from '../core/invocation.js';
import { failureReason, placeName, whyUndelivered } from '../core/undelivered.js';
import { translator, type Text } from '../i18n/translate.js';

export const UNDELIVERED_INCIDENT_TEXT = {
  card: { 'en-US': 'The card of incident {num} could not be posted', 'zh-CN': '事件 {num} 的卡片无法发布' },
  update: { 'en-US': 'An update of incident {num} could not be posted', 'zh-CN': '事件 {num} 的一条更新无法发布' },
  text: {
    'en-US': 'Why: {why}. The incident itself is fine in COC: "incident show {num}" shows it.',
    'zh-CN': '原因：{why}。事件本身在 COC 中不受影响：用 "incident show {num}" 查看。',
  },
} satisfies Record<string, Text>;

export interface UndeliveredIncidentPost {
  readonly incidentNum: string;
  /** Where the post was refused. */
  readonly target: ChatTarget;
  readonly error: unknown;
  /** The incident's card (when its place was opened) or a later update. */
  readonly kind: 'card' | 'update';
  /** Who to tell, and where they are (a private note there if the platform allows, else a DM). */
  readonly tell?: readonly Actor[];
  readonly where?: ChatTarget;
}

/** Counts the refused post, logs it, and tells the people concerned; never throws. */
export async function surfaceUndeliveredIncidentPost(services: Services, post: UndeliveredIncidentPost): Promise<void> {
  const { target, error, incidentNum } = post;
  services.metrics.undeliveredPost(target.platform, failureReason(error));
  services.log.warn({ err: error, incident: incidentNum, channel: target.channelId }, 'could not post an incident notification');
  for (const person of post.tell ?? []) {
    if (person.platform !== target.platform) continue;
    const t = translator((await services.identities.resolve(person))?.locale ?? services.identities.localeFor(person));
    const message = {
      title: t(post.kind === 'card' ? UNDELIVERED_INCIDENT_TEXT.card : UNDELIVERED_INCIDENT_TEXT.update, { num: incidentNum }),
      text: t(UNDELIVERED_INCIDENT_TEXT.text, { why: whyUndelivered(t, target.platform, error, placeName(target)), num: incidentNum }),
      tone: 'warning' as const,
      private: true,
    };
    try {
      await services.chat.notify(person, message, post.where);
    } catch (notifyError) {
      services.log.warn({ err: notifyError, incident: incidentNum }, 'could not tell a person that an incident notification was not posted');
    }
  }
}
