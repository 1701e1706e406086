/**
 * Resource APIs (coc-api-notes §1.1, §1.2, §2.9, UniAgent sync §2.4): the ECS fleet as COC's
 * CMDB lists it. A resource sync lists the hosts only the cloud had at once; a UniAgent sync
 * answers at once and shows the agents' states a few ticks later (state/resource-sync.ts).
 * Only provider `ecs` / type `cloudservers` has resources; other valid combinations list
 * nothing. Paging: `marker` is the CMDB `id` of the last item of the previous page, then
 * `offset` skips further items. Sorting parameters are accepted and ignored (list order is
 * stable, which is what marker paging needs).
 */
import { z } from 'zod';
import { SIM_DOMAIN_ID } from '../defaults.js';
import { ErrorCodes } from '../http/error-codes.js';
import { dataResponse } from '../http/envelopes.js';
import { boundedString, queryInt, queryList, validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition } from '../http/types.js';
import { AGENT_STATES, type Host } from '../state/model.js';
import { APPLICATIONS } from '../state/seed-tenant.js';
import { tagValue } from '../state/seed-hosts.js';
import type { World } from '../state/world.js';

const ARRAY_KEYS = ['resource_id_list', 'ip_list'];

const filterFields = {
  provider: boundedString(1, 64),
  type: boundedString(1, 64),
  resource_id_list: queryList(100).optional(),
  ip_list: queryList(100).optional(),
  name: z.string().max(256).optional(),
  region_id: z.string().max(64).optional(),
  az_id: z.string().max(64).optional(),
  ip: z.string().max(64).optional(),
  ip_type: z.enum(['fixed', 'floating']).optional(),
  status: z.string().max(32).optional(),
  image_name: z.string().max(256).optional(),
  os_type: z.enum(['windows', 'linux']).optional(),
  flavor_name: z.string().max(128).optional(),
  charging_mode: z.enum(['0', '1', '2']).optional(),
  vpc_id: z.string().max(64).optional(),
  agent_state: z.enum(AGENT_STATES).optional(),
  tag: z
    .string()
    .regex(/^[^.]{1,36}\..{0,43}$/, { error: 'must be key.value with a key of at most 36 and a value of at most 43 characters' })
    .optional(),
  tag_key: z.string().min(1).max(36).optional(),
  application_id: z.string().max(64).optional(),
  ep_id: z.string().max(64).optional(),
  enterprise_project_id: z.string().max(64).optional(),
  create_since: z.iso.datetime({ offset: true }).optional(),
  create_until: z.iso.datetime({ offset: true }).optional(),
};

const countQuery = z.object(filterFields);
const listQuery = z.object({
  ...filterFields,
  limit: queryInt(1, 500),
  marker: z.string().min(1).max(64).optional(),
  offset: queryInt(0, 2147483647).optional(),
});

type Filters = z.output<typeof countQuery>;

const APP_BY_ID = new Map(APPLICATIONS.map((application) => [application.id, application.name]));

function matches(host: Host, filters: Filters): boolean {
  const contains = (haystack: string | undefined, needle: string): boolean => (haystack ?? '').toLowerCase().includes(needle.toLowerCase());
  if (filters.resource_id_list?.length && !filters.resource_id_list.includes(host.resourceId)) return false;
  if (filters.ip_list?.length && !filters.ip_list.some((ip) => ip === host.fixedIp || ip === host.floatingIp)) return false;
  if (filters.name !== undefined && !contains(host.name, filters.name)) return false;
  if (filters.region_id !== undefined && host.regionId !== filters.region_id) return false;
  if (filters.az_id !== undefined && host.zoneId !== filters.az_id) return false;
  if (filters.ip !== undefined) {
    const fixed = filters.ip_type !== 'floating' && contains(host.fixedIp, filters.ip);
    const floating = filters.ip_type !== 'fixed' && contains(host.floatingIp, filters.ip);
    if (!fixed && !floating) return false;
  } else if (filters.ip_type === 'floating' && host.floatingIp === undefined) {
    return false;
  }
  if (filters.status !== undefined && host.status !== filters.status.toUpperCase()) return false;
  if (filters.image_name !== undefined && !contains(host.imageName, filters.image_name)) return false;
  if (filters.os_type !== undefined && host.osType !== filters.os_type) return false;
  if (filters.flavor_name !== undefined && host.flavorName !== filters.flavor_name) return false;
  if (filters.charging_mode !== undefined && filters.charging_mode !== '0') return false;
  if (filters.vpc_id !== undefined && host.vpcId !== filters.vpc_id) return false;
  if (filters.agent_state !== undefined && (host.agentState ?? 'UNINSTALLED') !== filters.agent_state) return false;
  if (filters.tag !== undefined) {
    const dot = filters.tag.indexOf('.');
    if (tagValue(host, filters.tag.slice(0, dot)) !== filters.tag.slice(dot + 1)) return false;
  }
  if (filters.tag_key !== undefined && tagValue(host, filters.tag_key) === undefined) return false;
  if (filters.application_id !== undefined && APP_BY_ID.get(filters.application_id) !== tagValue(host, 'app')) return false;
  const ep = filters.enterprise_project_id ?? filters.ep_id;
  if (ep !== undefined && ep !== '0') return false;
  if (filters.create_since !== undefined && host.createTime < new Date(filters.create_since).toISOString()) return false;
  if (filters.create_until !== undefined && host.createTime > new Date(filters.create_until).toISOString()) return false;
  return true;
}

function isEcs(filters: Filters): boolean {
  return filters.provider.toLowerCase() === 'ecs' && filters.type.toLowerCase() === 'cloudservers';
}

function filterHosts(world: World, filters: Filters): Host[] {
  return isEcs(filters) ? world.hosts.filter((host) => matches(host, filters)) : [];
}

export function renderResource(host: Host): Record<string, unknown> {
  return {
    id: host.id,
    resource_id: host.resourceId,
    domain_id: SIM_DOMAIN_ID,
    name: host.name,
    provider: 'ecs',
    type: 'cloudservers',
    project_id: host.projectId,
    project_name: host.regionId,
    region_id: host.regionId,
    ep_id: '0',
    ep_name: 'default',
    tags: host.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    // A row shaped by the reference's resource table alone has no agent fields at all.
    ...(host.agentStateHidden ? {} : { agent_id: host.agentId ?? null, agent_state: host.agentState ?? null }),
    properties: {
      id: host.resourceId,
      name: host.name,
      hostName: host.name,
      status: host.status,
      osType: host.osType,
      osName: host.osName,
      osVersion: host.osVersion,
      imageName: host.imageName,
      flavorName: host.flavorName,
      availabilityZone: host.zoneId,
      vpcId: host.vpcId,
      fixedIp: host.fixedIp,
      floatingIp: host.floatingIp ?? null,
      chargingMode: '0',
    },
    ingest_properties: { private_ip: host.fixedIp, ...(host.floatingIp ? { public_ip: host.floatingIp } : {}) },
    is_delegated: false,
    inner_ip: host.fixedIp,
    operable: 'ENABLE',
    is_associate_group: false,
    associated_group_list: [],
    create_time: host.createTime,
    update_time: host.updateTime,
  };
}

function listResources({ query, world }: RouteContext) {
  const params = validate(listQuery, query.toObject(ARRAY_KEYS), 'coc', { subject: 'query' });
  let hosts = filterHosts(world, params);
  if (params.marker !== undefined) {
    const position = world.hostPosition(params.marker);
    if (position === undefined) throw new SimError(400, ErrorCodes.JOB_INVALID_PARAM, `marker ${params.marker} does not match any resource`);
    hosts = hosts.filter((host) => (world.hostPosition(host.id) ?? -1) > position);
  }
  const offset = params.offset ?? 0;
  return dataResponse(hosts.slice(offset, offset + params.limit).map(renderResource));
}

function countResources({ query, world }: RouteContext) {
  const params = validate(countQuery, query.toObject(ARRAY_KEYS), 'coc', { subject: 'query' });
  return dataResponse(filterHosts(world, params).length);
}

const syncBody = z.object({ provider: z.string().max(64).optional(), type: z.string().max(64).optional() }).optional();

function syncResources({ body, world }: RouteContext) {
  validate(syncBody, body ?? undefined, 'coc');
  const now = new Date(world.now()).toISOString();
  for (const host of world.hosts) host.updateTime = now;
  // The hosts only the cloud had (added with `POST /__sim/hosts {"unsynced": true}`) are listed from now on.
  world.adoptUnsyncedHosts();
  return dataResponse(true);
}

/** SDK `SyncResourceAgentReq`: 1-100 resources, each by region and cloud id (and CMDB id); `vendor` only for other clouds. */
const agentSyncBody = z.object({
  resource_infos: z
    .array(z.object({ region_id: boundedString(1, 64), resource_id: boundedString(1, 128), id: z.string().min(1).max(64).optional() }))
    .min(1)
    .max(100),
  vendor: z.string().min(1).max(32).optional(),
});

function syncResourceAgents({ body, world }: RouteContext) {
  const input = validate(agentSyncBody, body, 'coc');
  if (input.vendor !== undefined && input.vendor !== 'ALI') {
    throw new SimError(400, ErrorCodes.JOB_INVALID_PARAM, `vendor ${input.vendor} is not supported; omit it for Huawei Cloud resources or give ALI`);
  }
  const resourceIds: string[] = [];
  for (const info of input.resource_infos) {
    const host = world.hostByResourceId(info.resource_id);
    if (!host || host.regionId !== info.region_id || (info.id !== undefined && info.id !== host.id)) {
      throw new SimError(400, ErrorCodes.JOB_TARGET_INVALID, `The resource ${info.resource_id} in region ${info.region_id} is not in the CMDB.`);
    }
    resourceIds.push(info.resource_id);
  }
  const taskId = world.ids.hex(32);
  world.resourceSync.requestAgentSync(taskId, resourceIds);
  return dataResponse(taskId);
}

export const resourceRoutes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/resources/sync', family: 'coc', auth: 'required', handle: syncResources },
  { method: 'POST', path: '/v1/resources/uniagent/sync', family: 'coc', auth: 'required', handle: syncResourceAgents },
  { method: 'GET', path: '/v1/resources', family: 'coc', auth: 'required', handle: listResources },
  { method: 'GET', path: '/v1/resources/count', family: 'coc', auth: 'required', handle: countResources },
];
