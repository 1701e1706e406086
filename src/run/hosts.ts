/**
 * Which hosts a run goes to: named ones (`--hosts`), those with a tag (`--tag`), or those whose
 * name contains a text (`--query`), looked up in COC, each host once. Hosts whose UniAgent is
 * not online cannot run a script: they are kept aside and shown, never sent.
 */
import type { CocClient } from '../coc/client.js';
import type { Resource } from '../coc/schemas/resources.js';

export type HostSelector =
  | { readonly kind: 'names'; readonly names: readonly string[] }
  | { readonly kind: 'tag'; readonly key: string; readonly value: string }
  | { readonly kind: 'query'; readonly text: string };

export interface RunnableHost {
  readonly resourceId: string;
  readonly regionId: string;
  readonly name: string;
}

export interface ResolvedHosts {
  readonly runnable: readonly RunnableHost[];
  /** Matched but cannot run now (agent not online, or no resource/region id). */
  readonly excluded: readonly { readonly name: string; readonly reason: string }[];
  /** Names given with --hosts that COC does not know. */
  readonly unknown: readonly string[];
  /** Names given twice (kept once). */
  readonly duplicates: readonly string[];
}

const PAGE = 100;
/** More than COC accepts in one run (200), so "too many" is reported rather than silently cut. */
const MAX_READ = 400;

async function listAll(coc: CocClient, filters: { name?: string; tag?: string }): Promise<Resource[]> {
  const all: Resource[] = [];
  let marker: string | undefined;
  while (all.length < MAX_READ) {
    const page = await coc.listResources({ provider: 'ecs', type: 'cloudservers', ...filters, limit: PAGE, ...(marker ? { marker } : {}) });
    all.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || !last) break;
    marker = last.id;
  }
  return all;
}

export async function resolveHosts(coc: CocClient, selector: HostSelector): Promise<ResolvedHosts> {
  let matched: Resource[];
  const unknown: string[] = [];
  const duplicates: string[] = [];
  if (selector.kind === 'names') {
    const everyone = await listAll(coc, {});
    const seen = new Set<string>();
    matched = [];
    for (const wanted of selector.names) {
      const key = wanted.toLowerCase();
      if (seen.has(key)) {
        duplicates.push(wanted);
        continue;
      }
      seen.add(key);
      const host = everyone.find((h) => h.name?.toLowerCase() === key || h.resource_id === wanted || h.inner_ip === wanted);
      if (host) matched.push(host);
      else unknown.push(wanted);
    }
  } else if (selector.kind === 'tag') {
    matched = await listAll(coc, { tag: `${selector.key}.${selector.value}` });
  } else {
    matched = await listAll(coc, { name: selector.text });
  }

  const byResource = new Map<string, Resource>();
  for (const host of matched) {
    const id = host.resource_id ?? host.id;
    if (byResource.has(id)) duplicates.push(host.name ?? id);
    else byResource.set(id, host);
  }
  const runnable: RunnableHost[] = [];
  const excluded: { name: string; reason: string }[] = [];
  for (const host of byResource.values()) {
    const name = host.name ?? host.resource_id ?? host.id;
    if (host.agent_state !== 'ONLINE') excluded.push({ name, reason: host.agent_state ?? 'NO_AGENT' });
    else if (!host.resource_id || !host.region_id) excluded.push({ name, reason: 'NO_RESOURCE_ID' });
    else runnable.push({ resourceId: host.resource_id, regionId: host.region_id, name });
  }
  runnable.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  return { runnable, excluded, unknown, duplicates };
}
