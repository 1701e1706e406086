/**
 * Resources (CMDB): sync (coc-api-notes §1.1), list (§1.2), count (§2.9) and the UniAgent sync
 * of chosen resources (§2.4, SDK `SyncResourceAgent`).
 */
import { z } from 'zod';
import { int, list, oneOf, text } from './fields.js';
import { count, openEnum, optionalBoolean, optionalList, optionalText } from './common.js';

export const AGENT_STATES = ['ONLINE', 'OFFLINE', 'INSTALLING', 'FAILED', 'UNINSTALLED'] as const;

/** COC allows 500 resources per page; the client asks for at most 100 (notes §3 row 13). */
export const MAX_RESOURCE_PAGE = 100;

// ---- requests ----

export const SyncResourcesRequest = z.strictObject({
  /** Cloud service, e.g. `ecs`. */
  provider: text(1, 64).optional(),
  /** Resource type, e.g. `cloudservers`. */
  type: text(1, 64).optional(),
});
export type SyncResourcesInput = z.input<typeof SyncResourcesRequest>;

/** Most resources one UniAgent sync takes (SDK: "列表大小1~100之间"). */
export const MAX_AGENT_SYNC_RESOURCES = 100;

/** One resource whose UniAgent state is refreshed (SDK `SyncResourceAgentReqResourceInfos`). */
export const AgentSyncResource = z.strictObject({
  region_id: text(1, 64),
  /** Cloud resource id (the ECS id). */
  resource_id: text(1, 128),
  /** CMDB id of the resource, where known. */
  id: text(1, 64).optional(),
});

export const SyncResourceAgentsRequest = z.strictObject({
  resource_infos: list(AgentSyncResource, 1, MAX_AGENT_SYNC_RESOURCES, { noun: 'resources' }),
  /** Omitted for Huawei Cloud resources; `ALI` for Alibaba Cloud ones. */
  vendor: text(1, 32).optional(),
});
export type SyncResourceAgentsInput = z.input<typeof SyncResourceAgentsRequest>;

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2025-01-31T08:00:00Z' });

const resourceFilters = {
  /** Cloud service, e.g. `ecs`. */
  provider: text(1, 64),
  /** Resource type: `cloudservers` (ECS), `servers` (BMS), `clusters` (CCE), `instances` (RDS), … */
  type: text(1, 64),
  resource_id_list: list(text(1, 128), 0, 100, { noun: 'resource ids' }).optional(),
  ip_list: list(text(1, 64), 0, 100, { noun: 'IP addresses' }).optional(),
  name: text(0, 256).optional(),
  region_id: text(0, 64).optional(),
  az_id: text(0, 64).optional(),
  /** Fuzzy IPv4 match. */
  ip: text(0, 64).optional(),
  ip_type: oneOf(['fixed', 'floating']).optional(),
  status: text(0, 32).optional(),
  image_name: text(0, 256).optional(),
  os_type: oneOf(['windows', 'linux']).optional(),
  flavor_name: text(0, 128).optional(),
  /** `0` on demand, `1` yearly/monthly, `2` spot. */
  charging_mode: oneOf(['0', '1', '2']).optional(),
  vpc_id: text(0, 64).optional(),
  cce_cluster_id: text(0, 64).optional(),
  /** UniAgent state; absent = no agent installed. */
  agent_state: oneOf(AGENT_STATES).optional(),
  /** `key.value`: key ≤ 36, value ≤ 43 characters. */
  tag: z
    .string()
    .regex(/^[^.]{1,36}\.[\s\S]{0,43}$/, { error: 'must be key.value with a key of 1–36 and a value of at most 43 characters' })
    .optional(),
  tag_key: text(1, 36).optional(),
  group_id: text(0, 64).optional(),
  component_id: text(0, 64).optional(),
  application_id: text(0, 64).optional(),
  ep_id: text(0, 64).optional(),
  enterprise_project_id: text(0, 64).optional(),
  is_delegated: z.boolean().optional(),
  is_collected: z.boolean().optional(),
  order_field: text(0, 64).optional(),
  direction: oneOf(['DESC', 'ASC']).optional(),
  show_associated_groups: z.boolean().optional(),
  operable: oneOf(['ENABLE', 'DISABLE']).optional(),
  create_since: isoDateTime.optional(),
  create_until: isoDateTime.optional(),
};

export const ListResourcesQuery = z.strictObject({
  ...resourceFilters,
  limit: z
    .number()
    .int({ error: `must be a whole number from 1 to ${MAX_RESOURCE_PAGE}` })
    .min(1, { error: `must be a whole number from 1 to ${MAX_RESOURCE_PAGE}` })
    .max(MAX_RESOURCE_PAGE, { error: (iss) => `must be at most ${MAX_RESOURCE_PAGE} (this client's page size limit), got ${String(iss.input)}` }),
  /** CMDB `id` of the last resource of the previous page. */
  marker: text(1, 64).optional(),
  offset: int(0, 2147483647).optional(),
});
export type ListResourcesInput = z.input<typeof ListResourcesQuery>;

export const CountResourcesQuery = z.strictObject(resourceFilters);
export type CountResourcesInput = z.input<typeof CountResourcesQuery>;

// ---- responses ----

export interface ResourceTag {
  readonly key: string;
  readonly value: string;
}

/** Tags come as `{key,value}[]` (SDK) or as a map (reference doc); always read as a list. */
export const ResourceTags = z
  .union([
    z.array(z.looseObject({ key: z.string(), value: z.string().nullish() })),
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).nullish()),
  ])
  .nullish()
  .transform((tags): ResourceTag[] => {
    if (!tags) return [];
    if (Array.isArray(tags)) return tags.map((tag) => ({ key: tag.key, value: tag.value ?? '' }));
    return Object.entries(tags).map(([key, value]) => ({ key, value: value === null || value === undefined ? '' : String(value) }));
  });

export const Resource = z.looseObject({
  /** CMDB id (the `marker` of the next page). */
  id: z.string().min(1),
  /** Cloud resource id, e.g. the ECS id used as a script target. */
  resource_id: optionalText,
  domain_id: optionalText,
  name: optionalText,
  provider: optionalText,
  type: optionalText,
  project_id: optionalText,
  project_name: optionalText,
  region_id: optionalText,
  ep_id: optionalText,
  ep_name: optionalText,
  tags: ResourceTags,
  agent_id: optionalText,
  agent_state: openEnum(AGENT_STATES).nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
  ingest_properties: z.record(z.string(), z.unknown()).nullish(),
  is_delegated: optionalBoolean,
  inner_ip: optionalText,
  operable: optionalText,
  is_associate_group: optionalBoolean,
  associated_group_list: optionalList(z.string()),
  create_time: optionalText,
  update_time: optionalText,
});
export type Resource = z.output<typeof Resource>;

export const ResourceList = z.array(Resource);

/** Sync has no modelled answer (SDK) or `{data: true}` (doc): anything goes. */
export const SyncResourcesResult = z.unknown().transform((data): boolean | undefined => (typeof data === 'boolean' ? data : undefined));

/** The agent sync answers with its task id (SDK `data: string`); an answer without one still means it started. */
export const SyncResourceAgentsResult = z.unknown().transform((data): string | undefined => (typeof data === 'string' && data !== '' ? data : undefined));

export const ResourceCount = count;
