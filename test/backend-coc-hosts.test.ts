/**
 * The COC backend's hosts group against the simulator: CMDB rows as neutral hosts (COC's agent
 * code kept beside the product's state), the filters and paging as COC received them, the count,
 * the sync (a write: refused vs unknown), and the row without a cloud resource id.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { RESOURCE_OPERATIONS } from '../src/coc/api/resources.js';
import type { Resource } from '../src/coc/schemas/resources.js';
import { BackendRefusedError, BackendUnavailableError, makeId, need, writeFailureOf, type HostsCapability } from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { hostFromResource } from '../src/backends/coc/hosts.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import type { Host as SimHost } from '../src/sim/state/model.js';
import { routeKeyOf } from './coc-helpers.js';
import { simClient } from './sim-helpers.js';

const LIST_KEY = routeKeyOf(RESOURCE_OPERATIONS.list);
const COUNT_KEY = routeKeyOf(RESOURCE_OPERATIONS.count);
const SYNC_KEY = routeKeyOf(RESOURCE_OPERATIONS.sync);

let sim: Simulator;
let client: CocClient;
let hosts: HostsCapability;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, tickMs: 0 });
  client = simClient(sim, { timeoutMs: 5_000, retry: { retries: 0 } });
  hosts = need(createCocBackend(client), 'hosts');
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.faults.clear();
  sim.resetRequests();
});

const requestsTo = (routeKey: string) => sim.requests.filter((record) => record.routeKey === routeKey);
const ECS = { provider: ['ecs'], type: ['cloudservers'] };

function simHostWith(test: (host: SimHost) => boolean): SimHost {
  const found = sim.world.hosts.find(test);
  if (!found) throw new Error('the simulator has no such host');
  return found;
}

describe('the hosts group', () => {
  it('declares COC page size, filters and agent codes', () => {
    expect(hosts.pageMax).toBe(100);
    expect([...hosts.filters].sort()).toEqual(['agent', 'ids', 'ip', 'name', 'region', 'tag']);
    expect(hosts.agentCodes).toEqual(['ONLINE', 'OFFLINE', 'INSTALLING', 'FAILED', 'UNINSTALLED']);
    expect(hosts.count).toBeTypeOf('function');
    expect(hosts.sync).toBeTypeOf('function');
  });
});

describe('list', () => {
  it('maps a CMDB row to a neutral host, COC agent code kept', async () => {
    const online = simHostWith((host) => host.agentState === 'ONLINE');
    const page = await hosts.list({ ids: [makeId('coc', 'host', online.resourceId)], limit: 10 });
    expect(page.items).toEqual([
      {
        id: makeId('coc', 'host', online.resourceId),
        rowId: online.id,
        name: online.name,
        ip: online.fixedIp,
        region: online.regionId,
        agent: { state: 'online', code: 'ONLINE' },
        tags: online.tags.map((tag) => ({ key: tag.key, value: tag.value })),
        os: online.osType,
        runnable: true,
      },
    ]);
    expect(page.next).toBeUndefined();
    expect(requestsTo(LIST_KEY).at(-1)?.query).toEqual({ ...ECS, resource_id_list: [online.resourceId], limit: ['10'] });
  });

  it('says "unknown" with no code for a host without an agent', async () => {
    const bare = simHostWith((host) => host.agentState === undefined);
    const page = await hosts.list({ ids: [makeId('coc', 'host', bare.resourceId)], limit: 1 });
    expect(page.items[0]?.agent).toEqual({ state: 'unknown', code: '' });
  });

  it('sends every filter as COC names it (the tag as key.value)', async () => {
    await hosts.list({ name: 'web', ip: '10.0', tag: { key: 'env', value: 'prod' }, agentCode: 'OFFLINE', region: 'cn-north-4', limit: 5 });
    expect(requestsTo(LIST_KEY).at(-1)?.query).toEqual({
      ...ECS,
      name: ['web'],
      ip: ['10.0'],
      tag: ['env.prod'],
      agent_state: ['OFFLINE'],
      region_id: ['cn-north-4'],
      limit: ['5'],
    });
  });

  it('pages by the row id of the last host: a full page says where the next begins', async () => {
    const first = await hosts.list({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.next).toBe(first.items[2]!.rowId);
    const second = await hosts.list({ limit: 3, after: first.next! });
    expect(requestsTo(LIST_KEY).at(-1)?.query).toEqual({ ...ECS, limit: ['3'], marker: [first.next!] });
    expect(second.items[0]?.rowId).toBe(sim.world.hosts[3]!.id);
  });

  it('fails reads in the neutral form', async () => {
    sim.faults.set(LIST_KEY, { kind: 'status', status: 500, errorCode: 'COC.00050001', times: 1 });
    await expect(hosts.list({ limit: 1 })).rejects.toBeInstanceOf(BackendUnavailableError);
  });
});

describe('a row without a cloud resource id', () => {
  it('is kept, not runnable, under the CMDB row id', () => {
    const row = { id: 'cmdb-row-1', name: 'orphan', region_id: 'cn-north-4', tags: [], agent_state: 'ONLINE' } as unknown as Resource;
    expect(hostFromResource(row)).toEqual({
      id: makeId('coc', 'host', 'cmdb-row-1'),
      rowId: 'cmdb-row-1',
      name: 'orphan',
      region: 'cn-north-4',
      agent: { state: 'online', code: 'ONLINE' },
      tags: [],
      runnable: false,
    });
  });

  it('maps every COC agent code, and keeps a code it does not know', () => {
    const agentOf = (agent_state: string) => hostFromResource({ id: 'r', resource_id: 'x', tags: [], agent_state } as unknown as Resource).agent;
    expect(['ONLINE', 'OFFLINE', 'INSTALLING', 'FAILED', 'UNINSTALLED', 'SLEEPING'].map(agentOf)).toEqual([
      { state: 'online', code: 'ONLINE' },
      { state: 'offline', code: 'OFFLINE' },
      { state: 'installing', code: 'INSTALLING' },
      { state: 'failed', code: 'FAILED' },
      { state: 'not-installed', code: 'UNINSTALLED' },
      { state: 'unknown', code: 'SLEEPING' },
    ]);
  });
});

describe('count', () => {
  it('counts with the same filters the list sends', async () => {
    const expected = sim.world.hosts.filter((host) => host.regionId === 'cn-north-4' && host.agentState === 'ONLINE').length;
    expect(await hosts.count!({ region: 'cn-north-4', agentCode: 'ONLINE' })).toBe(expected);
    expect(requestsTo(COUNT_KEY).at(-1)?.query).toEqual({ ...ECS, agent_state: ['ONLINE'], region_id: ['cn-north-4'] });
  });
});

describe('sync (a write)', () => {
  it('asks COC to re-read the ECS servers', async () => {
    expect(await hosts.sync!()).toBe(true);
    expect(requestsTo(SYNC_KEY).at(-1)?.body).toEqual({ provider: 'ecs', type: 'cloudservers' });
  });

  it('is refused when COC says no before acting', async () => {
    sim.faults.set(SYNC_KEY, { kind: 'status', status: 403, errorCode: 'COC.00040301', errorMsg: 'no permission', times: 1 });
    const failure = await hosts.sync!().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendRefusedError);
    expect(writeFailureOf(failure)).toBe('refused');
  });

  it('is unknown when the answer is lost after COC acted', async () => {
    sim.faults.set(SYNC_KEY, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    const failure = await hosts.sync!().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendUnavailableError);
    expect(writeFailureOf(failure)).toBe('unknown');
  });
});
