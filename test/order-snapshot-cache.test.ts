/**
 * Several people looking at one order cost COC one read; an operation on the order or the
 * Refresh button reads it afresh; an ended order is kept; someone acting with their own COC
 * credential never sees a snapshot read with other rights. The cache is bounded by number and by
 * the hosts' output its snapshots carry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeId, type HostRun, type RunId } from '../src/backends/index.js';
import { COC_VOCABULARY } from '../src/backends/coc/vocabulary.js';
import type { OrderSnapshot } from '../src/orders/order-card.js';
import { OrderSnapshotCache, type SnapshotKey } from '../src/orders/snapshot-cache.js';
import { SIM_DEFAULT_CREDENTIALS } from '../src/sim/defaults.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

async function pausedOrder(b: TestBot): Promise<string> {
  const healthy = b.sim.world.hosts.filter(isHealthyHost);
  const uuid = await b.coc.executeScript(scriptUuid(b.sim, 'disk_usage'), executeBody([{ hosts: [healthy[0]!], rotation: 'PAUSE' }, { hosts: [healthy[1]!] }]));
  b.sim.tick(2);
  return uuid;
}

function reads(b: TestBot): number {
  return b.sim.requests.filter((r) => r.method === 'GET').length;
}

describe('order snapshots shared by everyone looking', () => {
  it('serves a second look from the first read, and reads again after an operation or a Refresh', async () => {
    bot = await makeTestBot();
    const uuid = await pausedOrder(bot);
    bot.sim.resetRequests();
    expect(await bot.run('alice', `order show ${uuid}`)).toMatch(/Paused/);
    const first = reads(bot);
    expect(first).toBeGreaterThan(0);
    expect(await bot.run('carol', `order show ${uuid}`)).toMatch(/Paused/);
    expect(reads(bot)).toBe(first);

    // Continue changes the order: the next look is fresh, not the cached "Paused".
    await bot.click('alice', 'order:continue', uuid);
    bot.sim.tick(4);
    bot.sim.resetRequests();
    expect(await bot.run('carol', `order show ${uuid}`)).not.toMatch(/Paused before batch/);
    expect(reads(bot)).toBeGreaterThan(0);

    bot.sim.resetRequests();
    await bot.click('carol', 'order:refresh', uuid);
    expect(reads(bot)).toBeGreaterThan(0);
  });

  it('keeps an ended order, which never changes again', async () => {
    bot = await makeTestBot();
    const healthy = bot.sim.world.hosts.filter(isHealthyHost);
    const uuid = await bot.coc.executeScript(scriptUuid(bot.sim, 'disk_usage'), executeBody([{ hosts: [healthy[2]!] }]));
    bot.sim.settle(uuid);
    await bot.run('alice', `order show ${uuid}`);
    bot.sim.resetRequests();
    for (let i = 0; i < 5; i++) expect(await bot.run('carol', `order show ${uuid}`)).toMatch(/Finished|Succeeded|FINISHED/i);
    expect(reads(bot)).toBe(0);
  });

  it('never shows someone with their own credential a snapshot read with the bot’s rights', async () => {
    const ak = 'ALICEOWNAK00000000000';
    const sk = 'AliceOwnSecretKeyThatMustNeverBePrinted0';
    bot = await makeTestBot({
      mappings: [
        { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'operator', credentialRef: 'alice' },
        { platform: 'shell', workspace: 'local', user: 'carol', iamUser: 'carol', role: 'viewer' },
      ],
      env: { COC_CREDENTIAL_ALICE_AK: ak, COC_CREDENTIAL_ALICE_SK: sk },
      sim: { credentials: [...SIM_DEFAULT_CREDENTIALS, { ak, sk, userName: 'alice' }] },
    });
    const uuid = await pausedOrder(bot);
    await bot.run('carol', `order show ${uuid}`);
    bot.sim.resetRequests();
    await bot.run('alice', `order show ${uuid}`);
    const own = bot.sim.requests.filter((r) => r.auth.kind === 'aksk' && r.auth.access === ak);
    expect(own.length).toBeGreaterThan(0);
  });
});

describe('order <uuid>', () => {
  it('shows the same card as order show, and "order" alone lists the order commands', async () => {
    bot = await makeTestBot();
    const uuid = await pausedOrder(bot);
    const short = await bot.run('carol', `order ${uuid}`);
    expect(short).toContain(`Order ${uuid}`);
    expect(short).toEqual(await bot.run('carol', `order show ${uuid}`));
    const alone = await bot.run('carol', 'order');
    expect(alone).toMatch(/"order" needs one more word: .*order <id>.*order show/);
    expect(await bot.run('carol', 'order not-an-order')).toMatch(/not|order/i);
  });
});

const runId = (uuid: string): RunId => makeId('coc', 'run', uuid);

function snapshot(uuid: string, outputChars: number): OrderSnapshot {
  const host: HostRun = { ref: makeId('coc', 'host-run', '1'), host: {}, status: { state: 'failed', code: 'ABNORMAL' }, output: 'x'.repeat(outputChars) };
  return {
    run: { id: runId(uuid), status: { state: 'succeeded', code: 'FINISHED' }, script: {}, params: [] },
    batches: [],
    progress: { counts: [] },
    shownBatchIndex: 1,
    shownBatch: { index: 1, hosts: [host] },
    failing: [],
    secrets: { redact: { secrets: [] }, isSensitive: () => false, definitionUnknown: false },
    vocabulary: COC_VOCABULARY,
  };
}

const key = (uuid: string): SnapshotKey => ({ credential: undefined, run: runId(uuid), batch: undefined, allBatches: false });

describe('order snapshot cache bounds', () => {
  it('keeps snapshots until their hosts’ output would exceed the budget, least recently used out first', () => {
    const cache = new OrderSnapshotCache({ maxOutputChars: 100 * 1024 });
    for (let i = 0; i < 5; i++) cache.set(key(`o${i}`), snapshot(`o${i}`, 30 * 1024));
    const kept = [0, 1, 2, 3, 4].filter((i) => cache.get(key(`o${i}`)) !== undefined);
    expect(kept).toEqual([2, 3, 4]);
  });

  it('does not keep a snapshot heavier than the whole budget', () => {
    const cache = new OrderSnapshotCache({ maxOutputChars: 100 * 1024 });
    cache.set(key('light'), snapshot('light', 10));
    cache.set(key('heavy'), snapshot('heavy', 200 * 1024));
    expect(cache.get(key('heavy'))).toBeUndefined();
    expect(cache.get(key('light'))).toBeDefined();
  });

  it('still bounds the number of snapshots without output', () => {
    const cache = new OrderSnapshotCache({ max: 3 });
    for (let i = 0; i < 5; i++) cache.set(key(`o${i}`), snapshot(`o${i}`, 0));
    expect([0, 1, 2, 3, 4].filter((i) => cache.get(key(`o${i}`)) !== undefined)).toEqual([2, 3, 4]);
  });

  it('forgets every entry of an order that was acted on', () => {
    const cache = new OrderSnapshotCache();
    cache.set(key('o1'), snapshot('o1', 10));
    cache.set({ ...key('o1'), batch: 2 }, snapshot('o1', 10));
    cache.forget(runId('o1'));
    expect(cache.get(key('o1'))).toBeUndefined();
    expect(cache.get({ ...key('o1'), batch: 2 })).toBeUndefined();
  });
});

describe('order snapshots read once for everyone looking at the same moment', () => {
  /** A read that ends when the test says so, counting how often it was started. */
  function heldRead(name: string) {
    let started = 0;
    let finish: (value: OrderSnapshot) => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const read = () => {
      started++;
      return new Promise<OrderSnapshot>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
    };
    return { read, started: () => started, finish: () => finish(snapshot(name, 10)), fail: (error: Error) => fail(error) };
  }

  it('shares one read among looks that arrive while it is under way, and keeps its answer', async () => {
    const cache = new OrderSnapshotCache();
    const held = heldRead('o1');
    const looks = [cache.getOrRead(key('o1'), held.read), cache.getOrRead(key('o1'), held.read), cache.getOrRead(key('o1'), held.read)];
    expect(held.started()).toBe(1);
    held.finish();
    const answers = await Promise.all(looks);
    expect(new Set(answers).size).toBe(1);
    expect(cache.get(key('o1'))).toBe(answers[0]);
    // Another batch of the same order is another read.
    const other = heldRead('o1');
    const look = cache.getOrRead({ ...key('o1'), batch: 2 }, other.read);
    expect(other.started()).toBe(1);
    other.finish();
    await look;
  });

  it('shares a failed read’s error and keeps nothing, so the next look reads again', async () => {
    const cache = new OrderSnapshotCache();
    const held = heldRead('o1');
    const looks = [cache.getOrRead(key('o1'), held.read), cache.getOrRead(key('o1'), held.read)];
    held.fail(new Error('COC answered 503'));
    for (const look of looks) await expect(look).rejects.toThrow('COC answered 503');
    expect(cache.get(key('o1'))).toBeUndefined();
    const again = heldRead('o1');
    const look = cache.getOrRead(key('o1'), again.read);
    expect(again.started()).toBe(1);
    again.finish();
    await look;
  });

  it('does not keep or share a read the order was acted on during: the next look reads afresh', async () => {
    const cache = new OrderSnapshotCache();
    const before = heldRead('o1');
    const early = cache.getOrRead(key('o1'), before.read);
    cache.forget(runId('o1'));
    const after = heldRead('o1');
    const late = cache.getOrRead(key('o1'), after.read);
    expect(after.started()).toBe(1);
    before.finish();
    await early;
    // The read that began before the operation answered its own look but was not kept.
    expect(cache.get(key('o1'))).toBeUndefined();
    after.finish();
    expect(cache.get(key('o1'))).toBeUndefined();
    const answer = await late;
    expect(cache.get(key('o1'))).toBe(answer);
  });
});
