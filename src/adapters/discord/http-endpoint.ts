/**
 * The HTTP interactions endpoint (`POST /discord/interactions`, node:http), for running
 * several replicas behind a load balancer: Discord posts each interaction to the URL set as
 * Interactions Endpoint URL, and the initial response is the HTTP response.
 *
 * Every request is verified (Ed25519) before it is acted on: 401 when the signature is missing,
 * wrong or more than five minutes old, decided from the headers alone before the body is read
 * whenever they already condemn it. Bodies are capped, read within a deadline and charged to a
 * budget of unverified bytes (../http-guard.ts): 413, 408 or 503 (Retry-After) beyond them. A signed request seen before
 * (the same interaction id) is a replay and gets 409, so a captured request cannot run a
 * command twice: not here, and not on another replica either, because interactions that can
 * act are claimed in the store before they run (a claim that cannot be made gets 503 and runs
 * nothing; a claim still undecided after 1.5 s is answered by a deferral, see
 * `DiscordInteractions.handleClaimed`). `GET /healthz` answers 200 for the load balancer.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIInteractionResponse } from 'discord.js';
import { LRUCache } from 'lru-cache';
import { HTTP_LIMIT_DEFAULTS } from '../../config/sections/http-limits.js';
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
  type Refusal,
} from '../http-guard.js';
import { interactionSchema } from './interaction-schema.js';
import type { DiscordInteractions } from './interactions.js';
import { INTERACTION_TOKEN_MS } from './limits.js';
import { MAX_SKEW_MS, publicKeyFromHex, verifyRequest } from './verify.js';
import { jsonOf } from './shared-renderings.js';

export const INTERACTIONS_PATH = '/discord/interactions';
/**
 * The largest body Discord sends us, with room to spare. A component interaction carries the
 * clicked message: content (2,000 characters), embeds (6,000 in all) and components (five
 * selects of 25 options of three 100-character texts, 37,500), which even at 6 bytes a
 * character as JSON escapes is under 300 KB; a modal submission holds at most five 4,000-character
 * inputs (120 KB). Commands and autocomplete are a few KB.
 */
export const DISCORD_MAX_BODY_BYTES: number = HTTP_LIMIT_DEFAULTS.discordMaxBodyBytes;

export const DISCORD_HTTP_LIMITS: HttpLimits = { ...DEFAULT_HTTP_LIMITS, maxBodyBytes: DISCORD_MAX_BODY_BYTES };

const SIGNATURE = /^[0-9a-fA-F]{128}$/;
const TIMESTAMP = /^\d{1,12}$/;

/** Why the signature headers alone already condemn the request, or undefined when they may be good. */
function headerProblem(request: IncomingMessage, nowMs: number): string | undefined {
  const signature = header(request, 'x-signature-ed25519');
  const timestamp = header(request, 'x-signature-timestamp');
  if (signature === undefined || timestamp === undefined) return 'no signature headers';
  if (!SIGNATURE.test(signature)) return 'x-signature-ed25519 is not 128 hex digits';
  if (!TIMESTAMP.test(timestamp) || Math.abs(nowMs - Number(timestamp) * 1000) > MAX_SKEW_MS) return 'stale or malformed x-signature-timestamp';
  return undefined;
}

const REFUSAL_BODIES: Readonly<Record<Exclude<Refusal, 'aborted'>, string>> = {
  unsigned: 'invalid request signature',
  'too-large': 'the body is larger than any interaction',
  'budget-full': 'too many requests are being received; retry shortly',
  'too-slow': 'the body did not arrive in time',
};

function refuseJson(response: ServerResponse, refusal: Refusal): void {
  refuse(response, refusal, refusal === 'aborted' ? undefined : { contentType: 'application/json', text: JSON.stringify({ error: REFUSAL_BODIES[refusal] }) });
}

export interface InteractionsEndpointOptions {
  readonly port: number;
  readonly host?: string;
  /** The application's public key, 64 hex characters. */
  readonly publicKey: string;
  readonly interactions: DiscordInteractions;
  /** Real time, for the signature's age. */
  readonly clock?: () => number;
  readonly onUnexpected?: (error: unknown) => void;
  /** One line per summary of refused requests (forged, oversize, too slow). */
  readonly log?: (line: string) => void;
  /** Overrides of DISCORD_HTTP_LIMITS (the configuration's, or a test's). */
  readonly limits?: Partial<HttpLimits>;
}

export interface InteractionsEndpoint {
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting requests and waits for the initial responses under way; the work after them
   * is the interaction handler's to drain (`DiscordInteractions.drain`, with a deadline).
   */
  close(): Promise<void>;
  /** Bytes of unverified bodies held now and at most (for the benchmark and tests). */
  readonly budget: PendingBodyBudget;
}


function reply(response: ServerResponse, status: number, body: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (response.headersSent) return resolve();
    const text = jsonOf(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text, () => resolve());
  });
}

export async function startInteractionsEndpoint(options: InteractionsEndpointOptions): Promise<InteractionsEndpoint> {
  const key = publicKeyFromHex(options.publicKey);
  const clock = options.clock ?? (() => Date.now());
  // Repeats to this process are refused without a query; the store's claim decides the rest.
  const seen = new LRUCache<string, true>({ max: 100_000, ttl: INTERACTION_TOKEN_MS });
  const limits = httpLimits(DISCORD_HTTP_LIMITS, options.limits);
  const budget = new PendingBodyBudget(limits);
  const refusals = new RefusalLog(INTERACTIONS_PATH, options.log ?? (() => undefined));

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const arrivedAt = performance.now();
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === '/healthz') return reply(response, 200, { ok: true });
    if (path !== INTERACTIONS_PATH && path !== '/') return reply(response, 404, { error: 'not found' });
    if (request.method !== 'POST') return reply(response, 405, { error: 'POST only' });
    const problem = headerProblem(request, clock());
    if (problem) {
      // Refused before a byte of the body is read; the connection closes.
      refusals.note(`unsigned (${problem})`);
      return refuseJson(response, 'unsigned');
    }
    const read = await readGuardedBody(request, { maxBytes: limits.maxBodyBytes, budget, deadlineMs: limits.bodyTimeoutMs });
    if (!read.ok) {
      refusals.note(read.refusal);
      return refuseJson(response, read.refusal);
    }
    const body = read.body;
    const verdict = verifyRequest(key, header(request, 'x-signature-ed25519'), header(request, 'x-signature-timestamp'), body, clock());
    if (verdict !== 'valid') {
      refusals.note(`unsigned (${verdict})`);
      return refuseJson(response, 'unsigned');
    }
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
    // The claim is decided within Discord's deadline or the interaction is deferred first (a slow
    // store must not cost the initial response); a late refusal edits the deferral instead.
    const refuse = async (take: 'taken' | 'unavailable'): Promise<void> => {
      if (take === 'taken') return reply(response, 409, { error: 'this interaction was already received' });
      // Unknown whether another replica took it: run nothing, and let a retry ask again.
      seen.delete(interaction.id);
      return reply(response, 503, { error: 'the interaction could not be recorded; it was not run' });
    };
    await options.interactions.handleClaimed(interaction, (answer: APIInteractionResponse) => reply(response, 200, answer), refuse, arrivedAt);
    // The handler always answers; if it could not, Discord must not wait for nothing.
    if (!response.headersSent) await reply(response, 500, { error: 'no answer' });
  };

  const server: Server = createGuardedServer(limits, (request, response) => {
    serve(request, response).catch((error: unknown) => {
      options.onUnexpected?.(error);
      void reply(response, 500, { error: 'internal error' });
    });
  });
  server.once('close', () => refusals.flush());
  await listenGuarded(server, limits, options.port, options.host ?? '0.0.0.0');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}${INTERACTIONS_PATH}`,
    port,
    budget,
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
