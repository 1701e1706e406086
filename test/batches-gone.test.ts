/**
 * A bot-driven run (BlueKing) whose running batch's execution the platform no longer knows (its
 * world was reset): after a few rounds that say so in a row the batch fails with that reason and
 * the run ends, instead of being read for ever; one such answer followed by a good one changes
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import { batchLabel } from '../src/batches/index.js';
import { MISSING_READS_BEFORE_FAILING } from '../src/batches/drive.js';
import { listRunBatches } from '../src/store/run-batches.js';
import { harness, insertPlan, planBatches, startPlan } from './batches-helpers.js';
import { pgliteLeg, useCleanStore } from './helpers/store-legs.js';

describe('a bot-driven run whose execution the platform no longer knows', () => {
  const store = useCleanStore(pgliteLeg);

  it('fails the batch after a few rounds that say so, and the run ends; a single miss does not', async () => {
    const h = harness(store.db);
    const plan = await insertPlan(store.db, { batches: planBatches(3, 1, 'CONTINUE') });
    const { run } = await startPlan(store.db, h.runs, plan);
    const first = h.fake.byLabel(batchLabel(plan.id, 1));

    // One miss, then the execution is known again: nothing happens.
    h.fake.executions.delete(first.id);
    await h.runs.advance!(run!);
    h.fake.executions.set(first.id, first);
    await h.runs.advance!(run!);
    expect((await h.runs.read(run!))?.status.state).toBe('running');

    // Gone for good (the platform's world was reset).
    h.fake.executions.delete(first.id);
    for (let i = 1; i < MISSING_READS_BEFORE_FAILING; i++) await h.runs.advance!(run!);
    expect((await h.runs.read(run!))?.status.state).toBe('running');
    await h.runs.advance!(run!);
    const rows = await listRunBatches(store.db, plan.id);
    expect(rows.map((row) => `${row.batchIndex}:${row.state}`)).toEqual(['1:failed', '2:not-run', '3:not-run']);
    expect(rows[0]!.error).toMatch(/^BlueKing no longer knows the execution of batch 1 .*Later batches did not run\.$/);
    expect((await h.runs.read(run!))?.status.state).toBe('failed');
    expect(h.fake.requests).toHaveLength(1);
  });
});
