/** WarRooms: a platform's rooms where people recover from an incident together. */
import type { CallOptions, Page } from '../backend.js';
import type { IncidentId, WarRoomId } from '../ids.js';

export interface WarRoom {
  /** The platform's id of the room (what an incident links to). */
  readonly id?: WarRoomId;
  /** The platform's number for the room, where it has one besides the id. */
  readonly number?: string;
  readonly title?: string;
  readonly description?: string;
  /** User id. */
  readonly admin?: string;
  /** User ids. */
  readonly leaders: readonly string[];
  readonly members: readonly string[];
  readonly incident?: { readonly number?: string; readonly level?: string };
  /** The status, with the platform's own names for it. */
  readonly status?: { readonly code?: string; readonly en?: string; readonly zh?: string };
  readonly regions: readonly { readonly code?: string; readonly name?: string }[];
  readonly applications: readonly { readonly id?: string; readonly name?: string }[];
  readonly occurredAt?: number;
  readonly createdAt?: number;
  readonly recoveredAt?: number;
  readonly processingMinutes?: number;
  readonly restorationMinutes?: number;
  readonly faultCause?: string;
  readonly faultImpact?: string;
}

export interface WarRoomQuery {
  /** The rooms of this incident. */
  readonly incident?: IncidentId;
  /** These rooms, by id or number (the platform may ignore every other filter then). */
  readonly rooms?: readonly string[];
  /** Started within (epoch ms); unset = the platform's default window. */
  readonly startedFrom?: number;
  readonly startedTo?: number;
  /** The platform's status codes (one of `statuses`), any of. */
  readonly statusCodes?: readonly string[];
  /** The platform's incident level codes, any of. */
  readonly levelCodes?: readonly string[];
  /** Affected application ids, any of. */
  readonly applications?: readonly string[];
  /** Affected region codes, any of. */
  readonly regions?: readonly string[];
  readonly limit?: number;
  /** Rows to skip (paging). */
  readonly offset?: number;
}

/** A status a list can filter on: the product's word and the platform's code. */
export interface WarRoomStatusChoice {
  readonly word: 'running' | 'closed';
  readonly code: string;
}

export interface WarRoomCounts {
  readonly running?: number;
  readonly closed?: number;
}

/** On-call people to pull into a room: a scene of the platform's on-call schedules and a role in it. */
export interface ScheduleGroup {
  readonly scene: string;
  readonly role: string;
}

export interface WarRoomPage extends Page<WarRoom>, WarRoomCounts {}

export interface WarRoomDraft {
  readonly name: string;
  readonly description?: string;
  readonly incident: IncidentId;
  /** Application ids, at least one. */
  readonly applications: readonly string[];
  /** User id. */
  readonly admin: string;
  /** unset = the platform's default project. */
  readonly enterpriseProject?: string;
  readonly regions?: readonly string[];
  /** User ids. */
  readonly participants?: readonly string[];
  /** On-call scene/role pairs whose people join the room; unset = none. */
  readonly scheduleGroups?: readonly ScheduleGroup[];
}

export interface WarRoomsCapability {
  /** A write, never retried. */
  create(draft: WarRoomDraft, options?: CallOptions): Promise<WarRoomId>;
  list(query: WarRoomQuery, options?: CallOptions): Promise<WarRoomPage>;
  /** The statuses `list` can filter on; absent = it cannot filter by status. */
  readonly statuses?: readonly WarRoomStatusChoice[];
  /** Rooms running and closed across the tenant. */
  counts?(options?: CallOptions): Promise<WarRoomCounts>;
}
