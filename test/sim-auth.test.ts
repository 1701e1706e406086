import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_DEFAULT_IAM_PASSWORD, SIM_DEFAULT_SK, SIM_DOMAIN_NAME, startSimulator, type Simulator } from '../src/sim/server.js';
import { call, DEMO_KEYS } from './sim-helpers.js';

const LIST = '/v1/job/scripts?limit=5';

function tokenRequest(name: string, password: string) {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name, password, domain: { name: SIM_DOMAIN_NAME } } } },
      scope: { project: { name: 'cn-north-4' } },
    },
  };
}

describe('simulator authentication', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('accepts a valid AK/SK signature and tags every response with X-Request-Id', async () => {
    const result = await call(sim, 'GET', LIST);
    expect(result.status).toBe(200);
    expect(result.json.data.total).toBeGreaterThanOrEqual(6);
    expect(result.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts a signed POST whose body is part of the signature', async () => {
    const result = await call(sim, 'POST', '/v1/resources/sync', { provider: 'ecs', type: 'cloudservers' });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ data: true });
  });

  it('rejects a request without any credentials', async () => {
    const result = await call(sim, 'GET', LIST, undefined, { unsigned: true });
    expect(result.status).toBe(401);
    expect(result.json.error_code).toBe('APIG.0303');
    expect(result.json.error_msg).toMatch(/^Incorrect app authentication information: .*not signed/);
    expect(result.headers.get('x-request-id')).toBeTruthy();
  });

  it('rejects a wrong secret key without echoing the secret', async () => {
    const result = await call(sim, 'GET', LIST, undefined, { keys: { ak: DEMO_KEYS.ak, sk: 'not-the-secret-key-0000000000000000000000' } });
    expect(result.status).toBe(401);
    expect(result.json.error_code).toBe('APIG.0303');
    expect(result.json.error_msg).toMatch(/signature/);
    expect(result.text).not.toContain(SIM_DEFAULT_SK);
    expect(result.text).not.toContain('not-the-secret-key');
  });

  it('rejects an unknown access key', async () => {
    const result = await call(sim, 'GET', LIST, undefined, { keys: { ak: 'UNKNOWNAKUNKNOWNAK00', sk: SIM_DEFAULT_SK } });
    expect(result.status).toBe(401);
    expect(result.json.error_msg).toMatch(/access key does not exist/);
  });

  it('rejects a signature more than 15 minutes away from server time', async () => {
    const skewed = await call(sim, 'GET', LIST, undefined, { signAt: new Date(sim.now() - 16 * 60_000) });
    expect(skewed.status).toBe(401);
    expect(skewed.json.error_msg).toMatch(/15 minutes/);
    const withinWindow = await call(sim, 'GET', LIST, undefined, { signAt: new Date(sim.now() - 14 * 60_000) });
    expect(withinWindow.status).toBe(200);
  });

  it('rejects a malformed Authorization header', async () => {
    const result = await call(sim, 'GET', LIST, undefined, { unsigned: true, headers: { Authorization: 'Basic Zm9vOmJhcg==' } });
    expect(result.status).toBe(401);
    expect(result.json.error_msg).toMatch(/SDK-HMAC-SHA256/);
  });

  it('detects a body changed after signing', async () => {
    const url = `${sim.url}/v1/resources/sync`;
    const { signRequest } = await import('../src/coc/auth/signer.js');
    const headers = signRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json', Host: new URL(url).host }, body: '{"provider":"ecs"}' }, DEMO_KEYS, { now: new Date(sim.now()) });
    const response = await fetch(url, { method: 'POST', headers, body: '{"provider":"rds"}' });
    expect(response.status).toBe(401);
  });

  it('issues IAM tokens for a password and accepts them as X-Auth-Token', async () => {
    const issued = await call(sim, 'POST', '/v3/auth/tokens', tokenRequest('alice', SIM_DEFAULT_IAM_PASSWORD), { unsigned: true });
    expect(issued.status).toBe(201);
    const token = issued.headers.get('x-subject-token');
    expect(token).toMatch(/^MII/);
    expect(issued.json.token.user.name).toBe('alice');
    expect(Date.parse(issued.json.token.expires_at)).toBeGreaterThan(sim.now());
    expect(issued.text).not.toContain(SIM_DEFAULT_IAM_PASSWORD);

    const listed = await call(sim, 'GET', LIST, undefined, { token: token ?? '' });
    expect(listed.status).toBe(200);

    const created = await call(sim, 'POST', '/v1/job/scripts', {
      name: 'token_made_script',
      description: 'made with a token',
      type: 'SHELL',
      content: 'echo hi',
      properties: { risk_level: 'LOW', version: '1.0.0' },
    }, { token: token ?? '' });
    expect(created.status).toBe(200);
    expect(sim.world.scripts.get(created.json.data)?.creator).toBe('alice');
  });

  it('refuses a wrong password with 401 and never records the password', async () => {
    const result = await call(sim, 'POST', '/v3/auth/tokens', tokenRequest('alice', 'wrong-password'), { unsigned: true });
    expect(result.status).toBe(401);
    expect(result.json.error.message).toMatch(/username or password/);
    const recorded = sim.requests.filter((entry) => entry.routeKey === 'POST /v3/auth/tokens');
    expect(JSON.stringify(recorded)).not.toContain('wrong-password');
    expect(JSON.stringify(recorded)).not.toContain(SIM_DEFAULT_IAM_PASSWORD);
  });

  it('answers an invalid token with 401 common.01010001 (PCE on incident routes)', async () => {
    const plain = await call(sim, 'GET', LIST, undefined, { token: 'MIIforged' });
    expect(plain.status).toBe(401);
    expect(plain.json).toEqual({ error_code: 'common.01010001', error_msg: 'Token missing or invalid.' });
    const pce = await call(sim, 'POST', '/v2/incidents/list', {}, { token: 'MIIforged' });
    expect(pce.status).toBe(401);
    expect(pce.json).toMatchObject({ provider_code: '049', error_code: 'common.01010001', data: null });
  });

  it('expires tokens after their lifetime', async () => {
    const token = sim.issueToken('bob');
    expect((await call(sim, 'GET', LIST, undefined, { token })).status).toBe(200);
    sim.advanceClock(24 * 3_600_000 + 1_000);
    const expired = await call(sim, 'GET', LIST, undefined, { token });
    expect(expired.status).toBe(401);
    expect(expired.json.error_code).toBe('common.01010001');
  });

  it('answers unknown paths like API Gateway', async () => {
    const result = await call(sim, 'GET', '/v1/no-such-api');
    expect(result.status).toBe(404);
    expect(result.json.error_code).toBe('APIG.0101');
  });
});
