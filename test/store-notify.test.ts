/**
 * LISTEN/NOTIFY through the store: heard by the same process and by a second connection to
 * the same database and schema (another replica), not by another schema, and not after
 * unlistening.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.js';
import { NotifyChannelError } from '../src/store/notify-channel.js';
import { announceSkip, storeLegs } from './helpers/store-legs.js';

function waitFor<T>(received: T[], count: number, ms = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (received.length >= count) resolve();
      else if (Date.now() - started > ms) reject(new Error(`heard ${received.length} of ${count} notifications`));
      else setTimeout(check, 10);
    };
    check();
  });
}

for (const leg of storeLegs) {
  describe.skipIf(leg.skipReason !== undefined)(`notifications on ${leg.name}`, () => {
    announceSkip(leg, 'store-notify.test.ts');

    it('are heard by listeners of the channel, in order, until they unlisten', async () => {
      const store = await leg.open();
      const heard: string[] = [];
      const unlisten = await store.db.listen('order_nudge', (payload) => heard.push(payload));
      await store.db.notify('order_nudge', 'SCT1');
      await store.db.notify('order_nudge', 'SCT2');
      await store.db.notify('other_channel', 'ignored');
      await waitFor(heard, 2);
      expect(heard).toEqual(['SCT1', 'SCT2']);
      await unlisten();
      await store.db.notify('order_nudge', 'SCT3');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual(['SCT1', 'SCT2']);
    });

    it('refuse channel names that are not plain identifiers', async () => {
      const store = await leg.open();
      await expect(store.db.listen('Robert"; DROP TABLE x; --', () => {})).rejects.toThrow(NotifyChannelError);
    });

    it.skipIf(leg.name !== 'PostgreSQL')('reach another replica on the same schema and no one on another schema', async () => {
      const options = leg.freshOptions();
      const first = await leg.open(options);
      const second = await openStore(options);
      const elsewhere = await leg.open();
      try {
        const onSecond: string[] = [];
        const onElsewhere: string[] = [];
        await second.db.listen('order_nudge', (payload) => onSecond.push(payload));
        await elsewhere.db.listen('order_nudge', (payload) => onElsewhere.push(payload));
        await first.db.notify('order_nudge', 'from-first');
        await waitFor(onSecond, 1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(onSecond).toEqual(['from-first']);
        expect(onElsewhere).toEqual([]);
      } finally {
        await second.close();
      }
    });
  });
}
