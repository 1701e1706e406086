/**
 * Live cards of standard-operations tasks: a card posted when a task starts (or on request) and
 * edited as the task moves, until it ends. Reads only, with the bot's own rights.
 *
 * Bounded on purpose, unlike the order tracker: one timer for all cards, each card followed for
 * at most `maxFollowMs` (then it says so and points at `tasks show`), edited only when what it
 * says changed, and dropped when the task ends or the platform no longer knows it. The cards
 * are followed in this process only: after a restart a card keeps its last state and `tasks
 * show` gives a fresh one — a task runs on the platform whether or not a card follows it.
 */
import { ENDED_TASK_STATES, type Backend, type TaskId, type TaskStatus } from '../backends/index.js';
import type { ChatSurfaces, ChatTarget, PostedMessage } from '../core/chat-surface.js';
import type { Services } from '../core/command.js';
import type { Message } from '../core/message.js';
import { translator, type Locale } from '../i18n/translate.js';
import { cardHash, taskCard } from './task-card.js';
import { deploymentServices } from '../core/services-in.js';

/** Failed reads in a row before the card says the platform cannot be read (one blip is not news). */
export const UNREADABLE_AFTER = 3;

/** Runs `fn` after `ms`; returns how to call it off. Tests pass one they drive by hand. */
export type Schedule = (fn: () => void, ms: number) => () => void;

const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  // A card being followed never keeps the process alive on its own.
  timer.unref();
  return () => clearTimeout(timer);
};

export interface TaskTrackerOptions {
  /** The platform with the bot's own rights. */
  readonly backend: Backend;
  readonly chat: Pick<ChatSurfaces, 'post' | 'update'>;
  readonly now?: () => Date;
  /** Between two reads of every followed task. Default 5 s. */
  readonly intervalMs?: number;
  /** How long one card is followed at most. Default 6 hours. */
  readonly maxFollowMs?: number;
  readonly schedule?: Schedule;
  /** Told of what should not happen (a card that cannot be edited); the card is then dropped. */
  readonly onError?: (error: unknown) => void;
}

export interface FollowRequest {
  readonly task: TaskId;
  /** Where the card goes. */
  readonly target: ChatTarget;
  /** The language the card is written in (the requester's). */
  readonly locale: Locale;
  /** The state just read, if any (saves a read; the card is posted with it). */
  readonly status?: TaskStatus;
}

interface Followed {
  readonly request: FollowRequest;
  readonly posted: PostedMessage;
  readonly since: number;
  last: TaskStatus | undefined;
  hash: string;
  failures: number;
  failingSince: Date | undefined;
}

export class TaskTracker {
  readonly #backend: Backend;
  readonly #chat: TaskTrackerOptions['chat'];
  readonly #now: () => Date;
  readonly #intervalMs: number;
  readonly #maxFollowMs: number;
  readonly #schedule: Schedule;
  readonly #onError: (error: unknown) => void;
  readonly #followed = new Map<string, Followed>();
  #cancelTimer: (() => void) | undefined;
  #round: Promise<void> = Promise.resolve();

  constructor(options: TaskTrackerOptions) {
    this.#backend = options.backend;
    this.#chat = options.chat;
    this.#now = options.now ?? (() => new Date());
    this.#intervalMs = options.intervalMs ?? 5_000;
    this.#maxFollowMs = options.maxFollowMs ?? 6 * 3_600_000;
    this.#schedule = options.schedule ?? realSchedule;
    this.#onError = options.onError ?? (() => {});
  }

  /** How many cards are being followed now. */
  get following(): number {
    return this.#followed.size;
  }

  /**
   * Posts the task's card at `target` and follows it until the task ends. A task that has ended
   * already gets its final card and is not followed. Asking again for the same task and place
   * keeps the card already there.
   */
  async follow(request: FollowRequest): Promise<PostedMessage | undefined> {
    const key = keyOf(request.task, request.target);
    const existing = this.#followed.get(key);
    if (existing) return existing.posted;
    const status = request.status ?? (await this.#read(request.task));
    if (!status) return undefined;
    const card = this.#render(request, status, {});
    const posted = await this.#chat.post(request.target, card);
    if (ENDED_TASK_STATES.has(status.status.state)) return posted;
    this.#followed.set(key, { request, posted, since: this.#now().getTime(), last: status, hash: cardHash(card), failures: 0, failingSince: undefined });
    this.#arm();
    return posted;
  }

  /** Reads the task at once instead of at the next round (after a pause, resume or revoke). */
  nudge(task: TaskId): Promise<void> {
    return this.#serial(() => this.#pollWhere((followed) => followed.request.task === task));
  }

  /** One round: every followed card read and, where it changed, edited (the timer calls this; tests too). */
  pollOnce(): Promise<void> {
    return this.#serial(() => this.#pollWhere(() => true));
  }

  /** Stops following every card (their last state stays). */
  stop(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#followed.clear();
  }

  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#round.then(work, work);
    this.#round = next.catch(() => undefined);
    return next;
  }

  #arm(): void {
    if (this.#cancelTimer || this.#followed.size === 0) return;
    this.#cancelTimer = this.#schedule(() => {
      this.#cancelTimer = undefined;
      void this.pollOnce()
        .catch(this.#onError)
        .finally(() => this.#arm());
    }, this.#intervalMs);
  }

  async #read(task: TaskId): Promise<TaskStatus | undefined> {
    const tasks = this.#backend.tasks;
    if (!tasks) return undefined;
    return tasks.status(task);
  }

  #render(request: FollowRequest, status: TaskStatus, extra: { staleAfterMinutes?: number; unreadableSince?: Date; gone?: boolean }): Message {
    const platform = translator(request.locale)(this.#backend.displayName);
    return taskCard(status, { locale: request.locale, platform, live: true, ...extra });
  }

  async #pollWhere(matches: (followed: Followed) => boolean): Promise<void> {
    for (const [key, followed] of [...this.#followed]) {
      if (!matches(followed)) continue;
      try {
        await this.#pollOne(key, followed);
      } catch (error) {
        // A card that cannot be edited is given up, never retried forever.
        this.#followed.delete(key);
        this.#onError(error);
      }
    }
  }

  async #pollOne(key: string, followed: Followed): Promise<void> {
    const { request } = followed;
    const stale = this.#now().getTime() - followed.since >= this.#maxFollowMs;
    let status: TaskStatus | undefined;
    let gone = false;
    try {
      status = await this.#read(request.task);
      gone = status === undefined;
      followed.failures = 0;
      followed.failingSince = undefined;
    } catch {
      followed.failures += 1;
      followed.failingSince ??= this.#now();
    }
    const shown = status ?? followed.last;
    followed.last = shown;
    const ended = gone || (status !== undefined && ENDED_TASK_STATES.has(status.status.state));
    if (!shown) {
      if (stale || gone) this.#followed.delete(key);
      return;
    }
    const card = this.#render(request, shown, {
      ...(gone ? { gone: true } : {}),
      ...(stale && !ended ? { staleAfterMinutes: Math.round(this.#maxFollowMs / 60_000) } : {}),
      ...(followed.failures >= UNREADABLE_AFTER && followed.failingSince ? { unreadableSince: followed.failingSince } : {}),
    });
    if (ended || stale) this.#followed.delete(key);
    const hash = cardHash(card);
    if (hash === followed.hash) return;
    followed.hash = hash;
    await this.#chat.update(followed.posted, card);
  }
}

function keyOf(task: TaskId, target: ChatTarget): string {
  return JSON.stringify([task, target.platform, target.workspaceId, target.channelId, target.threadId ?? '']);
}

const trackers = new WeakMap<Services, TaskTracker>();

/** The task tracker of a running bot (made on first use, with the bot's own rights). */
export function taskTrackerOf(invocationServices: Services): TaskTracker {
  const services = deploymentServices(invocationServices);
  let tracker = trackers.get(services);
  if (!tracker) {
    tracker = new TaskTracker({ backend: services.backend, chat: services.chat, now: services.now, onError: (error) => services.log.warn({ err: error }, 'a task card could not be updated') });
    trackers.set(services, tracker);
  }
  return tracker;
}

/** Gives a bot a tracker of the caller's making (tests drive its rounds by hand). */
export function useTaskTracker(invocationServices: Services, tracker: TaskTracker): void {
  const services = deploymentServices(invocationServices);
  trackers.get(services)?.stop();
  trackers.set(services, tracker);
}
