/**
 * `warrooms`: the platform's WarRooms, newest first, filtered by status, incident level,
 * affected application and region, and by when they were started, paged. Only reads.
 *
 * COC's list (coc-api-notes §1.19, §3 rows 22-24) takes the SDK's request (`limit` = page
 * size, `offset` = first row, `status`, `incident_levels`, `impacted_application_ids`,
 * `region_code_list`, `triggered_start_time`/`triggered_end_time`) and answers the reference's
 * `{list, total, running_num, closed_num, total_num}`: `total` pages the filtered rows, the
 * running and closed counts ignore the status filter. Without `--since` COC lists the last 30
 * days.
 */
import { need, nativeOf, type WarRoom, type WarRoomQuery, type WarRoomsCapability } from '../src/backends/index.js';
import { arg, defineCommand, type BackendLimits, type Choice } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import { Refusal } from '../src/core/refusal.js';
import { withoutEmptyTable } from '../src/core/reply.js';
import { cell, joinNotes, shown, utcTime } from '../src/i18n/format.js';
import type { Text } from '../src/i18n/translate.js';
import { warRoomStatusName } from '../src/incidents/card.js';
import { findApplication, knownApplications, loadDirectory, personName, type Directory } from '../src/incidents/directory.js';
import { warRoomDurations } from '../src/incidents/war-room-state.js';
import { incidentLevelChoices } from './incident-common.js';
import { limitArg, pageArg, regionArg } from './list-args.js';
import { pageNotes } from './page-notes.js';

const TEXT = {
  listTitle: { 'en-US': 'WarRooms ({count} of {total})', 'zh-CN': 'WarRoom（{count}/{total}）' },
  none: { 'en-US': 'No WarRoom matches.', 'zh-CN': '没有匹配的 WarRoom。' },
  colNumber: { 'en-US': 'WARROOM', 'zh-CN': 'WarRoom' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colTitle: { 'en-US': 'TITLE', 'zh-CN': '标题' },
  colIncident: { 'en-US': 'INCIDENT', 'zh-CN': '事件' },
  colLevel: { 'en-US': 'LEVEL', 'zh-CN': '级别' },
  colAdmin: { 'en-US': 'ADMIN', 'zh-CN': '管理员' },
  colStarted: { 'en-US': 'STARTED', 'zh-CN': '拉起时间' },
  colDuration: { 'en-US': 'DURATION', 'zh-CN': '时长' },
  filterStatus: { 'en-US': 'status {value}', 'zh-CN': '状态 {value}' },
  filterLevel: { 'en-US': 'level {value}', 'zh-CN': '级别 {value}' },
  filterApplication: { 'en-US': 'application {value}', 'zh-CN': '应用 {value}' },
  filterRegion: { 'en-US': 'region {value}', 'zh-CN': '区域 {value}' },
  filterSince: { 'en-US': 'started since {time}', 'zh-CN': '拉起于 {time} 之后' },
  window: { 'en-US': 'Started in the last 30 days (COC’s default; --since looks further back).', 'zh-CN': '最近 30 天内拉起的（COC 的默认范围；--since 可查看更早的）。' },
  counts: { 'en-US': 'Running {running}, closed {closed} (whatever the status filter).', 'zh-CN': '进行中 {running} 个，已关闭 {closed} 个（不计状态筛选）。' },
  showHint: { 'en-US': 'Details: warroom show <WarRoom id or incident number>.', 'zh-CN': '查看详情：warroom show <WarRoom ID 或事件编号>。' },
  badApplication: { 'en-US': 'No application "{value}"', 'zh-CN': '没有应用“{value}”' },
  badApplicationText: {
    'en-US': 'Nothing was read. Give an application COC knows ({allowed}) or an application id (24 hex characters).',
    'zh-CN': '未读取任何内容。请给出 COC 已知的应用（{allowed}）或应用 ID（24 位十六进制）。',
  },
  ambiguousApplication: { 'en-US': '"{value}" names several applications', 'zh-CN': '“{value}”对应多个应用' },
  ambiguousApplicationText: { 'en-US': 'Nothing was read. Give the application id instead.', 'zh-CN': '未读取任何内容。请改为给出应用 ID。' },
  noneKnown: { 'en-US': 'none known yet', 'zh-CN': '暂无已知应用' },
} satisfies Record<string, Text>;

const PER_PAGE_DEFAULT = 10;

/** The statuses the platform's list filters on, as typed words (`running`, `closed`). */
function warRoomStatusChoices(limits: BackendLimits): Choice[] {
  return (limits.backend?.warRooms?.statuses ?? []).map((status) => ({ value: status.code, typed: status.word }));
}

function warRoomsOf(context: CommandContext): WarRoomsCapability {
  return need(context.backend, 'warRooms');
}

/** An application as typed (name or id), through the names COC gave in its incidents. */
async function applicationId(context: CommandContext, raw: string): Promise<{ id: string; name: string }> {
  const { t } = context;
  const incidents = context.backend.incidents;
  const directory: Directory = incidents ? await loadDirectory(incidents, context.services.db) : { people: new Map(), applications: new Map() };
  const found = findApplication(directory, raw);
  if (found.ok) return found;
  if (found.ambiguous) throw new Refusal(t(TEXT.ambiguousApplication, { value: shown(raw, 60) }), t(TEXT.ambiguousApplicationText));
  throw new Refusal(t(TEXT.badApplication, { value: shown(raw, 60) }), t(TEXT.badApplicationText, { allowed: knownApplications(directory).join(', ') || t(TEXT.noneKnown) }));
}

/** The incident's level as its choice labels it (P1…), else the platform's code. */
function levelLabel(context: CommandContext, code: string | undefined): string {
  if (!code) return '';
  return context.backend.incidents?.choices.levels.find((choice) => choice.code === code)?.label ?? code;
}

/** How long it has been in progress (running) or was handled (closed). */
function durationOf(context: CommandContext, room: WarRoom): string {
  const lasted = warRoomDurations(room, context.services.now().getTime(), context.locale);
  return lasted.running ? lasted.inProgress : lasted.handled;
}

async function peopleDirectory(context: CommandContext): Promise<Directory | undefined> {
  const incidents = context.backend.incidents;
  return incidents ? loadDirectory(incidents, context.services.db).catch(() => undefined) : undefined;
}

export const warRoomsCommand = defineCommand({
  family: 'warroom',
  words: ['warrooms'],
  discord: { name: 'warrooms', localName: { 'en-US': 'warrooms', 'zh-CN': '作战室列表' }, description: { 'en-US': 'WarRooms, filtered', 'zh-CN': '作战室，可筛选' } },
  needs: ['war-rooms'],
  permission: 'viewer',
  mutates: false,
  summary: {
    'en-US': 'List COC WarRooms, newest first: by status, incident level, application, region, start time',
    'zh-CN': '列出 COC WarRoom，最新的在前：按状态、事件级别、应用、区域、拉起时间筛选',
  },
  examples: ['warrooms', 'warrooms --status running', 'warrooms --level p1,p2 --since 7d', 'warrooms --application storefront --region cn-north-4'],
  positionals: {},
  flags: {
    status: arg.enum({ choices: warRoomStatusChoices, several: true, description: { 'en-US': 'Status', 'zh-CN': '状态' } }),
    level: arg.enum({ choices: incidentLevelChoices, several: true, description: { 'en-US': 'Incident level', 'zh-CN': '事件级别' } }),
    application: arg.string({ max: 300, placeholder: { 'en-US': 'name-or-id', 'zh-CN': 'name-or-id' }, description: { 'en-US': 'Affected application', 'zh-CN': '受影响的应用' } }),
    region: regionArg(),
    since: arg.since({ description: { 'en-US': 'Started within (2h, 7d) or since a UTC date', 'zh-CN': '最近（2h、7d）或自某 UTC 日期起拉起' } }),
    page: pageArg(),
    limit: limitArg(PER_PAGE_DEFAULT, { 'en-US': 'Per page', 'zh-CN': '每页数量' }),
  },
  async run(context, args, raw) {
    const { t, locale, services } = context;
    const { status: statuses, level: levels, application, region, since, page, limit } = args;
    const app = application !== undefined ? await applicationId(context, application) : undefined;
    const query: WarRoomQuery = {
      ...(statuses ? { statusCodes: statuses } : {}),
      ...(levels ? { levelCodes: levels } : {}),
      ...(app ? { applications: [app.id] } : {}),
      ...(region !== undefined ? { regions: [region] } : {}),
      ...(since !== undefined ? { startedFrom: since, startedTo: services.now().getTime() } : {}),
      limit,
      offset: (page - 1) * limit,
    };
    const [result, directory] = await Promise.all([warRoomsOf(context).list(query), peopleDirectory(context)]);
    const total = result.total ?? result.items.length;
    const pages = Math.max(1, Math.ceil(total / limit));
    const statusWords = statuses?.map((code) => warRoomsOf(context).statuses?.find((known) => known.code === code)?.word ?? code);
    const filters = [
      statusWords ? t(TEXT.filterStatus, { value: statusWords.join(', ') }) : '',
      levels ? t(TEXT.filterLevel, { value: levels.map((code) => levelLabel(context, code)).join(', ') }) : '',
      app ? t(TEXT.filterApplication, { value: app.name }) : '',
      region !== undefined ? t(TEXT.filterRegion, { value: region }) : '',
      since !== undefined ? t(TEXT.filterSince, { time: utcTime(since) }) : '',
    ].filter(Boolean);
    const notes = pageNotes(t, { command: 'warrooms', page, pages, empty: result.items.length === 0, filters, limitGiven: raw.flags.has('limit') });
    if (since === undefined) notes.push(t(TEXT.window));
    if (result.running !== undefined || result.closed !== undefined) notes.push(t(TEXT.counts, { running: result.running ?? 0, closed: result.closed ?? 0 }));
    if (result.items.length) notes.push(t(TEXT.showHint));
    return withoutEmptyTable({
      title: t(TEXT.listTitle, { count: result.items.length, total }),
      ...(result.items.length === 0 ? { text: t(TEXT.none) } : {}),
      table: {
        columns: [t(TEXT.colNumber), t(TEXT.colStatus), t(TEXT.colTitle), t(TEXT.colIncident), t(TEXT.colLevel), t(TEXT.colAdmin), t(TEXT.colStarted), t(TEXT.colDuration)],
        rows: result.items.map((room) => [
          room.number ?? (room.id ? nativeOf(room.id) : ''),
          warRoomStatusName(room, locale),
          cell(room.title, 40),
          room.incident?.number ?? '',
          levelLabel(context, room.incident?.level),
          cell(room.admin ? (directory ? personName(directory, room.admin) : room.admin) : '', 20),
          utcTime(room.createdAt),
          durationOf(context, room),
        ]),
      },
      footer: joinNotes(notes, locale),
    });
  },
});
