/**
 * `incident timeline <number>`: everything done to an incident, oldest first — when (UTC), who,
 * what, the status after it and the comment — from the platform's histories (COC v2
 * `histories`, coc-api-notes §2.1). Only reads.
 */
import { nativeOf } from '../src/backends/index.js';
import { defineCommand } from '../src/core/arguments/index.js';
import { withoutEmptyTable } from '../src/core/reply.js';
import type { Text } from '../src/i18n/translate.js';
import { cell, utcTime } from '../src/i18n/format.js';
import { actionName, operatorName, statusAfter } from '../src/incidents/timeline.js';
import { BackendCapabilityMissingError } from '../src/backends/index.js';
import { incidentIdOf, incidentNumberArg, incidentsOf, readIncident } from './incident-common.js';

const TEXT = {
  title: { 'en-US': 'Timeline of incident {num}: {title}', 'zh-CN': '事件 {num} 的时间线：{title}' },
  none: { 'en-US': 'COC has recorded nothing done to this incident yet.', 'zh-CN': 'COC 尚未记录对该事件的任何操作。' },
  colTime: { 'en-US': 'TIME (UTC)', 'zh-CN': '时间（UTC）' },
  colOperator: { 'en-US': 'OPERATOR', 'zh-CN': '操作人' },
  colAction: { 'en-US': 'ACTION', 'zh-CN': '操作' },
  colStatus: { 'en-US': 'STATUS AFTER', 'zh-CN': '操作后状态' },
  colComment: { 'en-US': 'COMMENT', 'zh-CN': '备注' },
  count: { 'en-US': '{count} entries, oldest first. The card: incident show {num}.', 'zh-CN': '共 {count} 条，按时间先后排列。事件卡片：incident show {num}。' },
} satisfies Record<string, Text>;

export const incidentTimelineCommand = defineCommand({
  family: 'incident',
  words: ['incident', 'timeline'],
  discord: { group: 'incident', name: 'timeline', description: { 'en-US': 'What was done to an incident, when, by whom', 'zh-CN': '事件的操作记录：时间、操作人、内容' } },
  needs: ['incidents.timeline'],
  permission: 'viewer',
  mutates: false,
  summary: {
    'en-US': 'The timeline of a COC incident: every action, when (UTC), by whom, the status after it and its comment',
    'zh-CN': 'COC 事件的时间线：每次操作的时间（UTC）、操作人、操作后状态和备注',
  },
  examples: ['incident timeline IM202603140925001234567890'],
  positionals: { num: incidentNumberArg },
  flags: {},
  async run(context, { num }) {
    const { t, locale } = context;
    const { vocabulary } = context.backend;
    context.audit.target = num;
    const incidents = incidentsOf(context);
    if (!incidents.timeline) throw new BackendCapabilityMissingError(context.backend.name, 'incidents.timeline');
    const detail = await readIncident(context, num);
    const entries = await incidents.timeline(incidentIdOf(context, num));
    return withoutEmptyTable({
      title: t(TEXT.title, { num: nativeOf(detail.id), title: detail.title ?? '' }),
      ...(entries.length === 0 ? { text: t(TEXT.none) } : {}),
      table: {
        columns: [t(TEXT.colTime), t(TEXT.colOperator), t(TEXT.colAction), t(TEXT.colStatus), t(TEXT.colComment)],
        rows: entries.map((entry) => [
          utcTime(entry.startedAt),
          cell(operatorName(entry, locale), 24),
          cell(actionName(entry, locale), 30),
          statusAfter(entry, vocabulary, locale),
          cell(entry.comment, 60),
        ]),
      },
      footer: t(TEXT.count, { count: entries.length, num }),
    });
  },
});
