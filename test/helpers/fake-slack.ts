/**
 * A local fake of Slack's Web API over real HTTP, for tests that point Bolt's and the
 * adapter's Web API client at it (`slackApiUrl`). It records every call (method, arguments,
 * time), keeps the messages it was asked to post and edit, answers response_url posts, and
 * can be told to fail: 429 with Retry-After, a Slack error code, or no answer at all.
 *
 * `apps.connections.open` hands out `ws://…/socket` on the same port; `fake-slack-socket.ts`
 * plays Slack's side of that socket.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export type FakeSlackFault =
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds: number; readonly times?: number }
  | { readonly kind: 'error'; readonly error: string; readonly times?: number }
  | { readonly kind: 'hang'; readonly times?: number }
  /** Answers normally, after a delay. */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly times?: number };

export interface RecordedCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  /** The fake's clock (the bot's, when the test passes it). */
  readonly at: number;
  readonly token: string | undefined;
  /** What the fake answered: ok, or the error / 429 it was told to give. */
  readonly outcome: 'ok' | 'rate-limited' | 'error' | 'hung';
}

export interface RecordedResponse {
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
}

export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: unknown[];
  readonly threadTs?: string;
  edits: number;
}

export interface FakeSlackOptions {
  readonly clock?: () => number;
  readonly teamId?: string;
  readonly botUserId?: string;
  readonly botId?: string;
}

export interface FakeSlack {
  /** `http://127.0.0.1:port` */
  readonly url: string;
  /** `http://127.0.0.1:port/api/`, the `slackApiUrl` to give clients. */
  readonly apiUrl: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly calls: RecordedCall[];
  readonly responses: RecordedResponse[];
  readonly messages: Map<string, FakeMessage>;
  callsOf(method: string): RecordedCall[];
  /** A response_url that records what is posted to it. */
  responseUrl(id?: string): string;
  responsesTo(id: string): RecordedResponse[];
  readonly faults: { set(method: string, fault: FakeSlackFault): void; clear(): void };
  /** The HTTP server, for the Socket Mode side to take WebSocket upgrades on. */
  readonly server: Server;
  /** Channels whose posts fail with channel_not_found (the bot is not there). */
  readonly closedChannels: Set<string>;
  /** Channels chat.postMessage answers channel_not_found (private ones the bot was not invited to); closedChannels answer not_in_channel. */
  readonly hiddenChannels: Set<string>;
  reset(): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Form fields as Slack's clients send them: JSON-looking values (blocks, view) decoded. */
function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (/^[[{]/.test(value)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // plain text that happens to start with a bracket
      }
    }
    args[key] = value;
  }
  return args;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const clock = options.clock ?? (() => Date.now());
  const teamId = options.teamId ?? 'T0TEST';
  const botUserId = options.botUserId ?? 'U0BOT';
  const botId = options.botId ?? 'B0BOT';
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const messages = new Map<string, FakeMessage>();
  const faults = new Map<string, { fault: FakeSlackFault; left: number }>();
  const closedChannels = new Set<string>();
  const hiddenChannels = new Set<string>();
  const channelNames = new Set<string>();
  const hanging = new Set<ServerResponse>();
  let counter = 0;
  const nextTs = () => {
    counter += 1;
    return `${1_700_000_000 + counter}.${String(counter).padStart(6, '0')}`;
  };

  const faultFor = (method: string): FakeSlackFault | undefined => {
    for (const key of [method, '*']) {
      const entry = faults.get(key);
      if (!entry) continue;
      if (entry.left <= 0) {
        faults.delete(key);
        continue;
      }
      entry.left -= 1;
      return entry.fault;
    }
    return undefined;
  };

  const handlers: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ ok: true, url: 'https://fake.slack.test/', team: 'Fake', team_id: teamId, user: 'coc', user_id: botUserId, bot_id: botId }),
    'chat.postMessage': (args) => {
      const channel = String(args['channel'] ?? '');
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (hiddenChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
      if (closedChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
      const ts = nextTs();
      const threadTs = typeof args['thread_ts'] === 'string' ? args['thread_ts'] : undefined;
      messages.set(ts, { channel, ts, text: String(args['text'] ?? ''), blocks: (args['blocks'] as unknown[]) ?? [], edits: 0, ...(threadTs ? { threadTs } : {}) });
      return { ok: true, channel, ts, message: { text: args['text'], ts } };
    },
    'chat.update': (args) => {
      const message = messages.get(String(args['ts'] ?? ''));
      if (!message || message.channel !== args['channel']) return { ok: false, error: 'message_not_found' };
      message.text = String(args['text'] ?? '');
      message.blocks = (args['blocks'] as unknown[]) ?? [];
      message.edits += 1;
      return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
    },
    'chat.postEphemeral': (args) => {
      const channel = String(args['channel'] ?? '');
      if (closedChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
      return { ok: true, message_ts: nextTs() };
    },
    'conversations.open': (args) => ({ ok: true, channel: { id: `D${String(args['users'] ?? '').split(',')[0]}` } }),
    'conversations.create': (args) => {
      const name = String(args['name'] ?? '');
      if (!/^[a-z0-9_-]{1,80}$/.test(name)) return { ok: false, error: 'invalid_name_specials' };
      if (channelNames.has(name)) return { ok: false, error: 'name_taken' };
      channelNames.add(name);
      counter += 1;
      return { ok: true, channel: { id: `C${String(counter).padStart(8, '0')}`, name } };
    },
    'conversations.invite': (args) => ({ ok: true, channel: { id: args['channel'] } }),
    'views.open': (args) => {
      if (!args['trigger_id']) return { ok: false, error: 'invalid_trigger_id' };
      counter += 1;
      return { ok: true, view: { id: `V${counter}`, ...(args['view'] as Record<string, unknown>) } };
    },
    'views.update': () => ({ ok: true }),
    'apps.connections.open': () => ({ ok: true, url: `${baseUrl.replace('http://', 'ws://')}/socket` }),
  };

  const server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const body = await readBody(request);
      if (path.startsWith('/response/')) {
        responses.push({ id: decodeURIComponent(path.slice('/response/'.length)), body: parseArgs(body, request.headers['content-type']), at: clock() });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      if (!path.startsWith('/api/')) {
        response.writeHead(404).end();
        return;
      }
      const method = path.slice('/api/'.length);
      const args = parseArgs(body, request.headers['content-type']);
      const authorization = request.headers['authorization'];
      const token = typeof authorization === 'string' ? authorization.replace(/^Bearer /, '') : typeof args['token'] === 'string' ? args['token'] : undefined;
      const record = (outcome: RecordedCall['outcome']) => calls.push({ method, args, at: clock(), token, outcome });
      const fault = faultFor(method);
      if (fault?.kind === 'hang') {
        record('hung');
        hanging.add(response);
        return;
      }
      if (fault?.kind === 'rate-limit') {
        record('rate-limited');
        send(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSeconds) });
        return;
      }
      if (fault?.kind === 'error') {
        record('error');
        send(response, 200, { ok: false, error: fault.error });
        return;
      }
      if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      const handler = handlers[method];
      const result = handler ? handler(args) : { ok: false, error: 'unknown_method' };
      record(result['ok'] === true ? 'ok' : 'error');
      send(response, 200, result);
    })().catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { ok: false, error: String(error) });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    teamId,
    botUserId,
    botId,
    calls,
    responses,
    messages,
    closedChannels,
    hiddenChannels,
    callsOf: (method) => calls.filter((call) => call.method === method),
    responseUrl: (id = randomUUID()) => `${baseUrl}/response/${encodeURIComponent(id)}`,
    responsesTo: (id) => responses.filter((response) => response.id === id),
    faults: {
      set(method, fault) {
        faults.set(method, { fault, left: fault.times ?? Number.POSITIVE_INFINITY });
      },
      clear() {
        faults.clear();
      },
    },
    server,
    reset() {
      calls.length = 0;
      responses.length = 0;
      faults.clear();
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
