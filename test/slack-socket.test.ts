/**
 * The Slack adapter in Socket Mode (the default): it checks its bot token, opens the
 * connection with the app-level token, and answers envelopes from the socket the same way
 * as HTTP requests: acknowledged at once, answered through the response_url.
 */
import { LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.js';
import { attachSocketMode, type FakeSlackSocket } from './helpers/fake-slack-socket.js';
import { blockActionsPayload, suggestionPayload } from './helpers/slack-requests.js';
import { SLACK_MAPPINGS, SLACK_PEOPLE, TEAM, waitFor } from './helpers/slack-bot.js';

describe('Slack in Socket Mode', () => {
  let bot: TestBot;
  let fake: FakeSlack;
  let socket: FakeSlackSocket;
  let adapter: SlackAdapter;
  const logged: string[] = [];

  beforeAll(async () => {
    bot = await makeTestBot({ mappings: SLACK_MAPPINGS });
    fake = await startFakeSlack({ teamId: TEAM });
    socket = attachSocketMode(fake);
    adapter = new SlackAdapter(
      { mode: 'socket', botToken: 'xoxb-socket-test', appToken: 'xapp-socket-test', slackApiUrl: fake.apiUrl, incidentPlace: { mode: 'thread' }, logLevel: LogLevel.ERROR },
      { dispatcher: bot.dispatcher, identities: bot.services.identities, now: bot.services.now, log: (line) => logged.push(line) },
    );
    bot.core.chat.register(adapter.surface);
  });
  afterAll(async () => {
    await adapter.stop();
    socket.close();
    await fake.close();
    await bot.close();
  });

  it('checks the bot token, then connects with the app-level token', async () => {
    const started = await adapter.start();
    await socket.connected();
    expect(started).toEqual({ mode: 'socket', botUserId: fake.botUserId });
    expect(fake.callsOf('auth.test')[0]?.token).toBe('xoxb-socket-test');
    expect(fake.callsOf('apps.connections.open')[0]?.token).toBe('xapp-socket-test');
  });

  it('acknowledges a slash command envelope at once and answers through the response_url', async () => {
    const ack = await socket.send('slash_commands', {
      team_id: TEAM,
      user_id: SLACK_PEOPLE.bob.userId,
      user_name: 'bob',
      channel_id: 'D0BOB',
      channel_name: 'directmessage',
      command: '/coc',
      text: 'whoami',
      response_url: fake.responseUrl('socket-whoami'),
      trigger_id: 'trigger.socket',
    });
    expect(ack).toEqual({});
    const [answer] = await waitFor(() => fake.responsesTo('socket-whoami').length > 0 && fake.responsesTo('socket-whoami'), 'the answer');
    expect(JSON.stringify(answer!.body)).toContain('bob');
  });

  it('runs an envelope delivered twice only once', async () => {
    const before = (await listAuditEvents(bot.store.db, { limit: 200 })).length;
    const envelope = {
      team_id: TEAM,
      user_id: SLACK_PEOPLE.bob.userId,
      channel_id: 'C0OPS',
      command: '/coc',
      text: 'whoami',
      response_url: fake.responseUrl('socket-twice'),
      trigger_id: 'trigger.twice',
    };
    await socket.send('slash_commands', envelope);
    await socket.send('slash_commands', envelope);
    await waitFor(() => fake.responsesTo('socket-twice').length > 0, 'the answer');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.responsesTo('socket-twice')).toHaveLength(1);
    expect((await listAuditEvents(bot.store.db, { limit: 200 })).length).toBe(before + 1);
    expect(logged).toContain('dropped an interaction Slack delivered twice');
  });

  it('acknowledges clicks and answers type-ahead in the ack', async () => {
    const clickAck = await socket.send('interactive', blockActionsPayload(SLACK_PEOPLE.alice, { actionId: 'coc|b|0|order%3Acancel|', value: 'no-such-order' }, { responseUrl: fake.responseUrl('socket-click') }));
    expect(clickAck).toEqual({});
    await waitFor(() => fake.responsesTo('socket-click').length > 0, 'the click answer');
    const optionsAck = await socket.send('interactive', suggestionPayload(SLACK_PEOPLE.alice, 'coc|s|0|pick|no-such-source', 'web'));
    expect(optionsAck).toEqual({ options: [] });
  });

  it('refuses to start without the app-level token', async () => {
    const without = new SlackAdapter(
      { mode: 'socket', botToken: 'xoxb-x', slackApiUrl: fake.apiUrl, botId: 'B1', botUserId: 'U1', incidentPlace: { mode: 'thread' } },
      { dispatcher: bot.dispatcher, identities: bot.services.identities, now: bot.services.now, log: () => {} },
    );
    await expect(without.start()).rejects.toThrow('Socket Mode needs the app-level token');
  });

  it('says so at start when Slack refuses the bot token', async () => {
    fake.faults.set('auth.test', { kind: 'error', error: 'invalid_auth', times: 1 });
    const refused = new SlackAdapter(
      { mode: 'socket', botToken: 'xoxb-revoked', appToken: 'xapp-x', slackApiUrl: fake.apiUrl, incidentPlace: { mode: 'thread' } },
      { dispatcher: bot.dispatcher, identities: bot.services.identities, now: bot.services.now, log: () => {} },
    );
    await expect(refused.start()).rejects.toThrow('Slack refused the bot token at start: Slack refused auth.test: invalid_auth (the bot token is not valid)');
  });
});
