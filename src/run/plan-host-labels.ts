/**
 * A planned host as previews and approval cards show it: its name with its region and short
 * resource id, `db-01 (ap-southeast-3 · 1a2b3c4d)`, because names repeat in COC and the person
 * who presses Run or Approve must see which db-01 it is. The short ids are cut per plan, so
 * two hosts of one plan never look alike.
 */
import { nativeOf, type HostId } from '../backends/index.js';
import { shortIds } from './host-ids.js';
import type { PlanDetails } from './plan-details.js';

export interface ShownHost {
  readonly name: string;
  readonly region?: string | undefined;
  readonly id?: HostId | undefined;
}

export type PlanShortIds = ReadonlyMap<string, string>;

/** Short ids for every host of the plan, sent or left out. */
export function planShortIds(details: Pick<PlanDetails, 'batches' | 'excluded'>): PlanShortIds {
  const ids = [...details.batches.flatMap((batch) => batch.hosts.map((host) => nativeOf(host.id))), ...details.excluded.flatMap((host) => (host.id ? [nativeOf(host.id)] : []))];
  return shortIds(ids);
}

/** `name (region · short id)`, with any `notes` after them; a host stored without them (older plans) by name. */
export function hostLabel(host: ShownHost, short: PlanShortIds, ...notes: string[]): string {
  const native = host.id === undefined ? undefined : nativeOf(host.id);
  const place = [host.region, native && (short.get(native) ?? native)].filter((part): part is string => Boolean(part));
  const inside = [...place, ...notes];
  return inside.length ? `${host.name} (${inside.join(' · ')})` : host.name;
}
