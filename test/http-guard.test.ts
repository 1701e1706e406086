/**
 * The shared guard of the chat HTTP endpoints on its own: limits that cannot be unsafe, the
 * budget of unverified bytes, and a guarded server over real sockets (every wait is on a socket
 * event). The endpoints' own behaviour is in slack-http-hostile and discord-http-hostile.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGuardedServer,
  DEFAULT_HTTP_LIMITS,
  httpLimits,
  MAX_HTTP_TIMEOUT_MS,
  PendingBodyBudget,
  readGuardedBody,
  SMALL_BODY_BYTES,
  sourceKey,
  refuse,
  type HttpLimits,
} from '../src/adapters/http-guard.js';
import { loadConfig } from '../src/config.js';
import { chunk, LAST_CHUNK, openRaw, requestHead } from './helpers/raw-http.js';

const BASE: HttpLimits = { ...DEFAULT_HTTP_LIMITS, maxBodyBytes: 1024 };

describe('HTTP limits', () => {
  it('keeps every timeout at 10 s or less, unlike Node’s 300 s default', () => {
    expect(DEFAULT_HTTP_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(MAX_HTTP_TIMEOUT_MS);
    expect(DEFAULT_HTTP_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(MAX_HTTP_TIMEOUT_MS);
    expect(() => httpLimits(BASE, { requestTimeoutMs: 300_000 })).toThrow('requestTimeoutMs must be at most 10000 ms');
    expect(() => httpLimits(BASE, { headersTimeoutMs: 9_000, requestTimeoutMs: 5_000 })).toThrow('headersTimeoutMs must not exceed requestTimeoutMs');
    expect(() => httpLimits(BASE, { maxConnections: 0 })).toThrow('maxConnections must be a whole number above 0');
    expect(httpLimits(BASE, { maxBodyBytes: 2048, maxConnections: undefined })).toMatchObject({ maxBodyBytes: 2048, maxConnections: DEFAULT_HTTP_LIMITS.maxConnections });
  });

  it('wants a body within 2 s of its headers, never later than the request timeout', () => {
    expect(DEFAULT_HTTP_LIMITS.bodyTimeoutMs).toBeLessThanOrEqual(2_000);
    expect(() => httpLimits(BASE, { headersTimeoutMs: 500, requestTimeoutMs: 1_000, bodyTimeoutMs: 2_000 })).toThrow('bodyTimeoutMs must not exceed requestTimeoutMs');
    // A lower request timeout brings the default body deadline down with it.
    expect(httpLimits(BASE, { headersTimeoutMs: 300, requestTimeoutMs: 600 }).bodyTimeoutMs).toBe(600);
  });

  it('caps the connections of one address below the total, and lets an explicit setting turn the cap off', () => {
    expect(DEFAULT_HTTP_LIMITS.maxConnectionsPerAddress).toBeLessThan(DEFAULT_HTTP_LIMITS.maxConnections);
    expect(httpLimits(BASE, { maxConnections: 100 }).maxConnectionsPerAddress).toBe(100);
    expect(httpLimits(BASE, { maxConnectionsPerAddress: 5_000 }).maxConnectionsPerAddress).toBe(5_000);
  });

  it('lets 1,000 hostile connections be open with room left for signed ones', () => {
    expect(DEFAULT_HTTP_LIMITS.maxConnections).toBeGreaterThan(1_000);
  });

  it('refuses a configured budget smaller than one body, naming both settings', () => {
    const result = loadConfig({ env: { SLACK_MAX_BODY_BYTES: '2097152', SLACK_PENDING_BODY_BYTES: '1048576' }, cwd: '/nonexistent' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => `${problem.path}: ${problem.message}`)).toContainEqual(expect.stringContaining('must be at least slack.maxBodyBytes (2097152)'));
  });

  it('reads the caps from the configuration, each with a default', () => {
    const result = loadConfig({ env: { DISCORD_MAX_CONNECTIONS: '500' }, cwd: '/nonexistent' });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
    expect(result.config.discord).toMatchObject({ maxConnections: 500, maxBodyBytes: 512 * 1024, pendingBodyBytes: 8 * 1024 * 1024 });
    expect(result.config.slack).toMatchObject({ maxConnections: 2048, maxConnectionsPerAddress: 1024, maxBodyBytes: 1024 * 1024 });
    const proxied = loadConfig({ env: { SLACK_MAX_CONNECTIONS_PER_ADDRESS: '2048' }, cwd: '/nonexistent' });
    if (!proxied.ok) throw new Error(proxied.problems.map((p) => p.message).join('; '));
    expect(proxied.config.slack.maxConnectionsPerAddress).toBe(2048);
  });
});

describe('the source of a connection, for the per-address limits', () => {
  it('is the IPv4 address (mapped or not), or the /64 of an IPv6 one', () => {
    expect(sourceKey('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(sourceKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKey(undefined)).toBe('');
  });
});

describe('the pending-body budget', () => {
  const limits = (pendingBodyBytes: number, maxBodyBytes: number, perAddress: boolean) => ({
    pendingBodyBytes,
    maxBodyBytes,
    maxConnections: 100,
    maxConnectionsPerAddress: perAddress ? 10 : 100,
  });

  it('takes bytes only while they fit, gives them back, and remembers its peak', () => {
    const budget = new PendingBodyBudget(limits(100, 50, false));
    expect(budget.take(60)).toBe(true);
    expect(budget.take(41)).toBe(false);
    expect(budget.used).toBe(60);
    expect(budget.take(40)).toBe(true);
    budget.give(100);
    expect(budget.used).toBe(0);
    expect(budget.peak).toBe(100);
  });

  it('keeps a quarter for small bodies: large ones cannot take it, small ones still fit', () => {
    const MIB = 1024 * 1024;
    const budget = new PendingBodyBudget(limits(8 * MIB, MIB, false));
    expect(budget.largeCapacity).toBe(6 * MIB);
    for (let i = 0; i < 6; i++) expect(budget.take(MIB, 'large', `10.0.0.${i}`)).toBe(true);
    expect(budget.take(1, 'large', '10.0.0.9')).toBe(false);
    for (let i = 0; i < 32; i++) expect(budget.take(SMALL_BODY_BYTES, 'small', '10.0.1.1')).toBe(true);
    expect(budget.take(1, 'small', '10.0.1.2')).toBe(false);
  });

  it('keeps room for one largest body even when the budget is no bigger than it', () => {
    const budget = new PendingBodyBudget(limits(1000, 1000, true));
    expect(budget.largeCapacity).toBe(1000);
    expect(budget.take(1000, 'large', 'a')).toBe(true);
  });

  it('lets one address hold a quarter of each part, but always one largest body', () => {
    const MIB = 1024 * 1024;
    const budget = new PendingBodyBudget(limits(8 * MIB, MIB, true));
    expect(budget.addressShare).toEqual({ small: 2 * MIB, large: 1.5 * MIB });
    expect(budget.take(MIB, 'large', 'attacker')).toBe(true);
    expect(budget.take(MIB, 'large', 'attacker')).toBe(false);
    // Its large bodies leave it its share of small ones, and others theirs.
    expect(budget.take(SMALL_BODY_BYTES, 'small', 'attacker')).toBe(true);
    expect(budget.take(MIB, 'large', 'someone else')).toBe(true);
    expect(budget.usedBy('attacker')).toBe(MIB + SMALL_BODY_BYTES);
    budget.give(MIB, 'large', 'attacker');
    expect(budget.usedBy('attacker')).toBe(SMALL_BODY_BYTES);
    expect(budget.take(MIB, 'large', 'attacker')).toBe(true);
  });

  it('has no per-address share when the per-address cap is off (behind a proxy)', () => {
    const budget = new PendingBodyBudget(limits(8 * 1024 * 1024, 1024 * 1024, false));
    expect(budget.addressShare).toEqual({ small: Number.POSITIVE_INFINITY, large: Number.POSITIVE_INFINITY });
  });
});

describe('a guarded server', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function serve(limits: Partial<HttpLimits>): Promise<{ url: string; budget: PendingBodyBudget; bodies: Buffer[] }> {
    const all = httpLimits(BASE, limits);
    const budget = new PendingBodyBudget(all);
    const bodies: Buffer[] = [];
    const server = createGuardedServer(all, (request, response) => {
      void readGuardedBody(request, { maxBytes: all.maxBodyBytes, budget, deadlineMs: all.bodyTimeoutMs }).then((read) => {
        if (!read.ok) return refuse(response, read.refusal);
        bodies.push(read.body);
        response.writeHead(200, { 'content-length': 2 }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, budget, bodies };
  }

  it('reads a chunked body within the cap, and gives its bytes back', async () => {
    const { url, budget, bodies } = await serve({});
    const client = await openRaw(url);
    await client.write(requestHead('/', { 'transfer-encoding': 'chunked' }) + chunk('hello ').toString() + chunk('world').toString() + LAST_CHUNK);
    expect(await client.answered).toBe(200);
    expect(bodies.map(String)).toEqual(['hello world']);
    expect(budget.used).toBe(0);
    client.end();
  });

  it('answers 503 with Retry-After when a chunk would overfill the budget, and closes', async () => {
    const { url, budget } = await serve({ maxBodyBytes: 1024, pendingBodyBytes: 1500 });
    const first = await openRaw(url);
    await first.write(requestHead('/', { 'transfer-encoding': 'chunked' }) + chunk('a'.repeat(1000)).toString());
    await waitFor(() => budget.used === 1000);
    const second = await openRaw(url);
    await second.write(requestHead('/', { 'transfer-encoding': 'chunked' }) + chunk('b'.repeat(600)).toString());
    await second.closed;
    expect(second.status()).toBe(503);
    expect(second.received()).toMatch(/retry-after: 1/i);
    first.end();
    await waitFor(() => budget.used === 0);
  });

  it('answers 413 to a malformed content-length rather than guessing', async () => {
    const { url } = await serve({});
    const client = await openRaw(url);
    await client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n');
    await client.closed;
    // Node's parser refuses it first (400); either way nothing is read and the connection closes.
    expect([400, 413]).toContain(client.status());
  });
});

async function waitFor(probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('the condition was not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
