/**
 * Who started a run, remembered for the order card: a burst of people viewing one order costs the
 * store one query, a recorded start is not asked for again, and a failed lookup is not kept.
 */
import { describe, expect, it } from 'vitest';
import { makeId } from '../src/backends/ids.js';
import type { Queryable } from '../src/store/db.js';
import { rememberedRunStart } from '../src/orders/started-by.js';

function countingStore(rows: () => Promise<unknown[]>): Queryable & { queries: number } {
  const store = {
    queries: 0,
    query: async () => {
      store.queries += 1;
      return { rows: await rows() } as never;
    },
    exec: async () => undefined,
  };
  return store;
}

describe('who started a run, remembered', () => {
  it('shares one query among lookups at the same moment and keeps a recorded start', async () => {
    const run = makeId('coc', 'run', '2f7c1c9e-5a1b-4c1e-9d7a-0a1b2c3d4e5f');
    const row = { runId: run, platform: 'discord', chatUser: 'u1', iamUser: 'alice', approverChatUser: null, approverIamUser: null };
    const store = countingStore(async () => [row]);
    const starts = await Promise.all(Array.from({ length: 200 }, () => rememberedRunStart(store, run)));
    expect(store.queries).toBe(1);
    expect(new Set(starts.map((s) => s?.chatUser))).toEqual(new Set(['u1']));
    expect((await rememberedRunStart(store, run))?.iamUser).toBe('alice');
    expect(store.queries).toBe(1);
  });

  it('does not keep a failed lookup', async () => {
    const run = makeId('coc', 'run', '3f7c1c9e-5a1b-4c1e-9d7a-0a1b2c3d4e5f');
    let fail = true;
    const store = countingStore(async () => {
      if (fail) throw new Error('store down');
      return [];
    });
    await expect(rememberedRunStart(store, run)).rejects.toThrow('store down');
    fail = false;
    expect(await rememberedRunStart(store, run)).toBeUndefined();
    expect(store.queries).toBe(2);
  });
});
