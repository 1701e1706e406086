/**
 * Hosts whose COC row carries no `agent_state` (the reference's resource table has none; the SDK
 * reads a missing one as "not installed"). Where the listing reports states, a missing one is "no
 * agent"; where it reports none at all, the state is unknown: `hosts` says so, and a run asks COC's
 * `agent_state=ONLINE` filter which of them may run, leaving the others out as "agent state
 * unknown" — and when none is listed, the preview says the bot cannot tell, instead of "no agent".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
