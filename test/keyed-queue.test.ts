import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../src/core/queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('runs work for one key one after another, in order, also after a failure', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const gate = deferred();
    const first = queue.run('a', async () => {
      events.push('first start');
      await gate.promise;
      events.push('first end');
      throw new Error('boom');
    });
    const second = queue.run('a', async () => {
      events.push('second');
      return 2;
    });
    expect(queue.size).toBe(1);
    gate.resolve();
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
    expect(events).toEqual(['first start', 'first end', 'second']);
    expect(queue.size).toBe(0);
  });

  it('does not hold one key behind another', async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const slow = queue.run('a', () => gate.promise.then(() => 'a'));
    await expect(queue.run('b', async () => 'b')).resolves.toBe('b');
    gate.resolve();
    await expect(slow).resolves.toBe('a');
    expect(queue.size).toBe(0);
  });
});
