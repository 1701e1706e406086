/**
 * What the write tests act on, made in COC behind chat's back through a client of the test's own:
 * a fresh order, and an incident moved to the status a write needs.
 */
import type { CocClient } from '../../src/coc/client.js';
import { userIdFor } from '../../src/sim/defaults.js';
import type { Simulator } from '../../src/sim/server.js';
import { APPLICATIONS } from '../../src/sim/state/seed-tenant.js';
import { executeBody, isHealthyHost, scriptUuid } from '../sim-helpers.js';

/** A fresh order: two batches of two hosts (the `n`th such pick), nothing running yet (the simulator ticks only when told). */
export function freshOrderVia(client: CocClient, sim: Simulator, n: number): Promise<string> {
  const hosts = sim.world.hosts.filter(isHealthyHost);
  const pick = (i: number) => hosts[(n * 4 + i) % hosts.length]!;
  return client.executeScript(scriptUuid(sim, 'disk_usage'), executeBody([{ hosts: [pick(0), pick(1)] }, { hosts: [pick(2), pick(3)] }]));
}

/** An incident assigned to alice, created by her, then moved to `status`. */
export async function incidentVia(client: CocClient, title: string, status: 'TRIGGERED' | 'ACKNOWLEDGED' | 'RESOLVED', description: string): Promise<string> {
  const alice = userIdFor('alice');
  const num = await client.createIncident({
    incident_title: title,
    incident_description: description,
    incident_level: 'level_30',
    incident_type: 'inc_type_p_function_issues',
    is_service_interrupt: false,
    incident_source: 'incident_source_manual',
    creator: alice,
    incident_assignee: [alice],
    current_cloud_service: [APPLICATIONS.find((a) => a.name === 'storefront')!.id],
    region: ['cn-north-4'],
  });
  if (status !== 'TRIGGERED') await client.handleIncident({ incident_num: num, operator: alice, operate_key: 'acceptedIncident1', parameter: {} });
  if (status === 'RESOLVED') {
    const parameter = { mtm_type: 'inc_type_p_function_issues' as const, is_service_interrupt: false, cause: 'c', solution: 's' };
    await client.handleIncident({ incident_num: num, operator: alice, operate_key: 'commitSolution1', parameter });
  }
  return num;
}
