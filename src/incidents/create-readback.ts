/**
 * After `incident create` lost the platform's answer (5xx, timeout, reset, unreadable body, an
 * error envelope on a 2xx), the platform's incident list says whether the incident exists: one with this
 * title, by this creator, created since shortly before the request (minus a margin for clock
 * skew: missing a real incident would invite a duplicate, so the window errs wide).
 *
 * - found: exactly one such incident → it is adopted as if the answer had arrived;
 * - absent: two reads a settle period apart both found none → it was not created;
 * - unknown: a read failed, or several candidates match (an earlier one with the same title)
 *   → nobody can say from here which, if any, is this request's.
 *
 * The settle period lets an eventually consistent list catch up with a create that did
 * happen; tests set it to 0 (no sleeping in tests).
 */
import { nativeOf, type IncidentQuery, type IncidentsCapability } from '../backends/index.js';

export const CREATE_READ_BACK = {
  /** Between the two reads that prove absence. */
  settleMs: 2_000,
  /**
   * How far before the request (by the bot's clock) a matching incident may show as created
   * (by the platform's clock). Wide on purpose: a window that misses the real incident would call it
   * absent and invite a duplicate; one that also catches an older namesake only makes the
   * outcome "unknown" with both numbers.
   */
  skewMs: 10 * 60_000,
};

export type CreateReadBack =
  | { readonly kind: 'found'; readonly num: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly candidates: readonly string[] };

export interface CreatedLookup {
  readonly title: string;
  /** The creator's IAM user id, as sent in the create request. */
  readonly creator: string;
  /** When the request was sent (epoch ms). */
  readonly sentAt: number;
}

function query(lookup: CreatedLookup): IncidentQuery {
  return { page: 1, perPage: 20, title: lookup.title, creator: lookup.creator, createdSince: lookup.sentAt - CREATE_READ_BACK.skewMs, order: 'newest-first' };
}

async function readCandidates(incidents: IncidentsCapability, lookup: CreatedLookup): Promise<string[] | undefined> {
  try {
    const page = await incidents.list(query(lookup));
    // The platform's "exactly this title" is checked again here in case it treats it loosely.
    return page.items.filter((item) => item.title === lookup.title).map((item) => nativeOf(item.id));
  } catch {
    return undefined;
  }
}

/** Matches the lost create in the platform's incident list; never throws, never creates. */
export async function findCreatedIncident(
  incidents: IncidentsCapability,
  lookup: CreatedLookup,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<CreateReadBack> {
  const first = await readCandidates(incidents, lookup);
  if (first === undefined) return { kind: 'unknown', candidates: [] };
  if (first.length === 1) return { kind: 'found', num: first[0]! };
  if (first.length > 1) return { kind: 'unknown', candidates: first };
  if (CREATE_READ_BACK.settleMs > 0) await wait(CREATE_READ_BACK.settleMs);
  const second = await readCandidates(incidents, lookup);
  if (second === undefined) return { kind: 'unknown', candidates: [] };
  if (second.length === 1) return { kind: 'found', num: second[0]! };
  if (second.length > 1) return { kind: 'unknown', candidates: second };
  return { kind: 'absent' };
}
