import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../src/config.js';
import { dirWithConfig, tempDir } from './helpers/config-files.js';
import { nodeArgsFor } from './helpers/entry-point.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Every secret option set, each to a value easy to search for. */
const SECRETS = {
  COC_AK: 'AKSECRETAK0000000001',
  COC_SK: 'SKSECRETsk0000000000000000000000000000002',
  COC_SECURITY_TOKEN: 'TOKENSECRETsecuritytoken000003',
  SLACK_BOT_TOKEN: 'xoxb-SECRET-bot-token-000004',
  SLACK_APP_TOKEN: 'xapp-SECRET-app-token-000005',
  SLACK_SIGNING_SECRET: 'SIGNINGSECRET0000000000000000006',
  DISCORD_BOT_TOKEN: 'DISCORDSECRET.botTOKEN.000007',
  DATABASE_URL: 'postgres://chatops:DBPASSWORDSECRET008@db.internal:5432/chatops',
};
const IAM_PASSWORD = 'IAMPASSWORDSECRET009';

/** Secret parts that must not appear at all, not even as an 8-character piece. */
const MUST_NOT_APPEAR = [
  SECRETS.COC_AK,
  SECRETS.COC_SK,
  SECRETS.COC_SECURITY_TOKEN,
  SECRETS.SLACK_BOT_TOKEN,
  SECRETS.SLACK_APP_TOKEN,
  SECRETS.SLACK_SIGNING_SECRET,
  SECRETS.DISCORD_BOT_TOKEN,
  'DBPASSWORDSECRET008',
  IAM_PASSWORD,
];

function expectNoSecretIn(output: string): void {
  expect(output).not.toContain(SECRETS.DATABASE_URL);
  for (const secret of MUST_NOT_APPEAR) {
    for (let start = 0; start + 8 <= secret.length; start++) {
      const piece = secret.slice(start, start + 8);
      if (output.includes(piece)) throw new Error(`output contains "${piece}", a piece of a secret`);
    }
  }
}

const fullEnv = {
  ...SECRETS,
  COC_PROJECT_ID: '0123456789abcdef0123456789abcdef',
  SLACK_MODE: 'http',
  DISCORD_APPLICATION_ID: '123456789012345678',
  DISCORD_PUBLIC_KEY: 'c'.repeat(64),
  DISCORD_GUILD_ID: '876543210987654321',
};

describe('check-config report', () => {
  it('summarises a valid configuration full of secrets without showing any of them', () => {
    const report = checkConfig({ env: fullEnv, cwd: tempDir() });
    expect(report.exitCode).toBe(0);
    expectNoSecretIn(report.output);
    expect(report.output).toContain('https://coc.myhuaweicloud.com (site cn-north-4); AK/SK signing, project 0123456789abcdef0123456789abcdef, temporary credentials');
    expect(report.output).toContain('PostgreSQL at db.internal:5432/chatops');
    expect(report.output).toContain('Slack (HTTP on port 3000)');
    expect(report.output).toContain('Discord (gateway, application 123456789012345678, commands in server 876543210987654321)');
    expect(report.output).not.toContain('terminal');
  });

  it('says when the simulator and the embedded store are used', () => {
    const report = checkConfig({ env: {}, cwd: tempDir() });
    expect(report.exitCode).toBe(0);
    expect(report.output).toMatch(/COC: +built-in simulator/);
    expect(report.output).toMatch(/Store: +PGlite in .*data\/pglite/);
    expect(report.output).toMatch(/Adapters: +terminal/);
  });

  it('lists every problem as "path: message — fix", exits 1, and shows no secret', () => {
    const cwd = dirWithConfig({
      coc: { auth: { iam: { password: IAM_PASSWORD } } },
      slack: { botToken: 'xoxp-SECRET-user-token-000010' },
      identity: { mappings: [{ platform: 'slack', workspace: 'T0123ABCD', user: 'U0123ABCD', iamUser: 'a', role: 'root' }] },
    });
    const env = { COC_AK: SECRETS.COC_AK, SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET, SLACK_MODE: 'http', DATABASE_URL: 'mysql://u:DBPASSWORDSECRET008@h/db' };
    const report = checkConfig({ env, cwd });
    expect(report.exitCode).toBe(1);
    expectNoSecretIn(report.output);
    expect(report.output).not.toContain('xoxp-SECRET');
    const problemLines = report.output.split('\n').filter((line) => line.startsWith('  ✗ '));
    expect(problemLines.length).toBeGreaterThanOrEqual(6);
    for (const line of problemLines) expect(line).toMatch(/^  ✗ [\w.[\]]+(?: file)?: .+ — .+$/);
    const expected = [
      'coc.auth: both AK/SK and IAM password credentials are set — keep one',
      'coc.auth.sk: missing: an access key is set without its secret key — set COC_SK or coc.auth.sk in coc-chatops.json',
      'coc.auth.projectId: missing',
      'coc.auth.iam.domain: missing',
      'slack.botToken: must be a bot token (starting with xoxb-)',
      'store.databaseUrl: must be a postgres:// or postgresql:// connection string (value from DATABASE_URL) — set DATABASE_URL or store.databaseUrl',
      'identity.mappings[0].role: must be one of viewer, operator, approver, admin (got "root")',
    ];
    for (const text of expected) expect(report.output).toContain(text);
  });

  it('warns about a secret-holding file others can read, and about nobody being mapped', async () => {
    const cwd = dirWithConfig({ slack: { botToken: SECRETS.SLACK_BOT_TOKEN, appToken: SECRETS.SLACK_APP_TOKEN } });
    const { chmodSync } = await import('node:fs');
    chmodSync(`${cwd}/coc-chatops.json`, 0o644);
    const report = checkConfig({ env: {}, cwd });
    expect(report.exitCode).toBe(0);
    expect(report.output).toMatch(/! config file: .* holds secrets and other users on this machine can read it — chmod 600/);
    expect(report.output).toMatch(/! identity\.mappings: nobody is mapped/);
    expectNoSecretIn(report.output);
  });
});

describe('npm run check-config', () => {
  const run = (env: Record<string, string>, cwd: string) =>
    spawnSync(process.execPath, nodeArgsFor('src/check-config.ts'), { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8' });

  it('exits 0 and prints the summary for a valid configuration', () => {
    const result = run({ SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: SECRETS.SLACK_APP_TOKEN }, tempDir());
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Slack (Socket Mode)');
    expectNoSecretIn(result.stdout + result.stderr);
  });

  it('exits 1 and prints the problems', () => {
    const result = run({ COC_AK: SECRETS.COC_AK }, tempDir());
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('coc.auth.sk: missing');
    expectNoSecretIn(result.stdout + result.stderr);
  });
});
