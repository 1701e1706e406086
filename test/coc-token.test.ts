import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CocAuthError, IamTokenProvider, type IamPasswordLogin } from '../src/coc/index.js';
import { json, startTestServer, testClient, type TestServer } from './coc-helpers.js';

const PASSWORD = 'Hunter2-Pa55word!';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('IAM token provider', () => {
  let iam: TestServer;
  let now: number;
  let issued: number;
  let expiresAt: number;
  let delayMs: number;
  let fail: boolean;
  let provider: IamTokenProvider;
  let login: IamPasswordLogin;

  beforeEach(async () => {
    now = T0;
    issued = 0;
    expiresAt = T0 + HOUR;
    delayMs = 0;
    fail = false;
    iam = await startTestServer(async (request, response) => {
      if (request.method !== 'POST' || request.url !== '/v3/auth/tokens') return json(response, 404, { error: { code: 404, message: 'not found' } });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (fail) return json(response, 401, { error: { code: 401, title: 'Unauthorized', message: `The username or password is wrong: ${PASSWORD}` } });
      issued += 1;
      json(response, 201, { token: { expires_at: new Date(expiresAt).toISOString(), methods: ['password'] } }, { 'X-Subject-Token': `token-${issued}` });
    });
    provider = new IamTokenProvider({ now: () => now, timeoutMs: 2_000 });
    login = { iamEndpoint: iam.url, domain: 'acme', user: 'chatops-bot', password: PASSWORD, project: 'cn-north-4' };
  });

  afterEach(async () => {
    await provider.close();
    await iam.close();
  });

  it('logs in with the password body and reads the token from X-Subject-Token', async () => {
    await expect(provider.getToken(login)).resolves.toBe('token-1');
    const request = iam.requests[0]!;
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request.body)).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'chatops-bot', password: PASSWORD, domain: { name: 'acme' } } } },
        scope: { project: { name: 'cn-north-4' } },
      },
    });
  });

  it('serves the cached token until five minutes before expires_at, then fetches a new one', async () => {
    await provider.getToken(login);
    now = T0 + 55 * MINUTE - 1;
    await expect(provider.getToken(login)).resolves.toBe('token-1');
    expect(iam.requests).toHaveLength(1);
    now = T0 + 55 * MINUTE;
    expiresAt = now + HOUR;
    await expect(provider.getToken(login)).resolves.toBe('token-2');
    expect(iam.requests).toHaveLength(2);
    now += 30 * MINUTE;
    await expect(provider.getToken(login)).resolves.toBe('token-2');
    expect(iam.requests).toHaveLength(2);
  });

  it('does not cache a token that is already within five minutes of expiring', async () => {
    expiresAt = T0 + 4 * MINUTE;
    await expect(provider.getToken(login)).resolves.toBe('token-1');
    await expect(provider.getToken(login)).resolves.toBe('token-2');
    expect(iam.requests).toHaveLength(2);
  });

  it('sends exactly one request for 50 concurrent callers', async () => {
    delayMs = 100;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.getToken(login)));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(iam.requests).toHaveLength(1);
  });

  it('shares one failure among concurrent callers, caches nothing, and never echoes the password', async () => {
    fail = true;
    delayMs = 50;
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => provider.getToken(login)));
    expect(iam.requests).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as Error;
      expect(error).toBeInstanceOf(CocAuthError);
      expect(error.message).toContain('HTTP 401');
      expect(error.message).not.toContain(PASSWORD);
      expect(JSON.stringify(error)).not.toContain(PASSWORD);
    }
    fail = false;
    await expect(provider.getToken(login)).resolves.toBe('token-1');
    expect(iam.requests).toHaveLength(2);
  });

  it('keeps one token per endpoint, domain, user and project', async () => {
    await provider.getToken(login);
    await provider.getToken({ ...login, user: 'alice' });
    await provider.getToken({ ...login, project: 'ap-southeast-3' });
    await provider.getToken(login);
    expect(iam.requests).toHaveLength(3);
  });

  it('fetches again after invalidate', async () => {
    await provider.getToken(login);
    provider.invalidate(login);
    await expect(provider.getToken(login)).resolves.toBe('token-2');
  });

  it('raises CocAuthError when the answer has no X-Subject-Token or no expires_at', async () => {
    iam.handle((_, response) => json(response, 201, { token: { expires_at: new Date(T0 + HOUR).toISOString() } }));
    await expect(provider.getToken(login)).rejects.toThrow(/X-Subject-Token/);
    iam.handle((_, response) => json(response, 201, { token: {} }, { 'X-Subject-Token': 'tok' }));
    await expect(provider.getToken(login)).rejects.toThrow(/expires_at/);
  });

  it('raises CocAuthError when IAM cannot be reached', async () => {
    await iam.close();
    const error = await provider.getToken(login).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CocAuthError);
    expect((error as Error).message).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });
});

describe('token authentication on COC calls', () => {
  let iam: TestServer;
  let coc: TestServer;

  beforeEach(async () => {
    let issued = 0;
    iam = await startTestServer((_, response) => {
      issued += 1;
      json(response, 201, { token: { expires_at: new Date(Date.now() + 24 * HOUR).toISOString() } }, { 'X-Subject-Token': `token-${issued}` });
    });
    coc = await startTestServer((request, response) => {
      if (request.headers['x-auth-token'] === 'token-1') return json(response, 401, { error_code: 'common.01010001', error_msg: 'token expired' });
      json(response, 200, { data: 3 });
    });
  });

  afterEach(async () => {
    await iam.close();
    await coc.close();
  });

  it('sends X-Auth-Token, and fetches a fresh token after COC answers 401', async () => {
    const client = testClient(coc, { auth: { kind: 'token', iamEndpoint: iam.url, domain: 'acme', user: 'bot', password: PASSWORD, project: 'cn-north-4' } });
    try {
      await expect(client.countResources({ provider: 'ecs', type: 'cloudservers' })).rejects.toMatchObject({ status: 401, errorCode: 'common.01010001' });
      expect(coc.requests[0]!.headers['x-auth-token']).toBe('token-1');
      expect(coc.requests[0]!.headers['authorization']).toBeUndefined();
      await expect(client.countResources({ provider: 'ecs', type: 'cloudservers' })).resolves.toBe(3);
      expect(coc.requests[1]!.headers['x-auth-token']).toBe('token-2');
      expect(iam.requests).toHaveLength(2);
    } finally {
      await client.close();
    }
  });
});
