/**
 * The COC backend: the neutral interface over the COC client (src/coc, which keeps its place and
 * its tests). One backend per client: a person's own client gets their own backend.
 */
import { CocClient } from '../../coc/client.js';
import type { Secret } from '../../config.js';
import type { Backend } from '../backend.js';
import { noteMadeFrom } from '../scoped.js';
import { makeId, type Id, type IdKind } from '../ids.js';
import './errors.js';
import { cocHosts } from './hosts.js';
import { cocAlarms } from './alarms.js';
import { cocChanges } from './changes.js';
import { cocRunbooks } from './runbooks.js';
import { cocPatches } from './patches.js';
import { cocScripts } from './scripts.js';
import { cocIncidents } from './incidents.js';
import { COC_VOCABULARY } from './vocabulary.js';
import { cocRuns } from './runs.js';
import { cocWarRooms } from './warrooms.js';

/** What people type for each kind of id COC has (uuids, incident numbers…): kept loose, COC checks. */
const TYPED_ID = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;

/** What a COC backend holds beside its client: the same for every person of one deployment. */
export interface CocBackendOptions {
  /** The key of COC's custom-event integration (`coc.integrationKey`): without it, alarms cannot be reported. */
  readonly integrationKey?: Secret;
}

const backends = new WeakMap<CocClient, { readonly backend: Backend; readonly integrationKey: Secret | undefined }>();

export function createCocBackend(client: CocClient, options: CocBackendOptions = {}): Backend {
  const known = backends.get(client);
  if (known && known.integrationKey === options.integrationKey) return known.backend;
  const backend = backendOver(client, options);
  backends.set(client, { backend, integrationKey: options.integrationKey });
  return backend;
}

/**
 * The backend over `client`; `within` gives one over a scoped view of it, made for one invocation
 * and not kept (`scopedBackendOver`).
 */
function backendOver(client: CocClient, options: CocBackendOptions): Backend {
  const backend: Backend = {
    name: 'coc',
    displayName: { 'en-US': 'COC', 'zh-CN': 'COC' },
    vocabulary: COC_VOCABULARY,
    perUser: 'credential-or-bot',
    hosts: CAPABILITIES.hosts(client),
    scripts: CAPABILITIES.scripts(client),
    runs: CAPABILITIES.runs(client),
    incidents: CAPABILITIES.incidents(client),
    warRooms: CAPABILITIES.warRooms(client),
    alarms: CAPABILITIES.alarms(client, options),
    changes: CAPABILITIES.changes(client),
    runbooks: CAPABILITIES.runbooks(client),
    patches: CAPABILITIES.patches(client),
    parseId<K extends IdKind>(kind: K, typed: string): Id<K> | undefined {
      const trimmed = typed.trim();
      return TYPED_ID.test(trimmed) ? makeId('coc', kind, trimmed) : undefined;
    },
    within: (scope) => scopedBackendOver(client.scoped(scope), options, backend),
  };
  return backend;
}

/** How each capability is made over a client: the deployment's backend and its scoped views make them alike. */
const CAPABILITIES = {
  hosts: (client) => cocHosts(client),
  scripts: (client) => cocScripts(client),
  runs: (client) => cocRuns(client),
  incidents: (client) => cocIncidents(client),
  warRooms: (client) => cocWarRooms(client),
  alarms: (client, options) => cocAlarms(client, options.integrationKey),
  changes: (client) => cocChanges(client),
  runbooks: (client) => cocRunbooks(client),
  patches: (client) => cocPatches(client),
} satisfies { readonly [K in keyof Backend]?: (client: CocClient, options: CocBackendOptions) => NonNullable<Backend[K]> };

type Capability = keyof typeof CAPABILITIES;

/**
 * The backend over `client`, a scoped view of `base`'s client, made for one invocation: each
 * capability is made on first use — a command uses one or two of the nine, and every command,
 * click and form gets a view — and noted as made from `base`'s (what is cached per capability
 * stays per credential, src/backends/scoped.ts).
 */
function scopedBackendOver(client: CocClient, options: CocBackendOptions, base: Backend): Backend {
  const made: { [K in Capability]?: Backend[K] } = {};
  const capability = <K extends Capability>(name: K): Backend[K] =>
    (made[name] ??= noteMadeFrom(CAPABILITIES[name](client, options) as NonNullable<Backend[K]>, base[name] as NonNullable<Backend[K]> | undefined));
  const view: Backend = {
    name: base.name,
    displayName: base.displayName,
    vocabulary: base.vocabulary,
    perUser: base.perUser,
    get hosts() { return capability('hosts'); },
    get scripts() { return capability('scripts'); },
    get runs() { return capability('runs'); },
    get incidents() { return capability('incidents'); },
    get warRooms() { return capability('warRooms'); },
    get alarms() { return capability('alarms'); },
    get changes() { return capability('changes'); },
    get runbooks() { return capability('runbooks'); },
    get patches() { return capability('patches'); },
    parseId: base.parseId,
    within: (scope) => scopedBackendOver(client.scoped(scope), options, base),
  };
  return noteMadeFrom(view, base);
}

/**
 * The COC backend as declared, for what is decided before any call (the command set, help, the
 * Slack manifest, Discord's command tree): its groups, limits and codes, over a client that is
 * never used.
 */
export function declaredCocBackend(): Backend {
  return createCocBackend(new CocClient({ endpoint: 'https://coc.invalid', auth: { kind: 'aksk', ak: 'declared-only', sk: 'declared-only' } }));
}
