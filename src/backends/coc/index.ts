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
    hosts: cocHosts(client),
    scripts: cocScripts(client),
    runs: cocRuns(client),
    incidents: cocIncidents(client),
    warRooms: cocWarRooms(client),
    alarms: cocAlarms(client, options.integrationKey),
    changes: cocChanges(client),
    runbooks: cocRunbooks(client),
    patches: cocPatches(client),
    parseId<K extends IdKind>(kind: K, typed: string): Id<K> | undefined {
      const trimmed = typed.trim();
      return TYPED_ID.test(trimmed) ? makeId('coc', kind, trimmed) : undefined;
    },
    within: (scope) => scopedBackendOver(client.scoped(scope), options, backend),
  };
  return backend;
}

/**
 * The backend over `client`, a scoped view of `base`'s client, made for one invocation: each
 * capability is made on first use — a command uses one or two of the nine, and every command,
 * click and form gets a view — and noted as made from `base`'s (what is cached per capability
 * stays per credential, src/backends/scoped.ts).
 */
function scopedBackendOver(client: CocClient, options: CocBackendOptions, base: Backend): Backend {
  let hosts: Backend['hosts'];
  let scripts: Backend['scripts'];
  let runs: Backend['runs'];
  let incidents: Backend['incidents'];
  let warRooms: Backend['warRooms'];
  let alarms: Backend['alarms'];
  let changes: Backend['changes'];
  let runbooks: Backend['runbooks'];
  let patches: Backend['patches'];
  const view: Backend = {
    name: base.name,
    displayName: base.displayName,
    vocabulary: base.vocabulary,
    perUser: base.perUser,
    get hosts() {
      return (hosts ??= noteMadeFrom(cocHosts(client), base.hosts));
    },
    get scripts() {
      return (scripts ??= noteMadeFrom(cocScripts(client), base.scripts));
    },
    get runs() {
      return (runs ??= noteMadeFrom(cocRuns(client), base.runs));
    },
    get incidents() {
      return (incidents ??= noteMadeFrom(cocIncidents(client), base.incidents));
    },
    get warRooms() {
      return (warRooms ??= noteMadeFrom(cocWarRooms(client), base.warRooms));
    },
    get alarms() {
      return (alarms ??= noteMadeFrom(cocAlarms(client, options.integrationKey), base.alarms));
    },
    get changes() {
      return (changes ??= noteMadeFrom(cocChanges(client), base.changes));
    },
    get runbooks() {
      return (runbooks ??= noteMadeFrom(cocRunbooks(client), base.runbooks));
    },
    get patches() {
      return (patches ??= noteMadeFrom(cocPatches(client), base.patches));
    },
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
