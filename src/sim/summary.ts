/** A readable summary of the seeded world, for `npm run sim`, the admin API and docs. */
import { tagValue } from './state/seed-hosts.js';
import type { Script } from './state/model.js';
import type { World } from './state/world.js';

function describeScript(script: Script) {
  return {
    name: script.name,
    script_uuid: script.scriptUuid,
    type: script.type,
    risk_level: script.properties.risk_level,
    reviewers: (script.properties.reviewers ?? []).map((reviewer) => reviewer.reviewer_name),
    params: script.params.map((param) => ({ name: param.param_name, default: param.sensitive ? '******' : param.param_value, sensitive: param.sensitive })),
  };
}

export function describeWorld(world: World) {
  return {
    seed: world.seed,
    regions: world.regions.map((region) => ({ id: region.id, project_id: region.projectId })),
    hosts: world.hosts.map((host) => ({
      name: host.name,
      resource_id: host.resourceId,
      region_id: host.regionId,
      ip: host.fixedIp,
      os: host.osName,
      agent_state: host.agentState ?? 'NOT_INSTALLED',
      env: tagValue(host, 'env'),
      role: tagValue(host, 'role'),
      flaky: tagValue(host, 'flaky') === 'true',
    })),
    scripts: [...world.scripts.values()].map(describeScript),
    public_scripts: [...world.publicScripts.values()].map(describeScript),
    incidents: world.incidents.all().map((incident) => ({
      incident_num: incident.incidentNum,
      status: incident.status,
      level: incident.level,
      title: incident.title,
      warroom_id: incident.warroomId,
    })),
    users: world.iam.users().map((user) => ({ name: user.name, id: user.id })),
    applications: world.applications,
    orders: world.orders.all().length,
    active_orders: world.orders.activeCount(),
    alarms: world.alarms.all().length,
  };
}
