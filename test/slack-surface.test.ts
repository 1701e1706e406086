/**
 * Slack as a chat surface, against the fake Web API: cards posted and edited (edits coalesced
 * per card, identical edits skipped, Retry-After honoured per workspace), private notices
 * (ephemeral where the person is, else a direct message), and incident places (a new channel
 * with people invited, or a thread).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackWebClient } from '../src/adapters/slack/client.js';
import { incidentChannelName, SlackSurface, type IncidentPlaceSettings } from '../src/adapters/slack/surface.js';
import { ChatDeliveryError, type ChatTarget } from '../src/core/chat-surface.js';
import type { Actor } from '../src/core/invocation.js';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.js';

const TEAM = 'T0TEST';
const OPS: ChatTarget = { platform: 'slack', workspaceId: TEAM, channelId: 'C0OPS' };
const alice: Actor = { platform: 'slack', workspaceId: TEAM, userId: 'U0ALICE' };
const bob: Actor = { platform: 'slack', workspaceId: TEAM, userId: 'U0BOB' };

let fake: FakeSlack;
let clock = 1_000_000;
const logged: string[] = [];

function surface(incidentPlace: IncidentPlaceSettings = { mode: 'thread' }, timeoutMs = 5_000): SlackSurface {
  const client = slackWebClient('xoxb-test', { slackApiUrl: fake.apiUrl, timeoutMs, log: (line) => logged.push(line) });
  return new SlackSurface({ client, incidentPlace, localeOf: () => 'en-US', now: () => new Date(clock) });
}

beforeAll(async () => {
  fake = await startFakeSlack({ teamId: TEAM, clock: () => clock });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.closedChannels.clear();
});

describe('cards', () => {
  it('posts a card (in a thread when asked) and edits it in place', async () => {
    const slack = surface();
    const posted = await slack.post({ ...OPS, threadId: '1700.0001' }, { title: 'Order 1', text: 'running' });
    expect(posted).toEqual({ ...OPS, threadId: '1700.0001', messageRef: expect.any(String) });
    expect(fake.callsOf('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C0OPS', thread_ts: '1700.0001', text: 'Order 1\nrunning' });
    await slack.update(posted, { title: 'Order 1', text: 'done', tone: 'success' });
    expect(fake.callsOf('chat.update')[0]?.args).toMatchObject({ channel: 'C0OPS', ts: posted.messageRef });
    expect(fake.messages.get(posted.messageRef)?.text).toBe('Order 1\ndone');
  });

  it('sends only the newest of the edits that waited behind a slow one, and answers every caller', async () => {
    const slack = surface();
    const posted = await slack.post(OPS, { text: 'v0' });
    fake.faults.set('chat.update', { kind: 'slow', delayMs: 150, times: 1 });
    const edits = [1, 2, 3, 4, 5].map((n) => slack.update(posted, { text: `v${n}` }));
    await Promise.all(edits);
    const updates = fake.callsOf('chat.update');
    expect(updates.map((call) => call.args['text'])).toEqual(['v1', 'v5']);
    expect(fake.messages.get(posted.messageRef)?.text).toBe('v5');
  });

  it('does not send an edit that would show what the card already shows', async () => {
    const slack = surface();
    const posted = await slack.post(OPS, { text: 'same' });
    await slack.update(posted, { text: 'same' });
    await slack.update(posted, { text: 'changed' });
    await slack.update(posted, { text: 'changed' });
    expect(fake.callsOf('chat.update')).toHaveLength(1);
  });

  it('passes on Slack’s Retry-After and holds every edit in that workspace until it has passed', async () => {
    const slack = surface();
    const first = await slack.post(OPS, { text: 'a' });
    const second = await slack.post(OPS, { text: 'b' });
    const other = await slack.post({ ...OPS, workspaceId: 'T0OTHER' }, { text: 'c' });
    fake.faults.set('chat.update', { kind: 'rate-limit', retryAfterSeconds: 7, times: 1 });
    const refused = await slack.update(first, { text: 'a2' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatDeliveryError);
    expect((refused as ChatDeliveryError).retryAfterMs).toBe(7_000);
    clock += 2_000;
    const held = await slack.update(second, { text: 'b2' }).catch((error: unknown) => error);
    expect((held as ChatDeliveryError).retryAfterMs).toBe(5_000);
    expect(fake.callsOf('chat.update')).toHaveLength(1);
    // Another workspace has its own limit.
    await slack.update(other, { text: 'c2' });
    clock += 5_000;
    await slack.update(second, { text: 'b2' });
    expect(fake.callsOf('chat.update').map((call) => call.outcome)).toEqual(['rate-limited', 'ok', 'ok']);
  });

  it('says why a post failed, without retrying it', async () => {
    const slack = surface();
    fake.closedChannels.add('C0PRIVATE');
    const refused = await slack.post({ ...OPS, channelId: 'C0PRIVATE' }, { text: 'x' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatDeliveryError);
    expect((refused as Error).message).toBe('Slack refused chat.postMessage: not_in_channel (the bot is not in that channel: invite it (/invite @coc))');
    fake.faults.set('chat.postMessage', { kind: 'hang', times: 1 });
    const quick = surface({ mode: 'thread' }, 300);
    const timedOut = await quick.post(OPS, { text: 'y' }).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(ChatDeliveryError);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(2);
  });
});

describe('private notices', () => {
  it('is ephemeral where the person is', async () => {
    await surface().notify(alice, { text: 'your order ended' }, OPS);
    expect(fake.callsOf('chat.postEphemeral')[0]?.args).toMatchObject({ channel: 'C0OPS', user: 'U0ALICE' });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('goes by direct message when the bot or the person is not in that channel, or nowhere was given', async () => {
    const slack = surface();
    fake.closedChannels.add('C0PRIVATE');
    await slack.notify(alice, { text: 'one' }, { ...OPS, channelId: 'C0PRIVATE' });
    await slack.notify(alice, { text: 'two' });
    await slack.notify(bob, { text: 'three' });
    expect(fake.callsOf('conversations.open').map((call) => call.args['users'])).toEqual(['U0ALICE', 'U0BOB']);
    expect(fake.callsOf('chat.postMessage').map((call) => [call.args['channel'], call.args['text']])).toEqual([
      ['DU0ALICE', 'one'],
      ['DU0ALICE', 'two'],
      ['DU0BOB', 'three'],
    ]);
  });

  it('refuses people of another platform', async () => {
    await expect(surface().notify({ platform: 'discord', workspaceId: '1', userId: '2' }, { text: 'x' })).rejects.toBeInstanceOf(ChatDeliveryError);
  });
});

describe('incident places', () => {
  const request = {
    workspaceId: TEAM,
    incidentNum: 'INC-2026-0042',
    title: 'Database down: 数据库 <!channel>',
    from: OPS,
    invite: [alice, bob, alice, { platform: 'discord' as const, workspaceId: '1', userId: '2' }],
  };

  it('creates a channel named after the incident and invites the Slack people', async () => {
    const target = await surface({ mode: 'channel' }).openIncidentPlace(request);
    expect(fake.callsOf('conversations.create')[0]?.args).toMatchObject({ name: 'inc-2026-0042-database-down-channel', is_private: 'false' });
    expect(target).toEqual({ platform: 'slack', workspaceId: TEAM, channelId: expect.stringMatching(/^C/) });
    expect(fake.callsOf('conversations.invite')[0]?.args).toMatchObject({ channel: target.channelId, users: 'U0ALICE,U0BOB' });
  });

  it('creates a private channel when configured, and invites the Slack people into it', async () => {
    const target = await surface({ mode: 'private-channel' }).openIncidentPlace({ ...request, incidentNum: 'INC-2026-0043' });
    expect(fake.callsOf('conversations.create').at(-1)?.args).toMatchObject({ name: 'inc-2026-0043-database-down-channel', is_private: 'true' });
    expect(fake.callsOf('conversations.invite').at(-1)?.args).toMatchObject({ channel: target.channelId, users: 'U0ALICE,U0BOB' });
  });

  it('takes the next name when one is taken', async () => {
    const again = await surface({ mode: 'channel' }).openIncidentPlace(request);
    expect(fake.callsOf('conversations.create').map((call) => [call.args['name'], call.outcome])).toEqual([
      ['inc-2026-0042-database-down-channel', 'error'],
      ['inc-2026-0042-database-down-channel-2', 'ok'],
    ]);
    expect(again.channelId).toMatch(/^C/);
    expect(incidentChannelName('X', 'y'.repeat(200), 3)).toHaveLength(80);
    expect(incidentChannelName('42', '数据库')).toBe('inc-42');
  });

  it('opens a thread in the configured channel, naming the people', async () => {
    const target = await surface({ mode: 'thread', channel: 'C0INCIDENTS' }).openIncidentPlace(request);
    const [post] = fake.callsOf('chat.postMessage');
    expect(post?.args).toMatchObject({ channel: 'C0INCIDENTS' });
    expect(String(post?.args['text'])).toContain('Incident INC-2026-0042: Database down: 数据库 &lt;!channel&gt;');
    expect(String(post?.args['text'])).toContain('<@U0ALICE> <@U0BOB>');
    expect(target).toEqual({ platform: 'slack', workspaceId: TEAM, channelId: 'C0INCIDENTS', threadId: fake.messages.get(target.threadId!)?.ts });
  });

  it('without a configured channel, uses where it was created (its thread, if it was one)', async () => {
    const inChannel = await surface().openIncidentPlace(request);
    expect(inChannel).toMatchObject({ channelId: 'C0OPS', threadId: expect.any(String) });
    const inThread = await surface().openIncidentPlace({ ...request, from: { ...OPS, threadId: '1700.0009' } });
    expect(inThread).toEqual({ platform: 'slack', workspaceId: TEAM, channelId: 'C0OPS', threadId: '1700.0009' });
    const { from: _nowhere, ...noOrigin } = request;
    await expect(surface().openIncidentPlace(noOrigin)).rejects.toThrow(/SLACK_INCIDENT_CHANNEL/);
  });
});
