/**
 * Overload is shed on Slack also when the process is running behind (its event loop held up, on
 * a loaded machine, before the bound on work taken in is reached): signed commands and clicks
 * over real HTTP while the process says it is behind are answered "busy, try again in n s" — a
 * command in its acknowledgement, a click through its response_url — in the person's language,
 * counted, and nothing runs or is claimed for them; once it has caught up they run. No timing:
 * "behind" is the test's switch.
 */
import { LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClaims, type RequestClaims } from '../src/adapters/request-claimer.js';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { encodeElementId } from '../src/adapters/slack/ids.js';
import type { Invocation } from '../src/core/invocation.js';
import { INCIDENT_ACTION_IDS } from '../src/incidents/workflow.js';
import { Metrics } from '../src/ops/metrics.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { SIGNING_SECRET, SLACK_MAPPINGS, SLACK_PEOPLE, TEAM, waitFor } from './helpers/slack-bot.js';
import { blockActionsPayload, commandBody, interactionBody, signedPost, type SlackUser } from './helpers/slack-requests.js';

const CHEN: SlackUser = { teamId: TEAM, userId: 'U0CHEN', userName: 'chen' };

let bot: TestBot;
let fake: FakeSlack;
let adapter: SlackAdapter;
let url: string;
const metrics = new Metrics();
const dispatched: Invocation[] = [];
const claimed: string[] = [];
let sent = 0;
let behind = false;

beforeAll(async () => {
  bot = await makeTestBot({ mappings: [...SLACK_MAPPINGS, { platform: 'slack', workspace: TEAM, user: CHEN.userId, iamUser: 'chen', role: 'viewer', locale: 'zh-CN' }] });
  fake = await startFakeSlack({ teamId: TEAM });
  const local = localClaims();
  const claims: RequestClaims = {
    claim: (key) => {
      claimed.push(key);
      return local.claim(key);
    },
  };
  adapter = new SlackAdapter(
    {
      mode: 'http',
      botToken: 'xoxb-test-token',
      signingSecret: SIGNING_SECRET,
      port: 0,
      host: '127.0.0.1',
      slackApiUrl: fake.apiUrl,
      botId: fake.botId,
      botUserId: fake.botUserId,
      incidentPlace: { mode: 'thread' },
      logLevel: LogLevel.ERROR,
      behind: () => behind,
    },
    {
      dispatcher: {
        handle: (invocation) => {
          dispatched.push(invocation);
          return bot.dispatcher.handle(invocation);
        },
        suggest: (...args) => bot.dispatcher.suggest(...args),
        maskLine: (line) => bot.dispatcher.maskLine(line),
        registry: bot.dispatcher.registry,
      },
      identities: bot.services.identities,
      now: bot.services.now,
      metrics,
      claims,
      log: () => {},
    },
  );
  bot.core.chat.register(adapter.surface);
  url = (await adapter.start()).url!;
});

afterAll(async () => {
  await adapter?.stop();
  await bot?.close();
  await fake?.close();
});

async function command(user: SlackUser, text: string) {
  const responseId = `c${++sent}`;
  const response = await signedPost(url, SIGNING_SECRET, commandBody(user, text, { responseUrl: fake.responseUrl(responseId), triggerId: `trigger.c${sent}` }));
  expect(response.status).toBe(200);
  return { responseId, ack: response.json as { response_type?: string; text?: string } | null };
}

async function shed(): Promise<number> {
  const { body } = await metrics.exposition();
  return sampleValue(parsePrometheusText(body), 'coc_chatops_shed_requests_total', { platform: 'slack' }) ?? 0;
}

describe('Slack when the process is running behind', () => {
  it('answers busy at once in the person’s language, runs and claims nothing, and runs commands again once caught up', async () => {
    behind = true;
    const chinese = await command(CHEN, 'whoami');
    expect(chinese.ack?.response_type).toBe('ephemeral');
    expect(chinese.ack?.text).toContain('繁忙');
    const english = await command(SLACK_PEOPLE.alice, 'whoami');
    expect(english.ack?.response_type).toBe('ephemeral');
    expect(english.ack?.text).toMatch(/^Busy: too many requests are waiting\. Try again in \d+ s\./);
    expect(await shed()).toBe(2);

    // A click's acknowledgement shows nothing: the busy line goes through its response_url.
    const clickResponse = `a${++sent}`;
    const click = await signedPost(
      url,
      SIGNING_SECRET,
      interactionBody(
        blockActionsPayload(SLACK_PEOPLE.alice, { actionId: encodeElementId('b', 0, INCIDENT_ACTION_IDS.refresh)!, value: 'IM202612060000000000000001' }, { responseUrl: fake.responseUrl(clickResponse), triggerId: `trigger.a${sent}` }),
      ),
    );
    expect(click.status).toBe(200);
    const [clickBusy] = await waitFor(() => fake.responsesTo(clickResponse).length > 0 && fake.responsesTo(clickResponse), 'the busy answer to the click');
    expect(clickBusy?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(clickBusy?.body['text'])).toMatch(/^Busy: /);
    expect(await shed()).toBe(3);
    expect(dispatched).toEqual([]);
    expect(claimed).toEqual([]);
    expect(fake.responsesTo(chinese.responseId)).toEqual([]);
    expect(fake.responsesTo(english.responseId)).toEqual([]);

    behind = false;
    const after = await command(SLACK_PEOPLE.alice, 'whoami');
    expect(after.ack?.text ?? '').toBe('');
    await waitFor(() => fake.responsesTo(after.responseId).length > 0, 'the answer to the command once caught up');
    const answer = JSON.stringify(fake.responsesTo(after.responseId)[0]?.body);
    expect(answer).toContain('alice');
    expect(answer).not.toContain('Busy');
    expect(dispatched).toHaveLength(1);
    expect(claimed).toHaveLength(1);
    expect(await shed()).toBe(3);
  });
});
