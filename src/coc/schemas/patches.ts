/**
 * Patch compliance reports (coc-api-notes §1.21, §1.22). Bare bodies, no envelope.
 */
import { z } from 'zod';
import { int, oneOf, text } from './fields.js';
import { count, openEnum, optionalList, optionalNumber, optionalText, timestamp } from './common.js';

export const PATCH_OPERATING_SYSTEMS = ['HuaweiCloudEulerOS', 'CentOS', 'EulerOS'] as const;
export const COMPLIANT_STATUSES = ['non_compliant', 'compliant'] as const;
export const PATCH_STATUSES = ['INSTALLED', 'INSTALLED_OTHER', 'MISSING', 'REJECT', 'FAILED', 'PENDING_REBOOT'] as const;
const SORT_DIRECTIONS = ['asc', 'desc'] as const;

export const ListPatchComplianceQuery = z.strictObject({
  enterprise_project_id: text(0, 64).optional(),
  name: text(0, 128).optional(),
  instance_id: text(0, 64).optional(),
  ip: text(0, 64).optional(),
  eip: text(0, 64).optional(),
  operating_system: oneOf(PATCH_OPERATING_SYSTEMS).optional(),
  region: text(0, 64).optional(),
  group: text(0, 128).optional(),
  compliant_status: oneOf(COMPLIANT_STATUSES).optional(),
  order_id: text(0, 64).optional(),
  /** Page number, from 1. */
  offset: int(1, 2147483647).optional(),
  limit: int(1, 100).optional(),
  sort_dir: oneOf(SORT_DIRECTIONS).optional(),
  sort_key: oneOf(['report_time']).optional(),
  report_scene: oneOf(['CCE', 'ECS']).optional(),
  cce_info_id: text(0, 64).optional(),
});
export type ListPatchComplianceInput = z.input<typeof ListPatchComplianceQuery>;

export const ListPatchItemsQuery = z.strictObject({
  /** Page number, from 1. */
  offset: int(1, 2147483647).optional(),
  limit: int(1, 100).optional(),
  title: text(0, 256).optional(),
  sort_dir: oneOf(SORT_DIRECTIONS).optional(),
  sort_key: oneOf(['installed_time']).optional(),
  patch_status: oneOf(PATCH_STATUSES).optional(),
  classification: text(0, 64).optional(),
  severity_level: text(0, 64).optional(),
  compliance_level: text(0, 64).optional(),
});
export type ListPatchItemsInput = z.input<typeof ListPatchItemsQuery>;

const SeveritySummary = z.looseObject({
  critical_count: optionalNumber,
  high_count: optionalNumber,
  informational_count: optionalNumber,
  low_count: optionalNumber,
  medium_count: optionalNumber,
  unspecified_count: optionalNumber,
});

export const InstanceCompliance = z.looseObject({
  /** The `instance_compliant_id` of the patch-items call. */
  id: z.string().min(1),
  enterprise_project_id: optionalText,
  name: optionalText,
  instance_id: optionalText,
  node_id: optionalText,
  ip: optionalText,
  eip: optionalText,
  region: optionalText,
  group: optionalText,
  report_scene: optionalText,
  cce_info_id: optionalText,
  status: openEnum(COMPLIANT_STATUSES).nullish(),
  baseline_id: optionalText,
  baseline_name: optionalText,
  rule_type: optionalText,
  operating_system: optionalText,
  compliant_summary: z.looseObject({ compliant_count: optionalNumber, severity_summary: SeveritySummary.nullish() }).nullish(),
  non_compliant_summary: z.looseObject({ non_compliant_count: optionalNumber, severity_summary: SeveritySummary.nullish() }).nullish(),
  execution_summary: z.looseObject({ order_id: optionalText, job_id: optionalText, report_time: timestamp }).nullish(),
});
export type InstanceCompliance = z.output<typeof InstanceCompliance>;

export const PatchCompliancePage = z.looseObject({
  count,
  instance_compliant: optionalList(InstanceCompliance),
});
export type PatchCompliancePage = z.output<typeof PatchCompliancePage>;

export const PatchItem = z.looseObject({
  instance_id: optionalText,
  title: optionalText,
  classification: optionalText,
  severity_level: optionalText,
  compliance_level: optionalText,
  patch_detail: z
    .looseObject({
      installed_time: timestamp,
      patch_baseline_id: optionalText,
      patch_baseline_name: optionalText,
      patch_status: openEnum(PATCH_STATUSES).nullish(),
    })
    .nullish(),
});
export type PatchItem = z.output<typeof PatchItem>;

export const PatchItemsPage = z.looseObject({
  count,
  compliance_items: optionalList(PatchItem),
});
export type PatchItemsPage = z.output<typeof PatchItemsPage>;
