/**
 * What goes on the wire: AK/SK signatures a gateway accepts (checked with the server-side
 * verifier), query and path encoding, headers, and the JSON body bytes.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyRequest } from '../src/coc/auth/signer.js';
import { createAuthenticator, type CocClient } from '../src/coc/index.js';
import { executeBody, json, startTestServer, testClient, TEST_AK, TEST_SK, type RecordedRequest, type TestServer } from './coc-helpers.js';

let server: TestServer;
let client: CocClient;
let verdicts: ReturnType<typeof verifyRequest>[];

function verify(request: RecordedRequest) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
  return verifyRequest(
    { method: request.method, url: request.url, headers, body: request.body === '' ? undefined : request.body },
    { secretFor: (ak) => (ak === TEST_AK ? TEST_SK : undefined) },
  );
}

beforeAll(async () => {
  server = await startTestServer((request, response) => {
    verdicts.push(verify(request));
    json(response, 200, { data: 'OK', count: 0, instance_compliant: [] });
  });
  client = testClient(server, { auth: { kind: 'aksk', ak: TEST_AK, sk: TEST_SK, projectId: 'proj-1', securityToken: 'temp-token' }, language: 'en-us' });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

beforeEach(() => {
  verdicts = [];
  server.requests.length = 0;
  // Tests that look only at the request ignore the answer.
  server.handle((request, response) => {
    verdicts.push(verify(request));
    json(response, 200, { data: 'OK' });
  });
});

afterEach(() => {
  // Every request any test sent carried a signature the gateway would accept.
  expect(verdicts.filter((verdict) => !verdict.ok)).toEqual([]);
});

describe('AK/SK requests', () => {
  it('signs a GET with repeated-key arrays, booleans and numbers in the query', async () => {
    server.handle((request, response) => {
      verdicts.push(verify(request));
      json(response, 200, { data: [] });
    });
    await client.listResources({ provider: 'ecs', type: 'cloudservers', limit: 10, resource_id_list: ['b', 'a'], name: 'web 01/ü', is_delegated: true, offset: 0 });
    const request = server.requests[0]!;
    const [path, query] = request.url.split('?') as [string, string];
    expect(path).toBe('/v1/resources');
    expect(query.split('&').sort()).toEqual(
      ['provider=ecs', 'type=cloudservers', 'limit=10', 'resource_id_list=b', 'resource_id_list=a', 'name=web%2001%2F%C3%BC', 'is_delegated=true', 'offset=0'].sort(),
    );
    expect(verdicts[0]).toEqual({ ok: true, access: TEST_AK });
    expect(request.headers['content-type']).toBeUndefined();
    expect(request.headers['authorization']).toMatch(/SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,/);
    expect(request.headers['x-security-token']).toBe('temp-token');
  });

  it('signs a POST over the exact body bytes, with content-type', async () => {
    server.handle((request, response) => {
      verdicts.push(verify(request));
      json(response, 200, { data: 'SCT1' });
    });
    const body = executeBody(2, { params: [{ param_name: 'msg', param_value: 'a b:c,d=e' }] });
    await client.executeScript('SC1', body);
    const request = server.requests[0]!;
    expect(verdicts[0]).toEqual({ ok: true, access: TEST_AK });
    expect(request.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(request.headers['authorization']).toMatch(/SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,/);
    expect(JSON.parse(request.body)).toEqual(body);
    expect(request.body).toBe(JSON.stringify(body));
  });

  it('signs a DELETE with no body and encodes path parameters', async () => {
    server.handle((request, response) => {
      verdicts.push(verify(request));
      json(response, 200, { data: 'SC 1+2' });
    });
    await expect(client.deleteScript('SC 1+2')).resolves.toBe('SC 1+2');
    const request = server.requests[0]!;
    expect(request.method).toBe('DELETE');
    expect(request.url).toBe('/v1/job/scripts/SC%201%2B2');
    expect(request.body).toBe('');
    expect(request.headers['content-type']).toBeUndefined();
    expect(verdicts[0]).toEqual({ ok: true, access: TEST_AK });
  });

  it('refuses a path parameter holding "/" before sending: the SDK\'s signature would split it', async () => {
    const sent = server.requests.length;
    await expect(client.deleteScript('SC 1/2')).rejects.toMatchObject({ name: 'CocValidationError', problems: [{ path: 'script_uuid' }] });
    expect(server.requests).toHaveLength(sent);
  });

  it('sends X-Project-Id exactly once, whatever the caller passes', async () => {
    const auth = createAuthenticator({ kind: 'aksk', ak: TEST_AK, sk: TEST_SK, projectId: 'proj-1' });
    const headers = await auth.authorize({ method: 'GET', url: 'https://coc.example.com/v1/x', headers: { 'x-project-id': 'other', 'X-PROJECT-ID': 'other2', Authorization: 'forged' } });
    const names = Object.keys(headers).map((name) => name.toLowerCase());
    expect(names.filter((name) => name === 'x-project-id')).toHaveLength(1);
    expect(headers['X-Project-Id']).toBe('proj-1');
    expect(headers['Authorization']).toMatch(/^SDK-HMAC-SHA256 /);
    await client.getScript('SC1').catch(() => undefined);
    expect(server.requests[0]!.rawHeaderNames.filter((name) => name.toLowerCase() === 'x-project-id')).toHaveLength(1);
  });

  it('sends X-Domain-Id for global credentials', async () => {
    const auth = createAuthenticator({ kind: 'aksk', ak: TEST_AK, sk: TEST_SK, domainId: 'dom-1' });
    const headers = await auth.authorize({ method: 'GET', url: 'https://coc.example.com/v1/x', headers: {} });
    expect(headers['X-Domain-Id']).toBe('dom-1');
    expect(headers['Authorization']).toMatch(/SignedHeaders=host;x-domain-id;x-sdk-date,/);
  });

  it('sends X-Language only to the script, job and public-script APIs', async () => {
    await client.listScripts({ limit: 1 }).catch(() => undefined);
    await client.getScriptOrder('SCT1').catch(() => undefined);
    await client.listPatchCompliance().catch(() => undefined);
    const [scripts, order, patches] = server.requests;
    expect(scripts!.headers['x-language']).toBe('en-us');
    expect(order!.headers['x-language']).toBe('en-us');
    expect(patches!.headers['x-language']).toBeUndefined();
    await client.listPublicScripts({ limit: 1 }, { language: 'zh-cn' }).catch(() => undefined);
    expect(server.requests[3]!.headers['x-language']).toBe('zh-cn');
  });

  it('keeps a path prefix of the endpoint', async () => {
    const prefixed = testClient(server, { endpoint: `${server.url}/coc-gateway/` });
    try {
      await prefixed.getScript('SC1').catch(() => undefined);
      expect(server.requests[0]!.url).toBe('/coc-gateway/v1/job/scripts/SC1');
      expect(verdicts[0]).toEqual({ ok: true, access: TEST_AK });
    } finally {
      await prefixed.close();
    }
  });
});
