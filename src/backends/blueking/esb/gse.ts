/** GSE (管控平台) components: the agents' live state (`gse/get_agent_status`). */
import { z } from 'zod';
import type { EsbComponent } from './component.js';

export const getAgentStatusRequest = z.object({
  bk_supplier_account: z.string(),
  hosts: z.array(z.object({ bk_cloud_id: z.number().int(), ip: z.string().min(1) })).min(1),
});

/** `data` is keyed `bk_cloud_id:ip`; `bk_agent_alive` is 1 online, 0 not. */
export const agentStatus = z.looseObject({
  ip: z.string().optional(),
  bk_cloud_id: z.number().int().optional(),
  bk_agent_alive: z.number().int(),
});
export const getAgentStatusData = z.record(z.string(), agentStatus);
export type GetAgentStatusRequest = z.infer<typeof getAgentStatusRequest>;
export type GetAgentStatusData = z.infer<typeof getAgentStatusData>;

export const getAgentStatus: EsbComponent<GetAgentStatusRequest, GetAgentStatusData> = {
  system: 'gse',
  name: 'get_agent_status',
  method: 'POST',
  write: false,
  request: getAgentStatusRequest,
  data: getAgentStatusData,
};
