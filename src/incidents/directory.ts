/**
 * Who and what the platform knows by id: IAM users (incident assignees, creators, operators,
 * WarRoom members) and applications (an incident's applications).
 *
 * The platform's incident APIs name people and applications by id only, and there is no user
 * or application lookup. The ids come from two places: identity mappings that record an IAM
 * user id, and the platform's own names for the ids in its newest incidents (their `names`:
 * assignee, creator, operator, application). A name that stands for two ids is never guessed
 * between. The platform's part is read once per backend (one per client) and kept for a few
 * minutes.
 */
import { LRUCache } from 'lru-cache';
import { baseOf, type Incident, type IncidentName, type IncidentsCapability } from '../backends/index.js';
import type { Queryable } from '../store/db.js';
import { getIdentityMapping, listIdentityMappings, type IdentityMappingRow } from '../store/identity-mappings.js';
import type { ChatPlatform } from '../store/vocabulary.js';

/** How many of the newest incidents are read for names. */
const PROBE_SIZE = 200;
const TTL_MS = 5 * 60_000;

const PERSON_FIELDS: ReadonlySet<string> = new Set(['assignee', 'creator', 'operator']);
const APPLICATION_FIELD = 'application';

/** id → name, or several names if COC's entries disagree (kept as a set, shown as the first). */
export interface Directory {
  /** IAM user id → IAM user name. */
  readonly people: ReadonlyMap<string, string>;
  /** Application id → name. */
  readonly applications: ReadonlyMap<string, string>;
}

interface PlatformNames {
  readonly people: Map<string, string>;
  readonly applications: Map<string, string>;
}

const fromPlatform = new LRUCache<IncidentsCapability, Promise<PlatformNames>>({ max: 64, ttl: TTL_MS });

function learn(known: PlatformNames, entries: readonly IncidentName[]): void {
  for (const entry of entries) {
    const id = entry.key.trim();
    const name = (entry.en ?? entry.zh)?.trim();
    if (!id || !name) continue;
    if (PERSON_FIELDS.has(entry.field) && !known.people.has(id)) known.people.set(id, name);
    if (entry.field === APPLICATION_FIELD && !known.applications.has(id)) known.applications.set(id, name);
  }
}

async function probe(incidents: IncidentsCapability): Promise<PlatformNames> {
  const page = await incidents.list({ page: 1, perPage: PROBE_SIZE, withTotal: false });
  const known: PlatformNames = { people: new Map(), applications: new Map() };
  for (const item of page.items) learn(known, item.names);
  return known;
}

/** Known per credential: per the deployment's capability an invocation's was scoped from. */
function platformNames(incidents: IncidentsCapability): Promise<PlatformNames> {
  const key = baseOf(incidents);
  let names = fromPlatform.get(key);
  if (!names) {
    names = probe(incidents);
    // A failed read is not remembered: the next question asks the platform again.
    names.catch(() => fromPlatform.delete(key));
    fromPlatform.set(key, names);
  }
  return names;
}

/** Adds what an incident detail names (its people and application) to what is known. */
export function learnFromDetail(incidents: IncidentsCapability, detail: Incident): void {
  const names = fromPlatform.get(baseOf(incidents));
  if (!names) return;
  void names.then((known) => learn(known, detail.names), () => undefined);
}

export async function loadDirectory(incidents: IncidentsCapability, db: Queryable): Promise<Directory> {
  const [names, mappings] = await Promise.all([platformNames(incidents), listIdentityMappings(db)]);
  const people = new Map(names.people);
  for (const mapping of mappings) if (mapping.iamUserId) people.set(mapping.iamUserId, mapping.iamUserName);
  return { people, applications: names.applications };
}

/** Every IAM user id the platform or the mappings give for this name (exact match first, else any case). */
export function idsForName(directory: Directory, name: string): string[] {
  const exact = [...directory.people].filter(([, known]) => known === name).map(([id]) => id);
  if (exact.length > 0) return exact;
  const lower = name.toLowerCase();
  return [...directory.people].filter(([, known]) => known.toLowerCase() === lower).map(([id]) => id);
}

/** The names people may give, sorted, each once. */
export function knownNames(directory: Directory): string[] {
  return [...new Set(directory.people.values())].sort((a, b) => a.localeCompare(b));
}

export function personName(directory: Directory, id: string): string {
  return directory.people.get(id) ?? id;
}

export type PersonLookup =
  | { readonly ok: true; readonly id: string; readonly name: string }
  | { readonly ok: false; readonly problem: 'unknown' | 'unlinked-chat-user' | 'no-id'; readonly name?: string }
  | { readonly ok: false; readonly problem: 'ambiguous'; readonly name: string; readonly ids: readonly string[] };

/** `<@U123>`, `<@U123|name>` (Slack), `<@123>`, `<@!123>` (Discord), `@bob` (terminal). */
export function mentionedUser(raw: string): string | undefined {
  const tagged = /^<@!?([A-Za-z0-9_.-]{1,64})(?:\|[^>]*)?>$/.exec(raw.trim());
  if (tagged) return tagged[1];
  const at = /^@([A-Za-z0-9_.-]{1,64})$/.exec(raw.trim());
  return at?.[1];
}

function personOfName(directory: Directory, name: string, knownId: string | null | undefined): PersonLookup {
  if (knownId) return { ok: true, id: knownId, name };
  const ids = idsForName(directory, name);
  if (ids.length === 1) return { ok: true, id: ids[0]!, name: directory.people.get(ids[0]!) ?? name };
  if (ids.length > 1) return { ok: false, problem: 'ambiguous', name, ids };
  return { ok: false, problem: 'no-id', name };
}

/**
 * A person as typed: a chat mention or a chat user id of this workspace (through its identity
 * mapping), an IAM user name, or an IAM user id the platform knows.
 */
export async function findPerson(
  directory: Directory,
  db: Queryable,
  where: { readonly platform: ChatPlatform; readonly workspaceId: string },
  raw: string,
): Promise<PersonLookup> {
  const typed = raw.trim();
  const mentioned = mentionedUser(typed);
  const chatUser = mentioned ?? typed;
  let mapping: IdentityMappingRow | undefined;
  if (chatUser.length > 0 && chatUser.length <= 300) {
    mapping = await getIdentityMapping(db, { platform: where.platform, workspaceId: where.workspaceId, platformUserId: chatUser });
  }
  if (mapping) return personOfName(directory, mapping.iamUserName, mapping.iamUserId);
  if (mentioned) return { ok: false, problem: 'unlinked-chat-user', name: mentioned };
  const byName = personOfName(directory, typed, undefined);
  if (byName.ok || byName.problem === 'ambiguous') return byName;
  if (directory.people.has(typed)) return { ok: true, id: typed, name: directory.people.get(typed)! };
  return { ok: false, problem: 'unknown', name: typed };
}

/** The IAM user id of a mapped person: from the mapping, else from the platform's names. */
export function selfLookup(directory: Directory, identity: { readonly iamUserName: string; readonly iamUserId: string | undefined }): PersonLookup {
  return personOfName(directory, identity.iamUserName, identity.iamUserId);
}

/** An application as typed: its id, or a name the platform gave one id. */
export function findApplication(directory: Directory, raw: string): { ok: true; id: string; name: string } | { ok: false; ambiguous: boolean } {
  const typed = raw.trim();
  const name = directory.applications.get(typed);
  if (name !== undefined) return { ok: true, id: typed, name };
  const lower = typed.toLowerCase();
  const ids = [...directory.applications].filter(([, known]) => known.toLowerCase() === lower).map(([id]) => id);
  if (ids.length === 1) return { ok: true, id: ids[0]!, name: directory.applications.get(ids[0]!)! };
  // An id of COC's shape (24 hex) that no recent incident used is still a possible application.
  if (ids.length === 0 && /^[0-9a-f]{24}$/i.test(typed)) return { ok: true, id: typed, name: typed };
  return { ok: false, ambiguous: ids.length > 1 };
}

export function knownApplications(directory: Directory): string[] {
  return [...new Set(directory.applications.values())].sort((a, b) => a.localeCompare(b));
}
