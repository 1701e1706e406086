/**
 * What keeps the chat platforms' HTTP endpoints (Slack's Request URL, Discord's interactions
 * endpoint) bounded under hostile load: anyone on the internet can open connections to them,
 * and nothing about a request can be trusted until its signature is checked, which needs the
 * whole body. So, before a single body byte is read:
 *
 * - the signature headers are checked for shape and freshness by the endpoint (401 at once);
 * - a declared `content-length` over the endpoint's cap is refused (413 at once);
 *
 * and while the body is read:
 *
 * - a body crossing the cap is refused with 413 (never a reset);
 * - every byte held for a body not verified yet is charged to a budget shared by all the
 *   server's connections; a full budget answers 503 with Retry-After, so memory stays bounded
 *   whatever the sender forges;
 * - a share of that budget is kept for small bodies (declared at most SMALL_BODY_BYTES: commands,
 *   PINGs, most clicks), so forged bodies near the cap can never starve them, and one source
 *   address may hold at most a quarter of each part (but always one body of the largest size);
 * - the body must arrive within a short deadline of its headers (408): Slack and Discord send it
 *   in one burst right after them, so a sender holding back its last byte is cut off in ~2 s
 *   instead of pinning its bytes for the whole request timeout. The headers have Node's own
 *   timeout.
 *
 * The server itself gets header, request and keep-alive timeouts of at most 10 s, a cap on
 * concurrent connections and one per source address. Every refusal closes the connection.
 *
 * Behind a reverse proxy every request comes from the proxy's address; the per-address limits
 * are off when maxConnectionsPerAddress is at least maxConnections (per-client limits then
 * belong to the proxy).
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { HTTP_LIMIT_DEFAULTS } from '../config/sections/http-limits.js';

/** Node's own default request timeout is 300 s; nothing here waits longer than this. */
export const MAX_HTTP_TIMEOUT_MS = 10_000;

export interface HttpLimits {
  /** Largest body accepted; a larger one gets 413. */
  readonly maxBodyBytes: number;
  /** Bytes of not-yet-verified bodies held at once, across every connection; beyond it, 503. */
  readonly pendingBodyBytes: number;
  /** Concurrent connections; Node closes any beyond it at once. */
  readonly maxConnections: number;
  /**
   * Concurrent connections from one source address; more are closed at once. At
   * `maxConnections` or above, no per-address limit applies (connections or budget bytes).
   */
  readonly maxConnectionsPerAddress: number;
  /** Until the request's headers are complete (Node: 408 and close). */
  readonly headersTimeoutMs: number;
  /** Until the whole request (headers and body) is in (Node: 408 and close). */
  readonly requestTimeoutMs: number;
  /** From the headers until the whole body is in (408 and close); at most requestTimeoutMs. */
  readonly bodyTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
}

/**
 * Safe for any endpoint; each endpoint sets its own `maxBodyBytes` from the payloads its
 * platform really sends. 2,048 connections leave room for signed requests while a thousand
 * hostile ones are open; 8 MiB of pending bodies hold hundreds of real requests (a few KB each)
 * in flight at once.
 */
export const DEFAULT_HTTP_LIMITS: Omit<HttpLimits, 'maxBodyBytes'> = {
  pendingBodyBytes: HTTP_LIMIT_DEFAULTS.pendingBodyBytes,
  maxConnections: HTTP_LIMIT_DEFAULTS.maxConnections,
  maxConnectionsPerAddress: HTTP_LIMIT_DEFAULTS.maxConnectionsPerAddress,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: MAX_HTTP_TIMEOUT_MS,
  bodyTimeoutMs: HTTP_LIMIT_DEFAULTS.bodyTimeoutMs,
  keepAliveTimeoutMs: 5_000,
};

/** The limits in force: the endpoint's defaults, then the operator's and a test's overrides. */
export function httpLimits(defaults: HttpLimits, overrides: Partial<HttpLimits> = {}): HttpLimits {
  const given = stripUndefined(overrides);
  const limits = { ...defaults, ...given };
  // A default must not contradict a lower limit set by the operator or a test; an explicit one is checked below.
  if (given.bodyTimeoutMs === undefined) limits.bodyTimeoutMs = Math.min(limits.bodyTimeoutMs, limits.requestTimeoutMs);
  if (given.maxConnectionsPerAddress === undefined) limits.maxConnectionsPerAddress = Math.min(limits.maxConnectionsPerAddress, limits.maxConnections);
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`HTTP limit ${name} must be a whole number above 0 (got ${String(value)})`);
  }
  for (const name of ['headersTimeoutMs', 'requestTimeoutMs', 'bodyTimeoutMs', 'keepAliveTimeoutMs'] as const) {
    if (limits[name] > MAX_HTTP_TIMEOUT_MS) throw new RangeError(`HTTP limit ${name} must be at most ${MAX_HTTP_TIMEOUT_MS} ms (got ${limits[name]})`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) throw new RangeError('HTTP limit headersTimeoutMs must not exceed requestTimeoutMs');
  if (limits.bodyTimeoutMs > limits.requestTimeoutMs) throw new RangeError('HTTP limit bodyTimeoutMs must not exceed requestTimeoutMs');
  return limits;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A body declared at most this long is "small": real Slack commands and events, Discord PINGs
 * and most component clicks are a few KB. A share of the budget is kept for such bodies.
 */
export const SMALL_BODY_BYTES = 64 * 1024;

/** One source address may hold at most this fraction of each part of the budget. */
export const ADDRESS_BUDGET_FRACTION = 1 / 4;

/** The size of a body as declared before it is read: small ones draw on the reserved share. */
export type BodyClass = 'small' | 'large';

/**
 * Who a connection counts against for the per-address limits: its IPv4 address, or the /64 of
 * its IPv6 address (one IPv6 host is commonly given a whole /64, so counting single addresses
 * would let it open as many "senders" as it likes).
 */
export function sourceKey(remoteAddress: string | undefined): string {
  if (!remoteAddress) return '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  if (mapped) return mapped[1]!;
  if (!remoteAddress.includes(':')) return remoteAddress;
  const [head = '', tail] = remoteAddress.split('%')[0]!.toLowerCase().split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** What a budget needs to know about the endpoint's limits. */
export type BudgetLimits = Pick<HttpLimits, 'pendingBodyBytes' | 'maxBodyBytes' | 'maxConnections' | 'maxConnectionsPerAddress'>;

/**
 * Bytes held for bodies whose signature is not checked yet, shared by a server's connections.
 *
 * - In all, at most `capacity`.
 * - Large bodies (declared over SMALL_BODY_BYTES, or chunked) at most `capacity` less a
 *   quarter kept for small ones (less if that would leave no room for one largest body).
 * - When per-address limits are on, one address at most a quarter of what its class may use,
 *   but always room for one body of the largest size.
 */
export class PendingBodyBudget {
  readonly capacity: number;
  /** What large bodies may hold together. */
  readonly largeCapacity: number;
  /** What one address may hold per class; Infinity when per-address limits are off. */
  readonly addressShare: Readonly<Record<BodyClass, number>>;
  #used = 0;
  #large = 0;
  #peak = 0;
  readonly #byAddress = new Map<string, { small: number; large: number }>();

  constructor(limits: BudgetLimits) {
    this.capacity = limits.pendingBodyBytes;
    const reserved = Math.max(0, Math.min(Math.floor(this.capacity / 4), this.capacity - limits.maxBodyBytes));
    this.largeCapacity = this.capacity - reserved;
    const perAddress = limits.maxConnectionsPerAddress < limits.maxConnections;
    const share = (of: number, largest: number) => (perAddress ? Math.min(of, Math.max(Math.floor(of * ADDRESS_BUDGET_FRACTION), largest)) : Number.POSITIVE_INFINITY);
    this.addressShare = {
      small: share(this.capacity, Math.min(limits.maxBodyBytes, SMALL_BODY_BYTES)),
      large: share(this.largeCapacity, limits.maxBodyBytes),
    };
  }

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /** The most ever held at once. */
  get peak(): number {
    return this.#peak;
  }

  /** Bytes held now for large bodies. */
  get largeUsed(): number {
    return this.#large;
  }

  /** Bytes held now for bodies from `address`. */
  usedBy(address: string): number {
    const held = this.#byAddress.get(address);
    return held ? held.small + held.large : 0;
  }

  /** Takes `bytes` for a body of `kind` from `address` if they fit; false (nothing taken) when they do not. */
  take(bytes: number, kind: BodyClass = 'small', address = ''): boolean {
    if (this.#used + bytes > this.capacity) return false;
    if (kind === 'large' && this.#large + bytes > this.largeCapacity) return false;
    const held = this.#byAddress.get(address) ?? { small: 0, large: 0 };
    if (held[kind] + bytes > this.addressShare[kind]) return false;
    held[kind] += bytes;
    this.#byAddress.set(address, held);
    this.#used += bytes;
    if (kind === 'large') this.#large += bytes;
    this.#peak = Math.max(this.#peak, this.#used);
    return true;
  }

  give(bytes: number, kind: BodyClass = 'small', address = ''): void {
    this.#used = Math.max(0, this.#used - bytes);
    if (kind === 'large') this.#large = Math.max(0, this.#large - bytes);
    const held = this.#byAddress.get(address);
    if (!held) return;
    held[kind] = Math.max(0, held[kind] - bytes);
    if (held.small === 0 && held.large === 0) this.#byAddress.delete(address);
  }
}

/** Why a request was refused before its handler saw it; each maps to one HTTP status. */
export type Refusal = 'unsigned' | 'too-large' | 'budget-full' | 'too-slow' | 'aborted';

export const REFUSAL_STATUS: Readonly<Record<Exclude<Refusal, 'aborted'>, number>> = {
  unsigned: 401,
  'too-large': 413,
  'budget-full': 503,
  'too-slow': 408,
};

export type BodyRead = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly refusal: Refusal };

/** The declared body length: a number, undefined when absent (chunked), NaN when malformed. */
export function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined) return undefined;
  return /^\d{1,15}$/.test(header) ? Number(header) : Number.NaN;
}

/**
 * Reads the body, at most `maxBytes`, charging every byte to `budget` (as a small or large body
 * of the sender's address) while it is read. A declared length over the cap is refused without
 * reading anything. The body must be complete within `deadlineMs` of the call, which is made
 * as soon as the headers are in (the endpoints pass the limits' bodyTimeoutMs).
 */
export function readGuardedBody(
  request: IncomingMessage,
  options: { readonly maxBytes: number; readonly budget: PendingBodyBudget; readonly deadlineMs: number },
): Promise<BodyRead> {
  const declared = declaredLength(request);
  if (declared !== undefined && !(declared <= options.maxBytes)) return Promise.resolve({ ok: false, refusal: 'too-large' });
  const kind: BodyClass = declared !== undefined && declared <= SMALL_BODY_BYTES ? 'small' : 'large';
  const address = sourceKey(request.socket.remoteAddress);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAbort);
      request.off('close', onClose);
      // The bytes were charged as they came; the caller holds the body only until it is verified,
      // which happens synchronously after this, so they are given back now.
      options.budget.give(size, kind, address);
      if (!result.ok) {
        // Nothing more is read from a refused request; the refusal closes the connection.
        request.pause();
        chunks.length = 0;
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > options.maxBytes) return finish({ ok: false, refusal: 'too-large' });
      if (!options.budget.take(chunk.length, kind, address)) return finish({ ok: false, refusal: 'budget-full' });
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    const onAbort = () => finish({ ok: false, refusal: 'aborted' });
    const onClose = () => {
      if (!request.complete) onAbort();
    };
    const timer = setTimeout(() => finish({ ok: false, refusal: 'too-slow' }), options.deadlineMs);
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onAbort);
    request.on('close', onClose);
  });
}

/**
 * Answers a refused request and closes its connection once the answer is written, without
 * reading what is left of its body (`connection: close` makes Node end the socket).
 */
export function refuse(response: ServerResponse, refusal: Refusal, body?: { readonly contentType: string; readonly text: string }): void {
  if (refusal === 'aborted' || response.headersSent) {
    response.destroy();
    return;
  }
  const headers: Record<string, string | number> = { connection: 'close' };
  // Either clears within seconds: the budget as bodies are verified, a slow sender's turn.
  if (refusal === 'budget-full' || refusal === 'too-slow') headers['retry-after'] = 1;
  if (body) {
    headers['content-type'] = body.contentType;
    headers['content-length'] = Buffer.byteLength(body.text);
  } else {
    headers['content-length'] = 0;
  }
  response.writeHead(REFUSAL_STATUS[refusal], headers);
  response.end(body?.text);
}

/**
 * A node:http server with the limits' timeouts and connection cap. Node checks its request and
 * header timeouts on an interval (30 s by default), which would let a slow sender overstay them
 * by up to that much; the interval here is a fraction of the shortest timeout.
 */
export function createGuardedServer(limits: HttpLimits, listener: RequestListener): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  if (limits.maxConnectionsPerAddress < limits.maxConnections) capConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
  // A request's socket may idle no longer than the request may take (Node's default is none).
  server.timeout = limits.requestTimeoutMs + limits.keepAliveTimeoutMs;
  return server;
}

/**
 * Closes at once a connection from an address that already has `cap` open, as Node does beyond
 * maxConnections, so one sender cannot take every connection and push signed requests out.
 */
function capConnectionsPerAddress(server: Server, cap: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = sourceKey(socket.remoteAddress);
    const count = open.get(address) ?? 0;
    if (count >= cap) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/**
 * Starts listening with a backlog as deep as the connection cap (the kernel caps it at
 * net.core.somaxconn): with Node's 511, a burst of hostile connects overflows the queue, and
 * the kernel then drops SYNs, signed requests' included, which the sender retries only after
 * 1 s, then 3 s.
 */
export function listenGuarded(server: Server, limits: HttpLimits, port: number, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, ...(host ? { host } : {}), backlog: Math.max(511, limits.maxConnections) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Counts refusals and writes one summary line per interval at most, so that a flood of forged
 * requests shows in the log without flooding it.
 */
export class RefusalLog {
  readonly #counts = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly endpoint: string,
    private readonly log: (line: string) => void,
    private readonly intervalMs = 10_000,
  ) {}

  note(reason: string): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.intervalMs);
    this.#timer.unref();
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#counts.size === 0) return;
    const parts = [...this.#counts].map(([reason, count]) => `${count} ${reason}`);
    this.#counts.clear();
    this.log(`${this.endpoint}: refused ${parts.join(', ')}`);
  }
}
