/**
 * The incident card: what the platform knows about the incident, its WarRoom, the orders run for it,
 * the last entries of its timeline, and its buttons. Where the platform says which actions it
 * offers now to the person reading (COC's v2 tasks), the buttons are those (narrowed by the
 * reader's role); otherwise they are the ones that fit the status.
 * A card posted into a channel shows every button that fits the status: whoever clicks is
 * checked then, and the incident is read again before anything is sent.
 */
import { isKnownCode, label, nativeOf, type Incident, type IncidentHistoryEntry, type Vocabulary, type WarRoom } from '../backends/index.js';
import type { Button, Message, MessageSection } from '../core/message.js';
import { utcTime } from '../i18n/format.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';
import { roleAtLeast } from '../identity/roles.js';
import type { Role } from '../store/vocabulary.js';
import type { LinkedOrder } from './linked-orders.js';
import { named, people } from './names.js';
import type { OfferedOperations } from './offers.js';
import { timelineSection } from './timeline.js';
import { INCIDENT_ACTION_IDS, isCompleted, isOpen, isRejected, OPERATIONS, operationsFor, type IncidentOperation } from './workflow.js';

export const CARD_TEXT = {
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
  warRoomStatus: { 'en-US': 'WarRoom status', 'zh-CN': 'WarRoom 状态' },
  noWarRoom: { 'en-US': 'none', 'zh-CN': '无' },
  noDescription: { 'en-US': '(no description)', 'zh-CN': '（无描述）' },
  orders: { 'en-US': 'Orders run for this incident', 'zh-CN': '为此事件执行的工单' },
  orderLine: { 'en-US': '{uuid} · {script} · {status}{by}', 'zh-CN': '{uuid} · {script} · {status}{by}' },
  orderBy: { 'en-US': ' · by {user}', 'zh-CN': ' · 执行人 {user}' },
  orderUnread: { 'en-US': 'status not readable now', 'zh-CN': '暂时无法读取状态' },
  accept: { 'en-US': 'Accept', 'zh-CN': '受理' },
  solve: { 'en-US': 'Submit solution', 'zh-CN': '提交解决方案' },
  verify: { 'en-US': 'Verify', 'zh-CN': '验证通过' },
  reject: { 'en-US': 'Reject solution', 'zh-CN': '验证不通过' },
  refresh: { 'en-US': 'Refresh', 'zh-CN': '刷新' },
  startWarRoom: { 'en-US': 'Start WarRoom', 'zh-CN': '拉起 WarRoom' },
  noChatAction: {
    'en-US': 'COC offers no action for this status through its API; continue in the COC console.',
    'zh-CN': 'COC 的接口不支持在此状态下操作；请在 COC 控制台继续处理。',
  },
  completed: { 'en-US': 'This incident is completed.', 'zh-CN': '该事件已完成。' },
  rejected: {
    'en-US': 'Its solution was rejected: rework it and submit it again (Submit solution), to be verified once more.',
    'zh-CN': '解决方案已被驳回：请修改后重新提交（提交解决方案），再次等待验证。',
  },
  needsRole: { 'en-US': 'Other actions need the {role} role.', 'zh-CN': '其他操作需要 {role} 角色。' },
  noOffer: {
    'en-US': 'COC offers you no action on this incident now (another person’s step, or it waits on someone else).',
    'zh-CN': 'COC 当前未向您提供对该事件的操作（由他人处理，或在等待他人）。',
  },
} satisfies Record<string, Text>;

export interface IncidentCardOptions {
  readonly t: Translate;
  readonly locale: Locale;
  /** The platform's codes in words. */
  readonly vocabulary: Vocabulary;
  /** The reader's role; undefined = a card for a channel (every button that fits the status). */
  readonly role?: Role;
  readonly orders?: readonly LinkedOrder[];
  readonly warRoom?: WarRoom;
  /** A line for the footer (e.g. where notifications go). */
  readonly note?: string;
  /** What the platform offers the reader now; undefined = it cannot say (the buttons follow the status). */
  readonly offered?: OfferedOperations;
  /** The incident's timeline, oldest first; its last entries are shown. */
  readonly timeline?: readonly IncidentHistoryEntry[];
}

const OPERATION_LABEL: Readonly<Record<IncidentOperation, keyof typeof CARD_TEXT>> = {
  accept: 'accept',
  solve: 'solve',
  verify: 'verify',
  reject: 'reject',
};

/** The operations a card offers: what the platform offers now when it says, else what fits the status. */
export function cardOperations(detail: Pick<Incident, 'status'>, offered?: OfferedOperations): IncidentOperation[] {
  return offered ? [...offered.keys()] : operationsFor(detail.status);
}

export function incidentButtons(detail: Incident, t: Translate, role?: Role, offered?: OfferedOperations): { buttons: Button[]; withheld: Role | undefined } {
  const num = nativeOf(detail.id);
  const buttons: Button[] = [];
  let withheld: Role | undefined;
  const allowed = (needed: Role) => {
    if (role === undefined || roleAtLeast(role, needed)) return true;
    withheld ??= needed;
    return false;
  };
  for (const operation of cardOperations(detail, offered)) {
    if (!allowed(OPERATIONS[operation].permission)) continue;
    buttons.push({
      actionId: INCIDENT_ACTION_IDS[operation],
      label: t(CARD_TEXT[OPERATION_LABEL[operation]]),
      value: num,
      ...(operation === 'reject' ? { style: 'danger' as const } : { style: 'primary' as const }),
    });
  }
  if (isOpen(detail.status) && !detail.warRoom && allowed('operator')) {
    buttons.push({ actionId: INCIDENT_ACTION_IDS.warRoom, label: t(CARD_TEXT.startWarRoom), value: num });
  }
  buttons.push({ actionId: INCIDENT_ACTION_IDS.refresh, label: t(CARD_TEXT.refresh), value: num });
  return { buttons, withheld };
}

function orderStatusName(vocabulary: Vocabulary, status: string, locale: Locale): string {
  return isKnownCode(vocabulary, 'runStatus', status) ? label(vocabulary, 'runStatus', status, locale) : status;
}

export function ordersSection(orders: readonly LinkedOrder[], t: Translate, locale: Locale, vocabulary: Vocabulary): MessageSection | undefined {
  if (orders.length === 0) return undefined;
  return {
    title: t(CARD_TEXT.orders),
    text: orders
      .map((order) =>
        t(CARD_TEXT.orderLine, {
          uuid: nativeOf(order.run),
          script: order.scriptName ?? '?',
          status: order.status ? orderStatusName(vocabulary, order.status, locale) : t(CARD_TEXT.orderUnread),
          by: order.startedBy ? t(CARD_TEXT.orderBy, { user: order.startedBy }) : '',
        }),
      )
      .join('\n'),
  };
}

export function warRoomStatusName(room: WarRoom | undefined, locale: Locale): string {
  const status = room?.status;
  if (!status) return '';
  return (locale === 'zh-CN' ? (status.zh ?? status.en) : (status.en ?? status.zh)) ?? status.code ?? '';
}

export function incidentCard(detail: Incident, options: IncidentCardOptions): Message {
  const { t, locale, vocabulary } = options;
  const names = detail.names;
  const num = nativeOf(detail.id);
  const warRoom = detail.warRoom ? nativeOf(detail.warRoom) : '';
  const interrupted = detail.serviceInterrupted === true ? t(CARD_TEXT.yes) : detail.serviceInterrupted === false ? t(CARD_TEXT.no) : t(CARD_TEXT.unknown);
  const assignee = detail.assignees.length
    ? people(detail.assignees, 'assignee', names, locale)
    : detail.assigneeScene || detail.assigneeRole
      ? t(CARD_TEXT.assigneeScene, { scene: detail.assigneeScene ?? '', role: detail.assigneeRole ?? '' })
      : '';
  const fields = [
    { label: t(CARD_TEXT.level), value: named(vocabulary, 'incidentLevel', 'level', detail.level, names, locale) },
    { label: t(CARD_TEXT.type), value: named(vocabulary, 'incidentType', 'type', detail.type, names, locale) },
    { label: t(CARD_TEXT.status), value: named(vocabulary, 'incidentStatus', 'status', detail.status?.code, names, locale) },
    { label: t(CARD_TEXT.interrupted), value: interrupted },
    { label: t(CARD_TEXT.assignee), value: assignee },
    { label: t(CARD_TEXT.created), value: utcTime(detail.createdAt) },
    { label: t(CARD_TEXT.creator), value: detail.creator ? people([detail.creator], 'creator', names, locale) : '' },
    { label: t(CARD_TEXT.warRoom), value: warRoom || t(CARD_TEXT.noWarRoom) },
    { label: t(CARD_TEXT.warRoomStatus), value: warRoom ? warRoomStatusName(options.warRoom, locale) : '' },
    { label: t(CARD_TEXT.source), value: named(vocabulary, 'incidentSource', 'source', detail.source, names, locale) },
    { label: t(CARD_TEXT.application), value: people(detail.applications, 'application', names, locale) },
    { label: t(CARD_TEXT.region), value: detail.regions.filter(Boolean).join(', ') },
    { label: t(CARD_TEXT.faultStart), value: utcTime(detail.startedAt) },
    { label: t(CARD_TEXT.recovered), value: utcTime(detail.recoveredAt) },
  ].filter((field) => field.value !== '');
  const orders = ordersSection(options.orders ?? [], t, locale, vocabulary);
  const timeline = timelineSection(options.timeline, num, options);
  const sections = [orders, timeline].filter((section) => section !== undefined);
  const { buttons, withheld } = incidentButtons(detail, t, options.role, options.offered);
  const notes: string[] = [];
  if (isCompleted(detail.status)) notes.push(t(CARD_TEXT.completed));
  else if (options.offered && options.offered.size === 0 && isOpen(detail.status)) notes.push(t(CARD_TEXT.noOffer));
  else if (isRejected(detail.status)) notes.push(t(CARD_TEXT.rejected));
  else if (cardOperations(detail, options.offered).length === 0) notes.push(t(CARD_TEXT.noChatAction));
  if (withheld) notes.push(t(CARD_TEXT.needsRole, { role: withheld }));
  if (options.note) notes.push(options.note);
  return {
    title: t(CARD_TEXT.showTitle, { num, title: detail.title ?? '' }),
    text: detail.description?.trim() || t(CARD_TEXT.noDescription),
    tone: isCompleted(detail.status) ? 'success' : 'info',
    fields,
    ...(sections.length ? { sections } : {}),
    buttons,
    ...(notes.length ? { footer: notes.join(locale === 'zh-CN' ? '' : ' ') } : {}),
  };
}
