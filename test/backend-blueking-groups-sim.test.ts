/**
 * The ITSM approvals, SOPS tasks, Monitor alarms, CMSI notices and the user check against the
 * BlueKing simulator (built from the reference by itself, not from this client): the groups and
 * the simulator read the reference the same way. One simulator, a fake clock, ticks by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../src/config/secret.js';
import { bluekingAlarms, type BluekingAlarms } from '../src/backends/blueking/alarms.js';
import { bluekingApprovals } from '../src/backends/blueking/approvals.js';
import { EsbClient } from '../src/backends/blueking/esb/client.js';
import { bluekingNotices } from '../src/backends/blueking/notices.js';
import type { BluekingSettings } from '../src/backends/blueking/settings.js';
import { bluekingTasks } from '../src/backends/blueking/tasks.js';
import { checkBluekingUser } from '../src/backends/blueking/users.js';
import { BackendRefusedError, mayHaveActed } from '../src/backends/errors.js';
import type { ExternalApprovalsCapability } from '../src/backends/types/approvals.js';
import type { TasksCapability } from '../src/backends/types/tasks.js';
import { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, BK_SIM_BIZ_ID, startBluekingSimulator, type BluekingSimulator } from '../src/sim/blueking/server.js';
import { BK_SIM_APPROVAL_SERVICE_ID } from '../src/sim/blueking/defaults.js';

const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);
const SETTINGS: BluekingSettings = { defaultBiz: BK_SIM_BIZ_ID, riskRules: [], defaultAccount: 'root', itsmServiceId: BK_SIM_APPROVAL_SERVICE_ID, paasHost: 'http://paas.sim.invalid' };

let sim: BluekingSimulator;
const clients: EsbClient[] = [];
let approvals: ExternalApprovalsCapability;
let tasks: TasksCapability;
let alarms: BluekingAlarms;

function clientAs(username: string): EsbClient {
  const client = new EsbClient({ endpoint: sim.url, appCode: BK_SIM_APP_CODE, appSecret: new Secret(BK_SIM_APP_SECRET), username, sleep: async () => {} });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  sim = await startBluekingSimulator({ now: () => NOW });
  const bot = clientAs('chatops-bot');
  approvals = bluekingApprovals(bot, SETTINGS);
  tasks = bluekingTasks(clientAs('alice'), SETTINGS);
  alarms = bluekingAlarms(bot, SETTINGS, () => sim.now());
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await sim.close();
});

describe('ITSM approvals', () => {
  it('a ticket opened for alice is approved by bob, a listed processor, and not by alice', async () => {
    const { id, url } = await approvals.open({ title: 'Run restart-nginx on web-01', requester: 'alice', fields: { Hosts: 'web-01', Script: 'restart-nginx', Args: '***' } });
    expect(id).toMatch(/^blueking:ticket:/);
    expect(url).toBeTruthy();
    await expect(approvals.status(id)).resolves.toMatchObject({ state: 'open', code: 'RUNNING' });

    const bySelf = approvals.decide(id, 'approve', 'alice');
    await expect(bySelf).rejects.toBeInstanceOf(BackendRefusedError);
    await expect(bySelf.catch(mayHaveActed)).resolves.toBe(false);

    await approvals.decide(id, 'approve', 'bob', 'fine by me');
    await expect(approvals.status(id)).resolves.toMatchObject({ state: 'approved', code: 'FINISHED', decidedBy: 'bob' });
    // Decided once: the node is gone, a second decision is refused before anything is sent.
    await expect(approvals.decide(id, 'reject', 'carol')).rejects.toMatchObject({ detail: { code: 'NO_RUNNING_APPROVAL_NODE' } });
  });

  it('rejected by carol; withdrawn by its requester', async () => {
    const rejected = await approvals.open({ title: 'Run x', requester: 'alice', fields: { Script: 'x' } });
    await approvals.decide(rejected.id, 'reject', 'carol', 'not in the change window');
    await expect(approvals.status(rejected.id)).resolves.toMatchObject({ state: 'rejected', decidedBy: 'carol' });

    const withdrawn = await approvals.open({ title: 'Run y', requester: 'alice', fields: { Script: 'y' } });
    await approvals.withdraw(withdrawn.id, 'alice');
    await expect(approvals.status(withdrawn.id)).resolves.toMatchObject({ state: 'withdrawn' });
    await expect(approvals.status('blueking:ticket:NO0000000000')).resolves.toBeUndefined();
  });
});

describe('SOPS tasks', () => {
  it('a template with its constants, a task made, started, paused, resumed and revoked', async () => {
    const page = await tasks.templates({ limit: 50 });
    expect(page.items.length).toBeGreaterThan(0);
    const listed = page.items[0]!;
    expect(listed.id).toMatch(new RegExp(`^blueking:template:${BK_SIM_BIZ_ID}:\\d+$`));
    const template = await tasks.template(listed.id);
    expect(template!.constants!.length).toBeGreaterThan(0);

    const constants = Object.fromEntries(template!.constants!.map((constant) => [constant.key, constant.defaultValue ?? 'x']));
    const { id, url } = await tasks.create({ template: listed.id, name: 'from chat', constants });
    expect(id).toMatch(new RegExp(`^blueking:task:${BK_SIM_BIZ_ID}:\\d+$`));
    expect(url).toBeTruthy();
    await expect(tasks.status(id)).resolves.toMatchObject({ status: { state: 'created' } });

    await tasks.start(id);
    sim.tick();
    const running = await tasks.status(id);
    expect(running!.status).toEqual({ state: 'running', code: 'RUNNING' });
    expect(running!.nodes.some((node) => node.status.state === 'succeeded')).toBe(true);

    await tasks.operate(id, 'pause');
    sim.tick();
    await expect(tasks.status(id)).resolves.toMatchObject({ status: { state: 'paused' } });
    await tasks.operate(id, 'resume');
    await expect(tasks.status(id)).resolves.toMatchObject({ status: { state: 'running' } });
    await tasks.operate(id, 'revoke');
    await expect(tasks.status(id)).resolves.toMatchObject({ status: { state: 'revoked', code: 'REVOKED' } });
    await expect(tasks.status(`blueking:task:${BK_SIM_BIZ_ID}:999999`)).resolves.toBeUndefined();
  });
});

describe('Monitor alarms', () => {
  it('newest first, paged, with a status from the recovery time, and one by id', async () => {
    const first = await alarms.list({ limit: 5 });
    expect(first.items).toHaveLength(5);
    expect(first.next).toBe('2');
    const began = first.items.map((alarm) => alarm.beganAt!);
    expect([...began].sort((a, b) => b - a)).toEqual(began);
    const all = await alarms.list({ limit: 100 });
    expect(new Set(all.items.map((alarm) => alarm.statusCode))).toEqual(new Set(['ABNORMAL', 'RECOVERED']));
    const open = await alarms.list({ limit: 100, statusCode: 'ABNORMAL' });
    expect(open.items.every((alarm) => alarm.endedAt === undefined)).toBe(true);

    const one = first.items[0]!;
    await expect(alarms.get(one.id)).resolves.toMatchObject({ id: one.id, title: one.title, level: one.level, statusCode: one.statusCode });
  });
});

describe('CMSI notices and bk_login users', () => {
  it('channels, a message to bob, and who exists', async () => {
    const notices = bluekingNotices(clientAs('chatops-bot'));
    const channels = await notices.channels();
    expect(channels.map((channel) => channel.type)).toContain('mail');
    await notices.send({ channel: 'mail', receivers: ['bob'], title: 'Incident 42', text: 'web-01 is down' });
    expect(sim.world.messages.at(-1)).toMatchObject({ msgType: 'mail', receivers: ['bob'], title: 'Incident 42', content: 'web-01 is down' });

    const bot = clientAs('chatops-bot');
    await expect(checkBluekingUser(bot, 'carol')).resolves.toBe('exists');
    await expect(checkBluekingUser(bot, 'mallory')).resolves.toBe('unknown-user');
  });
});
