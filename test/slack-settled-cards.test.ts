/**
 * Clicked cards are updated in place: a click that goes through on a button marked `settles`
 * takes the buttons off the card it was on and says who chose what — an ephemeral card (a run
 * preview) through the click's response_url (`replace_original`), a channel card with
 * `chat.update`. A refused click (a role that may not, four eyes) leaves the card and its
 * buttons as they were and answers privately; a live card's buttons stay. Over signed HTTP
 * against the real bot and simulator, the fake Slack keeping what each message shows.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeElementId } from '../src/adapters/slack/ids.js';
import { defineCommand } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandDefinition } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import { makeSlackTestBot, SLACK_PEOPLE, TEAM, waitFor, type SlackTestBot } from './helpers/slack-bot.js';
import type { SlackUser } from './helpers/slack-requests.js';

const APPROVALS = 'C0APPROVALS';

type Json = Record<string, unknown>;
interface Element {
  readonly type: string;
  readonly action_id: string;
  readonly value?: string;
  readonly text?: { text: string };
}
interface Block {
  readonly type: string;
  readonly block_id?: string;
  readonly elements?: (Element | { type: string; text?: string })[];
}

function actionsOf(blocks: unknown): Block[] {
  return ((blocks as Block[] | undefined) ?? []).filter((block) => block.type === 'actions');
}

/** The button of an action in a message's blocks, with the id of the block it sits in. */
function button(blocks: unknown, actionId: string): { element: Element; blockId: string | undefined } {
  for (const block of actionsOf(blocks)) {
    const element = (block.elements ?? []).find((one): one is Element => one.type === 'button' && decodeElementId((one as Element).action_id)?.id === actionId);
    if (element) return { element, blockId: block.block_id };
  }
  throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
}

const CARD: Message = {
  title: 'Deploy window',
  text: 'Open the deploy window for storefront?',
  buttons: [
    { actionId: 'test:decide', label: 'Open it', value: 'w1', style: 'primary', settles: true },
    { actionId: 'test:watch', label: 'Watch', value: 'w1' },
  ],
};

const decide: ActionDefinition = { id: 'test:decide', family: 'run', permission: 'operator', mutates: false, run: async () => ({ text: 'The deploy window is open.', private: true }) };
const watch: ActionDefinition = { id: 'test:watch', family: 'run', permission: 'viewer', mutates: false, run: async () => ({ text: 'Watching.', private: true }) };
const noop: CommandDefinition = defineCommand({
  words: ['testnoop'],
  discord: { name: 'testnoop' },
  summary: { 'en-US': '', 'zh-CN': '' },
  examples: [],
  positionals: {},
  flags: {},
  family: 'run',
  permission: 'viewer',
  mutates: false,
  run: async () => ({ text: 'ok' }),
});

let slack: SlackTestBot;

beforeAll(async () => {
  slack = await makeSlackTestBot({ config: { approvals: { channel: { slack: APPROVALS }, expiryMinutes: 30 } }, extra: { actions: [decide, watch], commands: [noop] } });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.fake.reset();
});

/** Clicks a button of a card as Slack sends it; resolves with what came back through the response_url. */
async function click(user: SlackUser, blocks: unknown, actionId: string, where: { channelId?: string; messageTs?: string; ephemeral?: boolean; message?: { text?: string; blocks?: readonly unknown[] } }): Promise<Json[]> {
  const { element, blockId } = button(blocks, actionId);
  const { response, responseId } = await slack.click(user, { actionId: element.action_id, value: element.value ?? '', label: element.text?.text ?? '', ...(blockId ? { blockId } : {}) }, where);
  expect(response.status).toBe(200);
  const answers = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), `the answer to ${actionId}`);
  return answers.map((answer) => answer.body);
}

async function postedCard(): Promise<{ ts: string; text: string; blocks: unknown[] }> {
  const posted = await slack.adapter.surface.post({ platform: 'slack', workspaceId: TEAM, channelId: 'C0OPS' }, CARD);
  const message = slack.fake.messages.get(posted.messageRef)!;
  return { ts: message.ts, text: message.text, blocks: [...message.blocks] };
}

describe('a decided card loses its buttons', () => {
  it('a channel card: edited with chat.update, its buttons gone and who chose what shown; the answer comes privately', async () => {
    const card = await postedCard();
    const [answer] = await click(SLACK_PEOPLE.alice, card.blocks, 'test:decide', { messageTs: card.ts, message: card });
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(answer)).toContain('The deploy window is open.');

    const [edit] = await waitFor(() => slack.fake.callsOf('chat.update').length > 0 && slack.fake.callsOf('chat.update'), 'the card edit');
    expect(edit!.args).toMatchObject({ channel: 'C0OPS', ts: card.ts });
    const shown = slack.fake.messages.get(card.ts)!;
    expect(actionsOf(shown.blocks)).toEqual([]);
    expect(JSON.stringify(shown.blocks)).toContain('Open the deploy window for storefront?');
    expect(JSON.stringify(shown.blocks.at(-1))).toMatch(/✓ <@U0ALICE> chose Open it · \d\d:\d\d UTC/);
  });

  it('a refused click leaves the card and its buttons as they were and answers privately', async () => {
    const card = await postedCard();
    // carol is a viewer: she may not use the action.
    const [refusal] = await click(SLACK_PEOPLE.carol, card.blocks, 'test:decide', { messageTs: card.ts, message: card });
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(slack.fake.callsOf('chat.update')).toEqual([]);
    expect(actionsOf(slack.fake.messages.get(card.ts)!.blocks)).toHaveLength(actionsOf(card.blocks).length);
  });

  it('a button that does not decide its card (a live card’s) leaves the buttons', async () => {
    const card = await postedCard();
    const [answer] = await click(SLACK_PEOPLE.carol, card.blocks, 'test:watch', { messageTs: card.ts, message: card });
    expect(JSON.stringify(answer)).toContain('Watching.');
    expect(slack.fake.callsOf('chat.update')).toEqual([]);
    expect(actionsOf(slack.fake.messages.get(card.ts)!.blocks).length).toBeGreaterThan(0);
  });

  it('a run preview (ephemeral): Request approval replaces it with who chose, the answer follows; the approval card is decided in place', async () => {
    const { responseId } = await slack.command(SLACK_PEOPLE.alice, 'run rotate_db_password --tag role=db --param db_user=app --param new_password=Preview_S3cret --batch-size 3');
    const [preview] = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), 'the preview');
    expect(preview!.body['response_type']).toBe('ephemeral');
    const previewBlocks = preview!.body['blocks'];
    const runButton = button(previewBlocks, 'run:go');
    expect(runButton.blockId).toMatch(/^coc-settles/);

    const since = slack.fake.calls.length;
    const { element, blockId } = runButton;
    const { responseId: clickId } = await slack.click(SLACK_PEOPLE.alice, { actionId: element.action_id, value: element.value ?? '', label: element.text?.text ?? '', ...(blockId ? { blockId } : {}) }, { ephemeral: true });
    // The ephemeral preview says who chose what, without buttons; the answer is for the channel to see, so it follows on its own.
    const [replaced, answer] = await waitFor(() => slack.fake.responsesTo(clickId).length >= 2 && slack.fake.responsesTo(clickId).map((one) => one.body), 'the click’s answers');
    expect(replaced).toMatchObject({ replace_original: true });
    expect(actionsOf(replaced!['blocks'])).toEqual([]);
    expect(JSON.stringify(replaced!['blocks'])).toMatch(/✓ <@U0ALICE> chose Request approval · \d\d:\d\d UTC/);
    expect(answer).toMatchObject({ replace_original: false });
    expect(JSON.stringify(answer)).toContain('Approval requested');

    const post = slack.fake.calls.slice(since).find((call) => call.method === 'chat.postMessage' && call.args['channel'] === APPROVALS);
    expect(post).toBeDefined();
    const approval = [...slack.fake.messages.values()].find((message) => message.channel === APPROVALS && message.text === post!.args['text'])!;
    const approvalCard = { text: approval.text, blocks: [...approval.blocks] };

    // Four eyes: the requester's Approve is refused privately; the card keeps its buttons.
    const [own] = await click(SLACK_PEOPLE.alice, approvalCard.blocks, 'approval:approve', { channelId: APPROVALS, messageTs: approval.ts, message: approvalCard });
    expect(own).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(actionsOf(slack.fake.messages.get(approval.ts)!.blocks).length).toBeGreaterThan(0);
    expect(slack.fake.callsOf('chat.update').filter((call) => call.args['ts'] === approval.ts)).toEqual([]);

    // bob approves: the card shows the decision, without buttons, and no older content overwrites it.
    await click(SLACK_PEOPLE.bob, approvalCard.blocks, 'approval:approve', { channelId: APPROVALS, messageTs: approval.ts, message: approvalCard });
    const decided = await waitFor(() => {
      const now = slack.fake.messages.get(approval.ts)!;
      return actionsOf(now.blocks).length === 0 && now;
    }, 'the decided approval card');
    expect(decided.text).not.toBe(approvalCard.text);
    expect(JSON.stringify(slack.fake.calls)).not.toContain('Preview_S3cret');
  });

  it('a preview’s Cancel replaces the preview with the answer, its buttons gone', async () => {
    const { responseId } = await slack.command(SLACK_PEOPLE.alice, 'run rotate_db_password --tag role=db --param db_user=app --param new_password=Cancel_S3cret --batch-size 3');
    const [preview] = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), 'the preview');
    const [replaced] = await click(SLACK_PEOPLE.alice, preview!.body['blocks'], 'run:cancel', { ephemeral: true });
    expect(replaced).toMatchObject({ replace_original: true });
    expect(actionsOf(replaced!['blocks'])).toEqual([]);
    expect(JSON.stringify(replaced!['blocks'])).toMatch(/✓ <@U0ALICE> chose Cancel/);
  });
});
