/**
 * An incident's timeline as chat shows it: what was done, when (UTC), by whom, with what
 * comment, from the platform's histories. The full list is `incident timeline <number>`; the
 * card and the summaries show its last few entries.
 */
import type { IncidentHistoryEntry, IncidentId, IncidentsCapability, Vocabulary } from '../backends/index.js';
import type { MessageSection } from '../core/message.js';
import { cell, utcTime } from '../i18n/format.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';
import { named, platformName } from './names.js';

/** How many entries a card or a summary shows. */
export const TIMELINE_ON_CARD = 3;

export const TIMELINE_TEXT = {
  section: { 'en-US': 'Timeline (last {count} of {total})', 'zh-CN': '时间线（最近 {count} 条，共 {total} 条）' },
  sectionAll: { 'en-US': 'Timeline', 'zh-CN': '时间线' },
  line: { 'en-US': '{time} · {action} · {operator}{status}{comment}', 'zh-CN': '{time} · {action} · {operator}{status}{comment}' },
  status: { 'en-US': ' → {status}', 'zh-CN': ' → {status}' },
  comment: { 'en-US': ' · "{comment}"', 'zh-CN': ' ·「{comment}」' },
  more: { 'en-US': 'All of it: incident timeline {num}', 'zh-CN': '完整时间线：incident timeline {num}' },
} satisfies Record<string, Text>;

/** The platform's name of what was done, in the reader's language, else its key. */
export function actionName(entry: IncidentHistoryEntry, locale: Locale): string {
  return (locale === 'zh-CN' ? (entry.zh ?? entry.en) : (entry.en ?? entry.zh)) ?? entry.action;
}

/** Whoever did it, as the platform names them, else their user id. */
export function operatorName(entry: IncidentHistoryEntry, locale: Locale): string {
  if (!entry.operator) return '?';
  return platformName(entry.names, 'operator', entry.operator, locale) ?? entry.operator;
}

export function statusAfter(entry: IncidentHistoryEntry, vocabulary: Vocabulary, locale: Locale): string {
  return named(vocabulary, 'incidentStatus', 'status', entry.status, entry.names, locale);
}

export function timelineLine(entry: IncidentHistoryEntry, t: Translate, locale: Locale, vocabulary: Vocabulary): string {
  const status = statusAfter(entry, vocabulary, locale);
  return t(TIMELINE_TEXT.line, {
    time: utcTime(entry.startedAt) || '?',
    action: actionName(entry, locale),
    operator: operatorName(entry, locale),
    status: status ? t(TIMELINE_TEXT.status, { status }) : '',
    comment: entry.comment ? t(TIMELINE_TEXT.comment, { comment: cell(entry.comment, 80) }) : '',
  });
}

/** The last few entries as a card section; undefined when there is no timeline to show. */
export function timelineSection(
  entries: readonly IncidentHistoryEntry[] | undefined,
  num: string,
  options: { readonly t: Translate; readonly locale: Locale; readonly vocabulary: Vocabulary },
): MessageSection | undefined {
  if (!entries || entries.length === 0) return undefined;
  const { t, locale, vocabulary } = options;
  const last = entries.slice(-TIMELINE_ON_CARD);
  const lines = last.map((entry) => timelineLine(entry, t, locale, vocabulary));
  if (entries.length > last.length) lines.push(t(TIMELINE_TEXT.more, { num }));
  return {
    title: entries.length > last.length ? t(TIMELINE_TEXT.section, { count: last.length, total: entries.length }) : t(TIMELINE_TEXT.sectionAll),
    text: lines.join('\n'),
  };
}

/** The incident's timeline, or undefined when the platform has none or it cannot be read now. */
export async function readTimeline(incidents: IncidentsCapability | undefined, id: IncidentId): Promise<readonly IncidentHistoryEntry[] | undefined> {
  if (!incidents?.timeline) return undefined;
  try {
    return await incidents.timeline(id);
  } catch {
    return undefined;
  }
}
