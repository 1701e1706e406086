/**
 * The incident watcher, a background task. Every `incidents.pollSeconds` it
 *  1. (with `incidents.announce`) opens places for incidents created on the platform since its last
 *     look, each claimed once across replicas;
 *  2. reads every open incident that has a place and posts status changes there (once; see
 *     transitions.ts), and stops watching completed ones;
 *  3. posts a summary in each open incident's place every `incidents.summaryMinutes`, claimed
 *     with a conditional UPDATE so a restart or a second replica does not post it twice.
 * Time comes from `services.now()`, so tests drive it with a fake clock through `runOnce()`.
 */
import type { BackgroundTask } from '../app/background.js';
import { isBackendError, isNotFound, makeId, need, nativeOf, type Backend, type Incident, type WarRoom, type WarRoomId } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { ChatDeliveryError, type ChatTarget } from '../core/chat-surface.js';
import { translator } from '../i18n/translate.js';
import { SHELL_WORKSPACE } from '../identity/demo.js';
import { claimSummary, closeIncidentChannel, listOpenIncidentChannels, releaseSummary, type IncidentChannelRow } from '../store/incident-channels.js';
import { claimIncidentRequest, finishIncidentRequest } from '../store/incident-requests.js';
import { getSetting, setSetting } from '../store/settings.js';
import { CHAT_PLATFORMS, type ChatPlatform } from '../store/vocabulary.js';
import { z } from 'zod';
import { loadLinkedOrders } from './linked-orders.js';
import { openIncidentPlace, targetOfRow, type PlaceRequest } from './places.js';
import { readSummaryState, summaryMessage, summaryStateOf } from './summary.js';
import { auditAnnounced, auditPlaceClosed } from './system-audit.js';
import { announceStatus } from './transitions.js';
import { surfaceUndeliveredIncidentPost } from './undelivered.js';
import { isOpen } from './workflow.js';
import { readTimeline } from './timeline.js';

const WATERMARK_KEY = 'incidents.announce.createdAfter';
/** Incidents read per announcement round; the rest wait for the next one. */
const ANNOUNCE_PAGE = 50;

export interface WatchReport {
  readonly announced: number;
  readonly transitions: number;
  readonly summaries: number;
}

export function announcementKey(incidentNum: string): string {
  return `announce:${incidentNum}`;
}

/** The WarRoom of an incident, or undefined when it has none or the platform does not list it. */
export async function readWarRoom(backend: Backend, warRoomId: WarRoomId | undefined): Promise<WarRoom | undefined> {
  if (!warRoomId || !backend.warRooms) return undefined;
  const native = nativeOf(warRoomId);
  const page = await backend.warRooms.list({ rooms: [native], limit: 1 });
  return page.items.find((room) => (room.id !== undefined && nativeOf(room.id) === native) || room.number === native);
}

export class IncidentWatcher implements BackgroundTask {
  readonly name = 'incident-watcher';
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(
    private readonly services: Services,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  start(): void {
    this.#stopped = false;
    this.#schedule(this.services.config.incidents.pollSeconds * 1000);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.runOnce()
        .catch((error: unknown) => this.#report(error))
        .finally(() => {
          this.#running = undefined;
          this.#schedule(this.services.config.incidents.pollSeconds * 1000);
        });
    }, delayMs);
    this.#timer.unref();
  }

  /** The platform being unreachable is expected now and then and retried at the next poll; anything else is reported. */
  #report(error: unknown): void {
    if (!isBackendError(error)) this.onError(error);
  }

  /** The platforms whose adapters run in this process. */
  #platforms(): ChatPlatform[] {
    return CHAT_PLATFORMS.filter((platform) => this.services.chat.has(platform));
  }

  async runOnce(): Promise<WatchReport> {
    const announced = this.services.config.incidents.announce ? await this.announceNew() : 0;
    const rows = await listOpenIncidentChannels(this.services.db, this.#platforms());
    const details = await this.readIncidents(rows);
    let transitions = 0;
    for (const [num, detail] of details) {
      if (!detail) continue;
      transitions += await announceStatus(
        this.services,
        detail,
        undefined,
        rows.filter((row) => row.incidentNum === num),
      );
    }
    const summaries = await this.postSummaries(rows, details);
    return { announced, transitions, summaries };
  }

  /** Each incident once; one that the platform no longer knows stops being watched. */
  private async readIncidents(rows: readonly IncidentChannelRow[]): Promise<Map<string, Incident | undefined>> {
    const details = new Map<string, Incident | undefined>();
    const { backend } = this.services;
    for (const row of rows) {
      if (details.has(row.incidentNum)) continue;
      let detail: Incident | undefined;
      let gone = false;
      try {
        detail = await need(backend, 'incidents').get(makeId(backend.name, 'incident', row.incidentNum));
        gone = detail === undefined;
      } catch (error) {
        if (isNotFound(error)) gone = true;
        else this.#report(error);
      }
      details.set(row.incidentNum, detail);
      if (!gone) continue;
      for (const place of rows.filter((r) => r.incidentNum === row.incidentNum)) {
        const key = { platform: place.platform, workspaceId: place.workspaceId, incidentNum: place.incidentNum };
        if (await closeIncidentChannel(this.services.db, key, this.services.now())) await auditPlaceClosed(this.services.db, key, 'gone');
      }
    }
    return details;
  }

  private async postSummaries(rows: readonly IncidentChannelRow[], details: ReadonlyMap<string, Incident | undefined>): Promise<number> {
    const minutes = this.services.config.incidents.summaryMinutes;
    if (minutes <= 0) return 0;
    const intervalMs = minutes * 60_000;
    const now = this.services.now();
    let posted = 0;
    for (const row of rows) {
      const detail = details.get(row.incidentNum);
      if (!detail || !isOpen(detail.status)) continue;
      const base = row.lastSummaryAt ?? row.createdAt;
      if (now.getTime() - base.getTime() < intervalMs) continue;
      try {
        if (await this.postSummary(row, detail, now, minutes)) posted++;
      } catch (error) {
        // The platform could not be read for this one; the next poll tries again (nothing was claimed).
        this.#report(error);
      }
    }
    return posted;
  }

  private async postSummary(row: IncidentChannelRow, detail: Incident, now: Date, minutes: number): Promise<boolean> {
    const { db, config, backend } = this.services;
    const [warRoom, orders, timeline] = await Promise.all([readWarRoom(backend, detail.warRoom), loadLinkedOrders(db, backend, nativeOf(detail.id)), readTimeline(backend.incidents, detail.id)]);
    const key = { platform: row.platform, workspaceId: row.workspaceId, incidentNum: row.incidentNum };
    const state = summaryStateOf(detail, warRoom, orders);
    if (!(await claimSummary(db, key, row.lastSummaryAt, now, state))) return false;
    const previousState = readSummaryState(row.summaryState);
    const locale = config.locale;
    const message = summaryMessage(detail, {
      t: translator(locale),
      locale,
      vocabulary: backend.vocabulary,
      now,
      orders,
      ...(warRoom ? { warRoom } : {}),
      ...(previousState && row.lastSummaryAt ? { previous: { state: previousState, at: row.lastSummaryAt } } : {}),
      nextInMinutes: minutes,
      ...(timeline ? { timeline } : {}),
    });
    try {
      await this.services.chat.post(targetOfRow(row), message);
      return true;
    } catch (error) {
      // Refused for good (the bot is not in the channel): counted, and the next one comes a full interval later, not at every poll.
      if (error instanceof ChatDeliveryError && !error.retryable) {
        await surfaceUndeliveredIncidentPost(this.services, { incidentNum: row.incidentNum, target: targetOfRow(row), error, kind: 'update' });
        return false;
      }
      await releaseSummary(db, key, row, now);
      if (!(error instanceof ChatDeliveryError)) throw error;
      return false;
    }
  }

  /** Where incidents found by polling are announced, per platform running here. */
  #announceTargets(): PlaceRequest[] {
    const { incidents } = this.services.config;
    const requests: PlaceRequest[] = [];
    for (const platform of this.#platforms()) {
      if (platform === 'shell') {
        requests.push({ platform, workspaceId: SHELL_WORKSPACE, invite: [] });
      } else {
        const section = platform === 'slack' ? incidents.slack : incidents.discord;
        if (!section.workspace) continue;
        const from: ChatTarget | undefined = section.channel ? { platform, workspaceId: section.workspace, channelId: section.channel } : undefined;
        if (!from && !(platform === 'slack' && incidents.slack.mode === 'channel')) continue;
        requests.push({ platform, workspaceId: section.workspace, ...(from ? { from } : {}), invite: [] });
      }
    }
    return requests;
  }

  /**
   * Opens places for incidents created since the last look. The first look only remembers
   * the newest incident's creation time (the platform's clock, not ours, so a skew between the two
   * loses nothing): an existing backlog is not announced all at once.
   */
  async announceNew(): Promise<number> {
    const { db, backend } = this.services;
    const incidents = need(backend, 'incidents');
    const targets = this.#announceTargets();
    const after = await getSetting(db, WATERMARK_KEY, z.number());
    if (after === undefined) {
      const newest = await incidents.list({ page: 1, perPage: 1, withTotal: false, order: 'newest-first' });
      await setSetting(db, WATERMARK_KEY, newest.items[0]?.createdAt ?? 0);
      return 0;
    }
    if (targets.length === 0) return 0;
    const page = await incidents.list({ page: 1, perPage: ANNOUNCE_PAGE, withTotal: false, createdAfter: after, order: 'oldest-first' });
    let announced = 0;
    let newest = after;
    for (const item of page.items) {
      newest = Math.max(newest, item.createdAt ?? newest);
      const num = nativeOf(item.id);
      const key = announcementKey(num);
      const claim = await claimIncidentRequest(db, key, num);
      if (!claim.claimed) continue;
      let detail: Incident | undefined;
      let failure: { error: unknown } | undefined;
      try {
        detail = await incidents.get(item.id);
      } catch (error) {
        failure = { error };
      }
      if (!detail) {
        await finishIncidentRequest(db, key, 'unknown');
        if (failure) this.#report(failure.error);
        continue;
      }
      if (isOpen(detail.status)) {
        const places: { platform: string; workspaceId: string; ok: boolean }[] = [];
        for (const target of targets) {
          const opened = await openIncidentPlace(this.services, detail, target);
          places.push({ platform: target.platform, workspaceId: target.workspaceId, ok: opened.ok });
          if (opened.ok && opened.created) announced++;
        }
        await auditAnnounced(db, num, places);
      }
      await finishIncidentRequest(db, key, 'done', num);
    }
    if (newest > after) await setSetting(db, WATERMARK_KEY, newest);
    return announced;
  }
}
