/** Alarms the product raises on the platform (and clears), as far as chat needs them. */
import type { CallOptions, Page } from '../backend.js';
import type { Id } from '../ids.js';
import type { HostTarget } from './hosts.js';
import type { Coded } from './coded.js';

/** How bad an alarm is, in the product's words; the platform's own level code is kept beside it. */
export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

/** One alarm raised (or cleared) from chat. */
export interface AlarmReport {
  /** The product's own id of the alarm: the same id updates (or clears) the same alarm. */
  readonly id: string;
  readonly name: string;
  /** The platform's level code, one of `levels`. */
  readonly levelCode: string;
  readonly description: string;
  /** When it was raised, epoch ms. */
  readonly time: number;
  /** True clears the alarm raised under `id`. */
  readonly clear: boolean;
  /** Who sent it, as the platform files it (its namespace and source). */
  readonly source: string;
  /** The platform's application the alarm belongs to. */
  readonly application: string;
  readonly host?: HostTarget;
  /** Extra facts filed with it (who raised it, from which chat user), in this order. */
  readonly details: Readonly<Record<string, string>>;
}

export interface AlarmsCapability {
  /** The levels an alarm may have, the platform's code beside the product's word, in the platform's order. */
  readonly levels: readonly Coded<AlarmSeverity>[];
  /** The platform's codes of a raised and a cleared alarm (shown through the vocabulary's `alarmStatus`). */
  readonly statusCodes: { readonly raised: string; readonly cleared: string };
  /** Raises or clears an alarm (a write); absent when the deployment cannot (COC: no integration key). */
  report?(report: AlarmReport, options?: CallOptions): Promise<void>;
  /**
   * The platform takes reported alarms even where this deployment cannot send one yet (COC without
   * an integration key): the command that raises them stays, to say how to set it up.
   */
  readonly takesReports?: true;
  /** The platform's alarms, newest first (BlueKing Monitor); absent when alarms can only be raised. */
  list?(query: AlarmQuery, options?: CallOptions): Promise<Page<Alarm>>;
  /** undefined = no such alarm. */
  get?(id: AlarmId, options?: CallOptions): Promise<Alarm | undefined>;
  /**
   * Turns the alarm into a new incident linked to it (a write; COC's alarms-linked-incident).
   * Returns the incident's number when the platform names it.
   */
  linkToIncident?(request: AlarmIncidentRequest, options?: CallOptions): Promise<{ readonly incident?: string }>;
  /** Clears the alarm with a reason (a write). */
  clear?(request: AlarmClearRequest, options?: CallOptions): Promise<void>;
  /** The alarm's automatic handlings, newest first, and who cleared it. */
  history?(id: AlarmId, page: { readonly limit: number; readonly offset: number }, options?: CallOptions): Promise<AlarmHistory>;
  /** Runs the automation linked to the alarm (a write); returns the work order id when the platform names one. */
  runLinked?(request: AlarmRunRequest, options?: CallOptions): Promise<{ readonly workOrder?: string }>;
  /** The levels and types an incident made from an alarm may have (the incident vocabulary's codes). */
  readonly incidentCodes?: { readonly levels: readonly string[]; readonly types: readonly string[] };
}

/** What an incident made from an alarm is filed with; defaults come from the alarm. */
export interface AlarmIncidentRequest {
  readonly alarm: AlarmId;
  readonly title: string;
  readonly description: string;
  /** The incident vocabulary's level code. */
  readonly levelCode: string;
  /** The incident vocabulary's type code. */
  readonly typeCode: string;
  /** The platform's application id the incident belongs to. */
  readonly application: string;
  readonly serviceInterrupted: boolean;
  readonly region?: string;
  readonly assignee?: string;
}

export interface AlarmClearRequest {
  readonly alarm: AlarmId;
  readonly reason: string;
  readonly serviceInterrupted?: boolean;
}

export interface AlarmRunRequest {
  readonly alarm: AlarmId;
  readonly automation: AlarmAutomation;
  readonly region?: string;
  /** Parameters by name (strings, as the platform takes them). */
  readonly parameters: Readonly<Record<string, string>>;
}

/** The script or runbook the platform runs for an alarm. */
export interface AlarmAutomation {
  readonly kind: 'script' | 'runbook';
  readonly id: string;
  readonly name: string;
  /** A public (platform-provided) script or runbook rather than the tenant's own. */
  readonly shared: boolean;
}

export interface AlarmHandling {
  readonly workOrder?: string;
  readonly by?: string;
  readonly kind?: string;
  readonly automation?: string;
  readonly status?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
}

export interface AlarmHistory {
  readonly total: number;
  readonly handlings: readonly AlarmHandling[];
  readonly cleared?: { readonly at?: number; readonly by?: string; readonly reason?: string };
}

/** `blueking:alarm:<id>`, `coc:alarm:<id>`. */
export type AlarmId = Id<'alarm'>;

export interface AlarmQuery {
  /** Only alarms that began at or after (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  /** The platform's status code (one of the vocabulary's `alarmStatus` codes). */
  readonly statusCode?: string;
  /** The platform's level code (one of `levels`). */
  readonly levelCode?: string;
  readonly limit: number;
  readonly after?: string;
}

/** An alarm as the platform reports it. */
export interface Alarm {
  readonly id: AlarmId;
  readonly title: string;
  readonly level: Coded<AlarmSeverity>;
  /** The platform's status code (shown through the vocabulary's `alarmStatus`). */
  readonly statusCode: string;
  readonly beganAt?: number;
  readonly endedAt?: number;
  /** What the alarm is about (a host, a service), as the platform words it. */
  readonly target?: string;
  readonly description?: string;
  /** The platform's own strategy or rule that raised it. */
  readonly rule?: string;
  readonly count?: number;
  /** Where the alarm came from (a monitoring service), as the platform names it. */
  readonly source?: string;
  /** The platform's application id the alarm belongs to. */
  readonly application?: string;
  readonly owner?: string;
  readonly region?: string;
  /** The incident the alarm was turned into, once linked. */
  readonly incident?: string;
  /** The script or runbook linked to it, run by `runLinked`. */
  readonly automation?: AlarmAutomation;
  /** Why it was cleared, when it was. */
  readonly remarks?: string;
}
