/**
 * The ops endpoints, on their own port so that they are never behind the chat platforms'
 * signature checks and never exposed through the chat load balancer by accident:
 *
 *   GET /metrics   Prometheus text format
 *   GET /healthz   200 while the process answers (liveness: restart it when this fails)
 *   GET /readyz    200 when every readiness check passes, else 503; JSON with each check
 *   POST /bk/job-done/<token>   a platform's callback at the end of a batch's execution (bot-driven
 *                  batches, src/batches): recorded for the batch the token names. Served only once an
 *                  inbox is set; the token is the callback's only credential and is never logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

/** Where callbacks go (src/batches `jobDoneInbox`): the token names the batch, the body the execution. */
export interface JobDoneReceiver {
  receive(token: string, body: unknown): Promise<'recorded' | 'unknown-token' | 'unreadable' | 'conflict'>;
}

export interface OpsServerOptions {
  readonly host: string;
  /** 0 = any free port (tests). */
  readonly port: number;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  /** Milliseconds since the epoch; for the uptime shown by /healthz. Default: the system clock. */
  readonly now?: () => number;
  /** Serves `POST /bk/job-done/<token>` (also settable later with `setJobDone`). */
  readonly jobDone?: JobDoneReceiver;
}

export interface OpsServer {
  /** e.g. http://127.0.0.1:9464 */
  readonly url: string;
  readonly port: number;
  /** Starts (or stops, with undefined) serving the platform's callbacks. */
  setJobDone(receiver: JobDoneReceiver | undefined): void;
  close(): Promise<void>;
}

const ENDPOINTS = ['/metrics', '/healthz', '/readyz'] as const;
const JOB_DONE_PREFIX = '/bk/job-done/';
/** A callback body is a few hundred bytes; anything much larger is not one. */
const MAX_CALLBACK_BYTES = 64 * 1024;

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_CALLBACK_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const RECEIPT_STATUS = { recorded: 200, 'unknown-token': 404, unreadable: 400, conflict: 409 } as const;

/** `POST /bk/job-done/<token>`: the answer the platform reads is the HTTP status (200 = taken). */
async function handleJobDone(receiver: JobDoneReceiver, token: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') {
    response.setHeader('allow', 'POST');
    sendJson(response, 405, { error: 'callbacks are POSTed' }, false);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
  } catch (error) {
    sendJson(response, error instanceof BodyTooLarge ? 413 : 400, { result: false, message: error instanceof BodyTooLarge ? 'body too large' : 'body is not JSON' }, false);
    return;
  }
  const receipt = await receiver.receive(token, body);
  sendJson(response, RECEIPT_STATUS[receipt], { result: receipt === 'recorded', message: receipt }, false);
}

function send(response: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  response.end(head ? undefined : body);
}

function sendJson(response: ServerResponse, status: number, value: unknown, head: boolean): void {
  send(response, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, head);
}

export function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const now = options.now ?? Date.now;
  const startedAt = now();

  let jobDone = options.jobDone;
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://ops').pathname;
    if (path.startsWith(JOB_DONE_PREFIX)) {
      const token = path.slice(JOB_DONE_PREFIX.length);
      // Never echoed: the token is the callback's credential.
      if (!jobDone || token === '' || token.includes('/')) sendJson(response, 404, { error: 'no such callback' }, false);
      else await handleJobDone(jobDone, token, request, response);
      return;
    }
    if (!(ENDPOINTS as readonly string[]).includes(path)) {
      sendJson(response, 404, { error: `no such endpoint: ${path.slice(0, 100)}`, endpoints: ENDPOINTS }, false);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      sendJson(response, 405, { error: `${path} answers GET and HEAD only` }, false);
      return;
    }
    const head = request.method === 'HEAD';
    if (path === '/healthz') {
      sendJson(response, 200, { status: 'ok', uptimeSeconds: Math.round((now() - startedAt) / 1000) }, head);
    } else if (path === '/readyz') {
      const report = await options.readiness.report();
      sendJson(response, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks }, head);
    } else {
      const { contentType, body } = await options.metrics.exposition();
      send(response, 200, contentType, body, head);
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' }, false);
      else response.destroy();
    });
  });
  // A scraper that stalls must not hold sockets open for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      const { port } = server.address() as AddressInfo;
      const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${shownHost}:${port}`,
        port,
        setJobDone: (receiver) => {
          jobDone = receiver;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
