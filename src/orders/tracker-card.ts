/**
 * What a live card says: the order card of `order show` (progress bar, batch n of m, counts,
 * the batch's hosts, failing hosts' redacted output, the buttons that fit the status) with a
 * banner while COC cannot be read, and, once the order has ended, its final summary. Also the
 * short notification its requester gets, and the hash that tells whether a card changed.
 *
 * Everything here is a pure function of what was read: the same state renders the same
 * message, so an unchanged order hashes the same and its card is not edited.
 */
import { createHash } from 'node:crypto';
import type { Message } from '../core/message.js';
import { duration } from '../i18n/format.js';
import { translator, type Locale, type Text, type Translate } from '../i18n/translate.js';
import { parseId, platformName, type RunId } from '../backends/index.js';
import type { RunStart } from '../store/run-starts.js';
import { countIn, ORDER_ACTION_IDS, orderCard, statusName, totalHosts, type OrderSnapshot } from './order-card.js';

const TEXT = {
  placeholderTitle: { 'en-US': 'Order {uuid}', 'zh-CN': '工单 {uuid}' },
  reading: { 'en-US': 'Reading the order from {platform}…', 'zh-CN': '正在从 {platform} 读取工单…' },
  unreachable: {
    'en-US': '{platform} unreachable since {since}; this card shows the last state read and updates when {platform} answers again.',
    'zh-CN': '自 {since} 起无法连接 {platform}；此卡片显示最后读取到的状态，{platform} 恢复后会自动更新。',
  },
  unreachableNothing: {
    'en-US': '{platform} unreachable since {since}; the card fills in when {platform} answers again.',
    'zh-CN': '自 {since} 起无法连接 {platform}；{platform} 恢复后卡片会自动更新。',
  },
  live: { 'en-US': 'This card updates itself until the order ends.', 'zh-CN': '此卡片会自动更新，直到工单结束。' },
  finalFooter: { 'en-US': 'Final summary: this card no longer changes.', 'zh-CN': '最终结果：此卡片不再更新。' },
  finished: { 'en-US': 'Order {uuid} finished', 'zh-CN': '工单 {uuid} 已完成' },
  canceled: { 'en-US': 'Order {uuid} was canceled', 'zh-CN': '工单 {uuid} 已取消' },
  abnormal: { 'en-US': 'Order {uuid} stopped with failures', 'zh-CN': '工单 {uuid} 因失败而停止' },
  rolledBack: { 'en-US': 'Order {uuid} was rolled back', 'zh-CN': '工单 {uuid} 已回滚' },
  ended: { 'en-US': 'Order {uuid} ended: {status}', 'zh-CN': '工单 {uuid} 已结束：{status}' },
  gone: { 'en-US': 'Order {uuid} is no longer in {platform}', 'zh-CN': '{platform} 中已没有工单 {uuid}' },
  goneText: {
    'en-US': '{platform} answers that it does not know this order any more, so the card stops here. Last state read: {status}.',
    'zh-CN': '{platform} 表示已不存在该工单，卡片到此停止更新。最后读取到的状态：{status}。',
  },
  goneNever: { 'en-US': '{platform} does not know this order; the card stops here.', 'zh-CN': '{platform} 中没有该工单；卡片到此停止。' },
  summary: {
    'en-US': '{succeeded} of {total} hosts succeeded, {failed} failed, {canceled} canceled.',
    'zh-CN': '共 {total} 台主机：成功 {succeeded} 台，失败 {failed} 台，取消 {canceled} 台。',
  },
  took: { 'en-US': 'It took {duration}.', 'zh-CN': '耗时 {duration}。' },
  noticeWhere: { 'en-US': 'The card in #{channel} has the details.', 'zh-CN': '详情见 #{channel} 中的卡片。' },
} satisfies Record<string, Text>;

/** Failed reads in a row before the card says COC is unreachable (one blip is not news). */
export const UNREACHABLE_AFTER = 3;

/** What the tracker knows about an order, as the cards need it. */
export interface CardState {
  readonly executeUuid: string;
  /** The run's id: says which platform the card names (absent: COC). */
  readonly runId?: RunId;
  readonly snapshot: OrderSnapshot | undefined;
  readonly gone: boolean;
  readonly final: boolean;
  readonly failures: number;
  readonly failingSince: Date | undefined;
  /** Who started it from chat, when the bot did. */
  readonly start?: RunStart;
}

/** Says the card's texts with `{platform}` the platform of the card's run. */
function cardTranslator(state: CardState, locale: Locale): Translate {
  const platform = platformName((state.runId && parseId(state.runId)?.backend) || 'coc');
  return translator(locale, { platform: platform[locale] ?? platform['en-US'] });
}

function sinceText(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function unreachable(state: CardState): Date | undefined {
  return state.failures >= UNREACHABLE_AFTER ? state.failingSince : undefined;
}

/** The card while the order runs (or before it could be read at all). */
export function liveCard(state: CardState, locale: Locale): Message {
  const t = cardTranslator(state, locale);
  const down = unreachable(state);
  if (!state.snapshot) {
    return {
      title: t(TEXT.placeholderTitle, { uuid: state.executeUuid }),
      text: down ? t(TEXT.unreachableNothing, { since: sinceText(down) }) : t(TEXT.reading),
      tone: down ? 'warning' : 'info',
    };
  }
  const card = orderCard(state.snapshot, { t, locale, ...(state.start ? { start: state.start } : {}) });
  // The card refreshes itself; a Refresh button would only add a reply.
  const buttons = (card.buttons ?? []).filter((button) => button.actionId !== ORDER_ACTION_IDS.refresh);
  const { buttons: _dropped, ...rest } = card;
  // Object.assign, in the order a spread would take (the hash depends on it): on Node 20 a
  // `{ ...rest, more }` literal gets a hidden class of its own every time it is built.
  return Object.assign(
    {},
    rest,
    down ? { text: `${t(TEXT.unreachable, { since: sinceText(down) })}\n${card.text ?? ''}`, tone: 'warning' as const } : {},
    buttons.length ? { buttons } : {},
    { footer: [card.footer, t(TEXT.live)].filter(Boolean).join(locale === 'zh-CN' ? '' : ' ') },
  );
}

function finalTitle(state: CardState, t: ReturnType<typeof translator>, locale: Locale): string {
  const uuid = state.executeUuid;
  if (state.gone) return t(TEXT.gone, { uuid });
  const snapshot = state.snapshot;
  switch (snapshot?.run.status.state) {
    case 'succeeded':
      return t(TEXT.finished, { uuid });
    case 'canceled':
      return t(TEXT.canceled, { uuid });
    case 'failed':
    case 'error':
      return t(TEXT.abnormal, { uuid });
    case 'rolled-back':
      return t(TEXT.rolledBack, { uuid });
    default:
      return t(TEXT.ended, { uuid, status: snapshot ? statusName(snapshot.vocabulary, snapshot.run.status.code, locale) : '?' });
  }
}

/** One line: how many hosts succeeded, failed, were canceled, and how long it took. */
function summaryLine(snapshot: OrderSnapshot, t: ReturnType<typeof translator>, locale: Locale): string {
  const { progress, run } = snapshot;
  const line = t(TEXT.summary, {
    succeeded: countIn(progress, 'succeeded'),
    total: totalHosts(progress),
    failed: countIn(progress, 'failed'),
    canceled: countIn(progress, 'canceled'),
  });
  const took = run.durationMs ?? (run.finishedAt && run.createdAt ? run.finishedAt - run.createdAt : undefined);
  const tookText = took !== undefined && took !== null ? duration(took, locale) : '';
  return tookText ? `${line} ${t(TEXT.took, { duration: tookText })}` : line;
}

/** The card once the order has ended: its final summary, without buttons. */
export function finalCard(state: CardState, locale: Locale): Message {
  const t = cardTranslator(state, locale);
  const title = finalTitle(state, t, locale);
  if (!state.snapshot) return { title, text: t(TEXT.goneNever), tone: 'warning', footer: t(TEXT.finalFooter) };
  const card = orderCard(state.snapshot, { t, locale, ...(state.start ? { start: state.start } : {}) });
  const { buttons: _none, ...rest } = card;
  const text = state.gone
    ? t(TEXT.goneText, { status: statusName(state.snapshot.vocabulary, state.snapshot.run.status.code, locale) })
    : `${summaryLine(state.snapshot, t, locale)}\n${card.text ?? ''}`;
  return Object.assign({}, rest, { title, text }, state.gone ? { tone: 'warning' as const } : {}, {
    footer: [card.footer, t(TEXT.finalFooter)].filter(Boolean).join(locale === 'zh-CN' ? '' : ' '),
  });
}

/** The short private note to the person who asked for the card. */
export function finalNotice(state: CardState, locale: Locale, channelId: string): Message {
  const t = cardTranslator(state, locale);
  const title = finalTitle(state, t, locale);
  const summary = state.snapshot && !state.gone ? `${summaryLine(state.snapshot, t, locale)} ` : '';
  const ended = state.snapshot?.run.status.state;
  const tone = ended === 'succeeded' ? 'success' : ended === 'canceled' ? 'info' : 'warning';
  return { title, text: `${summary}${t(TEXT.noticeWhere, { channel: channelId })}`, tone, private: true };
}

/** Identifies what a card shows: equal hashes mean an edit would change nothing. */
export function messageHash(message: Message): string {
  return createHash('sha256').update(JSON.stringify(message)).digest('base64url');
}
