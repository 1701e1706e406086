/**
 * BlueKing's hosts: CMDB's hosts of one business (`cc/search_host`), with the agent's live state
 * from GSE (`gse/get_agent_status`). A host is targeted by cloud area and inner IP, so its id is
 * `blueking:host:<bk_cloud_id>:<ip>`. Topology names are resolved to ids with
 * `cc/search_business`, `cc/search_set` and `cc/search_module`.
 *
 * The cursor of the next page is the offset of CMDB's next row. Filtering on the agent is done
 * here (GSE knows it, CMDB does not), and so is a part of a name: `search_host` compares a host's
 * fields only by `$eq`, `$neq`, `$in` and `$nin` (no "contains"), so the name is matched here,
 * case-insensitively, over the rows read. Such a page reads CMDB pages until it is full.
 */
import type { CallOptions, Page } from '../backend.js';
import { makeId, nativeOf, parseId, type HostId } from '../ids.js';
import type { Host, HostFilter, HostQuery, HostsCapability } from '../types/hosts.js';
import { esbOptions } from './call-options.js';
import { AGENT_CODES, agentOf } from './codes.js';
import type { EsbCaller } from './esb/component.js';
import { CC_PAGE_MAX, searchBusiness, searchHost, searchModule, searchSet, type CmdbHostRow, type SearchHostRequest } from './esb/cc.js';
import { getAgentStatus } from './esb/gse.js';
import { mapped } from './errors.js';
import type { BluekingSettings } from './settings.js';

/** The supplier account of a self-hosted BlueKing ("独立部署请填0"). */
export const SUPPLIER_ACCOUNT = '0';

const FILTERS: ReadonlySet<HostFilter> = new Set<HostFilter>(['name', 'ip', 'ids', 'agent', 'topology']);

/** Agent and name filters scan at most this many CMDB rows for one page, so a rare match cannot read the whole CMDB. */
const AGENT_SCAN_MAX = 5_000;

/** `<bk_cloud_id>:<ip>` of a host id, or undefined when it is not one. */
export function targetOf(id: HostId): { readonly bk_cloud_id: number; readonly ip: string } | undefined {
  const native = parseId(id)?.backend === 'blueking' ? nativeOf(id) : undefined;
  const match = native === undefined ? null : /^(\d+):(.+)$/.exec(native);
  return match ? { bk_cloud_id: Number(match[1]), ip: match[2]! } : undefined;
}

export function hostIdOf(cloudId: number, ip: string): HostId {
  return makeId('blueking', 'host', `${cloudId}:${ip}`);
}

/** The cloud area, read from either form CMDB sends (a number, or the plat instance list). */
function cloudOf(value: CmdbHostRow['host']['bk_cloud_id']): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const first = value[0];
  if (!first) return undefined;
  if (first.bk_inst_id !== undefined) return first.bk_inst_id;
  const id = Number(first.id);
  return Number.isInteger(id) ? id : undefined;
}

/** CMDB may list several inner IPs, comma-separated: the first is the one Job targets. */
function innerIpOf(value: string | null | undefined): string | undefined {
  const first = value?.split(',')[0]?.trim();
  return first ? first : undefined;
}

const names = (rows: readonly { readonly [k: string]: unknown }[] | null | undefined, field: string): string[] =>
  (rows ?? []).map((row) => row[field]).filter((name): name is string => typeof name === 'string' && name !== '');

export function hostOf(row: CmdbHostRow, alive: ReadonlyMap<string, number>): Host {
  const ip = innerIpOf(row.host.bk_host_innerip);
  const cloud = cloudOf(row.host.bk_cloud_id);
  const runnable = ip !== undefined && cloud !== undefined;
  const biz = names(row.biz, 'bk_biz_name')[0];
  const os = row.host.bk_os_name ?? undefined;
  return {
    id: runnable ? hostIdOf(cloud, ip) : makeId('blueking', 'host', `row-${row.host.bk_host_id}`),
    rowId: String(row.host.bk_host_id),
    name: row.host.bk_host_name ?? '',
    ...(ip !== undefined ? { ip } : {}),
    agent: agentOf(runnable ? alive.get(`${cloud}:${ip}`) : undefined),
    tags: [],
    topology: { ...(biz !== undefined ? { biz } : {}), sets: names(row.set, 'bk_set_name'), modules: names(row.module, 'bk_module_name') },
    ...(os ? { os } : {}),
    runnable,
  };
}

type Resolved = { readonly kind: 'search'; readonly request: SearchHostRequest } | { readonly kind: 'none' };

const isDigits = (text: string) => /^\d+$/.test(text);

export function bluekingHosts(caller: EsbCaller, settings: BluekingSettings): HostsCapability {
  async function bizOf(typed: string | undefined, options?: CallOptions): Promise<number | undefined> {
    if (typed === undefined || typed === '') return settings.defaultBiz;
    if (isDigits(typed)) return Number(typed);
    const found = await mapped(() =>
      caller.call(searchBusiness, { fields: ['bk_biz_id', 'bk_biz_name'], condition: { bk_biz_name: typed }, page: { start: 0, limit: 2 } }, esbOptions(options)),
    );
    return found.info.find((row) => row.bk_biz_name === typed)?.bk_biz_id;
  }

  async function setIdsOf(biz: number, typed: string, options?: CallOptions): Promise<number[]> {
    if (isDigits(typed)) return [Number(typed)];
    const found = await mapped(() =>
      caller.call(searchSet, { bk_supplier_account: SUPPLIER_ACCOUNT, bk_biz_id: biz, fields: ['bk_set_id', 'bk_set_name'], condition: { bk_set_name: typed }, page: { start: 0, limit: CC_PAGE_MAX } }, esbOptions(options)),
    );
    return found.info.filter((row) => row.bk_set_name === typed).map((row) => row.bk_set_id);
  }

  /** Modules by name, in the named sets or (search_module needs a set) in every set of the business. */
  async function moduleIdsOf(biz: number, typed: string, sets: readonly number[] | undefined, options?: CallOptions): Promise<number[]> {
    if (isDigits(typed)) return [Number(typed)];
    const inSets =
      sets ??
      (
        await mapped(() =>
          caller.call(searchSet, { bk_supplier_account: SUPPLIER_ACCOUNT, bk_biz_id: biz, fields: ['bk_set_id', 'bk_set_name'], condition: {}, page: { start: 0, limit: CC_PAGE_MAX } }, esbOptions(options)),
        )
      ).info.map((row) => row.bk_set_id);
    const found = await Promise.all(
      inSets.map((set) =>
        mapped(() =>
          caller.call(
            searchModule,
            { bk_supplier_account: SUPPLIER_ACCOUNT, bk_biz_id: biz, bk_set_id: set, fields: ['bk_module_id', 'bk_module_name'], condition: { bk_module_name: typed }, page: { start: 0, limit: CC_PAGE_MAX } },
            esbOptions(options),
          ),
        ),
      ),
    );
    return found.flatMap((page) => page.info.filter((row) => row.bk_module_name === typed).map((row) => row.bk_module_id));
  }

  /** The search_host request of a query (without its page), or `none` when a name matches nothing. */
  async function resolve(query: HostQuery, options?: CallOptions): Promise<Resolved> {
    const biz = await bizOf(query.topology?.biz, options);
    if (biz === undefined) return { kind: 'none' };
    const condition: NonNullable<SearchHostRequest['condition']> = [];
    const hostConditions: { field: string; operator: '$eq'; value: unknown }[] = [];
    let ips: string[] | undefined = query.ip ? [query.ip] : undefined;
    if (query.ids) {
      const targets = query.ids.map(targetOf).filter((t) => t !== undefined);
      if (targets.length === 0) return { kind: 'none' };
      const wanted = targets.map((t) => t.ip).filter((ip) => ips === undefined || ips.includes(ip));
      if (wanted.length === 0) return { kind: 'none' };
      // The cloud area is compared here (keep), not sent: CMDB's IP filter is what the reference documents.
      ips = [...new Set(wanted)];
    }
    if (hostConditions.length > 0) condition.push({ bk_obj_id: 'host', fields: [], condition: hostConditions });
    let sets: number[] | undefined;
    if (query.topology?.set) {
      sets = await setIdsOf(biz, query.topology.set, options);
      if (sets.length === 0) return { kind: 'none' };
      condition.push({ bk_obj_id: 'set', fields: [], condition: [{ field: 'bk_set_id', operator: '$in', value: sets }] });
    }
    if (query.topology?.module) {
      const modules = await moduleIdsOf(biz, query.topology.module, sets, options);
      if (modules.length === 0) return { kind: 'none' };
      condition.push({ bk_obj_id: 'module', fields: [], condition: [{ field: 'bk_module_id', operator: '$in', value: modules }] });
    }
    return {
      kind: 'search',
      request: {
        bk_supplier_account: SUPPLIER_ACCOUNT,
        bk_biz_id: biz,
        ...(ips ? { ip: { data: ips, exact: 1, flag: 'bk_host_innerip' } } : {}),
        ...(condition.length > 0 ? { condition } : {}),
      },
    };
  }

  /** GSE's `bk_agent_alive` of each runnable host, keyed `cloud:ip`. */
  async function aliveOf(rows: readonly CmdbHostRow[], options?: CallOptions): Promise<Map<string, number>> {
    const hosts = rows.flatMap((row) => {
      const ip = innerIpOf(row.host.bk_host_innerip);
      const cloud = cloudOf(row.host.bk_cloud_id);
      return ip !== undefined && cloud !== undefined ? [{ bk_cloud_id: cloud, ip }] : [];
    });
    if (hosts.length === 0) return new Map();
    const status = await mapped(() => caller.call(getAgentStatus, { bk_supplier_account: SUPPLIER_ACCOUNT, hosts }, esbOptions(options)));
    const alive = new Map<string, number>();
    for (const [key, value] of Object.entries(status)) {
      const name = value.ip !== undefined && value.bk_cloud_id !== undefined ? `${value.bk_cloud_id}:${value.ip}` : key;
      alive.set(name, value.bk_agent_alive);
    }
    return alive;
  }

  async function page(request: SearchHostRequest, start: number, limit: number, options?: CallOptions) {
    return mapped(() => caller.call(searchHost, { ...request, page: { start, limit, sort: 'bk_host_id' } }, esbOptions(options)));
  }

  /** Hosts a query names (ids name a cloud area as well as an IP; a name is a part of the host's name, in any case). */
  const keep = (query: HostQuery) => {
    const part = query.name?.toLowerCase();
    return (host: Host) => (!query.ids || query.ids.includes(host.id)) && (!part || host.name.toLowerCase().includes(part));
  };
  /** Rows whose host name holds the query's part of a name (all rows without one): only they need GSE's agent state. */
  const named = (query: HostQuery) => {
    const part = query.name?.toLowerCase();
    return (row: CmdbHostRow) => !part || (row.host.bk_host_name ?? '').toLowerCase().includes(part);
  };
  /** Whether rows are kept or left here, so a page is filled from several CMDB pages and CMDB's count is not the total. */
  const filtersHere = (query: HostQuery): boolean => Boolean(query.agentCode || query.name);

  return {
    pageMax: CC_PAGE_MAX,
    filters: FILTERS,
    agentCodes: AGENT_CODES,
    async list(query, options): Promise<Page<Host>> {
      const limit = Math.max(1, Math.min(query.limit, CC_PAGE_MAX));
      const resolved = await resolve(query, options);
      if (resolved.kind === 'none') return { items: [] };
      let start = query.after !== undefined && isDigits(query.after) ? Number(query.after) : 0;
      const items: Host[] = [];
      let total: number | undefined;
      for (let scanned = 0; ; ) {
        const scanning = filtersHere(query);
        const rows = await page(resolved.request, start, scanning ? CC_PAGE_MAX : limit, options);
        total = rows.count;
        const alive = await aliveOf(rows.info.filter(named(query)), options);
        let used = 0;
        for (const row of rows.info) {
          used++;
          const host = hostOf(row, alive);
          if (query.agentCode && host.agent.code !== query.agentCode) continue;
          if (!keep(query)(host)) continue;
          items.push(host);
          if (items.length === limit) break;
        }
        start += used;
        scanned += used;
        const more = start < rows.count && rows.info.length > 0;
        if (items.length === limit || !more || !scanning || scanned >= AGENT_SCAN_MAX) {
          return { items, ...(scanning ? {} : { total }), ...(more ? { next: String(start) } : {}) };
        }
      }
    },
    async count(query, options): Promise<number> {
      const resolved = await resolve(query, options);
      if (resolved.kind === 'none') return 0;
      if (!filtersHere(query) && !query.ids) return (await page(resolved.request, 0, 1, options)).count;
      let counted = 0;
      for (let start = 0; start < AGENT_SCAN_MAX; ) {
        const rows = await page(resolved.request, start, CC_PAGE_MAX, options);
        const alive = query.agentCode ? await aliveOf(rows.info.filter(named(query)), options) : new Map<string, number>();
        counted += rows.info.map((row) => hostOf(row, alive)).filter((host) => (!query.agentCode || host.agent.code === query.agentCode) && keep(query)(host)).length;
        start += rows.info.length;
        if (rows.info.length === 0 || start >= rows.count) break;
      }
      return counted;
    },
  };
}
