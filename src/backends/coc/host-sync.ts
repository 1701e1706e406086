/**
 * COC's UniAgent sync (coc-api-notes §2.4, SDK `SyncResourceAgent`): the hosts named by their
 * cloud resource id, region and CMDB id. Sent once (a write); the new states are read back from
 * the resource list, COC offers no read of the task it answers with.
 */
import type { CocClient } from '../../coc/client.js';
import type { CallOptions } from '../backend.js';
import { nativeOf } from '../ids.js';
import type { AgentSyncTarget } from '../types/hosts.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';

/** The request's resource list: COC's cloud id, region and CMDB row id of each host (Huawei Cloud: no vendor). */
export function agentSyncBody(hosts: readonly AgentSyncTarget[]) {
  return {
    resource_infos: hosts.map((host) => ({
      region_id: host.region ?? '',
      resource_id: nativeOf(host.id),
      // A row whose id is its resource id (no cloud id of its own) has no separate CMDB id to send.
      ...(host.rowId && host.rowId !== nativeOf(host.id) ? { id: host.rowId } : {}),
    })),
  };
}

export function cocSyncAgents(client: CocClient, hosts: readonly AgentSyncTarget[], options?: CallOptions): Promise<string | undefined> {
  return mapped(() => client.syncResourceAgents(agentSyncBody(hosts), cocCallOptions(options)));
}
