/**
 * Ids of things that live on an operations platform, as the product carries them: opaque
 * strings `<backend>:<kind>:<native>`. A stored row therefore always says which backend made it,
 * and neutral code never guesses at a platform's id format. People still type and see the native
 * part (`nativeOf`); a backend's `parseId` turns what they typed into an id.
 */
export const BACKENDS = ['coc', 'blueking'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const ID_KINDS = ['host', 'script', 'public-script', 'run', 'host-run', 'incident', 'war-room', 'alarm', 'patch-host', 'execution', 'task', 'template', 'ticket'] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** `<backend>:<kind>:<native>`; the native part may itself contain ':'. */
export type Id<K extends IdKind = IdKind> = string & { readonly __id?: K };
export type HostId = Id<'host'>;
export type ScriptId = Id<'script' | 'public-script'>;
export type RunId = Id<'run'>;
export type HostRunRef = Id<'host-run'>;
export type IncidentId = Id<'incident'>;
export type WarRoomId = Id<'war-room'>;

const isBackend = (name: string): name is BackendName => (BACKENDS as readonly string[]).includes(name);
const isKind = (kind: string): kind is IdKind => (ID_KINDS as readonly string[]).includes(kind);

export function makeId<K extends IdKind>(backend: BackendName, kind: K, native: string): Id<K> {
  return `${backend}:${kind}:${native}` as Id<K>;
}

export interface ParsedId {
  readonly backend: BackendName;
  readonly kind: IdKind;
  readonly native: string;
}

/** The parts of an id, or undefined when the string is not one. */
export function parseId(id: string): ParsedId | undefined {
  const first = id.indexOf(':');
  const second = first === -1 ? -1 : id.indexOf(':', first + 1);
  if (second === -1) return undefined;
  const backend = id.slice(0, first);
  const kind = id.slice(first + 1, second);
  const native = id.slice(second + 1);
  if (!isBackend(backend) || !isKind(kind) || native === '') return undefined;
  return { backend, kind, native };
}

/** What a person sees and types: the platform's own id. A string that is not an id is shown as it is. */
export function nativeOf(id: string): string {
  return parseId(id)?.native ?? id;
}

/** The backend an id belongs to; throws for a string that is not an id (a programming error). */
export function backendOf(id: string): BackendName {
  const parsed = parseId(id);
  if (!parsed) throw new TypeError(`not a backend id: ${JSON.stringify(id)}`);
  return parsed.backend;
}

/** Whether `id` is an id of `kind` (any backend). */
export function isIdOf(id: string, kind: IdKind): boolean {
  return parseId(id)?.kind === kind;
}
