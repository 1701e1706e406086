/**
 * Overload is shed, never hoarded, on Slack: signed slash commands and clicks over real HTTP
 * into the adapter with at most two taken in at a time, while COC holds every request until
 * the test releases it. Past the bound a command is answered "busy, try again in n s" in its
 * acknowledgement and a click through its response_url, in the person's language, counted;
 * nothing runs or is claimed for them (a retry is a new chance). Once the two are answered the
 * next command runs. No timing: COC is held and released, and the test waits on answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../src/adapters/slack/app.js';
import type { Invocation } from '../src/core/invocation.js';
import type { TestBot } from './helpers/bot.js';
import type { FakeSlack } from './helpers/fake-slack.js';
import { CHEN, makeSheddingSlackBot, SLACK_PEOPLE, waitFor, type SheddingSlackBot } from './helpers/slack-bot.js';
import type { SlackUser } from './helpers/slack-requests.js';

let shedding: SheddingSlackBot;
let bot: TestBot;
let fake: FakeSlack;
let adapter: SlackAdapter;
let dispatched: Invocation[];
let claimed: string[];

beforeAll(async () => {
  shedding = await makeSheddingSlackBot({
    // No "working on it" line while COC is held: the only answers are the ones looked for.
    timings: { workingNoticeMs: 24 * 3_600_000 },
    maxInFlight: 2,
  });
  ({ bot, fake, adapter, dispatched, claimed } = shedding);
});

afterAll(async () => {
  shedding?.bot.sim.faults.clear();
  shedding?.bot.sim.releaseHeld();
  await shedding?.close();
});

const command = (user: SlackUser, text: string) => shedding.command(user, text);
const shed = () => shedding.shed();

const textOf = (id: string) => fake.responsesTo(id).map((response) => String(response.body['text'] ?? ''));

describe('Slack under overload', () => {
  it('answers busy at once past the bound, runs and claims nothing for it, and runs the next one once the work drained', async () => {
    bot.sim.faults.set('*', { kind: 'held' });
    // Two commands that wait on COC fill the bound (each is let in before its ack is sent).
    const taken = await Promise.all([command(SLACK_PEOPLE.alice, 'hosts'), command(SLACK_PEOPLE.alice, 'hosts')]);
    expect(taken.map(({ ack }) => ack?.text ?? '')).toEqual(['', '']);
    await waitFor(() => dispatched.length === 2, 'both commands to reach the dispatcher');
    const claimsBefore = claimed.length;

    // The third is told in its acknowledgement, privately, in the person's own language; nothing runs.
    const chinese = await command(CHEN, 'whoami');
    expect(chinese.ack?.response_type).toBe('ephemeral');
    // Nothing finished lately (COC holds everything): the longest honest wait.
    expect(chinese.ack?.text).toContain('繁忙');
    expect(chinese.ack?.text).toContain('60');
    expect(await shed()).toBe(1);

    // English for an English speaker.
    const english = await command(SLACK_PEOPLE.alice, 'whoami');
    expect(english.ack?.text).toMatch(/^Busy: too many requests are waiting\. Try again in \d+ s\./);
    expect(await shed()).toBe(2);

    // A click past the bound: its acknowledgement shows nothing, so the busy line goes through its response_url.
    const clickBusy = await shedding.clickRefresh(SLACK_PEOPLE.alice);
    expect(clickBusy).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(clickBusy['text'])).toMatch(/^Busy: /);
    expect(await shed()).toBe(3);

    // Nothing was run or claimed for any of the three turned away.
    expect(dispatched).toHaveLength(2);
    expect(claimed).toHaveLength(claimsBefore);
    expect(fake.responsesTo(chinese.responseId)).toEqual([]);
    expect(fake.responsesTo(english.responseId)).toEqual([]);

    // COC answers again: the two taken in are answered, and the bound frees up.
    bot.sim.faults.clear();
    bot.sim.releaseHeld();
    for (const { responseId } of taken) await waitFor(() => fake.responsesTo(responseId).length > 0, `the answer to ${responseId}`);
    await waitFor(() => adapter.inFlight === 0, 'the answered work to finish');

    const after = await command(SLACK_PEOPLE.alice, 'whoami');
    expect(after.ack?.text ?? '').toBe('');
    await waitFor(() => fake.responsesTo(after.responseId).length > 0, 'the answer to the command after the drain');
    const answer = JSON.stringify(fake.responsesTo(after.responseId)[0]?.body);
    expect(answer).toContain('alice');
    expect(answer).not.toContain('Busy');
    expect(dispatched).toHaveLength(3);
    expect(claimed.length).toBe(claimsBefore + 1);
    expect(await shed()).toBe(3);
    expect(textOf(after.responseId).join('')).not.toContain('Busy');
  });
});
