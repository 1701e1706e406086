/**
 * The one place the core is put together from its parts: services, registry, dispatcher and
 * background tasks. The running bot and the tests both use it, so a test exercises exactly
 * the wiring users get.
 */
import { AuditLog } from '../audit/audit-log.js';
import type { BackendSessions } from '../backends/index.js';
import { backendTimeoutMs, commandDeadlineMs, type Config } from '../config.js';
import { ChatSurfaces } from '../core/chat-surface.js';
import type { Services } from '../core/command.js';
import { Dispatcher } from '../core/dispatcher.js';
import { IdentityService } from '../identity/identity-service.js';
import { Policy } from '../policy/policy.js';
import { OrderTracker } from '../orders/tracker.js';
import { IncidentWatcher } from '../incidents/watcher.js';
import { ExecutionTracker } from '../runbooks/execution-tracker.js';
import type { Db } from '../store/db.js';
import { silentLogger, type Logger } from '../ops/log.js';
import { Metrics } from '../ops/metrics.js';
import { BackgroundTasks, every, listening } from './background.js';
import { expireDueApprovals } from '../approvals/approvals.js';
import { recoverInterruptedRuns } from '../approvals/recovery.js';
import { sweepWriteIntents } from '../audit/write-intents-sweep.js';
import { expireDuePlans } from '../store/run-plans.js';
import { OrderSnapshotCache } from '../orders/snapshot-cache.js';
import { ParamSealer } from '../run/sealing.js';
import { sealingKey } from '../run/sealing-key.js';
import { commandRegistry } from './commands.js';
import type { Registry } from '../core/registry.js';

/** How often open approval requests (and previews) past their time are closed, requests announced. */
const APPROVAL_SWEEP_MS = 15_000;
/** How often runs whose start was interrupted are looked for (also once at start). */
const INTERRUPTED_RUNS_SWEEP_MS = 60_000;
/** How often COC writes left 'pending' by a stopped process are looked for (also once at start). */
const WRITE_INTENT_SWEEP_MS = 60_000;
/** Beyond the longest COC request (signing or a token, then the request itself): the slack of a slow database. */
const WRITE_INTENT_MARGIN_MS = 60_000;

export interface AssembleOptions {
  readonly config: Config;
  readonly db: Db;
  readonly audit: AuditLog;
  /** The operations platform as the bot and as each person (their own credentials where mapped). */
  readonly sessions: BackendSessions;
  /** Default: the system clock. */
  readonly now?: () => Date;
  readonly onUnexpected?: (error: unknown) => void;
  /** Default: metrics nobody scrapes. */
  readonly metrics?: Metrics;
  /** Default: a log that writes nothing. */
  readonly log?: Logger;
  /**
   * Where the key sealing sensitive parameters is kept when `store.secretKey` is unset (an
   * embedded store on disk: `keyFileFor(dataDir)`); created 0600 if missing. Unset: a per-process key.
   */
  readonly sealingKeyFile?: string;
}

export interface Core {
  readonly services: Services;
  readonly dispatcher: Dispatcher;
  readonly registry: Registry;
  /** Adapters register their surface here before `background.start()`. */
  readonly chat: ChatSurfaces;
  readonly background: BackgroundTasks;
  /** The live order cards (also `services.tracker`); tests drive its polling with `tick()`. */
  readonly tracker: OrderTracker;
  /** The live runbook execution cards (also `services.executions`); tests drive its polling with `tick()`. */
  readonly executions: ExecutionTracker;
  /** Incident status changes, announcements and periodic summaries; tests drive it with `runOnce()`. */
  readonly incidentWatcher: IncidentWatcher;
}

export function assembleCore(options: AssembleOptions): Core {
  const { config, db } = options;
  // The real clock, not `now`: compared with the database's own timestamps.
  const assembledAt = new Date();
  const chat = new ChatSurfaces();
  const now = options.now ?? (() => new Date());
  const metrics = options.metrics ?? new Metrics();
  const log = options.log ?? silentLogger();
  const { sessions } = options;
  const tracker = new OrderTracker({
    db,
    backend: sessions.botBackend,
    chat,
    now,
    config,
    metrics,
    ...(options.onUnexpected ? { onError: options.onUnexpected } : {}),
  });
  const executions = new ExecutionTracker({ db, backend: sessions.botBackend, chat, now, config, ...(options.onUnexpected ? { onError: options.onUnexpected } : {}) });
  const identities = new IdentityService(db, config.locale, config.identity.workspaces);
  const services: Services = {
    backend: sessions.botBackend,
    // A person's own rights; a credential named but not set is refused (UserCredentialMissingError), nothing sent.
    backendFor: (identity) => sessions.backendFor(identity),
    identities,
    audit: options.audit,
    policy: new Policy(config.policy),
    db,
    chat,
    now,
    config,
    tracker,
    executions,
    orderSnapshots: new OrderSnapshotCache(),
    sealer: new ParamSealer(sealingKey({ secretKey: config.store.secretKey?.reveal(), keyFile: options.sealingKeyFile })),
    metrics,
    log,
  };
  const registry = commandRegistry(services.backend);
  const dispatcher = new Dispatcher(registry, services, options.onUnexpected, config.locale, commandDeadlineMs(config));
  const background = new BackgroundTasks();
  background.add(tracker.task);
  background.add(executions.task);
  const incidentWatcher = new IncidentWatcher(services, options.onUnexpected);
  background.add(incidentWatcher);
  background.add(
    every('approval-expiry', APPROVAL_SWEEP_MS, async () => {
      await expireDueApprovals(services);
      await expireDuePlans(db, now());
    }, options.onUnexpected),
  );
  // Both run at start as well: a restart settles what the previous process left mid-start or mid-call.
  background.add(
    every(
      'interrupted-runs',
      INTERRUPTED_RUNS_SWEEP_MS,
      () =>
        recoverInterruptedRuns(services, {
          // Longer than a COC request can take, so another replica's start in progress is never taken for a left one.
          leftAfterMs: Math.max(5 * 60_000, 2 * backendTimeoutMs(config)),
          // An embedded store is this process's alone: what it holds from before is left by an earlier one.
          ...(db.kind === 'pglite' ? { leftBefore: assembledAt } : {}),
        }),
      options.onUnexpected,
      { atStart: true },
    ),
  );
  background.add(
    every(
      'write-intents',
      WRITE_INTENT_SWEEP_MS,
      () =>
        sweepWriteIntents({
          db,
          settle: {
            // A write in flight on another replica is never taken for a dangling one.
            olderThanMs: 2 * backendTimeoutMs(config) + WRITE_INTENT_MARGIN_MS,
            // An embedded store is this process's alone: a pending write from before was left by an earlier one.
            ...(db.kind === 'pglite' ? { leftBefore: assembledAt } : {}),
          },
          log,
        }),
      options.onUnexpected,
      { atStart: true },
    ),
  );
  background.add(listening('identity-changes', () => identities.listenForChanges(), options.onUnexpected));
  return { services, dispatcher, registry, chat, background, tracker, executions, incidentWatcher };
}
