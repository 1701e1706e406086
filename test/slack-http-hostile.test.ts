/**
 * Slack's Request URL under hostile requests, reached over real sockets: the whole adapter in
 * HTTP mode (its HTTP server in front of Bolt, the dispatcher, a local fake Slack), with small
 * limits so that each is reached quickly. Forged requests are refused from their headers
 * without the body being read; oversize bodies get 413, declared or chunked; slow senders are
 * cut off by the timeouts; the connection cap holds; Slack's unsigned ssl_check gets 200; a
 * signed command still works throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.js';
import { chunk, holdBackLastByte, LAST_CHUNK, openRaw, requestHead, type RawConnection } from './helpers/raw-http.js';
import { slackHttpSettings } from './helpers/slack-bot.js';
import { commandBody, sign, signedPost } from './helpers/slack-requests.js';

const SECRET = 'hostile-signing-secret-0123456789abcdef';
const TEAM = 'T0HOSTILE';
const ALICE = { teamId: TEAM, userId: 'U0ALICE', userName: 'alice' };
const MAX_BODY = 64 * 1024;
const LIMITS = {
  maxBodyBytes: MAX_BODY,
  pendingBodyBytes: 4 * MAX_BODY,
  maxConnections: 200,
  maxConnectionsPerAddress: 200,
  headersTimeoutMs: 300,
  requestTimeoutMs: 600,
  bodyTimeoutMs: 600,
  keepAliveTimeoutMs: 5_000,
};
/**
 * For the attack on the budget: bodies over 64 KiB are "large", a 1 MiB budget holds three
 * forged near-cap bodies, per-address limits are on, and the body deadline (3 s) comes well
 * before Node's request timeout (10 s), so a 408 there is the body deadline's.
 */
const BIG_BODY = 256 * 1024;
const ATTACK_LIMITS = { ...LIMITS, maxBodyBytes: BIG_BODY, pendingBodyBytes: 4 * BIG_BODY, maxConnectionsPerAddress: 50, requestTimeoutMs: 10_000, bodyTimeoutMs: 3_000 };

interface Running {
  readonly adapter: SlackAdapter;
  readonly url: string;
  readonly logged: string[];
}

let bot: TestBot;
let fake: FakeSlack;
const running: SlackAdapter[] = [];

async function startAdapter(limits: Partial<typeof LIMITS>): Promise<Running> {
  const logged: string[] = [];
  const adapter = new SlackAdapter(
    {
      ...slackHttpSettings(fake),
      botToken: 'xoxb-hostile',
      signingSecret: SECRET,
      httpLimits: limits,
    },
    { dispatcher: bot.dispatcher, identities: bot.services.identities, now: bot.services.now, log: (line) => logged.push(line) },
  );
  bot.core.chat.register(adapter.surface);
  running.push(adapter);
  const started = await adapter.start();
  return { adapter, url: started.url!, logged };
}

const now = () => Math.floor(Date.now() / 1000);

function signedHeaders(body: string | Buffer, extra: Record<string, string | number> = {}): Record<string, string | number> {
  const timestamp = now();
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': sign(SECRET, timestamp, body.toString()),
    ...extra,
  };
}

/** Headers that look right (well-formed, fresh) but sign nothing: what an attacker can forge. */
function forgedHeaders(extra: Record<string, string | number>): Record<string, string | number> {
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': now(), 'x-slack-signature': `v0=${'ab'.repeat(32)}`, ...extra };
}

beforeAll(async () => {
  fake = await startFakeSlack({ teamId: TEAM });
  bot = await makeTestBot({ mappings: [{ platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }] });
});

afterAll(async () => {
  for (const adapter of running) await adapter.stop();
  await bot?.close();
  await fake?.close();
});

describe('Slack HTTP endpoint under hostile requests', () => {
  let slack: Running;
  beforeAll(async () => {
    slack = await startAdapter(LIMITS);
  });

  it('still runs a signed command', async () => {
    const body = commandBody(ALICE, 'whoami', { responseUrl: fake.responseUrl('signed-whoami') });
    const response = await signedPost(slack.url, SECRET, body);
    expect(response.status).toBe(200);
    const answers = await waitFor(() => fake.responsesTo('signed-whoami'));
    expect(JSON.stringify(answers[0]!.body)).toContain('alice');
  });

  it.each([
    ['no signature headers', { 'content-type': 'application/json' }],
    ['a malformed signature', { 'x-slack-request-timestamp': now(), 'x-slack-signature': 'v0=nothex' }],
    ['a timestamp 6 minutes old', { 'x-slack-request-timestamp': now() - 360, 'x-slack-signature': `v0=${'0'.repeat(64)}` }],
    ['a timestamp 6 minutes ahead', { 'x-slack-request-timestamp': now() + 360, 'x-slack-signature': `v0=${'0'.repeat(64)}` }],
  ])('refuses %s with 401 at once, never reading the 3.9 MB body it announces', async (_, headers) => {
    const client = await openRaw(slack.url);
    // Only the head is sent: the server answers and closes though the body never comes.
    await client.write(requestHead('/slack/events', { ...headers, 'content-length': 3_900_000 }));
    await client.closed;
    expect(client.status()).toBe(401);
  });

  it('refuses a declared body over the cap with 413 at once, unread', async () => {
    const client = await openRaw(slack.url);
    await client.write(requestHead('/slack/events', forgedHeaders({ 'content-length': MAX_BODY + 1 })));
    await client.closed;
    expect(client.status()).toBe(413);
  });

  it('refuses a chunked body that crosses the cap with 413, not a reset', async () => {
    const client = await openRaw(slack.url);
    await client.write(requestHead('/slack/events', forgedHeaders({ 'transfer-encoding': 'chunked' })));
    const piece = Buffer.alloc(16 * 1024, 'a');
    for (let sent = 0; sent <= MAX_BODY && !client.socket.destroyed; sent += piece.length) await client.write(chunk(piece));
    await client.closed;
    expect(client.status()).toBe(413);
  });

  it('refuses a forged signature over a full body with 401', async () => {
    const body = commandBody(ALICE, 'whoami', { responseUrl: fake.responseUrl('forged') });
    const client = await openRaw(slack.url);
    await client.write(requestHead('/slack/events', forgedHeaders({ 'content-length': Buffer.byteLength(body) })) + body);
    expect(await client.answered).toBe(401);
    expect(fake.responsesTo('forged')).toEqual([]);
  });

  it('closes a connection whose headers drip too slowly (header timeout)', async () => {
    const client = await openRaw(slack.url);
    await client.write('POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await client.closed;
    expect(client.status() ?? 408).toBe(408);
  });

  it('closes a connection whose body drips too slowly (body deadline), with 408', async () => {
    const body = commandBody(ALICE, 'whoami', { responseUrl: fake.responseUrl('drip') });
    const client = await openRaw(slack.url);
    await client.write(requestHead('/slack/events', signedHeaders(body, { 'content-length': Buffer.byteLength(body) })) + body.slice(0, 10));
    await client.closed;
    expect(client.status()).toBe(408);
    expect(fake.responsesTo('drip')).toEqual([]);
  });

  it("answers Slack's unsigned ssl_check with 200 and an empty body, and does nothing else", async () => {
    const before = (await listAuditEvents(bot.store.db, { limit: 100 })).length;
    for (const form of ['ssl_check=1&token=legacy-token-123', `ssl_check=1&token=x&${commandBody(ALICE, 'whoami', { responseUrl: fake.responseUrl('smuggled') })}`]) {
      const response = await fetch(slack.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    }
    expect(fake.responsesTo('smuggled')).toEqual([]);
    expect((await listAuditEvents(bot.store.db, { limit: 100 })).length).toBe(before);
  });

  it('refuses any other unsigned form with 401, an ssl_check=0 included', async () => {
    for (const form of ['ssl_check=0&token=x', commandBody(ALICE, 'whoami', { responseUrl: fake.responseUrl('unsigned') })]) {
      const response = await fetch(slack.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      expect(response.status).toBe(401);
    }
    expect(fake.responsesTo('unsigned')).toEqual([]);
  });

  it('logs the refusals as one summary line, not one line per request', async () => {
    // The summary is written at most every 10 s; stopping flushes it.
    const own = await startAdapter(LIMITS);
    for (let i = 0; i < 3; i++) {
      const client = await openRaw(own.url);
      await client.write(requestHead('/slack/events', { 'content-length': 10 }));
      await client.closed;
    }
    await own.adapter.stop();
    const summaries = own.logged.filter((line) => line.includes('refused'));
    expect(summaries).toEqual(['/slack/events: refused 3 unsigned (no signature headers)']);
  });
});

describe('Slack HTTP endpoint: forged bodies at the cap with their last byte held back', () => {
  it('still answers a signed command with 200 while they fill the budget, and closes them at the body deadline with 408', async () => {
    const slack = await startAdapter(ATTACK_LIMITS);
    // Eight senders (eight addresses, so no per-address limit applies), each near the cap.
    const held: RawConnection[] = [];
    for (let i = 2; i < 10; i++) held.push(await holdBackLastByte(slack.url, '/slack/events', forgedHeaders({}), BIG_BODY, `127.0.0.${i}`));
    // Only three fit in what large bodies may hold: the first to be closed was refused as the budget filled.
    await Promise.race(held.map((client) => client.closed));
    expect(held.map((client) => client.status()).filter((status) => status !== undefined)).toContain(503);
    const body = commandBody(ALICE, 'whoami', { responseUrl: fake.responseUrl('under-attack') });
    const response = await signedPost(slack.url, SECRET, body);
    const stillHeld = held.filter((client) => !client.socket.destroyed).length;
    expect(response.status).toBe(200);
    expect(stillHeld).toBeGreaterThan(0);
    await Promise.all(held.map((client) => client.closed));
    const statuses = held.map((client) => client.status());
    expect(statuses.every((status) => status === 408 || status === 503)).toBe(true);
    expect(statuses).toContain(408);
    expect(held.find((client) => client.status() === 408)!.received()).toMatch(/\r\nretry-after: 1\r\n/i);
  });

  it('lets one address hold no more than its share: a second near-cap body from it gets 503', async () => {
    const slack = await startAdapter(ATTACK_LIMITS);
    const first = await holdBackLastByte(slack.url, '/slack/events', forgedHeaders({}), BIG_BODY, '127.0.0.20');
    const second = await holdBackLastByte(slack.url, '/slack/events', forgedHeaders({}), BIG_BODY, '127.0.0.20');
    await Promise.race([first.closed, second.closed]);
    expect([first.status(), second.status()]).toContain(503);
    // Another address still has room for a body of the same size: it is read whole (and refused for its signature).
    const other = await openRaw(slack.url, '127.0.0.21');
    await other.write(requestHead('/slack/events', forgedHeaders({ 'content-length': BIG_BODY })) );
    await other.write(Buffer.alloc(BIG_BODY, 'a'));
    expect(await other.answered).toBe(401);
    first.end();
    second.end();
    other.end();
  });
});

describe('Slack HTTP endpoint: the per-address connection cap', () => {
  it('closes connections from one address beyond its cap at once, while another address is served', async () => {
    const slack = await startAdapter({ ...LIMITS, maxConnectionsPerAddress: 2 });
    const base = slack.url.replace('/slack/events', '');
    const health = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const held = [];
    for (let i = 0; i < 2; i++) {
      const client = await openRaw(base, '127.0.0.30');
      await client.write(health);
      expect(await client.answered).toBe(200);
      held.push(client);
    }
    const third = await openRaw(base, '127.0.0.30');
    await third.write(health);
    await third.closed;
    expect(third.received()).toBe('');
    const elsewhere = await openRaw(base, '127.0.0.31');
    await elsewhere.write(health);
    expect(await elsewhere.answered).toBe(200);
    for (const client of [...held, elsewhere]) client.end();
  });
});

describe('Slack HTTP endpoint: the connection cap', () => {
  it('closes connections beyond the cap at once, and serves again once one closes', async () => {
    const slack = await startAdapter({ ...LIMITS, maxConnections: 3 });
    const base = slack.url.replace('/slack/events', '');
    // Three connections held open, each known to be accepted (it answered a health check).
    const held = [];
    for (let i = 0; i < 3; i++) {
      const client = await openRaw(base);
      await client.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(await client.answered).toBe(200);
      held.push(client);
    }
    const fourth = await openRaw(base);
    await fourth.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await fourth.closed;
    expect(fourth.received()).toBe('');
    held[0]!.end();
    await held[0]!.closed;
    // The server notices the close on its own time: ask until a new connection is served.
    const status = await waitFor(async () => {
      const again = await openRaw(base);
      await again.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const answer = await again.answered;
      again.end();
      return answer;
    });
    expect(status).toBe(200);
    for (const client of held) client.end();
  });
});

async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false && !(Array.isArray(value) && value.length === 0)) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('the condition was not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
