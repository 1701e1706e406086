/**
 * The live runbook execution card in Slack, through the whole bot over signed HTTP and the fake
 * Web API, on the bot's fake clock (the simulator's moved along): `/coc runbook execution` posts
 * the card with chat.postMessage; rounds edit it with chat.update only when the execution moved;
 * paused, it offers Resume, and a click on it in Slack resumes the execution; finished, its last
 * edit comes once and carries no buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeElementId } from '../src/adapters/slack/ids.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';
import { FakeClock } from './tracker-helpers.js';

interface Element {
  readonly type: string;
  readonly action_id: string;
  readonly value?: string;
}

function buttonsOf(blocks: unknown): Element[] {
  return ((blocks as { type: string; elements?: Element[] }[]) ?? []).flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : [])).filter((e) => e.type === 'button');
}

describe('the live runbook execution card in Slack', () => {
  let slack: SlackTestBot;
  const clock = new FakeClock();

  beforeAll(async () => {
    slack = await makeSlackTestBot({ now: clock.now, fakeClock: () => clock.ms });
  });
  afterAll(async () => {
    await slack.close();
  });

  async function round(ms: number): Promise<void> {
    clock.advance(ms);
    slack.bot.sim.advanceClock(ms);
    await slack.bot.core.executions.tick();
  }

  it('posts the card, edits it as the steps move, takes a Resume click and writes the last edit once', async () => {
    const board = runbooksOf(slack.bot.sim.world);
    const execution = board.execute(board.document('DOC-restart-web-service')!, [{ key: 'service', value: 'nginx' }], 'alice', '').executionId;
    const before = slack.fake.callsOf('chat.postMessage').length;
    const { responseId } = await slack.command(SLACK_PEOPLE.carol, `runbook execution ${execution}`);
    await waitFor(() => slack.fake.responsesTo(responseId).length > 0, 'the answer to runbook execution');
    expect(JSON.stringify(slack.fake.responsesTo(responseId))).toContain(`Live card of runbook execution ${execution} posted`);
    const post = slack.fake.callsOf('chat.postMessage')[before]!;
    expect(post.args).toMatchObject({ channel: 'C0OPS' });
    const ts = [...slack.fake.messages.values()].find((message) => message.channel === 'C0OPS' && message.text === post.args['text'])!.ts;
    const edits = () => slack.fake.callsOf('chat.update').filter((call) => call.args['ts'] === ts && call.outcome === 'ok');

    // Draining (10 s): nothing moved, nothing edited.
    for (let i = 0; i < 3; i++) await round(1000);
    expect(edits()).toHaveLength(0);
    await round(8000);
    expect(edits()).toHaveLength(1);
    const paused = slack.fake.messages.get(ts)!;
    expect(paused.text).toContain(`Runbook execution ${execution}: paused`);
    const resume = buttonsOf(paused.blocks).find((button) => decodeElementId(button.action_id)?.id === 'runbook:op' && button.value?.includes('|resume|'));
    expect(resume).toBeDefined();

    const click = await slack.click(SLACK_PEOPLE.alice, { actionId: resume!.action_id, value: resume!.value! }, { messageTs: ts });
    await waitFor(() => slack.fake.responsesTo(click.responseId).length > 0, 'the click answer');
    expect(board.execution(execution)!.operations.map((operation) => operation.type)).toEqual(['RESUME']);
    await round(3000);
    expect(slack.fake.messages.get(ts)!.text).toContain(`Runbook execution ${execution}: running`);

    for (let i = 0; i < 6; i++) await round(5000);
    const last = slack.fake.messages.get(ts)!;
    expect(last.text).toContain(`Runbook execution ${execution}: finished`);
    expect(buttonsOf(last.blocks)).toEqual([]);
    expect(edits().filter((call) => String(call.args['text']).includes('finished'))).toHaveLength(1);
    // Tracking stopped: no more edits.
    const count = edits().length;
    await round(5000);
    expect(edits()).toHaveLength(count);
  });
});
