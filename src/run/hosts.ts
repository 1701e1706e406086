/**
 * Which hosts a run goes to: named ones (`--hosts`), those with a tag (`--tag`), or those whose
 * name contains a text (`--query`), looked up in the platform's inventory, each host once. Hosts
 * whose agent is not online cannot run a script: they are kept aside and shown, never sent.
 *
 * A named host is one resource id, never "the first match": ECS names and inner IPs repeat in
 * COC (two regions, two VPCs), so a name or IP that matches more than one host is reported as
 * ambiguous with every candidate, and nothing of it is planned. `id:<resource id>` and
 * `region/name` (src/run/host-ids.ts) pick one. Each name is searched in COC itself (not in the
 * first pages of the whole fleet), so a twin beyond them cannot be missed.
 *
 * A host whose listing gave no agent state at all (COC's reference documents no `agent_state` in
 * its resource table; the SDK has it) is not taken for "no agent": COC is asked which of those
 * hosts its own `agent_state=ONLINE` filter lists (SDK `ListResources`, coc-api-notes §1.2/§2.4),
 * and those run. The others are left out as "agent state unknown", saying so, never as "no agent".
 * The filter is trusted only once it has shown that it filters: whenever it lists some of those
 * hosts as ONLINE, the same hosts are asked about once more under another state (OFFLINE); a host
 * listed under both, or a row it returns in a state it was not asked for, shows a COC that does
 * not apply the filter (it may still honour `resource_id_list` and hand back every host asked
 * about), and then none of those hosts runs: each is left out as "agent state unknown", saying
 * that the filter did not filter. One extra read per preview, and none when nothing is listed.
 */
import type { Backend, Host, HostId, HostQuery, HostsCapability, HostTopology } from '../backends/index.js';
import { nativeOf, need } from '../backends/index.js';
import { parseHostRef, SHORT_ID_LENGTH, type HostRef } from './host-ids.js';

export type HostSelector =
  | { readonly kind: 'names'; readonly names: readonly string[] }
  | { readonly kind: 'tag'; readonly key: string; readonly value: string }
  | { readonly kind: 'query'; readonly text: string }
  /** Every host in a place of the platform's topology (BlueKing: business, set, module). */
  | { readonly kind: 'topology'; readonly topology: HostTopology };

/** A host a plan sends to: what the platform needs to target it (COC: its region too). */
export interface RunnableHost {
  readonly id: HostId;
  readonly region?: string;
  readonly name: string;
}

/** One host a name could mean, with what tells it from the others. */
export interface HostCandidate {
  readonly resourceId: string;
  readonly name: string;
  readonly ip: string | undefined;
  readonly regionId: string | undefined;
  readonly agentState: string | undefined;
}

export interface AmbiguousHost {
  /** As given with --hosts. */
  readonly given: string;
  /** Every host it matches (at least two), by region then name. */
  readonly candidates: readonly HostCandidate[];
}

/**
 * Why a matched host is left out, beside the platform's own agent codes (OFFLINE…): the listing
 * gave no state where it reports them (no agent), it gave none at all and COC's ONLINE filter does
 * not list the host (unknown), it gave none and the filter did not show that it filters (unknown
 * too, said apart), or it has no resource id or region to target.
 */
export const EXCLUDED_NO_AGENT = 'NO_AGENT';
export const EXCLUDED_AGENT_UNKNOWN = 'AGENT_STATE_UNKNOWN';
export const EXCLUDED_AGENT_FILTER_UNTRUSTED = 'AGENT_FILTER_UNTRUSTED';

/** The host was left out because nobody can tell its agent state (never "no agent", never "offline"). */
export function agentStateUnknown(reason: string): boolean {
  return reason === EXCLUDED_AGENT_UNKNOWN || reason === EXCLUDED_AGENT_FILTER_UNTRUSTED;
}
export const EXCLUDED_NO_RESOURCE_ID = 'NO_RESOURCE_ID';

export interface ExcludedHost {
  readonly name: string;
  readonly reason: string;
  /** Absent for an inventory row without a platform resource id. */
  readonly id?: HostId;
  readonly region?: string;
}

export interface ResolvedHosts {
  readonly runnable: readonly RunnableHost[];
  /** Matched but cannot run now (agent not online, or no resource/region id). */
  readonly excluded: readonly ExcludedHost[];
  /** Names given with --hosts that COC does not know. */
  readonly unknown: readonly string[];
  /** Names given with --hosts that match more than one host: nothing is planned until one is picked. */
  readonly ambiguous: readonly AmbiguousHost[];
  /** Names given with --hosts whose search in COC matched too many hosts to be sure none is a twin. */
  readonly tooBroad: readonly string[];
  /** Names given twice (kept once). */
  readonly duplicates: readonly string[];
}

const PAGE = 100;
/** More than COC accepts in one run (200), so "too many" is reported rather than silently cut. */
const MAX_READ = 400;
/** Pages read for one name's search (names match as "contains" in COC): beyond, the name is too broad to be sure. */
const NAME_SEARCH_PAGES = 20;
/** Pages read when an id prefix must be compared with every host. */
const FLEET_PAGES = 100;
/** COC reads at once while resolving a list of names. */
const PARALLEL_READS = 4;
/** Beyond this many names, one read of the whole fleet (when it fits in FLEET_PAGES) costs less than a search per name. */
const MANY_NAMES = 10;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const WHOLE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Filters = HostQuery;

interface Listing {
  readonly hosts: readonly Host[];
  /** False when the page limit ran out before the inventory's list did. */
  readonly complete: boolean;
}

async function listPages(hosts: HostsCapability, filters: Filters, maxHosts: number): Promise<Listing> {
  const all: Host[] = [];
  let after: string | undefined;
  while (all.length < maxHosts) {
    const page = await hosts.list({ ...filters, limit: PAGE, ...(after ? { after } : {}) });
    all.push(...page.items);
    if (!page.next) return { hosts: all, complete: true };
    after = page.next;
  }
  return { hosts: all, complete: false };
}

async function listAll(hosts: HostsCapability, filters: Filters): Promise<Host[]> {
  return [...(await listPages(hosts, filters, MAX_READ)).hosts];
}

/** The host's own id on the platform (COC: its cloud resource id, else the inventory row's). */
function identity(host: Host): string {
  return nativeOf(host.id);
}

/** The platform's resource id, when the host has one (an inventory row without one is named by its row id). */
function resourceIdOf(host: Host): string | undefined {
  const id = nativeOf(host.id);
  return host.runnable || id !== host.rowId ? id : undefined;
}

/** The searches that together find every host a reference could mean; 'fleet' = every host. */
function searchesFor(backend: Backend, ref: HostRef): readonly Filters[] | 'fleet' {
  if (ref.kind === 'id') {
    // Ids that take no prefix (BlueKing's `cloud:ip`) are only ever whole.
    if (WHOLE_UUID.test(ref.id) || !backend.hosts?.idPrefixes) return byId(backend, ref.id);
    return ref.id.length >= SHORT_ID_LENGTH ? 'fleet' : [];
  }
  const region = ref.kind === 'regional' ? { region: ref.region } : {};
  const searches: Filters[] = [{ ...region, name: ref.text }];
  if (IPV4.test(ref.text)) searches.push({ ...region, ip: ref.text });
  if (ref.kind === 'plain' && WHOLE_UUID.test(ref.text)) searches.push(...byId(backend, ref.text));
  return searches;
}

function byId(backend: Backend, typed: string): Filters[] {
  const id = backend.parseId('host', typed);
  return id ? [{ ids: [id] }] : [];
}

/** Exactly the hosts a reference means (the inventory's searches match by "contains"). */
function meant(ref: HostRef, hosts: readonly Host[], idPrefixes: boolean): Host[] {
  const same = (a: string | null | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();
  if (ref.kind === 'id') {
    const exact = hosts.filter((host) => same(resourceIdOf(host), ref.id));
    if (exact.length || !idPrefixes || ref.id.length < SHORT_ID_LENGTH) return exact;
    return hosts.filter((host) => (resourceIdOf(host) ?? '').toLowerCase().startsWith(ref.id.toLowerCase()));
  }
  const named = (host: Host) => same(host.name, ref.text) || host.ip === ref.text;
  if (ref.kind === 'regional') return hosts.filter((host) => same(host.region, ref.region) && named(host));
  return hosts.filter((host) => named(host) || resourceIdOf(host) === ref.text);
}

/** Runs `work` on every item, at most `limit` at a time, results in the items' order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

type RefOutcome = { kind: 'one'; host: Host } | { kind: 'none' } | { kind: 'many'; hosts: Host[] } | { kind: 'too-broad' };

async function resolveRefs(backend: Backend, given: readonly string[]): Promise<RefOutcome[]> {
  const hosts = need(backend, 'hosts');
  // The same search (two refs, or the fleet for several id prefixes) is read once.
  const reads = new Map<string, Promise<Listing>>();
  const read = (filters: Filters, maxHosts: number): Promise<Listing> => {
    const key = JSON.stringify(filters);
    let listing = reads.get(key);
    if (!listing) {
      listing = listPages(hosts, filters, maxHosts);
      reads.set(key, listing);
    }
    return listing;
  };
  // Only a complete fleet can stand in for the searches: a twin must not hide beyond its last page.
  const fleetRead = given.length > MANY_NAMES ? await read({}, FLEET_PAGES * PAGE) : undefined;
  const wholeFleet = fleetRead?.complete === true;
  return inParallel(given, PARALLEL_READS, async (text): Promise<RefOutcome> => {
    const ref = parseHostRef(text);
    const searches = wholeFleet ? 'fleet' : searchesFor(backend, ref);
    const listings = searches === 'fleet' ? [await read({}, FLEET_PAGES * PAGE)] : await Promise.all(searches.map((filters) => read(filters, NAME_SEARCH_PAGES * PAGE)));
    const byIdentity = new Map<string, Host>();
    for (const host of meant(ref, listings.flatMap((listing) => listing.hosts), hosts.idPrefixes === true)) byIdentity.set(identity(host), host);
    const found = [...byIdentity.values()];
    // An incomplete search may hide a twin: one match is not proof, and none is not absence.
    if (found.length <= 1 && listings.some((listing) => !listing.complete)) return { kind: 'too-broad' };
    if (found.length === 0) return { kind: 'none' };
    if (found.length === 1) return { kind: 'one', host: found[0]! };
    return { kind: 'many', hosts: found };
  });
}

/** The listing said nothing about this host's agent (no state, no code). */
function stateNotGiven(host: Host): boolean {
  return host.agent.state === 'unknown' && !host.agent.code;
}

/** Ids COC's filter takes at once (`resource_id_list`, at most 100). */
const FILTER_IDS = 100;

/** What the platform's ONLINE filter says of hosts whose listing gave no agent state. */
interface FilterAnswer {
  /** Identities of the hosts it lists as ONLINE (empty when it is not trusted). */
  readonly online: ReadonlySet<string>;
  /** False when it did not show that it filters: then none of the hosts is vouched for. */
  readonly trusted: boolean;
}

const NO_FILTER: FilterAnswer = { online: new Set(), trusted: true };

/**
 * Which of `hosts` (their listing gave no agent state) the platform's own ONLINE filter lists.
 * A filter the platform ignores answers with every host asked about, each without a state, so
 * nothing in that answer alone shows it was ignored: the hosts it lists are asked about once more
 * under another state, and the filter is trusted only when none of them comes back (a host cannot
 * be ONLINE and OFFLINE at once) and no row carries a state it was not asked for.
 */
async function onlineByFilter(backend: Backend, hosts: readonly Host[]): Promise<FilterAnswer> {
  const inventory = backend.hosts;
  const code = inventory?.onlineAgentCode;
  if (!inventory || !code || !inventory.filters.has('agent') || !inventory.filters.has('ids') || hosts.length === 0) return NO_FILTER;
  const untrusted: FilterAnswer = { online: new Set(), trusted: false };
  const answersOnly = (page: Listing, asked: string) => page.hosts.every((host) => host.agent.code === '' || host.agent.code === asked);
  const listed = new Map<string, HostId>();
  for (let start = 0; start < hosts.length; start += FILTER_IDS) {
    const chunk = hosts.slice(start, start + FILTER_IDS);
    const page = await listPages(inventory, { ids: chunk.map((host) => host.id), agentCode: code }, FILTER_IDS);
    if (!answersOnly(page, code)) return untrusted;
    const wanted = new Map(chunk.map((host) => [identity(host), host.id]));
    for (const host of page.hosts) {
      const id = wanted.get(identity(host));
      if (id) listed.set(identity(host), id);
    }
  }
  if (listed.size === 0) return NO_FILTER;
  // The proof that it filters: the same hosts under a state none of them is in if the first answer was true.
  const other = inventory.agentCodes.find((agentCode) => agentCode !== code);
  if (!other) return untrusted;
  const probe = await listPages(inventory, { ids: [...listed.values()].slice(0, FILTER_IDS), agentCode: other }, FILTER_IDS);
  if (!answersOnly(probe, other) || probe.hosts.some((host) => listed.has(identity(host)))) return untrusted;
  return { online: new Set(listed.keys()), trusted: true };
}

function candidateOf(host: Host): HostCandidate {
  return {
    resourceId: identity(host),
    name: host.name || identity(host),
    ip: host.ip,
    regionId: host.region,
    agentState: host.agent.code || undefined,
  };
}

function byRegionThenName(a: HostCandidate, b: HostCandidate): number {
  return (a.regionId ?? '').localeCompare(b.regionId ?? '') || a.name.localeCompare(b.name, 'en', { numeric: true }) || a.resourceId.localeCompare(b.resourceId);
}

export async function resolveHosts(backend: Backend, selector: HostSelector): Promise<ResolvedHosts> {
  let matched: Host[];
  const unknown: string[] = [];
  const ambiguous: AmbiguousHost[] = [];
  const tooBroad: string[] = [];
  const duplicates: string[] = [];
  if (selector.kind === 'names') {
    const seen = new Set<string>();
    const wanted: string[] = [];
    for (const name of selector.names) {
      const key = name.trim().toLowerCase();
      if (seen.has(key)) duplicates.push(name);
      else {
        seen.add(key);
        wanted.push(name);
      }
    }
    const outcomes = await resolveRefs(backend, wanted);
    matched = [];
    outcomes.forEach((outcome, index) => {
      const given = wanted[index]!;
      if (outcome.kind === 'one') matched.push(outcome.host);
      else if (outcome.kind === 'none') unknown.push(given);
      else if (outcome.kind === 'too-broad') tooBroad.push(given);
      else ambiguous.push({ given, candidates: outcome.hosts.map(candidateOf).sort(byRegionThenName) });
    });
  } else if (selector.kind === 'tag') {
    matched = await listAll(need(backend, 'hosts'), { tag: { key: selector.key, value: selector.value } });
  } else if (selector.kind === 'topology') {
    matched = await listAll(need(backend, 'hosts'), { topology: selector.topology });
  } else {
    matched = await listAll(need(backend, 'hosts'), { name: selector.text });
  }

  const byResource = new Map<string, Host>();
  for (const host of matched) {
    const id = identity(host);
    if (byResource.has(id)) duplicates.push(host.name || id);
    else byResource.set(id, host);
  }
  const runnable: RunnableHost[] = [];
  const excluded: ExcludedHost[] = [];
  const filter = await onlineByFilter(backend, [...byResource.values()].filter(stateNotGiven));
  const unknownReason = filter.trusted ? EXCLUDED_AGENT_UNKNOWN : EXCLUDED_AGENT_FILTER_UNTRUSTED;
  for (const host of byResource.values()) {
    const resourceId = resourceIdOf(host);
    const name = host.name || identity(host);
    const where = { ...(resourceId ? { id: host.id } : {}), ...(host.region ? { region: host.region } : {}) };
    const online = host.agent.state === 'online' || filter.online.has(identity(host));
    // The reason shown is the platform's own agent code (COC: OFFLINE, UNINSTALLED…), or why there is none.
    if (!online) excluded.push({ name, reason: host.agent.code || (stateNotGiven(host) ? unknownReason : EXCLUDED_NO_AGENT), ...where });
    // The backend says what a target needs (COC: a resource id and a region; BlueKing: cloud and IP).
    else if (!host.runnable || !resourceId) excluded.push({ name, reason: EXCLUDED_NO_RESOURCE_ID, ...where });
    else runnable.push({ id: host.id, ...(host.region ? { region: host.region } : {}), name });
  }
  runnable.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }) || (a.region ?? '').localeCompare(b.region ?? '') || a.id.localeCompare(b.id));
  return { runnable, excluded, unknown, ambiguous, tooBroad, duplicates };
}
