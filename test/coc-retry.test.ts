/**
 * Retry policy and time limits: only GET is retried (429, 5xx, network errors, timeouts), with
 * backoff and Retry-After; POST/PUT/DELETE reach the server exactly once, whatever happens.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAuthenticator } from '../src/coc/auth/credentials.js';
import { CocHttp } from '../src/coc/http.js';
import { CocApiError, CocNetworkError, CocResponseShapeError, CocTimeoutError, type CocCallEvent, type CocClient } from '../src/coc/index.js';
import { decideRetry, DEFAULT_RETRY } from '../src/coc/transport/retry-policy.js';
import { parseRetryAfter } from '../src/coc/transport/retry-after.js';
import { AKSK_AUTH, executeBody, json, startTestServer, testClient, type TestServer } from './coc-helpers.js';

let server: TestServer;
let sleeps: number[];
let events: CocCallEvent[];

beforeEach(async () => {
  server = await startTestServer();
  sleeps = [];
  events = [];
});

afterEach(async () => {
  await server.close();
});

function client(options: Parameters<typeof testClient>[1] = {}): CocClient {
  return testClient(server, {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onCall: (event) => events.push(event),
    ...options,
  });
}

/** Answers the n-th request (0-based) with `plan[n]`, the last entry for any further ones. */
function plan(...steps: ((response: import('node:http').ServerResponse, raw: import('node:http').IncomingMessage) => void)[]): void {
  let index = 0;
  server.handle((_request, response, raw) => {
    const step = steps[Math.min(index, steps.length - 1)]!;
    index += 1;
    step(response, raw);
  });
}

const ok = (body: unknown) => (response: import('node:http').ServerResponse) => json(response, 200, body);
const status = (code: number, headers: Record<string, string> = {}) => (response: import('node:http').ServerResponse) =>
  json(response, code, { error_code: `TEST.${code}`, error_msg: 'busy' }, headers);
const reset = () => (_response: import('node:http').ServerResponse, raw: import('node:http').IncomingMessage) => raw.socket.resetAndDestroy();
const hang = () => () => undefined;

async function failure(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as Error,
  );
}

describe('GET retries', () => {
  it('retries 503 with full-jitter exponential backoff, then succeeds', async () => {
    plan(status(503), status(503), ok({ data: 4 }));
    const coc = client();
    await expect(coc.countResources({ provider: 'ecs', type: 'cloudservers' })).resolves.toBe(4);
    expect(server.requests).toHaveLength(3);
    // random() = 0.5 of min(5000, 200·2^n)
    expect(sleeps).toEqual([100, 200]);
    expect(events.map((event) => [event.attempt, event.outcome, event.status, event.willRetry])).toEqual([
      [1, 'api-error', 503, true],
      [2, 'api-error', 503, true],
      [3, 'ok', 200, false],
    ]);
    await coc.close();
  });

  it('honours Retry-After on 429 (seconds and HTTP date)', async () => {
    plan(status(429, { 'Retry-After': '2' }), status(429, { 'Retry-After': new Date(Date.now() + 3_000).toUTCString() }), ok({ data: 1 }));
    const coc = client();
    await expect(coc.countResources({ provider: 'ecs', type: 'cloudservers' })).resolves.toBe(1);
    expect(sleeps[0]).toBe(2_000);
    expect(sleeps[1]).toBeGreaterThan(1_000);
    expect(sleeps[1]).toBeLessThanOrEqual(3_000);
    await coc.close();
  });

  it('stops at once when Retry-After is longer than 30 s, and reports it', async () => {
    plan(status(429, { 'Retry-After': '120' }));
    const coc = client();
    const error = await failure(coc.countResources({ provider: 'ecs', type: 'cloudservers' }));
    expect(error).toBeInstanceOf(CocApiError);
    expect((error as CocApiError).retryAfterMs).toBe(120_000);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    await coc.close();
  });

  it('stops when Retry-After exceeds what is left of the budget', async () => {
    plan(status(503, { 'Retry-After': '5' }));
    const coc = client({ retry: { budgetMs: 3_000 } });
    await expect(coc.countResources({ provider: 'ecs', type: 'cloudservers' })).rejects.toBeInstanceOf(CocApiError);
    expect(server.requests).toHaveLength(1);
    await coc.close();
  });

  it('gives up after the configured retries', async () => {
    plan(status(500));
    const coc = client();
    await expect(coc.listScripts({ limit: 10 })).rejects.toMatchObject({ status: 500 });
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
    const limited = client({ retry: { retries: 1 } });
    server.requests.length = 0;
    await expect(limited.listScripts({ limit: 10 })).rejects.toMatchObject({ status: 500 });
    expect(server.requests).toHaveLength(2);
    await coc.close();
    await limited.close();
  });

  it('caps the backoff at 5 s', () => {
    const decision = decideRetry('GET', 10, { kind: 'network' }, 60_000, { ...DEFAULT_RETRY, retries: 20 }, () => 0.999);
    expect(decision).toEqual({ retry: true, delayMs: 4_995 });
  });

  it('does not retry a 4xx', async () => {
    plan(status(404));
    const coc = client();
    await expect(coc.getScript('SC1')).rejects.toMatchObject({ status: 404 });
    expect(server.requests).toHaveLength(1);
    await coc.close();
  });

  it('retries a connection reset', async () => {
    plan(reset(), ok({ data: { script_uuid: 'SC1' } }));
    const coc = client();
    await expect(coc.getScript('SC1')).resolves.toMatchObject({ script_uuid: 'SC1' });
    expect(server.requests).toHaveLength(2);
    expect(events[0]).toMatchObject({ outcome: 'network-error', willRetry: true });
    await coc.close();
  });

  it('retries a GET that timed out', async () => {
    plan(hang(), ok({ data: { script_uuid: 'SC1' } }));
    const coc = client({ timeoutMs: 200 });
    await expect(coc.getScript('SC1')).resolves.toMatchObject({ script_uuid: 'SC1' });
    expect(server.requests).toHaveLength(2);
    expect(events[0]).toMatchObject({ outcome: 'timeout', willRetry: true });
    await coc.close();
  });

  it('reports a refused connection as CocNetworkError ECONNREFUSED', async () => {
    const url = server.url;
    await server.close();
    const coc = testClient({ url } as TestServer, { sleep: async () => undefined });
    const error = await failure(coc.getScript('SC1'));
    expect(error).toBeInstanceOf(CocNetworkError);
    expect((error as CocNetworkError).code).toBe('ECONNREFUSED');
    await coc.close();
    server = await startTestServer();
  });
});

describe('POST, PUT and DELETE are never retried', () => {
  it('POST on 500: exactly one request', async () => {
    plan(status(500));
    const coc = client();
    await expect(coc.executeScript('SC1', executeBody())).rejects.toMatchObject({ status: 500 });
    expect(server.requests).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ method: 'POST', outcome: 'api-error', willRetry: false });
    await coc.close();
  });

  it('POST on 429 with Retry-After: exactly one request', async () => {
    plan(status(429, { 'Retry-After': '1' }));
    const coc = client();
    await expect(coc.executeScript('SC1', executeBody())).rejects.toMatchObject({ status: 429, retryAfterMs: 1_000 });
    expect(server.requests).toHaveLength(1);
    await coc.close();
  });

  it('POST on a connection reset: exactly one request', async () => {
    plan(reset());
    const coc = client();
    const error = await failure(coc.executeScript('SC1', executeBody()));
    expect(error).toBeInstanceOf(CocNetworkError);
    expect((error as CocNetworkError).code).toBe('ECONNRESET');
    expect(server.requests).toHaveLength(1);
    await coc.close();
  });

  it('POST on a timeout: exactly one request', async () => {
    plan(hang());
    const coc = client({ timeoutMs: 200 });
    const error = await failure(coc.executeScript('SC1', executeBody()));
    expect(error).toBeInstanceOf(CocTimeoutError);
    expect(server.requests).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests).toHaveLength(1);
    await coc.close();
  });

  it('PUT and DELETE on 503: exactly one request each', async () => {
    plan(status(503));
    const coc = client();
    await expect(coc.operateScriptOrder('SCT1', { operation_type: 'PAUSE_ORDER' })).rejects.toMatchObject({ status: 503 });
    await expect(coc.deleteScript('SC1')).rejects.toMatchObject({ status: 503 });
    await expect(coc.updateScript('SC1', { description: 'd', content: 'c' })).rejects.toMatchObject({ status: 503 });
    expect(server.requests.map((request) => request.method)).toEqual(['PUT', 'DELETE', 'PUT']);
    await coc.close();
  });

  it('a read-only POST (v2 incident list) is not retried either', async () => {
    plan(status(503));
    const coc = client();
    await expect(coc.listIncidents()).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
    await coc.close();
  });
});

describe('time limits', () => {
  it('ends a call whose server hangs after the headers, within the timeout', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data": {"script_uu');
    });
    const coc = client({ timeoutMs: 300, retry: { retries: 0 } });
    const started = Date.now();
    const error = await failure(coc.getScript('SC1'));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(CocTimeoutError);
    expect((error as CocTimeoutError).timeoutMs).toBe(300);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1_500);
    expect(events[0]).toMatchObject({ outcome: 'timeout', status: 200 });
    await coc.close();
  });

  it('ends a server that trickles the body slower than the timeout', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => clearInterval(timer));
    });
    const coc = client({ timeoutMs: 300, retry: { retries: 0 } });
    const started = Date.now();
    await expect(coc.getScript('SC1')).rejects.toBeInstanceOf(CocTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_500);
    await coc.close();
  });

  it('takes a per-call timeout over the client one', async () => {
    plan(hang());
    const coc = client({ timeoutMs: 5_000 });
    const started = Date.now();
    await expect(coc.executeScript('SC1', executeBody(), { timeoutMs: 150 })).rejects.toMatchObject({ timeoutMs: 150 });
    expect(Date.now() - started).toBeLessThan(1_500);
    await coc.close();
  });

  it('keeps all retries of a GET within the budget', async () => {
    plan(hang());
    const coc = testClient(server, { timeoutMs: 200, retry: { budgetMs: 500 } });
    const started = Date.now();
    await expect(coc.getScript('SC1')).rejects.toBeInstanceOf(CocTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_500);
    await coc.close();
  });

  it('throws the caller abort reason and does not retry', async () => {
    plan(hang());
    const coc = client({ timeoutMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    await expect(coc.getScript('SC1', { signal: controller.signal })).rejects.toThrow('shutting down');
    expect(server.requests).toHaveLength(1);
    await coc.close();
  });
});

describe('reading the body', () => {
  const http = (maxResponseBytes?: number) =>
    new CocHttp({ endpoint: server.url, auth: createAuthenticator(AKSK_AUTH), retry: { retries: 0 }, timeoutMs: 2_000, ...(maxResponseBytes ? { maxResponseBytes } : {}) });
  const get = (client: CocHttp) => client.call({ method: 'GET', route: '/v1/things', envelope: 'data', response: z.object({ text: z.string() }) });

  it('joins a body sent in many pieces, characters split across them included', async () => {
    const text = `${'é'.repeat(3000)}✓`;
    const bytes = Buffer.from(JSON.stringify({ data: { text } }));
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let at = 0; at < bytes.length; at += 997) response.write(bytes.subarray(at, at + 997));
      response.end();
    });
    const client = http();
    await expect(get(client)).resolves.toEqual({ text });
    await client.close();
  });

  it('refuses a body larger than the limit without reading the rest', async () => {
    server.handle((_request, response) => json(response, 200, { data: { text: 'x'.repeat(5_000) } }));
    const client = http(1_000);
    const error = await failure(get(client));
    expect(error).toBeInstanceOf(CocResponseShapeError);
    expect(error.message).toContain('exceeds 1000 bytes');
    await client.close();
  });

  it('fails as a network error when the connection drops in the middle of the body', async () => {
    server.handle((_request, response, raw) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
      response.write('{"data": {"text": "cut', () => raw.socket.resetAndDestroy());
    });
    const client = http();
    await expect(get(client)).rejects.toBeInstanceOf(CocNetworkError);
    await client.close();
  });
});

describe('Retry-After parsing', () => {
  it('reads seconds and HTTP dates, ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
