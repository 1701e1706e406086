/**
 * The HTTP server in front of Bolt's request listener (HTTP mode): a health check for the load
 * balancer, Slack's `ssl_check`, and every request to /slack/events guarded before Bolt sees
 * it (see ../http-guard.ts): signature headers checked before the body is read, the body capped,
 * read within a deadline and charged to a budget of unverified bytes, then its signature
 * checked here. A slash command may be taken here (`takeCommand`, the adapter's `/coc`);
 * everything else goes to Bolt, which gets the body already read (`rawBody`), so it is never
 * read twice.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseForm } from 'node:querystring';
import type { HTTPReceiver, RespondArguments } from '@slack/bolt';
import {
  createGuardedServer,
  DEFAULT_HTTP_LIMITS,
  httpLimits,
  listenGuarded,
  PendingBodyBudget,
  readGuardedBody,
  RefusalLog,
  refuse,
  type HttpLimits,
} from '../http-guard.js';
import { HTTP_LIMIT_DEFAULTS } from '../../config/sections/http-limits.js';
import { checkSignatureHeaders, isSignedBody, isSslCheck, mayBeSslCheck, SSL_CHECK_MAX_BYTES } from './signature.js';

/** Where Slack sends requests in HTTP mode (commands, interactivity and options alike). */
export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

/**
 * The largest body Slack sends us, with room to spare. A `block_actions` payload carries the
 * clicked message: Slack refuses messages past about 13,000 characters of blocks and cuts
 * their text at 40,000; even all CJK, escaped in JSON and then form-encoded (up to 9 bytes a
 * character), that stays under 500 KB. A `view_submission` carries the form: the bot's forms
 * hold a few inputs of at most 3,000 characters (27 KB each, form-encoded, typed value and
 * initial value both). Commands, options requests and shortcuts are a few KB. Bolt's own
 * limit is 4 MB; 1 MiB still fits every real payload and quarters what a forged one can hold.
 */
export const SLACK_MAX_BODY_BYTES: number = HTTP_LIMIT_DEFAULTS.slackMaxBodyBytes;

export const SLACK_HTTP_LIMITS: HttpLimits = { ...DEFAULT_HTTP_LIMITS, maxBodyBytes: SLACK_MAX_BODY_BYTES };

export interface SlackHttpServerOptions {
  readonly receiver: HTTPReceiver;
  /** Verifies each request before Bolt sees it. */
  readonly signingSecret: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** Wall-clock milliseconds for request timestamps (Slack signs with real time). */
  readonly wallClockMs: () => number;
  readonly log: (line: string) => void;
  /** Overrides of SLACK_HTTP_LIMITS (the configuration's, or a test's). */
  readonly limits?: Partial<HttpLimits>;
  /**
   * Offered each signed slash command (its form read as Bolt reads it) before Bolt: true when it
   * is taken — then it is answered through `ack`, the HTTP response — and false to hand it on.
   */
  readonly takeCommand?: (form: Readonly<Record<string, unknown>>, ack: HttpAck, request: IncomingMessage, response: ServerResponse) => boolean;
}

/** The acknowledgement of a request taken before Bolt: the HTTP response, as Bolt's `ack()` makes it; once only. */
export type HttpAck = (answer?: RespondArguments | string) => Promise<void>;

/** `ack` for `response`, writing what Bolt's acknowledgement writes (HTTPModuleFunctions.buildContentResponse). */
export function httpAck(response: ServerResponse): HttpAck {
  let acked = false;
  return async (answer) => {
    if (acked) throw new Error('this request was acknowledged already');
    acked = true;
    if (!answer) response.writeHead(200).end();
    else if (typeof answer === 'string') response.writeHead(200).end(answer);
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  };
}

export interface SlackHttpServer {
  readonly server: Server;
  /** Where Slack's requests are received, e.g. `http://0.0.0.0:3000/slack/events`. */
  readonly url: string;
  /** Bytes of unverified bodies held now and at most (for the benchmark and tests). */
  readonly budget: PendingBodyBudget;
}

interface Guard {
  readonly options: SlackHttpServerOptions;
  readonly limits: HttpLimits;
  readonly budget: PendingBodyBudget;
  readonly refusals: RefusalLog;
}

export async function startSlackHttpServer(options: SlackHttpServerOptions): Promise<SlackHttpServer> {
  if (!options.signingSecret) throw new Error('HTTP mode needs the signing secret (slack.signingSecret)');
  const limits = httpLimits(SLACK_HTTP_LIMITS, options.limits);
  const guard: Guard = { options, limits, budget: new PendingBodyBudget(limits), refusals: new RefusalLog(EVENTS_PATH, options.log) };
  const server = createGuardedServer(limits, (request, response) => {
    onRequest(guard, request, response).catch((error: unknown) => {
      options.log(`unexpected error while receiving a Slack request: ${error instanceof Error ? error.message : String(error)}`);
      refuse(response, 'aborted');
    });
  });
  server.once('close', () => guard.refusals.flush());
  await listenGuarded(server, limits, options.port, options.host);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}${EVENTS_PATH}`, budget: guard.budget };
}

async function onRequest(guard: Guard, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method === 'GET' && path === HEALTH_PATH) {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (path !== EVENTS_PATH) {
    response.writeHead(404, { connection: 'close', 'content-length': 0 }).end();
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(405, { allow: 'POST', connection: 'close', 'content-length': 0 }).end();
    return;
  }
  const { options, limits, budget, refusals } = guard;
  const headers = checkSignatureHeaders(request, options.wallClockMs());
  if (headers.kind === 'refused') {
    refusals.note(`unsigned (${headers.why})`);
    return refuse(response, 'unsigned');
  }
  if (headers.kind === 'unsigned') {
    // Only Slack's ssl_check comes unsigned: a short form; anything else is refused unread.
    if (!mayBeSslCheck(request)) {
      refusals.note('unsigned (no signature headers)');
      return refuse(response, 'unsigned');
    }
    const read = await readGuardedBody(request, { maxBytes: SSL_CHECK_MAX_BYTES, budget, deadlineMs: limits.bodyTimeoutMs });
    if (read.ok && isSslCheck(read.body)) {
      // Answered and nothing else: whatever else the form holds is never looked at.
      response.writeHead(200, { 'content-length': 0 }).end();
      return;
    }
    refusals.note('unsigned (not an ssl_check)');
    return refuse(response, read.ok ? 'unsigned' : read.refusal);
  }
  const read = await readGuardedBody(request, { maxBytes: limits.maxBodyBytes, budget, deadlineMs: limits.bodyTimeoutMs });
  if (!read.ok) {
    refusals.note(read.refusal);
    return refuse(response, read.refusal);
  }
  if (!isSignedBody(options.signingSecret, headers.headers, read.body)) {
    refusals.note('unsigned (signature mismatch)');
    return refuse(response, 'unsigned');
  }
  // A slash command — most of what arrives — may be taken here: Bolt's per-request machinery
  // (its acknowledgement object and timer, the context, say and respond, the middleware chain)
  // is then not built for it. Its form is read as Bolt would read it.
  if (options.takeCommand && request.headers['content-type'] === 'application/x-www-form-urlencoded') {
    const form = parseForm(read.body.toString());
    if (typeof form['payload'] !== 'string' && typeof form['command'] === 'string' && options.takeCommand(form, httpAck(response), request, response)) return;
  }
  // Bolt reads `rawBody` when it is there instead of the stream (bufferIncomingMessage), and
  // checks the signature again, which costs one HMAC.
  Object.assign(request, { rawBody: read.body });
  options.receiver.requestListener(request, response);
}
