/**
 * The BlueKing backend against the BlueKing simulator over real HTTP, with a manual clock (jobs
 * move only on tick()): hosts with their agent state and topology, scripts with their configured
 * risk, an execution started, read to its end, its output, and Job's callback read back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../src/config/secret.js';
import { createManualClock } from '../src/sim/clock.js';
import { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, BK_SIM_BIZ_ID, startBluekingSimulator, type BluekingSimulator } from '../src/sim/blueking/server.js';
import { connectBlueking } from '../src/backends/blueking/connect.js';
import type { BluekingSessions } from '../src/backends/blueking/sessions.js';
import type { Backend } from '../src/backends/backend.js';
import type { Host } from '../src/backends/types/hosts.js';

const clock = createManualClock(Date.parse('2026-03-02T02:00:00Z'));
let sim: BluekingSimulator;
let sessions: BluekingSessions;
let backend: Backend;
let inbox: Server;
let inboxUrl: string;
const callbacks: unknown[] = [];

beforeAll(async () => {
  sim = await startBluekingSimulator({ now: clock.now });
  inbox = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      callbacks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => inbox.listen(0, '127.0.0.1', resolve));
  inboxUrl = `http://127.0.0.1:${(inbox.address() as AddressInfo).port}/bk/job-done/contract`;
  sessions = connectBlueking({
    endpoint: sim.url,
    appCode: BK_SIM_APP_CODE,
    appSecret: new Secret(BK_SIM_APP_SECRET),
    serviceUser: 'chatops-bot',
    settings: { defaultBiz: BK_SIM_BIZ_ID, defaultAccount: 'root', paasHost: sim.url, riskRules: [{ namePattern: 'check_*', risk: 'low' }] },
  });
  backend = sessions.backendFor({ iamUserName: 'alice' });
});

afterAll(async () => {
  await sessions?.close();
  await sim?.close();
  await new Promise<void>((resolve) => inbox.close(() => resolve()));
});

async function allHosts(query: Parameters<NonNullable<Backend['hosts']>['list']>[0]): Promise<Host[]> {
  const hosts: Host[] = [];
  let after: string | undefined = query.after;
  do {
    const page = await backend.hosts!.list({ ...query, ...(after !== undefined ? { after } : {}) });
    hosts.push(...page.items);
    after = page.next;
  } while (after !== undefined);
  return hosts;
}

describe('the BlueKing backend against the simulator', () => {
  it('lists the business hosts with GSE agent state and topology, by page', async () => {
    const hosts = await allHosts({ limit: 10 });
    expect(hosts.length).toBe(await backend.hosts!.count!({}));
    expect(hosts.length).toBeGreaterThan(20);
    expect(new Set(hosts.map((host) => host.id)).size).toBe(hosts.length);
    expect(hosts.every((host) => host.runnable && /^blueking:host:0:\d+\.\d+\.\d+\.\d+$/.test(host.id))).toBe(true);
    const dead = hosts.find((host) => host.name === 'app-07');
    expect(dead?.agent).toEqual({ state: 'offline', code: '0' });
    expect(hosts.find((host) => host.name === 'web-02')?.agent).toEqual({ state: 'online', code: '1' });
    const offline = await allHosts({ limit: 50, agentCode: '0' });
    expect(offline.map((host) => host.name)).toContain('app-07');
    expect(offline.every((host) => host.agent.code === '0')).toBe(true);
  });

  it('finds hosts by set name and by IP', async () => {
    const web = await allHosts({ limit: 50, topology: { set: 'web' } });
    expect(web.length).toBe(12);
    expect(web.every((host) => host.topology?.sets?.includes('web'))).toBe(true);
    const one = web[0]!;
    const byIp = await backend.hosts!.list({ limit: 10, ip: one.ip! });
    expect(byIp.items.map((host) => host.id)).toEqual([one.id]);
    expect((await backend.hosts!.list({ limit: 10, ids: [one.id] })).items.map((host) => host.name)).toEqual([one.name]);
    // A name alone may be ambiguous: web-01 sits in web and in staging.
    const named = await backend.hosts!.list({ limit: 10, name: 'web-01' });
    expect(named.items.map((host) => host.name)).toEqual(['web-01', 'web-01']);
    expect(new Set(named.items.map((host) => host.topology?.sets?.[0]))).toEqual(new Set(['web', 'staging']));
  });

  it('lists and details scripts with their configured risk', async () => {
    const page = await backend.scripts!.list({ limit: 50 });
    const check = page.items.find((script) => script.name === 'check_disk');
    expect(check).toMatchObject({ id: `blueking:script:${BK_SIM_BIZ_ID}:1`, risk: { state: 'low', code: 'LOW' }, type: 'SHELL' });
    expect(page.items.find((script) => script.name === 'restart_nginx')?.risk).toEqual({ state: 'unclassified', code: 'UNCLASSIFIED' });
    const script = await backend.scripts!.get(check!.id);
    expect(script?.content).toContain('df -h');
    expect(script?.params).toEqual([{ name: 'args', sensitive: false, order: 1, optional: true }]);
    const publicPage = await backend.scripts!.listPublic!({ limit: 50 });
    expect(publicPage.items.map((item) => item.id)).toContain('blueking:public-script:101');
  });

  it('starts an execution, reads it to its end with each host, its output and Job callback', async () => {
    const web = (await backend.hosts!.list({ limit: 2, topology: { set: 'web' }, agentCode: '1' })).items;
    expect(web).toHaveLength(2);
    const id = await backend.executions!.start({
      script: { id: `blueking:script:${BK_SIM_BIZ_ID}:1` },
      hosts: web.map((host) => ({ id: host.id, name: host.name })),
      timeoutSeconds: 600,
      runAs: 'root',
      params: { args: '/var' },
      label: 'chatops-contract-b1',
      callback: inboxUrl,
    });
    expect(id).toMatch(new RegExp(`^blueking:execution:${BK_SIM_BIZ_ID}:\\d+$`));
    const first = await backend.executions!.read(id);
    expect(first?.finished).toBe(false);
    expect(['waiting', 'running']).toContain(first?.status.state);
    for (let round = 0; round < 10; round++) {
      const status = await backend.executions!.read(id);
      if (status?.finished) break;
      sim.tick();
    }
    const last = await backend.executions!.read(id);
    expect(last).toMatchObject({ finished: true, status: { state: 'succeeded', code: '3' } });
    expect(last!.hosts.map((host) => [host.host.id, host.status.state]).sort()).toEqual(web.map((host) => [host.id, 'succeeded']).sort());
    const output = await backend.executions!.output(id, web.map((host) => host.id));
    expect(output.size).toBe(2);
    await sim.settleCallbacks();
    expect(callbacks).toHaveLength(1);
    expect(backend.executions!.parseCallback!(callbacks[0])).toEqual({ id, finished: true });
  });
});
