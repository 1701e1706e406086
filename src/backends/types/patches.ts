/** Patch compliance: per host, how many patches are missing and how bad they are, and each patch. */
import type { CallOptions, Page } from '../backend.js';
import type { Id } from '../ids.js';
import type { Coded } from './coded.js';

export type PatchReportId = Id<'patch-host'>;

export const COMPLIANCE_STATES = ['compliant', 'non-compliant', 'unknown'] as const;
export type ComplianceState = (typeof COMPLIANCE_STATES)[number];

/** Patch severities from worst to least; `unknown` = a level the platform did not name or the product does not know. */
export const PATCH_SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational', 'unspecified', 'unknown'] as const;
export type PatchSeverity = (typeof PATCH_SEVERITIES)[number];

/** Non-compliant patches per severity; `other` = informational and unspecified together. */
export type SeverityCounts = Readonly<Record<'critical' | 'high' | 'medium' | 'low' | 'other', number>>;

/** One host's compliance report. */
export interface HostCompliance {
  readonly id: PatchReportId;
  readonly hostName?: string;
  /** The platform's id of the host (shown when the report has no host name). */
  readonly hostNativeId?: string;
  readonly ip?: string;
  readonly region?: string;
  /** `code` '' when the platform said nothing. */
  readonly status: Coded<ComplianceState>;
  readonly compliantCount: number;
  readonly nonCompliantCount: number;
  readonly missing: SeverityCounts;
  readonly operatingSystem?: string;
  readonly baseline?: string;
  /** When the host was last scanned, epoch ms. */
  readonly scannedAt?: number;
}

export const PATCH_ITEM_STATES = ['installed', 'installed-other', 'missing', 'rejected', 'failed', 'pending-reboot', 'unknown'] as const;
export type PatchItemState = (typeof PATCH_ITEM_STATES)[number];

/** One patch on one host. */
export interface PatchItem {
  /** The platform's id of the host the item belongs to. */
  readonly hostNativeId?: string;
  readonly title?: string;
  readonly classification?: string;
  /** The platform's own severity word, shown as it came. */
  readonly severity?: string;
  /** How much the item weighs in compliance. */
  readonly complianceLevel: Coded<PatchSeverity>;
  readonly status: Coded<PatchItemState>;
  /** Counts as compliant (installed, by the platform's rule). */
  readonly compliant: boolean;
  readonly installedAt?: number;
}

export interface ComplianceQuery {
  /** Part of the host name. */
  readonly hostName?: string;
  readonly hostNativeId?: string;
  readonly region?: string;
  /** One of `complianceStatuses`' codes. */
  readonly statusCode?: string;
  /** From 1; absent = the platform's first page. */
  readonly page?: number;
  readonly perPage: number;
}

export interface PatchItemQuery {
  /** One of `itemStatusCodes`. */
  readonly statusCode?: string;
  /** From 1. */
  readonly page: number;
  readonly perPage: number;
}

export interface PatchesCapability {
  /** Most reports (or items) one page may hold. */
  readonly pageMax: number;
  /** The compliance statuses a filter may name, in the platform's order. */
  readonly complianceStatuses: readonly Coded<ComplianceState>[];
  /** The patch statuses a filter may name, in the platform's order. */
  readonly itemStatusCodes: readonly string[];
  /** Reports page by page; `total` = all the reports the query matches. */
  compliance(query: ComplianceQuery, options?: CallOptions): Promise<Page<HostCompliance>>;
  /** One report's items; `total` = all its items the query matches. */
  items(report: PatchReportId, query: PatchItemQuery, options?: CallOptions): Promise<Page<PatchItem>>;
}
