/**
 * The store still keeps COC's own ids (an order's execute uuid, a host's resource id and region)
 * where the product now carries backend ids. Rows written so far are all COC's, so the store
 * boundary turns one into the other here, in one place, until the store carries backend ids itself.
 */
import { makeId, nativeOf, type HostTarget, type RunId, type ScriptId } from '../backends/index.js';

export function runIdOfStored(executeUuid: string): RunId {
  return makeId('coc', 'run', executeUuid);
}

/** The execute uuid column's value for a run id (a bare uuid is taken as it is). */
export function storedRunId(id: RunId | string): string {
  return nativeOf(id);
}

export interface StoredHost {
  readonly resourceId: string;
  readonly regionId: string;
  readonly name: string;
}

export function hostTargetOfStored(host: StoredHost): HostTarget {
  return { id: makeId('coc', 'host', host.resourceId), name: host.name, region: host.regionId };
}

export function storedHostOf(target: HostTarget): StoredHost {
  return { resourceId: nativeOf(target.id), regionId: target.region ?? '', name: target.name };
}

/** A plan keeps its script's COC uuid (plans only ever run custom scripts). */
export function scriptIdOfStored(scriptUuid: string): ScriptId {
  return makeId('coc', 'script', scriptUuid);
}

/** The script uuid column's value for a script id. */
export function storedScriptId(id: ScriptId | string): string {
  return nativeOf(id);
}
