/**
 * Approvals through ITSM end to end: the bot assembled as `npm start -- --backend blueking` runs
 * it (BlueKing backend, its simulator, approvals.via itsm, the terminal's demo people). A HIGH
 * run opens a ticket on the simulator's approval service as the requester, with the secret
 * masked; someone ITSM does not list is refused; a processor's approval reaches operate_node
 * before the one fast_execute_script; a decision made in ITSM itself is read back and acted on
 * once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../src/app/bot.js';
import { readTicketDecisions } from '../src/approvals/itsm-read.js';
import { need, type Backend } from '../src/backends/index.js';
import { loadConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { getApproval, type ApprovalRow } from '../src/store/approvals.js';
import type { BluekingSimulator } from '../src/sim/blueking/server.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { freshMemoryStore } from './helpers/memory-store.js';

const SECRET = 'Bk_Itsm_S3cret';
const HIGH_LINE = `run rotate_password --hosts db-02 --param args=${SECRET}`;
const EXECUTE = 'job/fast_execute_script';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const ROUND = { leftAfterMs: 300_000 };

let bot: Bot;
let sim: BluekingSimulator;

beforeAll(async () => {
  const loaded = loadConfig({
    env: { COC_CHATOPS_DATA_DIR: 'memory://', COC_CHATOPS_BACKEND: 'blueking', COC_APPROVAL_VIA: 'itsm', COC_SIM_TICK_MS: '60000' },
    cwd: '/nonexistent',
    file: undefined,
  });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  bot = await startBot(loaded.config, { store: await freshMemoryStore(), logDestination: { write: () => true } as unknown as NodeJS.WritableStream });
  if (bot.connected.kind !== 'blueking' || !bot.connected.simulator) throw new Error('not the BlueKing simulator');
  sim = bot.connected.simulator;
  bot.chat.register(new RecordingSurface('shell'));
  withRegions(bot);
});

/**
 * The run planner (src/run/hosts.ts) targets a host by id and region, and BlueKing hosts have no
 * region (a cloud area and an IP make the id): each person's backend here names one, so that the
 * plan can be made and this file exercises what it is about, the approval.
 */
function withRegions(assembled: Bot): void {
  const backendFor = assembled.services.backendFor.bind(assembled.services);
  Object.assign(assembled.services, {
    backendFor: (identity: Parameters<typeof backendFor>[0]): Backend => {
      const backend = backendFor(identity);
      const hosts = backend.hosts;
      if (!hosts) return backend;
      const list: typeof hosts.list = async (...args) => {
        const page = await hosts.list(...args);
        return { ...page, items: page.items.map((host) => ({ region: 'area-0', ...host })) };
      };
      return { ...backend, hosts: { ...hosts, list } };
    },
  });
}
afterAll(async () => {
  await bot?.close();
});

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const say = (user: string, text: string): Promise<Message> => bot.dispatcher.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (user: string, actionId: string, value: string): Promise<Message> => bot.dispatcher.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

async function request(): Promise<ApprovalRow> {
  const preview = await say('alice', HIGH_LINE);
  const go = preview.buttons?.find((b) => b.actionId === 'run:go');
  if (!go) throw new Error(`no Run button on "${preview.title}": ${preview.text}`);
  const reply = await click('alice', 'run:go', go.value);
  expect(reply.title, reply.text).toBe('Approval requested');
  const id = /approval ([0-9a-f-]{36})/.exec(reply.footer ?? '')?.[1];
  const approval = id ? await getApproval(bot.services.db, id) : undefined;
  if (!approval) throw new Error('no approval filed');
  return approval;
}

describe('a HIGH run approved through BlueKing ITSM', () => {
  it('opens the ticket as the requester with the secret masked, refuses a non-processor, and starts once on a processor\'s approval', async () => {
    sim.resetRequests();
    const approval = await request();
    expect(approval).toMatchObject({ via: 'itsm', externalState: 'open' });
    expect(approval.externalRef).toMatch(/^blueking:ticket:/);
    const creates = sim.requests.filter((r) => r.routeKey === 'itsm/create_ticket');
    expect(creates).toHaveLength(1);
    expect(JSON.stringify(creates[0])).toContain('alice');
    expect(JSON.stringify(sim.requests)).not.toContain(SECRET);

    // dave is an admin here but not a processor of the ticket: ITSM says no, nothing runs.
    const refused = await click('dave', 'approval:approve', approval.id);
    expect(refused.title).toBe('ITSM refused your decision');
    expect(sim.countRequests(EXECUTE)).toBe(0);

    const approved = await click('bob', 'approval:approve', approval.id);
    expect(approved.title, approved.text).toMatch(/^Approved: /);
    const keys = sim.requests.map((r) => r.routeKey);
    const decided = keys.lastIndexOf('itsm/operate_node');
    expect(decided).toBeGreaterThanOrEqual(0);
    expect(keys.indexOf(EXECUTE)).toBeGreaterThan(decided);
    expect(sim.countRequests(EXECUTE)).toBe(1);
    expect(await getApproval(bot.services.db, approval.id)).toMatchObject({ state: 'executed', approverIamUser: 'bob' });
  });

  it('acts once on an approval made in ITSM itself', async () => {
    const approval = await request();
    sim.resetRequests();
    // carol is a processor of the ticket (a viewer in chat): she approves in ITSM, not here.
    await need(bot.services.backend, 'approvals').decide(approval.externalRef!, 'approve', 'carol');
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(1);
    expect(await readTicketDecisions(bot.services, ROUND)).toBe(0);
    expect(sim.countRequests(EXECUTE)).toBe(1);
    expect(await getApproval(bot.services.db, approval.id)).toMatchObject({ state: 'executed', approverIamUser: 'carol' });
  });
});
