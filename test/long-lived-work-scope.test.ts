/**
 * Work that outlives the command that started it holds no view scoped to that command: the sync
 * follower reads for minutes after `hosts sync` replied, with the person's rights, as background
 * work — never through the finished invocation's view (whose audit scope its calls would keep
 * growing, never to be written, and whose deadline is over).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseOf } from '../src/backends/index.js';
import { SyncFollower, useSyncFollower, type SyncFollowRequest } from '../src/inventory/sync-follow.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { requestThroughPreview } from './helpers/approval-request.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { click, command } from './incident-helpers.js';

let bot: TestBot;
let follower: SyncFollower;
const followed: SyncFollowRequest[] = [];

beforeAll(async () => {
  bot = await makeTestBot();
  follower = new SyncFollower({ chat: bot.core.chat, schedule: () => () => {} });
  const follow = follower.follow.bind(follower);
  follower.follow = (request) => {
    followed.push(request);
    follow(request);
  };
  useSyncFollower(bot.services, follower);
});

afterAll(async () => {
  follower.stop();
  await bot?.close();
});

describe('a sync followed after its command replied', () => {
  it('is read through the person’s own backend, not the finished invocation’s view', async () => {
    const reply = await command(bot, 'alice', 'hosts sync');
    expect(reply.tone, `${reply.title}\n${reply.text}`).toBe('info');
    expect(followed).toHaveLength(1);
    const backend = followed[0]!.backend;
    expect(baseOf(backend)).toBe(backend);
    expect(backend).toBe(bot.services.backendFor({ iamUserName: 'alice', credentialRef: undefined }));
  });
});

describe('a live card asked for by an invocation', () => {
  it('a runbook executed on Approve: the card’s first read of the execution is the approver’s invocation’s', async () => {
    const people = [...DEMO_MAPPINGS, { platform: 'shell' as const, workspace: SHELL_WORKSPACE, user: 'ann', iamUser: 'ann', role: 'approver' as const }];
    const own = await makeTestBot({ mappings: people });
    try {
      const { id } = await requestThroughPreview(own, 'ann', 'runbook run DOC-db-failover --param cluster=orders-main --param reason=drill', 'runbook:run-request');
      const before = new Set((await listAuditEvents(own.store.db, { limit: 1_000 })).map((row) => row.id));
      const read = own.sim.countRequests('GET /v1/executions/{execution_id}');
      const approved = await click(own, 'bob', 'approval:approve', id);
      expect(approved.tone, `${approved.title}\n${approved.text}`).not.toBe('danger');
      const reads = own.sim.countRequests('GET /v1/executions/{execution_id}') - read;
      expect(reads).toBeGreaterThan(0);
      const rows = (await listAuditEvents(own.store.db, { limit: 1_000 })).filter((row) => !before.has(row.id) && row.command === 'coc GET /v1/executions/{execution_id}');
      expect(rows.map((row) => row.chatUserId)).toEqual(Array.from({ length: reads }, () => 'bob'));
    } finally {
      await own.close();
    }
  });
});
