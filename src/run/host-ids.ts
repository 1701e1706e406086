/**
 * How a person names one host when names are not enough: ECS names and inner IPs repeat in
 * COC, resource ids do not. A host is shown with its region and a short resource id (the
 * first 8 characters, longer where two shown ids share them), and picked back with
 * `id:<resource id>` (a prefix of at least 8 characters will do) or `region/name`. A platform
 * whose ids are not random (BlueKing's `cloud:ip`) takes and shows only whole ids, and one
 * without regions offers the IP instead of `region/name`.
 */
import { AGENT_NAMES, type Backend } from '../backends/index.js';

/** How hosts are told apart on a platform: what `id:` takes, and whether `region/name` means anything. */
export interface HostNaming {
  /** `id:` takes a prefix of at least SHORT_ID_LENGTH characters, and ids are shown that short. */
  readonly idPrefixes: boolean;
  /** Hosts sit in regions, so `region/name` may pick one. */
  readonly regions: boolean;
  /** What the platform calls the agent a host needs to run a script (COC: UniAgent). */
  readonly agent: string;
}

export function hostNamingOf(backend: Pick<Backend, 'name' | 'hosts'>): HostNaming {
  return { idPrefixes: backend.hosts?.idPrefixes === true, regions: backend.hosts?.filters.has('region') === true, agent: AGENT_NAMES[backend.name] };
}

/** Characters of a resource id shown, and the shortest prefix `id:` accepts. */
export const SHORT_ID_LENGTH = 8;

export const ID_PREFIX = 'id:';

/**
 * Each id cut to the shortest length (at least SHORT_ID_LENGTH) at which no two of the given
 * ids look alike, so a short id shown next to another always tells them apart.
 */
export function shortIds(ids: readonly string[]): Map<string, string> {
  const distinct = [...new Set(ids)];
  let length = SHORT_ID_LENGTH;
  const longest = Math.max(0, ...distinct.map((id) => id.length));
  while (length < longest && new Set(distinct.map((id) => id.slice(0, length).toLowerCase())).size < distinct.length) length++;
  return new Map(distinct.map((id) => [id, id.slice(0, length)]));
}

export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_LENGTH);
}

/** What one entry of `--hosts` (or the form's host field) asks for. */
export type HostRef =
  /** `id:<resource id>`, whole or a prefix of at least SHORT_ID_LENGTH characters. */
  | { readonly kind: 'id'; readonly id: string }
  /** `region/name` or `region/ip`: a name or IP within one region. */
  | { readonly kind: 'regional'; readonly region: string; readonly text: string }
  /** A name, an inner IP, or a whole resource id. */
  | { readonly kind: 'plain'; readonly text: string };

export function parseHostRef(given: string): HostRef {
  const text = given.trim();
  if (text.toLowerCase().startsWith(ID_PREFIX)) return { kind: 'id', id: text.slice(ID_PREFIX.length).trim() };
  // ECS names have no "/", so the first one separates a region from a name.
  const slash = text.indexOf('/');
  if (slash > 0 && slash < text.length - 1) return { kind: 'regional', region: text.slice(0, slash).trim(), text: text.slice(slash + 1).trim() };
  return { kind: 'plain', text };
}
