/**
 * The live order tracker: one card per order and place that edits itself until the order
 * ends. `track()` posts the first card and stores the request (tracked_orders), so a restart
 * resumes every card; the polling task re-reads leased orders and edits their cards.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { BackgroundTask } from '../app/background.js';
import type { CocClient } from '../coc/client.js';
import type { Config } from '../config.js';
import type { ChatSurfaces, PostedMessage } from '../core/chat-surface.js';
import type { Db } from '../store/db.js';
import { getTrackedOrder, insertTrackedOrder } from '../store/tracked-orders.js';
import { translator } from '../i18n/translate.js';
import { loadOrderSnapshot, orderCard, readOrder } from './order-card.js';
import type { OrderTracking, TrackRequest } from './tracking.js';

export interface OrderTrackerDeps {
  readonly db: Db;
  readonly coc: CocClient;
  readonly chat: ChatSurfaces;
  readonly now: () => Date;
  readonly config: Pick<Config, 'tracker'>;
  /** Who this replica is in the leases; default host:pid:random. */
  readonly owner?: string;
  /** Errors nobody expected (database down, a bug); COC and chat failures are handled. */
  readonly onError?: (error: unknown) => void;
}

export class OrderTracker implements OrderTracking {
  readonly owner: string;
  readonly #deps: OrderTrackerDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(deps: OrderTrackerDeps) {
    this.#deps = deps;
    this.owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  async track(request: TrackRequest): Promise<PostedMessage | undefined> {
    const { db, coc, chat } = this.#deps;
    const existing = await getTrackedOrder(db, request.executeUuid);
    if (existing?.messageRef) return { ...request.target, messageRef: existing.messageRef };
    const order = await readOrder(coc, request.executeUuid);
    if (!order) return undefined;
    const snapshot = await loadOrderSnapshot(coc, order);
    const posted = await chat.post(request.target, orderCard(snapshot, { t: translator(request.locale), locale: request.locale }));
    await insertTrackedOrder(db, {
      executeUuid: request.executeUuid,
      platform: request.target.platform,
      workspaceId: request.target.workspaceId,
      channelId: request.target.channelId,
      messageRef: posted.messageRef,
      threadRef: request.target.threadId ?? null,
      approvalId: request.approvalId ?? null,
      startedByIamUser: request.startedByIamUser ?? null,
    });
    return posted;
  }

  nudge(_executeUuid: string): void {
    this.#schedule(0);
  }

  /** One polling round over the orders this replica leases. */
  async tick(): Promise<void> {
    // The polling round is built on the leases in the store; see tracker-poll.ts.
  }

  readonly task: BackgroundTask = {
    name: 'order-tracker',
    start: () => {
      this.#stopped = false;
      this.#schedule(0);
    },
    stop: async () => {
      this.#stopped = true;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      await this.#running;
    },
  };

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.tick()
        .catch((error: unknown) => this.#deps.onError?.(error))
        .finally(() => {
          this.#running = undefined;
          this.#schedule(this.#deps.config.tracker.pollIntervalMs);
        });
    }, delayMs);
    this.#timer.unref();
  }
}
