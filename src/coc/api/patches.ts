/** Patch compliance reports (coc-api-notes §1.21, §1.22). */
import type { CallOptions, CocHttp } from '../http.js';
import {
  ListPatchComplianceQuery,
  ListPatchItemsQuery,
  PatchCompliancePage,
  PatchItemsPage,
  type ListPatchComplianceInput,
  type ListPatchItemsInput,
} from '../schemas/patches.js';
import { validateInput } from '../schemas/problems.js';
import { operation, requestFor } from './operation.js';

export const PATCH_OPERATIONS = {
  listCompliance: operation('GET', '/v1/patch/instance/compliant'),
  listItems: operation('GET', '/v1/patch/instance/compliant/{instance_compliant_id}'),
} as const;

/** Patch compliance per host. `offset` is a 1-based page number. */
export async function listPatchCompliance(http: CocHttp, query: ListPatchComplianceInput = {}, options?: CallOptions): Promise<PatchCompliancePage> {
  const checked = validateInput(ListPatchComplianceQuery, query, PATCH_OPERATIONS.listCompliance);
  return http.call(requestFor(PATCH_OPERATIONS.listCompliance, { query: checked, envelope: 'bare', response: PatchCompliancePage }), options);
}

/** The patches of one host report (`id` from listPatchCompliance). */
export async function listPatchItems(
  http: CocHttp,
  instanceComplianceId: string,
  query: ListPatchItemsInput = {},
  options?: CallOptions,
): Promise<PatchItemsPage> {
  const checked = validateInput(ListPatchItemsQuery, query, PATCH_OPERATIONS.listItems);
  return http.call(
    requestFor(PATCH_OPERATIONS.listItems, { pathParams: { instance_compliant_id: instanceComplianceId }, query: checked, envelope: 'bare', response: PatchItemsPage }),
    options,
  );
}
