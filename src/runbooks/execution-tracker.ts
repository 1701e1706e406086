/**
 * The live runbook execution tracker: one card per execution and place that edits itself as the
 * execution's steps move, with the buttons its state allows now, until it finishes or is
 * terminated (or the platform no longer knows it).
 *
 * - `track()` stores the request (tracked_executions + tracked_execution_cards) and posts the
 *   first card, so a restart resumes every card by editing the same message.
 * - Polling rounds (`tick()`, every `runbookTracker.pollIntervalMs`) run over the executions this
 *   replica leases in the store (`FOR UPDATE SKIP LOCKED`, renewed every round, taken over by
 *   another replica once expired). Each execution is read once per round however many cards
 *   show it: the execution alone, its steps only when it moved (execution-watch.ts).
 * - A card is edited only when what it shows changed (hash stored with the card), and at most
 *   once per `runbookTracker.minEditIntervalMs`; a platform's Retry-After is waited out.
 * - At the end each card gets its last edit, recorded as final in the same statement that stores
 *   its hash (an edit replaces the card, so a crash before the record writes the same end once
 *   more, never a different one); then the execution's tracking ends.
 * - A card that cannot be edited any more (deleted) is posted again once; one the platform will
 *   not take for good (not in the channel, no permission) is given up and its requester told
 *   once where and why. A failure that passes (the platform unreachable) is tried again next round.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { every, listening, type BackgroundTask } from '../app/background.js';
import { baseOf, nativeOf, need, type RunbookExecutionId, type RunbooksCapability } from '../backends/index.js';
import type { Config } from '../config.js';
import type { ChatDeliveryError, PostedMessage } from '../core/chat-surface.js';
import { postedOf, sendCard, tellRequester } from '../core/live-card-send.js';
import { KeyedQueue } from '../core/queue.js';
import type { Message } from '../core/message.js';
import { messageHash } from '../orders/tracker-card.js';
import type { OrderTrackerDeps } from '../orders/tracker.js';
import { insertAuditEvent } from '../store/audit-events.js';
import {
  abandonExecutionCard,
  claimExecutionCardRepost,
  finishTrackedExecution,
  getExecutionCard,
  insertExecutionCard,
  insertTrackedExecution,
  leaseTrackedExecution,
  leaseTrackedExecutions,
  listLiveExecutionCards,
  nudgeTrackedExecution,
  recordExecutionCardFailed,
  recordExecutionCardShown,
  recordExecutionStatus,
  releaseExecutionLeases,
  reopenTrackedExecution,
  type ExecutionCardRow,
  type ExecutionLease,
} from '../store/tracked-executions.js';
import { executionLiveCard, undeliveredExecutionNotice } from './execution-live-card.js';
import type { ExecutionCardRequest, ExecutionTracking, TrackOutcome } from './execution-tracking.js';
import { ExecutionWatch } from './execution-watch.js';

const LIMITS = {
  /** Executions read at the same time within one round. */
  concurrency: 8,
  /** A posted card whose edits failed this many times in a row is taken as deleted and posted again, once. */
  editFailuresBeforeRepost: 3,
  /** A card never posted is given up after this many failed posts (at once for a refusal that will not pass). */
  postFailuresBeforeGivingUp: 5,
  /** How soon a click's fresh read comes, instead of at the next regular round. */
  nudgeDelayMs: 300,
} as const;
/** NOTIFY channel that wakes the replica polling an execution after a click elsewhere (payload: the execution's id). */
const NUDGE_CHANNEL = 'execution_nudge';

/** As the order tracker's (the owner in the leases defaults the same way), with the execution cards' own settings. */
export interface ExecutionTrackerDeps extends Pick<OrderTrackerDeps, 'db' | 'backend' | 'chat' | 'now' | 'owner' | 'onError'> {
  readonly config: Pick<Config, 'runbookTracker'>;
}

/** What delivering a card came to: shown, or not (and the refusal when the card was given up for it). */
type Delivered = { readonly posted: PostedMessage } | { readonly givenUp: ChatDeliveryError | undefined };
const NOT_YET: Delivered = { givenUp: undefined };

/** Counters for tests and metrics. */
export interface ExecutionTrackerStats {
  rounds: number;
  posts: number;
  edits: number;
  reposts: number;
  finals: number;
  undelivered: number;
  throttled: number;
  deliveryFailures: number;
  unexpected: number;
}

export class ExecutionTracker implements ExecutionTracking {
  readonly owner: string;
  readonly stats: ExecutionTrackerStats = { rounds: 0, posts: 0, edits: 0, reposts: 0, finals: 0, undelivered: 0, throttled: 0, deliveryFailures: 0, unexpected: 0 };
  /** The polling loop and the wake-ups from other replicas, added to the bot's background tasks. Stopping lets go of the leases. */
  readonly task: BackgroundTask;
  readonly #deps: ExecutionTrackerDeps;
  readonly #watches = new Map<string, ExecutionWatch>();
  /** Work on one execution never overlaps in this process (a round and a track() call, say). */
  readonly #queue = new KeyedQueue();
  /** Work started outside a round (track(), nudges' store writes); stop() waits for it. */
  readonly #pending = new Set<Promise<unknown>>();
  #round: Promise<number> | undefined;
  #running = false;
  #soonTimer: NodeJS.Timeout | undefined;

  constructor(deps: ExecutionTrackerDeps) {
    this.#deps = deps;
    this.owner = deps.owner ?? (deps.db.kind === 'pglite' ? 'local' : `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
    const report = (error: unknown) => this.#report(error);
    const loop = every('runbook-execution-rounds', deps.config.runbookTracker.pollIntervalMs, () => this.tick(), report, { atStart: true });
    const wakeUps = listening('runbook-execution-nudges', () => deps.db.listen(NUDGE_CHANNEL, (id) => {
      // A click on another replica: read it soon if it is ours.
      const watch = this.#watches.get(id);
      if (watch) this.#readSoon(watch);
    }), report);
    this.task = {
      name: 'runbook-execution-tracker',
      start: () => {
        this.#running = true;
        wakeUps.start();
        loop.start();
      },
      stop: async () => {
        this.#running = false;
        if (this.#soonTimer) clearTimeout(this.#soonTimer);
        this.#soonTimer = undefined;
        await Promise.allSettled([wakeUps.stop(), loop.stop(), this.#round, ...this.#pending]);
        await releaseExecutionLeases(deps.db, this.owner).catch(report);
        this.#watches.clear();
      },
    };
  }

  get #leaseMs(): number {
    return this.#deps.config.runbookTracker.leaseSeconds * 1000;
  }

  track(request: ExecutionCardRequest): Promise<TrackOutcome> {
    return this.#kept(this.#track(request));
  }

  /** `work`, waited for by stop(). */
  #kept<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    void work.then(
      () => this.#pending.delete(work),
      () => this.#pending.delete(work),
    );
    return work;
  }

  async #track(request: ExecutionCardRequest): Promise<TrackOutcome> {
    const { db } = this.#deps;
    const id = request.execution;
    const { target, startedBy } = request;
    await insertTrackedExecution(db, id);
    const requesterUserId = startedBy?.platform === target.platform ? startedBy.userId : null;
    const { card, created } = await insertExecutionCard(db, { executionId: id, ...target, threadRef: target.threadId ?? null, locale: request.locale, requesterUserId });
    if (!created) return { kind: 'existing', card: postedOf(card) };
    await reopenTrackedExecution(db, id);
    const lease = await leaseTrackedExecution(db, id, { owner: this.owner, now: this.#deps.now(), leaseMs: this.#leaseMs });
    if (!lease?.leaseExpiresAt) {
      // Another replica polls the execution: nudged, it finds this new card at its next round.
      this.nudge(id);
      return { kind: 'pending' };
    }
    const leaseExpiresAt = lease.leaseExpiresAt;
    return this.#queue.run(id, () => this.#firstCard(request, card, leaseExpiresAt));
  }

  /** track() once the card is stored and the execution leased here: the first read and the card. */
  async #firstCard(request: ExecutionCardRequest, card: ExecutionCardRow, leaseExpiresAt: Date): Promise<TrackOutcome> {
    const watch = this.#watchOf(request.execution);
    if (!watch.execution && request.known) watch.adopt(request.known);
    else if (!watch.execution && !watch.gone) await watch.observe(this.#firstReader(request), { fullRead: true, now: this.#deps.now() });
    // The requester reading this answer hears a refusal for good there, not in a note of its own.
    const refused = await this.#serveCard(watch, card, leaseExpiresAt, request.requesterIsWaiting === true);
    if (refused) return { kind: 'undelivered', error: refused };
    if (watch.ended) await this.#finish(watch);
    const stored = await getExecutionCard(this.#deps.db, card.id);
    const posted = stored && postedOf(stored);
    if (posted) return { kind: 'posted', card: posted, ended: watch.ended };
    // Not posted yet (the platform failed for now): a round soon tries again.
    this.#readSoon(undefined);
    return { kind: 'pending' };
  }

  nudge(execution: RunbookExecutionId): void {
    const watch = this.#watches.get(execution);
    if (watch) this.#readSoon(watch);
    else void this.#kept(this.#nudgeElsewhere(execution)).catch((error: unknown) => this.#report(error));
  }

  /** Another replica may be polling it: the store asks it for a fresh read (nudged_at), a NOTIFY wakes it sooner. */
  async #nudgeElsewhere(execution: RunbookExecutionId): Promise<void> {
    const { db } = this.#deps;
    if (await nudgeTrackedExecution(db, execution, this.#deps.now())) await db.notify(NUDGE_CHANNEL, execution);
  }

  /** One polling round over the executions this replica leases; resolves with how many it polled. */
  tick(): Promise<number> {
    // Background work on the bot's own backend, in no invocation's call scope: a round nudged from
    // within a command is not bound by that command's deadline.
    this.#round ??= this.#pollRound().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  get #runbooks() {
    return need(this.#deps.backend, 'runbooks');
  }

  /** The first read's runbooks: the asking invocation's view of the bot's backend (see `readsIn`), else the tracker's own. */
  #firstReader(request: ExecutionCardRequest): RunbooksCapability {
    const view = request.readsIn;
    return view?.runbooks && baseOf(view) === baseOf(this.#deps.backend) ? view.runbooks : this.#runbooks;
  }

  /** A round soon rather than at the next interval, reading `watch`'s steps afresh. */
  #readSoon(watch: ExecutionWatch | undefined): void {
    if (watch) watch.forceRead = true;
    if (!this.#running || this.#soonTimer) return;
    this.#soonTimer = setTimeout(() => {
      this.#soonTimer = undefined;
      this.tick().catch((error: unknown) => this.#report(error));
    }, LIMITS.nudgeDelayMs);
    this.#soonTimer.unref();
  }

  #report(error: unknown): void {
    this.stats.unexpected++;
    const { onError } = this.#deps;
    // A reporter that fails itself does not stop the rounds.
    if (onError) Promise.resolve(error).then(onError).catch(() => undefined);
  }

  #watchOf(id: RunbookExecutionId): ExecutionWatch {
    let watch = this.#watches.get(id);
    if (!watch) this.#watches.set(id, (watch = new ExecutionWatch(id)));
    return watch;
  }

  async #pollRound(): Promise<number> {
    const { db, config } = this.#deps;
    // A backend without runbooks has no executions to show.
    if (!this.#deps.backend.runbooks) return 0;
    this.stats.rounds++;
    const leased = await leaseTrackedExecutions(db, { owner: this.owner, now: this.#deps.now(), leaseMs: this.#leaseMs, limit: config.runbookTracker.maxExecutions });
    const mine = new Set<string>(leased.map((row) => row.executionId));
    // Executions whose lease went elsewhere are forgotten; their new poller reads them afresh.
    for (const id of this.#watches.keys()) if (!mine.has(id)) this.#watches.delete(id);
    const cards = new Map<string, ExecutionCardRow[]>();
    for (const card of await listLiveExecutionCards(db, leased.map((row) => row.executionId))) {
      cards.set(card.executionId, [...(cards.get(card.executionId) ?? []), card]);
    }
    for (let start = 0; start < leased.length; start += LIMITS.concurrency) {
      await Promise.all(
        leased.slice(start, start + LIMITS.concurrency).map((row) =>
          this.#queue.run(row.executionId, () => this.#poll(row, cards.get(row.executionId) ?? [])).catch((error: unknown) => this.#report(error)),
        ),
      );
    }
    return leased.length;
  }

  async #poll(row: ExecutionLease, cards: readonly ExecutionCardRow[]): Promise<void> {
    const watch = this.#watchOf(row.executionId);
    // Every card shows the end or was given up: nothing left to read the platform for.
    if (cards.length === 0) return this.#finish(watch);
    const nudged = row.nudgedAt?.getTime();
    const fullRead = watch.forceRead || nudged !== watch.nudgeSeen;
    watch.nudgeSeen = nudged;
    watch.forceRead = false;
    if (!watch.ended) await watch.observe(this.#runbooks, { fullRead, now: this.#deps.now() });
    const status = watch.execution?.statusCode ?? null;
    if (status !== row.lastStatus) await recordExecutionStatus(this.#deps.db, row.executionId, this.owner, status);
    const leaseExpiresAt = row.leaseExpiresAt ?? this.#deps.now();
    for (const card of cards) await this.#serveCard(watch, card, leaseExpiresAt);
    if (watch.ended) await this.#finish(watch);
  }

  async #finish(watch: ExecutionWatch): Promise<void> {
    const { db } = this.#deps;
    if (!(await finishTrackedExecution(db, watch.id, this.owner))) return;
    this.#watches.delete(watch.id);
    await insertAuditEvent(db, {
      platform: 'system',
      command: 'runbook execution tracking ended',
      target: nativeOf(watch.id),
      maskedParameters: watch.gone ? { status: 'GONE', lastStatus: watch.execution?.statusCode ?? null } : { status: watch.execution?.statusCode ?? null },
      outcome: 'succeeded',
    });
  }

  // ---- one card ----------------------------------------------------------------------------

  /** Shows the watch's state on the card if it changed; returns the refusal when the card was given up for it. */
  async #serveCard(watch: ExecutionWatch, listed: ExecutionCardRow, leaseExpiresAt: Date, inReply = false): Promise<ChatDeliveryError | undefined> {
    const { db } = this.#deps;
    const now = this.#deps.now();
    // Close to the end of the lease another replica may take the execution over: leave it alone.
    if (now.getTime() >= leaseExpiresAt.getTime() - this.#leaseMs / 3) return undefined;
    // A card listed as never posted may have been posted meanwhile (by track()): look again.
    const card = listed.messageRef === null ? await getExecutionCard(db, listed.id) : listed;
    // Closed, on a platform this replica has no adapter for (not ours to show), or asked to wait.
    if (card?.cardState !== 'live' || !this.#deps.chat.has(card.platform) || (card.retryAfter && now < card.retryAfter)) return undefined;
    // Not read yet (the platform down after a restart, say): a posted card keeps what it shows.
    if (!watch.execution && !watch.gone && card.messageRef !== null) return undefined;
    const final = watch.ended;
    const message = executionLiveCard(this.#deps.backend, watch, card.locale);
    const hash = messageHash(message);
    if (card.messageRef !== null && hash === card.lastStateHash) {
      // It shows the end already (written before a restart cut the record short): only recorded.
      if (final) await recordExecutionCardShown(db, card.id, { hash, at: now, final });
      return undefined;
    }
    if (card.messageRef !== null && card.lastEditedAt && now.getTime() - card.lastEditedAt.getTime() < this.#deps.config.runbookTracker.minEditIntervalMs) {
      this.stats.throttled++;
      return undefined;
    }
    const delivered = await this.#deliver(card, message, now, inReply);
    if (!('posted' in delivered)) return delivered.givenUp;
    const { messageRef } = delivered.posted;
    await recordExecutionCardShown(db, card.id, { hash, at: now, final, ...(messageRef !== card.messageRef ? { messageRef } : {}) });
    if (final) this.stats.finals++;
    return undefined;
  }

  /**
   * Posts or edits the card. A rate limit is waited out; a failure that passes is tried again at a
   * later round; a posted card whose edits keep failing is posted again, once in its life; a card
   * the platform will not take for good is given up.
   */
  async #deliver(card: ExecutionCardRow, message: Message, now: Date, inReply: boolean): Promise<Delivered> {
    const { db, chat } = this.#deps;
    const sent = await sendCard(chat, card, message);
    if ('posted' in sent) {
      this.stats[sent.edited ? 'edits' : 'posts']++;
      return sent;
    }
    this.stats.deliveryFailures++;
    const { refused } = sent;
    const waitUntil = refused.retryAfterMs === undefined ? null : new Date(now.getTime() + Math.max(0, refused.retryAfterMs));
    const failures = await recordExecutionCardFailed(db, card.id, waitUntil);
    if (waitUntil) return NOT_YET;
    if (card.messageRef === null) return !refused.retryable || failures >= LIMITS.postFailuresBeforeGivingUp ? this.#giveUp(card, refused, inReply) : NOT_YET;
    if (failures < LIMITS.editFailuresBeforeRepost) return NOT_YET;
    if (!(await claimExecutionCardRepost(db, card.id))) return this.#giveUp(card, refused, inReply);
    const again = await sendCard(chat, card, message, { afresh: true });
    if ('posted' in again) {
      this.stats.reposts++;
      return again;
    }
    this.stats.deliveryFailures++;
    return again.refused.retryable ? NOT_YET : this.#giveUp(card, again.refused, inReply);
  }

  /**
   * The platform will not take the card: closed for good, counted, and its requester told where
   * and why (privately, unless they are reading the answer that says it) by whichever replica closed it.
   */
  async #giveUp(card: ExecutionCardRow, error: ChatDeliveryError, inReply: boolean): Promise<Delivered> {
    if (!(await abandonExecutionCard(this.#deps.db, card.id))) return NOT_YET;
    this.stats.undelivered++;
    const { requesterUserId } = card;
    if (!inReply && requesterUserId !== null) {
      const notice = undeliveredExecutionNotice(this.#deps.backend, card, error);
      // Nobody reached on this platform: the card is counted undelivered, the execution runs on.
      if (await tellRequester(this.#deps.chat, { ...card, requesterUserId }, notice)) this.stats.deliveryFailures++;
    }
    return { givenUp: error };
  }
}
