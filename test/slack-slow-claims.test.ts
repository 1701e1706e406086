/**
 * A Slack command or click whose claim is slow enough for its placeholder view to open, and is
 * then refused (a repeat) or fails (the store did not answer): the placeholder must not stay on
 * "one moment" forever. Signed HTTP into the real adapter, a fake Slack, claims the test releases.
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

describe('a placeholder whose request will not run', () => {
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
});
