/**
 * The order card of a run the bot sends batch by batch: it says that changes apply between batches,
 * that a batch whose answer was lost is waited for, and which task to check when the run stopped
 * on one. The card is the ordinary order card over the composed run.
 */
import { describe, expect, it } from 'vitest';
import { VOCABULARY_KINDS, type Backend, type Vocabulary } from '../src/backends/index.js';
import { batchLabel, withBotBatches } from '../src/batches/index.js';
import { UNKNOWN_GRACE_MS } from '../src/batches/deps.js';
import { loadOrderSnapshot, orderCard, readOrder } from '../src/orders/order-card.js';
import { translator, type Locale } from '../src/i18n/translate.js';
import { FakeExecutions, harness, insertPlan, planBatches, startPlan } from './batches-helpers.js';
import { pgliteLeg, useCleanStore } from './helpers/store-legs.js';

const EMPTY = Object.fromEntries(VOCABULARY_KINDS.map((kind) => [kind, {}])) as unknown as Vocabulary;

function backendOver(fake: FakeExecutions): Backend {
  return { name: 'blueking', displayName: { 'en-US': 'BlueKing', 'zh-CN': '蓝鲸' }, vocabulary: EMPTY, perUser: 'username', executions: fake, parseId: () => undefined };
}

async function card(backend: Backend, run: string, locale: Locale = 'en-US') {
  const summary = await readOrder(backend, run);
  return orderCard(await loadOrderSnapshot(backend, summary!), { t: translator(locale), locale });
}

describe('the card of a bot-driven run', () => {
  const store = useCleanStore(pgliteLeg);

  it('says changes apply between batches, names a lost batch and the task to check when the run stopped on it', async () => {
    const h = harness(store.db, { requestTimeoutMs: 30_000 });
    const backend = withBotBatches(backendOver(h.fake), h.deps);
    const plan = await insertPlan(store.db, { batches: planBatches(3, 1, 'CONTINUE') });
    const { run } = await startPlan(store.db, backend.runs!, plan);

    const live = await card(backend, run!);
    expect(live.fields?.find((field) => field.label === 'Status')?.value).toBe('Running (RUNNING)');
    expect(live.footer).toContain('Batches are sent one at a time: a running batch always finishes; pause, skip and cancel apply before the next batch.');
    expect((await card(backend, run!, 'zh-CN')).footer).toContain('暂停、跳过和取消在下一批开始前生效');
    expect(live.buttons?.map((button) => button.actionId)).toEqual(['order:pause', 'order:skip-batch', 'order:cancel', 'order:refresh']);

    h.fake.finish(batchLabel(plan.id, 1));
    h.fake.fates.push('lose');
    await backend.runs!.advance!(run!);
    expect((await card(backend, run!)).text).toBe(`The outcome of batch 2 of 3 is unknown (its answer was lost); it is not sent again. Waiting for news of task ${batchLabel(plan.id, 2)}.`);

    h.clock += 600_000 + 30_000 + UNKNOWN_GRACE_MS + 1000;
    await backend.runs!.advance!(run!);
    const stopped = await card(backend, run!);
    expect(stopped.text).toBe(`Stopped: the outcome of batch 2 of 3 stayed unknown. Check the task ${batchLabel(plan.id, 2)} on the platform by hand; later batches did not run.`);
    expect(stopped.footer).not.toContain('one at a time');
    expect(stopped.buttons ?? []).toEqual([]);
  });
});
