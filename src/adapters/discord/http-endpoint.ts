/**
 * The HTTP interactions endpoint (`POST /discord/interactions`, node:http), for running
 * several replicas behind a load balancer: Discord posts each interaction to the URL set as
 * Interactions Endpoint URL, and the initial response is the HTTP response.
 *
 * Every request is verified (Ed25519) before anything is read from it: 401 when the
 * signature is missing, wrong or more than five minutes old. A signed request seen before
 * (the same interaction id) is a replay and gets 409, so a captured request cannot run a
 * command twice: not here, and not on another replica either, because interactions that can
 * act are claimed in the store before they run (a claim that cannot be made gets 503 and runs
 * nothing). `GET /healthz` answers 200 for the load balancer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIInteractionResponse } from 'discord.js';
import { LRUCache } from 'lru-cache';
import { interactionSchema } from './interaction-schema.js';
import type { DiscordInteractions } from './interactions.js';
import { INTERACTION_TOKEN_MS } from './limits.js';
import { publicKeyFromHex, verifyRequest } from './verify.js';

export const INTERACTIONS_PATH = '/discord/interactions';
const MAX_BODY_BYTES = 1024 * 1024;

export interface InteractionsEndpointOptions {
  readonly port: number;
  readonly host?: string;
  /** The application's public key, 64 hex characters. */
  readonly publicKey: string;
  readonly interactions: DiscordInteractions;
  /** Real time, for the signature's age. */
  readonly clock?: () => number;
  readonly onUnexpected?: (error: unknown) => void;
}

export interface InteractionsEndpoint {
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting requests and waits for the initial responses under way; the work after them
   * is the interaction handler's to drain (`DiscordInteractions.drain`, with a deadline).
   */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (response.headersSent) return resolve();
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text, () => resolve());
  });
}

export async function startInteractionsEndpoint(options: InteractionsEndpointOptions): Promise<InteractionsEndpoint> {
  const key = publicKeyFromHex(options.publicKey);
  const clock = options.clock ?? (() => Date.now());
  // Repeats to this process are refused without a query; the store's claim decides the rest.
  const seen = new LRUCache<string, true>({ max: 100_000, ttl: INTERACTION_TOKEN_MS });

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === '/healthz') return reply(response, 200, { ok: true });
    if (path !== INTERACTIONS_PATH && path !== '/') return reply(response, 404, { error: 'not found' });
    if (request.method !== 'POST') return reply(response, 405, { error: 'POST only' });
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      return reply(response, error instanceof BodyTooLarge ? 413 : 400, { error: 'unreadable body' });
    }
    const verdict = verifyRequest(key, header(request, 'x-signature-ed25519'), header(request, 'x-signature-timestamp'), body, clock());
    if (verdict !== 'valid') return reply(response, 401, { error: 'invalid request signature' });
    let parsed;
    try {
      parsed = interactionSchema.safeParse(JSON.parse(body.toString('utf8')));
    } catch {
      return reply(response, 400, { error: 'not JSON' });
    }
    if (!parsed.success) return reply(response, 400, { error: 'not an interaction' });
    const interaction = parsed.data;
    if (seen.has(interaction.id)) return reply(response, 409, { error: 'this interaction was already received' });
    seen.set(interaction.id, true);
    const take = await options.interactions.take(interaction);
    if (take === 'taken') return reply(response, 409, { error: 'this interaction was already received' });
    if (take === 'unavailable') {
      // Unknown whether another replica took it: run nothing, and let a retry ask again.
      seen.delete(interaction.id);
      return reply(response, 503, { error: 'the interaction could not be recorded; it was not run' });
    }
    await options.interactions.handle(interaction, (answer: APIInteractionResponse) => reply(response, 200, answer));
    // The handler always answers; if it could not, Discord must not wait for nothing.
    if (!response.headersSent) await reply(response, 500, { error: 'no answer' });
  };

  const server: Server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      options.onUnexpected?.(error);
      void reply(response, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}${INTERACTIONS_PATH}`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold the close open; requests under way finish.
      server.closeIdleConnections();
      await closed;
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
