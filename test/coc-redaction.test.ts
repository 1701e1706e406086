/**
 * Secrets never leave through errors or call events: the SK, the security token, IAM tokens,
 * the IAM password, sensitive script parameter values and the event integration key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CocApiError, CocValidationError, type CocCallEvent, type CocClient } from '../src/coc/index.js';
import { Redactor } from '../src/coc/transport/redact.js';
import { executeBody, json, startTestServer, testClient, TEST_AK, type TestServer } from './coc-helpers.js';

const SK = 'Sk-VERY-secret-0123456789abcdefghijKLMN';
const SECURITY_TOKEN = 'SecurityToken-very-secret-987654321';
const PASSWORD = 'Pa55-word-very-secret';
const IAM_TOKEN = 'MIIIAMTOKEN-very-secret-abcdef0123456789';
const DB_PASSWORD = 'db-pass-very-secret-42';
const INTEGRATION_KEY = 'a3f1c0de5b7e4c2a9d8e6f4b2c1a0e9d';
const SECRETS = [SK, SECURITY_TOKEN, PASSWORD, IAM_TOKEN, DB_PASSWORD, INTEGRATION_KEY];

let coc: TestServer;
let iam: TestServer;
let events: CocCallEvent[];
const clients: CocClient[] = [];

/** Every string an error exposes: message, fields, JSON form, its string form, and its cause chain. */
function everythingIn(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error) parts.push(current.message, String(current), current.stack ?? '');
    parts.push(JSON.stringify(current, Object.getOwnPropertyNames(current as object)));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/**
 * COC answers every request with an error message that echoes everything it was sent, plus
 * `alsoEchoed`: credentials this client holds but never sends (the SK, the IAM password), as
 * a misbehaving server or gateway might.
 */
function echoEverything(status: number, alsoEchoed: readonly string[]): void {
  coc.handle((request, response) => {
    const echoed = `rejected: headers=${JSON.stringify(request.headers)} url=${decodeURIComponent(request.url)} body=${request.body} also=${alsoEchoed.join(',')}`;
    json(response, status, { error_code: 'COC.00040701', error_msg: echoed }, { 'X-Request-Id': 'req-1' });
  });
}

function akskClient(): CocClient {
  const client = testClient(coc, {
    auth: { kind: 'aksk', ak: TEST_AK, sk: SK, projectId: 'p1', securityToken: SECURITY_TOKEN },
    onCall: (event) => events.push(event),
  });
  clients.push(client);
  return client;
}

beforeEach(async () => {
  events = [];
  coc = await startTestServer();
  iam = await startTestServer((_request, response) =>
    json(response, 201, { token: { expires_at: new Date(Date.now() + 3_600_000 * 24).toISOString() } }, { 'X-Subject-Token': IAM_TOKEN }),
  );
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await coc.close();
  await iam.close();
});

describe('redaction', () => {
  it('hides the SK, the security token and sensitive parameter values echoed by COC', async () => {
    echoEverything(400, [SK]);
    const client = akskClient();
    const error = await client
      .executeScript('SC1', executeBody(1, { params: [{ param_name: 'db_password', param_value: DB_PASSWORD }, { param_name: 'mode', param_value: 'fast' }] }), {
        sensitiveParams: ['db_password'],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CocApiError);
    expect((error as CocApiError).errorMsg).toContain('***');
    // The non-sensitive value is left alone, so the message stays useful.
    expect((error as CocApiError).errorMsg).toContain('fast');
    expectNoSecrets(everythingIn(error));
    expectNoSecrets(JSON.stringify(events));
    // The value did go to COC: redaction is about what comes back, not what is sent.
    expect(coc.requests[0]!.body).toContain(DB_PASSWORD);
  });

  it('hides the IAM token and password on token auth', async () => {
    echoEverything(401, [PASSWORD]);
    const client = testClient(coc, {
      auth: { kind: 'token', iamEndpoint: iam.url, domain: 'acme', user: 'bot', password: PASSWORD, project: 'cn-north-4' },
      onCall: (event) => events.push(event),
    });
    clients.push(client);
    const error = await client.getScript('SC1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CocApiError);
    expect(coc.requests[0]!.headers['x-auth-token']).toBe(IAM_TOKEN);
    expectNoSecrets(everythingIn(error));
    expectNoSecrets(JSON.stringify(events));
  });

  it('hides the integration key of a custom event', async () => {
    coc.handle((_request, response) => json(response, 404, { provider_code: '049', error_code: 'COC.00000001', error_msg: `The integration key ${INTEGRATION_KEY} does not exist.`, data: null }));
    const client = akskClient();
    const error = await client
      .reportCustomEvent(INTEGRATION_KEY, { alarmId: 'a', alarmName: 'n', alarmLevel: 'Info', time: 1, nameSpace: 'ns', alarmDesc: 'd', alarmSource: 's', applicationId: 'app' })
      .catch((caught: unknown) => caught);
    expect((error as CocApiError).errorMsg).toBe('The integration key *** does not exist.');
    expectNoSecrets(everythingIn(error));
    expectNoSecrets(JSON.stringify(events));
  });

  it('hides sensitive default values when creating a script', async () => {
    echoEverything(400, [SK]);
    const client = akskClient();
    const error = await client
      .createScript({
        name: 'backup_db',
        description: 'd',
        type: 'SHELL',
        content: 'pg_dump',
        properties: { risk_level: 'MEDIUM', version: '1' },
        script_params: [{ param_name: 'db_password', param_value: DB_PASSWORD, param_description: 'password', sensitive: true }],
      })
      .catch((caught: unknown) => caught);
    expectNoSecrets(everythingIn(error));
  });

  it('never repeats a refused sensitive value in a validation message', async () => {
    const client = akskClient();
    const badSecret = `${DB_PASSWORD}$!`;
    const error = await client
      .executeScript('SC1', executeBody(1, { params: [{ param_name: 'db_password', param_value: badSecret }] }), { sensitiveParams: ['db_password'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CocValidationError);
    expect(everythingIn(error)).not.toContain(DB_PASSWORD);
    expect(coc.requests).toHaveLength(0);
  });

  it('never repeats the body in a shape error', async () => {
    coc.handle((_request, response) => json(response, 200, { data: { execute_uuid: null, creator: SK, note: DB_PASSWORD } }));
    const client = akskClient();
    const error = await client.getScriptOrder('SCT1').catch((caught: unknown) => caught);
    expectNoSecrets(everythingIn(error));
  });

  it('events carry only safe fields', async () => {
    echoEverything(500, [SK]);
    const client = akskClient();
    await client.getScript('SC1').catch(() => undefined);
    expect(events).toHaveLength(4);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(['attempt', 'durationMs', 'errorCode', 'method', 'outcome', 'requestId', 'route', 'status', 'willRetry']);
      expect(event.route).toBe('/v1/job/scripts/{script_uuid}');
    }
  });

  it('catches secrets in their URL- and JSON-escaped forms', () => {
    const redactor = new Redactor(['a b/"c"']);
    expect(redactor.redact('x a%20b%2F%22c%22 y a b/\\"c\\" z a b/"c"')).toBe('x *** y *** z ***');
  });
});
