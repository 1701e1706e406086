/**
 * The HTTP server in front of Bolt's request listener (HTTP mode): a health check for the load
 * balancer, and request timestamps checked both ways before Bolt verifies the signature.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HTTPReceiver } from '@slack/bolt';
import { SIGNATURE_MAX_AGE_S } from './limits.js';

/** Where Slack sends requests in HTTP mode (commands, interactivity and options alike). */
export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

export interface SlackHttpServerOptions {
  readonly receiver: HTTPReceiver;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** Wall-clock milliseconds for request timestamps (Slack signs with real time). */
  readonly wallClockMs: () => number;
  readonly log: (line: string) => void;
}

export interface SlackHttpServer {
  readonly server: Server;
  /** Where Slack's requests are received, e.g. `http://0.0.0.0:3000/slack/events`. */
  readonly url: string;
}

export async function startSlackHttpServer(options: SlackHttpServerOptions): Promise<SlackHttpServer> {
  const server = createServer((request, response) => onRequest(options, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}${EVENTS_PATH}` };
}

function onRequest(options: SlackHttpServerOptions, request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method === 'GET' && path === HEALTH_PATH) {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (request.method === 'POST' && path === EVENTS_PATH) {
    // Bolt refuses stale timestamps; one from the future is refused here too (a replay
    // prepared with a skewed clock). The signature itself is checked by Bolt.
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    const now = options.wallClockMs() / 1000;
    if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > SIGNATURE_MAX_AGE_S || typeof request.headers['x-slack-signature'] !== 'string') {
      options.log('refused a request to /slack/events: missing or stale signature headers');
      request.resume();
      response.writeHead(401).end();
      return;
    }
  }
  try {
    options.receiver.requestListener(request, response);
  } catch {
    // Bolt throws for paths it does not serve.
    request.resume();
    if (!response.headersSent) response.writeHead(404).end();
  }
}
