/**
 * The live order tracker: one card per order and place that edits itself until the order ends.
 *
 * - `track()` stores the request (tracked_orders + tracked_order_cards) and posts the first
 *   card, so a restart resumes every card by editing the same message.
 * - Polling rounds (`tick()`, every `tracker.pollIntervalMs`) run over the orders this replica
 *   leases in the store (`FOR UPDATE SKIP LOCKED`, renewed every round, taken over by another
 *   replica once expired). Each order is read once per round however many cards watch it, with
 *   the cheapest read that detects a change (tracker-observe.ts).
 * - A card is edited only when what it shows changed (hash stored with the card), and at most
 *   once per `tracker.minEditIntervalMs`; a platform's Retry-After is honoured.
 * - The final summary is claimed in the store before it is written (one winner), then the card
 *   is edited with it and its requester told privately.
 *
 * Exactly-once choices, where a crash can fall between a chat call and the store update:
 * - The final edit is retried until it is recorded: an edit replaces the card, so writing the
 *   same summary twice shows it once. Once recorded it is never written again.
 * - The requester's notification is a new message, so it is claimed before it is sent and
 *   never repeated: a crash right after the claim loses it (the card still has the summary)
 *   rather than sending it twice. A refusal from the platform (nothing delivered) is retried.
 * - A card that cannot be edited (deleted, no access) is posted again once; if the new one
 *   cannot be edited either, the card is given up.
 * - A card the platform will not take for good (the bot is not in the channel, no permission,
 *   too large) is given up at once; one that keeps failing for a passing reason (the platform
 *   unreachable) after a few rounds. Either way its requester is told once where and why, and
 *   the post is counted as undelivered. A rate limit is only waited out, never given up on.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { BackgroundTask } from '../app/background.js';
import { baseOf, codesOf, isBackendError, type Backend, type RunId } from '../backends/index.js';
import type { Config } from '../config.js';
import { ChatDeliveryError, type ChatSurfaces, type PostedMessage } from '../core/chat-surface.js';
import { postedOf, sendCard, targetOfCard, tellRequester } from '../core/live-card-send.js';
import type { Message } from '../core/message.js';
import type { Locale } from '../i18n/translate.js';
import type { Metrics } from '../ops/metrics.js';
import { insertAuditEvent } from '../store/audit-events.js';
import type { Db } from '../store/db.js';
import {
  claimCardFinal,
  claimCardNotice,
  claimCardRepost,
  finishTrackedOrder,
  getTrackedCard,
  insertTrackedCard,
  insertTrackedOrder,
  leaseTrackedOrder,
  leaseTrackedOrders,
  listOpenTrackedCards,
  markCardDone,
  nudgeTrackedOrder,
  recordCardEdited,
  recordCardEditFailed,
  recordCardFinalEdited,
  recordCardNoticeFailed,
  recordCardPosted,
  recordTrackedOrderStates,
  releaseTrackedOrderLeases,
  renewTrackedOrderLeases,
  reopenTrackedOrder,
  skipCardNotice,
  type TrackedCardState,
  type TrackedOrderLease,
  type TrackedOrderState,
} from '../store/tracked-orders.js';
import { runStartsOf, type RunStart } from '../store/run-starts.js';
import { finalCard, finalNotice, liveCard, messageHash, UNREACHABLE_AFTER, type CardState } from './tracker-card.js';
import { abandonUndeliveredCard, reviveUndeliveredCard, undeliveredCardNotice } from './tracker-undelivered.js';
import { GONE_AFTER_NOT_FOUND, observeOrder, OrderWatch } from './tracker-observe.js';
import { mayBeSkippedWhilePaused, stillPaused } from './tracker-paused.js';
import type { OrderTracking, TrackOutcome, TrackRequest } from './tracking.js';

/** Orders read from COC at the same time within one round. */
const CONCURRENCY = 16;
/** Orders whose open cards one query lists, within a round. */
const CARD_LIST_CHUNK = 100;
/** Failed edits in a row before a card is considered lost and posted again (once). */
const EDIT_FAILURES_BEFORE_REPOST = 3;
/** Failed posts of a card that was never posted before it is given up. */
const POST_FAILURES_BEFORE_GIVING_UP = 5;
/** Times the requester's notification is tried when the platform refuses it. */
const NOTICE_ATTEMPTS = 3;
/** A click asks for a fresh read this soon instead of at the next regular round. */
const NUDGE_DELAY_MS = 300;
/** Wakes the replica polling an order when a click on another replica changed it (payload: the run id). */
const NUDGE_CHANNEL = 'order_nudge';

export interface OrderTrackerDeps {
  readonly db: Db;
  /** The backend whose runs the cards show, with the bot's rights. */
  readonly backend: Backend;
  readonly chat: ChatSurfaces;
  readonly now: () => Date;
  readonly config: Pick<Config, 'tracker'>;
  /**
   * This replica's name in the leases. Default: with PGlite (one process per data folder) a
   * fixed name, so a restarted bot resumes its cards at once; with PostgreSQL host:pid:random,
   * so a dead replica's orders are taken over when its leases expire.
   */
  readonly owner?: string;
  /** Errors nobody expected (the database failing, a bug); COC and chat failures are handled. */
  readonly onError?: (error: unknown) => void;
  /** Told how many orders this replica polls, after every round, and of each card given up undelivered. */
  readonly metrics?: Partial<Pick<Metrics, 'trackedOrders' | 'undeliveredPost'>>;
}

/** Counters for the benchmark and metrics. */
export interface TrackerStats {
  rounds: number;
  posts: number;
  edits: number;
  reposts: number;
  finals: number;
  notices: number;
  /** Cards given up because the platform would not take them (each counted once). */
  undelivered: number;
  throttled: number;
  cocFailures: number;
  deliveryFailures: number;
  unexpected: number;
}

/** What a polling round keeps of an order it leased, until it has polled it. */
interface LeasedOrder {
  readonly runId: RunId;
  /** Epoch ms; moved on when the round renews the lease. */
  leaseExpiresAt: number | undefined;
  readonly nudgedAt: number | undefined;
  readonly lastStatus: string | null;
  readonly backendFailingSince: number | undefined;
}

/** One string per known status code, so that a thousand leased rows do not keep a thousand copies. */
function internedStatuses(backend: Backend): ReadonlyMap<string, string> {
  return new Map(codesOf(backend.vocabulary, 'runStatus').map((status) => [status, status]));
}

function isClosed(card: TrackedCardState): boolean {
  return card.finalState === 'done' || card.finalState === 'abandoned';
}

/** Which rendering of the state a hash kept in the watch is of. */
function cardHashKey(final: boolean, locale: Locale): string {
  return `${final ? 'final' : 'live'}|${locale}`;
}

async function forEachLimit<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class OrderTracker implements OrderTracking {
  readonly owner: string;
  readonly stats: TrackerStats = { rounds: 0, posts: 0, edits: 0, reposts: 0, finals: 0, notices: 0, undelivered: 0, throttled: 0, cocFailures: 0, deliveryFailures: 0, unexpected: 0 };
  readonly #deps: OrderTrackerDeps;
  readonly #knownStatuses: ReadonlyMap<string, string>;
  readonly #watches = new Map<string, OrderWatch>();
  /** Who started each watched order from chat (read once per watch; null: not the bot). */
  readonly #starts = new WeakMap<OrderWatch, RunStart | null>();
  readonly #queues = new Map<string, Promise<unknown>>();
  #round: Promise<number> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerDue = 0;
  #running = false;
  /** Store writes started by nudge() that nobody awaits; stop() waits for them. */
  readonly #pending = new Set<Promise<unknown>>();
  #listening: Promise<(() => Promise<void>) | undefined> | undefined;
  /** Cards whose requester is reading the answer of watch() right now: a refusal for good is returned there, not sent as a note. */
  readonly #answeredInReply = new Map<string, ChatDeliveryError | undefined>();

  constructor(deps: OrderTrackerDeps) {
    this.#deps = deps;
    this.#knownStatuses = internedStatuses(deps.backend);
    this.owner = deps.owner ?? (deps.db.kind === 'pglite' ? 'local' : `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
  }

  get #leaseMs(): number {
    return this.#deps.config.tracker.leaseSeconds * 1000;
  }

  async track(request: TrackRequest): Promise<PostedMessage | undefined> {
    const outcome = await this.watch(request);
    return outcome.kind === 'pending' || outcome.kind === 'undelivered' ? undefined : outcome.card;
  }

  async watch(request: TrackRequest): Promise<TrackOutcome> {
    const { db } = this.#deps;
    const { run } = request;
    const { target } = request;
    await insertTrackedOrder(db, {
      runId: run,
      platform: target.platform,
      workspaceId: target.workspaceId,
      channelId: target.channelId,
      threadRef: target.threadId ?? null,
      approvalId: request.approvalId ?? null,
      startedByIamUser: request.startedByIamUser ?? null,
    });
    const inserted = await insertTrackedCard(db, {
      runId: run,
      platform: target.platform,
      workspaceId: target.workspaceId,
      channelId: target.channelId,
      threadRef: target.threadId ?? null,
      locale: request.locale,
      requesterUserId: request.startedBy && request.startedBy.platform === target.platform ? request.startedBy.userId : null,
    });
    let { card, created } = inserted;
    // A card given up unposted here is tried afresh when asked for again (the bot may have been invited since).
    if (!created && card.messageRef === null && card.finalState === 'abandoned' && (await reviveUndeliveredCard(db, card.id))) {
      card = (await getTrackedCard(db, card.id)) ?? card;
      created = true;
    }
    if (!created) return { kind: 'existing', card: postedOf(card) };
    await reopenTrackedOrder(db, run);
    const lease = await leaseTrackedOrder(db, run, { owner: this.owner, now: this.#deps.now(), leaseMs: this.#leaseMs });
    if (!lease?.leaseExpiresAt) {
      // Another replica polls the order: nudged, it lists the order's cards (with this new one) at its next round.
      this.nudge(run);
      this.#soon();
      return { kind: 'pending' };
    }
    const leaseExpiresAt = lease.leaseExpiresAt;
    return this.#serialized(run, async () => {
      try {
        return await this.#firstCard(run, card, leaseExpiresAt, request);
      } finally {
        this.#watches.get(run)?.pack();
      }
    });
  }

  /** watch() once the card is stored and the order leased here: the first read and the card. */
  async #firstCard(run: RunId, card: TrackedCardState, leaseExpiresAt: Date, request: TrackRequest): Promise<TrackOutcome> {
    const requesterIsWaiting = request.requesterIsWaiting === true;
    const { db } = this.#deps;
    const watch = this.#watchOf(run);
    // A card was added: the next round lists the order's cards again.
    watch.cardsInSync = false;
    const firstRead = !watch.hasSnapshot && !watch.gone;
    if (firstRead) await this.#observe(watch, true, this.#firstReader(request));
    // Asked for after it ended: the card shows the summary now, no need to tell anyone later.
    if (firstRead && watch.final) await skipCardNotice(db, card.id);
    if (requesterIsWaiting) this.#answeredInReply.set(card.id, undefined);
    let refused: ChatDeliveryError | undefined;
    try {
      await this.#serveCard(watch, card, leaseExpiresAt);
    } finally {
      refused = this.#answeredInReply.get(card.id);
      this.#answeredInReply.delete(card.id);
    }
    if (refused) return { kind: 'undelivered', error: refused };
    if (watch.final) await this.#finish(watch);
    const now = await getTrackedCard(db, card.id);
    const posted = now ? postedOf(now) : undefined;
    if (!posted) {
      this.#soon();
      return { kind: 'pending' };
    }
    return { kind: 'posted', card: posted, ended: watch.final };
  }

  nudge(run: RunId): void {
    const watch = this.#watches.get(run);
    if (watch) {
      watch.forceRead = true;
      this.#soon();
      return;
    }
    // Another replica may be polling it: the store tells it to read afresh at its next round
    // (nudged_at), and a NOTIFY wakes it sooner.
    const { db } = this.#deps;
    const write = nudgeTrackedOrder(db, run, this.#deps.now())
      .then((tracked) => (tracked ? db.notify(NUDGE_CHANNEL, run) : undefined))
      .catch((error: unknown) => this.#report(error));
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }

  /** Resolves when the store writes of earlier nudges are done. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  /** One polling round over the orders this replica leases; resolves with how many it polled. */
  tick(): Promise<number> {
    // Background work on the bot's own backend, in no invocation's call scope: a round nudged from
    // within a command is not bound by that command's deadline.
    this.#round ??= this.#pollRound().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  /** The polling loop, added to the bot's background tasks. Stopping lets go of the leases. */
  readonly task: BackgroundTask = {
    name: 'order-tracker',
    start: () => {
      this.#running = true;
      this.#listening = this.#deps.db
        .listen(NUDGE_CHANNEL, (run) => this.#woken(run))
        .catch((error: unknown) => {
          this.#report(error);
          return undefined;
        });
      this.#schedule(0);
    },
    stop: async () => {
      this.#running = false;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      const unlisten = await this.#listening;
      this.#listening = undefined;
      await unlisten?.().catch((error: unknown) => this.#report(error));
      await this.#round?.catch(() => undefined);
      await Promise.allSettled([...this.#queues.values(), ...this.#pending]);
      try {
        await releaseTrackedOrderLeases(this.#deps.db, this.owner);
      } catch (error) {
        this.#report(error);
      }
      this.#watches.clear();
      this.#deps.metrics?.trackedOrders?.(0);
    },
  };

  // ---- the loop ----------------------------------------------------------------------------

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    const due = Date.now() + delayMs;
    if (this.#timer && this.#timerDue <= due) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerDue = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const started = Date.now();
      // Rounds start an interval apart, not an interval after the last one ended: with many
      // orders a round takes a good part of the interval, and a change waits for the next round.
      this.tick()
        .catch((error: unknown) => this.#report(error))
        .finally(() => this.#schedule(Math.max(NUDGE_DELAY_MS, this.#deps.config.tracker.pollIntervalMs - (Date.now() - started))));
    }, delayMs);
    this.#timer.unref();
  }

  #soon(): void {
    this.#schedule(NUDGE_DELAY_MS);
  }

  /** Another replica announced a click on an order: read it soon if it is ours. */
  #woken(run: string): void {
    const watch = this.#watches.get(run);
    if (!watch) return;
    watch.forceRead = true;
    this.#soon();
  }

  #report(error: unknown): void {
    this.stats.unexpected++;
    try {
      this.#deps.onError?.(error);
    } catch {
      // the reporter itself failed; the loop goes on
    }
  }

  /** Work on one order never overlaps in this process (a round and a track() call, say). */
  #serialized<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const current = previous.then(run, run);
    const settled = current.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return current;
  }

  #watchOf(run: RunId): OrderWatch {
    let watch = this.#watches.get(run);
    if (!watch) {
      watch = new OrderWatch(run);
      this.#watches.set(run, watch);
    }
    return watch;
  }

  async #pollRound(): Promise<number> {
    const { db, config } = this.#deps;
    this.stats.rounds++;
    // The rows become small records as each page of them is read (times as numbers, the watch's
    // own copy of the id, one string per status): the round keeps them until it ends, the rows need not outlive their page.
    const leased = await leaseTrackedOrders(db, { owner: this.owner, now: this.#deps.now(), leaseMs: this.#leaseMs, limit: config.tracker.maxOrders }, (row) =>
      this.#leasedOrder(row),
    );
    const mine = new Set<string>(leased.map((order) => order.runId));
    // Orders whose lease went elsewhere are forgotten; their new poller reads them afresh.
    for (const run of this.#watches.keys()) if (!mine.has(run)) this.#watches.delete(run);
    // Paused orders the platform's list still shows paused are not read one by one this round.
    // The list is read while the other orders are polled (they come first: their changes are the
    // news), and the paused ones wait for it at the end of the round.
    const pausedWatches: OrderWatch[] = [];
    const others: LeasedOrder[] = [];
    const paused: LeasedOrder[] = [];
    for (const order of leased) {
      const watch = this.#watches.get(order.runId);
      if (watch && mayBeSkippedWhilePaused(watch, order.nudgedAt !== watch.nudgeSeen)) {
        pausedWatches.push(watch);
        paused.push(order);
      } else others.push(order);
    }
    leased.length = 0;
    for (const order of others) leased.push(order);
    for (const order of paused) leased.push(order);
    const mayBeQuiet = new Set<string>(paused.map((order) => order.runId));
    const quiet = stillPaused(this.#deps.backend, pausedWatches);
    // The open cards are listed a chunk of orders at a time (the next chunk's while this one is
    // polled): a round holds the card rows of two chunks, not of every order it polls, so they
    // are gone before the garbage collector would move them to the old generation.
    // Orders whose cards all showed the current state at the last round are not listed: most
    // rounds change nothing, and listing ten thousand cards every round was most of a round's work.
    const toList = (rows: readonly LeasedOrder[]) => rows.filter((order) => !this.#cardsInSync(order));
    // A chunk holds other orders or paused ones, never both: the last of the others must not wait
    // for the list with the paused ones (the list covers every replica's paused orders, many pages).
    const chunkEnd = (start: number): number => {
      const limit = Math.min(start + CARD_LIST_CHUNK, leased.length);
      const pausedChunk = start < leased.length && mayBeQuiet.has(leased[start]!.runId);
      for (let i = start + 1; i < limit; i++) if (mayBeQuiet.has(leased[i]!.runId) !== pausedChunk) return i;
      return limit;
    };
    let nextEnd = chunkEnd(0);
    let next = this.#openCards(toList(leased.slice(0, nextEnd)));
    for (let start = 0, end = nextEnd; start < leased.length; start = end, end = nextEnd) {
      const cards = await next;
      // Paused orders wait for the list before their leases are looked at: a long list (many
      // pages on a loaded machine) must not leave them polled on leases about to expire.
      if (mayBeQuiet.has(leased[start]!.runId)) await quiet;
      const chunk = await this.#renewedIfDue(leased, start, end);
      nextEnd = chunkEnd(end);
      next = this.#openCards(toList(leased.slice(end, nextEnd)));
      // Awaited (and thrown) at the next chunk; not an unhandled rejection meanwhile.
      next.catch(() => undefined);
      await this.#readStarts(chunk);
      // What the chunk's reads said of each order, recorded in one statement once the chunk is done.
      const states: TrackedOrderState[] = [];
      await forEachLimit(chunk, CONCURRENCY, async (row) => {
        try {
          const stillPausedNow = mayBeQuiet.has(row.runId) && (await quiet).has(row.runId);
          await this.#serialized(row.runId, () => this.#pollOrder(row, cards.get(row.runId), stillPausedNow, states).finally(() => this.#watches.get(row.runId)?.pack()));
        } catch (error) {
          this.#report(error);
        }
      });
      await recordTrackedOrderStates(db, this.owner, states).catch((error: unknown) => this.#report(error));
    }
    this.#deps.metrics?.trackedOrders?.(this.#watches.size);
    return leased.length;
  }

  /**
   * The orders from `start` on (this chunk ending at `end`), their leases renewed once any of the chunk has less than half
   * of its lease left: a long round (the first after a restart reads every order afresh) must not
   * reach its last orders with leases too close to their end to serve their cards, nor let them
   * expire so that another replica takes them while this one is still on its way to them. Every
   * order of the round is renewed at once (one statement), not only the chunk, since they were all
   * leased together and expire together: the ones already polled too, or a round longer than the
   * lease lets theirs expire behind it and another replica takes them over, reads each afresh and
   * hands them back when it runs out of room (orders bouncing between replicas, each move a full
   * read and a late card). Orders another replica took are left out of this chunk and dropped from the rest of `leased`.
   */
  async #renewedIfDue(leased: LeasedOrder[], start: number, end: number): Promise<LeasedOrder[]> {
    const now = this.#deps.now();
    const renewBefore = now.getTime() + this.#leaseMs / 2;
    const chunk = leased.slice(start, end);
    if (chunk.every((order) => order.leaseExpiresAt !== undefined && order.leaseExpiresAt >= renewBefore)) return chunk;
    const remaining = leased.slice(start);
    const renewed = await renewTrackedOrderLeases(
      this.#deps.db,
      leased.map((order) => order.runId),
      { owner: this.owner, now, leaseMs: this.#leaseMs },
    );
    const stillHeld = (order: LeasedOrder): boolean => {
      const expires = renewed.get(order.runId);
      if (expires === undefined) return false;
      order.leaseExpiresAt = expires.getTime();
      return true;
    };
    // Only the orders after this chunk are dropped from the round's list: this chunk's cards are
    // already listed by position, and the loop steps a chunk at a time.
    const rest = remaining.slice(chunk.length);
    leased.splice(start + chunk.length, rest.length, ...rest.filter(stillHeld));
    return chunk.filter(stillHeld);
  }

  /**
   * Who started each order of the chunk from chat, for the orders not looked up yet: one query
   * for the chunk instead of one per order (the first round after a restart has every order to
   * look up). A store hiccup leaves them to #observe, which looks each up on its own.
   */
  async #readStarts(chunk: readonly LeasedOrder[]): Promise<void> {
    const unknown = chunk.filter((order) => {
      const watch = this.#watches.get(order.runId);
      return watch === undefined || !this.#starts.has(watch);
    });
    if (unknown.length === 0) return;
    const starts = await runStartsOf(
      this.#deps.db,
      unknown.map((order) => order.runId),
    ).catch(() => undefined);
    if (!starts) return;
    for (const order of unknown) {
      const watch = this.#watchOf(order.runId);
      const start = starts.get(order.runId) ?? null;
      this.#starts.set(watch, start);
      if (start) watch.changed();
    }
  }

  #leasedOrder(row: TrackedOrderLease): LeasedOrder {
    return {
      runId: this.#watches.get(row.runId)?.runId ?? row.runId,
      leaseExpiresAt: row.leaseExpiresAt?.getTime(),
      nudgedAt: row.nudgedAt?.getTime(),
      lastStatus: row.lastStatus === null ? null : (this.#knownStatuses.get(row.lastStatus) ?? row.lastStatus),
      backendFailingSince: row.backendFailingSince?.getTime(),
    };
  }

  /** Whether the order's cards all showed the current state at the last round, and nothing asked to look again since. */
  #cardsInSync(order: LeasedOrder): boolean {
    const watch = this.#watches.get(order.runId);
    return watch !== undefined && watch.cardsInSync && !watch.forceRead && order.nudgedAt === watch.nudgeSeen;
  }

  /** The cards of these orders that still have something to show or post, by order (every order listed has an entry). */
  async #openCards(rows: readonly LeasedOrder[]): Promise<Map<string, TrackedCardState[]>> {
    const cards = new Map<string, TrackedCardState[]>(rows.map((row) => [row.runId, []]));
    if (rows.length === 0) return cards;
    for (const card of await listOpenTrackedCards(this.#deps.db, rows.map((row) => row.runId))) cards.get(card.runId)?.push(card);
    return cards;
  }

  /**
   * `listed`: its open cards, or undefined when they were not listed (they all showed the current
   * state at the last round); then they are listed only if this round's read changed the state.
   * `stillPaused`: the platform's order list showed it paused this round, as its last read did (nothing to read).
   * `states`: where a change of what the backend says of the order is noted, for the round to record with its chunk's.
   */
  async #pollOrder(row: LeasedOrder, listed: readonly TrackedCardState[] | undefined, stillPaused: boolean, states: TrackedOrderState[]): Promise<void> {
    const watch = this.#watchOf(row.runId);
    // Every card is done or given up: nothing to read COC for (a card added meanwhile keeps it open).
    if (listed?.length === 0) {
      // A run the bot drives batch by batch is moved on until it ends, card or no card.
      if (this.#deps.backend.runs?.advance && !watch.final) {
        await this.#observe(watch, false);
        if (!watch.final) return;
      }
      return this.#finish(watch);
    }
    const nudged = row.nudgedAt;
    const fullRead = watch.forceRead || (nudged !== undefined && nudged !== watch.nudgeSeen);
    watch.nudgeSeen = nudged;
    watch.forceRead = false;
    if (stillPaused && !fullRead) watch.roundsSinceOrderRead++;
    else if (!watch.final || fullRead) await this.#observe(watch, fullRead);

    const failingSince = watch.failures > 0 ? (watch.failingSince ?? null) : null;
    if ((row.lastStatus ?? undefined) !== watch.status || row.backendFailingSince !== failingSince?.getTime()) {
      const state = { runId: row.runId, lastStatus: watch.status ?? null, backendFailingSince: failingSince };
      // An order that ended is recorded now: finishing it lets go of its lease, and the chunk's
      // statement records only orders still leased here.
      if (watch.final) await recordTrackedOrderStates(this.#deps.db, this.owner, [state]);
      else states.push(state);
    }
    // Not listed and nothing changed: every card still shows what it should.
    if (listed === undefined && watch.cardsInSync && !watch.final) return;
    const cards = listed ?? (await listOpenTrackedCards(this.#deps.db, [row.runId]));
    if (cards.length === 0 && (watch.final || !this.#deps.backend.runs?.advance)) return this.#finish(watch);
    const leaseExpiresAt = row.leaseExpiresAt !== undefined ? new Date(row.leaseExpiresAt) : this.#deps.now();
    for (const card of cards) await this.#serveCard(watch, card, leaseExpiresAt);
    if (watch.final) await this.#finish(watch);
    // As listed (before this round's edits): a card edited now is listed once more next round, then left alone.
    watch.cardsInSync =
      cards.length > 0 &&
      !watch.final &&
      cards.every(
        (card) =>
          card.messageRef !== null &&
          card.finalState === 'live' &&
          card.retryAfter === null &&
          this.#deps.chat.has(card.platform) &&
          card.lastStateHash !== null &&
          card.lastStateHash === watch.hashOf(cardHashKey(false, card.locale)),
      );
  }

  /** The first read's backend: the asking invocation's view of the bot's backend (see `readsIn`), else the tracker's own. */
  #firstReader(request: TrackRequest): Backend {
    const view = request.readsIn;
    return view && baseOf(view) === baseOf(this.#deps.backend) ? view : this.#deps.backend;
  }

  /** Reads the order (through `backend`, the tracker's own unless a first read's asker's); a COC failure is counted (and shown after a few), never thrown. */
  async #observe(watch: OrderWatch, fullRead: boolean, backend: Backend = this.#deps.backend): Promise<void> {
    if (!this.#starts.has(watch)) {
      // The run's plan names its requester once it started; a store hiccup is read again next round.
      const start = await runStartsOf(this.#deps.db, [watch.runId]).then((starts) => starts.get(watch.runId) ?? null, () => undefined);
      if (start !== undefined) {
        this.#starts.set(watch, start);
        if (start) watch.changed();
      }
    }
    try {
      // A run the bot batches is moved on first (a batch that ended is settled, the next one
      // sent), so the card shows where it stands after this round's step.
      await backend.runs?.advance?.(watch.runId);
      await observeOrder(backend, watch, { fullRead, now: this.#deps.now });
      if (watch.failures > 0) {
        const shown = watch.failures >= UNREACHABLE_AFTER;
        watch.failures = 0;
        watch.failingSince = undefined;
        if (shown) watch.changed();
      }
    } catch (error) {
      if (!isBackendError(error)) throw error;
      this.stats.cocFailures++;
      watch.failures++;
      watch.failingSince ??= this.#deps.now();
      if (watch.failures === UNREACHABLE_AFTER) watch.changed();
    }
  }

  async #finish(watch: OrderWatch): Promise<void> {
    const { db } = this.#deps;
    if (!(await finishTrackedOrder(db, watch.runId, this.owner))) return;
    this.#watches.delete(watch.runId);
    await insertAuditEvent(db, {
      platform: 'system',
      command: 'order tracking ended',
      target: watch.executeUuid,
      // A run the platform no longer knows says so, with the last status read (if any).
      maskedParameters: watch.gone
        ? { status: 'GONE', reason: `the platform answered ${GONE_AFTER_NOT_FOUND} times in a row that it does not know the order`, lastStatus: watch.status ?? null }
        : { status: watch.status ?? null },
      outcome: 'succeeded',
    });
  }

  // ---- one card ----------------------------------------------------------------------------

  /**
   * The hash of what the card shows now, and the message when it had to be rendered for it (the
   * state changed since the last round). Only the hash is kept in the watch: most rounds change
   * nothing and compare hashes only; an edit renders the message again if it was not just rendered.
   */
  #render(watch: OrderWatch, locale: Locale, final: boolean): { readonly hash: string; readonly message: Message | undefined } {
    const key = cardHashKey(final, locale);
    const cached = watch.hashOf(key);
    if (cached !== undefined) return { hash: cached, message: undefined };
    const message = this.#message(watch, locale, final);
    const hash = messageHash(message);
    watch.rememberHash(key, hash);
    return { hash, message };
  }

  #message(watch: OrderWatch, locale: Locale, final: boolean): Message {
    const state: CardState = {
      executeUuid: watch.executeUuid,
      runId: watch.runId,
      snapshot: watch.snapshot,
      gone: watch.gone,
      final: watch.final,
      failures: watch.failures,
      failingSince: watch.failingSince,
      ...(this.#starts.get(watch) ? { start: this.#starts.get(watch)! } : {}),
    };
    return final ? finalCard(state, locale) : liveCard(state, locale);
  }

  #throttled(card: TrackedCardState, now: Date): boolean {
    if (card.messageRef === null || card.lastEditedAt === null) return false;
    return now.getTime() - card.lastEditedAt.getTime() < this.#deps.config.tracker.minEditIntervalMs;
  }

  async #serveCard(watch: OrderWatch, listed: TrackedCardState, leaseExpiresAt: Date): Promise<void> {
    const { db } = this.#deps;
    const now = this.#deps.now();
    // Close to the end of the lease another replica may take the order over: leave it alone.
    if (now.getTime() >= leaseExpiresAt.getTime() - this.#leaseMs / 3) return;
    // A card listed as never posted may have been posted meanwhile (by track()): look again.
    const card = listed.messageRef === null ? await getTrackedCard(db, listed.id) : listed;
    if (!card || isClosed(card)) return;
    // A platform this replica has no adapter for: not a failure of the card, just not ours to show.
    if (!this.#deps.chat.has(card.platform)) return;
    if (card.retryAfter && now < card.retryAfter) return;
    if (card.finalState === 'final_edited') return this.#sendNotice(watch, card);
    // Not read yet (COC down after a restart, say): a posted card keeps what it shows until then,
    // and a summary already claimed is not replaced by a live card.
    if (!watch.hasSnapshot && !watch.gone && card.messageRef !== null) return;
    if (card.finalState === 'final_claimed' && !watch.final) return;

    if (!watch.final) {
      const rendered = this.#render(watch, card.locale, false);
      const { hash } = rendered;
      if (card.messageRef !== null && hash === card.lastStateHash) return;
      if (this.#throttled(card, now)) {
        this.stats.throttled++;
        return;
      }
      const posted = await this.#deliver(card, rendered.message ?? this.#message(watch, card.locale, false), now);
      if (!posted) return;
      if (posted.messageRef === card.messageRef) await recordCardEdited(db, card.id, { hash, at: now });
      else await recordCardPosted(db, card.id, { messageRef: posted.messageRef, hash, at: now });
      return;
    }

    if (this.#throttled(card, now)) {
      this.stats.throttled++;
      return;
    }
    if (card.finalState === 'live' && !(await claimCardFinal(db, card.id, this.owner, now))) return;
    // Claimed now or by an earlier attempt that failed or was cut short: an edit replaces the
    // card, so writing the same summary again shows it once.
    const rendered = this.#render(watch, card.locale, true);
    const { hash } = rendered;
    const posted = await this.#deliver(card, rendered.message ?? this.#message(watch, card.locale, true), now);
    if (!posted) return;
    await recordCardFinalEdited(db, card.id, { hash, at: now, ...(posted.messageRef !== card.messageRef ? { messageRef: posted.messageRef } : {}) });
    this.stats.finals++;
    await this.#sendNotice(watch, { ...card, finalState: 'final_edited' });
  }

  /**
   * Posts the card (never posted yet) or edits it. Undefined when nothing was delivered; the
   * failure is recorded and the card tried again at a later round.
   */
  async #deliver(card: TrackedCardState, message: Message, now: Date): Promise<PostedMessage | undefined> {
    const { db, chat } = this.#deps;
    const sent = await sendCard(chat, card, message);
    if ('posted' in sent) {
      if (sent.edited) this.stats.edits++;
      else this.stats.posts++;
      return sent.posted;
    }
    const error = sent.refused;
    this.stats.deliveryFailures++;
    if (error.retryAfterMs !== undefined) {
      await recordCardEditFailed(db, card.id, new Date(now.getTime() + Math.max(0, error.retryAfterMs)));
      return undefined;
    }
    const failures = await recordCardEditFailed(db, card.id, null);
    if (card.messageRef === null) {
      // Never posted: a refusal that will not pass (the bot is not in the channel) ends it now.
      if (!error.retryable || failures >= POST_FAILURES_BEFORE_GIVING_UP) await this.#giveUp(card, error);
      return undefined;
    }
    if (failures < EDIT_FAILURES_BEFORE_REPOST) return undefined;
    return this.#repost(card, message, error);
  }

  /** The card cannot be edited any more (deleted, say): posted again, once in its life. */
  async #repost(card: TrackedCardState, message: Message, editError: ChatDeliveryError): Promise<PostedMessage | undefined> {
    const { db, chat } = this.#deps;
    if (!(await claimCardRepost(db, card.id))) {
      await this.#giveUp(card, editError);
      return undefined;
    }
    const sent = await sendCard(chat, card, message, { afresh: true });
    if ('posted' in sent) {
      this.stats.reposts++;
      return sent.posted;
    }
    this.stats.deliveryFailures++;
    if (!sent.refused.retryable) await this.#giveUp(card, sent.refused);
    return undefined;
  }

  /**
   * The platform will not take the card: it is closed for good (no more tries), counted, and its
   * requester told where and why — by whichever replica closed it, so once.
   */
  async #giveUp(card: TrackedCardState, error: ChatDeliveryError): Promise<void> {
    const { db, chat } = this.#deps;
    if (!(await abandonUndeliveredCard(db, card.id))) return;
    this.stats.undelivered++;
    this.#deps.metrics?.undeliveredPost?.(card.platform, error.reason);
    // The requester is reading the answer of watch(): it says so there.
    if (this.#answeredInReply.has(card.id)) {
      this.#answeredInReply.set(card.id, error);
      return;
    }
    if (card.requesterUserId === null) return;
    // Privately where the card was to go if the platform allows it there, else by direct message.
    // Nobody reached on this platform: the card is counted undelivered, the order runs on.
    if (await tellRequester(chat, { ...card, requesterUserId: card.requesterUserId }, undeliveredCardNotice(card, card.locale, error))) this.stats.deliveryFailures++;
    else this.stats.notices++;
  }

  async #sendNotice(watch: OrderWatch, card: TrackedCardState): Promise<void> {
    const { db, chat } = this.#deps;
    if (card.requesterUserId !== null && card.noticeState === 'none' && (await claimCardNotice(db, card.id, NOTICE_ATTEMPTS))) {
      const person = { platform: card.platform, workspaceId: card.workspaceId, userId: card.requesterUserId };
      const state: CardState = { executeUuid: watch.executeUuid, runId: watch.runId, snapshot: watch.snapshot, gone: watch.gone, final: true, failures: 0, failingSince: undefined };
      try {
        await chat.notify(person, finalNotice(state, card.locale, card.channelId), targetOfCard(card));
        this.stats.notices++;
      } catch (error) {
        if (!(error instanceof ChatDeliveryError)) throw error;
        this.stats.deliveryFailures++;
        await recordCardNoticeFailed(db, card.id, NOTICE_ATTEMPTS);
        // Refused, so nothing reached the person: tried again at a later round while attempts
        // remain; then given up and counted (the card itself shows the summary).
        if (card.noticeAttempts + 1 < NOTICE_ATTEMPTS) return;
        this.#deps.metrics?.undeliveredPost?.(card.platform, error.reason);
      }
    }
    await markCardDone(db, card.id);
  }
}
