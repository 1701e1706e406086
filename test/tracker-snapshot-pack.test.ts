/**
 * A watched order's snapshot packed between rounds comes back equal to what was packed: objects
 * by shape, small word-only objects shared (and frozen), whatever V8's serializer takes itself
 * (dates, maps) as it was — and so when the tables of shapes and small objects are full.
 */
import { isDeepStrictEqual } from 'node:util';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { SnapshotPacker } from '../src/orders/snapshot-pack.js';

const status = (state: string, code: string) => ({ state, code });

/** Shaped as the tracker's snapshots are: a run, its batches, its counts and the hosts of one batch. */
function snapshot(id: string) {
  return {
    run: { id: `coc:run:${id}`, status: status('paused', 'PAUSED'), currentBatch: 1, script: { id: 'coc:script:SC1', name: 'disk_usage', version: '1.0.0' }, params: [{ name: 'mount_point', value: '/' }], createdAt: 1_796_633_788_306 },
    batches: [1, 2, 3].map((index) => ({ index, rotation: status('pause', 'PAUSE') })),
    progress: { total: 3, counts: [{ status: status('succeeded', 'FINISHED'), count: 1, batches: [1] }, { status: status('waiting', 'READY'), count: 2, batches: [2, 3] }] },
    shownBatchIndex: 1,
    shownBatch: { index: 1, hostCount: 1, hosts: [{ ref: 'coc:host-run:1', host: { id: 'coc:host:1', name: 'web-01', ip: '10.0.0.1' }, status: status('succeeded', 'FINISHED'), output: 'ok\n' }] },
    failing: [],
    betweenBatchesOnly: undefined,
  };
}

describe('SnapshotPacker', () => {
  it('gives back what it packed, in much less than V8 serializes it in', () => {
    const packer = new SnapshotPacker();
    for (const id of ['a', 'b']) {
      const value = snapshot(id);
      const packed = packer.pack(value);
      expect(isDeepStrictEqual(packer.unpack(packed), value)).toBe(true);
      expect(packed.length).toBeLessThan(serialize(value).length / 2);
    }
  });

  it('shares and freezes the small objects of words, and keeps apart what only looks alike', () => {
    const packer = new SnapshotPacker();
    const one = packer.unpack(packer.pack(snapshot('a'))) as ReturnType<typeof snapshot>;
    const two = packer.unpack(packer.pack(snapshot('b'))) as ReturnType<typeof snapshot>;
    expect(one.run.status).toBe(two.run.status);
    expect(Object.isFrozen(one.run.status)).toBe(true);
    expect(one.run).not.toBe(two.run);
    const alike = [{ n: 1 }, { n: '1' }, { n: null }, { n: Number.NaN }, { n: -0 }, { code: 'A', state: 'a' }, { state: 'a', code: 'A' }];
    const back = packer.unpack(packer.pack(alike)) as unknown[];
    expect(back).toStrictEqual(alike);
    expect(Object.keys(back[5]!)).toEqual(['code', 'state']);
    expect(Object.is((back[4] as { n: number }).n, -0)).toBe(true);
  });

  it('leaves dates, maps and absent values to V8 as before', () => {
    const packer = new SnapshotPacker();
    const value = { at: new Date(5), seen: new Map([['x', { a: 1 }]]), gone: undefined, list: [undefined, null, 'x', [1, [2]]], empty: {}, nested: { deeper: { deepest: 'long text '.repeat(20) } } };
    expect(packer.unpack(packer.pack(value))).toStrictEqual(value);
  });

  it('writes objects in full once its tables are full', () => {
    const packer = new SnapshotPacker({ maxShapes: 2, maxKept: 1 });
    const values = ['a', 'b', 'c'].map(snapshot);
    const packed = values.map((value) => packer.pack(value));
    values.forEach((value, i) => expect(isDeepStrictEqual(packer.unpack(packed[i]!), value)).toBe(true));
  });
});
