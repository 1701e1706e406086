import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { call, FIXED_NOW } from './sim-helpers.js';

const RESOURCES = '/v1/resources?provider=ecs&type=cloudservers';

describe('seeded world', () => {
  it('is the same for the same seed and differs for another seed', async () => {
    const [a, b, c] = await Promise.all([
      startSimulator({ seed: 42, now: () => FIXED_NOW }),
      startSimulator({ seed: 42, now: () => FIXED_NOW }),
      startSimulator({ seed: 43, now: () => FIXED_NOW }),
    ]);
    try {
      const fetchAll = async (sim: Simulator) => ({
        hosts: (await call(sim, 'GET', `${RESOURCES}&limit=500`)).json.data,
        scripts: (await call(sim, 'GET', '/v1/job/scripts?limit=100')).json.data,
        incidents: (await call(sim, 'POST', '/v2/incidents/list', { per_page: 50 })).json.data,
        patches: (await call(sim, 'GET', '/v1/patch/instance/compliant?limit=100')).json,
      });
      const [worldA, worldB, worldC] = await Promise.all([fetchAll(a), fetchAll(b), fetchAll(c)]);
      expect(worldA).toEqual(worldB);
      expect(worldA.hosts.map((host: { name: string }) => host.name)).toEqual(worldC.hosts.map((host: { name: string }) => host.name));
      expect(worldA.hosts.map((host: { resource_id: string }) => host.resource_id)).not.toEqual(worldC.hosts.map((host: { resource_id: string }) => host.resource_id));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});

describe('resources', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 42 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('has at least 50 ECS hosts with roles, environments, agents and flaky tags', async () => {
    const hosts = (await call(sim, 'GET', `${RESOURCES}&limit=500`)).json.data as any[];
    expect(hosts.length).toBeGreaterThanOrEqual(50);
    const tag = (host: any, key: string) => host.tags.find((entry: any) => entry.key === key)?.value;
    expect(new Set(hosts.map((host) => tag(host, 'role')))).toEqual(new Set(['web', 'db', 'cache', 'batch']));
    expect(new Set(hosts.map((host) => tag(host, 'env')))).toEqual(new Set(['prod', 'staging', 'dev']));
    expect(hosts.filter((host) => tag(host, 'flaky') === 'true').length).toBeGreaterThanOrEqual(3);
    expect(new Set(hosts.map((host) => host.region_id))).toEqual(new Set(['cn-north-4', 'ap-southeast-3', 'cn-south-1']));
    const states = hosts.map((host) => host.agent_state);
    expect(states.filter((state) => state === 'ONLINE').length).toBeGreaterThan(hosts.length / 2);
    for (const state of ['OFFLINE', 'INSTALLING', 'FAILED', null]) expect(states).toContain(state);
    expect(hosts.find((host) => host.name === 'web-01')).toMatchObject({ provider: 'ecs', type: 'cloudservers', operable: 'ENABLE' });
  });

  it('filters by tag, tag_key, agent_state, name, region, ip_list and counts consistently', async () => {
    const byTag = (await call(sim, 'GET', `${RESOURCES}&limit=100&tag=role.db&region_id=cn-north-4`)).json.data as any[];
    expect(byTag.length).toBeGreaterThan(0);
    expect(byTag.every((host) => host.name.startsWith('db-') && host.region_id === 'cn-north-4')).toBe(true);
    const count = (await call(sim, 'GET', '/v1/resources/count?provider=ecs&type=cloudservers&tag=role.db&region_id=cn-north-4')).json.data;
    expect(count).toBe(byTag.length);

    const flaky = (await call(sim, 'GET', `${RESOURCES}&limit=100&tag_key=flaky`)).json.data as any[];
    expect(flaky.map((host) => host.name).sort()).toEqual(['batch-03', 'batch-05', 'cache-02', 'cache-11', 'db-04']);

    const offline = (await call(sim, 'GET', `${RESOURCES}&limit=100&agent_state=OFFLINE`)).json.data as any[];
    expect(offline.every((host) => host.agent_state === 'OFFLINE')).toBe(true);
    const uninstalled = (await call(sim, 'GET', `${RESOURCES}&limit=100&agent_state=UNINSTALLED`)).json.data as any[];
    expect(uninstalled.map((host) => host.name).sort()).toEqual(['batch-10', 'db-12', 'web-21']);

    const fuzzy = (await call(sim, 'GET', `${RESOURCES}&limit=100&name=CACHE`)).json.data as any[];
    expect(fuzzy.length).toBe(12);

    const two = sim.world.hosts.slice(3, 5);
    const byIp = (await call(sim, 'GET', `${RESOURCES}&limit=100&ip_list=${two[0]?.fixedIp}&ip_list=${two[1]?.fixedIp}`)).json.data as any[];
    expect(byIp.map((host) => host.name)).toEqual(two.map((host) => host.name));
    const byIds = (await call(sim, 'GET', `${RESOURCES}&limit=100&resource_id_list=${two[0]?.resourceId}`)).json.data as any[];
    expect(byIds.map((host) => host.name)).toEqual([two[0]?.name]);
  });

  it('pages with marker = last id and offset', async () => {
    const all = (await call(sim, 'GET', `${RESOURCES}&limit=500`)).json.data as any[];
    const first = (await call(sim, 'GET', `${RESOURCES}&limit=20`)).json.data as any[];
    const second = (await call(sim, 'GET', `${RESOURCES}&limit=20&marker=${first.at(-1).id}`)).json.data as any[];
    expect([...first, ...second].map((host) => host.id)).toEqual(all.slice(0, 40).map((host) => host.id));
    const offset = (await call(sim, 'GET', `${RESOURCES}&limit=5&offset=10`)).json.data as any[];
    expect(offset.map((host) => host.id)).toEqual(all.slice(10, 15).map((host) => host.id));
  });

  it('validates required and bounded query parameters', async () => {
    const missing = await call(sim, 'GET', '/v1/resources?provider=ecs&limit=10');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error_code: 'COC.00040601', error_msg: 'type must not be null' });
    const tooMany = await call(sim, 'GET', `${RESOURCES}&limit=501`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error_msg).toMatch(/limit must be at most 500/);
    const badState = await call(sim, 'GET', `${RESOURCES}&limit=10&agent_state=SLEEPING`);
    expect(badState.status).toBe(400);
    const badMarker = await call(sim, 'GET', `${RESOURCES}&limit=10&marker=nope`);
    expect(badMarker.status).toBe(400);
    const otherType = await call(sim, 'GET', '/v1/resources?provider=rds&type=instances&limit=10');
    expect(otherType.json).toEqual({ data: [] });
  });
});

describe('custom scripts', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 42 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('seeds LOW, MEDIUM and HIGH scripts with sensitive parameters and reviewers', async () => {
    const list = (await call(sim, 'GET', '/v1/job/scripts?limit=100')).json.data;
    const byName = new Map<string, any>(list.data.map((script: any) => [script.name, script]));
    expect(byName.get('disk_usage').properties.risk_level).toBe('LOW');
    expect(byName.get('restart_nginx').properties.risk_level).toBe('MEDIUM');
    expect(byName.get('rotate_db_password').properties.risk_level).toBe('HIGH');
    const detail = (await call(sim, 'GET', `/v1/job/scripts/${byName.get('rotate_db_password').script_uuid}`)).json.data;
    expect(detail.script_params.find((param: any) => param.param_name === 'new_password').sensitive).toBe(true);
    expect(detail.properties.reviewers[0].reviewer_name).toBe('bob');
    expect(detail.content).toContain('ALTER USER');
  });

  it('creates, lists, updates and deletes a script', async () => {
    const body = {
      name: 'echo_params',
      description: 'Echo the parameters',
      type: 'SHELL',
      content: 'echo "$1"',
      properties: { risk_level: 'LOW', version: '1.0' },
      script_params: [{ param_name: 'word', param_value: 'hello', param_description: 'what to echo', param_order: 1, sensitive: false }],
    };
    const created = await call(sim, 'POST', '/v1/job/scripts', body);
    expect(created.status).toBe(200);
    const uuid = created.json.data as string;
    expect(uuid).toMatch(/^SC\d{14}[0-9a-f]{9}$/);

    const duplicate = await call(sim, 'POST', '/v1/job/scripts', body);
    expect(duplicate.status).toBe(400);
    expect(duplicate.json).toEqual({ error_code: 'COC.00040601', error_msg: 'Exist script with same name: echo_params.' });

    const before = (await call(sim, 'GET', `/v1/job/scripts/${uuid}`)).json.data;
    const updated = await call(sim, 'PUT', `/v1/job/scripts/${uuid}`, { description: 'Echo, updated', content: 'echo "$1" "$1"' });
    expect(updated.json).toEqual({ data: uuid });
    const after = (await call(sim, 'GET', `/v1/job/scripts/${uuid}`)).json.data;
    expect(after.description).toBe('Echo, updated');
    expect(after.gmt_modified).toBeGreaterThan(before.gmt_modified);

    const filtered = (await call(sim, 'GET', '/v1/job/scripts?limit=10&name_like=echo&risk_level=LOW')).json.data;
    expect(filtered.data.map((script: any) => script.name)).toEqual(['echo_params']);

    const page1 = (await call(sim, 'GET', '/v1/job/scripts?limit=4')).json.data;
    const page2 = (await call(sim, 'GET', `/v1/job/scripts?limit=4&marker=${page1.data.at(-1).id}`)).json.data;
    expect(page1.total).toBe(page2.total);
    expect(new Set([...page1.data, ...page2.data].map((script: any) => script.id)).size).toBe(8);

    expect((await call(sim, 'DELETE', `/v1/job/scripts/${uuid}`)).json).toEqual({ data: uuid });
    const gone = await call(sim, 'GET', `/v1/job/scripts/${uuid}`);
    expect(gone.status).toBe(404);
    expect(gone.json.error_code).toMatch(/^COC\.000406/);
  });

  it('puts a reviewed script back to PENDING_APPROVE when it changes', async () => {
    const uuid = [...sim.world.scripts.values()].find((script) => script.name === 'flush_redis_cache')?.scriptUuid ?? '';
    const before = sim.world.scripts.get(uuid)?.gmtModified ?? 0;
    await call(sim, 'PUT', `/v1/job/scripts/${uuid}`, { description: 'Flush one Redis database (v2)', content: 'redis-cli FLUSHDB' });
    const after = (await call(sim, 'GET', `/v1/job/scripts/${uuid}`)).json.data;
    expect(after.status).toBe('PENDING_APPROVE');
    expect(after.gmt_modified).toBeGreaterThan(before);
  });

  it('validates script definitions like COC', async () => {
    const base = { name: 'ok_name', description: 'd', type: 'SHELL', content: 'x', properties: { risk_level: 'LOW', version: '1' } };
    const cases: [unknown, RegExp][] = [
      [{ ...base, name: 'bad name!' }, /^name /],
      [{ ...base, type: 'POWERSHELL' }, /^type must be one of SHELL\|PYTHON\|BAT/],
      [{ ...base, properties: { risk_level: 'EXTREME', version: '1' } }, /properties.risk_level/],
      [{ ...base, content: 'x'.repeat(4097) }, /content length must be at most 4096/],
      [{ ...base, script_params: [{ param_name: 'p', param_value: 'a;rm -rf', param_description: '', sensitive: false }] }, /paramValue is invalid/],
      [{ ...base, script_params: [{ param_name: 'p', param_value: '../etc', param_description: '', sensitive: false }] }, /paramValue is invalid/],
      [{ ...base, script_params: Array.from({ length: 21 }, (_, i) => ({ param_name: `p${i}`, param_value: 'v', param_description: '', sensitive: false })) }, /script_params size must be at most 20/],
      [{ ...base, description: undefined }, /description must not be null/],
    ];
    for (const [body, message] of cases) {
      const result = await call(sim, 'POST', '/v1/job/scripts', body);
      expect(result.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(result.json.error_code).toBe('COC.00040601');
      expect(result.json.error_msg).toMatch(message);
    }
  });

  it('lists and shows public scripts', async () => {
    const list = (await call(sim, 'GET', '/v1/job/public-scripts?limit=10&name_like=COC_')).json.data;
    expect(list.total).toBeGreaterThanOrEqual(3);
    const detail = await call(sim, 'GET', `/v1/job/public-scripts/${list.data[0].script_uuid}`);
    expect(detail.json.data.script_params.length).toBeGreaterThan(0);
    expect((await call(sim, 'GET', '/v1/job/public-scripts/SC00000000000000000000000')).status).toBe(404);
  });
});
