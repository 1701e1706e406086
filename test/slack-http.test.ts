/**
 * The Slack adapter in HTTP mode, reached as Slack reaches it: signed requests over real HTTP,
 * its Web API calls going to a local fake Slack. Every request is acknowledged at once,
 * whatever COC does; unsigned, forged or stale requests are refused and change nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../src/store/audit-events.js';
import { commandBody, sign, signedPost } from './helpers/slack-requests.js';
import { makeSlackTestBot, SIGNING_SECRET, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';

describe('Slack over HTTP: acknowledgements and answers', () => {
  let slack: SlackTestBot;
  beforeAll(async () => {
    slack = await makeSlackTestBot({ timings: { workingNoticeMs: 150 }, cocClient: { timeoutMs: 1_000, retry: { retries: 0 } } });
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.handled.length = 0;
    slack.fake.reset();
  });

  it('answers /coc whoami through the response_url, as the Slack user mapped to alice', async () => {
    const { response, responseId } = await slack.command(SLACK_PEOPLE.alice, 'whoami');
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    const [answer] = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), 'the answer');
    expect(answer!.body['replace_original']).toBe(false);
    expect(JSON.stringify(answer!.body['blocks'])).toContain('alice');
    expect(slack.handled).toHaveLength(1);
    expect(slack.handled[0]).toMatchObject({ kind: 'command', text: 'whoami', actor: { platform: 'slack', workspaceId: 'T0TEST', userId: 'U0ALICE' }, place: { channelId: 'C0OPS', isDirect: false } });
    expect(slack.handled[0]?.interactionId).toMatch(/^trigger\./);
  });

  it('keeps errors private to the person who caused them: an unmapped user and an unknown command', async () => {
    const stranger = await slack.command(SLACK_PEOPLE.stranger, 'scripts');
    const typo = await slack.command(SLACK_PEOPLE.alice, 'scirpts');
    for (const { responseId } of [stranger, typo]) {
      const [answer] = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), 'the answer');
      expect(answer!.body['response_type']).toBe('ephemeral');
    }
    expect(JSON.stringify(slack.fake.responsesTo(typo.responseId)[0]!.body)).toContain('Did you mean');
  });

  it('answers a click on a button through its response_url, with the permission checked for the clicker', async () => {
    const { response, responseId } = await slack.click(SLACK_PEOPLE.carol, { actionId: 'coc|b|0|order%3Acancel|', value: 'no-such-order' });
    expect(response.status).toBe(200);
    const [answer] = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), 'the answer');
    expect(answer!.body['response_type']).toBe('ephemeral');
    expect(slack.handled[0]).toMatchObject({ kind: 'action', actionId: 'order:cancel', value: 'no-such-order', actor: { userId: 'U0CAROL' } });
    const [latest] = await listAuditEvents(slack.bot.store.db, { limit: 1 });
    expect(latest).toMatchObject({ command: 'action order:cancel', outcome: 'denied', chatUserId: 'U0CAROL' });
  });

  it('links a person an admin mentions: Slack sends the mention as a member id', async () => {
    // With escaping on, "@newbie" typed in Slack arrives as <@U0NEWBIE|newbie>.
    const { responseId } = await slack.command(SLACK_PEOPLE.dave, 'admin link <@U0NEWBIE|newbie> carol viewer');
    await waitFor(() => slack.fake.responsesTo(responseId).length > 0, 'the answer');
    expect(slack.handled[0]).toMatchObject({ text: 'admin link <@U0NEWBIE> carol viewer' });
    expect(await slack.bot.services.identities.resolve({ platform: 'slack', workspaceId: 'T0TEST', userId: 'U0NEWBIE' })).toMatchObject({ iamUserName: 'carol', role: 'viewer' });
  });

  it('serves a health check and nothing else outside /slack/events', async () => {
    const base = slack.url.replace('/slack/events', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/other`, { method: 'POST', body: 'x' })).status).toBe(404);
  });
});

describe('Slack over HTTP: COC hanging', () => {
  let slack: SlackTestBot;
  beforeAll(async () => {
    slack = await makeSlackTestBot({ timings: { workingNoticeMs: 150 }, cocClient: { timeoutMs: 1_000, retry: { retries: 0 } } });
  });
  afterAll(async () => {
    await slack.close();
  });

  it('acknowledges at once while COC hangs, says it is working, then answers privately with the error', async () => {
    slack.bot.sim.faults.set('*', { kind: 'hang' });
    const { response, responseId } = await slack.command(SLACK_PEOPLE.alice, 'scripts');
    expect(response.status).toBe(200);
    // The one timing bound Slack imposes: the ack must be back within 3 s.
    expect(response.elapsedMs).toBeLessThan(3_000);
    const answers = await waitFor(() => slack.fake.responsesTo(responseId).length >= 2 && slack.fake.responsesTo(responseId), 'the working line and the answer');
    expect(answers[0]!.body).toMatchObject({ response_type: 'ephemeral', text: 'Working on `/coc scripts`…' });
    // The failure is only for the person who asked.
    expect(answers[1]!.body['response_type']).toBe('ephemeral');
    expect(String(answers[1]!.body['text'])).toMatch(/COC/);
  });

});

describe('Slack over HTTP: refused requests change nothing', () => {
  let slack: SlackTestBot;
  // One bot for all: each case checks that nothing at all happened, so none can affect the next.
  beforeAll(async () => {
    slack = await makeSlackTestBot();
    slack.fake.reset();
  });
  afterAll(async () => {
    await slack.close();
  });

  const body = (text: string) => commandBody(SLACK_PEOPLE.dave, text, { responseUrl: 'http://127.0.0.1:1/never' });
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['a forged signature', (text: string) => signedPost(slack.url, SIGNING_SECRET, body(text), { signature: sign('not-the-secret', now(), body(text)) })],
    ['a signature of another body', (text: string) => signedPost(slack.url, SIGNING_SECRET, body(text), { signature: sign(SIGNING_SECRET, now(), body('whoami')) })],
    ['a stale timestamp (6 minutes old)', (text: string) => signedPost(slack.url, SIGNING_SECRET, body(text), { timestamp: now() - 6 * 60 })],
    ['a timestamp 6 minutes ahead', (text: string) => signedPost(slack.url, SIGNING_SECRET, body(text), { timestamp: now() + 6 * 60 })],
    ['no signature header', (text: string) => signedPost(slack.url, SIGNING_SECRET, body(text), { omit: ['x-slack-signature'] })],
    ['no timestamp header', (text: string) => signedPost(slack.url, SIGNING_SECRET, body(text), { omit: ['x-slack-request-timestamp'] })],
  ])('refuses %s with 401', async (_, send) => {
    const response = await send('admin unlink slack U0ALICE');
    expect(response.status).toBe(401);
    // Give anything that slipped through a moment to show itself.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.handled).toEqual([]);
    expect(slack.suggested).toEqual([]);
    expect(await listAuditEvents(slack.bot.store.db, {})).toEqual([]);
    expect(slack.fake.calls).toEqual([]);
    expect(slack.fake.responses).toEqual([]);
    expect(await slack.bot.services.identities.resolve({ platform: 'slack', workspaceId: 'T0TEST', userId: 'U0ALICE' })).toBeDefined();
  });
});
