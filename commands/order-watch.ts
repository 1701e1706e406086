/**
 * `order watch <execute-uuid>`: a live card for an order that already exists, posted in this
 * channel (or thread). The card edits itself until the order ends, then shows its final
 * summary, and the person who asked is told. Only reads the platform; the card lives in the store, so
 * it survives a restart.
 */
import { targetOf } from '../src/core/chat-surface.js';
import { defineCommand } from '../src/core/arguments/index.js';
import { placeName, whyUndelivered } from '../src/core/undelivered.js';
import type { Text } from '../src/i18n/translate.js';
import { readOrder } from '../src/orders/order-card.js';
import { EXAMPLE_ORDER_ID } from '../src/orders/example-id.js';
import { Refusal } from '../src/core/refusal.js';
import { bluekingOrderExamples, ORDER_ID_ARG } from './orders.js';

const TEXT = {
  notFound: { 'en-US': 'No order {uuid} in {platform}', 'zh-CN': '{platform} 中没有工单 {uuid}' },
  notFoundText: {
    'en-US': 'Nothing is watched. Check the order id (it looks like {example}); "orders" lists recent ones.',
    'zh-CN': '未开始跟踪。请检查工单 ID（形如 {example}）；“orders”可列出最近的工单。',
  },
  posted: { 'en-US': 'Watching order {uuid}', 'zh-CN': '正在跟踪工单 {uuid}' },
  postedText: {
    'en-US': 'Its live card is posted in this channel and edits itself until the order ends; you are told when it does.',
    'zh-CN': '实时卡片已发布在本频道，会自动更新直到工单结束；结束时会通知您。',
  },
  ended: { 'en-US': 'Order {uuid} has already ended', 'zh-CN': '工单 {uuid} 已经结束' },
  endedText: { 'en-US': 'Its final summary is posted in this channel.', 'zh-CN': '最终结果已发布在本频道。' },
  existing: { 'en-US': 'Order {uuid} already has a live card here', 'zh-CN': '工单 {uuid} 在此处已有实时卡片' },
  existingText: { 'en-US': 'Nothing new was posted; that card keeps updating.', 'zh-CN': '未发布新卡片；原卡片会继续更新。' },
  undelivered: { 'en-US': 'The live card of order {uuid} could not be posted here', 'zh-CN': '工单 {uuid} 的实时卡片无法发布在此处' },
  undeliveredText: {
    'en-US': 'Why: {why}. Nothing is watched here; "order {uuid}" shows how it is doing.',
    'zh-CN': '原因：{why}。此处未开始跟踪；用 "order {uuid}" 查看其进展。',
  },
  pending: { 'en-US': 'Watching order {uuid}', 'zh-CN': '正在跟踪工单 {uuid}' },
  pendingText: {
    'en-US': 'Its live card appears in this channel within a few seconds and edits itself until the order ends.',
    'zh-CN': '实时卡片将在几秒内出现在本频道，并自动更新直到工单结束。',
  },
} satisfies Record<string, Text>;

export const orderWatchCommand = defineCommand({
  family: 'orders',
  words: ['order', 'watch'],
  discord: { group: 'order', name: 'watch', description: { 'en-US': 'Post a live card that follows the order', 'zh-CN': '发布实时卡片跟踪工单' } },
  needs: ['runs'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'Post a live card for an order here; it edits itself until the order ends', 'zh-CN': '在此发布工单的实时卡片，它会自动更新直到工单结束' },
  examples: ['order watch SCT2026031409300101ab2cd3e'],
  examplesOn: bluekingOrderExamples(['order watch SCT2026031409300101ab2cd3e']),
  positionals: { id: ORDER_ID_ARG },
  flags: {},
  async run(context, args) {
    const { t, services, actor, place, identity, locale } = context;
    const uuid = args.id;
    context.audit.target = uuid;
    const run = context.backend.parseId('run', uuid);
    if (!run || !(await readOrder(context.backend, run))) throw new Refusal(t(TEXT.notFound, { uuid }), t(TEXT.notFoundText, { example: EXAMPLE_ORDER_ID[context.backend.name] }));
    const outcome = await services.tracker.watch({
      run,
      target: targetOf(actor, place),
      startedBy: actor,
      startedByIamUser: identity.iamUserName,
      locale,
      requesterIsWaiting: true,
      // The card's first read is this command's: in its audit row, within its deadline.
      readsIn: services.backend,
    });
    switch (outcome.kind) {
      case 'posted':
        return outcome.ended
          ? { title: t(TEXT.ended, { uuid }), text: t(TEXT.endedText), tone: 'info' }
          : { title: t(TEXT.posted, { uuid }), text: t(TEXT.postedText), tone: 'success' };
      case 'existing':
        return { title: t(TEXT.existing, { uuid }), text: t(TEXT.existingText), tone: 'info' };
      case 'pending':
        return { title: t(TEXT.pending, { uuid }), text: t(TEXT.pendingText), tone: 'success' };
      case 'undelivered': {
        const why = whyUndelivered(t, actor.platform, outcome.error, placeName(targetOf(actor, place)));
        return { title: t(TEXT.undelivered, { uuid }), text: t(TEXT.undeliveredText, { why, uuid }), tone: 'warning', outcome: 'failed' };
      }
    }
  },
});
