/**
 * The configured people are made the store's 'config' mappings at every start. A restart with the
 * same configuration finds them stored and writes nothing; any difference (a field, a person
 * added or dropped, a person mapped from chat who is now configured) replaces them as before.
 */
import { describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import { DEMO_MAPPINGS } from '../src/identity/demo.js';
import { IdentityService } from '../src/identity/identity-service.js';
import { configIdentityMappingsAre, listIdentityMappings } from '../src/store/index.js';
import { pgliteLeg } from './helpers/store-legs.js';

const ERIN = { platform: 'slack' as const, workspaceId: 'T0TEAM001', userId: 'U0ERIN001' };
const erinConfigured: IdentityMappingConfig = { platform: 'slack', workspace: 'T0TEAM001', user: 'U0ERIN001', iamUser: 'erin', role: 'approver' };

describe('the configured people at start', () => {
  it('are written once: a second start with the same configuration leaves every row as it was', async () => {
    const store = await pgliteLeg.open();
    const identities = new IdentityService(store.db);
    await identities.syncFromConfig(DEMO_MAPPINGS);
    const first = await listIdentityMappings(store.db);
    expect(first.map((row) => [row.iamUserName, row.role, row.source])).toEqual([
      ['alice', 'operator', 'config'],
      ['bob', 'approver', 'config'],
      ['carol', 'viewer', 'config'],
      ['dave', 'admin', 'config'],
    ]);
    await identities.syncFromConfig(DEMO_MAPPINGS);
    // Same ids and the same update times: nothing was written again.
    expect(await listIdentityMappings(store.db)).toEqual(first);
  });

  it('are replaced when anything differs, and people mapped from chat count only once configured', async () => {
    const store = await pgliteLeg.open();
    const identities = new IdentityService(store.db);
    const wanted = (mappings: readonly IdentityMappingConfig[]) =>
      mappings.map((m) => ({ platform: m.platform, workspaceId: m.workspace, platformUserId: m.user, iamUserName: m.iamUser, role: m.role }));
    await identities.syncFromConfig(DEMO_MAPPINGS);
    // Mapped from chat: not one of the configured, so the stored set still matches.
    await identities.link(ERIN, 'erin', 'viewer');
    expect(await configIdentityMappingsAre(store.db, wanted(DEMO_MAPPINGS))).toBe(true);

    // A field changed: carol becomes an operator.
    const carolPromoted = DEMO_MAPPINGS.map((m) => (m.user === 'carol' ? { ...m, role: 'operator' as const } : m));
    expect(await configIdentityMappingsAre(store.db, wanted(carolPromoted))).toBe(false);
    await identities.syncFromConfig(carolPromoted);
    expect((await listIdentityMappings(store.db)).find((row) => row.iamUserName === 'carol')?.role).toBe('operator');

    // Someone mapped from chat is now configured: taken over by the configuration.
    const withErin = [...carolPromoted, erinConfigured];
    expect(await configIdentityMappingsAre(store.db, wanted(withErin))).toBe(false);
    await identities.syncFromConfig(withErin);
    expect((await listIdentityMappings(store.db)).find((row) => row.iamUserName === 'erin')).toMatchObject({ role: 'approver', source: 'config' });
    expect((await identities.resolve(ERIN))?.role).toBe('approver');

    // Dropped from the configuration: gone.
    const withoutDave = withErin.filter((m) => m.user !== 'dave');
    expect(await configIdentityMappingsAre(store.db, wanted(withoutDave))).toBe(false);
    await identities.syncFromConfig(withoutDave);
    expect((await listIdentityMappings(store.db)).map((row) => row.iamUserName).sort()).toEqual(['alice', 'bob', 'carol', 'erin']);
    expect(await configIdentityMappingsAre(store.db, wanted(withoutDave))).toBe(true);
  });
});
