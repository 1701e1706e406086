/**
 * The bot's Prometheus metrics (prom-client), behind a small facade so that every part of the
 * bot records what it knows with one call: adapters their acknowledgement latency and missed
 * deadlines, the COC client each request, approvals the wait for a decision, the tracker how
 * many orders it polls, surfaces each card edit.
 *
 * Each bot has its own registry (never prom-client's global one), so two bots in one process —
 * the tests run replicas that way — never share or clash over a metric.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BackendCallEvent, CallOutcome } from '../backends/index.js';
import type { DeliveryFailureReason } from '../core/chat-surface.js';
import type { ChatPlatform } from '../store/vocabulary.js';

const PREFIX = 'coc_chatops_';

/** Which deadline a chat platform gave us and we missed. */
export type DeadlineKind =
  /** The 3-second acknowledgement of a command, click or submission (Slack ack, Discord initial response). */
  | 'ack'
  /** A modal opened after its trigger expired (Slack trigger_id, 3 s). */
  | 'modal'
  /** A follow-up after the interaction token expired (Discord, 15 min). */
  | 'followup';

export interface MetricsOptions {
  /** Also export the process's CPU, memory, event-loop lag and handles. Default false. */
  readonly processMetrics?: boolean;
  /** The bot's version, exported as coc_chatops_build_info. */
  readonly version?: string;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #ackLatency: Histogram<'platform'>;
  readonly #missedDeadlines: Counter<'platform' | 'kind'>;
  readonly #cocRequests: Counter<'route' | 'outcome'>;
  readonly #cocDuration: Histogram<'route'>;
  readonly #approvalWait: Histogram;
  readonly #trackedOrders: Gauge;
  readonly #cardEdits: Counter<'platform'>;
  readonly #undeliveredPosts: Counter<'platform' | 'reason'>;
  readonly #shedRequests: Counter<'platform'>;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.#ackLatency = new Histogram({
      name: `${PREFIX}ack_latency_seconds`,
      help: 'Time from receiving a chat request (command, click, submission) to acknowledging it; platforms allow 3 s.',
      labelNames: ['platform'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
      registers,
    });
    this.#missedDeadlines = new Counter({
      name: `${PREFIX}missed_deadlines_total`,
      help: 'Chat platform deadlines missed: ack (3 s acknowledgement), modal (expired trigger), followup (expired interaction token).',
      labelNames: ['platform', 'kind'],
      registers,
    });
    this.#cocRequests = new Counter({
      name: `${PREFIX}coc_requests_total`,
      help: 'Requests to COC (each attempt of a retried GET counts), by "METHOD route template" and outcome (ok = success; anything else is an error).',
      labelNames: ['route', 'outcome'],
      registers,
    });
    this.#cocDuration = new Histogram({
      name: `${PREFIX}coc_request_duration_seconds`,
      help: 'Duration of one request to COC, by "METHOD route template".',
      labelNames: ['route'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#approvalWait = new Histogram({
      name: `${PREFIX}approval_wait_seconds`,
      help: 'Time an approval request waited for its decision (approved, rejected or expired).',
      buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400],
      registers,
    });
    this.#trackedOrders = new Gauge({
      name: `${PREFIX}tracked_orders`,
      help: 'Live order cards this replica is polling right now.',
      registers,
    });
    this.#cardEdits = new Counter({
      name: `${PREFIX}card_edits_total`,
      help: 'Edits of posted chat cards (live order cards, approval cards, incident cards).',
      labelNames: ['platform'],
      registers,
    });
    this.#undeliveredPosts = new Counter({
      name: `${PREFIX}undelivered_posts_total`,
      help: 'Posts the bot made on its own (approval requests, live order cards, incident notifications) that the platform did not deliver and that are not retried, by reason (not-in-channel, channel-not-found, no-permission, archived, too-large, unavailable, other).',
      labelNames: ['platform', 'reason'],
      registers,
    });
    this.#shedRequests = new Counter({
      name: `${PREFIX}shed_requests_total`,
      help: 'Chat requests answered at once with "busy, try again in n s" because the work waiting after acknowledgements was at its bound (overload is shed, never hoarded).',
      labelNames: ['platform'],
      registers,
    });
    new Gauge({ name: `${PREFIX}build_info`, help: 'The running version; always 1.', labelNames: ['version', 'node'], registers }).set(
      { version: options.version ?? 'unknown', node: process.version },
      1,
    );
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** How long a chat request took to be acknowledged. */
  ackLatency(platform: ChatPlatform, seconds: number): void {
    this.#ackLatency.observe({ platform }, nonNegative(seconds));
  }

  /** A deadline of the chat platform passed before we answered. */
  missedDeadline(platform: ChatPlatform, kind: DeadlineKind): void {
    this.#missedDeadlines.inc({ platform, kind });
  }

  /** One request to COC; `route` is "METHOD /route/{template}", never a filled-in path. */
  cocRequest(route: string, outcome: CallOutcome, seconds: number): void {
    this.#cocRequests.inc({ route, outcome });
    this.#cocDuration.observe({ route }, nonNegative(seconds));
  }

  /** The backend's call observer (the series keep their COC names: dashboards read them). */
  readonly observeCall = (event: Pick<BackendCallEvent, 'method' | 'route' | 'outcome' | 'durationMs'>): void => {
    this.cocRequest(`${event.method} ${event.route}`, event.outcome, event.durationMs / 1000);
  };

  /** An approval request was decided (or expired) after waiting this long. */
  approvalWait(seconds: number): void {
    this.#approvalWait.observe(nonNegative(seconds));
  }

  /** How many live orders this replica polls now. */
  trackedOrders(count: number): void {
    this.#trackedOrders.set(nonNegative(count));
  }

  /** A posted card was edited. */
  cardEdit(platform: ChatPlatform): void {
    this.#cardEdits.inc({ platform });
  }

  /** A request was turned away as busy instead of queued (the after-ack work was at its bound). */
  shedRequest(platform: ChatPlatform): void {
    this.#shedRequests.inc({ platform });
  }

  /** A post the bot made on its own was not delivered and will not be retried. */
  undeliveredPost(platform: ChatPlatform, reason: DeliveryFailureReason): void {
    this.#undeliveredPosts.inc({ platform, reason });
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** A clock that stepped back must not make a histogram or gauge throw or go negative. */
function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}
