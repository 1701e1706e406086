/**
 * A Slack command or click whose claim is slow enough for its placeholder view to open, and is
 * then refused (a repeat) or fails (the store did not answer): the placeholder must not stay on
 * "one moment" forever; nor may a submitted modal left on "working". Signed HTTP into the real
 * adapter, a fake Slack, claims the test releases.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HeldClaims } from './helpers/held-claims.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';

let slack: SlackTestBot;
const claims = new HeldClaims();

beforeAll(async () => {
  slack = await makeSlackTestBot({ claims, timings: { placeholderAfterMs: 0 } });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.fake.reset();
});

type View = { callback_id?: string; blocks?: unknown[] } & Record<string, unknown>;

/** Sends `/coc incident solve` (it may answer with a form) and waits for its placeholder while the claim is held. */
async function commandWithPlaceholder(triggerId: string) {
  const handledBefore = slack.handled.length;
  const sent = slack.command(SLACK_PEOPLE.alice, 'incident solve IM000001', { triggerId });
  const claim = await claims.next();
  const { response } = await sent;
  expect(response.status).toBe(200);
  const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'the placeholder');
  expect(open!.args['trigger_id']).toBe(triggerId);
  expect(open!.outcome).toBe('ok');
  const held = [...slack.fake.views.values()].find((view) => view.updates === 0);
  expect(held).toBeDefined();
  expect(claim.released).toBe(false);
  return { claim, held: held!, handledBefore };
}

describe('a waiting view whose request will not run', () => {
  it('says in the placeholder that a request whose claim failed was not recorded, and runs nothing', async () => {
    const { claim, held, handledBefore } = await commandWithPlaceholder('trigger.claim.fails');
    claim.release(new Error('the store did not answer'));
    const [update] = await waitFor(() => slack.fake.callsOf('views.update').length > 0 && slack.fake.callsOf('views.update'), 'the placeholder filled in');
    expect(update!.outcome).toBe('ok');
    expect(update!.args['view_id']).toBe(held.id);
    expect(JSON.stringify((update!.args['view'] as View).blocks)).toContain('could not be recorded');
    expect(slack.handled.length).toBe(handledBefore);
  });

  it('says in the placeholder that a repeat is already being handled, and runs nothing', async () => {
    const { claim, held, handledBefore } = await commandWithPlaceholder('trigger.claim.taken');
    claim.release(false);
    const [update] = await waitFor(() => slack.fake.callsOf('views.update').length > 0 && slack.fake.callsOf('views.update'), 'the placeholder filled in');
    expect(update!.outcome).toBe('ok');
    expect(update!.args['view_id']).toBe(held.id);
    expect(JSON.stringify((update!.args['view'] as View).blocks)).toContain('already being handled');
    expect(slack.handled.length).toBe(handledBefore);
  });

  it('replaces "working" in a submitted modal with what happened when the submission is a repeat or its claim failed', async () => {
    for (const [outcome, says] of [[false, 'already being handled'], [new Error('the store did not answer'), 'could not be recorded']] as const) {
      slack.fake.reset();
      const opened = slack.command(SLACK_PEOPLE.alice, 'run', { triggerId: `trigger.run.${says.length}` });
      (await claims.next()).release(true);
      await opened;
      // The placeholder opens at once (placeholderAfterMs 0) and the form fills it.
      const shown = await waitFor(() => [...slack.fake.views.values()].find((view) => view.view['callback_id'] === 'run:form'), 'the run form');
      const form = shown.view as { callback_id?: string; blocks: { block_id?: string; element?: { action_id: string } }[] } & Record<string, unknown>;
      const updatesBefore = slack.fake.callsOf('views.update').length;
      const input = (field: string) => form.blocks.find((block) => block.block_id === `f|${field}`)!.element!.action_id;
      const handledBefore = slack.handled.length;
      const submitted = slack.submit(SLACK_PEOPLE.alice, form, {
        'f|script': { [input('script')]: { type: 'external_select', selected_option: { value: 'rotate_db_password' } } },
        'f|tag': { [input('tag')]: { type: 'plain_text_input', value: 'role=db' } },
        'f|batch-size': { [input('batch-size')]: { type: 'plain_text_input', value: '2' } },
      });
      const claim = await claims.next();
      const response = await submitted;
      // Acknowledged with "working" while the claim was still undecided.
      expect(claim.released).toBe(false);
      expect(response.json).toMatchObject({ response_action: 'update', view: { callback_id: 'coc|info' } });
      claim.release(outcome);
      const update = await waitFor(() => slack.fake.callsOf('views.update')[updatesBefore], 'the working view replaced');
      expect(update.outcome).toBe('ok');
      expect(update.args['view_id']).toBe(shown.id);
      expect(JSON.stringify((update.args['view'] as View).blocks)).toContain(says);
      expect(slack.handled.length).toBe(handledBefore);
    }
  });
});
