/**
 * A local fake of the Discord API over real HTTP (and a fake gateway over a real WebSocket),
 * for the Discord adapter's tests. discord.js's REST is pointed at it with the `api` option;
 * every call is recorded. It answers like Discord where the adapter depends on it:
 *
 *  - message create/edit bodies are checked against Discord's limits (400, code 50035);
 *  - interaction callbacks (204), webhook edits/follow-ups/deletes of the interaction token,
 *    which can be expired (401, code 50027 "Invalid Webhook Token");
 *  - DMs (a user can refuse them: 403, code 50007), threads, thread members;
 *  - channels the bot cannot use, on demand: 403 50001 "Missing Access" (it cannot see the
 *    channel), 403 50013 "Missing Permissions" (it may not post), 404 10003 "Unknown Channel";
 *  - bulk command registration (PUT, echoed with ids);
 *  - rate limits on demand (429 with retry_after), which discord.js's queue must honour;
 *  - `GET /gateway/bot` and a gateway speaking HELLO, IDENTIFY → READY, heartbeats and
 *    dispatching INTERACTION_CREATE;
 *  - an attachment CDN (`addAttachment`): the attachment object an interaction's
 *    `resolved.attachments` carries, its URL signed as Discord signs them (`ex`, `is`, `hm`);
 *    a URL whose signature does not match answers 404, as an expired link does.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { messageProblems, type SentMessage } from './discord-limits.js';
import { SAFETY_NET_MS } from './safety-net.js';

export interface FakeCall {
  readonly method: string;
  /** The path after `/api/v10`. */
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
  readonly at: number;
}

export interface FakeDiscord {
  /** Base for discord.js's REST `api` option. */
  readonly api: string;
  readonly calls: FakeCall[];
  /** Channel messages as they stand now (after edits), by message id. */
  readonly messages: Map<string, { readonly channelId: string; readonly body: SentMessage }>;
  callsTo(method: string, path: RegExp): FakeCall[];
  /** The first recorded call (now or later) matching; rejects after `timeoutMs`. */
  waitFor(method: string, path: RegExp, timeoutMs?: number): Promise<FakeCall>;
  /** The first recorded call (now or later) matching that also passes `test`; rejects after `timeoutMs`. */
  waitForMatching(method: string, path: RegExp, test: (call: FakeCall) => boolean, timeoutMs?: number): Promise<FakeCall>;
  /** Webhook calls with this interaction token answer 50027, as after 15 minutes. */
  expireToken(token: string): void;
  /** This user does not accept DMs from server members. */
  refuseDms(userId: string): void;
  /** Posts and edits of messages in this channel are refused as Discord refuses them. */
  refuseChannel(channelId: string, refusal: ChannelRefusal): void;
  /** The next `times` requests matching answer 429 (retry after `retryAfterSeconds`). */
  rateLimit(method: string, path: RegExp, times: number, retryAfterSeconds: number): void;
  /** Sends INTERACTION_CREATE to connected gateway clients. */
  dispatchInteraction(interaction: unknown): void;
  /** Resolves once a gateway client has identified. */
  readonly identified: Promise<{ token: string; intents: number }>;
  /** The CDN's origin (`http://127.0.0.1:port`), standing in for cdn.discordapp.com. */
  readonly cdn: string;
  /** An attachment uploaded with a command: the object to put in `resolved.attachments`. */
  addAttachment(spec: FakeAttachmentSpec): FakeAttachment;
  /** Downloads from the CDN: which attachment, and the status answered. */
  readonly attachmentDownloads: { readonly id: string; readonly status: number }[];
  close(): Promise<void>;
}

/** An attachment as the fake's CDN serves it. */
export interface FakeAttachmentSpec {
  readonly filename: string;
  readonly content: string | Uint8Array;
  readonly contentType?: string;
  /** The size the attachment object says, when it differs from the content's. */
  readonly reportedSize?: number;
}

/** The attachment object of an interaction's `resolved.attachments`. */
export interface FakeAttachment {
  readonly id: string;
  readonly filename: string;
  readonly size: number;
  readonly url: string;
  readonly proxy_url: string;
  readonly content_type?: string;
  readonly ephemeral: true;
}

export type ChannelRefusal = 'missing-access' | 'missing-permissions' | 'unknown-channel';

/** Discord's answers to a bot that cannot use a channel. */
const CHANNEL_REFUSALS: Readonly<Record<ChannelRefusal, { status: number; code: number; message: string }>> = {
  'missing-access': { status: 403, code: 50001, message: 'Missing Access' },
  'missing-permissions': { status: 403, code: 50013, message: 'Missing Permissions' },
  'unknown-channel': { status: 404, code: 10003, message: 'Unknown Channel' },
};

interface RateLimitRule {
  readonly method: string;
  readonly path: RegExp;
  remaining: number;
  readonly retryAfterSeconds: number;
}

let nextId = 1_300_000_000_000_000_000n;
function snowflake(): string {
  nextId += 1n;
  return String(nextId);
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const calls: FakeCall[] = [];
  const messages = new Map<string, { readonly channelId: string; readonly body: SentMessage }>();
  const waiters: { method: string; path: RegExp; test?: (call: FakeCall) => boolean; resolve: (call: FakeCall) => void }[] = [];
  const expired = new Set<string>();
  const noDms = new Set<string>();
  const refusedChannels = new Map<string, ChannelRefusal>();
  const rateLimits: RateLimitRule[] = [];
  const sockets = new Set<WebSocket>();
  let sequence = 0;
  let onIdentified: (value: { token: string; intents: number }) => void = () => {};
  const identified = new Promise<{ token: string; intents: number }>((resolve) => {
    onIdentified = resolve;
  });
  let wsUrl = '';

  const message = (channelId: string, body: unknown, id = snowflake()) => ({ id, channel_id: channelId, ...(body as object) });

  const route = async (method: string, path: string, body: unknown, response: ServerResponse): Promise<void> => {
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return send(response, 200, { url: wsUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return send(response, 204);
    if ((match = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(path))) {
      const [, , token, original] = match;
      if (expired.has(token!)) return send(response, 401, { code: 50027, message: 'Invalid Webhook Token' });
      if (original && method === 'DELETE') return send(response, 204);
      if (original && method === 'PATCH') return send(response, 200, message('interaction-channel', body, 'original'));
      if (!original && method === 'POST') return send(response, 200, message('interaction-channel', body));
    }
    if ((match = /^\/channels\/([^/]+)\/messages(?:\/(\d+))?$/.exec(path)) && (method === 'POST' || method === 'PATCH')) {
      const [, channelId, messageId] = match;
      const recipient = /^dm-(\d+)$/.exec(channelId!)?.[1];
      if (recipient && noDms.has(recipient)) return send(response, 403, { code: 50007, message: 'Cannot send messages to this user' });
      const refusal = refusedChannels.get(channelId!);
      if (refusal) {
        const { status, code, message: text } = CHANNEL_REFUSALS[refusal];
        return send(response, status, { code, message: text });
      }
      const problems = messageProblems(body as SentMessage);
      if (problems.length) return send(response, 400, { code: 50035, message: 'Invalid Form Body', errors: problems });
      if (messageId && !messages.has(messageId)) return send(response, 404, { code: 10008, message: 'Unknown Message' });
      const id = messageId ?? snowflake();
      // An edit changes only the fields it sends, as Discord's does (a card keeps its embeds when only its buttons go).
      const previous = messageId ? messages.get(messageId)?.body : undefined;
      const stored = { ...previous, ...(body as SentMessage) };
      messages.set(id, { channelId: channelId!, body: stored });
      return send(response, 200, message(channelId!, stored, id));
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = (body as { recipient_id?: string }).recipient_id;
      return send(response, 200, { id: `dm-${recipient}`, type: 1 });
    }
    if (method === 'POST' && (match = /^\/channels\/(\d+)\/threads$/.exec(path))) {
      return send(response, 201, { id: snowflake(), type: 11, parent_id: match[1], name: (body as { name?: string }).name });
    }
    if (method === 'PUT' && /^\/channels\/\d+\/thread-members\/\d+$/.test(path)) return send(response, 204);
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      return send(response, 200, (body as object[]).map((command) => ({ id: snowflake(), ...command })));
    }
    return send(response, 404, { code: 0, message: `the fake Discord has no ${method} ${path}` });
  };

  const attachments = new Map<string, { spec: FakeAttachmentSpec; signature: string }>();
  const attachmentDownloads: FakeDiscord['attachmentDownloads'] = [];
  /** `GET /attachments/<channel>/<id>/<name>?ex&is&hm`: the content, when the signature is the one handed out. */
  const serveAttachment = (url: URL, response: ServerResponse): boolean => {
    const match = /^\/attachments\/\d+\/(\d+)\/[^/]+$/.exec(url.pathname);
    if (!match) return false;
    const held = attachments.get(match[1]!);
    if (!held || url.searchParams.get('hm') !== held.signature) {
      attachmentDownloads.push({ id: match[1]!, status: 404 });
      response.writeHead(404, { 'content-type': 'text/plain' }).end('This content is no longer available.');
      return true;
    }
    const content = Buffer.from(held.spec.content);
    attachmentDownloads.push({ id: match[1]!, status: 200 });
    response.writeHead(200, { 'content-type': held.spec.contentType ?? 'application/octet-stream', 'content-length': String(content.byteLength) }).end(content);
    return true;
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'GET' && serveAttachment(url, response)) return;
      const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
      const method = request.method ?? 'GET';
      const body = await readJson(request);
      const call: FakeCall = { method, path, body, authorization: request.headers.authorization, at: Date.now() };
      calls.push(call);
      for (const waiter of [...waiters]) {
        if (waiter.method === method && waiter.path.test(path) && (waiter.test?.(call) ?? true)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(call);
        }
      }
      const limit = rateLimits.find((rule) => rule.remaining > 0 && rule.method === method && rule.path.test(path));
      if (limit) {
        limit.remaining -= 1;
        return send(response, 429, { message: 'You are being rate limited.', retry_after: limit.retryAfterSeconds, global: false }, {
          'retry-after': String(limit.retryAfterSeconds),
          'x-ratelimit-scope': 'user',
        });
      }
      await route(method, path, body, response);
    })().catch((error: unknown) => send(response, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;

  const gateway = new WebSocketServer({ server, path: '/gateway' });
  wsUrl = `ws://127.0.0.1:${port}/gateway`;
  const dispatch = (socket: WebSocket, t: string, d: unknown) => socket.send(JSON.stringify({ op: 0, t, s: ++sequence, d }));
  gateway.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    socket.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: { token?: string; intents?: number } };
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (packet.op === 2) {
        dispatch(socket, 'READY', {
          v: 10,
          user: { id: '1200000000000000001', username: 'coc-chatops', discriminator: '0', bot: true, avatar: null, global_name: null },
          guilds: [],
          session_id: 'fake-session',
          resume_gateway_url: wsUrl,
          shard: [0, 1],
          application: { id: '1200000000000000000', flags: 0 },
        });
        onIdentified({ token: packet.d.token ?? '', intents: packet.d.intents ?? 0 });
      }
    });
  });

  return {
    api: `http://127.0.0.1:${port}/api`,
    calls,
    messages,
    callsTo: (method, path) => calls.filter((call) => call.method === method && path.test(call.path)),
    waitFor(method, path, timeoutMs = SAFETY_NET_MS) {
      const done = calls.find((call) => call.method === method && path.test(call.path));
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${method} ${path} within ${timeoutMs} ms; calls: ${calls.map((c) => `${c.method} ${c.path}`).join(', ')}`)), timeoutMs);
        waiters.push({
          method,
          path,
          resolve: (call) => {
            clearTimeout(timer);
            resolve(call);
          },
        });
      });
    },
    waitForMatching(method, path, test, timeoutMs = SAFETY_NET_MS) {
      const done = calls.find((call) => call.method === method && path.test(call.path) && test(call));
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching ${method} ${path} within ${timeoutMs} ms; calls: ${calls.map((c) => `${c.method} ${c.path}`).join(', ')}`)), timeoutMs);
        waiters.push({
          method,
          path,
          test,
          resolve: (call) => {
            clearTimeout(timer);
            resolve(call);
          },
        });
      });
    },
    expireToken: (token) => expired.add(token),
    refuseDms: (userId) => noDms.add(userId),
    refuseChannel: (channelId, refusal) => refusedChannels.set(channelId, refusal),
    rateLimit: (method, path, times, retryAfterSeconds) => rateLimits.push({ method, path, remaining: times, retryAfterSeconds }),
    dispatchInteraction(interaction) {
      for (const socket of sockets) dispatch(socket, 'INTERACTION_CREATE', interaction);
    },
    identified,
    cdn: `http://127.0.0.1:${port}`,
    addAttachment(spec) {
      const id = snowflake();
      const signature = randomBytes(16).toString('hex');
      attachments.set(id, { spec, signature });
      const size = spec.reportedSize ?? Buffer.from(spec.content).byteLength;
      const url = `http://127.0.0.1:${port}/attachments/920000000000000001/${id}/${encodeURIComponent(spec.filename)}?ex=6a000000&is=69f00000&hm=${signature}&`;
      return { id, filename: spec.filename, size, url, proxy_url: url, ...(spec.contentType ? { content_type: spec.contentType } : {}), ephemeral: true };
    },
    attachmentDownloads,
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
