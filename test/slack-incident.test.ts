/**
 * Creating an incident from Slack, end to end over signed HTTP against the simulator and the
 * fake Slack: `/coc incident create` opens the real form as a modal, a refused value comes back
 * under its field, and a good submission creates the incident in COC and opens its place in
 * Slack (a thread where it was created, or a new channel with its people invited).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';
import { SAFETY_NET_MS } from './helpers/safety-net.js';

/** Forms open from the answer itself, however slow the machine (no placeholder, no closed modal). */
const QUICK_FORMS = { submissionAnswerMs: SAFETY_NET_MS, placeholderAfterMs: SAFETY_NET_MS };

type Json = Record<string, unknown>;
interface InputBlock {
  readonly type: string;
  readonly block_id?: string;
  readonly optional?: boolean;
  readonly element?: { readonly type: string; readonly action_id: string; readonly options?: readonly { value: string }[] };
}

/** A filled-in state for the modal: the first choice of each menu, text where text is asked. */
function fill(view: { blocks: InputBlock[] }, text: Record<string, string>): Record<string, Record<string, Json>> {
  const state: Record<string, Record<string, Json>> = {};
  for (const block of view.blocks) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const field = decodeURIComponent(block.block_id.slice(2));
    const { element } = block;
    if (element.type === 'static_select') state[block.block_id] = { [element.action_id]: { type: element.type, selected_option: { value: element.options?.[0]?.value } } };
    else if (element.type === 'plain_text_input') state[block.block_id] = { [element.action_id]: { type: element.type, value: text[field] ?? (block.optional ? null : 'x') } };
  }
  return state;
}

describe('incidents from Slack', () => {
  let slack: SlackTestBot;
  beforeAll(async () => {
    // The answer is awaited longer than Slack allows so the mapping of a refusal is what is tested here, on a busy machine too.
    slack = await makeSlackTestBot({ timings: QUICK_FORMS });
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.fake.reset();
  });

  async function openForm(): Promise<{ blocks: InputBlock[] } & Json> {
    await slack.command(SLACK_PEOPLE.alice, 'incident create');
    const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'the incident form');
    return open!.args['view'] as { blocks: InputBlock[] } & Json;
  }

  it('opens the form, shows a refused value under its field, and opens a thread for a created incident', async () => {
    const view = await openForm();
    expect(view['callback_id']).toBe('incident:create');
    const ids = view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id);
    expect(ids).toEqual(expect.arrayContaining(['f|title', 'f|description', 'f|level', 'f|type', 'f|application', 'f|interrupted']));

    const refused = await slack.submit(SLACK_PEOPLE.alice, view, fill(view, { title: 'Checkout errors', description: '5xx on /pay', application: 'no-such-application', region: 'not a region!' }));
    expect(refused.json).toMatchObject({ response_action: 'errors' });
    expect(Object.keys((refused.json as { errors: Json }).errors).length).toBeGreaterThan(0);
    expect(slack.fake.callsOf('chat.postMessage')).toEqual([]);

    const created = await slack.submit(SLACK_PEOPLE.alice, view, fill(view, { title: 'Checkout errors', description: '5xx on /pay since 09:40' }));
    expect(created.status).toBe(200);
    expect(created.body).toBe('');
    // The thread's first message, the incident card in it, then the answer in the channel.
    const posts = await waitFor(() => slack.fake.callsOf('chat.postMessage').length >= 3 && slack.fake.callsOf('chat.postMessage'), 'the incident posts');
    const [header, card, answer] = posts;
    expect(header!.args).toMatchObject({ channel: 'C0OPS' });
    expect(String(header!.args['text'])).toMatch(/Incident .+: Checkout errors/);
    expect(String(header!.args['text'])).toContain('<@U0ALICE>');
    const threadTs = [...slack.fake.messages.values()].find((message) => message.text === header!.args['text'])?.ts;
    expect(card!.args).toMatchObject({ channel: 'C0OPS', thread_ts: threadTs });
    expect(answer!.args).toMatchObject({ channel: 'C0OPS' });
    expect(String(answer!.args['text'])).toContain('Checkout errors');
  });
});

describe('incidents from Slack in their own channel', () => {
  let slack: SlackTestBot;
  beforeAll(async () => {
    slack = await makeSlackTestBot({ timings: QUICK_FORMS, incidentPlace: { mode: 'channel' } });
  });
  afterAll(async () => {
    await slack.close();
  });

  it('creates a channel for the incident and invites who created it', async () => {
    await slack.command(SLACK_PEOPLE.bob, 'incident create --title "Disk full on db-01" --description "/var at 100%" --level p2 --type function --application storefront --interrupted no');
    const [create] = await waitFor(() => slack.fake.callsOf('conversations.create').length > 0 && slack.fake.callsOf('conversations.create'), 'the channel');
    expect(String(create!.args['name'])).toMatch(/^inc.*disk-full-on-db-01$/);
    const [invite] = await waitFor(() => slack.fake.callsOf('conversations.invite').length > 0 && slack.fake.callsOf('conversations.invite'), 'the invitation');
    expect(invite!.args['users']).toBe('U0BOB');
    await waitFor(() => slack.fake.callsOf('chat.postMessage').some((call) => String(call.args['channel']).startsWith('C0000')), 'the card in the new channel');
  });
});
