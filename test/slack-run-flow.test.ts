/**
 * The whole HIGH-risk flow in Slack, as Slack drives it: signed HTTP requests to the adapter,
 * the real bot and simulator, the fake Slack Web API recording every call.
 *
 *   `/coc run` opens the run form as a modal → the script and hosts are searched as you type
 *   (external selects) → a wrong value comes back under its field → the modal becomes the
 *   script's parameters, one field each (a value COC would refuse shown under its field) →
 *   the preview arrives privately, nothing sent to COC yet → "Request approval" posts the request in the approvals channel → a reject opens
 *   the reason modal (a blank reason refused under its field) → a second request is approved by
 *   someone else (the requester cannot) → the order starts, its live card is edited with
 *   chat.update never more than once per card per 3 s, the summary is written once and the
 *   requester told privately. The sensitive parameter never reaches Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeElementId } from '../src/adapters/slack/ids.js';
import type { RecordedCall } from './helpers/fake-slack.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';
import { FakeClock } from './tracker-helpers.js';
import { SAFETY_NET_MS } from './helpers/safety-net.js';

const APPROVALS = 'C0APPROVALS';
const SECRET = 'Slack_Rotated_S3cret';

type Json = Record<string, unknown>;
interface Element {
  readonly type: string;
  readonly action_id: string;
  readonly value?: string;
}
interface Block {
  readonly type: string;
  readonly block_id?: string;
  readonly element?: Element;
  readonly elements?: Element[];
}
type View = Json & { blocks: Block[] };

function elementsOf(blocks: unknown): Element[] {
  return ((blocks as Block[] | undefined) ?? []).flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []));
}

/** The button of an action in a message's blocks. */
function button(blocks: unknown, actionId: string): Element {
  const found = elementsOf(blocks).find((element) => element.type === 'button' && decodeElementId(element.action_id)?.id === actionId);
  if (!found) throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
  return found;
}

function inputOf(view: View, field: string): Element {
  const element = view.blocks.find((block) => block.block_id === `f|${field}`)?.element;
  if (!element) throw new Error(`no input ${field}`);
  return element;
}

let slack: SlackTestBot;
// Approvals are created with the database's own time: the bot's clock starts now.
const clock = new FakeClock();
clock.ms = Date.now();

beforeAll(async () => {
  slack = await makeSlackTestBot({ now: clock.now, fakeClock: () => clock.ms, timings: { placeholderAfterMs: SAFETY_NET_MS }, config: { approvals: { channel: { slack: APPROVALS }, expiryMinutes: 30 } } });
});
afterAll(async () => {
  await slack.close();
});

async function round(advanceMs = 3000): Promise<void> {
  clock.advance(advanceMs);
  await slack.bot.core.tracker.tick();
}

/** Calls made after `since` calls were recorded. */
function newCalls(since: number, method: string): RecordedCall[] {
  return slack.fake.calls.slice(since).filter((call) => call.method === method);
}

/** Clicks a button as Slack sends it; resolves with what came back through the response_url. */
async function click(user: (typeof SLACK_PEOPLE)[keyof typeof SLACK_PEOPLE], element: Element, where: { channelId?: string; messageTs?: string } = {}): Promise<Json[]> {
  const { response, responseId } = await slack.click(user, { actionId: element.action_id, value: element.value ?? '' }, where);
  expect(response.status).toBe(200);
  const answers = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), `the answer to ${element.action_id}`);
  return answers.map((answer) => answer.body);
}

/** The approval request posted in the approvals channel after `since`. */
function approvalCard(since: number): { ts: string; blocks: unknown } {
  const post = newCalls(since, 'chat.postMessage').find((call) => call.args['channel'] === APPROVALS);
  if (!post) throw new Error('no approval request was posted');
  const message = [...slack.fake.messages.values()].find((m) => m.channel === APPROVALS && m.text === post.args['text'])!;
  return { ts: message.ts, blocks: message.blocks };
}

describe('run → approve → live card → summary in Slack', () => {
  let preview: { blocks: unknown };

  it('opens the run form, searches scripts and hosts as you type, refuses a wrong value under its field, and previews privately', async () => {
    await slack.command(SLACK_PEOPLE.alice, 'run', { triggerId: 'trigger.run-form' });
    const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'the run form');
    expect(open!.args['trigger_id']).toBe('trigger.run-form');
    const view = open!.args['view'] as View;
    expect(view['callback_id']).toBe('run:form');

    const scripts = await slack.suggest(SLACK_PEOPLE.alice, inputOf(view, 'script').action_id, 'rot', { view });
    expect((scripts.json as { options: { value: string }[] }).options[0]?.value).toBe('rotate_db_password');
    const hostSearch = await slack.suggest(SLACK_PEOPLE.alice, inputOf(view, 'hosts').action_id, 'db-', { view });
    const hosts = (hostSearch.json as { options: { value: string }[] }).options.map((option) => option.value).slice(0, 4);
    expect(hosts.length).toBe(4);
    expect(slack.suggested.map((s) => s.sourceId)).toEqual(['scripts', 'hosts']);

    const state = (batch: string) => ({
      'f|script': { [inputOf(view, 'script').action_id]: { type: 'external_select', selected_option: { value: 'rotate_db_password' } } },
      'f|hosts': { [inputOf(view, 'hosts').action_id]: { type: 'multi_external_select', selected_options: hosts.map((value) => ({ value })) } },
      'f|batch-size': { [inputOf(view, 'batch-size').action_id]: { type: 'plain_text_input', value: batch } },
    });
    const refused = await slack.submit(SLACK_PEOPLE.alice, view, state('99'));
    expect(refused.json).toEqual({ response_action: 'errors', errors: { 'f|batch-size': 'a whole number from 1 to 10' } });

    // The script takes parameters: the modal becomes a second one asking them, one field each.
    const next = await slack.submit(SLACK_PEOPLE.alice, view, state('3'));
    expect(next.status).toBe(200);
    const step = next.json as { response_action: string; view: View };
    expect(step.response_action).toBe('update');
    const params = step.view;
    expect(params['callback_id']).toBe('run:params');
    const user = params.blocks.find((block) => block.block_id === 'f|param%3Adb_user') as Block & { label: { text: string }; hint?: { text: string }; optional: boolean };
    expect(user).toMatchObject({ label: { text: 'db_user' }, hint: { text: 'Database account to rotate' }, optional: true });
    expect(user.element).toMatchObject({ type: 'plain_text_input', initial_value: 'app' });
    const password = params.blocks.find((block) => block.block_id === 'f|param%3Anew_password') as Block & { hint?: { text: string }; optional: boolean };
    expect(password.optional).toBe(false);
    expect(password.element).not.toHaveProperty('initial_value');
    expect(password.hint?.text).toMatch(/Sensitive/);
    expect(JSON.stringify(params)).not.toContain('ChangeMe_2024');
    expect(slack.fake.callsOf('views.open')).toHaveLength(1);

    const paramState = (dbUser: string) => ({
      'f|param%3Adb_user': { [inputOf(params, 'param%3Adb_user').action_id]: { type: 'plain_text_input', value: dbUser } },
      'f|param%3Anew_password': { [inputOf(params, 'param%3Anew_password').action_id]: { type: 'plain_text_input', value: SECRET } },
    });
    // A value COC would refuse comes back under its own field, without the value.
    const badValue = await slack.submit(SLACK_PEOPLE.alice, params, paramState('app;reboot'));
    expect(badValue.json).toEqual({ response_action: 'errors', errors: { 'f|param%3Adb_user': expect.stringMatching(/"db_user" may contain only letters/) } });
    expect(JSON.stringify(badValue.json)).not.toContain(SECRET);
    expect(slack.bot.sim.countRequests('POST /v1/job/scripts/{script_uuid}')).toBe(0);

    const since = slack.fake.calls.length;
    const accepted = await slack.submit(SLACK_PEOPLE.alice, params, paramState('app'));
    expect(accepted.status).toBe(200);
    const [note] = await waitFor(() => newCalls(since, 'chat.postEphemeral').length > 0 && newCalls(since, 'chat.postEphemeral'), 'the preview');
    expect(note!.args).toMatchObject({ channel: 'C0OPS', user: 'U0ALICE' });
    expect(String(note!.args['text'])).toContain('Run rotate_db_password on 4 hosts?');
    // Nothing is sent to COC before the preview's Run.
    expect(slack.bot.sim.countRequests('POST /v1/job/scripts/{script_uuid}')).toBe(0);
    preview = { blocks: note!.args['blocks'] };
  });

  it('posts the request for approval; a reject opens the reason modal, a blank reason is refused under its field', async () => {
    const since = slack.fake.calls.length;
    const [requested] = await click(SLACK_PEOPLE.alice, button(preview.blocks, 'run:go'));
    expect(JSON.stringify(requested)).toContain('Approval requested');
    const card = approvalCard(since);
    expect(JSON.stringify(card.blocks)).toContain('rotate_db_password');

    const reject = button(card.blocks, 'approval:reject');
    const { response } = await slack.click(SLACK_PEOPLE.bob, { actionId: reject.action_id, value: reject.value! }, { channelId: APPROVALS, messageTs: card.ts, triggerId: 'trigger.reject' });
    expect(response.status).toBe(200);
    const [open] = await waitFor(() => newCalls(since, 'views.open').length > 0 && newCalls(since, 'views.open'), 'the reason form');
    expect(open!.args['trigger_id']).toBe('trigger.reject');
    const view = open!.args['view'] as View;
    const reason = inputOf(view, 'reason');
    const blank = await slack.submit(SLACK_PEOPLE.bob, view, { 'f|reason': { [reason.action_id]: { type: 'plain_text_input', value: '   ' } } });
    expect(blank.json).toMatchObject({ response_action: 'errors', errors: { 'f|reason': expect.any(String) } });
    const rejected = await slack.submit(SLACK_PEOPLE.bob, view, { 'f|reason': { [reason.action_id]: { type: 'plain_text_input', value: 'Not during business hours' } } });
    expect(rejected.status).toBe(200);
    await waitFor(() => slack.fake.messages.get(card.ts)!.text.includes('Not during business hours'), 'the rejected card');
    expect(elementsOf(slack.fake.messages.get(card.ts)!.blocks)).toEqual([]);
  });

  it('runs a request approved by someone else: the live card is edited at most once per 3 s, the summary once, the requester told', async () => {
    const { responseId } = await slack.command(SLACK_PEOPLE.alice, `run rotate_db_password --tag role=db --param db_user=app --param new_password=${SECRET} --batch-size 3`);
    const [answer] = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), 'the preview');
    expect(answer!.body['response_type']).toBe('ephemeral');
    const since = slack.fake.calls.length;
    await click(SLACK_PEOPLE.alice, button(answer!.body['blocks'], 'run:go'));
    const card = approvalCard(since);
    const approve = button(card.blocks, 'approval:approve');

    // Four eyes: the requester is refused, privately.
    const [own] = await click(SLACK_PEOPLE.alice, approve, { channelId: APPROVALS, messageTs: card.ts });
    expect(own!['response_type']).toBe('ephemeral');

    const beforeApproval = slack.fake.calls.length;
    const [approved] = await click(SLACK_PEOPLE.bob, approve, { channelId: APPROVALS, messageTs: card.ts });
    const uuid = /order (SCT\w+)/i.exec(JSON.stringify(approved))?.[1];
    expect(uuid).toBeDefined();
    const livePost = await waitFor(
      () => newCalls(beforeApproval, 'chat.postMessage').find((call) => call.args['channel'] === 'C0OPS' && String(call.args['text']).includes(`Order ${uuid}`)),
      'the live card',
    );
    const live = [...slack.fake.messages.values()].find((m) => m.channel === 'C0OPS' && m.text === livePost.args['text'])!;

    for (let i = 0; i < 20; i++) {
      slack.bot.sim.tick(1);
      await round(3000);
    }
    for (let i = 0; i < 4; i++) await round(3000);

    const edits = slack.fake.callsOf('chat.update').filter((call) => call.args['ts'] === live.ts && call.outcome === 'ok');
    expect(edits.length).toBeGreaterThan(1);
    const times = [livePost.at, ...edits.map((call) => call.at)];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(3000);
    // Every card (the approval request and the live card) was edited at most once per 3 s.
    for (const ts of new Set(slack.fake.callsOf('chat.update').map((call) => String(call.args['ts'])))) {
      const at = slack.fake.callsOf('chat.update').filter((call) => call.args['ts'] === ts && call.outcome === 'ok').map((call) => call.at);
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!, `card ${ts}`).toBeGreaterThanOrEqual(3000);
    }

    // db-04 fails: the order stops with failures, and that summary is written once, without buttons.
    const final = slack.fake.messages.get(live.ts)!;
    expect(final.text).toMatch(new RegExp(`Order ${uuid} (finished|stopped with failures)`));
    expect(elementsOf(final.blocks)).toEqual([]);
    expect(edits.filter((call) => String(call.args['text']) === final.text)).toHaveLength(1);
    // The request card says it ran; the requester was told privately.
    await waitFor(() => slack.fake.messages.get(card.ts)!.text.includes(uuid!) && slack.fake.messages.get(card.ts), 'the request card updated');
    const told = [...slack.fake.callsOf('chat.postEphemeral'), ...slack.fake.callsOf('chat.postMessage').filter((call) => String(call.args['channel']).startsWith('D'))].filter(
      (call) => String(call.args['text']).includes(uuid!) && (call.args['user'] === 'U0ALICE' || call.args['channel'] === 'DU0ALICE'),
    );
    expect(told.length).toBeGreaterThanOrEqual(1);
  });

  it('never sent the sensitive parameter to Slack', () => {
    expect(JSON.stringify(slack.fake.calls)).not.toContain(SECRET);
    expect(JSON.stringify(slack.fake.responses)).not.toContain(SECRET);
  });
});
