/**
 * The operations side of a running bot, put together from its configuration: the log, the
 * metrics, the readiness checks and — when configured — the ops HTTP server. Starting the ops
 * server never stops the bot: a port already taken is logged and the bot runs on without it.
 */
import { readFileSync } from 'node:fs';
import type { CallScope, BackendCallEvent } from '../backends/index.js';
import { enabledAdapters, type Config } from '../config.js';
import { logLevelOf, opsPortOf } from '../config/sections/ops.js';
import type { Db } from '../store/db.js';
import type { MigrationReport } from '../store/migrations.js';
import { createLogger, secretsOf, type Logger, type LoggerOptions } from './log.js';
import { Metrics } from './metrics.js';
import { failed, passed, Readiness, type ReadinessCheck } from './readiness.js';
import { startOpsServer, type OpsServer } from './server.js';

export interface Ops {
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
}

export interface CreateOpsOptions {
  /** Where log lines go; default stderr. */
  readonly logDestination?: LoggerOptions['destination'];
}

/** The version in package.json, for the log and coc_chatops_build_info. */
export function botVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function createOps(config: Config, options: CreateOpsOptions = {}): Ops {
  const adapters = enabledAdapters(config);
  const version = botVersion();
  const log = createLogger({
    level: logLevelOf(config.ops, adapters),
    format: config.ops.logFormat,
    secrets: secretsOf(config),
    base: { service: 'coc-chatops', version },
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  // Process metrics (CPU, memory, event-loop lag) only where someone can scrape them.
  const metrics = new Metrics({ version, processMetrics: opsPortOf(config.ops, adapters) !== undefined });
  return { log, metrics, readiness: new Readiness() };
}

/** Starts the ops server when the configuration asks for one; logs and carries on when it cannot listen. */
export async function listenOps(config: Config, ops: Ops): Promise<OpsServer | undefined> {
  const port = opsPortOf(config.ops, enabledAdapters(config));
  if (port === undefined) return undefined;
  try {
    const server = await startOpsServer({ host: config.ops.host, port, metrics: ops.metrics, readiness: ops.readiness });
    ops.log.info({ url: server.url, endpoints: ['/metrics', '/healthz', '/readyz'] }, 'ops endpoints listening');
    return server;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    ops.log.error(
      { err: error, host: config.ops.host, port },
      `ops endpoints not started: ${code === 'EADDRINUSE' ? `port ${port} is already in use` : (code ?? 'listen failed')}; the bot runs without /metrics, /healthz and /readyz (set ops.port / COC_OPS_PORT)`,
    );
    return undefined;
  }
}

/** Ready when the database answers; by then the migrations have run (openStore runs them before returning). */
export function storeCheck(db: Db, migrations: MigrationReport): ReadinessCheck {
  const applied = migrations.applied.length + migrations.alreadyApplied.length;
  const newer = migrations.unknown.length > 0 ? `; the database also has ${migrations.unknown.length} newer migration(s) from a newer version` : '';
  return {
    name: 'store',
    async check() {
      await db.query('select 1');
      return passed(`${db.kind} answers; ${applied} migration(s) applied${newer}`);
    },
  };
}

/** Ready once the bot has started its background work (after the adapters registered their surfaces). */
export function startedCheck(isStarted: () => boolean): ReadinessCheck {
  return { name: 'started', check: () => (isStarted() ? passed('background work running') : failed('still starting')) };
}

/** Several observers of a backend's calls as one. */
export function observeAll(
  ...observers: readonly ((event: BackendCallEvent, scope: CallScope | undefined) => void)[]
): (event: BackendCallEvent, scope: CallScope | undefined) => void {
  return (event, scope) => {
    for (const observe of observers) observe(event, scope);
  };
}

/**
 * Logs a backend's calls: each at debug, failures to reach the platform or to understand it at
 * warn. The line's key is the backend's name (`coc`) and its text starts with `platform` (`COC`).
 */
export function backendCallLogger(log: Logger, platform: string): (event: BackendCallEvent) => void {
  return (event) => {
    const serious = event.outcome === 'network-error' || event.outcome === 'timeout' || event.outcome === 'shape-error';
    // Most calls are routine: skip building their line unless debug lines are wanted.
    if (!serious && !log.isLevelEnabled('debug')) return;
    const fields = {
      [event.backend]: {
        method: event.method,
        route: event.route,
        status: event.status,
        outcome: event.outcome,
        errorCode: event.errorCode,
        requestId: event.requestId,
        durationMs: Math.round(event.durationMs),
        attempt: event.attempt,
        willRetry: event.willRetry,
      },
    };
    if (serious) log.warn(fields, `${platform} ${event.method} ${event.route}: ${event.outcome}${event.willRetry ? ', retrying' : ''}`);
    else log.debug(fields, `${platform} ${event.method} ${event.route}: ${event.outcome}`);
  };
}
