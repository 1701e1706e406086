/**
 * Incidents: what the platform records about an outage, listed, read, opened and worked
 * (accept, submit the solution, verify or reject it) where the platform can.
 *
 * Levels, types and sources stay the platform's own codes (shown through the vocabulary, or
 * the platform's own names for them in `names`); the status also has the product's word for
 * it, which the workflow reads.
 */
import type { CallOptions, Page } from '../backend.js';
import type { IncidentId, WarRoomId } from '../ids.js';
import type { Coded } from './coded.js';

export const INCIDENT_STATES = ['draft', 'triggered', 'acknowledged', 'rejected', 'resolved', 'completed', 'other'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** The fields the platform names values of (people, applications, its own codes). */
export const INCIDENT_NAMED_FIELDS = ['level', 'type', 'status', 'source', 'assignee', 'creator', 'operator', 'application'] as const;
export type IncidentNamedField = (typeof INCIDENT_NAMED_FIELDS)[number];

/** The platform's own name for one value of a field: a person's name for their user id, a level's name… */
export interface IncidentName {
  readonly field: IncidentNamedField;
  /** The value named (a code, a user id, an application id). */
  readonly key: string;
  readonly en?: string;
  readonly zh?: string;
}

export interface Incident {
  readonly id: IncidentId;
  readonly title?: string;
  readonly description?: string;
  readonly status?: Coded<IncidentState>;
  /** The platform's level code (COC `level_10` … `level_50`). */
  readonly level?: string;
  /** The platform's type code. */
  readonly type?: string;
  /** The platform's source code. */
  readonly source?: string;
  readonly serviceInterrupted?: boolean;
  /** User ids. */
  readonly assignees: readonly string[];
  /** The on-call scene and role the incident is assigned to, when not to people. */
  readonly assigneeScene?: string;
  readonly assigneeRole?: string;
  readonly regions: readonly string[];
  readonly enterpriseProjects: readonly string[];
  /** Application ids. */
  readonly applications: readonly string[];
  /** User id. */
  readonly creator?: string;
  readonly warRoom?: WarRoomId;
  readonly createdAt?: number;
  /** When the fault started. */
  readonly startedAt?: number;
  readonly recoveredAt?: number;
  readonly names: readonly IncidentName[];
}

export interface IncidentListItem {
  readonly id: IncidentId;
  readonly title?: string;
  readonly status?: Coded<IncidentState>;
  readonly level?: string;
  readonly assignees: readonly string[];
  readonly creator?: string;
  readonly createdAt?: number;
  readonly names: readonly IncidentName[];
}

export interface IncidentQuery {
  /** The platform's status codes, any of. */
  readonly statusCodes?: readonly string[];
  /** The platform's level codes, any of. */
  readonly levelCodes?: readonly string[];
  /** Assigned to any of these (user ids or names, as the platform's field holds them). */
  readonly assignees?: readonly string[];
  /** Exactly this title. */
  readonly title?: string;
  /** Created by this user id. */
  readonly creator?: string;
  /** Created strictly after (epoch ms). */
  readonly createdAfter?: number;
  /** Created at or after (epoch ms). */
  readonly createdSince?: number;
  /** By creation time; unset = the platform's own order. */
  readonly order?: 'newest-first' | 'oldest-first';
  /** 1-based. */
  readonly page: number;
  readonly perPage: number;
  /** Whether to ask for the total (unset = the platform's default). */
  readonly withTotal?: boolean;
}

/** A value people may give for a level or a type, and the code it stands for. */
export interface IncidentChoice {
  /** What people type (p1, networking…). */
  readonly word: string;
  readonly code: string;
  /** A short label for a select option (P1…); the vocabulary's name when absent. */
  readonly label?: string;
}

export interface IncidentChoices {
  /** In the platform's order, most severe first. */
  readonly levels: readonly IncidentChoice[];
  /** One per word, in the order they are offered. */
  readonly types: readonly IncidentChoice[];
  /** More words people reach for, each standing for a type code. */
  readonly typeAliases: Readonly<Record<string, string>>;
  /** Every code the platform takes (typed as they are, they are sent unchanged). */
  readonly levelCodes: readonly string[];
  readonly typeCodes: readonly string[];
  /** The statuses a list can filter on: a word and the platform's code. */
  readonly statuses: readonly IncidentChoice[];
}

/** A checked incident, ready to be opened. */
export interface IncidentDraft {
  readonly title: string;
  readonly description: string;
  readonly level: string;
  readonly type: string;
  readonly serviceInterrupted: boolean;
  /** Application id. */
  readonly application: string;
  /** User ids. */
  readonly creator: string;
  /** The person it is assigned to; with `onCall` unset, required (COC: one or the other, or both). */
  readonly assignee?: string;
  /** The on-call scene and role it is assigned to (COC `assignee_scene` + `assignee_role`, set together). */
  readonly onCall?: { readonly scene: string; readonly role: string };
  readonly region?: string;
}

export type IncidentAction =
  | { readonly kind: 'accept' }
  | { readonly kind: 'solve'; readonly type: string; readonly serviceInterrupted: boolean; readonly cause: string; readonly solution: string }
  | { readonly kind: 'verify'; readonly comment: string }
  | { readonly kind: 'reject'; readonly comment: string };
export type IncidentActionKind = IncidentAction['kind'];

/**
 * One action the platform offers on the incident now, to the person asking (COC's v2 tasks:
 * a workflow node's operation). `operation` is the product's word for it when the product
 * knows the platform's key; an action it does not know is listed but not offered in chat.
 */
export interface IncidentOffer {
  /** The workflow node (task) the action belongs to, as the platform names it. */
  readonly taskId: string;
  /** The platform's key of the action. */
  readonly action: string;
  /** The node's own name, for an action the product has no word for. */
  readonly taskName?: string;
  readonly operations: readonly IncidentActionKind[];
}

/** The incident's workflow now: its nodes in order, and the actions on offer to the person asking. */
export interface IncidentWorkflow {
  readonly steps: readonly { readonly key?: string; readonly name?: string; readonly state?: string }[];
  readonly offers: readonly IncidentOffer[];
}

/** One entry of an incident's timeline: what was done, by whom, when, with what comment. */
export interface IncidentHistoryEntry {
  /** The platform's key of what was done. */
  readonly action: string;
  /** The platform's own names for it. */
  readonly en?: string;
  readonly zh?: string;
  /** User id of whoever did it. */
  readonly operator?: string;
  /** The platform's status code after it. */
  readonly status?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly comment?: string;
  readonly names: readonly IncidentName[];
}

export interface IncidentsCapability {
  readonly choices: IncidentChoices;
  list(query: IncidentQuery, options?: CallOptions): Promise<Page<IncidentListItem>>;
  /** undefined = the platform does not know the incident. */
  get(id: IncidentId, options?: CallOptions): Promise<Incident | undefined>;
  /** A write, never retried. */
  create?(draft: IncidentDraft, options?: CallOptions): Promise<IncidentId>;
  /** A write, never retried; `by` is the user id of whoever acts. */
  handle?(id: IncidentId, action: IncidentAction, by: string, options?: CallOptions): Promise<void>;
  /** The workflow and the actions the platform offers now to whoever this backend acts as. */
  workflow?(id: IncidentId, options?: CallOptions): Promise<IncidentWorkflow>;
  /** Takes an offered action (a write, never retried); `by` is the user id of whoever acts. */
  act?(id: IncidentId, offer: IncidentOffer, action: IncidentAction, by: string, options?: CallOptions): Promise<void>;
  /** The incident's timeline, oldest first. */
  timeline?(id: IncidentId, options?: CallOptions): Promise<readonly IncidentHistoryEntry[]>;
}
