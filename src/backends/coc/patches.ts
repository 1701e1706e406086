/**
 * COC's patch compliance (coc-api-notes §1.21, §1.22): one report per scanned host, and the
 * report's patch items. COC pages both by page number (`offset` from 1) and answers the total.
 */
import type { CocClient } from '../../coc/client.js';
import {
  COMPLIANT_STATUSES,
  PATCH_STATUSES,
  type InstanceCompliance,
  type ListPatchComplianceInput,
  type PatchItem as CocPatchItem,
} from '../../coc/schemas/patches.js';
import type { Page } from '../backend.js';
import { makeId, nativeOf } from '../ids.js';
import type { Coded } from '../types/coded.js';
import type { ComplianceState, HostCompliance, PatchesCapability, PatchItem, PatchItemState, PatchSeverity, SeverityCounts } from '../types/patches.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';

/** COC's page limit for both lists. */
const PAGE_MAX = 100;

const COMPLIANCE: Readonly<Record<(typeof COMPLIANT_STATUSES)[number], ComplianceState>> = { compliant: 'compliant', non_compliant: 'non-compliant' };
const ITEM_STATE: Readonly<Record<(typeof PATCH_STATUSES)[number], PatchItemState>> = {
  INSTALLED: 'installed',
  INSTALLED_OTHER: 'installed-other',
  MISSING: 'missing',
  REJECT: 'rejected',
  FAILED: 'failed',
  PENDING_REBOOT: 'pending-reboot',
};
const SEVERITY: Readonly<Record<string, PatchSeverity>> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFORMATIONAL: 'informational',
  UNSPECIFIED: 'unspecified',
};

function coded<S extends string>(table: Readonly<Record<string, S>>, code: string | null | undefined, unknown: S): Coded<S> {
  if (!code) return { state: unknown, code: '' };
  return { state: Object.hasOwn(table, code) ? table[code]! : unknown, code };
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function missingOf(report: InstanceCompliance): SeverityCounts {
  const s = report.non_compliant_summary?.severity_summary;
  return {
    critical: s?.critical_count ?? 0,
    high: s?.high_count ?? 0,
    medium: s?.medium_count ?? 0,
    low: s?.low_count ?? 0,
    other: (s?.informational_count ?? 0) + (s?.unspecified_count ?? 0),
  };
}

export function complianceFromReport(report: InstanceCompliance): HostCompliance {
  return {
    id: makeId('coc', 'patch-host', report.id),
    ...optional('hostName', report.name),
    ...optional('hostNativeId', report.instance_id),
    ...optional('ip', report.ip),
    ...optional('region', report.region),
    status: coded(COMPLIANCE, report.status, 'unknown'),
    compliantCount: report.compliant_summary?.compliant_count ?? 0,
    nonCompliantCount: report.non_compliant_summary?.non_compliant_count ?? 0,
    missing: missingOf(report),
    ...optional('operatingSystem', report.operating_system),
    ...optional('baseline', report.baseline_name),
    ...optional('scannedAt', report.execution_summary?.report_time),
  };
}

export function patchItemFromCoc(item: CocPatchItem): PatchItem {
  const status = item.patch_detail?.patch_status;
  return {
    ...optional('hostNativeId', item.instance_id),
    ...optional('title', item.title),
    ...optional('classification', item.classification),
    ...optional('severity', item.severity_level),
    complianceLevel: coded(SEVERITY, item.compliance_level, 'unknown'),
    status: coded(ITEM_STATE, status, 'unknown'),
    // As COC counts them: installed (by the baseline or otherwise) is compliant, anything else is not.
    compliant: status === 'INSTALLED' || status === 'INSTALLED_OTHER',
    ...optional('installedAt', item.patch_detail?.installed_time),
  };
}

export function cocPatches(client: CocClient): PatchesCapability {
  return {
    pageMax: PAGE_MAX,
    complianceStatuses: COMPLIANT_STATUSES.map((code) => ({ state: COMPLIANCE[code], code })),
    itemStatusCodes: PATCH_STATUSES,
    async compliance(query, options): Promise<Page<HostCompliance>> {
      const input: ListPatchComplianceInput = {
        ...(query.hostName ? { name: query.hostName } : {}),
        ...(query.hostNativeId ? { instance_id: query.hostNativeId } : {}),
        ...(query.region ? { region: query.region } : {}),
        ...(query.statusCode ? { compliant_status: query.statusCode as (typeof COMPLIANT_STATUSES)[number] } : {}),
        limit: query.perPage,
        ...(query.page !== undefined ? { offset: query.page } : {}),
      };
      const answer = await mapped(() => client.listPatchCompliance(input, cocCallOptions(options)));
      return { items: answer.instance_compliant.map(complianceFromReport), total: answer.count };
    },
    async items(report, query, options): Promise<Page<PatchItem>> {
      const input = {
        limit: query.perPage,
        offset: query.page,
        ...(query.statusCode ? { patch_status: query.statusCode as (typeof PATCH_STATUSES)[number] } : {}),
      };
      const answer = await mapped(() => client.listPatchItems(nativeOf(report), input, cocCallOptions(options)));
      return { items: answer.compliance_items.map(patchItemFromCoc), total: answer.count };
    },
  };
}
