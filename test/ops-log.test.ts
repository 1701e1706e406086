import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CocApiError } from '../src/coc/errors.js';
import { loadConfig, Secret, type Config } from '../src/config.js';
import { logLevelOf } from '../src/config/sections/ops.js';
import { enabledAdapters } from '../src/config.js';
import { createLogger, secretsOf, type LoggerOptions } from '../src/ops/log.js';

/** A destination that keeps what was written. */
function capture(): { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

// Values that must never reach the log, each as the bot meets it.
const SK = 'Qm9ZTkx2dGVzdFNLdmFsdWUxMjM0NTY3ODkwYWJj'; // 40 characters, like a Huawei Cloud SK
const AK = 'HPUAXYZ0123456789ABC';
const SLACK_TOKEN = 'xoxb-111-222-SuperSecretSlackToken';
const DB_PASSWORD = 'pg-pass-Zq81';
const IAM_PASSWORD = 'Iam!Passw0rd-7781';
const SENSITIVE_PARAM = 'NewDbPassw0rd!2024';
const IAM_TOKEN = `MIIE${'A'.repeat(140)}`;
const DISCORD_TOKEN = 'MTIzNDU2Nzg5.GhIjKl.discordTokenValue9f8e7d';

function secretConfig(): Config {
  const loaded = loadConfig({
    env: {
      COC_AK: AK,
      COC_SK: SK,
      COC_PROJECT_ID: 'p1',
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_APP_TOKEN: 'xapp-1-A1-secretapptoken',
      DATABASE_URL: `postgres://bot:${DB_PASSWORD}@db:5432/coc`,
      DISCORD_BOT_TOKEN: DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_PUBLIC_KEY: 'a'.repeat(64),
    },
    cwd: '/nonexistent',
    file: undefined,
  });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return loaded.config;
}

function logger(options: Partial<LoggerOptions> = {}) {
  const out = capture();
  const config = secretConfig();
  const log = createLogger({ level: 'debug', destination: out.stream, secrets: secretsOf(config), ...options });
  return { log, out, config };
}

const FORBIDDEN = [SK, AK, SLACK_TOKEN, DB_PASSWORD, IAM_PASSWORD, SENSITIVE_PARAM, IAM_TOKEN, DISCORD_TOKEN];

function expectClean(text: string): void {
  for (const value of FORBIDDEN) expect(text, `log leaks ${value.slice(0, 6)}…`).not.toContain(value);
  // Also not in the spellings a value takes inside JSON or a URL.
  for (const value of FORBIDDEN) expect(text).not.toContain(encodeURIComponent(value));
}

describe('the structured log', () => {
  it('writes one JSON object a line with level names, time, host and the message', () => {
    const { log, out } = logger();
    log.info({ order: 'abc-123', hosts: 3 }, 'order started');
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', msg: 'order started', order: 'abc-123', hosts: 3 });
    expect(typeof line?.['time']).toBe('string');
    expect(typeof line?.['hostname']).toBe('string');
  });

  it('never writes a sensitive script parameter, SK, token or password, however it is logged', () => {
    const { log, out, config } = logger();
    // The configuration itself, secrets and all.
    log.info({ config }, 'configuration loaded');
    // A script execution with a sensitive parameter, as COC describes the script and as it is sent.
    log.info(
      {
        script: { name: 'rotate_db_password', script_params: [{ param_name: 'new_password', param_value: SENSITIVE_PARAM, sensitive: true }] },
        execute: { script_params: [{ param_name: 'new_password', param_value: SENSITIVE_PARAM }] },
      },
      'executing',
    );
    // Request headers and credentials under secret-looking keys, at any depth.
    log.debug({ request: { headers: { authorization: `SDK-HMAC-SHA256 Access=${AK}, Signature=abc`, 'x-auth-token': IAM_TOKEN } } }, 'request');
    log.debug({ deep: { a: { b: { c: { password: IAM_PASSWORD, sk: SK, ak: AK } } } } }, 'nested');
    // Secrets inside text: messages, error messages and stacks, URLs.
    log.warn(`login failed for password=${IAM_PASSWORD} with token ${SLACK_TOKEN}`);
    log.error(new Error(`COC said: invalid parameter (password=${SENSITIVE_PARAM})`));
    // An error whose own fields carry the value (a server echoing the input back).
    log.error({ err: new CocApiError({ method: 'POST', route: '/v1/job/scripts/{script_uuid}' }, 400, 'COC.0001', `bad sk ${SK}`, 'req-1') }, 'call failed');
    log.info({ url: `postgres://bot:${DB_PASSWORD}@db:5432/coc` }, `connecting to postgres://bot:${DB_PASSWORD}@db:5432/coc`);
    // A Secret, however deep, and a child logger's bindings.
    log.child({ token: DISCORD_TOKEN, secret: new Secret(IAM_PASSWORD) }).info({ holder: { value: new Secret(SK) } }, 'child');
    log.info({ bearer: `Authorization: Bearer ${IAM_TOKEN}` }, 'header text');

    const text = out.text();
    expectClean(text);
    // Still useful: the non-secret parts survive.
    expect(text).toContain('rotate_db_password');
    expect(text).toContain('new_password');
    expect(text).toContain('configuration loaded');
    expect(text).toContain('login failed');
    // Every line is still valid JSON, with the mask where the secret was.
    const lines = out.lines();
    expect(lines.length).toBe(10);
    expect(text).toContain('***');
  });

  it('hides the configured secrets even where no rule would recognise them', () => {
    const { log, out } = logger();
    // An opaque value in an innocent-looking field: only the list of configured secrets catches it.
    log.info({ note: `echo ${DISCORD_TOKEN}`, list: [DISCORD_TOKEN], quoted: JSON.stringify({ v: DB_PASSWORD }) }, `saw ${DISCORD_TOKEN}`);
    expectClean(out.text());
    expect(out.lines()).toHaveLength(1);
  });

  it('hides them in the readable format too', () => {
    const { log, out } = logger({ format: 'pretty' });
    log.info({ params: [{ param_name: 'new_password', param_value: SENSITIVE_PARAM, sensitive: true }], sk: SK }, `token ${SLACK_TOKEN}`);
    const text = out.text();
    expectClean(text);
    expect(text).toContain('INFO');
    expect(text).toContain('new_password');
  });

  it('bounds what one line can hold', () => {
    const { log, out } = logger();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular['self'] = circular;
    log.info({ huge: 'x'.repeat(50_000), many: Array.from({ length: 1_000 }, (_, i) => i), circular }, 'bounded');
    const [line] = out.lines();
    expect(out.text().length).toBeLessThan(10_000);
    expect((line?.['circular'] as Record<string, unknown>)['self']).toBe('[Circular]');
  });

  it('is silent by default while the terminal shows the conversation, and at info otherwise', () => {
    const terminal = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
    if (!terminal.ok) throw new Error('default configuration is invalid');
    expect(logLevelOf(terminal.config.ops, enabledAdapters(terminal.config))).toBe('silent');
    const production = secretConfig();
    expect(logLevelOf(production.ops, enabledAdapters(production))).toBe('info');
    expect(logLevelOf({ ...production.ops, logLevel: 'debug' }, enabledAdapters(production))).toBe('debug');
  });
});
