/**
 * The COC backend: the neutral interface over the COC client (src/coc, which keeps its place and
 * its tests). One backend per client: a person's own client gets their own backend.
 */
import type { CocClient } from '../../coc/client.js';
import type { Backend } from '../backend.js';
import { makeId, type Id, type IdKind } from '../ids.js';
import './errors.js';
import { cocHosts } from './hosts.js';
import { cocScripts } from './scripts.js';
import { COC_VOCABULARY } from './vocabulary.js';
import { cocRuns } from './runs.js';

/** What people type for each kind of id COC has (uuids, incident numbers…): kept loose, COC checks. */
const TYPED_ID = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;

const backends = new WeakMap<CocClient, Backend>();

export function createCocBackend(client: CocClient): Backend {
  const known = backends.get(client);
  if (known) return known;
  const backend: Backend = {
    name: 'coc',
    displayName: { 'en-US': 'COC', 'zh-CN': 'COC' },
    vocabulary: COC_VOCABULARY,
    hosts: cocHosts(client),
    scripts: cocScripts(client),
    runs: cocRuns(client),
    // group: incidents
    // group: warRooms
    // group: alarms
    // group: patches
    parseId<K extends IdKind>(kind: K, typed: string): Id<K> | undefined {
      const trimmed = typed.trim();
      return TYPED_ID.test(trimmed) ? makeId('coc', kind, trimmed) : undefined;
    },
  };
  backends.set(client, backend);
  return backend;
}
