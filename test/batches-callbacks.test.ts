/**
 * The ops server's callback place for bot-driven batches: `POST /bk/job-done/<token>` records the
 * execution for the batch the token names; anything else is refused by its HTTP status (which is
 * all the platform reads), and nothing is served until an inbox is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchLabel, jobDoneInbox } from '../src/batches/index.js';
import { Metrics } from '../src/ops/metrics.js';
import { Readiness } from '../src/ops/readiness.js';
import { startOpsServer, type OpsServer } from '../src/ops/server.js';
import { callbackOf } from '../src/store/backend-callbacks.js';
import type { Store } from '../src/store/index.js';
import { harness, insertPlan, planBatches, startPlan, tokenOf } from './batches-helpers.js';
import { freshMemoryStore } from './helpers/memory-store.js';

let store: Store;
let ops: OpsServer;

beforeAll(async () => {
  store = await freshMemoryStore();
  ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: new Metrics(), readiness: new Readiness() });
});
afterAll(async () => {
  await ops?.close();
  await store?.close();
});

const post = (path: string, body: string) => fetch(`${ops.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('POST /bk/job-done/<token>', () => {
  it('records the execution a callback names for its batch, once; refuses unknown tokens, other bodies and methods', async () => {
    const h = harness(store.db);
    const plan = await insertPlan(store.db, { batches: planBatches(2, 1, 'CONTINUE') });
    await startPlan(store.db, h.runs, plan);
    const token = tokenOf(h.fake.requests[0]!);
    const jobId = Number(h.fake.byLabel(batchLabel(plan.id, 1)).id.split(':').at(-1));
    const path = `/bk/job-done/${token}`;

    expect((await post(path, JSON.stringify({ job_instance_id: jobId }))).status).toBe(404);
    ops.setJobDone(jobDoneInbox({ db: store.db, executions: h.fake, now: h.deps.now }));
    expect((await post(path, 'not json')).status).toBe(400);
    expect((await post(path, JSON.stringify({ status: 3 }))).status).toBe(400);
    expect((await post(`/bk/job-done/${'A'.repeat(32)}`, JSON.stringify({ job_instance_id: jobId }))).status).toBe(404);
    expect((await fetch(`${ops.url}${path}`)).status).toBe(405);
    const taken = await post(path, JSON.stringify({ job_instance_id: jobId, status: 3, step_instances: [] }));
    expect(taken.status).toBe(200);
    expect(await taken.json()).toEqual({ result: true, message: 'recorded' });
    // The platform retries once on a failure: the same callback again is taken again.
    expect((await post(path, JSON.stringify({ job_instance_id: jobId }))).status).toBe(200);
    expect((await post(path, JSON.stringify({ job_instance_id: jobId + 1 }))).status).toBe(409);
    expect(await callbackOf(store.db, plan.id, 1)).toMatchObject({ executionId: `blueking:execution:3:${jobId}`, finished: true });
    expect((await post('/bk/job-done/', '{}')).status).toBe(404);
  });
});
