/**
 * Incident places: the channel or thread where an incident's notifications go (a new Slack
 * channel or a thread, a Discord thread, the terminal's stream). Opening one asks the
 * platform's ChatSurface, records it (one per platform workspace; the first replica to record
 * wins), and posts the incident's card there. The card counts as the first summary, so the
 * next periodic one comes a full interval later and can say what changed since.
 */
import { nativeOf, type Incident } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { ChatDeliveryError, type ChatTarget, type IncidentPlaceRequest } from '../core/chat-surface.js';
import type { Actor } from '../core/invocation.js';
import { translator } from '../i18n/translate.js';
import { claimIncidentChannel, recordSummary, type IncidentChannelRow } from '../store/incident-channels.js';
import type { ChatPlatform } from '../store/vocabulary.js';
import { incidentCard } from './card.js';
import { summaryStateOf } from './summary.js';
import { surfaceUndeliveredIncidentPost } from './undelivered.js';

export interface PlaceRequest {
  readonly platform: ChatPlatform;
  readonly workspaceId: string;
  /** Where the incident was created from (a thread is opened here when no channel is configured). */
  readonly from?: ChatTarget;
  readonly invite: readonly Actor[];
}

export type OpenedPlace =
  | { readonly ok: true; readonly target: ChatTarget; readonly created: boolean }
  | { readonly ok: false; readonly platform: ChatPlatform; readonly reason: string };

export function targetOfRow(row: Pick<IncidentChannelRow, 'platform' | 'workspaceId' | 'channelId' | 'threadRef'>): ChatTarget {
  return { platform: row.platform, workspaceId: row.workspaceId, channelId: row.channelId, ...(row.threadRef ? { threadId: row.threadRef } : {}) };
}

/** How a place is named in replies: `#channel`, `#channel › thread`. */
export function describeTarget(target: ChatTarget): string {
  return target.threadId ? `#${target.channelId} › ${target.threadId}` : `#${target.channelId}`;
}

/**
 * Opens (or finds) the incident's place on one platform and posts its card there. A platform
 * whose adapter is not running here, or that refuses, is reported, not thrown: the incident
 * exists on the platform either way.
 */
export async function openIncidentPlace(services: Services, detail: Incident, request: PlaceRequest): Promise<OpenedPlace> {
  const { db, chat, config } = services;
  const num = nativeOf(detail.id);
  if (!chat.has(request.platform)) return { ok: false, platform: request.platform, reason: `the ${request.platform} adapter is not running` };
  const placeRequest: IncidentPlaceRequest = {
    workspaceId: request.workspaceId,
    incidentNum: num,
    title: detail.title ?? num,
    ...(request.from ? { from: request.from } : {}),
    invite: request.invite,
  };
  let target: ChatTarget;
  try {
    target = await chat.get(request.platform).openIncidentPlace(placeRequest);
  } catch (error) {
    if (error instanceof ChatDeliveryError) {
      // Opening it may be a post (the thread's header): counted as undelivered; the reply of whoever asked says why.
      services.metrics.undeliveredPost(request.platform, error.reason);
      return { ok: false, platform: request.platform, reason: error.message };
    }
    throw error;
  }
  const key = { platform: request.platform, workspaceId: request.workspaceId, incidentNum: num };
  const { channel, claimed } = await claimIncidentChannel(db, { ...key, channelId: target.channelId, threadRef: target.threadId ?? null, lastSeenStatus: detail.status?.code ?? null });
  if (!claimed) return { ok: true, target: targetOfRow(channel), created: false };
  const locale = config.locale;
  try {
    await chat.post(target, incidentCard(detail, { t: translator(locale), locale, vocabulary: services.backend.vocabulary }));
  } catch (error) {
    if (!(error instanceof ChatDeliveryError)) throw error;
    // The place is recorded; status changes and summaries still go there. Whoever opened it hears why the card is missing.
    await surfaceUndeliveredIncidentPost(services, {
      incidentNum: num,
      target,
      error,
      kind: 'card',
      tell: request.invite,
      ...(request.from ? { where: request.from } : {}),
    });
  }
  await recordSummary(db, key, services.now(), summaryStateOf(detail, undefined, []));
  return { ok: true, target, created: true };
}
