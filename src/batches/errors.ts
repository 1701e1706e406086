/**
 * Refusals of a person's operation on a bot-driven run: nothing was sent anywhere (the operations
 * are the bot's own store changes), so they are refused, never unknown. Each says why in both
 * languages; the order buttons show it as it is.
 */
import { BackendRefusedError, type BackendName, type BackendOperation } from '../backends/index.js';
import type { Text } from '../i18n/translate.js';

export const BATCH_REFUSALS = {
  nothingWaiting: {
    title: { 'en-US': 'No batch is waiting', 'zh-CN': '没有等待中的批次' },
    text: {
      'en-US': 'Every batch has been sent or has ended; a running batch always finishes. Nothing was changed.',
      'zh-CN': '所有批次都已发出或已结束；执行中的批次总会执行完。未做任何更改。',
    },
  },
  alreadyHeld: {
    title: { 'en-US': 'Already paused before the next batch', 'zh-CN': '已在下一批之前暂停' },
    text: {
      'en-US': 'The next batch already waits for Continue; a running batch finishes first. Nothing was changed.',
      'zh-CN': '下一批已在等待“继续”；执行中的批次会先执行完。未做任何更改。',
    },
  },
  notHeld: {
    title: { 'en-US': 'Not paused', 'zh-CN': '未暂停' },
    text: { 'en-US': 'The next batch is not held; it starts when the one before it has ended. Nothing was changed.', 'zh-CN': '下一批未被暂停，会在上一批结束后开始。未做任何更改。' },
  },
  batchSent: {
    title: { 'en-US': 'Batch {batch} was already sent', 'zh-CN': '第 {batch} 批已发出' },
    text: {
      'en-US': 'A batch that was sent always finishes; skip applies to batches that have not started. Nothing was changed.',
      'zh-CN': '已发出的批次总会执行完；跳过只适用于尚未开始的批次。未做任何更改。',
    },
  },
  batchEnded: {
    title: { 'en-US': 'Batch {batch} will not run', 'zh-CN': '第 {batch} 批不会再执行' },
    text: { 'en-US': 'It was skipped, canceled or not run already. Nothing was changed.', 'zh-CN': '它已被跳过、取消或不再执行。未做任何更改。' },
  },
  noSuchBatch: {
    title: { 'en-US': 'There is no batch {batch}', 'zh-CN': '没有第 {batch} 批' },
    text: { 'en-US': 'Nothing was changed.', 'zh-CN': '未做任何更改。' },
  },
  cannotCancelHost: {
    title: { 'en-US': 'Hosts cannot be canceled one by one here', 'zh-CN': '此处无法逐台取消主机' },
    text: { 'en-US': 'Skip a batch that has not started, or cancel the run. Nothing was changed.', 'zh-CN': '可以跳过尚未开始的批次，或取消整个执行。未做任何更改。' },
  },
} as const satisfies Record<string, { title: Text; text: Text }>;
export type BatchRefusalReason = keyof typeof BATCH_REFUSALS;

/** The bot refused an operation on a bot-driven run before changing anything. */
export class BatchOperationRefusedError extends BackendRefusedError {
  constructor(
    backend: BackendName,
    readonly reason: BatchRefusalReason,
    readonly vars: Readonly<Record<string, string | number>> = {},
    operation?: BackendOperation,
  ) {
    super(BATCH_REFUSALS[reason].title['en-US'].replace(/\{(\w+)\}/g, (_, key: string) => String(vars[key] ?? '?')), backend, operation, { code: reason }, false);
  }

  get title(): Text {
    return BATCH_REFUSALS[this.reason].title;
  }

  get text(): Text {
    return BATCH_REFUSALS[this.reason].text;
  }
}
