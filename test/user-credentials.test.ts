/**
 * People's own COC credentials: a mapping that names one makes that person's calls go to COC
 * as their IAM user (AK/SK or password login), a named but unset credential is refused before
 * anything is sent, and no secret reaches a reply or the audit trail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_IAM_PASSWORD } from '../src/sim/server.js';
import { SIM_DEFAULT_CREDENTIALS } from '../src/sim/defaults.js';
import { credentialEnvPrefix } from '../src/backends/coc/sessions.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const ALICE_AK = 'ALICEOWNAK00000000000';
const ALICE_SK = 'AliceOwnSecretKeyThatMustNeverBePrinted0';

function mappings(ref: string | undefined): IdentityMappingConfig[] {
  return [
    { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'operator', ...(ref ? { credentialRef: ref } : {}) },
    { platform: 'shell', workspace: 'local', user: 'dave', iamUser: 'dave', role: 'admin' },
  ];
}

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe("a person's own COC credential", () => {
  it('names the environment variables with the reference upper-cased', () => {
    expect(credentialEnvPrefix('ops-alice.2')).toBe('COC_CREDENTIAL_OPS_ALICE_2_');
  });

  it('signs with their own AK/SK, and whoami says COC checks their rights', async () => {
    bot = await makeTestBot({
      mappings: mappings('alice-keys'),
      env: { COC_CREDENTIAL_ALICE_KEYS_AK: ALICE_AK, COC_CREDENTIAL_ALICE_KEYS_SK: ALICE_SK },
      sim: { credentials: [...SIM_DEFAULT_CREDENTIALS, { ak: ALICE_AK, sk: ALICE_SK, userName: 'alice' }] },
    });
    bot.sim.resetRequests();
    const hosts = await bot.run('alice', 'hosts --tag role=web');
    expect(hosts).toMatch(/web-01/);
    const keys = bot.sim.requests.map((r) => (r.auth.kind === 'aksk' ? r.auth.access : r.auth.kind));
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys)).toEqual(new Set([ALICE_AK]));

    // Someone without a credential of their own still uses the bot's.
    bot.sim.resetRequests();
    await bot.run('dave', 'hosts --tag role=web');
    expect(new Set(bot.sim.requests.map((r) => (r.auth.kind === 'aksk' ? r.auth.access : r.auth.kind)))).toEqual(new Set([SIM_DEFAULT_AK]));

    const whoami = await bot.run('alice', 'whoami');
    expect(whoami).toMatch(/own credential "alice-keys": COC checks your IAM rights/);
    expect(whoami).not.toContain(ALICE_SK);
  });

  it('logs in with their IAM password and calls COC with their token', async () => {
    bot = await makeTestBot({ mappings: mappings('alice'), env: { COC_CREDENTIAL_ALICE_PASSWORD: SIM_DEFAULT_IAM_PASSWORD } });
    bot.sim.resetRequests();
    expect(await bot.run('alice', 'scripts')).toMatch(/rotate_db_password/);
    const kinds = bot.sim.requests.map((r) => `${r.routeKey ?? r.path}:${r.auth.kind}`);
    expect(kinds).toContain('POST /v3/auth/tokens:none');
    expect(bot.sim.requests.filter((r) => r.routeKey !== 'POST /v3/auth/tokens').every((r) => r.auth.kind === 'token')).toBe(true);
  });

  it('refuses a named credential that is not set, before anything reaches COC, and audits the refusal', async () => {
    bot = await makeTestBot({ mappings: mappings('ghost'), env: {} });
    bot.sim.resetRequests();
    const reply = await bot.run('alice', 'hosts');
    expect(reply).toMatch(/credential "ghost" is named in your mapping but not set on the bot/);
    expect(reply).toContain('COC_CREDENTIAL_GHOST_AK');
    expect(bot.sim.requests).toHaveLength(0);
    const [row] = await listAuditEvents(bot.store.db, { limit: 1 });
    expect(row).toMatchObject({ command: 'hosts', outcome: 'failed', iamUserName: 'alice' });
    expect(await bot.run('alice', 'whoami')).toMatch(/not set on the bot, so your COC calls are refused/);
  });

  it('a wrong password is COC refusing the credential, and the password is never shown', async () => {
    const password = 'Wrong-Passw0rd-Never-Shown';
    bot = await makeTestBot({ mappings: mappings('alice'), env: { COC_CREDENTIAL_ALICE_PASSWORD: password } });
    const reply = await bot.run('alice', 'hosts');
    expect(reply).toMatch(/credential|401|refused/i);
    expect(reply).not.toContain(password);
    const rows = await listAuditEvents(bot.store.db, { limit: 5 });
    expect(JSON.stringify(rows)).not.toContain(password);
  });
});
