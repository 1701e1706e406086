/**
 * A card many people get at once is rendered once per language from its second answer on and its
 * blocks shared (src/adapters/slack/render.ts, frozen) — and nothing of one person's answer reaches
 * another's: over signed HTTP to the bot's Request URL, people looking at one order get the same
 * card through their own response_url, while answers made for one person (whoami) stay theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';
import { simpleOrder } from './tracker-helpers.js';

let slack: SlackTestBot;

beforeAll(async () => {
  slack = await makeSlackTestBot();
});
afterAll(() => slack?.close());

/** The answer (not a "working" notice: blocks) posted to one command's response_url, once there. */
const answerOf = (responseId: string) => slack.fake.responsesTo(responseId).find((response) => Array.isArray(response.body['blocks']))?.body;

/** The answers to `commands`, in their order. */
function answersTo(commands: readonly { responseId: string }[]): Promise<Record<string, unknown>[]> {
  return waitFor(() => commands.every(({ responseId }) => answerOf(responseId)) && commands.map(({ responseId }) => answerOf(responseId)!), 'every answer');
}

describe('one rendering of a card many people get at once (Slack)', () => {
  it('answers everyone looking at one order with the same card, each through their own response_url', async () => {
    const uuid = await simpleOrder(slack.bot.sim, 2, 1);
    const { alice, bob, carol } = SLACK_PEOPLE;
    const people = [alice, bob, carol, alice, bob, carol, alice, bob, carol];
    const commands = await Promise.all(people.map((user) => slack.command(user, `order show ${uuid}`)));
    for (const { response } of commands) expect(response.status).toBe(200);
    const bodies = await answersTo(commands);
    const distinct = new Set(bodies.map((body) => JSON.stringify(body)));
    expect(distinct.size).toBe(1);
    expect([...distinct][0]).toContain(uuid);
    // From the third answer on the rendering was shared and frozen: sending it changed nothing in it.
    expect(slack.logged.filter((line) => /TypeError/.test(line))).toEqual([]);
  });

  it('keeps an answer made for one person theirs: at the same moment, each whoami names who asked', async () => {
    const { alice, bob, carol } = SLACK_PEOPLE;
    const people = [alice, bob, carol, alice, bob, carol];
    const commands = await Promise.all(people.map((user) => slack.command(user, 'whoami')));
    const bodies = await answersTo(commands);
    bodies.forEach((body, i) => {
      const text = JSON.stringify(body);
      const own = people[i]!.userName;
      expect(text).toContain(own);
      for (const other of ['alice', 'bob', 'carol'].filter((name) => name !== own)) expect(text).not.toContain(`\`${other}\``);
    });
  });
});
