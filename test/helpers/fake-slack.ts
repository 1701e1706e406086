/**
 * A local fake of Slack's Web API over real HTTP, for tests that point Bolt's and the
 * adapter's Web API client at it (`slackApiUrl`). It records every call (method, arguments,
 * time), keeps the messages it was asked to post and edit, answers response_url posts, and
 * can be told to fail: 429 with Retry-After, a Slack error code, or no answer at all.
 *
 * `apps.connections.open` hands out `ws://…/socket` on the same port; `fake-slack-socket.ts`
 * plays Slack's side of that socket.
 *
 * It keeps Slack's rules (platform-rules §1.1) on its injectable clock, so tests never sleep:
 * - a trigger id opens one view (`views.open`/`views.push`), within 3 s of the request that
 *   carried it (`issueTrigger` notes when that was; an id it was never told of counts from its
 *   first use): later `expired_trigger_id`, again `exchanged_trigger_id`;
 * - a response_url takes 5 posts within 30 minutes of its first, then refuses them (404 `used_url`
 *   / `expired_url`), recorded in `refusedResponses`;
 * - `views.open` answers the view with an `id` and a `hash`; `views.update` wants a known
 *   `view_id` (`not_found`) and, when given, its current `hash` (`hash_conflict`).
 * - `files.info` wants a token (`not_authed`; `invalid_auth` when `botToken` is set and it
 *   differs) and a file the bot can see (`file_not_found`: unknown, deleted, or shared only
 *   where the bot is not); `url_private` downloads need `Authorization: Bearer <token>`, and
 *   without it Slack redirects to its sign-in page (302) rather than serve the file.
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

/** A view as the fake holds it: what was opened or last updated, and its current hash. */
export interface FakeView {
  readonly id: string;
  view: Record<string, unknown>;
  hash: string;
  /** Closed by the person or by a submission's empty answer: updates fail with not_found. */
  closed: boolean;
  updates: number;
}

export interface RefusedResponse {
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
  readonly error: 'used_url' | 'expired_url';
}

/** Slack's own numbers (platform-rules §1.1). */
export const TRIGGER_LIFETIME_MS = 3_000;
export const RESPONSE_URL_POSTS = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/** A file as the fake's Slack holds it (`addFile`). */
export interface FakeSlackFileSpec {
  readonly id: string;
  readonly name: string;
  readonly content: string | Uint8Array;
  /** Who shared it. */
  readonly user: string;
  readonly channels?: readonly string[];
  readonly groups?: readonly string[];
  readonly ims?: readonly string[];
  readonly mimetype?: string;
  /** The bot cannot see it: files.info answers file_not_found. */
  readonly hiddenFromBot?: boolean;
  /** An external file (Google Drive…): url_private is on that service's host. */
  readonly externalUrl?: string;
  /** The size files.info reports, when it differs from the content's (a file that changed). */
  readonly reportedSize?: number;
}

export interface FakeSlackFile extends FakeSlackFileSpec {
  readonly urlPrivate: string;
  readonly urlPrivateDownload: string;
  readonly permalink: string;
}

export interface FakeSlackOptions {
  readonly clock?: () => number;
  /** The only token files.info and downloads accept (default: any). */
  readonly botToken?: string;
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
  /** Posts a response_url refused (more than 5, or after 30 minutes). */
  readonly refusedResponses: RefusedResponse[];
  /** Views opened (or known to be open), by id. */
  readonly views: Map<string, FakeView>;
  /** A request carrying `triggerId` was sent now (on the fake's clock): its 3 s start. */
  issueTrigger(triggerId: string): void;
  /**
   * A view a test submits is open in Slack: known by its id (registered if the fake never
   * opened it). Returns its current state.
   */
  knownView(view: Record<string, unknown> & { id: string }): FakeView;
  /** What Slack does with a view_submission's answer: `update` replaces the view, an empty one (or `clear`) closes it. */
  applySubmissionAnswer(viewId: string, answer: unknown): void;
  /** A file shared in the fake's Slack, with the urls files.info gives for it. */
  addFile(file: FakeSlackFileSpec): FakeSlackFile;
  /** Downloads of files' url_private: which file, with which token (undefined: none), and what was answered. */
  readonly downloads: { readonly fileId: string; readonly token: string | undefined; readonly status: number }[];
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
  const refusedResponses: RefusedResponse[] = [];
  const views = new Map<string, FakeView>();
  const triggers = new Map<string, { issuedAt: number; used: boolean }>();
  const responseUrls = new Map<string, { firstAt: number; posts: number }>();
  let hashes = 0;
  const nextHash = () => `${Math.floor(clock() / 1000)}.h${++hashes}`;
  /** Why `triggerId` cannot open a view now, or undefined; a usable one is used up. */
  const exchangeTrigger = (triggerId: string): string | undefined => {
    let trigger = triggers.get(triggerId);
    if (!trigger) {
      trigger = { issuedAt: clock(), used: false };
      triggers.set(triggerId, trigger);
    }
    if (trigger.used) return 'exchanged_trigger_id';
    if (clock() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return 'expired_trigger_id';
    trigger.used = true;
    return undefined;
  };
  const openView = (args: Record<string, unknown>): Record<string, unknown> => {
    const triggerId = String(args['trigger_id'] ?? '');
    if (!triggerId) return { ok: false, error: 'invalid_trigger_id' };
    const refused = exchangeTrigger(triggerId);
    if (refused) return { ok: false, error: refused };
    counter += 1;
    const id = `V${String(counter).padStart(8, '0')}`;
    const view = { ...(args['view'] as Record<string, unknown>) };
    const held: FakeView = { id, view, hash: nextHash(), closed: false, updates: 0 };
    views.set(id, held);
    return { ok: true, view: { ...view, id, hash: held.hash } };
  };
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

  const files = new Map<string, FakeSlackFile>();
  const downloads: FakeSlack['downloads'] = [];
  const authProblem = (token: string | undefined): string | undefined => (!token ? 'not_authed' : options.botToken !== undefined && token !== options.botToken ? 'invalid_auth' : undefined);
  const fileObject = (file: FakeSlackFile): Record<string, unknown> => {
    const bytes = typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.byteLength;
    return {
      id: file.id,
      created: 1_700_000_000,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype ?? 'text/plain',
      filetype: file.name.split('.').pop() ?? 'text',
      user: file.user,
      mode: file.externalUrl ? 'external' : 'hosted',
      is_external: file.externalUrl !== undefined,
      is_public: (file.channels ?? []).length > 0,
      size: file.reportedSize ?? bytes,
      url_private: file.urlPrivate,
      url_private_download: file.urlPrivateDownload,
      permalink: file.permalink,
      channels: file.channels ?? [],
      groups: file.groups ?? [],
      ims: file.ims ?? [],
    };
  };

  const handlers: Record<string, (args: Record<string, unknown>, token: string | undefined) => Record<string, unknown>> = {
    'files.info': (args, token) => {
      const refused = authProblem(token);
      if (refused) return { ok: false, error: refused };
      const file = files.get(String(args['file'] ?? ''));
      if (!file || file.hiddenFromBot) return { ok: false, error: 'file_not_found' };
      return { ok: true, file: fileObject(file), comments: [], response_metadata: { next_cursor: '' } };
    },
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
    'views.open': openView,
    'views.push': openView,
    'views.update': (args) => {
      const held = views.get(String(args['view_id'] ?? ''));
      if (!held || held.closed) return { ok: false, error: 'not_found' };
      if (args['hash'] !== undefined && args['hash'] !== held.hash) return { ok: false, error: 'hash_conflict' };
      held.view = { ...(args['view'] as Record<string, unknown>) };
      held.hash = nextHash();
      held.updates += 1;
      return { ok: true, view: { ...held.view, id: held.id, hash: held.hash } };
    },
    'apps.connections.open': () => ({ ok: true, url: `${baseUrl.replace('http://', 'ws://')}/socket` }),
  };

  const server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const body = await readBody(request);
      if (path.startsWith('/response/')) {
        const id = decodeURIComponent(path.slice('/response/'.length));
        const parsed = parseArgs(body, request.headers['content-type']);
        const at = clock();
        let uses = responseUrls.get(id);
        if (!uses) {
          uses = { firstAt: at, posts: 0 };
          responseUrls.set(id, uses);
        }
        const refused = at - uses.firstAt > RESPONSE_URL_LIFETIME_MS ? 'expired_url' : uses.posts >= RESPONSE_URL_POSTS ? 'used_url' : undefined;
        if (refused) {
          refusedResponses.push({ id, body: parsed, at, error: refused });
          send(response, 404, { ok: false, error: refused });
          return;
        }
        uses.posts += 1;
        responses.push({ id, body: parsed, at });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      if (path.startsWith('/files-pri/')) {
        // `/files-pri/<team>-<file id>/[download/]<name>`
        const fileId = path.split('/')[2]?.split('-')[1] ?? '';
        const file = files.get(fileId);
        const authorization = request.headers['authorization'];
        const token = typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
        if (authProblem(token)) {
          downloads.push({ fileId, token, status: 302 });
          response.writeHead(302, { location: `${baseUrl}/signin?redir=${encodeURIComponent(path)}`, 'content-type': 'text/html' }).end('<html>sign in</html>');
          return;
        }
        if (!file || file.hiddenFromBot) {
          downloads.push({ fileId, token, status: 404 });
          response.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
          return;
        }
        const content = typeof file.content === 'string' ? Buffer.from(file.content) : Buffer.from(file.content);
        downloads.push({ fileId, token, status: 200 });
        response.writeHead(200, { 'content-type': file.mimetype ?? 'text/plain', 'content-length': String(content.byteLength) }).end(content);
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
      const result = handler ? handler(args, token) : { ok: false, error: 'unknown_method' };
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
    refusedResponses,
    views,
    issueTrigger(triggerId) {
      triggers.set(triggerId, { issuedAt: clock(), used: false });
    },
    knownView(view) {
      let held = views.get(view.id);
      if (!held) {
        const { id: _id, hash, state: _state, ...rest } = view;
        held = { id: view.id, view: rest, hash: typeof hash === 'string' ? hash : nextHash(), closed: false, updates: 0 };
        views.set(view.id, held);
      }
      return held;
    },
    applySubmissionAnswer(viewId, answer) {
      const held = views.get(viewId);
      if (!held) return;
      const action = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)['response_action'] : undefined;
      if (action === 'update' || action === 'push') {
        held.view = { ...((answer as Record<string, unknown>)['view'] as Record<string, unknown>) };
        held.hash = nextHash();
        held.updates += 1;
      } else if (action !== 'errors') held.closed = true;
    },
    addFile(spec) {
      const hosted = `${baseUrl}/files-pri/${teamId}-${spec.id}`;
      const file: FakeSlackFile = {
        ...spec,
        urlPrivate: spec.externalUrl ?? `${hosted}/${encodeURIComponent(spec.name)}`,
        urlPrivateDownload: spec.externalUrl ?? `${hosted}/download/${encodeURIComponent(spec.name)}`,
        permalink: `https://fake-team.slack.com/files/${spec.user}/${spec.id}/${encodeURIComponent(spec.name)}`,
      };
      files.set(spec.id, file);
      return file;
    },
    downloads,
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
      refusedResponses.length = 0;
      downloads.length = 0;
      faults.clear();
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
