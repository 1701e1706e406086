/**
 * Two replicas of the whole bot sharing one PostgreSQL schema and one COC:
 *
 * - 100 concurrent Approve clicks spread over both replicas → exactly one execution;
 * - the replica tracking an order dies in the middle of it → the other takes the order over
 *   when the lease expires, and the final summary is posted exactly once.
 *
 * PostgreSQL only (PGlite is one process's database); skipped with the reason when
 * TEST_DATABASE_URL is unset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, Secret, type Config, type IdentityMappingConfig } from '../../src/config.js';
import type { Message } from '../../src/core/message.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { makeTestBot, type TestBot } from '../helpers/bot.js';
import { announceSkip, postgresLeg } from '../helpers/store-legs.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'ops', isDirect: false } as const;
const figures = { clicks: 0, executions: 0, takeovers: 0, finalSummaries: 0 };

announceSkip(postgresLeg, 'reliability/replicas');

describe.skipIf(postgresLeg.skipReason !== undefined)('two replicas on PostgreSQL', () => {
  let sim: Simulator;
  let now = Date.now();
  const clock = () => new Date(now);

  beforeAll(async () => {
    sim = await startSimulator({ tickMs: 0 });
  });
  afterAll(async () => {
    console.log(
      `reliability replicas: approve clicks ${figures.clicks} over 2 replicas → executions ${figures.executions}; orders taken over ${figures.takeovers}, final summaries ${figures.finalSummaries}; duplicates: ${Math.max(0, figures.executions - 1) + Math.max(0, figures.finalSummaries - figures.takeovers)}`,
    );
    await sim?.close();
  });

  function sharedConfig(): Record<string, unknown> {
    const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
    if (!loaded.ok) throw new Error('default configuration');
    const config: Config = loaded.config;
    // Both replicas must open each other's sealed values, as in production.
    return { store: { ...config.store, secretKey: new Secret('replicas-share-this-secret-key') }, tracker: { ...config.tracker, leaseSeconds: 30 } };
  }

  async function replicas(mappings: IdentityMappingConfig[]): Promise<[TestBot, TestBot]> {
    const store = postgresLeg.freshOptions();
    const config = sharedConfig();
    const a = await makeTestBot({ simulator: sim, store, config, mappings, now: clock });
    const b = await makeTestBot({ simulator: sim, store, config, mappings, now: clock });
    return [a, b];
  }

  const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
  const buttonOf = (message: Message, id: string) => message.buttons?.find((b) => b.actionId === id)?.value;

  it('executes once for 100 concurrent Approve clicks spread over both replicas', async () => {
    const people = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    const [a, b] = await replicas(people.map((user) => ({ platform: 'shell', workspace: 'local', user, iamUser: user, role: 'approver' })));
    try {
      const preview = await a.handle({ kind: 'command', actor: actor('alice'), place: PLACE, text: 'run rotate_db_password --hosts db-01,db-02 --param db_user=app --param new_password=Replica_S3cret' });
      const plan = buttonOf(preview, 'run:go')!;
      await b.handle({ kind: 'action', actor: actor('alice'), place: PLACE, actionId: 'run:go', value: plan });
      const card = [...a.surface.posts, ...b.surface.posts].find((p) => p.message.buttons?.some((x) => x.actionId === 'approval:approve'))!;
      const approval = buttonOf(card.message, 'approval:approve')!;
      sim.resetRequests();
      const approvers = people.slice(1);
      const replies = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 === 0 ? a : b).handle({ kind: 'action', actor: actor(approvers[i % approvers.length]!), place: PLACE, actionId: 'approval:approve', value: approval, interactionId: `r-${i}` }),
        ),
      );
      figures.clicks += replies.length;
      figures.executions += sim.countRequests(EXECUTE);
      expect(replies.filter((r) => /^Approved: order /.test(r.title ?? ''))).toHaveLength(1);
      expect(sim.countRequests(EXECUTE)).toBe(1);
      expect(replies.every((r) => r.title)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('takes an order over from a replica that died mid-order and posts its final summary once', async () => {
    const [a, b] = await replicas([{ platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'operator' }]);
    try {
      const preview = await a.handle({ kind: 'command', actor: actor('alice'), place: PLACE, text: 'run disk_usage --hosts web-01,web-02,web-03 --batch-size 1' });
      const started = await a.handle({ kind: 'action', actor: actor('alice'), place: PLACE, actionId: 'run:go', value: buttonOf(preview, 'run:go')! });
      const uuid = /order (SCT\w+)/.exec(started.title ?? '')![1]!;
      sim.tick(1);
      now += 3_000;
      await a.core.tracker.tick();
      expect(a.surface.updates.length + a.surface.posts.length).toBeGreaterThan(0);

      // A dies: no more rounds, its lease is not released. B waits for the lease to expire.
      sim.tick(2);
      now += 10_000;
      expect(await b.core.tracker.tick()).toBe(0);
      now += 25_000;
      expect(await b.core.tracker.tick()).toBe(1);
      figures.takeovers++;
      sim.settle(uuid);
      for (let i = 0; i < 4; i++) {
        now += 3_000;
        await b.core.tracker.tick();
      }
      const finalTitle = `Order ${uuid} finished`;
      const finals = [...a.surface.updates, ...b.surface.updates].filter((u) => u.message.title === finalTitle);
      figures.finalSummaries += finals.length;
      expect(finals).toHaveLength(1);
      expect(b.surface.notices.filter((n) => n.message.title === finalTitle)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
