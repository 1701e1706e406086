/**
 * A command or click let in, whose work could not begin in time (the bot running behind), is
 * answered "busy, try again" through its response_url, privately, and nothing is claimed or run
 * for it: what was let in is answered within Slack's patience even when the machine drains
 * slower than measured. No timing: the allowed delay before work begins is set to nothing, so
 * every request counts as late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClaims, type RequestClaims } from '../src/adapters/request-claimer.js';
import { encodeElementId } from '../src/adapters/slack/ids.js';
import { INCIDENT_ACTION_IDS } from '../src/incidents/workflow.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';

let slack: SlackTestBot;
const claimed: string[] = [];

beforeAll(async () => {
  const local = localClaims();
  const claims: RequestClaims = {
    claim: (key) => {
      claimed.push(key);
      return local.claim(key);
    },
  };
  slack = await makeSlackTestBot({ timings: { lateStartMs: 0 }, claims });
});
afterAll(async () => {
  await slack?.close();
});

describe('Slack work that could not begin in time', () => {
  it('is answered busy through the response_url, privately, with nothing claimed or run', async () => {
    const { response, responseId } = await slack.command(SLACK_PEOPLE.alice, 'whoami');
    expect(response.status).toBe(200);
    // The acknowledgement itself is empty: the request was let in.
    expect(response.body).toBe('');
    const [busy] = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), 'the busy answer to the command');
    expect(busy!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(busy!.body['text'])).toMatch(/^Busy: too many requests are waiting\. Try again in \d+ s\./);

    const click = await slack.click(SLACK_PEOPLE.alice, { actionId: encodeElementId('b', 0, INCIDENT_ACTION_IDS.refresh)!, value: 'IM202612060000000000000001' });
    expect(click.response.status).toBe(200);
    const [clickBusy] = await waitFor(() => slack.fake.responsesTo(click.responseId).length > 0 && slack.fake.responsesTo(click.responseId), 'the busy answer to the click');
    expect(String(clickBusy!.body['text'])).toMatch(/^Busy: /);

    await waitFor(() => slack.adapter.inFlight === 0, 'the work to end');
    expect(slack.handled).toEqual([]);
    expect(claimed).toEqual([]);
    // One answer each: the busy line.
    expect(slack.fake.responsesTo(responseId)).toHaveLength(1);
    expect(slack.fake.responsesTo(click.responseId)).toHaveLength(1);
  });
});
