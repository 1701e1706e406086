/**
 * The BlueKing simulator: a real HTTP server speaking the community edition 5.1 ESB
 * (`/api/c/compapi/v2/<system>/<component>/`), its envelope and app/user authentication,
 * backed by a seeded, deterministic world (CMDB, GSE, Job, SOPS, ITSM, monitor, CMSI, bk_login).
 *
 * Per request: request id (random, so unique across restarts) → admin routes (`/__sim/…`) →
 * read body → record the request (secrets redacted) → injected fault, if any → ESB dispatch.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimClock, type NowFn } from '../clock.js';
import { FaultRegistry, type Fault } from '../faults.js';
import { BodyTooLarge, readBody, sendJson } from '../http/io.js';
import { RequestLog, type RequestRecord } from '../request-log.js';
import { handleBkAdmin } from './admin.js';
import { CallbackSender } from './callbacks.js';
import { COMPONENT_KEYS, componentKeyOf } from './components/index.js';
import { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, BK_SIM_BIZ_ID, BK_SIM_SEED, BK_SIM_USERS } from './defaults.js';
import { dispatchEsb, failure, readParams } from './esb.js';
import { EsbCodes, EsbError } from './errors.js';
import { respondWithEsbFault } from './fault-responses.js';
import type { BkJob } from './state/jobs.js';
import { BkWorld } from './state/world.js';

export { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, BK_SIM_BIZ_ID, BK_SIM_SEED, BK_SIM_USERS, COMPONENT_KEYS };
export type { BkJob, Fault, RequestRecord };
export { BkWorld };

export interface BluekingSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** World seed, default BK_SIM_SEED. */
  readonly seed?: number;
  /** Base clock (epoch ms); default Date.now. A fake clock makes every timestamp predictable. */
  readonly now?: NowFn;
  /** Advance jobs and tasks every `tickMs`; 0/undefined = only `tick()` moves them. */
  readonly tickMs?: number;
  readonly appCode?: string;
  readonly appSecret?: string;
  /** People bk_login knows; default BK_SIM_USERS. */
  readonly users?: readonly string[];
  /** One callback attempt's time limit; default 10 s. */
  readonly callbackTimeoutMs?: number;
  /** Where callback failures are reported; default: written to stderr. */
  readonly onCallbackFailure?: (job: BkJob, message: string) => void;
  /** Requests kept in the log ring; default 10,000. */
  readonly requestLogCapacity?: number;
}

export interface BluekingSimulator {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly world: BkWorld;
  /** Faults per component key (`job/fast_execute_script`) or `*`. */
  readonly faults: FaultRegistry;
  /** Recorded requests, oldest first; `routeKey` is the component key. Secrets are redacted. */
  readonly requests: readonly RequestRecord[];
  countRequests(componentKey: string): number;
  resetRequests(): void;
  /** Advance every job and SOPS task `count` steps (default 1); ended jobs' callbacks start. */
  tick(count?: number): void;
  /** Resolves when every callback under way has been delivered or given up. */
  settleCallbacks(): Promise<void>;
  now(): number;
  advanceClock(ms: number): void;
  /** A bk_token for a known user (the login round trip is not simulated). */
  issueToken(userName: string): string;
  close(): Promise<void>;
}

const SECRET_PARAMS = new Set(['bk_app_secret', 'app_secret', 'bk_token', 'bk_access_token']);

/** Secrets never reach the request log: the app secret, tokens, and a parameter marked sensitive. */
function redact(params: Record<string, unknown>): Record<string, unknown> {
  const sensitive = params['is_param_sensitive'] === 1 || params['is_param_sensitive'] === '1';
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, SECRET_PARAMS.has(key) || (sensitive && key === 'script_param') ? '******' : value]),
  );
}

export async function startBluekingSimulator(options: BluekingSimulatorOptions = {}): Promise<BluekingSimulator> {
  const clock = new SimClock(options.now ?? Date.now);
  const users = options.users ?? BK_SIM_USERS;
  const world = new BkWorld(options.seed ?? BK_SIM_SEED, clock, users);
  const faults = new FaultRegistry(new Set(COMPONENT_KEYS));
  const log = new RequestLog(options.requestLogCapacity ?? 10_000);
  const tokens = new Map<string, string>();
  const deps = { world, appCode: options.appCode ?? BK_SIM_APP_CODE, appSecret: options.appSecret ?? BK_SIM_APP_SECRET, tokens };
  const callbacks = new CallbackSender({
    now: () => clock.now(),
    timeoutMs: options.callbackTimeoutMs ?? 10_000,
    onFailure: options.onCallbackFailure ?? ((_job, message) => process.stderr.write(`[blueking-sim] ${message}\n`)),
  });
  const pendingTimers = new Set<NodeJS.Timeout>();
  let closed = false;

  const tick = (count = 1): void => {
    for (let i = 0; i < count; i++) for (const job of world.tick()) callbacks.send(job);
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
    const requestId = randomUUID().replace(/-/g, '');
    response.setHeader('X-Request-Id', requestId);
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    let raw: Buffer;
    try {
      raw = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLarge) sendJson(response, 413, failure(requestId, EsbCodes.ARGUMENT_ERROR, error.message, 413).body, { Connection: 'close' });
      else response.destroy();
      return;
    }
    if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
      const result = handleBkAdmin({ world, faults, log, tick, advanceClock: (ms) => clock.advance(ms) }, method, url, raw);
      sendJson(response, result.status, result.body, result.headers);
      return;
    }
    const key = componentKeyOf(url.pathname);
    const params = readParams(method, url, raw);
    const record = log.record({
      at: clock.now(),
      requestId,
      method,
      path: url.pathname,
      routeKey: key,
      query: {},
      body: params instanceof EsbError ? '(not JSON)' : redact(params),
      headers: { 'content-type': request.headers['content-type'] ?? '', 'user-agent': request.headers['user-agent'] ?? '' },
      auth: params instanceof EsbError || params['bk_token'] === undefined ? { kind: 'none' } : { kind: 'token' },
    });
    const run = () => dispatchEsb(deps, { method, url, raw, requestId });
    const fault = faults.take(key);
    if (fault) {
      record.fault = fault.kind;
      await respondWithEsbFault({ fault, record, request, response, requestId, run, delay, isClosed: () => closed });
      return;
    }
    const result = run();
    record.status = result.status;
    sendJson(response, result.status, result.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendJson(response, 500, failure('', EsbCodes.COMMON_ERROR, `System error: ${error instanceof Error ? error.message : String(error)}`, 500).body);
    });
  });
  // Keep idle connections longer than a client's pool does, so a reused connection is never
  // closed under a write the client then cannot tell was received.
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
    faults,
    get requests() {
      return log.entries();
    },
    countRequests: (componentKey) => log.count(componentKey),
    resetRequests: () => log.reset(),
    tick,
    settleCallbacks: () => callbacks.settle(),
    now: () => clock.now(),
    advanceClock: (ms) => clock.advance(ms),
    issueToken(userName) {
      if (!world.user(userName)) throw new Error(`no BlueKing user ${userName}`);
      const token = randomUUID().replace(/-/g, '');
      tokens.set(token, userName);
      return token;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (interval) clearInterval(interval);
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      callbacks.close();
      await callbacks.settle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
