/**
 * The whole simulated tenant. Built from a seed and a clock: the same seed (and the same
 * clock reading, to the day) always yields the same hosts, scripts, incidents and reports.
 */
import { SimClock, startOfUtcDay } from '../clock.js';
import type { SimUserSpec } from '../defaults.js';
import { IdFactory } from '../ids.js';
import { buildAddedHost, type NewHostSpec } from './added-hosts.js';
import { ResourceSyncJobs } from './resource-sync.js';
import { AlarmInbox } from './alarms.js';
import { IamDirectory } from './iam.js';
import { IncidentDesk } from './incidents.js';
import type { Application, Host, PatchReport, Region, Script } from './model.js';
import { OrderBook } from './orders.js';
import { seedHosts, seedRegions } from './seed-hosts.js';
import { seedIncidents } from './seed-incidents.js';
import { seedPatchReports } from './patches.js';
import { seedScripts } from './seed-scripts.js';
import { APPLICATIONS, buildUsers } from './seed-tenant.js';
import { WarRoomBoard } from './warrooms.js';

/** Reference time for the seeded inventory (hosts, scripts): 2025-06-01T00:00:00Z. */
export const INVENTORY_EPOCH_MS = Date.UTC(2025, 5, 1);

export interface WorldOptions {
  readonly seed: number;
  readonly clock: SimClock;
  readonly users: readonly SimUserSpec[];
  readonly integrationKeys: readonly string[];
  readonly tokenTtlMs: number;
}

export class World {
  readonly seed: number;
  readonly clock: SimClock;
  readonly ids: IdFactory;
  readonly regions: readonly Region[];
  readonly applications: readonly Application[] = APPLICATIONS;
  /** Custom scripts by uuid, in creation order. */
  readonly scripts = new Map<string, Script>();
  readonly publicScripts = new Map<string, Script>();
  readonly orders: OrderBook;
  readonly incidents: IncidentDesk;
  readonly warRooms: WarRoomBoard;
  readonly alarms = new AlarmInbox();
  /** Made on first use (most starts never list patches); the same reports either way, from the seed and the seeded hosts. */
  private patchReportsMade: readonly PatchReport[] | undefined;
  private readonly makePatchReports: () => readonly PatchReport[];
  readonly iam: IamDirectory;
  readonly integrationKeys: ReadonlySet<string>;

  /** Seeded hosts, then those added at run time (`addHost`), in list order. */
  private readonly hostList: Host[];
  /** Hosts the cloud has and the CMDB has not read yet: listed after the next resource sync. */
  private readonly unsyncedHosts: Host[] = [];
  /** COC's resource and UniAgent syncs, carried out on the ticks after they are asked for. */
  readonly resourceSync = new ResourceSyncJobs(this);
  private readonly hostIndex = new Map<string, number>();
  private readonly hostsByResourceId = new Map<string, Host>();
  private patchByIdMade: Map<string, PatchReport> | undefined;

  constructor(options: WorldOptions) {
    this.seed = options.seed;
    this.clock = options.clock;
    this.ids = new IdFactory(options.seed);
    // Hosts and scripts hang off a fixed epoch, so their ids (script uuids embed a timestamp)
    // stay the same from one day to the next. Recent activity (incidents, WarRooms, patch
    // reports) hangs off the start of the current UTC day, so "last 30 days" filters see it
    // and two simulators started the same day with the same seed still agree.
    const baseMs = startOfUtcDay(options.clock.now());
    this.regions = seedRegions(options.seed);
    this.hostList = seedHosts(options.seed, this.regions, INVENTORY_EPOCH_MS);
    this.hostList.forEach((host, index) => this.indexHost(host, index));
    const { custom, publicScripts } = seedScripts(options.seed, this.ids, INVENTORY_EPOCH_MS);
    for (const script of custom) this.scripts.set(script.scriptUuid, script);
    for (const script of publicScripts) this.publicScripts.set(script.scriptUuid, script);
    this.orders = new OrderBook(this.ids, options.clock);
    this.incidents = new IncidentDesk(this.ids, options.clock);
    this.warRooms = new WarRoomBoard(this.ids, options.clock);
    seedIncidents(this.ids, baseMs, this.incidents, this.warRooms);
    const seededHosts = [...this.hostList];
    this.makePatchReports = () => seedPatchReports(options.seed, seededHosts, baseMs);
    this.iam = new IamDirectory(buildUsers(options.users), options.clock, options.tokenTtlMs);
    this.integrationKeys = new Set(options.integrationKeys);
  }

  now(): number {
    return this.clock.now();
  }

  get patchReports(): readonly PatchReport[] {
    this.patchReportsMade ??= this.makePatchReports();
    return this.patchReportsMade;
  }

  private get patchById(): Map<string, PatchReport> {
    this.patchByIdMade ??= new Map(this.patchReports.map((report) => [report.id, report]));
    return this.patchByIdMade;
  }

  get hosts(): readonly Host[] {
    return this.hostList;
  }

  /**
   * A host added at run time, listed after the seeded ones (so marker paging still works) and
   * executable like them. Throws HostSpecError for a region the tenant does not have.
   */
  addHost(spec: NewHostSpec, options: { readonly unsynced?: boolean } = {}): Host {
    const vpcByRegion = new Map<string, string>();
    for (const known of this.hostList) if (!vpcByRegion.has(known.regionId)) vpcByRegion.set(known.regionId, known.vpcId);
    const used = [...this.hostList, ...this.unsyncedHosts].map((known) => known.fixedIp);
    const placement = { regions: this.regions, usedIps: new Set(used), vpcByRegion, nowMs: this.now() };
    const host = buildAddedHost(spec, placement, this.ids);
    // In the cloud only: COC lists it (and runs on it) once a resource sync has read it.
    if (options.unsynced) this.unsyncedHosts.push(host);
    else this.listHost(host);
    return host;
  }

  /** A resource sync read the cloud: the hosts only it had are listed now, after the others. */
  adoptUnsyncedHosts(): readonly Host[] {
    const adopted = this.unsyncedHosts.splice(0);
    const now = new Date(this.now()).toISOString();
    for (const host of adopted) {
      host.updateTime = now;
      this.listHost(host);
    }
    return adopted;
  }

  /** What a UniAgent sync found a host's agent to be. */
  setAgentState(host: Host, state: Host['agentState']): void {
    host.agentState = state;
    host.agentId = state === undefined ? undefined : (host.agentId ?? this.ids.hex(32));
    host.updateTime = new Date(this.now()).toISOString();
  }

  private listHost(host: Host): void {
    this.hostList.push(host);
    this.indexHost(host, this.hostList.length - 1);
  }

  private indexHost(host: Host, position: number): void {
    this.hostIndex.set(host.id, position);
    this.hostsByResourceId.set(host.resourceId, host);
  }

  /** Hosts the cloud has and the CMDB has not read yet. */
  get unsynced(): readonly Host[] {
    return this.unsyncedHosts;
  }

  /**
   * The hosts of a saved world: a seeded host takes the saved state of what may change (its agent),
   * one added at run time is listed again; those not synced yet wait for the next resource sync.
   */
  restoreHosts(listed: readonly Host[], unsynced: readonly Host[]): void {
    for (const saved of listed) {
      const position = this.hostIndex.get(saved.id);
      const known = position === undefined ? undefined : this.hostList[position];
      if (known) Object.assign(known, { agentId: saved.agentId, agentState: saved.agentState, updateTime: saved.updateTime });
      else this.listHost(saved);
    }
    this.unsyncedHosts.splice(0, this.unsyncedHosts.length, ...unsynced);
  }

  hostByResourceId(resourceId: string): Host | undefined {
    return this.hostsByResourceId.get(resourceId);
  }

  hostByName(name: string): Host | undefined {
    return this.hosts.find((host) => host.name === name);
  }

  /** Position of a host (by CMDB id) in list order; undefined for unknown ids. */
  hostPosition(cmdbId: string): number | undefined {
    return this.hostIndex.get(cmdbId);
  }

  patchReport(id: string): PatchReport | undefined {
    return this.patchById.get(id);
  }

  regionById(id: string): Region | undefined {
    return this.regions.find((region) => region.id === id);
  }

  applicationName(id: string): string {
    return this.applications.find((application) => application.id === id)?.name ?? id;
  }

  /** Any script, custom or public. */
  anyScript(uuid: string): Script | undefined {
    return this.scripts.get(uuid) ?? this.publicScripts.get(uuid);
  }
}
