/**
 * Status changes, posted in every place of the incident exactly once. Whoever sees a change
 * first (the click that caused it, the poller, another replica) claims it with a conditional
 * UPDATE of the place's last seen status; the others find it claimed and post nothing. A post
 * that fails for a passing reason (a rate limit, the platform unreachable) gives its claim back,
 * so the next poll tries again; one the platform refuses for good (the bot is not in the
 * channel) is counted as undelivered and not tried at every poll.
 */
import { label, nativeOf, type Incident, type Vocabulary } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { ChatDeliveryError } from '../core/chat-surface.js';
import type { Message } from '../core/message.js';
import { translator, type Locale, type Text } from '../i18n/translate.js';
import {
  claimStatusTransition,
  closeIncidentChannel,
  listIncidentChannels,
  releaseStatusTransition,
  type IncidentChannelRow,
} from '../store/incident-channels.js';
import { incidentButtons } from './card.js';
import { levelOf, statusOf } from './names.js';
import { targetOfRow } from './places.js';
import { auditPlaceClosed } from './system-audit.js';
import { surfaceUndeliveredIncidentPost } from './undelivered.js';
import { isCompleted } from './workflow.js';

const TEXT = {
  title: { 'en-US': '{num}: {from} → {to}', 'zh-CN': '{num}：{from} → {to}' },
  by: { 'en-US': 'By {user}.', 'zh-CN': '操作人：{user}。' },
  seen: { 'en-US': 'Seen in {platform}.', 'zh-CN': '在 {platform} 中发现的变化。' },
  level: { 'en-US': 'Level', 'zh-CN': '级别' },
  incident: { 'en-US': 'Incident', 'zh-CN': '事件' },
  unknownStatus: { 'en-US': 'unknown', 'zh-CN': '未知' },
} satisfies Record<string, Text>;

export function transitionMessage(detail: Incident, from: string | null, locale: Locale, platform: { readonly vocabulary: Vocabulary; readonly displayName: Text }, by?: string): Message {
  const t = translator(locale);
  const { vocabulary } = platform;
  const num = nativeOf(detail.id);
  return {
    title: t(TEXT.title, { num, from: label(vocabulary, 'incidentStatus', from, locale) || t(TEXT.unknownStatus), to: statusOf(detail, vocabulary, locale) }),
    text: by ? t(TEXT.by, { user: by }) : t(TEXT.seen, { platform: t(platform.displayName) }),
    tone: isCompleted(detail.status) ? 'success' : 'info',
    fields: [
      { label: t(TEXT.incident), value: detail.title ?? num },
      { label: t(TEXT.level), value: levelOf(detail, vocabulary, locale) },
    ],
    buttons: incidentButtons(detail, t).buttons,
  };
}

/**
 * Posts the incident's current status in each of its places that has not seen it yet (on the
 * platforms running here). Returns how many posts this call made.
 */
export async function announceStatus(services: Services, detail: Incident, by?: string, places?: readonly IncidentChannelRow[]): Promise<number> {
  // The store keeps the platform's own status code.
  const status = detail.status?.code;
  if (!status) return 0;
  const rows = places ?? (await listIncidentChannels(services.db, nativeOf(detail.id)));
  let posted = 0;
  for (const row of rows) {
    if (row.closedAt || !services.chat.has(row.platform)) continue;
    const key = { platform: row.platform, workspaceId: row.workspaceId, incidentNum: row.incidentNum };
    if (row.lastSeenStatus !== status) {
      if (!(await claimStatusTransition(services.db, key, row.lastSeenStatus, status))) continue;
      try {
        await services.chat.post(targetOfRow(row), transitionMessage(detail, row.lastSeenStatus, services.config.locale, services.backend, by));
        posted++;
      } catch (error) {
        if (!(error instanceof ChatDeliveryError) || error.retryable) {
          await releaseStatusTransition(services.db, key, row.lastSeenStatus, status);
          if (!(error instanceof ChatDeliveryError)) throw error;
          continue;
        }
        await surfaceUndeliveredIncidentPost(services, { incidentNum: row.incidentNum, target: targetOfRow(row), error, kind: 'update' });
      }
    }
    if (isCompleted(detail.status) && (await closeIncidentChannel(services.db, key, services.now()))) await auditPlaceClosed(services.db, key, 'completed');
  }
  return posted;
}
