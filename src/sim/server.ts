/**
 * The COC simulator: a real HTTP server speaking COC's paths, envelopes, errors and AK/SK /
 * token authentication, backed by a seeded, deterministic world. It is the embedded COC of
 * `npm start` and the peer of the tests.
 *
 * Per request: assign X-Request-Id → admin routes (`/__sim/…`) → read body → match route →
 * record the request → injected fault, if any → authenticate → validate → handle.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin.js';
import { Authenticator } from './auth.js';
import { SimClock, DAY_MS, type NowFn } from './clock.js';
import {
  SIM_DEFAULT_AK,
  SIM_DEFAULT_CREDENTIALS,
  SIM_DEFAULT_IAM_PASSWORD,
  SIM_DEFAULT_IAM_USERS,
  SIM_DEFAULT_INTEGRATION_KEY,
  SIM_DEFAULT_SEED,
  SIM_DEFAULT_SK,
  SIM_DOMAIN_NAME,
  userIdFor,
  type SimCredential,
  type SimUserSpec,
} from './defaults.js';
import { FaultRegistry, type Fault } from './faults.js';
import { dispatch } from './dispatch.js';
import { respondWithFault } from './fault-responses.js';
import { errorBody } from './http/envelopes.js';
import { ErrorCodes } from './http/error-codes.js';
import { BodyTooLarge, flattenHeaders, parseJsonBody, readBody, sendJson } from './http/io.js';
import { QueryMap } from './http/types.js';
import { RECORDED_HEADERS, RequestLog, type RequestRecord } from './request-log.js';
import { ROUTE_KEYS, Router } from './router.js';
import type { OrderStatus } from './state/model.js';
import { World } from './state/world.js';
import { openWorld, WorldSaver, type WorldOrigin } from './world-store.js';

export {
  SIM_DEFAULT_AK,
  SIM_DEFAULT_SK,
  SIM_DEFAULT_IAM_USERS,
  SIM_DEFAULT_IAM_PASSWORD,
  SIM_DOMAIN_NAME,
  SIM_DEFAULT_INTEGRATION_KEY,
  SIM_DEFAULT_SEED,
  ROUTE_KEYS,
  userIdFor,
};
export type { Fault, RequestRecord, SimCredential, SimUserSpec, WorldOrigin };

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** World seed, default 42. */
  readonly seed?: number;
  /** Advance orders automatically every `tickMs`; 0/undefined = only `tick()` moves them. */
  readonly tickMs?: number;
  /** Base clock (epoch ms); `advanceClock` adds to it. Default `Date.now`. */
  readonly now?: NowFn;
  /** AK/SK pairs accepted; default one demo pair (SIM_DEFAULT_AK / SIM_DEFAULT_SK). */
  readonly credentials?: readonly SimCredential[];
  /** IAM users for password tokens and as incident assignees; default SIM_DEFAULT_IAM_USERS. */
  readonly iamUsers?: readonly SimUserSpec[];
  /** Integration keys the custom-event API accepts; default [SIM_DEFAULT_INTEGRATION_KEY]. */
  readonly integrationKeys?: readonly string[];
  /** Largest accepted difference between X-Sdk-Date and simulator time; default 15 minutes. */
  readonly maxSkewMs?: number;
  /** IAM token lifetime; default 24 hours. */
  readonly tokenTtlMs?: number;
  /** Requests kept in the log ring; default 10,000. */
  readonly requestLogCapacity?: number;
  /**
   * A file the world is kept in (`npm start`'s embedded simulator): restored from it at start
   * when it holds a world of the same seed, written after changes and on close. Unset (tests,
   * `npm run sim`): the world lives in memory only.
   */
  readonly worldFile?: string;
  /** Spacing of the file's writes while the world changes; default 1 s. */
  readonly worldSaveDebounceMs?: number;
}

export interface Simulator {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The live simulated tenant (hosts, scripts, orders, incidents, alarms…), for assertions. */
  readonly world: World;
  /** With `worldFile`: whether the world was restored from it or is fresh, and why. */
  readonly origin: WorldOrigin | undefined;
  /** With `worldFile`: writes the world now, changes made to `world` directly included (close writes what requests and ticks changed). */
  saveWorld(): void;
  readonly faults: FaultRegistry;
  /** Recorded requests, oldest first (at most the log capacity). */
  readonly requests: readonly RequestRecord[];
  countRequests(routeKey: string): number;
  resetRequests(): void;
  /** Advance every active order `count` steps (default 1). */
  tick(count?: number): void;
  /** Tick until the order is no longer READY/PROCESSING (or `maxTicks` ran out); returns its status. */
  settle(executeUuid: string, maxTicks?: number): OrderStatus;
  /** Simulator time (epoch ms). */
  now(): number;
  advanceClock(ms: number): void;
  /**
   * Calls `listener` for each request the simulator holds in a hang or hang-body fault, once it
   * holds it: a test can end exactly that request's wait (see CocHttpOptions.expiry) instead of
   * waiting a real timeout out. Returns the function that stops the calls.
   */
  onHang(listener: (record: RequestRecord) => void): () => void;
  /** Lets every request held by a `held` fault go on to its normal answer; returns how many there were. */
  releaseHeld(): number;
  /** An IAM token for a user without the password round trip. */
  issueToken(userName: string): string;
  close(): Promise<void>;
}

const DEFAULT_MAX_SKEW_MS = 15 * 60_000;

function describeAuth(headers: Readonly<Record<string, string>>): RequestRecord['auth'] {
  if (headers['x-auth-token'] !== undefined) return { kind: 'token' };
  const authorization = headers['authorization'];
  if (authorization === undefined) return { kind: 'none' };
  return { kind: 'aksk', access: /Access=([^,\s]+)/.exec(authorization)?.[1] };
}

function recordedHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RECORDED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Bodies are recorded without passwords: the IAM token request carries one. */
function redactForLog(body: unknown): unknown {
  if (body === null || typeof body !== 'object') return body;
  if (Array.isArray(body)) return body.map(redactForLog);
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, key === 'password' && typeof value === 'string' ? '******' : redactForLog(value)]));
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = new SimClock(options.now ?? Date.now);
  const build = () =>
    new World({
      seed: options.seed ?? SIM_DEFAULT_SEED,
      clock,
      users: options.iamUsers ?? SIM_DEFAULT_IAM_USERS,
      integrationKeys: options.integrationKeys ?? [SIM_DEFAULT_INTEGRATION_KEY],
      tokenTtlMs: options.tokenTtlMs ?? DAY_MS,
    });
  const opened = options.worldFile !== undefined ? openWorld(build(), options.worldFile, build) : { world: build(), origin: undefined };
  const { world, origin } = opened;
  const saver = options.worldFile !== undefined && !(origin?.kind === 'fresh' && origin.inMemoryOnly) ? new WorldSaver(world, options.worldFile, options.worldSaveDebounceMs) : undefined;
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const authenticator = new Authenticator(options.credentials ?? SIM_DEFAULT_CREDENTIALS, world, clock, maxSkewMs);
  const router = new Router();
  const faults = new FaultRegistry(new Set(ROUTE_KEYS));
  const log = new RequestLog(options.requestLogCapacity ?? 10_000);
  const pendingTimers = new Set<NodeJS.Timeout>();
  const hangListeners = new Set<(record: RequestRecord) => void>();
  const hung = (record: RequestRecord): void => {
    for (const listener of [...hangListeners]) listener(record);
  };
  const heldRequests: (() => void)[] = [];
  const hold = (): Promise<void> => new Promise((resolve) => heldRequests.push(resolve));
  const releaseHeld = (): number => {
    const releasing = heldRequests.splice(0);
    for (const release of releasing) release();
    return releasing.length;
  };
  let closed = false;

  const tick = (count = 1): void => {
    for (let i = 0; i < count; i++) {
      if (world.orders.activeCount() > 0) saver?.changed();
      world.orders.tick();
      world.resourceSync.tick();
    }
  };

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = world.ids.requestId();
    response.setHeader('X-Request-Id', requestId);
    const method = (request.method ?? 'GET').toUpperCase();
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, 'http://simulator.invalid');
    let raw: Buffer;
    try {
      raw = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLarge) sendJson(response, 413, errorBody('coc', 413, ErrorCodes.APIG_TOO_LARGE, error.message), { Connection: 'close' });
      else response.destroy();
      return;
    }
    if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
      const result = handleAdmin(
        { world, faults, log, tick, advanceClock: (ms) => clock.advance(ms) },
        method,
        url,
        raw,
      );
      if (method !== 'GET') saver?.changed();
      sendJson(response, result.status, result.body, result.headers);
      return;
    }
    const headers = flattenHeaders(request);
    const match = router.match(method, url.pathname);
    const parsed = parseJsonBody(raw);
    const record = log.record({
      at: clock.now(),
      requestId,
      method,
      path: url.pathname,
      routeKey: match?.key,
      query: new QueryMap(url.searchParams).toRecord(),
      body: parsed.kind === 'json' ? redactForLog(parsed.value) : parsed.kind === 'invalid' ? parsed.text : undefined,
      headers: recordedHeaders(headers),
      auth: describeAuth(headers),
    });
    const run = () => dispatch(world, authenticator, { method, rawUrl, url, headers, raw, match });
    const fault = faults.take(match?.key);
    if (fault) {
      record.fault = fault.kind;
      await respondWithFault({ fault, record, request, response, family: match?.route.family, run, delay, isClosed: () => closed, hold, hung });
      if (method !== 'GET') saver?.changed();
      return;
    }
    const result = run();
    record.status = result.status;
    // Reads change nothing worth keeping; anything else may have (a failed write costs one spare save).
    if (method !== 'GET') saver?.changed();
    sendJson(response, result.status, result.body, result.headers);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendJson(response, 500, { error_code: ErrorCodes.JOB_INTERNAL, error_msg: `Internal server error: ${error instanceof Error ? error.message : String(error)}` });
    });
  });

  // Like COC's API gateway, keep idle connections for a minute. With Node's 5 s default, a
  // client that reuses a connection just as the server drops it sees a reset on a write it
  // never sent — and a write is never retried, so a user would be told the outcome is unknown.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const interval = options.tickMs && options.tickMs > 0 ? setInterval(() => tick(1), options.tickMs) : undefined;
  interval?.unref();

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    world,
    origin,
    saveWorld: () => saver?.flush(true),
    faults,
    get requests() {
      return log.entries();
    },
    countRequests: (routeKey) => log.count(routeKey),
    resetRequests: () => log.reset(),
    tick,
    settle(executeUuid, maxTicks = 1_000) {
      const order = world.orders.get(executeUuid);
      if (!order) throw new Error(`no order ${executeUuid}`);
      for (let i = 0; i < maxTicks && (order.status === 'READY' || order.status === 'PROCESSING'); i++) tick(1);
      return order.status;
    },
    now: () => clock.now(),
    advanceClock: (ms) => clock.advance(ms),
    onHang(listener) {
      hangListeners.add(listener);
      return () => hangListeners.delete(listener);
    },
    releaseHeld,
    issueToken(userName) {
      const user = world.iam.userByName(userName);
      if (!user) throw new Error(`no IAM user ${userName}`);
      return world.iam.issue(user, world.regions[0]).token;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (interval) clearInterval(interval);
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      releaseHeld();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      saver?.flush();
    },
  };
}
