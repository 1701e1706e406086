/**
 * `POST /__sim/hosts`: a host added to a running simulator over HTTP is listed by the
 * resources APIs the bot reads, can run a script, and may share its name or IP with another
 * host; a body the API cannot honour is a 400 that says what is wrong.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { call, executeBody, scriptUuid } from './sim-helpers.js';

async function addHost(sim: Simulator, body: unknown) {
  const response = await fetch(`${sim.url}/__sim/hosts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as any };
}

describe('POST /__sim/hosts', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ seed: 42, tickMs: 0 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('adds a host with every field given, listed by name, IP, tag and resource id', async () => {
    const added = await addHost(sim, { name: 'web-01', ip: '10.9.9.9', region: 'ap-southeast-3', agentState: 'ONLINE', tags: [{ key: 'role', value: 'web' }] });
    expect(added.status).toBe(201);
    const { resourceId } = added.json;
    expect(resourceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(added.json).toMatchObject({ name: 'web-01', region: 'ap-southeast-3', ip: '10.9.9.9', agentState: 'ONLINE' });

    const byName = await call(sim, 'GET', '/v1/resources?provider=ecs&type=cloudservers&limit=100&name=web-01');
    const twins = byName.json.data.filter((host: any) => host.name === 'web-01');
    expect(twins.map((host: any) => host.region_id).sort()).toEqual(['ap-southeast-3', sim.world.hostByName('web-01')!.regionId].sort());
    const mine = twins.find((host: any) => host.resource_id === resourceId);
    expect(mine).toMatchObject({ inner_ip: '10.9.9.9', agent_state: 'ONLINE', tags: [{ key: 'role', value: 'web' }] });

    const byIp = await call(sim, 'GET', '/v1/resources?provider=ecs&type=cloudservers&limit=100&ip=10.9.9.9');
    expect(byIp.json.data.map((host: any) => host.resource_id)).toEqual([resourceId]);
    const byId = await call(sim, 'GET', `/v1/resources?provider=ecs&type=cloudservers&limit=100&resource_id_list=${resourceId}`);
    expect(byId.json.data).toHaveLength(1);
    const byTag = await call(sim, 'GET', '/v1/resources/count?provider=ecs&type=cloudservers&tag=role.web');
    expect(byTag.json.data).toBe(25);

    // Paging by marker reaches it: it is listed after the seeded hosts.
    const seeded = sim.world.hosts.length - 1;
    const last = sim.world.hosts[seeded - 1]!;
    const after = await call(sim, 'GET', `/v1/resources?provider=ecs&type=cloudservers&limit=100&marker=${last.id}`);
    expect(after.json.data.map((host: any) => host.resource_id)).toEqual([resourceId]);
  });

  it('fills in everything but the name, and the host runs a script', async () => {
    const added = await addHost(sim, { name: 'solo' });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ name: 'solo', region: sim.world.regions[0]!.id, agentState: 'ONLINE' });
    expect(added.json.ip).toMatch(/^10\.9\.\d+\.\d+$/);
    const second = await addHost(sim, { name: 'solo-2' });
    expect(second.json.ip).not.toBe(added.json.ip);

    const host = sim.world.hostByResourceId(added.json.resourceId)!;
    const started = await call(sim, 'POST', `/v1/job/scripts/${scriptUuid(sim, 'disk_usage')}`, executeBody([{ hosts: [host] }], { params: [{ param_name: 'mount_point', param_value: '/' }] }));
    expect(started.status).toBe(200);
    expect(sim.settle(started.json.data)).toBe('FINISHED');
  });

  it('adds a host without a UniAgent', async () => {
    const added = await addHost(sim, { name: 'bare', agentState: 'UNINSTALLED' });
    expect(added.json.agentState).toBe('UNINSTALLED');
    const listed = await call(sim, 'GET', '/v1/resources?provider=ecs&type=cloudservers&limit=100&name=bare');
    expect(listed.json.data[0]).toMatchObject({ agent_state: null, agent_id: null });
  });

  it('refuses a body it cannot honour with 400 and what is wrong', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /name/],
      [{ name: 'a/b' }, /name: must be 1-64 letters/],
      [{ name: 'ok', ip: '10.9.9' }, /ip: must be an IPv4 address/],
      [{ name: 'ok', region: 'mars-1' }, /region "mars-1" is not in the simulated tenant; known regions: cn-north-4/],
      [{ name: 'ok', agentState: 'SLEEPY' }, /agentState/],
      [{ name: 'ok', tags: [{ key: 'a.b', value: 'x' }] }, /tags\.0\.key/],
      [{ name: 'ok', colour: 'red' }, /colour/],
    ];
    const before = sim.world.hosts.length;
    for (const [body, error] of cases) {
      const answer = await addHost(sim, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error).toMatch(error);
    }
    const notJson = await fetch(`${sim.url}/__sim/hosts`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect(sim.world.hosts.length).toBe(before);
  });
});
