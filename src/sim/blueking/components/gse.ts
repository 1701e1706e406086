/** GSE: agent liveness per `bk_cloud_id:ip`. An IP no host has reports not alive. */
import { z } from 'zod';
import { array, defineComponent, int, ok, str } from './define.js';

export const gseComponents = [
  defineComponent({
    key: 'gse/get_agent_status',
    method: 'POST',
    params: z.object({
      bk_supplier_account: str(),
      hosts: array(z.object({ bk_cloud_id: int(), ip: str() })).min(1, { error: 'must list at least one host' }),
    }),
    handle: ({ params, world }) => {
      const data: Record<string, unknown> = {};
      for (const { bk_cloud_id, ip } of params.hosts) {
        const alive = world.topology.hosts.some((host) => host.bk_cloud_id === bk_cloud_id && host.bk_host_innerip === ip && host.agentAlive);
        data[`${bk_cloud_id}:${ip}`] = { ip, bk_cloud_id, bk_agent_alive: alive ? 1 : 0 };
      }
      return ok(data);
    },
  }),
];
