/**
 * `hosts sync` and `agents sync` through the real dispatcher and a simulator: each request as
 * the SDK shapes it (SyncResourceReq, SyncResourceAgentReq), the reply that says it started, the
 * result followed round by round (driven here by hand) and posted once, the deadline that stops
 * the waiting, a refusal and a lost answer (sent once, said to be unknown, safe to ask again).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocValidationError } from '../src/coc/errors.js';
import type { Message } from '../src/core/message.js';
import { SyncFollower, useSyncFollower } from '../src/inventory/sync-follow.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const SYNC = 'POST /v1/resources/sync';
const AGENT_SYNC = 'POST /v1/resources/uniagent/sync';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

const clock = { ms: Date.now() };
let bot: TestBot;
let follower: SyncFollower;

beforeAll(async () => {
  bot = await makeTestBot({ now: () => new Date(clock.ms) });
});
afterAll(async () => {
  await bot.close();
});
beforeEach(() => {
  follower = new SyncFollower({ chat: bot.core.chat, now: () => new Date(clock.ms), schedule: () => () => {} });
  useSyncFollower(bot.services, follower);
  bot.sim.faults.clear();
  bot.sim.resetRequests();
  bot.surface.posts.length = 0;
});

function say(user: string, line: string): Promise<Message> {
  return bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: user }, place: PLACE, text: line });
}

function text(message: Message): string {
  return [message.title, message.text, ...(message.sections ?? []).flatMap((s) => [s.title, s.text]), message.footer].filter(Boolean).join('\n');
}

async function admin(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${bot.sim.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

/** One round of the follower, after the simulator moved on `ticks` steps. */
async function round(ticks = 0, advanceMs = 5_000): Promise<void> {
  if (ticks) bot.sim.tick(ticks);
  clock.ms += advanceMs;
  await follower.pollOnce();
}

const resultPosts = () => bot.surface.posts.filter((p) => /sync/i.test(p.message.title ?? ''));

describe('the client against the SDK shapes', () => {
  it('sends SyncResourceAgentReq as the SDK models it, and refuses an empty or oversized list before sending', async () => {
    const host = bot.sim.world.hosts[0]!;
    const task = await bot.coc.syncResourceAgents({ resource_infos: [{ region_id: host.regionId, resource_id: host.resourceId, id: host.id }] });
    expect(task).toMatch(/^[0-9a-f]{32}$/);
    const sent = bot.sim.requests.filter((r) => r.routeKey === AGENT_SYNC).at(-1);
    expect(sent?.body).toEqual({ resource_infos: [{ region_id: host.regionId, resource_id: host.resourceId, id: host.id }] });
    await expect(bot.coc.syncResourceAgents({ resource_infos: [] })).rejects.toBeInstanceOf(CocValidationError);
    const many = Array.from({ length: 101 }, () => ({ region_id: host.regionId, resource_id: host.resourceId }));
    await expect(bot.coc.syncResourceAgents({ resource_infos: many })).rejects.toBeInstanceOf(CocValidationError);
    expect(bot.sim.countRequests(AGENT_SYNC)).toBe(1);
  });

  it('reads a resource sync answered with {data: true} or with nothing', async () => {
    expect(await bot.coc.syncResources({ provider: 'ecs', type: 'cloudservers' })).toBe(true);
    expect(bot.sim.requests.find((r) => r.routeKey === SYNC)?.body).toEqual({ provider: 'ecs', type: 'cloudservers' });
  });
});

describe('hosts sync', () => {
  it('says it started, then posts once the hosts the cloud added, after the list settled', async () => {
    const added = await admin('/__sim/hosts', { name: 'web-new-01', unsynced: true, agentState: 'OFFLINE' });
    expect(added.status).toBe(201);
    const before = bot.sim.world.hosts.length;
    const intentsBefore = (await listAuditEvents(bot.store.db, { limit: 100 })).filter((e) => e.command === `coc ${SYNC}`).length;
    const reply = await say('alice', 'hosts sync');
    expect(reply.title).toBe('Host sync started');
    expect(reply.text).toMatch(/The result follows here within 3 min: hosts added or gone \(\d+ hosts listed now\)/);
    expect(bot.sim.requests.filter((r) => r.routeKey === SYNC).map((r) => r.body)).toEqual([{ provider: 'ecs', type: 'cloudservers' }]);
    const intents = (await listAuditEvents(bot.store.db, { limit: 100 })).filter((e) => e.command === `coc ${SYNC}`);
    expect(intents).toHaveLength(intentsBefore + 1);
    expect(intents.every((e) => e.outcome === 'succeeded')).toBe(true);

    await round(); // the new host is listed
    expect(resultPosts()).toHaveLength(0);
    await round(); // the same list twice: settled
    const posts = resultPosts();
    expect(posts).toHaveLength(1);
    const result = text(posts[0]!.message);
    expect(posts[0]!.message.title).toBe(`Host sync finished: ${before} → ${before + 1} hosts`);
    expect(result).toMatch(/Added \(1\)\nweb-new-01 \(cn-north-4 · [^)]+\)/);
    expect(result).toMatch(/1 new host cannot run scripts yet: their UniAgent is not online\. Refresh it with "agents sync --hosts web-new-01"/);
    await round(1);
    expect(resultPosts()).toHaveLength(1);
  });

  it('stops waiting at the deadline and says so when nothing changed', async () => {
    await say('alice', 'hosts sync');
    for (let i = 0; i < 3; i++) await round(1, 50_000);
    expect(resultPosts()).toHaveLength(0);
    await round(1, 50_000);
    const posts = resultPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.message.title).toBe('Host sync: no change seen in 3 min');
    expect(text(posts[0]!.message)).toMatch(/a sync is safe to ask for again with "hosts sync"/);
    expect(follower.following).toBe(0);
  });

  it('is refused for a viewer, and changes nothing', async () => {
    const reply = await say('carol', 'hosts sync');
    expect(reply.tone).toBe('danger');
    expect(bot.sim.countRequests(SYNC)).toBe(0);
  });
});

describe('agents sync', () => {
  it('refreshes named hosts, then posts the agents that changed and those still not online', async () => {
    const [first, second] = bot.sim.world.hosts.filter((h) => h.agentState === 'OFFLINE' && bot.sim.world.hosts.filter((o) => o.name === h.name).length === 1);
    expect(second, 'two OFFLINE hosts with their own names').toBeDefined();
    expect((await admin('/__sim/agents', { resourceId: first!.resourceId, state: 'ONLINE' })).status).toBe(200);
    const reply = await say('alice', `agents sync --hosts ${first!.name},${second!.name}`);
    expect(reply.title).toBe('Agent sync started');
    expect(reply.text).toMatch(/the UniAgent state of 2 hosts \(0 online now\)/);
    const sent = bot.sim.requests.filter((r) => r.routeKey === AGENT_SYNC);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({
      resource_infos: [first!, second!].map((h) => ({ region_id: h.regionId, resource_id: h.resourceId, id: h.id })),
    });

    await round(1);
    expect(resultPosts()).toHaveLength(0);
    await round(1); // the sync's states show now
    await round(); // and read the same again
    const posts = resultPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.message.title).toBe('Agent sync finished: 1 of 2 UniAgent online');
    const result = text(posts[0]!.message);
    expect(result).toMatch(new RegExp(`UniAgent state changed \\(1\\)\\n${first!.name}: \\S+ → \\S+`));
    expect(result).toMatch(new RegExp(`Not online \\(1\\)\\n${second!.name} \\(`));
    expect(result).toMatch(new RegExp(`then "agents sync --hosts ${second!.name}" again`));
  });

  it('says a lost answer is unknown, sends it once, and still follows the hosts', async () => {
    bot.sim.faults.set(AGENT_SYNC, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    const reply = await say('alice', 'agents sync');
    expect(reply.title).toBe('Whether COC started the agent sync is not known');
    expect(reply.text).toMatch(/it was not sent again\..*A sync is safe to ask for again: "agents sync"/);
    expect(bot.sim.countRequests(AGENT_SYNC)).toBe(1);
    expect(follower.following).toBe(1);
    const intents = (await listAuditEvents(bot.store.db, { limit: 100 })).filter((e) => e.command === `coc ${AGENT_SYNC}`);
    expect(intents.at(0)?.outcome).toBe('unknown');
  });

  it('is refused before acting with COC\'s reason, and nothing is followed', async () => {
    bot.sim.faults.set(AGENT_SYNC, { kind: 'status', status: 403, errorCode: 'COC.00040301', errorMsg: 'no permission', times: 1 });
    const reply = await say('alice', 'agents sync --tag role=db');
    expect(reply.tone).toBe('danger');
    expect(text(reply)).toMatch(/no permission/);
    expect(follower.following).toBe(0);
  });

  // Last: it makes the fleet longer than the pages the bot reads.
  it('on a fleet longer than it reads, syncs the hosts not online among those looked at and says that more exist', async () => {
    const listed = bot.sim.world.hosts.length;
    for (let n = listed; n <= 2000; n++) bot.sim.world.addHost({ name: `bulk-${n}` });
    const notOnline = bot.sim.world.hosts.slice(0, 2000).filter((h) => h.agentState !== 'ONLINE').length;
    const reply = await say('alice', 'agents sync');
    expect(reply.title).toBe('Agent sync started');
    expect(reply.text).toContain(
      `Only part of the fleet was looked at: COC lists more hosts than the bot reads at once, so only the first 2000 were checked, and this sync takes the ${notOnline} hosts among them whose UniAgent is not online. Hosts beyond them were not synced; reach them with --hosts or --tag`,
    );
    expect(bot.sim.countRequests(AGENT_SYNC)).toBe(1);
  });
});
