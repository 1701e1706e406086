/** Where the bot sends batches, a running batch always finishes: the skip button names the next one. */
import { describe, expect, it } from 'vitest';
import type { BatchSummary, RunProgress, RunSummary } from '../src/backends/index.js';
import { ORDER_ACTION_IDS, orderButtons } from '../src/orders/order-card.js';
import { translator } from '../src/i18n/translate.js';

const t = translator('en-US');
const batches: BatchSummary[] = [1, 2, 3].map((index) => ({ index, hostCount: 2 }));
const progress = (waitingBatches: number[]): RunProgress => ({
  total: 6,
  counts: [{ status: { state: 'waiting', code: 'WAITING' }, count: waitingBatches.length * 2, batches: waitingBatches }],
});
const run = (state: RunSummary['status']['state'], currentBatch: number): RunSummary => ({
  id: 'blueking:run:11111111-2222-3333-4444-555555555555',
  status: { state, code: state.toUpperCase() },
  currentBatch,
  script: { name: 'check_disk' },
  params: [],
});
const skipOf = (buttons: ReturnType<typeof orderButtons>) => buttons.find((button) => button.actionId === ORDER_ACTION_IDS.skipBatch);

describe('order buttons of bot-driven batches', () => {
  it('offers to skip the next batch while one runs', () => {
    const skip = skipOf(orderButtons(run('running', 1), batches, progress([1, 2, 3]), t, { betweenBatchesOnly: true }));
    expect(skip?.label).toBe('Skip batch 2');
    expect(skip?.value).toBe('11111111-2222-3333-4444-555555555555:2');
  });

  it('offers the batch it is paused before', () => {
    expect(skipOf(orderButtons(run('paused', 2), batches, progress([2, 3]), t, { betweenBatchesOnly: true }))?.label).toBe('Skip batch 2');
  });

  it('offers no skip while the last batch runs', () => {
    expect(skipOf(orderButtons(run('running', 3), batches, progress([3]), t, { betweenBatchesOnly: true }))).toBeUndefined();
  });

  it('keeps the platform-batched rule: the running batch', () => {
    expect(skipOf(orderButtons(run('running', 1), batches, progress([1, 2, 3]), t))?.label).toBe('Skip batch 1');
  });
});
