/**
 * Posts the bot makes on its own are never silent in Slack, driven as Slack drives the bot
 * (signed HTTP) against the fake Web API, which refuses chat.postMessage as Slack does:
 * `channel_not_found` in a private channel the bot was not invited to, `not_in_channel` where
 * it is not a member, 429 with Retry-After when it asks to slow down.
 *
 *  - A HIGH run requested where the bot is not: the request goes to the approvers by direct
 *    message and the requester is told so; when no direct message arrives either, or the
 *    fallback is off, the requester is told it reached nobody and the request is void.
 *  - A LOW run whose live card cannot be posted: the requester is told once, the card is not
 *    tried again, the order completes in the simulator and `order <uuid>` shows it.
 *  - A 429 is waited out and retried; nobody is told.
 *  - coc_chatops_undelivered_posts_total counts each undelivered post on /metrics.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeElementId } from '../src/adapters/slack/ids.js';
import { Readiness } from '../src/ops/readiness.js';
import { startOpsServer, type OpsServer } from '../src/ops/server.js';
import { getApproval } from '../src/store/approvals.js';
import type { RecordedCall } from './helpers/fake-slack.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';
import { FakeClock } from './tracker-helpers.js';

const HIGH_LINE = 'run rotate_db_password --tag role=db --param db_user=app --param new_password=Undelivered_S3cret --batch-size 3';
const LOW_LINE = 'run disk_usage --hosts web-01';
/** A private channel the bot was not invited to (chat.postMessage: channel_not_found). */
const PRIVATE = 'C0PRIVATE';
/** A channel the bot is not a member of (chat.postMessage: not_in_channel). */
const CLOSED = 'C0CLOSED';

type Json = Record<string, unknown>;
interface Element {
  readonly type: string;
  readonly action_id: string;
  readonly value?: string;
}

function button(blocks: unknown, actionId: string): Element {
  const elements = ((blocks as { type: string; elements?: Element[] }[] | undefined) ?? []).flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []));
  const found = elements.find((element) => element.type === 'button' && decodeElementId(element.action_id)?.id === actionId);
  if (!found) throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
  return found;
}

function textOf(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * The first answer through a response_url that says what the test waits for: a slow answer may
 * be preceded by the adapter's "Working on …" notice.
 */
function answerTo(slack: SlackTestBot, responseId: string, says: RegExp, what: string): Promise<Json> {
  return waitFor(() => slack.fake.responsesTo(responseId).find((response) => says.test(textOf(response.body)))?.body, what);
}

/** `/coc <line>` in a channel, then its preview's Run / Request approval; resolves with the answer to the click. */
async function runThroughPreview(slack: SlackTestBot, line: string, channelId: string): Promise<Json> {
  const { responseId } = await slack.command(SLACK_PEOPLE.alice, line, { channelId });
  const preview = await answerTo(slack, responseId, /Run /, `the preview of ${line}`);
  const go = button(preview['blocks'], 'run:go');
  const clicked = await slack.click(SLACK_PEOPLE.alice, { actionId: go.action_id, value: go.value ?? '' }, { channelId });
  expect(clicked.response.status).toBe(200);
  return answerTo(slack, clicked.responseId, /Approval request|SCT\w+/, 'the answer to the click');
}

function callsSince(slack: SlackTestBot, since: number, method: string): RecordedCall[] {
  return slack.fake.calls.slice(since).filter((call) => call.method === method);
}

function approvalIdOf(answer: Json): string {
  const id = /approval ([0-9a-f-]{36})/.exec(textOf(answer))?.[1];
  if (!id) throw new Error(`no approval id in ${textOf(answer)}`);
  return id;
}

async function metricsOf(slack: SlackTestBot): Promise<ReturnType<typeof parsePrometheusText>> {
  return parsePrometheusText((await slack.bot.services.metrics.exposition()).body);
}

describe('undelivered posts in Slack, with the direct-message fallback on (the default)', () => {
  let slack: SlackTestBot;
  let ops: OpsServer;
  // Approvals are created with the database's own time: the bot's clock starts now.
  const clock = new FakeClock();
  clock.ms = Date.now();

  beforeAll(async () => {
    slack = await makeSlackTestBot({ now: clock.now, fakeClock: () => clock.ms });
    slack.fake.hiddenChannels.add(PRIVATE);
    slack.fake.closedChannels.add(CLOSED);
    ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: slack.bot.services.metrics, readiness: new Readiness() });
  });
  afterAll(async () => {
    await ops?.close();
    await slack?.close();
  });

  async function round(advanceMs: number): Promise<void> {
    clock.advance(advanceMs);
    await slack.bot.core.tracker.tick();
  }

  it('sends a request the channel refused to the approvers by direct message, and tells the requester where it went', async () => {
    const since = slack.fake.calls.length;
    const answer = await runThroughPreview(slack, HIGH_LINE, PRIVATE);
    const said = textOf(answer);
    expect(said).toContain('Approval requested by direct message');
    expect(said).toContain(`could not be posted in #${PRIVATE}`);
    expect(said).toContain('invite it with /invite @coc');
    expect(said).toContain('sent to 2 approvers by direct message');
    expect(said).not.toContain('you will be told the outcome here');

    // Slack refused the channel once (no second try), then the approvers (bob, dave — never the requester) got it directly.
    const refused = callsSince(slack, since, 'chat.postMessage').filter((call) => call.args['channel'] === PRIVATE);
    expect(refused.map((call) => call.outcome)).toEqual(['error']);
    expect(callsSince(slack, since, 'conversations.open').map((call) => call.args['users']).sort()).toEqual(['U0BOB', 'U0DAVE']);
    const direct = callsSince(slack, since, 'chat.postMessage').filter((call) => String(call.args['channel']).startsWith('D'));
    expect(direct.map((call) => call.args['channel']).sort()).toEqual(['DU0BOB', 'DU0DAVE']);
    const id = approvalIdOf(answer);
    for (const call of direct) {
      expect(call.outcome).toBe('ok');
      const text = textOf(call.args);
      expect(text).toContain('rotate_db_password');
      expect(text).toContain(`could not be posted in #${PRIVATE}`);
      // Changes are refused from DMs by default: the approver is told where to decide instead of given buttons that would be refused.
      expect(text).toContain(`approval show ${id}`);
      expect(text).not.toContain('Undelivered_S3cret');
    }
    expect((await getApproval(slack.bot.store.db, id))?.state).toBe('requested');
  });

  it('lets an approver decide a request that reached them by direct message, from a channel the bot is in', async () => {
    const { rows } = await slack.bot.store.db.query<{ id: string }>(`SELECT id FROM approvals WHERE state = 'requested' ORDER BY created_at DESC LIMIT 1`);
    const id = rows[0]!.id;
    const { responseId } = await slack.command(SLACK_PEOPLE.bob, `approval show ${id}`, { channelId: 'C0OPS' });
    const shown = await answerTo(slack, responseId, /rotate_db_password/, 'the request card');
    const approve = button(shown['blocks'], 'approval:approve');
    const clicked = await slack.click(SLACK_PEOPLE.bob, { actionId: approve.action_id, value: approve.value ?? '' }, { channelId: 'C0OPS' });
    const approved = await answerTo(slack, clicked.responseId, /Approved/, 'the approval');
    expect(textOf(approved)).toMatch(/Approved: order SCT\w+ started/);
    expect(textOf(approved)).toContain(`its live card could not be posted in #${PRIVATE} (the requester was told why)`);
    expect((await getApproval(slack.bot.store.db, id))?.state).toBe('executed');
    // Its live card goes where the run was requested, which refuses it: the requester is told once, privately.
    const uuid = /order (SCT\w+)/.exec(textOf(approved))![1]!;
    await round(3000);
    await round(3000);
    const told = slack.fake.calls.filter(
      (call) => call.outcome === 'ok' && (call.method === 'chat.postEphemeral' || call.args['channel'] === 'DU0ALICE') && textOf(call.args).includes(`live card of order ${uuid} could not be posted`),
    );
    expect(told).toHaveLength(1);
    expect(textOf(told[0]!.args)).toContain(`#${PRIVATE} does not exist or is a private channel the bot was not invited to`);
  });

  it('voids a request that reached nobody (every direct message refused) and says so instead of claiming it waits', async () => {
    slack.fake.closedChannels.add('DU0BOB');
    slack.fake.closedChannels.add('DU0DAVE');
    try {
      const answer = await runThroughPreview(slack, HIGH_LINE, PRIVATE);
      const said = textOf(answer);
      expect(said).toContain('Approval request not sent: it reached no approver');
      expect(said).toContain('Sending it by direct message failed too (2 approvers tried)');
      expect(said).toContain('the request is void');
      expect(said).not.toContain('waits for an approver');
      const { rows } = await slack.bot.store.db.query<{ id: string; state: string; decision_note: string }>(`SELECT id, state, decision_note FROM approvals WHERE id = $1`, [
        approvalIdOf(answer),
      ]);
      expect(rows[0]).toMatchObject({ state: 'void', decision_note: 'the request reached no approver' });
      const plan = await slack.bot.store.db.query<{ state: string }>(`SELECT state FROM run_plans WHERE approval_id = $1`, [rows[0]!.id]);
      expect(plan.rows[0]?.state).toBe('canceled');
      const audit = await slack.bot.store.db.query<{ command: string; outcome: string }>(`SELECT command, outcome FROM audit_events WHERE target = $1 AND platform = 'system'`, [rows[0]!.id]);
      expect(audit.rows).toEqual([{ command: 'approval void', outcome: 'succeeded' }]);
    } finally {
      slack.fake.closedChannels.delete('DU0BOB');
      slack.fake.closedChannels.delete('DU0DAVE');
    }
  });

  it('tells the requester once when a live card cannot be posted, never retries it, and the order still completes', async () => {
    const since = slack.fake.calls.length;
    const answer = await runThroughPreview(slack, LOW_LINE, CLOSED);
    const uuid = /(SCT\w+)/.exec(textOf(answer))?.[1];
    expect(uuid).toBeDefined();
    // The reply does not promise a card that will never come.
    expect(textOf(answer)).toContain('its live card could not be posted here (you were sent why)');
    expect(textOf(answer)).not.toContain('its live card follows here');

    for (let i = 0; i < 30 && slack.bot.sim.world.orders.get(uuid!)?.status !== 'FINISHED'; i++) {
      slack.bot.sim.tick(1);
      await round(3000);
    }
    for (let i = 0; i < 5; i++) await round(3000);
    expect(slack.bot.sim.world.orders.get(uuid!)?.status).toBe('FINISHED');

    const cardPosts = callsSince(slack, since, 'chat.postMessage').filter((call) => call.args['channel'] === CLOSED);
    expect(cardPosts.map((call) => [call.outcome, String(call.args['text']).includes(uuid!)])).toEqual([['error', true]]);
    // Told privately: an ephemeral note in that channel is refused too, so by direct message — once.
    const told = callsSince(slack, since, 'chat.postMessage').filter((call) => call.args['channel'] === 'DU0ALICE' && textOf(call.args).includes(`live card of order ${uuid} could not be posted`));
    expect(told).toHaveLength(1);
    expect(textOf(told[0]!.args)).toContain(`the bot is not in #${CLOSED}: invite it with /invite @coc`);
    expect(told[0]!.outcome).toBe('ok');

    const { responseId } = await slack.command(SLACK_PEOPLE.alice, `order ${uuid}`, { channelId: 'C0OPS' });
    const shown = await answerTo(slack, responseId, /Finished|FINISHED/, 'order <uuid>');
    expect(textOf(shown)).toContain(uuid!);
  });

  it('answers `order watch` in a channel the bot is not in with where and why, instead of a card that never comes', async () => {
    const uuid = /(SCT\w+)/.exec(textOf(await runThroughPreview(slack, LOW_LINE, 'C0OPS')))?.[1]!;
    const since = slack.fake.calls.length;
    const { responseId } = await slack.command(SLACK_PEOPLE.alice, `order watch ${uuid}`, { channelId: CLOSED });
    const said = textOf(await answerTo(slack, responseId, /live card/, 'the answer to order watch'));
    expect(said).toContain(`The live card of order ${uuid} could not be posted here`);
    expect(said).toContain(`the bot is not in #${CLOSED}: invite it with /invite @coc`);
    expect(said).not.toContain('appears in this channel');
    // Said in the answer, so no separate note; the one refused post is not tried again.
    expect(callsSince(slack, since, 'chat.postMessage').map((call) => call.args['channel'])).toEqual([CLOSED]);
    await round(3000);
    await round(3000);
    expect(callsSince(slack, since, 'chat.postMessage').map((call) => call.args['channel'])).toEqual([CLOSED]);

    // Once the bot is invited, asking again posts the card.
    slack.fake.closedChannels.delete(CLOSED);
    try {
      const again = await slack.command(SLACK_PEOPLE.alice, `order watch ${uuid}`, { channelId: CLOSED });
      expect(textOf(await answerTo(slack, again.responseId, /Watching order|already ended/, 'the second order watch'))).toContain(uuid);
      const posted = callsSince(slack, since, 'chat.postMessage').filter((call) => call.args['channel'] === CLOSED);
      expect(posted.map((call) => call.outcome)).toEqual(['error', 'ok']);
    } finally {
      slack.fake.closedChannels.add(CLOSED);
    }
  });

  it('waits out a 429 and posts the card then; nobody is told and nothing is counted', async () => {
    const before = sampleValue(await metricsOf(slack), 'coc_chatops_undelivered_posts_total', { platform: 'slack', reason: 'rate-limited' }) ?? 0;
    const since = slack.fake.calls.length;
    slack.fake.faults.set('chat.postMessage', { kind: 'rate-limit', retryAfterSeconds: 5, times: 1 });
    const answer = await runThroughPreview(slack, LOW_LINE, 'C0OPS');
    const uuid = /(SCT\w+)/.exec(textOf(answer))?.[1]!;
    const posts = () => callsSince(slack, since, 'chat.postMessage').filter((call) => call.args['channel'] === 'C0OPS' && String(call.args['text']).includes(uuid));
    expect(posts().map((call) => call.outcome)).toEqual(['rate-limited']);
    await round(2000);
    expect(posts()).toHaveLength(1);
    await round(4000);
    expect(posts().map((call) => call.outcome)).toEqual(['rate-limited', 'ok']);
    expect(callsSince(slack, since, 'chat.postMessage').filter((call) => String(call.args['channel']).startsWith('D'))).toEqual([]);
    expect(callsSince(slack, since, 'chat.postEphemeral')).toEqual([]);
    expect(sampleValue(await metricsOf(slack), 'coc_chatops_undelivered_posts_total', { platform: 'slack', reason: 'rate-limited' }) ?? 0).toBe(before);
  });

  it('waits out a 429 on an approval request and posts it in its channel', async () => {
    const since = slack.fake.calls.length;
    slack.fake.faults.set('chat.postMessage', { kind: 'rate-limit', retryAfterSeconds: 1, times: 1 });
    const answer = await runThroughPreview(slack, HIGH_LINE, 'C0OPS');
    expect(textOf(answer)).toContain('Approval requested');
    expect(textOf(answer)).not.toContain('direct message');
    const posts = callsSince(slack, since, 'chat.postMessage');
    expect(posts.map((call) => [call.args['channel'], call.outcome])).toEqual([
      ['C0OPS', 'rate-limited'],
      ['C0OPS', 'ok'],
    ]);
    expect((await getApproval(slack.bot.store.db, approvalIdOf(answer)))?.messageRef).toEqual(expect.any(String));
  });

  it('counts each undelivered post on /metrics, by platform and reason', async () => {
    const response = await request(`${ops.url}/metrics`);
    expect(response.statusCode).toBe(200);
    const families = parsePrometheusText(await response.body.text());
    // channel-not-found: both requests in the private channel, and the live card of the approved one (it goes where it was requested).
    expect(sampleValue(families, 'coc_chatops_undelivered_posts_total', { platform: 'slack', reason: 'channel-not-found' })).toBe(3);
    // not-in-channel: the two refused direct messages, the LOW run's live card, the card `order watch` asked for.
    expect(sampleValue(families, 'coc_chatops_undelivered_posts_total', { platform: 'slack', reason: 'not-in-channel' })).toBe(4);
    expect(sampleValue(families, 'coc_chatops_undelivered_posts_total', { platform: 'slack', reason: 'rate-limited' }) ?? 0).toBe(0);
  });
});

describe('undelivered approval requests in Slack, with the direct-message fallback off', () => {
  let slack: SlackTestBot;
  const clock = new FakeClock();
  clock.ms = Date.now();

  beforeAll(async () => {
    slack = await makeSlackTestBot({ now: clock.now, fakeClock: () => clock.ms, config: { approvals: { directMessageFallback: false } } });
    slack.fake.closedChannels.add(CLOSED);
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('tells the requester the request reached nobody and voids it; no approver is messaged', async () => {
    const since = slack.fake.calls.length;
    const answer = await runThroughPreview(slack, HIGH_LINE, CLOSED);
    const said = textOf(answer);
    expect(said).toContain('Approval request not sent: it reached no approver');
    expect(said).toContain(`the bot is not in #${CLOSED}: invite it with /invite @coc`);
    expect(said).toContain('approvals.directMessageFallback');
    expect(callsSince(slack, since, 'conversations.open')).toEqual([]);
    const { rows } = await slack.bot.store.db.query<{ state: string }>(`SELECT state FROM approvals`);
    expect(rows).toEqual([{ state: 'void' }]);
    const families = await metricsOf(slack);
    expect(sampleValue(families, 'coc_chatops_undelivered_posts_total', { platform: 'slack', reason: 'not-in-channel' })).toBe(1);
  });
});
