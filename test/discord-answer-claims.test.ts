/**
 * Answers under a burst start with the store's claims (one per Discord interaction or Slack
 * request): claims asked for while one is at the store go together in one statement. The
 * outcome is the one-at-a-time outcome: each key once across claimers, a held key refused, an
 * expired one taken over once. On PGlite always, on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { RequestClaimer } from '../src/adapters/request-claimer.js';
import type { Db } from '../src/store/db.js';
import { claimRequest } from '../src/store/request-claims.js';
import { announceSkip, storeLegs, useCleanStore } from './helpers/store-legs.js';

const MINUTE = 60_000;

/** The store, counting the statements that claim. */
function counting(db: Db): { db: Db; claims: () => number } {
  let claims = 0;
  const counted = Object.create(db) as Db;
  counted.query = ((sql: string, params?: readonly unknown[]) => {
    if (sql.includes('INSERT INTO request_claims')) claims += 1;
    return db.query(sql, params);
  }) as Db['query'];
  return { db: counted, claims: () => claims };
}

for (const leg of storeLegs) {
  announceSkip(leg, 'discord-answer-claims');
  describe.skipIf(leg.skipReason !== undefined)(`claims in a burst on ${leg.name}`, () => {
    const store = useCleanStore(leg);

    it('claims a burst in a few statements, with one winner per key across two claimers', async () => {
      const { db, claims } = counting(store.db);
      const first = new RequestClaimer({ db, holder: 'replica-1' });
      const second = new RequestClaimer({ db, holder: 'replica-2' });
      const keys = Array.from({ length: 100 }, (_, i) => `discord:interaction:${1000 + i}`);
      const results = await Promise.all(keys.flatMap((key) => [first.claim(key), second.claim(key)]));
      for (let i = 0; i < keys.length; i++) expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
      // 200 claims; one at a time they would be 200 statements (and more for the losers).
      expect(claims()).toBeLessThan(120);
    });

    it('refuses a held key and takes an expired one over, once, inside a burst', async () => {
      expect(await claimRequest(store.db, 'k-held', MINUTE, 'replica-0')).toBe(true);
      expect(await claimRequest(store.db, 'k-expired', 0, 'replica-0')).toBe(true);
      const claimer = new RequestClaimer({ db: store.db, holder: 'replica-1' });
      const other = new RequestClaimer({ db: store.db, holder: 'replica-2' });
      const fresh = Array.from({ length: 20 }, (_, i) => `k-fresh-${i}`);
      const [held, expiredA, expiredB, ...rest] = await Promise.all([
        claimer.claim('k-held'),
        claimer.claim('k-expired'),
        other.claim('k-expired'),
        ...fresh.map((key) => claimer.claim(key)),
      ]);
      expect(held).toBe(false);
      expect([expiredA, expiredB].filter(Boolean)).toHaveLength(1);
      expect(rest.every(Boolean)).toBe(true);
    });
  });
}
