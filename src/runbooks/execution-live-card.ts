/**
 * What a live execution card says: the execution card of `runbook execution` (its steps, and the
 * buttons its state allows now) without Refresh, with a banner while the platform cannot be read;
 * once the execution has ended, the same card as its last word; and, when the platform no longer
 * knows the execution, a card that says so. Also the private note to the requester of a card the
 * platform would not take.
 *
 * Everything here is a pure function of what was read: the same state renders the same message,
 * so an unchanged execution hashes the same and its card is not edited.
 */
import { nativeOf, type Backend, type RunbookExecution } from '../backends/index.js';
import type { Message } from '../core/message.js';
import { placeName, whyUndelivered } from '../core/undelivered.js';
import { translator, type Locale, type Text, type Translate } from '../i18n/translate.js';
import type { ExecutionCardRow } from '../store/tracked-executions.js';
import { UNREACHABLE_AFTER } from '../orders/tracker-card.js';
import { EXECUTION_TEXT, executionCard, RUNBOOK_ACTIONS, STATE_TEXT } from './execution-card.js';

export const LIVE_EXECUTION_TEXT = {
  reading: { 'en-US': 'Reading the execution from {platform}…', 'zh-CN': '正在从 {platform} 读取执行…' },
  unreachable: {
    'en-US': '{platform} unreachable since {since}; this card shows the last state read and updates when {platform} answers again.',
    'zh-CN': '自 {since} 起无法连接 {platform}；此卡片显示最后读取到的状态，{platform} 恢复后会自动更新。',
  },
  live: { 'en-US': 'This card updates itself until the execution ends.', 'zh-CN': '此卡片会自动更新，直到执行结束。' },
  final: { 'en-US': 'Final: this card no longer changes.', 'zh-CN': '最终结果：此卡片不再更新。' },
  gone: { 'en-US': 'Runbook execution {id} is no longer in {platform}', 'zh-CN': '{platform} 中已没有作业执行 {id}' },
  goneText: {
    'en-US': '{platform} answers that it does not know this execution any more, so the card stops here. Last state read: {state}.',
    'zh-CN': '{platform} 表示已不存在该执行，卡片到此停止更新。最后读取到的状态：{state}。',
  },
  goneNever: { 'en-US': '{platform} does not know this execution; the card stops here.', 'zh-CN': '{platform} 中没有该执行；卡片到此停止。' },
  notPosted: { 'en-US': 'The live card of runbook execution {id} could not be posted', 'zh-CN': '作业执行 {id} 的实时卡片无法发布' },
  notUpdated: { 'en-US': 'The live card of runbook execution {id} can no longer be updated', 'zh-CN': '作业执行 {id} 的实时卡片已无法更新' },
  undeliveredText: {
    'en-US': 'Why: {why}. The execution runs on in {platform} regardless: "runbook execution {id}" shows how it is doing.',
    'zh-CN': '原因：{why}。执行仍在 {platform} 中继续：用 "runbook execution {id}" 查看其进展。',
  },
} satisfies Record<string, Text>;

/** What the tracker knows of an execution, as its cards need it. */
export interface ExecutionCardState {
  readonly id: string;
  /** The last read, with its steps; undefined before the first one answered. */
  readonly execution: RunbookExecution | undefined;
  readonly gone: boolean;
  readonly ended: boolean;
  /** Reads that failed in a row, and since when. */
  readonly failures: number;
  readonly failingSince: Date | undefined;
}

function cardTranslator(backend: Backend, locale: Locale): Translate {
  const platform = backend.displayName;
  return translator(locale, { platform: platform[locale] ?? platform['en-US'] });
}

function sinceText(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function joined(locale: Locale, ...parts: readonly (string | undefined)[]): string {
  return parts.filter(Boolean).join(locale === 'zh-CN' ? '' : ' ');
}

/** The card as it should show now: live, the end, or that the platform no longer knows it. */
export function executionLiveCard(backend: Backend, state: ExecutionCardState, locale: Locale): Message {
  const t = cardTranslator(backend, locale);
  const id = nativeOf(state.id);
  const { execution } = state;
  if (state.gone) {
    const title = t(LIVE_EXECUTION_TEXT.gone, { id });
    if (!execution) return { title, text: t(LIVE_EXECUTION_TEXT.goneNever), tone: 'warning', footer: t(LIVE_EXECUTION_TEXT.final) };
    const { buttons: _none, ...card } = executionCard({ t, backend }, execution);
    const text = t(LIVE_EXECUTION_TEXT.goneText, { state: t(STATE_TEXT[execution.state]) });
    return { ...card, title, text, tone: 'warning', footer: t(LIVE_EXECUTION_TEXT.final) };
  }
  const down = state.failures >= UNREACHABLE_AFTER ? state.failingSince : undefined;
  if (!execution) {
    return {
      title: t(EXECUTION_TEXT.title, { id, state: '…' }),
      text: down ? t(LIVE_EXECUTION_TEXT.unreachable, { since: sinceText(down) }) : t(LIVE_EXECUTION_TEXT.reading),
      tone: down ? 'warning' : 'info',
    };
  }
  const card = executionCard({ t, backend }, execution);
  if (state.ended) return { ...card, footer: joined(locale, card.footer, t(LIVE_EXECUTION_TEXT.final)) };
  // The card refreshes itself; a Refresh button would only add a reply.
  const buttons = (card.buttons ?? []).filter((button) => button.actionId !== RUNBOOK_ACTIONS.refresh);
  const { buttons: _all, ...rest } = card;
  return {
    ...rest,
    ...(down ? { text: t(LIVE_EXECUTION_TEXT.unreachable, { since: sinceText(down) }), tone: 'warning' as const } : {}),
    ...(buttons.length ? { buttons } : {}),
    footer: joined(locale, card.footer, t(LIVE_EXECUTION_TEXT.live)),
  };
}

/** The private note to the requester of a card the platform would not take, in the card's language. */
export function undeliveredExecutionNotice(backend: Backend, card: Pick<ExecutionCardRow, 'executionId' | 'platform' | 'channelId' | 'threadRef' | 'messageRef' | 'locale'>, error: unknown): Message {
  const t = cardTranslator(backend, card.locale);
  const id = nativeOf(card.executionId);
  const where = placeName({ channelId: card.channelId, ...(card.threadRef ? { threadId: card.threadRef } : {}) });
  return {
    title: t(card.messageRef === null ? LIVE_EXECUTION_TEXT.notPosted : LIVE_EXECUTION_TEXT.notUpdated, { id }),
    text: t(LIVE_EXECUTION_TEXT.undeliveredText, { why: whyUndelivered(t, card.platform, error, where), id }),
    tone: 'warning',
    private: true,
  };
}
