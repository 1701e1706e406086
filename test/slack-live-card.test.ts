/**
 * Live order cards in Slack, through the whole bot over signed HTTP and the fake Web API, on
 * the bot's fake clock: `/coc order watch` posts the card with chat.postMessage; polling rounds
 * edit it with chat.update never more than once per card per 3 s (the fake records calls on the
 * bot's clock), a 429 with Retry-After is waited out, a click on the card's buttons reaches
 * the order, and the summary is written once with a private note to who asked. The live runbook
 * execution card the same way: `/coc runbook execution` posts it, rounds edit it only when the
 * execution moved, a Resume click in Slack reaches the execution, its last edit comes once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeElementId } from '../src/adapters/slack/ids.js';
import { runbooksOf } from '../src/sim/state/runbooks.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';
import { FakeClock, pausingOrder, simpleOrder } from './tracker-helpers.js';
import type { RecordedCall } from './helpers/fake-slack.js';

interface Element {
  readonly type: string;
  readonly action_id: string;
  readonly value?: string;
  readonly text?: { text: string };
}

function buttonsOf(blocks: unknown): Element[] {
  return ((blocks as { type: string; elements?: Element[] }[]) ?? []).flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : [])).filter((e) => e.type === 'button');
}

/** The gaps between one card's post and its accepted edits, on the bot's clock. */
function gapsOf(post: RecordedCall, edits: readonly RecordedCall[]): number[] {
  const times = [post.at, ...edits.filter((call) => call.outcome === 'ok').map((call) => call.at)];
  return times.slice(1).map((at, i) => at - times[i]!);
}

describe('live order cards in Slack', () => {
  let slack: SlackTestBot;
  const clock = new FakeClock();

  beforeAll(async () => {
    slack = await makeSlackTestBot({ now: clock.now, fakeClock: () => clock.ms });
  });
  afterAll(async () => {
    await slack.close();
  });

  async function round(advanceMs = 1000): Promise<void> {
    clock.advance(advanceMs);
    await slack.bot.core.tracker.tick();
  }

  async function watch(uuid: string): Promise<{ ts: string; post: RecordedCall }> {
    const before = slack.fake.callsOf('chat.postMessage').length;
    const { responseId } = await slack.command(SLACK_PEOPLE.alice, `order watch ${uuid}`);
    await waitFor(() => slack.fake.responsesTo(responseId).length > 0, 'the answer to order watch');
    const post = slack.fake.callsOf('chat.postMessage')[before]!;
    const ts = [...slack.fake.messages.values()].find((message) => message.channel === 'C0OPS' && message.text === post.args['text'])!.ts;
    return { ts, post };
  }

  it('edits the card at most once per 3 s, waits out a 429, and writes the summary once', async () => {
    const uuid = await simpleOrder(slack.bot.sim, 8, 1);
    const { ts, post } = await watch(uuid);
    expect(post.args).toMatchObject({ channel: 'C0OPS' });
    expect(String(post.args['text'])).toContain(uuid);

    for (let i = 0; i < 40; i++) {
      // Slack slows the bot down once, in the middle of the order.
      if (i === 5) slack.fake.faults.set('chat.update', { kind: 'rate-limit', retryAfterSeconds: 5, times: 1 });
      slack.bot.sim.tick(1);
      await round(1000);
    }
    for (let i = 0; i < 6; i++) await round(3000);

    const edits = slack.fake.callsOf('chat.update').filter((call) => call.args['ts'] === ts);
    expect(edits.map((call) => call.outcome)).toContain('rate-limited');
    const gaps = gapsOf(post, edits);
    expect(gaps.length).toBeGreaterThan(1);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(3000);
    // After the 429, nothing is sent before its Retry-After has passed.
    const limitedAt = edits.find((call) => call.outcome === 'rate-limited')!.at;
    const next = edits.find((call) => call.at > limitedAt);
    expect(next!.at - limitedAt).toBeGreaterThanOrEqual(5000);

    const card = slack.fake.messages.get(ts)!;
    expect(card.text).toContain(`Order ${uuid} finished`);
    expect(buttonsOf(card.blocks)).toEqual([]);
    const finals = edits.filter((call) => call.outcome === 'ok' && String(call.args['text']).includes(`Order ${uuid} finished`));
    expect(finals).toHaveLength(1);
    // Who asked is told privately, where the card is.
    const notes = slack.fake.callsOf('chat.postEphemeral').filter((call) => String(call.args['text']).includes(`Order ${uuid} finished`));
    expect(notes.map((call) => [call.args['channel'], call.args['user']])).toEqual([['C0OPS', 'U0ALICE']]);
  });

  it('offers the card’s buttons in Slack, and a click on them reaches the order', async () => {
    const uuid = await pausingOrder(slack.bot.sim);
    const { ts } = await watch(uuid);
    slack.bot.sim.tick(2);
    await round(3000);
    const card = slack.fake.messages.get(ts)!;
    expect(card.text).toContain('Paused');
    const buttons = buttonsOf(card.blocks);
    const resume = buttons.find((button) => decodeElementId(button.action_id)?.id === 'order:continue');
    expect(resume?.value).toBe(uuid);

    const { responseId } = await slack.click(SLACK_PEOPLE.bob, { actionId: resume!.action_id, value: resume!.value! }, { messageTs: ts });
    await waitFor(() => slack.fake.responsesTo(responseId).length > 0, 'the click answer');
    expect(slack.handled.at(-1)).toMatchObject({ kind: 'action', actionId: 'order:continue', value: uuid, actor: { userId: 'U0BOB' } });
    await round(3000);
    expect(slack.fake.messages.get(ts)!.text).toContain('Running batch 2 of 3');
  });

  /** A polling round of the runbook execution cards, `ms` later on the bot's clock and the simulator's. */
  async function executionRound(ms: number): Promise<void> {
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
    for (let i = 0; i < 3; i++) await executionRound(1000);
    expect(edits()).toHaveLength(0);
    await executionRound(8000);
    expect(edits()).toHaveLength(1);
    const paused = slack.fake.messages.get(ts)!;
    expect(paused.text).toContain(`Runbook execution ${execution}: paused`);
    const resume = buttonsOf(paused.blocks).find((button) => decodeElementId(button.action_id)?.id === 'runbook:op' && button.value?.includes('|resume|'));
    expect(resume).toBeDefined();

    const click = await slack.click(SLACK_PEOPLE.alice, { actionId: resume!.action_id, value: resume!.value! }, { messageTs: ts });
    await waitFor(() => slack.fake.responsesTo(click.responseId).length > 0, 'the click answer');
    expect(board.execution(execution)!.operations.map((operation) => operation.type)).toEqual(['RESUME']);
    await executionRound(3000);
    expect(slack.fake.messages.get(ts)!.text).toContain(`Runbook execution ${execution}: running`);

    for (let i = 0; i < 6; i++) await executionRound(5000);
    const last = slack.fake.messages.get(ts)!;
    expect(last.text).toContain(`Runbook execution ${execution}: finished`);
    expect(buttonsOf(last.blocks)).toEqual([]);
    expect(edits().filter((call) => String(call.args['text']).includes('finished'))).toHaveLength(1);
    // Tracking stopped: no more edits.
    const count = edits().length;
    await executionRound(5000);
    expect(edits()).toHaveLength(count);
  });
});
