import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  COC_ENDPOINTS,
  COC_REGIONS,
  Secret,
  cocConnection,
  enabledAdapters,
  loadConfig,
  redactConfig,
  requireConfig,
  storeOptionsFrom,
  InvalidConfigError,
  type Config,
  type ConfigProblem,
  type LoadConfigOptions,
} from '../src/config.js';
import { dirWithConfig, tempDir } from './helpers/config-files.js';

function load(options: LoadConfigOptions): ReturnType<typeof loadConfig> {
  return loadConfig({ env: {}, cwd: tempDir(), ...options });
}

function valid(options: LoadConfigOptions): Config {
  const result = load(options);
  if (!result.ok) throw new Error(`unexpected problems:\n${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return result.config;
}

function problems(options: LoadConfigOptions): readonly ConfigProblem[] {
  const result = load(options);
  if (result.ok) throw new Error('expected problems, got a valid configuration');
  return result.problems;
}

function problemAt(list: readonly ConfigProblem[], path: string): ConfigProblem {
  const found = list.find((problem) => problem.path === path);
  if (!found) throw new Error(`no problem at ${path}; got: ${list.map((p) => p.path).join(', ')}`);
  return found;
}

const AKSK = { COC_AK: 'AKEXAMPLE1234567890', COC_SK: 'skExampleSecretKeyValue0123456789abcdefgh', COC_PROJECT_ID: '0123456789abcdef0123456789abcdef' };
const SLACK_SOCKET = { SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdef', SLACK_APP_TOKEN: 'xapp-1-A111-222-abcdef' };

describe('defaults', () => {
  it('with nothing configured: simulator, embedded PGlite under the working directory, terminal only', () => {
    const cwd = tempDir();
    const config = valid({ cwd });
    expect(cocConnection(config)).toEqual({ kind: 'simulator', sim: {}, language: 'en-us' });
    expect(config.store.dataDir).toBe(join(cwd, 'data/pglite'));
    expect(storeOptionsFrom(config, cwd)).toEqual({ dataDir: join(cwd, 'data/pglite') });
    expect(enabledAdapters(config)).toEqual({ slack: false, discord: false, shell: true });
    expect(config).toMatchObject({
      coc: { region: 'cn-north-4', timeoutMs: 15_000, language: 'en-us' },
      approvals: { expiryMinutes: 30, channel: {} },
      policy: { allowExecutionInDms: false, channels: [] },
      identity: { mappings: [] },
      locale: 'en-US',
    });
  });

  it('does not read process.env when an environment is given', () => {
    process.env['SLACK_BOT_TOKEN'] = 'xoxb-from-the-real-environment';
    try {
      expect(enabledAdapters(valid({ env: {} })).slack).toBe(false);
    } finally {
      delete process.env['SLACK_BOT_TOKEN'];
    }
  });
});

describe('config file', () => {
  it('reads ./coc-chatops.json from the working directory', () => {
    const cwd = dirWithConfig({ locale: 'zh-CN' });
    const result = loadConfig({ env: {}, cwd });
    expect(result.ok && result.config.locale).toBe('zh-CN');
    expect(result.source.file).toBe(join(cwd, 'coc-chatops.json'));
  });

  it('reads the file named by COC_CHATOPS_CONFIG, relative to the working directory', () => {
    const cwd = dirWithConfig({ locale: 'zh-CN' }, 'elsewhere.json');
    expect(valid({ cwd, env: { COC_CHATOPS_CONFIG: 'elsewhere.json' } }).locale).toBe('zh-CN');
  });

  it('prefers the file option', () => {
    const cwd = dirWithConfig({ locale: 'zh-CN' }, 'chosen.json');
    expect(valid({ cwd, file: 'chosen.json', env: { COC_CHATOPS_CONFIG: 'missing.json' } }).locale).toBe('zh-CN');
  });

  it('reports a named file that does not exist', () => {
    const problem = problemAt(problems({ env: { COC_CHATOPS_CONFIG: 'nope.json' } }), 'config file');
    expect(problem.message).toMatch(/nope\.json does not exist/);
    expect(problem.fix).toMatch(/COC_CHATOPS_CONFIG/);
  });

  it('reports invalid JSON with its position but without quoting the text', () => {
    const cwd = dirWithConfig('{\n  "slack": { "botToken": "xoxb-do-not-print-me" "mode": "http" }\n}');
    const problem = problemAt(problems({ cwd }), 'config file');
    expect(problem.message).toMatch(/not valid JSON.*line 2/);
    expect(JSON.stringify(problem)).not.toContain('do-not-print');
  });

  it('reports invalid JSON near a bare secret without quoting it', () => {
    const cwd = dirWithConfig('{ "coc": { "auth": { "sk": SECRETVALUE123 } } }');
    const problem = problemAt(problems({ cwd }), 'config file');
    expect(JSON.stringify(problem)).not.toMatch(/SECRET|VALUE/);
  });

  it('ignores "//" notes, $schema, and treats "" and null as not set', () => {
    const config = valid({
      cwd: dirWithConfig({ $schema: 'x', '//': 'note', slack: { '// botToken': 'note', botToken: '' }, sim: { port: null } }),
    });
    expect(config.slack.botToken).toBeUndefined();
    expect(config.sim.port).toBeUndefined();
  });

  it('names an unknown option and suggests the one meant', () => {
    const list = problems({ cwd: dirWithConfig({ slack: { signingSecet: 'x' }, coc: { Region: 'eu-west-101' }, colour: 1 } ) });
    expect(problemAt(list, 'slack.signingSecet').fix).toMatch(/did you mean "signingSecret"/);
    expect(problemAt(list, 'coc.Region').fix).toMatch(/did you mean "region"/);
    expect(problemAt(list, 'colour').fix).toMatch(/remove it from coc-chatops.json/);
  });
});

describe('environment variables', () => {
  it('override the file, with numbers and booleans converted', () => {
    const cwd = dirWithConfig({ slack: { mode: 'socket', port: 3000 }, policy: { allowExecutionInDms: false } });
    const result = loadConfig({
      cwd,
      env: { ...SLACK_SOCKET, SLACK_SIGNING_SECRET: 'signing-secret-value', SLACK_MODE: 'http', SLACK_PORT: '8080', COC_POLICY_ALLOW_EXECUTION_IN_DMS: 'yes' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.config.slack).toMatchObject({ mode: 'http', port: 8080 });
    expect(result.config.policy.allowExecutionInDms).toBe(true);
    expect(result.source.envVariables).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_MODE', 'SLACK_PORT', 'COC_POLICY_ALLOW_EXECUTION_IN_DMS']),
    );
  });

  it('reports a value that is not a number or boolean, naming the variable', () => {
    const list = problems({ env: { COC_SIM_PORT: 'eighty', COC_CHATOPS_SHELL: 'maybe' } });
    expect(problemAt(list, 'sim.port')).toMatchObject({ message: 'COC_SIM_PORT is not a whole number' });
    expect(problemAt(list, 'shell.enabled').fix).toMatch(/COC_CHATOPS_SHELL to true or false/);
  });

  it('says which variable a bad value came from', () => {
    const problem = problemAt(problems({ env: { COC_REGION: 'mars-1' } }), 'coc.region');
    expect(problem.message).toMatch(/must be one of cn-north-4, ap-southeast-3, eu-west-101 \(got "mars-1"\) \(value from COC_REGION\)/);
  });

  it('treats empty variables as unset', () => {
    expect(enabledAdapters(valid({ env: { SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '  ' } })).slack).toBe(false);
  });
});

describe('COC', () => {
  it('uses the site endpoint of each region with AK/SK', () => {
    for (const region of COC_REGIONS) {
      const connection = cocConnection(valid({ env: { ...AKSK, COC_REGION: region } }));
      expect(connection).toMatchObject({ kind: 'coc', endpoint: COC_ENDPOINTS[region], region, auth: { method: 'aksk', projectId: AKSK.COC_PROJECT_ID } });
    }
    expect(COC_ENDPOINTS).toEqual({
      'cn-north-4': 'https://coc.myhuaweicloud.com',
      'ap-southeast-3': 'https://coc-intl.myhuaweicloud.com',
      'eu-west-101': 'https://coc-eu-west-101-open-api.myhuaweicloud.eu',
    });
  });

  it('uses an explicit endpoint and IAM token login with region defaults', () => {
    const connection = cocConnection(
      valid({
        env: {
          COC_ENDPOINT: 'https://coc.example.test',
          COC_REGION: 'eu-west-101',
          COC_IAM_DOMAIN: 'acme',
          COC_IAM_USER: 'chatops',
          COC_IAM_PASSWORD: 'pa55-word',
        },
      }),
    );
    expect(connection).toMatchObject({
      kind: 'coc',
      endpoint: 'https://coc.example.test',
      auth: { method: 'token', iamEndpoint: 'https://iam.eu-west-101.myhuaweicloud.eu', project: 'eu-west-101', user: 'chatops', domain: 'acme' },
    });
    if (connection.kind === 'coc' && connection.auth.method === 'token') expect(connection.auth.password.reveal()).toBe('pa55-word');
  });

  it('reports an AK without its SK, with the path and how to fix it', () => {
    const problem = problemAt(problems({ env: { COC_AK: AKSK.COC_AK, COC_PROJECT_ID: AKSK.COC_PROJECT_ID } }), 'coc.auth.sk');
    expect(problem.message).toMatch(/^missing/);
    expect(problem.fix).toMatch(/^set COC_SK or coc\.auth\.sk in coc-chatops\.json/);
  });

  it('reports an SK without its AK and AK/SK without a project id', () => {
    expect(problemAt(problems({ env: { COC_SK: AKSK.COC_SK } }), 'coc.auth.ak').fix).toMatch(/COC_AK/);
    expect(problemAt(problems({ env: { COC_AK: AKSK.COC_AK, COC_SK: AKSK.COC_SK } }), 'coc.auth.projectId').fix).toMatch(/COC_PROJECT_ID/);
  });

  it('reports both kinds of credentials at once, and an incomplete IAM login', () => {
    const list = problems({ env: { ...AKSK, COC_IAM_USER: 'chatops' } });
    expect(problemAt(list, 'coc.auth').message).toMatch(/both AK\/SK and IAM/);
    expect(problemAt(list, 'coc.auth.iam.password').fix).toMatch(/COC_IAM_PASSWORD/);
    expect(problemAt(list, 'coc.auth.iam.domain').fix).toMatch(/COC_IAM_DOMAIN/);
  });

  it('reports an endpoint without credentials', () => {
    expect(problemAt(problems({ env: { COC_ENDPOINT: 'https://coc.example.test' } }), 'coc.endpoint').fix).toMatch(/simulator/);
  });

  it('refuses plain http except on this machine', () => {
    expect(problemAt(problems({ env: { ...AKSK, COC_ENDPOINT: 'http://coc.example.test' } }), 'coc.endpoint').message).toMatch(/https/);
    expect(cocConnection(valid({ env: { ...AKSK, COC_ENDPOINT: 'http://127.0.0.1:8700' } }))).toMatchObject({ endpoint: 'http://127.0.0.1:8700' });
  });
});

describe('Slack and Discord', () => {
  it('enables Slack in socket mode with a bot and an app token', () => {
    const config = valid({ env: SLACK_SOCKET });
    expect(enabledAdapters(config)).toEqual({ slack: true, discord: false, shell: false });
    expect(config.slack.botToken?.reveal()).toBe(SLACK_SOCKET.SLACK_BOT_TOKEN);
  });

  it('needs an app token for socket mode and a signing secret for http mode', () => {
    expect(problemAt(problems({ env: { SLACK_BOT_TOKEN: SLACK_SOCKET.SLACK_BOT_TOKEN } }), 'slack.appToken').fix).toMatch(/SLACK_APP_TOKEN/);
    const http = problemAt(problems({ env: { SLACK_BOT_TOKEN: SLACK_SOCKET.SLACK_BOT_TOKEN, SLACK_MODE: 'http' } }), 'slack.signingSecret');
    expect(http.fix).toMatch(/^set SLACK_SIGNING_SECRET or slack\.signingSecret/);
  });

  it('checks token kinds by prefix', () => {
    const list = problems({ env: { SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_APP_TOKEN: 'xoxb-wrong-kind' } });
    expect(problemAt(list, 'slack.botToken').message).toMatch(/xoxb-/);
    expect(problemAt(list, 'slack.appToken').message).toMatch(/xapp-/);
  });

  it('reports Slack settings without a bot token', () => {
    expect(problemAt(problems({ env: { SLACK_SIGNING_SECRET: 'abc' } }), 'slack.botToken').message).toMatch(/half configured/);
  });

  it('needs an application id, and a public key of 64 hex characters in http mode', () => {
    const env = { DISCORD_BOT_TOKEN: 'MTIz.NDU2.Nzg5', DISCORD_MODE: 'http' };
    const list = problems({ env });
    expect(problemAt(list, 'discord.applicationId').fix).toMatch(/DISCORD_APPLICATION_ID/);
    expect(problemAt(list, 'discord.publicKey').fix).toMatch(/DISCORD_PUBLIC_KEY/);
    const badKey = problems({ env: { ...env, DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_PUBLIC_KEY: 'abc' } });
    expect(problemAt(badKey, 'discord.publicKey').message).toMatch(/64 hex/);
    const config = valid({ env: { ...env, DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_PUBLIC_KEY: 'a'.repeat(64) } });
    expect(enabledAdapters(config).discord).toBe(true);
  });

  it('refuses two HTTP listeners on one port', () => {
    const env = {
      SLACK_BOT_TOKEN: SLACK_SOCKET.SLACK_BOT_TOKEN,
      SLACK_MODE: 'http',
      SLACK_SIGNING_SECRET: 's',
      DISCORD_BOT_TOKEN: 'MTIz.NDU2.Nzg5',
      DISCORD_MODE: 'http',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_PUBLIC_KEY: 'b'.repeat(64),
      DISCORD_PORT: '3000',
    };
    expect(problemAt(problems({ env }), 'discord.port').message).toMatch(/already used by slack\.port/);
  });

  it('refuses a configuration with no adapter at all', () => {
    expect(problemAt(problems({ env: { COC_CHATOPS_SHELL: 'false' } }), 'shell.enabled').message).toMatch(/no adapter/);
  });
});

describe('identity and policy', () => {
  const mapping = { platform: 'slack', workspace: 'T0123ABCD', user: 'U0123ABCD', iamUser: 'alice', role: 'operator' };

  it('accepts mappings keyed by platform ids', () => {
    const config = valid({ cwd: dirWithConfig({ identity: { mappings: [mapping, { ...mapping, platform: 'shell', workspace: 'local', user: 'alice' }] } }) });
    expect(config.identity.mappings).toHaveLength(2);
  });

  it('reports an unknown role with the allowed ones', () => {
    const problem = problemAt(
      problems({ cwd: dirWithConfig({ identity: { mappings: [{ ...mapping, role: 'superuser' }] } }) }),
      'identity.mappings[0].role',
    );
    expect(problem.message).toBe('must be one of viewer, operator, approver, admin (got "superuser")');
    expect(problem.fix).toBe('set identity.mappings[0].role in coc-chatops.json to one of viewer, operator, approver, admin');
  });

  it('reports a display name where an id belongs, and duplicate mappings', () => {
    const list = problems({
      cwd: dirWithConfig({ identity: { mappings: [{ ...mapping, user: 'alice' }, mapping, mapping] } }),
    });
    expect(problemAt(list, 'identity.mappings[0].user').message).toMatch(/not a slack user id/);
    expect(problemAt(list, 'identity.mappings[2]').message).toMatch(/same slack user as identity.mappings\[1\]/);
  });

  it('reports unknown command families and repeated channels', () => {
    const rule = { platform: 'slack', channel: 'C1', allow: ['help'] };
    const list = problems({ cwd: dirWithConfig({ policy: { channels: [rule, { ...rule, allow: ['nuke'] }] } }) });
    expect(problemAt(list, 'policy.channels[1].allow[0]').message).toMatch(/must be one of run, scripts/);
    expect(problemAt(list, 'policy.channels[1]').message).toMatch(/repeats the channel/);
  });
});

describe('robustness', () => {
  it('returns problems, never throws, for input of the wrong shape everywhere', () => {
    const shapes: unknown[] = [
      [],
      { coc: 5, slack: 'x', discord: [], store: null },
      { coc: { auth: 'x', region: 7 }, identity: { mappings: [null, 3, 'x', { platform: 9 }] }, policy: { channels: 'x' } },
      { coc: { auth: { iam: [] } }, identity: 'x', policy: { channels: [null, { platform: 'slack' }] }, approvals: { channel: 1 } },
      { slack: { botToken: 42, mode: null, port: -1 }, discord: { botToken: {}, guildId: 5 } },
    ];
    for (const shape of shapes) {
      const result = loadConfig({ env: {}, cwd: dirWithConfig(shape) });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        for (const problem of result.problems) {
          expect(problem.path).not.toBe('');
          expect(problem.fix).not.toBe('');
        }
      }
    }
  });

  it('requireConfig throws a typed error listing the problems', () => {
    expect(() => requireConfig({ env: { COC_AK: 'x' }, cwd: tempDir() })).toThrow(InvalidConfigError);
  });
});

describe('secrets', () => {
  const env = {
    ...AKSK,
    ...SLACK_SOCKET,
    DATABASE_URL: 'postgres://bot:db-pass-word@db.internal:5432/chatops',
  };

  it('are never printed by console.log, JSON.stringify or spreading', () => {
    const config = valid({ env });
    const printed = [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.coc.auth.sk), JSON.stringify({ ...config.slack })];
    for (const text of printed) {
      for (const secret of [AKSK.COC_AK, AKSK.COC_SK, SLACK_SOCKET.SLACK_BOT_TOKEN, SLACK_SOCKET.SLACK_APP_TOKEN, 'db-pass-word']) {
        expect(text).not.toContain(secret);
      }
    }
    expect(config.coc.auth.sk).toBeInstanceOf(Secret);
    expect(config.coc.auth.sk?.reveal()).toBe(AKSK.COC_SK);
    expect(storeOptionsFrom(config)).toEqual({ databaseUrl: env.DATABASE_URL });
  });

  it('redactConfig replaces every secret with ***', () => {
    const redacted = redactConfig(valid({ env }));
    expect(redacted.coc.auth).toMatchObject({ ak: '***', sk: '***', projectId: AKSK.COC_PROJECT_ID });
    expect(redacted.slack).toMatchObject({ botToken: '***', appToken: '***', mode: 'socket' });
    expect(redacted.store.databaseUrl).toBe('***');
    expect(JSON.stringify(redacted)).not.toMatch(/db-pass-word|xoxb-1111|skExample/);
  });
});
