/**
 * A round's leases read a page at a time (PGlite and PostgreSQL): past the first page every
 * order held or taken comes once, oldest first, no more than the limit; two replicas leasing at
 * once never share an order, and what one holds the other does not take until it expires.
 */
import { describe, expect, it } from 'vitest';
import { makeId, type RunId } from '../src/backends/index.js';
import type { Db } from '../src/store/db.js';
import { leaseTrackedOrders } from '../src/store/tracked-orders.js';
import { announceSkip, storeLegs } from './helpers/store-legs.js';

/** More than two pages (500 rows each) of orders, created a millisecond apart in an order their ids do not follow. */
const ORDERS = 1_234;
const LEASE_MS = 30_000;

async function storeOrders(db: Db): Promise<RunId[]> {
  const runs = Array.from({ length: ORDERS }, (_, i) => makeId('coc', 'run', `order-${String((i * 7919) % ORDERS).padStart(5, '0')}`));
  await db.query(
    `INSERT INTO tracked_orders (run_id, backend, platform, workspace_id, channel_id, created_at)
     SELECT run_id, 'coc', 'shell', 'local', 'ops', timestamptz '2026-01-01 00:00:00+00' + n * interval '1 millisecond'
     FROM unnest($1::text[]) WITH ORDINALITY AS o(run_id, n)`,
    [runs],
  );
  return runs;
}

const lease = (db: Db, owner: string, now: number, limit: number) =>
  leaseTrackedOrders(db, { owner, now: new Date(now), leaseMs: LEASE_MS, limit }, (row) => row.runId as string);

for (const leg of storeLegs) {
  announceSkip(leg, 'tracker-lease-pages');
  describe.skipIf(leg.skipReason !== undefined)(`leases read a page at a time on ${leg.name}`, () => {
    it('gives every order once, oldest first, up to the limit, and keeps them until their lease is due', async () => {
      const { db } = await leg.open();
      const runs = await storeOrders(db);
      const now = Date.parse('2026-02-01T00:00:00Z');
      const all = await lease(db, 'replica-a', now, ORDERS + 10);
      expect(all).toEqual(runs);
      // Held: the same orders, however many pages, and a lower limit keeps the oldest.
      expect(await lease(db, 'replica-a', now + 1_000, ORDERS)).toEqual(runs);
      expect(await lease(db, 'replica-a', now + 2_000, 600)).toEqual(runs.slice(0, 600));
      // Another replica takes none of them while they are held.
      expect(await lease(db, 'replica-b', now + 3_000, ORDERS)).toEqual([]);
    });

    it('splits the orders between two replicas leasing at once, none in both', async () => {
      const { db } = await leg.open();
      const runs = await storeOrders(db);
      const now = Date.parse('2026-02-01T00:00:00Z');
      const [a, b] = await Promise.all([lease(db, 'replica-a', now, 700), lease(db, 'replica-b', now, 700)]);
      expect(a.filter((run) => b.includes(run))).toEqual([]);
      expect(new Set([...a, ...b]).size).toBe(ORDERS);
      expect(Math.max(a.length, b.length)).toBe(700);
      // Once every lease has expired, one replica takes them all over.
      expect(await lease(db, 'replica-b', now + LEASE_MS + 1, ORDERS)).toEqual(runs);
    });
  });
}
