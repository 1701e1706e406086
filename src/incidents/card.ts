/**
 * The incident card: what COC knows about the incident, its WarRoom, the orders run for it,
 * and the buttons that fit its status (and, for a card shown to one person, their role).
 * A card posted into a channel shows every button that fits the status: whoever clicks is
 * checked then, and the incident is read again before anything is sent.
 */
import type { IncidentDetail } from '../coc/schemas/incidents.js';
import type { WarRoomInfo } from '../coc/schemas/warrooms.js';
import type { Button, Message, MessageSection } from '../core/message.js';
import { enumName, isKnownEnum } from '../i18n/coc-enums.js';
import { utcTime } from '../i18n/format.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';
import { roleAtLeast } from '../identity/roles.js';
import type { Role } from '../store/vocabulary.js';
import type { LinkedOrder } from './linked-orders.js';
import { named, namesOfDetail, people } from './names.js';
import { INCIDENT_ACTION_IDS, isOpen, OPERATIONS, operationsFor, type IncidentOperation } from './workflow.js';

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
  needsRole: { 'en-US': 'Other actions need the {role} role.', 'zh-CN': '其他操作需要 {role} 角色。' },
} satisfies Record<string, Text>;

export interface IncidentCardOptions {
  readonly t: Translate;
  readonly locale: Locale;
  /** The reader's role; undefined = a card for a channel (every button that fits the status). */
  readonly role?: Role;
  readonly orders?: readonly LinkedOrder[];
  readonly warRoom?: WarRoomInfo;
  /** A line for the footer (e.g. where notifications go). */
  readonly note?: string;
}

const OPERATION_LABEL: Readonly<Record<IncidentOperation, keyof typeof CARD_TEXT>> = {
  accept: 'accept',
  solve: 'solve',
  verify: 'verify',
  reject: 'reject',
};

export function incidentButtons(detail: IncidentDetail, t: Translate, role?: Role): { buttons: Button[]; withheld: Role | undefined } {
  const num = detail.incident_num;
  const buttons: Button[] = [];
  let withheld: Role | undefined;
  const allowed = (needed: Role) => {
    if (role === undefined || roleAtLeast(role, needed)) return true;
    withheld ??= needed;
    return false;
  };
  for (const operation of operationsFor(detail.status)) {
    if (!allowed(OPERATIONS[operation].permission)) continue;
    buttons.push({
      actionId: INCIDENT_ACTION_IDS[operation],
      label: t(CARD_TEXT[OPERATION_LABEL[operation]]),
      value: num,
      ...(operation === 'reject' ? { style: 'danger' as const } : { style: 'primary' as const }),
    });
  }
  if (isOpen(detail.status) && !detail.warroom_id && allowed('operator')) {
    buttons.push({ actionId: INCIDENT_ACTION_IDS.warRoom, label: t(CARD_TEXT.startWarRoom), value: num });
  }
  buttons.push({ actionId: INCIDENT_ACTION_IDS.refresh, label: t(CARD_TEXT.refresh), value: num });
  return { buttons, withheld };
}

function orderStatusName(status: string, locale: Locale): string {
  return isKnownEnum('orderStatus', status) ? enumName('orderStatus', status, locale) : status;
}

export function ordersSection(orders: readonly LinkedOrder[], t: Translate, locale: Locale): MessageSection | undefined {
  if (orders.length === 0) return undefined;
  return {
    title: t(CARD_TEXT.orders),
    text: orders
      .map((order) =>
        t(CARD_TEXT.orderLine, {
          uuid: order.executeUuid,
          script: order.scriptName ?? '?',
          status: order.status ? orderStatusName(order.status, locale) : t(CARD_TEXT.orderUnread),
          by: order.startedBy ? t(CARD_TEXT.orderBy, { user: order.startedBy }) : '',
        }),
      )
      .join('\n'),
  };
}

export function warRoomStatusName(room: WarRoomInfo | undefined, locale: Locale): string {
  const status = room?.war_room_status;
  if (!status) return '';
  return (locale === 'zh-CN' ? (status.name_zh ?? status.name_en) : (status.name_en ?? status.name_zh)) ?? status.id ?? '';
}

export function incidentCard(detail: IncidentDetail, options: IncidentCardOptions): Message {
  const { t, locale } = options;
  const names = namesOfDetail(detail);
  const interrupted = detail.is_service_interrupt === true ? t(CARD_TEXT.yes) : detail.is_service_interrupt === false ? t(CARD_TEXT.no) : t(CARD_TEXT.unknown);
  const assignee = detail.incident_assignee.length
    ? people(detail.incident_assignee, 'assignee', names, locale)
    : detail.assignee_scene || detail.assignee_role
      ? t(CARD_TEXT.assigneeScene, { scene: detail.assignee_scene ?? '', role: detail.assignee_role ?? '' })
      : '';
  const fields = [
    { label: t(CARD_TEXT.level), value: named('incidentLevel', 'level_id', detail.incident_level, names, locale) },
    { label: t(CARD_TEXT.type), value: named('incidentType', 'mtm_type', detail.incident_type, names, locale) },
    { label: t(CARD_TEXT.status), value: named('incidentStatus', 'work_flow_status', detail.status, names, locale) },
    { label: t(CARD_TEXT.interrupted), value: interrupted },
    { label: t(CARD_TEXT.assignee), value: assignee },
    { label: t(CARD_TEXT.created), value: utcTime(detail.create_time) },
    { label: t(CARD_TEXT.creator), value: detail.creator ? people([detail.creator], 'creator', names, locale) : '' },
    { label: t(CARD_TEXT.warRoom), value: detail.warroom_id || t(CARD_TEXT.noWarRoom) },
    { label: t(CARD_TEXT.warRoomStatus), value: detail.warroom_id ? warRoomStatusName(options.warRoom, locale) : '' },
    { label: t(CARD_TEXT.source), value: named('incidentSource', 'source_id', detail.incident_source, names, locale) },
    { label: t(CARD_TEXT.application), value: people(detail.current_cloud_service, 'current_cloud_service_id', names, locale) },
    { label: t(CARD_TEXT.region), value: detail.region.filter(Boolean).join(', ') },
    { label: t(CARD_TEXT.faultStart), value: utcTime(detail.start_time) },
    { label: t(CARD_TEXT.recovered), value: utcTime(detail.fault_recovery_time) },
  ].filter((field) => field.value !== '');
  const orders = ordersSection(options.orders ?? [], t, locale);
  const { buttons, withheld } = incidentButtons(detail, t, options.role);
  const notes: string[] = [];
  if (detail.status === 'INCIDENT_STATUS_COMPLETED') notes.push(t(CARD_TEXT.completed));
  else if (operationsFor(detail.status).length === 0) notes.push(t(CARD_TEXT.noChatAction));
  if (withheld) notes.push(t(CARD_TEXT.needsRole, { role: withheld }));
  if (options.note) notes.push(options.note);
  return {
    title: t(CARD_TEXT.showTitle, { num: detail.incident_num, title: detail.incident_title ?? '' }),
    text: detail.incident_description?.trim() || t(CARD_TEXT.noDescription),
    tone: detail.status === 'INCIDENT_STATUS_COMPLETED' ? 'success' : 'info',
    fields,
    ...(orders ? { sections: [orders] } : {}),
    buttons,
    ...(notes.length ? { footer: notes.join(locale === 'zh-CN' ? '' : ' ') } : {}),
  };
}
