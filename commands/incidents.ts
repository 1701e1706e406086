/**
 * `incidents`: the platform's incidents, newest first, filtered by status, level, assignee and
 * age, paged; `incident show <incident_num>`: one incident with its WarRoom, the orders run for
 * it and the buttons that fit its status and the reader's role. Both only read.
 *
 * `--mine` means "assigned to my IAM user". Incidents name their assignee by IAM user id. When
 * the identity mapping knows the id, it is used; otherwise the id is learned from the
 * platform's own names for assignees (an incident's `names`) among the newest matching
 * incidents, never from a chat display name, and refused if that name stands for more than one
 * id.
 */
import { label, nativeOf, type IncidentQuery } from '../src/backends/index.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import type { Text } from '../src/i18n/translate.js';
import { named, people } from '../src/incidents/names.js';
import { Refusal } from '../src/core/refusal.js';
import { withoutEmptyTable } from '../src/core/reply.js';
import { cell, joinNotes, utcTime } from '../src/i18n/format.js';
import { fullCard, incidentLevelChoices, incidentNumberArg, incidentsOf, incidentStatusChoices, readIncident } from './incident-common.js';
import { pageNotes } from './page-notes.js';

const TEXT = {
  listTitle: { 'en-US': 'Incidents ({count} of {total})', 'zh-CN': '事件（{count}/{total}）' },
  none: { 'en-US': 'No incident matches.', 'zh-CN': '没有匹配的事件。' },
  colNumber: { 'en-US': 'NUMBER', 'zh-CN': '事件编号' },
  colLevel: { 'en-US': 'LEVEL', 'zh-CN': '级别' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colTitle: { 'en-US': 'TITLE', 'zh-CN': '标题' },
  colAssignee: { 'en-US': 'ASSIGNEE', 'zh-CN': '处理人' },
  colCreated: { 'en-US': 'CREATED', 'zh-CN': '创建时间' },
  filterStatus: { 'en-US': 'status {value}', 'zh-CN': '状态 {value}' },
  filterLevel: { 'en-US': 'level {value}', 'zh-CN': '级别 {value}' },
  filterMine: { 'en-US': 'assigned to {user}', 'zh-CN': '处理人 {user}' },
  filterSince: { 'en-US': 'created since {time}', 'zh-CN': '创建于 {time} 之后' },
  showHint: { 'en-US': 'Details: incident show <number>.', 'zh-CN': '查看详情：incident show <事件编号>。' },
  idNotFound: {
    'en-US': 'Your IAM user id is not linked and did not appear among the newest {count} incidents; ask an admin to add it (admin link … --iam-user-id).',
    'zh-CN': '您的 IAM 用户 ID 未关联，且未出现在最新的 {count} 个事件中；请管理员补充（admin link … --iam-user-id）。',
  },
  ambiguous: { 'en-US': 'Your IAM user name {user} stands for {count} different assignee ids in COC', 'zh-CN': '您的 IAM 用户名 {user} 在 COC 中对应 {count} 个不同的处理人 ID' },
  ambiguousText: {
    'en-US': 'Ids: {ids}. Ask an admin to link you with your IAM user id (admin link … --iam-user-id), then try again.',
    'zh-CN': 'ID：{ids}。请管理员用您的 IAM 用户 ID 关联您（admin link … --iam-user-id）后重试。',
  },
} satisfies Record<string, Text>;

const PER_PAGE_DEFAULT = 10;
/** How many of the newest matching incidents are searched for the reader's assignee id. */
const ID_PROBE = 200;

/** The values the platform's assignee field may hold for the reader: user id(s), and the user name. */
async function myAssigneeValues(context: CommandContext, base: Omit<IncidentQuery, 'page' | 'perPage'>): Promise<{ values: string[]; note?: string }> {
  const { identity, t } = context;
  const name = identity.iamUserName;
  if (identity.iamUserId) return { values: [identity.iamUserId, name] };
  const probe = await incidentsOf(context).list({ ...base, page: 1, perPage: ID_PROBE, withTotal: true });
  const total = probe.total ?? probe.items.length;
  const ids = new Set<string>();
  for (const item of probe.items) {
    for (const entry of item.names) {
      if (entry.field === 'assignee' && entry.key && entry.key !== name && (entry.en === name || entry.zh === name)) ids.add(entry.key);
    }
  }
  if (ids.size > 1) throw new Refusal(t(TEXT.ambiguous, { user: name, count: ids.size }), t(TEXT.ambiguousText, { ids: [...ids].join(', ') }));
  const note = ids.size === 0 && total > probe.items.length ? t(TEXT.idNotFound, { count: probe.items.length }) : undefined;
  return { values: [...ids, name], ...(note ? { note } : {}) };
}

export const incidentsCommand = defineCommand({
  family: 'incident',
  words: ['incidents'],
  discord: { name: 'incidents', description: { 'en-US': 'COC incidents, newest first', 'zh-CN': 'COC 事件，最新的在前' } },
  needs: ['incidents'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'List COC incidents, newest first', 'zh-CN': '列出 COC 事件，最新的在前' },
  examples: ['incidents', 'incidents --status triggered,acknowledged', 'incidents --level p1,p2 --since 1d', 'incidents --mine'],
  positionals: {},
  flags: {
    status: arg.enum({ choices: incidentStatusChoices, several: true, description: { 'en-US': 'Status', 'zh-CN': '状态' } }),
    level: arg.enum({ choices: incidentLevelChoices, several: true, description: { 'en-US': 'Incident level, most severe first', 'zh-CN': '事件级别，最严重的在前' } }),
    mine: arg.boolean({ description: { 'en-US': 'Only incidents assigned to your IAM user', 'zh-CN': '仅指派给你的 IAM 用户的事件' } }),
    since: arg.since({ description: { 'en-US': 'Created within (30m, 2h, 1d, 2w) or since a UTC date/time (2026-05-01)', 'zh-CN': '最近 30m、2h、1d、2w 内创建，或自某个 UTC 日期/时间（2026-05-01）起' } }),
    page: arg.integer({ min: 1, max: 1_000_000, default: 1, description: { 'en-US': 'Page number', 'zh-CN': '页码' } }),
    limit: arg.integer({ min: 1, max: 50, default: PER_PAGE_DEFAULT, description: { 'en-US': 'Incidents per page', 'zh-CN': '每页事件数' } }),
  },
  async run(context, args, raw) {
    const { t, locale, identity } = context;
    const incidents = incidentsOf(context);
    const { vocabulary } = context.backend;
    const { status: statuses, level: levels, since, page, limit: perPage, mine } = args;

    const base: Omit<IncidentQuery, 'page' | 'perPage'> = {
      ...(statuses ? { statusCodes: statuses } : {}),
      ...(levels ? { levelCodes: levels } : {}),
      ...(since !== undefined ? { createdAfter: since - 1 } : {}),
    };
    const me = mine ? await myAssigneeValues(context, base) : undefined;

    const result = await incidents.list({ ...base, ...(me ? { assignees: me.values } : {}), page, perPage, withTotal: true });
    const total = result.total ?? result.items.length;
    const pages = Math.max(1, Math.ceil(total / perPage));
    const filters = [
      statuses ? t(TEXT.filterStatus, { value: statuses.map((s) => label(vocabulary, 'incidentStatus', s, locale)).join(', ') }) : '',
      levels ? t(TEXT.filterLevel, { value: levels.map((l) => label(vocabulary, 'incidentLevel', l, locale)).join(', ') }) : '',
      mine ? t(TEXT.filterMine, { user: identity.iamUserName }) : '',
      since !== undefined ? t(TEXT.filterSince, { time: utcTime(since) }) : '',
    ].filter(Boolean);
    const notes = pageNotes(t, { command: 'incidents', page, pages, empty: result.items.length === 0, filters, limitGiven: raw.flags.has('limit') });
    if (me?.note) notes.push(me.note);
    if (result.items.length) notes.push(t(TEXT.showHint));
    return withoutEmptyTable({
      title: t(TEXT.listTitle, { count: result.items.length, total }),
      ...(result.items.length === 0 ? { text: t(TEXT.none) } : {}),
      table: {
        columns: [t(TEXT.colNumber), t(TEXT.colLevel), t(TEXT.colStatus), t(TEXT.colTitle), t(TEXT.colAssignee), t(TEXT.colCreated)],
        rows: result.items.map((item) => [
          nativeOf(item.id),
          named(vocabulary, 'incidentLevel', 'level', item.level, item.names, locale),
          named(vocabulary, 'incidentStatus', 'status', item.status?.code, item.names, locale),
          cell(item.title, 50),
          cell(people(item.assignees, 'assignee', item.names, locale), 24),
          utcTime(item.createdAt),
        ]),
      },
      footer: joinNotes(notes, locale),
    });
  },
});

export const incidentShowCommand = defineCommand({
  family: 'incident',
  words: ['incident', 'show'],
  discord: { group: 'incident', name: 'show', description: { 'en-US': 'Level, status, assignee, WarRoom, orders', 'zh-CN': '级别、状态、处理人、作战室、工单' } },
  needs: ['incidents'],
  permission: 'viewer',
  mutates: false,
  summary: {
    'en-US': 'One COC incident: level, type, status, assignee, WarRoom, orders run for it, description',
    'zh-CN': '单个 COC 事件：级别、类别、状态、处理人、WarRoom、为其执行的工单、描述',
  },
  examples: ['incident show IM202603140925001234567890'],
  positionals: { num: incidentNumberArg },
  flags: {},
  async run(context, { num }) {
    context.audit.target = num;
    return fullCard(context, await readIncident(context, num));
  },
});
