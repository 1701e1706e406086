/**
 * A bot-driven run (BlueKing) whose running batch's execution the platform no longer knows (its
 * world was reset): after a few rounds that say so in a row, and a minute at least, the batch's
 * outcome is unknown (the job may still run), never failed: the run stops there naming the task to
 * check by hand, instead of being read for ever; one such answer followed by a good one changes
 * nothing. Only Job's own "no such job instance" counts as such an answer.
 */
import { describe, expect, it } from 'vitest';
import { isMissingJobInstance } from '../src/backends/blueking/missing.js';
import { BackendRefusedError, BackendUnavailableError } from '../src/backends/errors.js';
import { batchLabel } from '../src/batches/index.js';
import { MISSING_FOR_MS, MISSING_READS_BEFORE_FAILING } from '../src/batches/drive.js';
import { listRunBatches } from '../src/store/run-batches.js';
import { harness, insertPlan, planBatches, startPlan } from './batches-helpers.js';
import { pgliteLeg, useCleanStore } from './helpers/store-legs.js';

const READ = { name: 'get_job_instance_status', write: false } as never;

describe('a bot-driven run whose execution the platform no longer knows', () => {
  const store = useCleanStore(pgliteLeg);

  it('after rounds in a row and a minute, the batch is unknown (check by hand), never failed; a single miss does nothing', async () => {
    const h = harness(store.db);
    const plan = await insertPlan(store.db, { batches: planBatches(3, 1, 'CONTINUE') });
    const { run } = await startPlan(store.db, h.runs, plan);
    const label = batchLabel(plan.id, 1);
    const first = h.fake.byLabel(label);

    // One miss, then the execution is known again: nothing happens.
    h.fake.executions.delete(first.id);
    await h.runs.advance!(run!);
    h.fake.executions.set(first.id, first);
    await h.runs.advance!(run!);
    expect((await h.runs.read(run!))?.status.state).toBe('running');

    // Gone (the platform's world was reset): rounds 3 s apart are not enough before a minute.
    h.fake.executions.delete(first.id);
    for (let i = 0; i < MISSING_READS_BEFORE_FAILING + 5; i++) {
      await h.runs.advance!(run!);
      h.clock += 3000;
    }
    expect((await h.runs.read(run!))?.status.state).toBe('running');
    h.clock += MISSING_FOR_MS;
    await h.runs.advance!(run!);
    const rows = await listRunBatches(store.db, plan.id);
    expect(rows.map((row) => `${row.batchIndex}:${row.state}`)).toEqual(['1:unknown', '2:not-run', '3:not-run']);
    expect(rows[0]!.error).toMatch(/^outcome of batch 1 unknown: BlueKing no longer knows its execution .*check the task .* on the platform by hand\. Later batches did not run\.$/);
    expect(rows[0]!.error).toContain(label);
    expect((await h.runs.read(run!))?.status.state).toBe('error');
    await h.runs.advance!(run!);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('takes only Job’s own "no such job instance" as the execution missing', () => {
    const refused = (message: string) => new BackendRefusedError(message, 'blueking', READ, { code: '1240001', platformMessage: message }, false);
    expect(isMissingJobInstance(refused('job instance [42] does not exist in business 2'))).toBe(true);
    expect(isMissingJobInstance(refused('job instance not exist'))).toBe(true);
    expect(isMissingJobInstance(refused('user [alice] does not exist'))).toBe(false);
    expect(isMissingJobInstance(refused('not found'))).toBe(false);
    expect(isMissingJobInstance(new BackendUnavailableError('HTTP 404', 'blueking', READ, { status: 404, lost: 'status' }, false))).toBe(false);
  });
});
