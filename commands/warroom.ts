/**
 * WarRooms (coc-api-notes §1.18, §1.19): `warroom create <incident>` starts one for an open
 * incident (also the card's "Start WarRoom" button), `warroom show <incident|WarRoom id>`
 * shows its members, status and durations, and `warroom summary <incident>` posts the
 * incident's summary here; in the incident's own place it also counts as the latest summary,
 * so the next periodic one says what changed since.
 *
 * Starting a WarRoom reads the incident first (it must be open and have none yet), is
 * serialized per incident in this process, and is sent once, never retried; a lost answer is
 * settled by reading the incident's WarRoom back (found → started; else unknown, with the
 * check "warroom show <incident>").
 */
import { makeId, need, nativeOf, writeFailureOf, type Incident, type ScheduleGroup, type WarRoom, type WarRoomCounts, type WarRoomDraft, type WarRoomsCapability } from '../src/backends/index.js';
import { arg, defineCommand, type SomeTypedCommand } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import { utcTime } from '../src/i18n/format.js';
import { warRoomDurations } from '../src/incidents/war-room-state.js';
import type { Text } from '../src/i18n/translate.js';
import { warRoomStatusName } from '../src/incidents/card.js';
import { findPerson, personName, type Directory } from '../src/incidents/directory.js';
import { personProblem } from '../src/incidents/draft.js';
import { loadLinkedOrders } from '../src/incidents/linked-orders.js';
import { levelOf, statusOf } from '../src/incidents/names.js';
import { targetOfRow } from '../src/incidents/places.js';
import { readSummaryState, summaryMessage, summaryStateOf } from '../src/incidents/summary.js';
import { readWarRoom } from '../src/incidents/watcher.js';
import { readTimeline } from '../src/incidents/timeline.js';
import { INCIDENT_ACTION_IDS, isIncidentNum, isOpen } from '../src/incidents/workflow.js';
import { findIncidentChannelByPlace, listIncidentChannels, recordSummary } from '../src/store/incident-channels.js';
import { Refusal } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import {
  auditReadBack,
  confirmedNote,
  explainRefusedChange,
  incidentIdOf,
  incidentNumberArg,
  incidentNumOf,
  incidentsOf,
  myIamUserId,
  oneAtATime,
  readIncident,
  rereadIncident,
  unconfirmedChange,
} from './incident-common.js';
import { ChatDeliveryError, targetOf } from '../src/core/chat-surface.js';
import { surfaceUndeliveredIncidentPost } from '../src/incidents/undelivered.js';

/** `warroom show` finds a WarRoom by its incident's number or by its own id. */
const warRoomOrIncidentArg = arg.id({
  required: true,
  what: { 'en-US': 'an incident number or WarRoom id', 'zh-CN': '事件编号或 WarRoom ID' },
  example: 'IM202603140925001234567890',
  description: { 'en-US': 'Incident number or WarRoom id', 'zh-CN': '事件编号或作战室 id' },
  placeholder: { 'en-US': 'incident-number|warroom-id', 'zh-CN': 'incident-number|warroom-id' },
  discordName: 'incident-number-or-warroom-id',
});

const NAME_MAX = 255;
/** A comma-separated list of people, long enough for any WarRoom's members. */
const MEMBERS_MAX = 2000;

const TEXT = {
  closed: { 'en-US': 'Incident {num} is {status}; no WarRoom is started for it', 'zh-CN': '事件 {num} 为{status}状态，不再拉起 WarRoom' },
  closedText: { 'en-US': 'Nothing was sent to COC.', 'zh-CN': '未向 COC 发送任何内容。' },
  already: { 'en-US': 'Incident {num} already has the WarRoom {id}', 'zh-CN': '事件 {num} 已有 WarRoom {id}' },
  noApplication: { 'en-US': 'Incident {num} names no application, and a WarRoom needs one', 'zh-CN': '事件 {num} 没有归属应用，而 WarRoom 需要应用' },
  noApplicationText: { 'en-US': 'Nothing was sent. Set the incident’s application in COC first.', 'zh-CN': '未发送任何内容。请先在 COC 中为事件设置归属应用。' },
  badMember: { 'en-US': 'WarRoom not started: a member is not right', 'zh-CN': 'WarRoom 未拉起：成员有误' },
  badSchedule: { 'en-US': 'WarRoom not started: an on-call group is not right', 'zh-CN': 'WarRoom 未拉起：值班组有误' },
  badScheduleText: {
    'en-US': 'Nothing was sent. "{value}" is not scene:role: give each on-call group as its COC scene id and role id joined by a colon (ids without spaces, colons or commas, at most 255 characters), groups separated by commas, e.g. --schedule payments-oncall:first-line.',
    'zh-CN': '未发送任何内容。“{value}”不是“场景:角色”格式：每个值班组请用冒号连接 COC 值班场景 ID 和角色 ID（ID 不含空格、冒号或逗号，最多 255 个字符），多个组用逗号分隔，例如 --schedule payments-oncall:first-line。',
  },
  tooManyGroups: { 'en-US': 'Nothing was sent. At most {max} on-call groups, got {count}.', 'zh-CN': '未发送任何内容。最多 {max} 个值班组，收到 {count} 个。' },
  startWhat: { 'en-US': 'start a WarRoom for', 'zh-CN': '拉起 WarRoom' },
  started: { 'en-US': 'WarRoom {id} started for {num}', 'zh-CN': '已为 {num} 拉起 WarRoom {id}' },
  startedPost: { 'en-US': 'WarRoom {id} started by {user}', 'zh-CN': '{user} 拉起了 WarRoom {id}' },
  notListed: { 'en-US': 'COC has not listed it yet; "warroom show {num}" shows it later.', 'zh-CN': 'COC 尚未列出；稍后可用“warroom show {num}”查看。' },
  none: { 'en-US': 'No WarRoom for {which}', 'zh-CN': '{which} 没有 WarRoom' },
  noneText: { 'en-US': 'Start one with "warroom create {num}".', 'zh-CN': '可用“warroom create {num}”拉起。' },
  noneTextId: { 'en-US': 'Check the id; "warroom show <incident number>" finds an incident’s WarRoom.', 'zh-CN': '请检查 ID；“warroom show <事件编号>”可查找事件的 WarRoom。' },
  showTitle: { 'en-US': 'WarRoom {id}: {title}', 'zh-CN': 'WarRoom {id}：{title}' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  incident: { 'en-US': 'Incident', 'zh-CN': '事件' },
  incidentLine: { 'en-US': '{num} ({level})', 'zh-CN': '{num}（{level}）' },
  admin: { 'en-US': 'Admin', 'zh-CN': '管理员' },
  leaders: { 'en-US': 'Recovery leads', 'zh-CN': '主恢复责任人' },
  members: { 'en-US': 'Members', 'zh-CN': '恢复成员' },
  regions: { 'en-US': 'Regions', 'zh-CN': '影响区域' },
  applications: { 'en-US': 'Applications', 'zh-CN': '影响应用' },
  occurred: { 'en-US': 'Fault started', 'zh-CN': '故障开始时间' },
  created: { 'en-US': 'Started', 'zh-CN': '拉起时间' },
  recovered: { 'en-US': 'Recovered', 'zh-CN': '恢复时间' },
  processing: { 'en-US': 'In progress for', 'zh-CN': '已处理' },
  handled: { 'en-US': 'Handled in', 'zh-CN': '处理时长' },
  restoration: { 'en-US': 'Time to recover', 'zh-CN': '恢复时长' },
  cause: { 'en-US': 'Fault cause', 'zh-CN': '故障原因' },
  impact: { 'en-US': 'Fault impact', 'zh-CN': '故障影响' },
  counts: { 'en-US': 'WarRooms of the last 30 days: {running} running, {closed} closed.', 'zh-CN': '最近 30 天的 WarRoom：进行中 {running} 个，已关闭 {closed} 个。' },
  notInPlace: {
    'en-US': 'Changes since the last summary are counted in the incident’s own place ({places}).',
    'zh-CN': '自上次摘要以来的变化只在事件自己的位置统计（{places}）。',
  },
} satisfies Record<string, Text>;

function people(directory: Directory | undefined, ids: readonly string[]): string {
  return ids.map((id) => (directory ? personName(directory, id) : id)).join(', ');
}

/** The short name of a level code (P1…), as the platform's choices label it. */
function levelLabel(context: CommandContext, code: string): string {
  const level = context.backend.incidents?.choices.levels.find((choice) => choice.code === code);
  return level?.label ?? code;
}

/** How long the WarRoom has lasted: never a time to recover while it runs (war-room-state.ts). */
function durationFields(context: CommandContext, room: WarRoom): { label: string; value: string }[] {
  const { t, locale } = context;
  const lasted = warRoomDurations(room, context.services.now().getTime(), locale);
  if (lasted.running) return [{ label: t(TEXT.processing), value: lasted.inProgress }];
  return [
    { label: t(TEXT.handled), value: lasted.handled },
    { label: t(TEXT.restoration), value: lasted.toRecover },
  ];
}

function warRoomCard(context: CommandContext, room: WarRoom, directory: Directory | undefined, counts?: { running: number; closed: number }): Message {
  const { t, locale } = context;
  const incidentNum = room.incident?.number ?? '';
  const level = room.incident?.level;
  const fields = [
    { label: t(TEXT.status), value: warRoomStatusName(room, locale) },
    { label: t(TEXT.incident), value: incidentNum ? (level ? t(TEXT.incidentLine, { num: incidentNum, level: levelLabel(context, level) }) : incidentNum) : '' },
    { label: t(TEXT.admin), value: room.admin ? people(directory, [room.admin]) : '' },
    { label: t(TEXT.leaders), value: people(directory, room.leaders) },
    { label: t(TEXT.members), value: people(directory, room.members) },
    { label: t(TEXT.regions), value: room.regions.map((r) => r.name ?? r.code ?? '').filter(Boolean).join(', ') },
    { label: t(TEXT.applications), value: room.applications.map((a) => a.name ?? a.id ?? '').filter(Boolean).join(', ') },
    { label: t(TEXT.occurred), value: utcTime(room.occurredAt) },
    { label: t(TEXT.created), value: utcTime(room.createdAt) },
    { label: t(TEXT.recovered), value: utcTime(room.recoveredAt) },
    ...durationFields(context, room),
    { label: t(TEXT.cause), value: room.faultCause ?? '' },
    { label: t(TEXT.impact), value: room.faultImpact ?? '' },
  ].filter((field) => field.value !== '');
  return {
    title: t(TEXT.showTitle, { id: room.number ?? (room.id ? nativeOf(room.id) : ''), title: room.title ?? '' }),
    ...(room.description ? { text: room.description } : {}),
    tone: 'info',
    fields,
    ...(counts ? { footer: t(TEXT.counts, counts) } : {}),
  };
}

function memberIds(context: CommandContext, directory: Directory, raw: string | undefined): Promise<string[]> {
  if (raw === undefined) return Promise.resolve([]);
  const words = raw.split(',').map((word) => word.trim()).filter(Boolean);
  return Promise.all(
    words.map(async (word) => {
      const found = await findPerson(directory, context.services.db, context.actor, word);
      if (!found.ok) throw new Refusal(context.t(TEXT.badMember), personProblem(found, directory, context.t));
      return found.id;
    }),
  );
}

/** What `warroom create` may say beyond the incident (the button says nothing more). */
interface StartOptions {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly members?: string | undefined;
  readonly schedule?: string | undefined;
}

/** The reference's `schedule_group`: 0-1000 groups, each a scene id and a role id (1-255 characters). */
const SCHEDULE_GROUPS_MAX = 1000;
const SCHEDULE_ID = /^[^\s\p{Cc}:,]{1,255}$/u;

/**
 * `scene:role,scene:role` as on-call groups, each once, with the incident's own on-call scene
 * and role first when it was assigned to one (its on-call people belong in its WarRoom, as its
 * assignee does). A malformed pair refuses the whole command.
 */
function scheduleGroups(context: CommandContext, detail: Incident, raw: string | undefined): ScheduleGroup[] {
  const groups: ScheduleGroup[] = [];
  const add = (group: ScheduleGroup) => {
    if (!groups.some((known) => known.scene === group.scene && known.role === group.role)) groups.push(group);
  };
  if (detail.assigneeScene && detail.assigneeRole) add({ scene: detail.assigneeScene, role: detail.assigneeRole });
  for (const word of (raw ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const [scene = '', role = '', ...rest] = word.split(':').map((part) => part.trim());
    if (rest.length > 0 || !SCHEDULE_ID.test(scene) || !SCHEDULE_ID.test(role)) {
      throw new Refusal(context.t(TEXT.badSchedule), context.t(TEXT.badScheduleText, { value: shown(word, 60) }));
    }
    add({ scene, role });
  }
  if (groups.length > SCHEDULE_GROUPS_MAX) throw new Refusal(context.t(TEXT.badSchedule), context.t(TEXT.tooManyGroups, { max: SCHEDULE_GROUPS_MAX, count: groups.length }));
  return groups;
}

function warRoomName(context: CommandContext, detail: Incident): string {
  const name = `[${levelOf(detail, context.backend.vocabulary, context.locale)}] ${detail.title ?? nativeOf(detail.id)}`;
  return Array.from(name).slice(0, NAME_MAX).join('');
}

/** Starts the incident's WarRoom: checks it fits, sends once, posts the news in the incident's places. */
async function startWarRoom(context: CommandContext, num: string, options: StartOptions = {}): Promise<Message> {
  const { t, locale } = context;
  context.audit.target = num;
  const { name, description } = options;
  return oneAtATime(num, async () => {
    const detail = await readIncident(context, num);
    if (!isOpen(detail.status)) throw new Refusal(t(TEXT.closed, { num, status: statusOf(detail, context.backend.vocabulary, locale) }), t(TEXT.closedText));
    if (detail.warRoom) {
      const room = await readWarRoom(context.backend, detail.warRoom);
      // People by name, as `warroom show` shows them, not by IAM id.
      const card = room ? warRoomCard(context, room, await myDirectory(context)) : { title: '' };
      return { ...card, title: t(TEXT.already, { num, id: nativeOf(detail.warRoom) }), tone: 'info' };
    }
    const applications = detail.applications.filter(Boolean);
    if (applications.length === 0) throw new Refusal(t(TEXT.noApplication, { num }), t(TEXT.noApplicationText));
    const { id: admin, directory } = await myIamUserId(context);
    const groups = scheduleGroups(context, detail, options.schedule);
    const members = await memberIds(context, directory, options.members);
    const participants = [...new Set([...detail.assignees.filter(Boolean), ...members])];
    const project = detail.enterpriseProjects.find(Boolean);
    const regions = detail.regions.filter(Boolean);
    const draft: WarRoomDraft = {
      name: name ?? warRoomName(context, detail),
      description: description ?? Array.from(detail.title ?? '').slice(0, NAME_MAX).join(''),
      applications,
      incident: detail.id,
      admin,
      ...(project !== undefined ? { enterpriseProject: project } : {}),
      ...(regions.length ? { regions } : {}),
      ...(participants.length ? { participants } : {}),
      ...(groups.length ? { scheduleGroups: groups } : {}),
    };
    context.audit.maskedParameters = { ...context.audit.maskedParameters, members: participants.length, onCallGroups: groups.length };
    let id: string;
    let confirmed: string | undefined;
    try {
      id = nativeOf(await warRoomsOf(context).create(draft));
    } catch (error) {
      if (writeFailureOf(error) === 'refused') return explainRefusedChange(context, error, num, TEXT.startWhat);
      // The answer was lost: the incident's WarRoom, read back, says whether it was started.
      const found = await startedWarRoom(context, num);
      auditReadBack(context, found ? 'done' : 'unknown', error);
      if (!found) return unconfirmedChange(context, error, num, TEXT.startWhat, { verdict: 'unknown', detail: await rereadIncident(context, num) }, `warroom show ${num}`);
      id = found;
      confirmed = confirmedNote(context, error);
    }
    await postInPlaces(context, num, { title: t(TEXT.startedPost, { id, user: context.identity.iamUserName }), tone: 'info' });
    const room = await readWarRoom(context.backend, makeId(context.backend.name, 'war-room', id)).catch(() => undefined);
    const card: Message = room ? warRoomCard(context, room, directory) : { text: t(TEXT.notListed, { num }) };
    const text = [confirmed, card.text].filter(Boolean).join('\n');
    return { ...card, ...(text ? { text } : {}), title: t(TEXT.started, { id, num }), tone: 'success' };
  });
}

function warRoomsOf(context: CommandContext): WarRoomsCapability {
  return need(context.backend, 'warRooms');
}

/**
 * The WarRoom of an incident, read back after a lost answer: the incident's link first, then
 * the platform's WarRoom list by incident (what `warroom show <num>` reads). Undefined when
 * neither shows one or the platform cannot be read: absence is not proven, the caller says
 * "unknown".
 */
async function startedWarRoom(context: CommandContext, num: string): Promise<string | undefined> {
  const detail = await rereadIncident(context, num);
  if (detail?.warRoom) return nativeOf(detail.warRoom);
  try {
    const page = await warRoomsOf(context).list({ incident: incidentIdOf(context, num), limit: 1, startedFrom: 0, startedTo: context.services.now().getTime() });
    const room = page.items[0];
    return (room?.id ? nativeOf(room.id) : undefined) ?? room?.number ?? undefined;
  } catch {
    return undefined;
  }
}

/** Tells the incident's places (in their language) about something a person did; a place that refuses is told to that person. */
async function postInPlaces(context: CommandContext, num: string, message: Message): Promise<void> {
  const { services } = context;
  for (const row of await listIncidentChannels(services.db, num)) {
    if (row.closedAt || !services.chat.has(row.platform)) continue;
    try {
      await services.chat.post(targetOfRow(row), message);
    } catch (error) {
      if (!(error instanceof ChatDeliveryError)) throw error;
      await surfaceUndeliveredIncidentPost(services, {
        incidentNum: num,
        target: targetOfRow(row),
        error,
        kind: 'update',
        tell: [context.actor],
        where: targetOf(context.actor, context.place),
      });
    }
  }
}

const warRoomCreateCommand = defineCommand({
  family: 'warroom',
  words: ['warroom', 'create'],
  discord: { group: 'warroom', name: 'create', description: { 'en-US': 'Start a WarRoom for an open incident', 'zh-CN': '为未关闭的事件创建作战室' } },
  needs: ['incidents', 'war-rooms'],
  permission: 'operator',
  mutates: true,
  summary: { 'en-US': 'Start a COC WarRoom for an open incident', 'zh-CN': '为未关闭的事件拉起 COC WarRoom' },
  examples: [
    'warroom create IM202603140925001234567890',
    'warroom create IM202603140925001234567890 --members @bob,carol',
    'warroom create IM202603140925001234567890 --schedule payments-oncall:first-line',
  ],
  positionals: { num: incidentNumberArg },
  flags: {
    name: arg.string({ max: NAME_MAX, description: { 'en-US': "The WarRoom's title (default: [level] incident title)", 'zh-CN': 'WarRoom 标题（默认：[级别] 事件标题）' } }),
    description: arg.string({ max: NAME_MAX, description: { 'en-US': 'Its description (default: the incident title)', 'zh-CN': 'WarRoom 描述（默认：事件标题）' } }),
    members: arg.string({
      max: MEMBERS_MAX,
      placeholder: { 'en-US': '@alice,bob', 'zh-CN': '@alice,bob' },
      description: { 'en-US': 'Chat users or IAM user names to add, comma-separated (the assignee is always added)', 'zh-CN': '要加入的聊天用户或 IAM 用户名，逗号分隔（处理人总会加入）' },
    }),
    schedule: arg.string({
      max: MEMBERS_MAX,
      localName: { 'en-US': 'schedule', 'zh-CN': '值班组' },
      placeholder: { 'en-US': 'scene:role,…', 'zh-CN': 'scene:role,…' },
      // Discord shows at most 100 characters: the incident's own group is said in help's examples.
      description: { 'en-US': 'On-call groups to add: scene-id:role-id, comma-separated', 'zh-CN': '要拉入的值班组：场景ID:角色ID，逗号分隔' },
    }),
  },
  run: (context, { num, name, description, members, schedule }) => startWarRoom(context, num, { name, description, members, schedule }),
});

const warRoomShowCommand = defineCommand({
  family: 'warroom',
  words: ['warroom', 'show'],
  discord: { group: 'warroom', name: 'show', description: { 'en-US': 'Status, members, durations, impact', 'zh-CN': '状态、成员、时长、影响' } },
  needs: ['war-rooms'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'A WarRoom: status, members, durations, impact', 'zh-CN': '一个 WarRoom：状态、成员、时长、影响' },
  examples: ['warroom show IM202603140925001234567890', 'warroom show WR202603140930001234567890'],
  positionals: { which: warRoomOrIncidentArg },
  flags: {},
  async run(context, { which }) {
    const { t, services } = context;
    const warRooms = warRoomsOf(context);
    context.audit.target = which;
    // An incident's WarRoom may be older than the platform's default window (COC: 30 days): ask from the start.
    const byIncident = await warRooms.list({ incident: incidentIdOf(context, which), limit: 1, startedFrom: 0, startedTo: services.now().getTime() });
    let room = byIncident.items[0];
    let counts: WarRoomCounts = byIncident;
    if (!room) {
      const byId = await warRooms.list({ rooms: [which], limit: 1 });
      room = byId.items.find((candidate) => (candidate.id !== undefined && nativeOf(candidate.id) === which) || candidate.number === which);
      counts = byId;
    }
    if (!room) {
      const looksLikeIncident = isIncidentNum(which) && /^IM/i.test(which);
      throw new Refusal(t(TEXT.none, { which: shown(which, 60) }), looksLikeIncident ? t(TEXT.noneText, { num: which }) : t(TEXT.noneTextId));
    }
    const directory = await myDirectory(context);
    const tenant = warRooms.counts ? await warRooms.counts().catch(() => counts) : counts;
    return warRoomCard(context, room, directory, { running: tenant.running ?? 0, closed: tenant.closed ?? 0 });
  },
});

async function myDirectory(context: CommandContext): Promise<Directory | undefined> {
  try {
    return (await myIamUserId(context)).directory;
  } catch {
    return undefined;
  }
}

const warRoomSummaryCommand = defineCommand({
  family: 'warroom',
  words: ['warroom', 'summary'],
  discord: { group: 'warroom', name: 'summary', description: { 'en-US': "Post the incident's summary here", 'zh-CN': '在此发布事件总结' } },
  needs: ['incidents'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'Post the incident’s summary here: status, level, duration, WarRoom, changes, orders', 'zh-CN': '在此发布事件摘要：状态、级别、时长、WarRoom、变化、工单' },
  examples: ['warroom summary IM202603140925001234567890'],
  positionals: { num: incidentNumberArg },
  flags: {},
  async run(context, { num }) {
    const { services, actor, place, locale } = context;
    context.audit.target = num;
    const detail = await readIncident(context, num);
    const [warRoom, orders, timeline] = await Promise.all([
      readWarRoom(context.backend, detail.warRoom).catch(() => undefined),
      loadLinkedOrders(services.db, context.backend, num),
      readTimeline(context.backend.incidents, detail.id),
    ]);
    const here = await findIncidentChannelByPlace(services.db, { platform: actor.platform, workspaceId: actor.workspaceId, channelId: place.channelId, threadRef: place.threadId ?? null });
    const inPlace = here?.incidentNum === num ? here : undefined;
    const previousState = inPlace ? readSummaryState(inPlace.summaryState) : undefined;
    const now = services.now();
    const minutes = services.config.incidents.summaryMinutes;
    const message = summaryMessage(detail, {
      t: context.t,
      locale,
      vocabulary: context.backend.vocabulary,
      now,
      orders,
      ...(warRoom ? { warRoom } : {}),
      ...(previousState && inPlace?.lastSummaryAt ? { previous: { state: previousState, at: inPlace.lastSummaryAt } } : {}),
      ...(inPlace && isOpen(detail.status) ? { nextInMinutes: minutes } : {}),
      ...(timeline ? { timeline } : {}),
    });
    if (inPlace) {
      await recordSummary(services.db, { platform: inPlace.platform, workspaceId: inPlace.workspaceId, incidentNum: num }, now, summaryStateOf(detail, warRoom, orders));
      return message;
    }
    const places = (await listIncidentChannels(services.db, num)).map((row) => `${row.platform} ${targetOfRow(row).channelId}`);
    return places.length ? { ...message, footer: [message.footer, context.t(TEXT.notInPlace, { places: places.join(', ') })].filter(Boolean).join(' ') } : message;
  },
});

export const WARROOM_COMMANDS: readonly SomeTypedCommand[] = [warRoomCreateCommand, warRoomShowCommand, warRoomSummaryCommand];

export const WARROOM_ACTIONS: readonly ActionDefinition[] = [
  {
    id: INCIDENT_ACTION_IDS.warRoom,
    family: 'warroom',
    permission: 'operator',
    mutates: true,
    run: async (context, value) => startWarRoom(context, incidentNumOf(context, value)),
  },
];
