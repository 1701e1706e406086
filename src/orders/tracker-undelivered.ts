/**
 * A live card the platform will not take: given up once and for all, and its requester told
 * once where it could not be shown and why. The order itself runs on in COC; `order <uuid>`
 * shows it.
 *
 * "Once" holds across replicas and retries: the card is closed ('abandoned') by a conditional
 * update, and only the caller whose update changed the row tells anyone.
 */
import { nativeOf, parseId, platformName } from '../backends/index.js';
import type { Message } from '../core/message.js';
import { placeName, whyUndelivered } from '../core/undelivered.js';
import { translator, type Locale, type Text } from '../i18n/translate.js';
import type { TrackedCardState } from '../store/tracked-orders.js';

export const UNDELIVERED_CARD_TEXT = {
  notPosted: { 'en-US': 'The live card of order {uuid} could not be posted', 'zh-CN': '工单 {uuid} 的实时卡片无法发布' },
  notUpdated: { 'en-US': 'The live card of order {uuid} can no longer be updated', 'zh-CN': '工单 {uuid} 的实时卡片已无法更新' },
  text: {
    'en-US': 'Why: {why}. The order runs on in {platform} regardless: "order {uuid}" shows how it is doing.',
    'zh-CN': '原因：{why}。工单仍在 {platform} 中继续执行：用 "order {uuid}" 查看其进展。',
  },
} satisfies Record<string, Text>;

export { abandonUndeliveredCard, cardNeverPosted, reviveUndeliveredCard } from '../store/undelivered-cards.js';

/** The private note to the card's requester, in the card's language. */
export function undeliveredCardNotice(card: Pick<TrackedCardState, 'runId' | 'platform' | 'channelId' | 'threadRef' | 'messageRef'>, locale: Locale, error: unknown): Message {
  const t = translator(locale);
  const where = placeName({ channelId: card.channelId, ...(card.threadRef ? { threadId: card.threadRef } : {}) });
  const title = t(card.messageRef === null ? UNDELIVERED_CARD_TEXT.notPosted : UNDELIVERED_CARD_TEXT.notUpdated, { uuid: nativeOf(card.runId) });
  const platform = t(platformName(parseId(card.runId)?.backend ?? 'coc'));
  return { title, text: t(UNDELIVERED_CARD_TEXT.text, { platform, why: whyUndelivered(t, card.platform, error, where), uuid: nativeOf(card.runId) }), tone: 'warning', private: true };
}
