/**
 * Hosts whose COC row carries no `agent_state` (the reference's resource table has none; the SDK
 * reads a missing one as "not installed"). Where the listing reports states, a missing one is "no
 * agent"; where it reports none at all, the state is unknown: `hosts` says so, and a run asks COC's
 * `agent_state=ONLINE` filter which of them may run, leaving the others out as "agent state
 * unknown" — and when none is listed, the preview says the bot cannot tell, instead of "no agent".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostFromResource } from '../src/backends/coc/hosts.js';
import { makeId, type Backend } from '../src/backends/index.js';
import { EXCLUDED_AGENT_FILTER_UNTRUSTED, EXCLUDED_AGENT_UNKNOWN, resolveHosts } from '../src/run/hosts.js';
import type { Fault } from '../src/sim/faults.js';
import { renderResource } from '../src/sim/routes/resources.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { call } from './sim-helpers.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await makeTestBot();
  // Rows shaped by the reference alone: ref-01's agent runs, ref-02's is offline, ref-03 has none.
  bot.sim.world.addHost({ name: 'ref-01', agentStateHidden: true });
  bot.sim.world.addHost({ name: 'ref-02', agentState: 'OFFLINE', agentStateHidden: true });
  bot.sim.world.addHost({ name: 'ref-03', agentState: 'UNINSTALLED', agentStateHidden: true });
  bot.sim.world.addHost({ name: 'dark-01', agentState: 'OFFLINE', agentStateHidden: true });
  bot.sim.world.addHost({ name: 'dark-02', agentState: 'UNINSTALLED', agentStateHidden: true });
});
afterAll(async () => {
  await bot?.close();
});

describe('the simulator', () => {
  it('serves such a host without agent_id and agent_state, and still filters it by its real state', async () => {
    const listed = await call(bot.sim, 'GET', '/v1/resources?provider=ecs&type=cloudservers&limit=100&name=ref-0');
    expect(listed.json.data).toHaveLength(3);
    for (const row of listed.json.data) {
      expect(row).not.toHaveProperty('agent_state');
      expect(row).not.toHaveProperty('agent_id');
    }
    const online = await call(bot.sim, 'GET', '/v1/resources?provider=ecs&type=cloudservers&limit=100&name=ref-0&agent_state=ONLINE');
    expect(online.json.data.map((row: { name: string }) => row.name)).toEqual(['ref-01']);
  });

  it('the admin route adds one', async () => {
    const response = await fetch(`${bot.sim.url}/__sim/hosts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'admin-ref', agentStateHidden: true }) });
    expect(response.status).toBe(201);
    const listed = await call(bot.sim, 'GET', '/v1/resources?provider=ecs&type=cloudservers&limit=100&name=admin-ref');
    expect(listed.json.data[0]).not.toHaveProperty('agent_state');
  });
});

describe('hosts', () => {
  it('a listing without any agent state says "State unknown", never "No agent", and what a run does about it', async () => {
    const text = await bot.run('alice', 'hosts --name ref-0');
    expect(text).toContain('⚠ State unknown');
    expect(text).not.toContain('No agent');
    expect(text).toContain('⚠ COC gave no UniAgent state for 3 of these hosts; a run asks COC which of them are ONLINE and leaves out the others.');
  });

  it('a listing that reports states reads a missing one as no agent (the SDK\'s reading)', async () => {
    const text = await bot.run('alice', 'hosts --limit 100');
    expect(text).toContain('⚠ No agent');
    expect(text).not.toContain('State unknown');
  });
});

describe('run preview', () => {
  it('runs where COC\'s ONLINE filter lists the host, and leaves the others out saying the state is unknown', async () => {
    const text = await bot.run('alice', 'run disk_usage --query ref-0');
    expect(text).toMatch(/ref-01/);
    expect(text).toContain('ref-02');
    expect(text).toContain('Left out (2): their UniAgent is not online, or not known to be');
    expect(text).toContain('agent state unknown (COC gave none, and does not list it as ONLINE)');
    expect(text).not.toMatch(/ref-0[23][^\n]*no agent/);
  });

  it('a host named alone (a one-row listing without a state) is asked about too', async () => {
    const text = await bot.run('alice', 'run disk_usage --hosts ref-01');
    expect(text).not.toMatch(/Nothing was planned/);
    expect(text).toContain('ref-01');
  });

  it('when no matched host has a state and the filter lists none, it says the bot cannot tell, and plans nothing', async () => {
    const text = await bot.run('alice', 'run disk_usage --query dark-0');
    expect(text).toContain('COC gave no UniAgent state for any matched host (dark-01: agent state unknown');
    expect(text).toContain('its agent_state=ONLINE filter lists none of them, so the bot cannot tell whether a script would run there. Nothing was planned.');
    expect(text).not.toMatch(/none with a running|no agent/i);
  });
});

/**
 * A COC that ignores `agent_state` (its rows carry none) but honours `resource_id_list` hands back
 * every host asked about under any state: nothing in the ONLINE answer alone shows it. The run asks
 * the same hosts once more under another state, and trusts the filter only when none comes back.
 */
describe('a COC whose agent_state filter does not filter', () => {
  // Two hosts as the reference's resource table gives them: no agent_state at all. Only web-01's agent runs.
  const rows = [
    { id: 'row-1', resource_id: 'aaaaaaaa-0000-0000-0000-000000000001', region_id: 'r1', name: 'web-01', tags: [], state: 'ONLINE' },
    { id: 'row-2', resource_id: 'aaaaaaaa-0000-0000-0000-000000000002', region_id: 'r1', name: 'web-02-noagent', tags: [], state: 'UNINSTALLED' },
  ];
  function fakeCoc(honoursAgentFilter: boolean) {
    const queries: { ids?: readonly string[]; agentCode?: string }[] = [];
    const backend = {
      name: 'coc',
      parseId: (kind: string, text: string) => (/^[0-9a-f-]{36}$/.test(text) ? makeId('coc', kind as 'host', text) : undefined),
      hosts: {
        pageMax: 100,
        filters: new Set(['name', 'ip', 'ids', 'agent', 'region', 'tag']),
        agentCodes: ['ONLINE', 'OFFLINE', 'INSTALLING', 'FAILED', 'UNINSTALLED'],
        onlineAgentCode: 'ONLINE',
        idPrefixes: true,
        async list(query: { name?: string; ids?: readonly string[]; agentCode?: string }) {
          queries.push(query);
          const ids = query.ids?.map((id) => String(id).split(':').pop());
          const items = rows
            .filter((r) => (query.name ? r.name.includes(query.name) : true) && (ids ? ids.includes(r.resource_id) : true))
            .filter((r) => !honoursAgentFilter || !query.agentCode || r.state === query.agentCode)
            .map(({ state: _state, ...r }) => hostFromResource(r as never, false));
          return { items };
        },
      },
    } as unknown as Backend;
    return { backend, queries };
  }

  it('plans no host: the same hosts come back as ONLINE and as OFFLINE, so the filter proves no agent', async () => {
    const { backend, queries } = fakeCoc(false);
    const resolved = await resolveHosts(backend, { kind: 'names', names: ['web-01', 'web-02-noagent'] });
    expect(resolved.runnable).toEqual([]);
    expect(resolved.excluded.map((h) => [h.name, h.reason])).toEqual([
      ['web-01', EXCLUDED_AGENT_FILTER_UNTRUSTED],
      ['web-02-noagent', EXCLUDED_AGENT_FILTER_UNTRUSTED],
    ]);
    // Two name searches, the ONLINE filter, and one read under another state.
    expect(queries.filter((q) => q.agentCode).map((q) => q.agentCode)).toEqual(['ONLINE', 'OFFLINE']);
  });

  it('a COC that filters: the host it lists as ONLINE runs, the other is "agent state unknown", with one extra read', async () => {
    const { backend, queries } = fakeCoc(true);
    const resolved = await resolveHosts(backend, { kind: 'names', names: ['web-01', 'web-02-noagent'] });
    expect(resolved.runnable.map((h) => h.name)).toEqual(['web-01']);
    expect(resolved.excluded.map((h) => [h.name, h.reason])).toEqual([['web-02-noagent', EXCLUDED_AGENT_UNKNOWN]]);
    // The ONLINE filter on both, then the host it listed under OFFLINE: it must not come back.
    expect(queries.filter((q) => q.agentCode).map((q) => [q.agentCode, q.ids?.length])).toEqual([
      ['ONLINE', 2],
      ['OFFLINE', 1],
    ]);
  });

  it('when the filter lists none, nothing more is read', async () => {
    const { backend, queries } = fakeCoc(true);
    const resolved = await resolveHosts(backend, { kind: 'names', names: ['web-02-noagent'] });
    expect(resolved.runnable).toEqual([]);
    expect(queries.filter((q) => q.agentCode).map((q) => q.agentCode)).toEqual(['ONLINE']);
  });

  it('the preview says the filter did not filter, and plans nothing', async () => {
    // Every resource read answered alike, whatever its filters: ref-01 (agent online) and ref-03 (none).
    const hidden = bot.sim.world.hosts.filter((host) => host.name === 'ref-01' || host.name === 'ref-03');
    bot.sim.faults.set('GET /v1/resources', { kind: 'answer', status: 200, body: { data: hidden.map(renderResource) } } as Fault);
    try {
      const text = await bot.run('alice', 'run disk_usage --hosts ref-01,ref-03');
      expect(text).toContain('COC gave no UniAgent state for any matched host (ref-01: agent state unknown (COC gave none, and its agent_state filter did not filter), ref-03: agent state unknown');
      expect(text).toContain('its agent_state filter did not filter: asked which of them are ONLINE and then which are in another state, it listed the same hosts');
      expect(text).toContain('Nothing was planned.');
      expect(text).not.toMatch(/does not list it as ONLINE|no agent/i);
    } finally {
      bot.sim.faults.clear('GET /v1/resources');
    }
  });
});
