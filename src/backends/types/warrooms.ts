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
  readonly limit?: number;
}

export interface WarRoomCounts {
  readonly running?: number;
  readonly closed?: number;
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
}

export interface WarRoomsCapability {
  /** A write, never retried. */
  create(draft: WarRoomDraft, options?: CallOptions): Promise<WarRoomId>;
  list(query: WarRoomQuery, options?: CallOptions): Promise<WarRoomPage>;
  /** Rooms running and closed across the tenant. */
  counts?(options?: CallOptions): Promise<WarRoomCounts>;
}
