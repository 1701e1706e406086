/**
 * Patch compliance reports (coc-api-notes §1.21, §1.22). Bare bodies; `offset` is a 1-based
 * page number and `limit` the page size (default 10, at most 100). Every error, an unknown
 * report id included, is HTTP 500 `{error_code, error_msg}` as the reference documents.
 */
import { z } from 'zod';
import { ErrorCodes } from '../http/error-codes.js';
import { bareResponse } from '../http/envelopes.js';
import { queryInt, validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition } from '../http/types.js';
import type { PatchItem, PatchReport } from '../state/model.js';
import { isCompliantItem, isCompliantReport, severitySummary } from '../state/patches.js';

const paging = {
  offset: queryInt(1, 1_000_000).optional(),
  limit: queryInt(1, 100).optional(),
  sort_dir: z.enum(['asc', 'desc']).optional(),
};

const listQuery = z.object({
  ...paging,
  enterprise_project_id: z.string().max(64).optional(),
  name: z.string().max(128).optional(),
  instance_id: z.string().max(64).optional(),
  ip: z.string().max(64).optional(),
  eip: z.string().max(64).optional(),
  operating_system: z.enum(['HuaweiCloudEulerOS', 'CentOS', 'EulerOS']).optional(),
  region: z.string().max(64).optional(),
  group: z.string().max(128).optional(),
  compliant_status: z.enum(['non_compliant', 'compliant']).optional(),
  order_id: z.string().max(64).optional(),
  sort_key: z.enum(['report_time']).optional(),
  report_scene: z.enum(['CCE', 'ECS']).optional(),
  cce_info_id: z.string().max(64).optional(),
});

const itemsQuery = z.object({
  ...paging,
  title: z.string().max(256).optional(),
  sort_key: z.enum(['installed_time']).optional(),
  patch_status: z.enum(['INSTALLED', 'INSTALLED_OTHER', 'MISSING', 'REJECT', 'FAILED', 'PENDING_REBOOT']).optional(),
  classification: z.string().max(64).optional(),
  severity_level: z.string().max(64).optional(),
  compliance_level: z.string().max(64).optional(),
});

function page<T>(items: readonly T[], offset: number | undefined, limit: number | undefined): T[] {
  const size = limit ?? 10;
  const start = ((offset ?? 1) - 1) * size;
  return items.slice(start, start + size);
}

function renderReport(report: PatchReport): Record<string, unknown> {
  const compliant = report.items.filter(isCompliantItem);
  const nonCompliant = report.items.filter((item) => !isCompliantItem(item));
  const { host } = report;
  return {
    id: report.id,
    enterprise_project_id: '0',
    name: host.name,
    instance_id: host.resourceId,
    node_id: '',
    ip: host.fixedIp,
    eip: host.floatingIp ?? null,
    region: host.regionId,
    group: null,
    report_scene: 'ECS',
    cce_info_id: null,
    status: isCompliantReport(report) ? 'compliant' : 'non_compliant',
    baseline_id: report.baselineId,
    baseline_name: report.baselineName,
    rule_type: 'standard',
    operating_system: host.osName,
    compliant_summary: { compliant_count: compliant.length, severity_summary: severitySummary(compliant) },
    non_compliant_summary: { non_compliant_count: nonCompliant.length, severity_summary: severitySummary(nonCompliant) },
    execution_summary: { order_id: report.orderId, job_id: report.jobId, report_time: report.reportTime },
  };
}

function renderItem(report: PatchReport, item: PatchItem): Record<string, unknown> {
  return {
    instance_id: report.host.resourceId,
    title: item.title,
    classification: item.classification,
    severity_level: item.severityLevel,
    compliance_level: item.complianceLevel,
    patch_detail: {
      installed_time: item.installedTime,
      patch_baseline_id: report.baselineId,
      patch_baseline_name: report.baselineName,
      patch_status: item.patchStatus,
    },
  };
}

function listCompliance({ query, world }: RouteContext) {
  const filters = validate(listQuery, query.toObject(), 'patch', { subject: 'query' });
  const contains = (value: string | undefined, needle: string | undefined) => needle === undefined || (value ?? '').toLowerCase().includes(needle.toLowerCase());
  const matching = world.patchReports.filter((report) => {
    const { host } = report;
    const status = isCompliantReport(report) ? 'compliant' : 'non_compliant';
    return (
      contains(host.name, filters.name) &&
      (filters.instance_id === undefined || host.resourceId === filters.instance_id) &&
      contains(host.fixedIp, filters.ip) &&
      (filters.eip === undefined || host.floatingIp === filters.eip) &&
      (filters.operating_system === undefined || host.osName === filters.operating_system) &&
      (filters.region === undefined || host.regionId === filters.region) &&
      (filters.group === undefined || filters.group === '') &&
      (filters.compliant_status === undefined || status === filters.compliant_status) &&
      (filters.order_id === undefined || report.orderId === filters.order_id) &&
      (filters.report_scene === undefined || filters.report_scene === 'ECS') &&
      (filters.enterprise_project_id === undefined || filters.enterprise_project_id === '0')
    );
  });
  const direction = filters.sort_dir === 'asc' ? 1 : -1;
  const sorted = filters.sort_key === 'report_time' ? [...matching].sort((a, b) => (a.reportTime - b.reportTime) * direction) : matching;
  return bareResponse({ count: matching.length, instance_compliant: page(sorted, filters.offset, filters.limit).map(renderReport) });
}

function listPatchItems({ params, query, world }: RouteContext) {
  const id = params['instance_compliant_id'] ?? '';
  const report = world.patchReport(id);
  if (!report) throw new SimError(500, ErrorCodes.PATCH_NOT_FOUND, `The compliance report ${id} does not exist.`);
  const filters = validate(itemsQuery, query.toObject(), 'patch', { subject: 'query' });
  const matching = report.items.filter(
    (item) =>
      (filters.title === undefined || item.title.toLowerCase().includes(filters.title.toLowerCase())) &&
      (filters.patch_status === undefined || item.patchStatus === filters.patch_status) &&
      (filters.classification === undefined || item.classification === filters.classification) &&
      (filters.severity_level === undefined || item.severityLevel === filters.severity_level) &&
      (filters.compliance_level === undefined || item.complianceLevel === filters.compliance_level),
  );
  const direction = filters.sort_dir === 'asc' ? 1 : -1;
  const sorted = filters.sort_key === 'installed_time' ? [...matching].sort((a, b) => ((a.installedTime ?? 0) - (b.installedTime ?? 0)) * direction) : matching;
  return bareResponse({ count: matching.length, compliance_items: page(sorted, filters.offset, filters.limit).map((item) => renderItem(report, item)) });
}

export const patchRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/v1/patch/instance/compliant', family: 'patch', auth: 'required', handle: listCompliance },
  { method: 'GET', path: '/v1/patch/instance/compliant/{instance_compliant_id}', family: 'patch', auth: 'required', handle: listPatchItems },
];
