/**
 * Hosts added to a running simulator (`POST /__sim/hosts`), so tests and demos can make the
 * fleet COC really has: two hosts with one name in different regions, two with one inner IP.
 * ECS does not make names unique, and neither does this. Everything but the name has a
 * default: the first region, a free 10.9.x.y address, an ONLINE UniAgent, no tags, Linux.
 * `agentStateHidden` makes the host's row omit its agent fields, as the reference's resource
 * table shapes it: the bot must then tell an unknown state from "no agent".
 */
import { DAY_MS } from '../clock.js';
import type { IdFactory } from '../ids.js';
import type { AgentState, Host, Region, Tag } from './model.js';

export interface NewHostSpec {
  readonly name: string;
  /** Any inner IP, a duplicate included; default a free one in 10.9.0.0/16. */
  readonly ip?: string | undefined;
  /** A region id the world has; default the first. */
  readonly region?: string | undefined;
  /** UNINSTALLED = no UniAgent at all; default ONLINE. */
  readonly agentState?: AgentState | undefined;
  readonly tags?: readonly Tag[] | undefined;
  /** The row omits `agent_id` and `agent_state` (the agent still runs as `agentState` says); default false. */
  readonly agentStateHidden?: boolean | undefined;
}

/** A spec the world cannot honour (a region it does not have); the admin API answers 400 with the message. */
export class HostSpecError extends Error {
  override readonly name = 'HostSpecError';
}

/** Where an added host lands in the layout: its region and the inner IPs already in use. */
export interface HostPlacement {
  readonly regions: readonly Region[];
  readonly usedIps: ReadonlySet<string>;
  /** The VPC of each region's seeded hosts, so an added host sits beside them. */
  readonly vpcByRegion: ReadonlyMap<string, string>;
  readonly nowMs: number;
}

function freeIp(used: ReadonlySet<string>): string {
  for (let n = 0; n < 65_536; n++) {
    const ip = `10.9.${Math.floor(n / 254)}.${(n % 254) + 1}`;
    if (!used.has(ip)) return ip;
  }
  throw new HostSpecError('no free inner IP left in 10.9.0.0/16; give "ip"');
}

export function buildAddedHost(spec: NewHostSpec, placement: HostPlacement, ids: IdFactory): Host {
  const { regions } = placement;
  const region = spec.region === undefined ? regions[0] : regions.find((known) => known.id === spec.region);
  if (!region) throw new HostSpecError(`region "${spec.region}" is not in the simulated tenant; known regions: ${regions.map((known) => known.id).join(', ')}`);
  const agent = spec.agentState ?? 'ONLINE';
  const installed = agent !== 'UNINSTALLED';
  const created = new Date(placement.nowMs - DAY_MS).toISOString();
  return {
    id: ids.cmdbId(),
    resourceId: `${ids.hex(8)}-${ids.hex(4)}-${ids.hex(4)}-${ids.hex(4)}-${ids.hex(12)}`,
    name: spec.name,
    regionId: region.id,
    zoneId: region.zones[0] ?? `${region.id}a`,
    projectId: region.projectId,
    tags: (spec.tags ?? []).map((tag) => ({ key: tag.key, value: tag.value })),
    agentId: installed ? ids.hex(32) : undefined,
    agentState: installed ? agent : undefined,
    osType: 'linux',
    osName: 'HuaweiCloudEulerOS',
    osVersion: '2.0',
    imageName: 'Huawei Cloud EulerOS 2.0 Standard 64 bit',
    flavorName: 's6.large.2',
    status: 'ACTIVE',
    fixedIp: spec.ip ?? freeIp(placement.usedIps),
    floatingIp: undefined,
    vpcId: placement.vpcByRegion.get(region.id) ?? '',
    createTime: created,
    updateTime: created,
    ...(spec.agentStateHidden ? { agentStateHidden: true } : {}),
  };
}
