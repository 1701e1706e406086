/**
 * Following an inventory sync to its result. COC answers a sync at once and does the work in the
 * background, with nothing to ask about it later but the hosts list itself; so the list is read
 * every round and compared with the snapshot taken before the sync was asked for:
 *
 * - a change that reads the same twice in a row is the result (the sync has settled);
 * - an agent sync whose hosts are all online is done at once;
 * - at the deadline the bot stops waiting and says so, with whatever it saw.
 *
 * The result is posted once, where the sync was asked for. Reads only, with the requester's own
 * rights; followed in this process only (after a restart, "hosts" shows the list as it is).
 */
import type { Backend, HostQuery } from '../backends/index.js';
import type { ChatSurfaces, ChatTarget } from '../core/chat-surface.js';
import type { Services } from '../core/command.js';
import type { Message } from '../core/message.js';
import { translator, type Locale } from '../i18n/translate.js';
import { agentSyncResult, hostSyncResult, readSnapshot, sameSnapshot, diffSnapshots, isEmptyDiff, type HostSnapshot, type SyncEnd } from './sync-result.js';
import { deploymentServices } from '../core/services-in.js';

/** Runs `fn` after `ms`; returns how to call it off. Tests pass one they drive by hand. */
export type Schedule = (fn: () => void, ms: number) => () => void;

const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  // A sync being followed never keeps the process alive on its own.
  timer.unref();
  return () => clearTimeout(timer);
};

export type SyncKind = 'hosts' | 'agents';

export interface SyncFollowRequest {
  readonly kind: SyncKind;
  /** The platform as the requester (the list they may read). */
  readonly backend: Backend;
  /** Where the result goes: where the sync was asked for. */
  readonly target: ChatTarget;
  readonly locale: Locale;
  /** Which hosts are compared: all (hosts sync) or the chosen ones (agents sync, by id). */
  readonly query: HostQuery;
  /** The list before the sync was asked for. */
  readonly before: HostSnapshot;
}

export interface SyncFollowerOptions {
  readonly chat: Pick<ChatSurfaces, 'post'>;
  readonly now?: () => Date;
  /** Between two reads. Default 5 s. */
  readonly intervalMs?: number;
  /** Before the first read of a new sync (a fast platform has often done it by then). Default 1 s. */
  readonly firstReadMs?: number;
  /** How long one sync is followed at most. Default 3 minutes. */
  readonly maxFollowMs?: number;
  readonly schedule?: Schedule;
  /** Told of a result that could not be posted (it is not tried again). */
  readonly onError?: (error: unknown) => void;
}

interface Followed {
  readonly request: SyncFollowRequest;
  readonly since: number;
  /** The last read, to tell a settled change from one still under way. */
  last: HostSnapshot | undefined;
  unreadable: boolean;
}

export class SyncFollower {
  readonly #chat: SyncFollowerOptions['chat'];
  readonly #now: () => Date;
  readonly #intervalMs: number;
  readonly #firstReadMs: number;
  readonly #maxFollowMs: number;
  readonly #schedule: Schedule;
  readonly #onError: (error: unknown) => void;
  readonly #followed = new Set<Followed>();
  #cancelTimer: (() => void) | undefined;
  #round: Promise<void> = Promise.resolve();

  constructor(options: SyncFollowerOptions) {
    this.#chat = options.chat;
    this.#now = options.now ?? (() => new Date());
    this.#intervalMs = options.intervalMs ?? 5_000;
    this.#firstReadMs = options.firstReadMs ?? 1_000;
    this.#maxFollowMs = options.maxFollowMs ?? 3 * 60_000;
    this.#schedule = options.schedule ?? realSchedule;
    this.#onError = options.onError ?? (() => {});
  }

  /** How long a sync is followed at most, in whole minutes (for the reply that promises the result). */
  get maxFollowMinutes(): number {
    return Math.max(1, Math.round(this.#maxFollowMs / 60_000));
  }

  get following(): number {
    return this.#followed.size;
  }

  follow(request: SyncFollowRequest): void {
    const first = this.#followed.size === 0;
    this.#followed.add({ request, since: this.#now().getTime(), last: undefined, unreadable: false });
    // Nothing else followed: the first read comes sooner than the round interval.
    this.#arm(first ? this.#firstReadMs : this.#intervalMs);
  }

  /** One round: every followed sync read, and its result posted when it has one (the timer calls this; tests too). */
  pollOnce(): Promise<void> {
    const next = this.#round.then(
      () => this.#pollAll(),
      () => this.#pollAll(),
    );
    this.#round = next.catch(() => undefined);
    return next;
  }

  stop(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#followed.clear();
  }

  #arm(delayMs = this.#intervalMs): void {
    if (this.#cancelTimer || this.#followed.size === 0) return;
    this.#cancelTimer = this.#schedule(() => {
      this.#cancelTimer = undefined;
      void this.pollOnce()
        .catch(this.#onError)
        .finally(() => this.#arm());
    }, delayMs);
  }

  async #pollAll(): Promise<void> {
    for (const followed of [...this.#followed]) await this.#pollOne(followed);
  }

  async #pollOne(followed: Followed): Promise<void> {
    const { request } = followed;
    let now: HostSnapshot | undefined;
    try {
      now = await readSnapshot(request.backend, request.query);
      followed.unreadable = false;
    } catch {
      followed.unreadable = true;
    }
    const timedOut = this.#now().getTime() - followed.since >= this.#maxFollowMs;
    const previous = followed.last;
    if (now) followed.last = now;
    if (!timedOut && !(now && settled(request, previous, now))) return;
    // Posted once: the sync leaves the list before its result goes out, whatever the post does.
    this.#followed.delete(followed);
    const end: SyncEnd = { timedOut: !(now && settled(request, previous, now)), minutes: this.maxFollowMinutes, unreadable: followed.unreadable };
    try {
      await this.#chat.post(request.target, resultOf(request, followed.last ?? request.before, end));
    } catch (error) {
      this.#onError(error);
    }
  }
}

/** Whether the sync has come to its result with this read. */
function settled(request: SyncFollowRequest, previous: HostSnapshot | undefined, now: HostSnapshot): boolean {
  if (request.kind === 'agents' && now.hosts.size > 0 && [...now.hosts.values()].every((host) => host.agent.state === 'online')) return true;
  if (isEmptyDiff(diffSnapshots(request.before, now))) return false;
  return previous !== undefined && sameSnapshot(previous, now);
}

function resultOf(request: SyncFollowRequest, after: HostSnapshot, end: SyncEnd): Message {
  const context = { t: translator(request.locale), locale: request.locale, backend: request.backend };
  return request.kind === 'hosts' ? hostSyncResult(request.before, after, end, context) : agentSyncResult(request.before, after, end, context);
}

const followers = new WeakMap<Services, SyncFollower>();

/** The sync follower of a running bot (made on first use). */
export function syncFollowerOf(invocationServices: Services): SyncFollower {
  const services = deploymentServices(invocationServices);
  let follower = followers.get(services);
  if (!follower) {
    follower = new SyncFollower({ chat: services.chat, now: services.now, onError: (error) => services.log.warn({ err: error }, 'the result of an inventory sync could not be posted') });
    followers.set(services, follower);
  }
  return follower;
}

/** Gives a bot a follower of the caller's making (tests drive its rounds by hand). */
export function useSyncFollower(invocationServices: Services, follower: SyncFollower): void {
  const services = deploymentServices(invocationServices);
  followers.get(services)?.stop();
  followers.set(services, follower);
}
