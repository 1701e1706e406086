/**
 * Who is acting may come from a short-lived cache for a viewer's read, never for a change or a
 * decision: a link or role changed on another replica whose notification this one did not hear
 * (simulated by changing the store behind the service's back) is still the cached one for a
 * read, and already the store's for a write, which is then refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELL_WORKSPACE } from '../src/identity/demo.js';
import { deleteIdentityMapping, upsertIdentityMapping } from '../src/store/identity-mappings.js';
import { IdentityService } from '../src/identity/identity-service.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { freshMemoryStore } from './helpers/memory-store.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await makeTestBot();
});
afterAll(() => bot.close());

const ALICE = { platform: 'shell' as const, workspaceId: SHELL_WORKSPACE, userId: 'alice' };

describe('who is acting, for reads and for writes', () => {
  it('reads the store for a write while a read may still use the cached role', async () => {
    expect(await bot.run('alice', 'whoami')).toContain('operator');
    // Demoted on another replica; this one did not hear of it.
    await upsertIdentityMapping(bot.store.db, { platform: 'shell', workspaceId: SHELL_WORKSPACE, platformUserId: 'alice', iamUserName: 'alice', role: 'viewer', source: 'config' });
    expect((await bot.services.identities.resolve(ALICE))?.role).toBe('operator');
    expect((await bot.services.identities.resolve(ALICE, { fresh: true }))?.role).toBe('viewer');
    const refused = await bot.run('alice', 'order cancel SCT0000 --yes');
    expect(refused).toMatch(/^You may not use "order cancel" here/);
    expect(refused).toContain('viewer');
  });

  it('refuses a write from someone unlinked on another replica as not linked', async () => {
    await bot.run('bob', 'whoami');
    await deleteIdentityMapping(bot.store.db, { platform: 'shell', workspaceId: SHELL_WORKSPACE, platformUserId: 'bob' });
    expect(await bot.services.identities.resolve({ ...ALICE, userId: 'bob' })).toBeDefined();
    expect(await bot.run('bob', 'order cancel SCT0000 --yes')).toMatch(/^You are not linked to a COC \(IAM\) user yet/);
  });

  it('looks up people missing the cache at the same moment in one statement, and each gets their own', async () => {
    // An empty migrated store of its own, from the worker's pool: initdb is not what is tested here.
    const store = await freshMemoryStore();
    try {
      const identities = new IdentityService(store.db);
      const people = Array.from({ length: 20 }, (_, i) => ({ platform: 'discord' as const, workspaceId: 'G1', userId: `U${i}` }));
      for (const [i, person] of people.entries()) if (i % 2 === 0) await identities.link(person, `iam-${i}`, 'viewer');
      let lookups = 0;
      const query = store.db.query.bind(store.db);
      Object.assign(store.db, {
        query: (sql: string, params?: readonly unknown[]) => {
          if (sql.includes('FROM identity_mappings')) lookups += 1;
          return query(sql, params);
        },
      });
      const fresh = new IdentityService(store.db);
      const found = await Promise.all([...people, ...people].map((person) => fresh.resolve(person)));
      expect(lookups).toBe(1);
      expect(found.slice(0, 20).map((identity) => identity?.iamUserName)).toEqual(people.map((_, i) => (i % 2 === 0 ? `iam-${i}` : undefined)));
      expect(found.slice(20)).toEqual(found.slice(0, 20));
    } finally {
      await store.close();
    }
  });
});
