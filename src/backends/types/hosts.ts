/** Hosts a script can run on, as the platform's inventory describes them. */
import type { CallOptions, Page } from '../backend.js';
import type { HostId } from '../ids.js';
import type { Coded } from './coded.js';

/** `online` is the only state a script runs in; `unknown` = the platform did not say. */
export const AGENT_STATES = ['online', 'offline', 'installing', 'failed', 'not-installed', 'unknown'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export interface HostTag {
  readonly key: string;
  readonly value: string;
}

export interface Host {
  readonly id: HostId;
  /** The inventory's own row id (the cursor of the next page); not a script target. */
  readonly rowId: string;
  /** '' when the platform has none. */
  readonly name: string;
  readonly ip?: string;
  readonly region?: string;
  readonly agent: Coded<AgentState>;
  readonly tags: readonly HostTag[];
  /** Where it sits in the platform's topology (BlueKing: business, sets, modules by name). */
  readonly topology?: { readonly biz?: string; readonly sets?: readonly string[]; readonly modules?: readonly string[] };
  /** The operating system (type or name) as the platform states it. */
  readonly os?: string;
  /** Has what an execution needs to target it (COC: a cloud resource id and a region). */
  readonly runnable: boolean;
}

/** What a plan stores and an execution gets: enough to target the host, nothing more. */
export interface HostTarget {
  readonly id: HostId;
  readonly name: string;
  readonly region?: string;
}

/** A host whose agent state is to be refreshed: what the platform needs to name it. */
export type AgentSyncTarget = Pick<Host, 'id' | 'rowId' | 'region'>;

export type HostFilter = 'name' | 'ip' | 'ids' | 'tag' | 'agent' | 'region' | 'topology';

/** Where a host sits in the platform's topology (BlueKing CMDB business / set / module), by name or id as typed. */
export interface HostTopology {
  readonly biz?: string;
  readonly set?: string;
  readonly module?: string;
}

export interface HostQuery {
  /** Part of the name. */
  readonly name?: string;
  readonly ip?: string;
  readonly ids?: readonly HostId[];
  readonly tag?: HostTag;
  /** The platform's own agent code to filter on (COC `ONLINE`…): the flag offers the vocabulary's codes. */
  readonly agentCode?: string;
  readonly region?: string;
  readonly topology?: HostTopology;
}

export interface HostsCapability {
  /** Most hosts one page may hold. */
  readonly pageMax: number;
  readonly filters: ReadonlySet<HostFilter>;
  /** The agent codes a filter may name, in the platform's order. */
  readonly agentCodes: readonly string[];
  /**
   * The code of the one state a script runs in (COC `ONLINE`), when the platform can filter on it:
   * a host whose listing gave no state at all is run only if this filter lists it.
   */
  readonly onlineAgentCode?: string;
  /**
   * Host ids are random (COC's resource uuids), so their first characters tell hosts apart and
   * `id:` takes a prefix. Unset: only whole ids (BlueKing's `cloud:ip`: an IP's prefix is others' too).
   */
  readonly idPrefixes?: true;
  list(query: HostQuery & { readonly limit: number; readonly after?: string }, options?: CallOptions): Promise<Page<Host>>;
  count?(query: HostQuery, options?: CallOptions): Promise<number>;
  /** Asks the platform to refresh its inventory (a write). */
  sync?(options?: CallOptions): Promise<boolean | undefined>;
  /**
   * Asks the platform to refresh the agent state of these hosts (a write; COC's UniAgent sync).
   * Returns the platform's task id when it gives one. At most `agentSyncMax` hosts at once.
   * BlueKing offers neither sync: its CMDB is the inventory itself and GSE's agent state is read live.
   */
  syncAgents?(hosts: readonly AgentSyncTarget[], options?: CallOptions): Promise<string | undefined>;
  /** Most hosts one `syncAgents` call takes. */
  readonly agentSyncMax?: number;
}
