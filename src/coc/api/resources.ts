/** Resources: sync (coc-api-notes §1.1), list (§1.2), count (§2.9), UniAgent sync (§2.4). */
import type { CallOptions, CocHttp } from '../http.js';
import { validateInput } from '../schemas/problems.js';
import {
  CountResourcesQuery,
  ListResourcesQuery,
  ResourceCount,
  ResourceList,
  SyncResourceAgentsRequest,
  SyncResourceAgentsResult,
  SyncResourcesRequest,
  SyncResourcesResult,
  type SyncResourceAgentsInput,
  type CountResourcesInput,
  type ListResourcesInput,
  type Resource,
  type SyncResourcesInput,
} from '../schemas/resources.js';
import { operation, requestFor } from './operation.js';

export const RESOURCE_OPERATIONS = {
  sync: operation('POST', '/v1/resources/sync'),
  list: operation('GET', '/v1/resources'),
  count: operation('GET', '/v1/resources/count'),
  syncAgents: operation('POST', '/v1/resources/uniagent/sync'),
} as const;

/** Asks COC to re-read resources from the cloud. Returns COC's "started" flag when it sends one. */
export async function syncResources(http: CocHttp, input: SyncResourcesInput = {}, options?: CallOptions): Promise<boolean | undefined> {
  const body = validateInput(SyncResourcesRequest, input, RESOURCE_OPERATIONS.sync);
  return http.call(requestFor(RESOURCE_OPERATIONS.sync, { body, envelope: 'data', response: SyncResourcesResult }), options);
}

/** One page of resources. The next page's `marker` is the last resource's `id`. */
export async function listResources(http: CocHttp, query: ListResourcesInput, options?: CallOptions): Promise<Resource[]> {
  const checked = validateInput(ListResourcesQuery, query, RESOURCE_OPERATIONS.list);
  return http.call(requestFor(RESOURCE_OPERATIONS.list, { query: checked, envelope: 'data', response: ResourceList }), options);
}

/** How many resources match the filters (the list has no total). */
export async function countResources(http: CocHttp, query: CountResourcesInput, options?: CallOptions): Promise<number> {
  const checked = validateInput(CountResourcesQuery, query, RESOURCE_OPERATIONS.count);
  return http.call(requestFor(RESOURCE_OPERATIONS.count, { query: checked, envelope: 'data', response: ResourceCount }), options);
}

/**
 * Asks COC to refresh the UniAgent state of these resources (a write, never retried). Returns
 * COC's task id when it sends one; the states themselves are read back from the resource list.
 */
export async function syncResourceAgents(http: CocHttp, input: SyncResourceAgentsInput, options?: CallOptions): Promise<string | undefined> {
  const body = validateInput(SyncResourceAgentsRequest, input, RESOURCE_OPERATIONS.syncAgents);
  return http.call(requestFor(RESOURCE_OPERATIONS.syncAgents, { body, envelope: 'data', response: SyncResourceAgentsResult }), options);
}
