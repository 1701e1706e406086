/**
 * Discord's interactions endpoint under hostile requests, over real sockets: the adapter in
 * HTTP mode as `npm start` runs it (limits from the configuration), and a second endpoint on
 * the same interaction handler with small limits so that timeouts and the budget are reached
 * quickly. Forged requests are refused from their headers without the body being read;
 * oversize bodies get 413, declared or chunked; slow senders are cut off; a full budget of
 * unverified bytes answers 503 with Retry-After; a signed PING still gets its PONG.
 */
import { sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../src/adapters/discord/adapter.js';
import { DISCORD_MAX_BODY_BYTES, startInteractionsEndpoint, type InteractionsEndpoint } from '../src/adapters/discord/http-endpoint.js';
import { Secret, type Config } from '../src/config.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { APP, DISCORD_MAPPINGS, GUILD, interactionOf, postInteraction, testKeys } from './helpers/discord-interactions.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';
import { chunk, holdBackLastByte, openRaw, requestHead, type RawConnection } from './helpers/raw-http.js';

const MAX_BODY = 64 * 1024;

let bot: TestBot;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
let small: InteractionsEndpoint;
let keys: ReturnType<typeof testKeys>;
const logged: string[] = [];

const now = () => Math.floor(Date.now() / 1000);

function signed(privateKey: KeyObject, body: string): Record<string, string | number> {
  const timestamp = String(now());
  return {
    'content-type': 'application/json',
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
    'x-signature-timestamp': timestamp,
  };
}

/** Well-formed, fresh headers that sign nothing: what anyone can send. */
function forged(extra: Record<string, string | number>): Record<string, string | number> {
  return { 'content-type': 'application/json', 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': now(), ...extra };
}

beforeAll(async () => {
  bot = await makeTestBot({ mappings: DISCORD_MAPPINGS });
  fake = await startFakeDiscord();
  keys = testKeys();
  const config = {
    ...bot.config,
    discord: { ...bot.config.discord, botToken: new Secret('MTIz.fake.token'), applicationId: APP, publicKey: keys.publicKeyHex, mode: 'http', guildId: GUILD, apiUrl: fake.api },
  } as Config;
  adapter = await startDiscordAdapter({ config, dispatcher: bot.dispatcher, registry: bot.core.registry, db: bot.store.db, port: 0, host: '127.0.0.1' });
  bot.core.chat.register(adapter.surface);
  small = await startInteractionsEndpoint({
    port: 0,
    host: '127.0.0.1',
    publicKey: keys.publicKeyHex,
    interactions: adapter.interactions,
    log: (line) => logged.push(line),
    limits: { maxBodyBytes: MAX_BODY, pendingBodyBytes: MAX_BODY + 32 * 1024, maxConnections: 100, headersTimeoutMs: 300, requestTimeoutMs: 600 },
  });
});

afterAll(async () => {
  await small?.close();
  await adapter?.close();
  await bot?.close();
  await fake?.close();
});

describe('Discord interactions endpoint under hostile requests', () => {
  it('answers a signed PING with a PONG, on both endpoints', async () => {
    for (const url of [adapter.endpoint!.url, small.url]) {
      const { status, reply } = await postInteraction(url, keys.privateKey, { ...interactionOf(1, undefined), type: 1 });
      expect(status).toBe(200);
      expect(reply).toEqual({ type: 1 });
    }
  });

  it.each([
    ['no signature headers', { 'content-type': 'application/json' }],
    ['a signature that is not 128 hex digits', { 'x-signature-ed25519': 'abc', 'x-signature-timestamp': now() }],
    ['a timestamp 6 minutes old', { 'x-signature-ed25519': '00'.repeat(64), 'x-signature-timestamp': now() - 360 }],
    ['a timestamp 6 minutes ahead', { 'x-signature-ed25519': '00'.repeat(64), 'x-signature-timestamp': now() + 360 }],
  ])('refuses %s with 401 at once, never reading the 1 MB body it announces', async (_, headers) => {
    const client = await openRaw(adapter.endpoint!.url);
    await client.write(requestHead('/discord/interactions', { ...headers, 'content-length': 1_000_000 }));
    await client.closed;
    expect(client.status()).toBe(401);
    expect(client.received()).toContain('invalid request signature');
  });

  it('answers a body over 1 MiB with 413, not a reset (the default cap fits real interactions)', async () => {
    expect(DISCORD_MAX_BODY_BYTES).toBeGreaterThanOrEqual(300 * 1024);
    const body = Buffer.alloc(1024 * 1024 + 1, 'a');
    const client = await openRaw(adapter.endpoint!.url);
    await client.write(requestHead('/discord/interactions', forged({ 'content-length': body.length })));
    void client.write(body);
    await client.closed;
    expect(client.status()).toBe(413);
  });

  it('refuses a chunked body that crosses the cap with 413', async () => {
    const client = await openRaw(small.url);
    await client.write(requestHead('/discord/interactions', forged({ 'transfer-encoding': 'chunked' })));
    const piece = Buffer.alloc(16 * 1024, 'a');
    for (let sent = 0; sent <= MAX_BODY && !client.socket.destroyed; sent += piece.length) await client.write(chunk(piece));
    await client.closed;
    expect(client.status()).toBe(413);
  });

  it('closes a connection whose headers drip too slowly', async () => {
    const client = await openRaw(small.url);
    await client.write('POST /discord/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await client.closed;
    expect(client.status() ?? 408).toBe(408);
  });

  it('closes a signed request whose body drips too slowly, with 408', async () => {
    const body = JSON.stringify({ ...interactionOf(1, undefined), type: 1 });
    const client = await openRaw(small.url);
    await client.write(requestHead('/discord/interactions', { ...signed(keys.privateKey, body), 'content-length': Buffer.byteLength(body) }) + body.slice(0, 5));
    await client.closed;
    expect(client.status()).toBe(408);
  });

  it('answers 503 with Retry-After while the budget of unverified bytes is full, and recovers once it is freed', async () => {
    // One forged request holds 60 KiB of its 64 KiB body, leaving less than the next one needs.
    const holder = await openRaw(small.url);
    await holder.write(requestHead('/discord/interactions', forged({ 'content-length': MAX_BODY })) );
    await holder.write(Buffer.alloc(60 * 1024, 'a'));
    await waitFor(() => small.budget.used >= 60 * 1024);
    const next = await openRaw(small.url);
    await next.write(requestHead('/discord/interactions', forged({ 'content-length': 40 * 1024 })));
    await next.write(Buffer.alloc(40 * 1024, 'b'));
    await next.closed;
    expect(next.status()).toBe(503);
    expect(next.received()).toMatch(/\r\nretry-after: 1\r\n/i);
    holder.end();
    await waitFor(() => small.budget.used === 0);
    const { status, reply } = await postInteraction(small.url, keys.privateKey, { ...interactionOf(1, undefined), type: 1 });
    expect(status).toBe(200);
    expect(reply).toEqual({ type: 1 });
    expect(small.budget.peak).toBeLessThanOrEqual(MAX_BODY + 32 * 1024);
  });
});

describe('Discord interactions endpoint: forged bodies at the cap with their last byte held back', () => {
  it('still answers a signed PING while they fill the budget, keeps one address to its share, and closes them at the body deadline with 408', async () => {
    const BIG_BODY = 256 * 1024;
    // A 1 MiB budget: a quarter kept for small bodies, three near-cap bodies fill the rest.
    // The body deadline (3 s) comes well before Node's request timeout (10 s).
    const endpoint = await startInteractionsEndpoint({
      port: 0,
      host: '127.0.0.1',
      publicKey: keys.publicKeyHex,
      interactions: adapter.interactions,
      limits: { maxBodyBytes: BIG_BODY, pendingBodyBytes: 4 * BIG_BODY, maxConnections: 200, maxConnectionsPerAddress: 50, requestTimeoutMs: 10_000, bodyTimeoutMs: 3_000 },
    });
    try {
      expect(endpoint.budget.largeCapacity).toBe(3 * BIG_BODY);
      const held: RawConnection[] = [];
      // Sixteen senders on eight addresses, two each: one address may hold one near-cap body at most.
      for (let i = 0; i < 16; i++) held.push(await holdBackLastByte(endpoint.url, '/discord/interactions', forged({}), BIG_BODY, `127.0.1.${2 + (i % 8)}`));
      await Promise.race(held.map((client) => client.closed));
      expect(held.map((client) => client.status()).filter((status) => status !== undefined)).toContain(503);
      expect(endpoint.budget.largeUsed).toBeLessThanOrEqual(endpoint.budget.largeCapacity);
      for (let i = 2; i < 10; i++) expect(endpoint.budget.usedBy(`127.0.1.${i}`)).toBeLessThanOrEqual(BIG_BODY);
      const { status, reply } = await postInteraction(endpoint.url, keys.privateKey, { ...interactionOf(1, undefined), type: 1 });
      const stillHeld = held.filter((client) => !client.socket.destroyed).length;
      expect(status).toBe(200);
      expect(reply).toEqual({ type: 1 });
      expect(stillHeld).toBeGreaterThan(0);
      await Promise.all(held.map((client) => client.closed));
      const statuses = held.map((client) => client.status());
      expect(statuses.every((code) => code === 408 || code === 503)).toBe(true);
      expect(statuses).toContain(408);
      await waitFor(() => endpoint.budget.used === 0);
      expect(endpoint.budget.peak).toBeLessThanOrEqual(4 * BIG_BODY);
    } finally {
      await endpoint.close();
    }
  });
});

async function waitFor(probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('the condition was not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
