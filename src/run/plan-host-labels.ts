/**
 * A planned host as previews and approval cards show it: its name with its region and short
 * resource id, `db-01 (ap-southeast-3 · 1a2b3c4d)`, because names repeat in COC and the person
 * who presses Run or Approve must see which db-01 it is. The short ids are cut per plan, so
 * two hosts of one plan never look alike.
 */
import { shortIds } from './host-ids.js';
import type { PlanDetails } from './plan-details.js';

export interface ShownHost {
  readonly name: string;
  readonly regionId?: string | undefined;
  readonly resourceId?: string | undefined;
}

export type PlanShortIds = ReadonlyMap<string, string>;

/** Short ids for every host of the plan, sent or left out. */
export function planShortIds(details: Pick<PlanDetails, 'batches' | 'excluded'>): PlanShortIds {
  const ids = [...details.batches.flatMap((batch) => batch.hosts.map((host) => host.resourceId)), ...details.excluded.flatMap((host) => (host.resourceId ? [host.resourceId] : []))];
  return shortIds(ids);
}

/** `name (region · short id)`, with any `notes` after them; a host stored without them (older plans) by name. */
export function hostLabel(host: ShownHost, short: PlanShortIds, ...notes: string[]): string {
  const place = [host.regionId, host.resourceId && (short.get(host.resourceId) ?? host.resourceId)].filter((part): part is string => Boolean(part));
  const inside = [...place, ...notes];
  return inside.length ? `${host.name} (${inside.join(' · ')})` : host.name;
}
