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
import { command } from './incident-helpers.js';

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
