/**
 * Overload is shed on Slack also when the process is running behind (its event loop held up, on
 * a loaded machine, before the bound on work taken in is reached): signed commands and clicks
 * over real HTTP while the process says it is behind are answered "busy, try again in n s" — a
 * command in its acknowledgement, a click through its response_url — in the person's language,
 * counted, and nothing runs or is claimed for them; once it has caught up they run. No timing:
 * "behind" is the test's switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/invocation.js';
import type { FakeSlack } from './helpers/fake-slack.js';
import { CHEN, makeSheddingSlackBot, SLACK_PEOPLE, waitFor, type SheddingSlackBot } from './helpers/slack-bot.js';
import type { SlackUser } from './helpers/slack-requests.js';

let shedding: SheddingSlackBot;
let fake: FakeSlack;
let dispatched: Invocation[];
let claimed: string[];
let behind = false;

beforeAll(async () => {
  shedding = await makeSheddingSlackBot({ behind: () => behind });
  ({ fake, dispatched, claimed } = shedding);
});

afterAll(async () => {
  await shedding?.close();
});

const command = (user: SlackUser, text: string) => shedding.command(user, text);
const shed = () => shedding.shed();

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
    const clickBusy = await shedding.clickRefresh(SLACK_PEOPLE.alice);
    expect(clickBusy).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(clickBusy['text'])).toMatch(/^Busy: /);
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
