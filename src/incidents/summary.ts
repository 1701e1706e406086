/**
 * The incident summary posted in an incident's place on demand and every
 * `incidents.summaryMinutes` while it is open: status, level, how long it has been open, its
 * WarRoom, what changed since the last summary, the orders run for it, and the last entries of
 * its timeline where the platform keeps one.
 *
 * What a summary showed is kept (`SummaryState`, stored with the place), so the next one can
 * say what changed.
 */
import { z } from 'zod';
import { isKnownCode, label, nativeOf, type Incident, type IncidentHistoryEntry, type Vocabulary, type WarRoom } from '../backends/index.js';
import type { Message, MessageSection } from '../core/message.js';
import { utcTime } from '../i18n/format.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';
import { ordersSection, warRoomStatusName } from './card.js';
import { between } from './durations.js';
import type { LinkedOrder } from './linked-orders.js';
import { levelOf, statusOf } from './names.js';
import { timelineSection } from './timeline.js';
import { isOpen } from './workflow.js';

export const SummaryState = z.object({
  status: z.string().nullable(),
  level: z.string().nullable(),
  warRoomId: z.string().nullable(),
  warRoomStatus: z.string().nullable(),
  /** execute uuid → order status (null = not readable then). */
  orders: z.record(z.string(), z.string().nullable()),
});
export type SummaryState = z.infer<typeof SummaryState>;

const TEXT = {
  title: { 'en-US': 'Summary of incident {num}: {title}', 'zh-CN': '事件 {num} 摘要：{title}' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  level: { 'en-US': 'Level', 'zh-CN': '级别' },
  open: { 'en-US': 'Open for', 'zh-CN': '已持续' },
  faultLasted: { 'en-US': 'Fault lasted', 'zh-CN': '故障持续' },
  warRoom: { 'en-US': 'WarRoom', 'zh-CN': 'WarRoom' },
  noWarRoom: { 'en-US': 'none', 'zh-CN': '无' },
  warRoomLine: { 'en-US': '{id} ({status})', 'zh-CN': '{id}（{status}）' },
  changes: { 'en-US': 'Since the last summary ({time})', 'zh-CN': '自上次摘要（{time}）以来' },
  noChange: { 'en-US': 'No change.', 'zh-CN': '无变化。' },
  first: { 'en-US': 'This is the first summary here; the next one says what changed since.', 'zh-CN': '这是此处的第一份摘要；下一份将说明期间的变化。' },
  statusChanged: { 'en-US': 'Status: {from} → {to}', 'zh-CN': '状态：{from} → {to}' },
  levelChanged: { 'en-US': 'Level: {from} → {to}', 'zh-CN': '级别：{from} → {to}' },
  warRoomStarted: { 'en-US': 'WarRoom {id} started', 'zh-CN': 'WarRoom {id} 已拉起' },
  warRoomChanged: { 'en-US': 'WarRoom {id}: {from} → {to}', 'zh-CN': 'WarRoom {id}：{from} → {to}' },
  orderNew: { 'en-US': 'Order {uuid} ({script}) run: {status}', 'zh-CN': '执行了工单 {uuid}（{script}）：{status}' },
  orderChanged: { 'en-US': 'Order {uuid} ({script}): {from} → {to}', 'zh-CN': '工单 {uuid}（{script}）：{from} → {to}' },
  noOrders: { 'en-US': 'No order has been run for this incident from chat.', 'zh-CN': '尚未从聊天中为此事件执行工单。' },
  unreadable: { 'en-US': 'not readable', 'zh-CN': '无法读取' },
  next: { 'en-US': 'Next summary in {minutes} min.', 'zh-CN': '{minutes} 分钟后发送下一份摘要。' },
} satisfies Record<string, Text>;

/** The platform's own codes and ids, as earlier summaries stored them (orders keyed by run id). */
export function summaryStateOf(detail: Incident, warRoom: WarRoom | undefined, orders: readonly LinkedOrder[]): SummaryState {
  return {
    status: detail.status?.code ?? null,
    level: detail.level ?? null,
    warRoomId: detail.warRoom ? nativeOf(detail.warRoom) : null,
    warRoomStatus: warRoom?.status?.code ?? null,
    orders: Object.fromEntries(orders.map((order) => [order.run, order.status ?? null])),
  };
}

/** A stored state, or undefined when there is none (or it is not one this code wrote). */
export function readSummaryState(stored: unknown): SummaryState | undefined {
  const parsed = SummaryState.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

function orderStatus(vocabulary: Vocabulary, status: string | null | undefined, t: Translate, locale: Locale): string {
  if (!status) return t(TEXT.unreadable);
  return isKnownCode(vocabulary, 'runStatus', status) ? label(vocabulary, 'runStatus', status, locale) : status;
}

function changes(detail: Incident, now: SummaryState, before: SummaryState, orders: readonly LinkedOrder[], options: SummaryOptions): string[] {
  const { t, locale, vocabulary, warRoom } = options;
  const lines: string[] = [];
  if (before.status !== now.status) {
    lines.push(t(TEXT.statusChanged, { from: label(vocabulary, 'incidentStatus', before.status, locale) || '?', to: statusOf(detail, vocabulary, locale) }));
  }
  if (before.level !== now.level) lines.push(t(TEXT.levelChanged, { from: label(vocabulary, 'incidentLevel', before.level, locale) || '?', to: levelOf(detail, vocabulary, locale) }));
  if (now.warRoomId && before.warRoomId !== now.warRoomId) lines.push(t(TEXT.warRoomStarted, { id: now.warRoomId }));
  else if (now.warRoomId && before.warRoomStatus && now.warRoomStatus && before.warRoomStatus !== now.warRoomStatus) {
    lines.push(t(TEXT.warRoomChanged, { id: now.warRoomId, from: before.warRoomStatus, to: warRoomStatusName(warRoom, locale) || now.warRoomStatus }));
  }
  for (const order of [...orders].reverse()) {
    const script = order.scriptName ?? '?';
    if (!Object.hasOwn(before.orders, order.run)) {
      lines.push(t(TEXT.orderNew, { uuid: nativeOf(order.run), script, status: orderStatus(vocabulary, order.status, t, locale) }));
      continue;
    }
    const was = before.orders[order.run];
    if (was && order.status && was !== order.status) {
      lines.push(t(TEXT.orderChanged, { uuid: nativeOf(order.run), script, from: orderStatus(vocabulary, was, t, locale), to: orderStatus(vocabulary, order.status, t, locale) }));
    }
  }
  return lines;
}

export interface SummaryOptions {
  readonly t: Translate;
  readonly locale: Locale;
  /** The platform's codes in words. */
  readonly vocabulary: Vocabulary;
  readonly now: Date;
  readonly orders: readonly LinkedOrder[];
  readonly warRoom?: WarRoom;
  /** What the last summary here showed, and when; undefined = none yet. */
  readonly previous?: { readonly state: SummaryState; readonly at: Date };
  /** Minutes to the next periodic summary (0 = none). */
  readonly nextInMinutes?: number;
  /** The incident's timeline, oldest first (its last entries are shown). */
  readonly timeline?: readonly IncidentHistoryEntry[];
}

export function summaryMessage(detail: Incident, options: SummaryOptions): Message {
  const { t, locale, vocabulary } = options;
  const state = summaryStateOf(detail, options.warRoom, options.orders);
  const warRoomId = detail.warRoom ? nativeOf(detail.warRoom) : '';
  const fields = [
    { label: t(TEXT.status), value: statusOf(detail, vocabulary, locale) },
    { label: t(TEXT.level), value: levelOf(detail, vocabulary, locale) },
    // Since the ticket was opened (create_time), while it is open; a completed one is not "open for" anything.
    { label: t(TEXT.open), value: isOpen(detail.status) ? between(detail.createdAt, options.now.getTime(), locale) : '' },
    // From the fault's start (start_time, else the ticket) to its recovery (fault_recovery_time), once recovered.
    { label: t(TEXT.faultLasted), value: between(detail.startedAt ?? detail.createdAt, detail.recoveredAt, locale) },
    {
      label: t(TEXT.warRoom),
      value: warRoomId ? t(TEXT.warRoomLine, { id: warRoomId, status: warRoomStatusName(options.warRoom, locale) || '?' }) : t(TEXT.noWarRoom),
    },
  ].filter((field) => field.value !== '');
  const sections: MessageSection[] = [];
  if (options.previous) {
    const lines = changes(detail, state, options.previous.state, options.orders, options);
    sections.push({ title: t(TEXT.changes, { time: utcTime(options.previous.at.getTime()) }), text: lines.length ? lines.map((line) => `• ${line}`).join('\n') : t(TEXT.noChange) });
  } else {
    sections.push({ text: t(TEXT.first) });
  }
  const orders = ordersSection(options.orders, t, locale, vocabulary);
  sections.push(orders ?? { text: t(TEXT.noOrders) });
  const timeline = timelineSection(options.timeline, nativeOf(detail.id), options);
  if (timeline) sections.push(timeline);
  return {
    title: t(TEXT.title, { num: nativeOf(detail.id), title: detail.title ?? '' }),
    tone: 'info',
    fields,
    sections,
    ...(options.nextInMinutes ? { footer: t(TEXT.next, { minutes: options.nextInMinutes }) } : {}),
  };
}
