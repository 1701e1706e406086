/**
 * Claiming a request in the store: of any number of claims of one key, at once, exactly one
 * wins; a claim holds until it expires and can then be taken again; expired claims are swept.
 * On PGlite always, on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { RequestClaimer } from '../src/adapters/request-claimer.js';
import type { Queryable } from '../src/store/db.js';
import { claimRequest, getRequestClaim, RequestClaimKeyError, sweepRequestClaims } from '../src/store/request-claims.js';
import { announceSkip, storeLegs, useCleanStore } from './helpers/store-legs.js';
import { waitFor } from './helpers/safety-net.js';

const MINUTE = 60_000;


for (const leg of storeLegs) {
  announceSkip(leg, 'request-claims');
  describe.skipIf(leg.skipReason !== undefined)(`request claims on ${leg.name}`, () => {
    const store = useCleanStore(leg);

    it('gives a key to one claimant: the same key twice → one winner, another key is its own', async () => {
      expect(await claimRequest(store.db, 'slack:command:T1:trigger.1', MINUTE, 'replica-1')).toBe(true);
      expect(await claimRequest(store.db, 'slack:command:T1:trigger.1', MINUTE, 'replica-2')).toBe(false);
      expect(await claimRequest(store.db, 'slack:command:T1:trigger.2', MINUTE, 'replica-2')).toBe(true);
      const row = await getRequestClaim(store.db, 'slack:command:T1:trigger.1');
      expect(row?.holder).toBe('replica-1');
      expect(row!.expiresAt.getTime() - row!.claimedAt.getTime()).toBe(MINUTE);
    });

    it('has exactly one winner among 20 claims of one key sent at once', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claimRequest(store.db, 'discord:interaction:42', MINUTE, `replica-${i}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('lets an expired claim be taken again, once', async () => {
      // A claim for 0 ms is expired as soon as it is made (the database's clock decides).
      expect(await claimRequest(store.db, 'k-expired', 0, 'replica-1')).toBe(true);
      const retaken = await Promise.all([claimRequest(store.db, 'k-expired', MINUTE, 'replica-2'), claimRequest(store.db, 'k-expired', MINUTE, 'replica-3')]);
      expect(retaken.filter(Boolean)).toHaveLength(1);
      expect(await claimRequest(store.db, 'k-expired', MINUTE, 'replica-4')).toBe(false);
    });

    it.skipIf(leg.name !== 'PostgreSQL')('has one winner when a sweep deletes an expired claim while two takeovers wait for its lock', async () => {
      // Two replicas each find the expired claim there (their INSERT conflicts), then a sweep deletes it while
      // their takeovers wait for the row's lock: one of them must still get the key, not both be refused.
      expect(await claimRequest(store.db, 'k-swept', 0, 'replica-0')).toBe(true);
      let openGate!: () => void;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      let atGate = 0;
      let reachedGate!: () => void;
      const bothAtGate = new Promise<void>((resolve) => (reachedGate = resolve));
      const gated: Queryable = {
        query: async (sql, params) => {
          if (sql.includes('WITH taken')) {
            if (++atGate === 2) reachedGate();
            await gate;
          }
          return store.db.query(sql, params);
        },
        exec: (sql) => store.db.exec(sql),
      };
      const claims = Promise.all([claimRequest(gated, 'k-swept', MINUTE, 'replica-1'), claimRequest(gated, 'k-swept', MINUTE, 'replica-2')]);
      await bothAtGate;
      let deleted!: () => void;
      const sweptUncommitted = new Promise<void>((resolve) => (deleted = resolve));
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      const sweep = store.db.transaction(async (tx) => {
        await tx.query('DELETE FROM request_claims WHERE claim_key = $1 AND expires_at <= now()', ['k-swept']);
        deleted();
        await committed;
      });
      await sweptUncommitted;
      openGate();
      // Both takeovers are waiting for the sweep's lock on the row before it commits.
      await waitFor(async () => {
        const { rows } = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%WITH taken%'");
        return rows[0]!.n >= 2;
      }, 'both takeovers waiting for the lock');
      commit();
      await sweep;
      expect((await claims).filter(Boolean)).toHaveLength(1);
      expect((await getRequestClaim(store.db, 'k-swept'))?.holder).toMatch(/^replica-[12]$/);
    });

    it('sweeps only expired claims', async () => {
      await claimRequest(store.db, 'old-1', 0, 'r');
      await claimRequest(store.db, 'old-2', 0, 'r');
      await claimRequest(store.db, 'live', MINUTE, 'r');
      expect(await sweepRequestClaims(store.db)).toBe(2);
      expect(await getRequestClaim(store.db, 'old-1')).toBeUndefined();
      expect(await getRequestClaim(store.db, 'live')).toBeDefined();
      expect(await claimRequest(store.db, 'old-1', MINUTE, 'r')).toBe(true);
    });

    it('refuses keys that are empty, too long or hold NUL before asking the store', async () => {
      await expect(claimRequest(store.db, '', MINUTE, 'r')).rejects.toBeInstanceOf(RequestClaimKeyError);
      await expect(claimRequest(store.db, 'x'.repeat(1001), MINUTE, 'r')).rejects.toBeInstanceOf(RequestClaimKeyError);
      await expect(claimRequest(store.db, 'a\u0000b', MINUTE, 'r')).rejects.toBeInstanceOf(RequestClaimKeyError);
    });

    it('two claimers (two replicas) on one store: each key runs once, and a repeat to the same claimer costs no query', async () => {
      const a = new RequestClaimer({ db: store.db, holder: 'a' });
      const b = new RequestClaimer({ db: store.db, holder: 'b' });
      const keys = Array.from({ length: 10 }, (_, i) => `slack:action:T1:1700.1:run:go:trigger.${i}`);
      const results = await Promise.all(keys.flatMap((key) => [a.claim(key), b.claim(key), a.claim(key)]));
      expect(results.filter(Boolean)).toHaveLength(keys.length);
      let queries = 0;
      const counting: Queryable = {
        query: <T,>(sql: string, params?: readonly unknown[]) => {
          queries++;
          return store.db.query<T>(sql, params);
        },
        exec: (sql) => store.db.exec(sql),
      };
      const c = new RequestClaimer({ db: counting, holder: 'c' });
      expect(await c.claim('fresh')).toBe(true);
      const afterFirst = queries;
      expect(await c.claim('fresh')).toBe(false);
      expect(queries).toBe(afterFirst);
    });
  });
}
