/**
 * `incidents`: COC incidents (v2 list), newest first, filtered by status, level, assignee and
 * age, paged; `incident show <incident_num>`: one incident. Both only read.
 *
 * `--mine` means "assigned to my IAM user". COC's incidents name their assignee by IAM user
 * id. When the identity mapping knows the id, it is used; otherwise the id is learned from
 * COC's own names for assignees (`enum_data_list`) among the newest matching incidents, never
 * from a chat display name, and refused if that name stands for more than one id.
 */
import type { IncidentDetail, IncidentFilter, IncidentListItem, ListIncidentsInput } from '../src/coc/schemas/incidents.js';
import type { CommandContext, CommandDefinition } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import { enumName, isKnownEnum, type CocEnumKind } from '../src/i18n/coc-enums.js';
import type { Locale, Text, Translate } from '../src/i18n/translate.js';
import { isNotFound } from '../src/orders/order-card.js';
import { cell, choiceListFlag, guarded, joinNotes, withoutEmptyTable, noPlainWords, Refusal, sinceFlag, singleId, utcTime, wholeNumberFlag, type IdKind } from './chat-input.js';

const TEXT = {
  listTitle: { 'en-US': 'Incidents ({count} of {total})', 'zh-CN': '事件（{count}/{total}）' },
  none: { 'en-US': 'No incident matches.', 'zh-CN': '没有匹配的事件。' },
  colNumber: { 'en-US': 'NUMBER', 'zh-CN': '事件编号' },
  colLevel: { 'en-US': 'LEVEL', 'zh-CN': '级别' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colTitle: { 'en-US': 'TITLE', 'zh-CN': '标题' },
  colAssignee: { 'en-US': 'ASSIGNEE', 'zh-CN': '处理人' },
  colCreated: { 'en-US': 'CREATED', 'zh-CN': '创建时间' },
  page: { 'en-US': 'Page {page} of {pages}.', 'zh-CN': '第 {page} 页，共 {pages} 页。' },
  next: { 'en-US': 'Next: incidents --page {next}{same}.', 'zh-CN': '下一页：incidents --page {next}{same}。' },
  sameFilters: { 'en-US': ' (with the same filters)', 'zh-CN': '（保持相同筛选条件）' },
  pastEnd: { 'en-US': 'Page {page} is past the end: there are {pages} pages.', 'zh-CN': '第 {page} 页超出范围：共 {pages} 页。' },
  filters: { 'en-US': 'Filters: {filters}.', 'zh-CN': '筛选：{filters}。' },
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
  notFound: { 'en-US': 'No incident {num} in COC', 'zh-CN': 'COC 中没有事件 {num}' },
  notFoundText: { 'en-US': 'Check the number (it looks like IM202603140925001234567890); "incidents" lists recent ones.', 'zh-CN': '请检查事件编号（形如 IM202603140925001234567890）；“incidents”可列出最近的事件。' },
  showTitle: { 'en-US': 'Incident {num}: {title}', 'zh-CN': '事件 {num}：{title}' },
  level: { 'en-US': 'Level', 'zh-CN': '级别' },
  type: { 'en-US': 'Type', 'zh-CN': '类别' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  interrupted: { 'en-US': 'Service interrupted', 'zh-CN': '业务是否中断' },
  yes: { 'en-US': 'yes', 'zh-CN': '是' },
  no: { 'en-US': 'no', 'zh-CN': '否' },
  unknown: { 'en-US': 'unknown', 'zh-CN': '未知' },
  assignee: { 'en-US': 'Assignee', 'zh-CN': '处理人' },
  assigneeScene: { 'en-US': 'on-call scene {scene}, role {role}', 'zh-CN': '值班场景 {scene}，角色 {role}' },
  created: { 'en-US': 'Created', 'zh-CN': '创建时间' },
  creator: { 'en-US': 'Created by', 'zh-CN': '创建人' },
  source: { 'en-US': 'Source', 'zh-CN': '来源' },
  application: { 'en-US': 'Application', 'zh-CN': '应用' },
  region: { 'en-US': 'Region', 'zh-CN': '区域' },
  faultStart: { 'en-US': 'Fault started', 'zh-CN': '故障开始时间' },
  recovered: { 'en-US': 'Recovered', 'zh-CN': '恢复时间' },
  warRoom: { 'en-US': 'WarRoom', 'zh-CN': 'WarRoom' },
  noWarRoom: { 'en-US': 'none', 'zh-CN': '无' },
  noDescription: { 'en-US': '(no description)', 'zh-CN': '（无描述）' },
} satisfies Record<string, Text>;

const INCIDENT_ID: IdKind = {
  which: { 'en-US': 'Which incident? Give its number.', 'zh-CN': '请指定事件编号。' },
  what: { 'en-US': 'an incident number', 'zh-CN': '事件编号' },
  What: { 'en-US': 'An incident number', 'zh-CN': '事件编号' },
  example: 'IM202603140925001234567890',
};

/** Incident statuses by the words people type: COC's keys, and their last word. */
const STATUS_WORDS: Readonly<Record<string, string>> = {
  incident_draft: 'incident_draft',
  draft: 'incident_draft',
  INCIDENT_STATUS_TRIGGERED: 'INCIDENT_STATUS_TRIGGERED',
  triggered: 'INCIDENT_STATUS_TRIGGERED',
  INCIDENT_STATUS_ACKNOWLEDGED: 'INCIDENT_STATUS_ACKNOWLEDGED',
  acknowledged: 'INCIDENT_STATUS_ACKNOWLEDGED',
  INCIDENT_STATUS_REJECTED: 'INCIDENT_STATUS_REJECTED',
  rejected: 'INCIDENT_STATUS_REJECTED',
  INCIDENT_STATUS_RESOLVED: 'INCIDENT_STATUS_RESOLVED',
  resolved: 'INCIDENT_STATUS_RESOLVED',
  INCIDENT_STATUS_COMPLETED: 'INCIDENT_STATUS_COMPLETED',
  completed: 'INCIDENT_STATUS_COMPLETED',
};
const STATUS_CHOICES = ['draft', 'triggered', 'acknowledged', 'rejected', 'resolved', 'completed'];

const LEVEL_WORDS: Readonly<Record<string, string>> = Object.fromEntries(
  [1, 2, 3, 4, 5].flatMap((n) => [
    [`p${n}`, `level_${n}0`],
    [`level_${n}0`, `level_${n}0`],
  ]),
);
const LEVEL_CHOICES = ['p1', 'p2', 'p3', 'p4', 'p5'];

const PER_PAGE_DEFAULT = 10;
/** How many of the newest matching incidents are searched for the reader's assignee id. */
const ID_PROBE = 200;

/** COC's own name for an enum value (detail: filed_key/enum_key; list: prop_id/biz_id). */
type CocNames = readonly { readonly field: string; readonly key: string; readonly zh?: string; readonly en?: string }[];

function namesOfDetail(detail: IncidentDetail): CocNames {
  return detail.enum_data_list.map((e) => ({ field: e.filed_key ?? '', key: e.enum_key ?? '', ...(e.name_zh ? { zh: e.name_zh } : {}), ...(e.name_en ? { en: e.name_en } : {}) }));
}

function namesOfItem(item: IncidentListItem): CocNames {
  return item.enum_data_list.map((e) => ({ field: e.prop_id ?? '', key: e.biz_id ?? '', ...(e.name_zh ? { zh: e.name_zh } : {}), ...(e.name_en ? { en: e.name_en } : {}) }));
}

function cocName(names: CocNames, field: string, key: string, locale: Locale): string | undefined {
  const entry = names.find((e) => e.field === field && e.key === key);
  return entry ? (locale === 'zh-CN' ? entry.zh ?? entry.en : entry.en ?? entry.zh) : undefined;
}

/** Our name if we know the value, else COC's name for it, else the value itself. */
function named(kind: CocEnumKind, field: string, value: string | null | undefined, names: CocNames, locale: Locale): string {
  if (!value) return '';
  if (isKnownEnum(kind, value)) return enumName(kind, value, locale);
  return cocName(names, field, value, locale) ?? value;
}

/** User ids shown as COC names them (`assignee` / `creator` entries), else as they are. */
function people(ids: readonly string[], field: string, names: CocNames, locale: Locale): string {
  return ids.map((id) => cocName(names, field, id, locale) ?? id).join(', ');
}

function assigneeIds(item: IncidentListItem): string[] {
  const raw = item.assignee;
  if (Array.isArray(raw)) return raw.filter(Boolean);
  return raw ? [raw] : [];
}

/** The values COC's `assignee` field may hold for the reader: user id(s), and the user name. */
async function myAssigneeValues(
  context: CommandContext,
  base: Pick<ListIncidentsInput, 'string_filters' | 'int_filters'>,
): Promise<{ values: string[]; note?: string }> {
  const { identity, coc, t } = context;
  const name = identity.iamUserName;
  if (identity.iamUserId) return { values: [identity.iamUserId, name] };
  const probe = await coc.listIncidents({ page: 1, per_page: ID_PROBE, contain_total: true, ...base });
  const ids = new Set<string>();
  for (const item of probe.items) {
    for (const entry of namesOfItem(item)) {
      if (entry.field === 'assignee' && entry.key && entry.key !== name && (entry.en === name || entry.zh === name)) ids.add(entry.key);
    }
  }
  if (ids.size > 1) throw new Refusal(t(TEXT.ambiguous, { user: name, count: ids.size }), t(TEXT.ambiguousText, { ids: [...ids].join(', ') }));
  const note = ids.size === 0 && probe.total > probe.items.length ? t(TEXT.idNotFound, { count: probe.items.length }) : undefined;
  return { values: [...ids, name], ...(note ? { note } : {}) };
}

export const incidentsCommand: CommandDefinition = {
  family: 'incident',
  words: ['incidents'],
  permission: 'viewer',
  mutates: false,
  summary: 'List COC incidents, newest first',
  usage: 'incidents [--status triggered,acknowledged,…] [--level p1,p2,…] [--mine] [--since 2h|1d|2026-05-01] [--page N] [--limit 1-50]',
  examples: ['incidents', 'incidents --status triggered,acknowledged', 'incidents --level p1,p2 --since 1d', 'incidents --mine'],
  flags: [
    { name: 'status', takesValue: true, description: 'draft, triggered, acknowledged, rejected, resolved, completed (comma-separated for several)' },
    { name: 'level', takesValue: true, description: 'p1 to p5 (comma-separated for several)' },
    { name: 'mine', takesValue: false, description: 'only incidents assigned to your IAM user' },
    { name: 'since', takesValue: true, description: 'created within (30m, 2h, 1d, 2w) or since a UTC date/time (2026-05-01)' },
    { name: 'page', takesValue: true, description: 'page number, from 1' },
    { name: 'limit', takesValue: true, description: 'incidents per page, 1-50 (default 10)' },
  ],
  run: (context, args) =>
    guarded(async () => {
      const { t, locale, coc, identity } = context;
      noPlainWords(args.positionals, incidentsCommand.usage, t);
      const statuses = choiceListFlag(args, 'status', STATUS_WORDS, STATUS_CHOICES, t);
      const levels = choiceListFlag(args, 'level', LEVEL_WORDS, LEVEL_CHOICES, t);
      const since = sinceFlag(args, t);
      const page = wholeNumberFlag(args, 'page', 1, 1_000_000, t) ?? 1;
      const perPage = wholeNumberFlag(args, 'limit', 1, 50, t) ?? PER_PAGE_DEFAULT;
      const mine = args.flags.has('mine');

      const stringFilters: IncidentFilter[] = [
        ...(statuses ? [{ operator: 'in', field: 'work_flow_status', values: statuses }] : []),
        ...(levels ? [{ operator: 'in', field: 'level_id', values: levels }] : []),
      ];
      const intFilters: IncidentFilter[] = since !== undefined ? [{ operator: '>', field: 'create_time', values: [since - 1] }] : [];
      const base = { ...(stringFilters.length ? { string_filters: stringFilters } : {}), ...(intFilters.length ? { int_filters: intFilters } : {}) };
      const me = mine ? await myAssigneeValues(context, base) : undefined;
      if (me) stringFilters.push({ operator: 'in', field: 'assignee', values: me.values });

      const result = await coc.listIncidents({
        page,
        per_page: perPage,
        contain_total: true,
        ...(stringFilters.length ? { string_filters: stringFilters } : {}),
        ...(intFilters.length ? { int_filters: intFilters } : {}),
      });
      const pages = Math.max(1, Math.ceil(result.total / perPage));
      const filters = [
        statuses ? t(TEXT.filterStatus, { value: statuses.map((s) => enumName('incidentStatus', s, locale)).join(', ') }) : '',
        levels ? t(TEXT.filterLevel, { value: levels.map((l) => enumName('incidentLevel', l, locale)).join(', ') }) : '',
        mine ? t(TEXT.filterMine, { user: identity.iamUserName }) : '',
        since !== undefined ? t(TEXT.filterSince, { time: utcTime(since) }) : '',
      ].filter(Boolean);
      const notes: string[] = [];
      if (result.items.length === 0 && page > pages) notes.push(t(TEXT.pastEnd, { page, pages }));
      else notes.push(t(TEXT.page, { page, pages }));
      if (page < pages) notes.push(t(TEXT.next, { next: page + 1, same: filters.length || args.flags.has('limit') ? t(TEXT.sameFilters) : '' }));
      if (filters.length) notes.push(t(TEXT.filters, { filters: filters.join(', ') }));
      if (me?.note) notes.push(me.note);
      if (result.items.length) notes.push(t(TEXT.showHint));
      return withoutEmptyTable({
        title: t(TEXT.listTitle, { count: result.items.length, total: result.total }),
        ...(result.items.length === 0 ? { text: t(TEXT.none) } : {}),
        table: {
          columns: [t(TEXT.colNumber), t(TEXT.colLevel), t(TEXT.colStatus), t(TEXT.colTitle), t(TEXT.colAssignee), t(TEXT.colCreated)],
          rows: result.items.map((item) => {
            const names = namesOfItem(item);
            return [
              item.ticket_id,
              named('incidentLevel', 'level_id', item.level_id, names, locale),
              named('incidentStatus', 'work_flow_status', item.work_flow_status, names, locale),
              cell(item.title, 50),
              cell(people(assigneeIds(item), 'assignee', names, locale), 24),
              utcTime(item.create_time),
            ];
          }),
        },
        footer: joinNotes(notes, locale),
      });
    }),
};

export const incidentShowCommand: CommandDefinition = {
  family: 'incident',
  words: ['incident', 'show'],
  permission: 'viewer',
  mutates: false,
  summary: 'One COC incident: level, type, status, assignee, WarRoom, description',
  usage: 'incident show <incident-number>',
  examples: ['incident show IM202603140925001234567890'],
  flags: [],
  run: (context, args) =>
    guarded(async () => {
      const { t, locale, coc } = context;
      const num = singleId(args, INCIDENT_ID, incidentShowCommand.usage, t);
      context.audit.target = num;
      let detail: IncidentDetail;
      try {
        detail = await coc.getIncident(num);
      } catch (error) {
        if (isNotFound(error)) throw new Refusal(t(TEXT.notFound, { num }), t(TEXT.notFoundText));
        throw error;
      }
      return incidentCard(detail, t, locale);
    }),
};

export function incidentCard(detail: IncidentDetail, t: Translate, locale: Locale): Message {
  const names = namesOfDetail(detail);
  const interrupted = detail.is_service_interrupt === true ? t(TEXT.yes) : detail.is_service_interrupt === false ? t(TEXT.no) : t(TEXT.unknown);
  const assignee = detail.incident_assignee.length
    ? people(detail.incident_assignee, 'assignee', names, locale)
    : detail.assignee_scene || detail.assignee_role
      ? t(TEXT.assigneeScene, { scene: detail.assignee_scene ?? '', role: detail.assignee_role ?? '' })
      : '';
  const fields = [
    { label: t(TEXT.level), value: named('incidentLevel', 'level_id', detail.incident_level, names, locale) },
    { label: t(TEXT.type), value: named('incidentType', 'mtm_type', detail.incident_type, names, locale) },
    { label: t(TEXT.status), value: named('incidentStatus', 'work_flow_status', detail.status, names, locale) },
    { label: t(TEXT.interrupted), value: interrupted },
    { label: t(TEXT.assignee), value: assignee },
    { label: t(TEXT.created), value: utcTime(detail.create_time) },
    { label: t(TEXT.creator), value: detail.creator ? people([detail.creator], 'creator', names, locale) : '' },
    { label: t(TEXT.warRoom), value: detail.warroom_id || t(TEXT.noWarRoom) },
    { label: t(TEXT.source), value: named('incidentSource', 'source_id', detail.incident_source, names, locale) },
    { label: t(TEXT.application), value: people(detail.current_cloud_service, 'current_cloud_service_id', names, locale) },
    { label: t(TEXT.region), value: detail.region.join(', ') },
    { label: t(TEXT.faultStart), value: utcTime(detail.start_time) },
    { label: t(TEXT.recovered), value: utcTime(detail.fault_recovery_time) },
  ].filter((field) => field.value !== '');
  return {
    title: t(TEXT.showTitle, { num: detail.incident_num, title: detail.incident_title ?? '' }),
    text: detail.incident_description?.trim() || t(TEXT.noDescription),
    tone: 'info',
    fields,
  };
}
