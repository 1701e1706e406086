/**
 * COC's hosts: the ECS cloud servers of its CMDB (coc-api-notes §1.2, total from §2.9, sync §1.1),
 * as neutral hosts. Only ECS (`ecs`/`cloudservers`) is read, as the commands always did.
 */
import type { CocClient } from '../../coc/client.js';
import type { CallOptions as CocCallOptions } from '../../coc/http.js';
import { AGENT_STATES as COC_AGENT_STATES, MAX_AGENT_SYNC_RESOURCES, MAX_RESOURCE_PAGE, type CountResourcesInput, type Resource } from '../../coc/schemas/resources.js';
import type { CallOptions, Page } from '../backend.js';
import { makeId, nativeOf } from '../ids.js';
import type { AgentState, Host, HostFilter, HostQuery, HostsCapability } from '../types/hosts.js';
import { mapped } from './errors.js';
import { cocSyncAgents } from './host-sync.js';

const ECS = { provider: 'ecs', type: 'cloudservers' } as const;

const AGENT: Readonly<Record<(typeof COC_AGENT_STATES)[number], AgentState>> = {
  ONLINE: 'online',
  OFFLINE: 'offline',
  INSTALLING: 'installing',
  FAILED: 'failed',
  UNINSTALLED: 'not-installed',
};

const FILTERS: ReadonlySet<HostFilter> = new Set<HostFilter>(['name', 'ip', 'ids', 'tag', 'agent', 'region']);

/** The COC form of the neutral call options (COC names its languages in lower case). */
export function cocCallOptions(options: CallOptions | undefined): CocCallOptions | undefined {
  if (!options) return undefined;
  return {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.locale ? { language: options.locale === 'zh-CN' ? 'zh-cn' : 'en-us' } : {}),
  };
}

/**
 * A host's UniAgent state. An absent `agent_state` is read two ways, and the listing decides
 * which: the SDK notes read it as "not installed" (coc-api-notes §1.2), but the reference's
 * resource table has no such field at all, so a COC that omits it for every row says nothing
 * about agents. Where other rows of the same answer carry a state, COC does report it and the
 * missing one means no agent (`not-installed`, code ''); where none does, it is `unknown` (code
 * ''), and a run asks COC's `agent_state=ONLINE` filter instead (src/run/hosts.ts).
 */
function agentOf(code: string | null | undefined, listingReportsAgents: boolean): Host['agent'] {
  if (!code) return { state: listingReportsAgents ? 'not-installed' : 'unknown', code: '' };
  return { state: Object.hasOwn(AGENT, code) ? AGENT[code as keyof typeof AGENT] : 'unknown', code };
}

/** Whether this answer of COC's reports UniAgent states at all (one row carrying one shows it does). */
export function reportsAgentStates(resources: readonly Resource[]): boolean {
  return resources.some((resource) => Boolean(resource.agent_state));
}

/**
 * A CMDB row as a host. A row without a cloud resource id cannot be a script target: its id is the row's.
 * `listingReportsAgents`: whether the answer it came in reports agent states (see agentOf).
 */
export function hostFromResource(resource: Resource, listingReportsAgents = true): Host {
  const runnable = Boolean(resource.resource_id) && Boolean(resource.region_id);
  const props = resource.properties ?? {};
  const os = [props['osType'], props['os_type'], props['osName']].find((value): value is string => typeof value === 'string');
  return {
    id: makeId('coc', 'host', resource.resource_id || resource.id),
    rowId: resource.id,
    name: resource.name ?? '',
    ...(resource.inner_ip != null ? { ip: resource.inner_ip } : {}),
    ...(resource.region_id != null ? { region: resource.region_id } : {}),
    agent: agentOf(resource.agent_state, listingReportsAgents),
    tags: resource.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    ...(os !== undefined ? { os } : {}),
    runnable,
  };
}

/** COC's filters for a neutral query (COC's tag filter is `key.value`). */
function filtersOf(query: HostQuery): CountResourcesInput {
  return {
    ...ECS,
    ...(query.name ? { name: query.name } : {}),
    ...(query.ids ? { resource_id_list: query.ids.map(nativeOf) } : {}),
    ...(query.ip ? { ip: query.ip } : {}),
    ...(query.tag ? { tag: `${query.tag.key}.${query.tag.value}` } : {}),
    ...(query.agentCode ? { agent_state: query.agentCode as (typeof COC_AGENT_STATES)[number] } : {}),
    ...(query.region ? { region_id: query.region } : {}),
  };
}

export function cocHosts(client: CocClient): HostsCapability {
  return {
    pageMax: MAX_RESOURCE_PAGE,
    filters: FILTERS,
    agentCodes: COC_AGENT_STATES,
    onlineAgentCode: 'ONLINE',
    idPrefixes: true,
    async list(query, options): Promise<Page<Host>> {
      const rows = await mapped(() =>
        client.listResources({ ...filtersOf(query), limit: query.limit, ...(query.after ? { marker: query.after } : {}) }, cocCallOptions(options)),
      );
      const last = rows.at(-1);
      const reports = reportsAgentStates(rows);
      return { items: rows.map((row) => hostFromResource(row, reports)), ...(last && rows.length === query.limit ? { next: last.id } : {}) };
    },
    count(query, options) {
      return mapped(() => client.countResources(filtersOf(query), cocCallOptions(options)));
    },
    sync(options) {
      return mapped(() => client.syncResources(ECS, cocCallOptions(options)));
    },
    syncAgents: (hosts, options) => cocSyncAgents(client, hosts, options),
    agentSyncMax: MAX_AGENT_SYNC_RESOURCES,
  };
}
