/**
 * Forms that open at once while COC is slow, as Bolt's documentation prescribes: a command or
 * button that may answer with a form (`mayOpenForm`) and has no answer shortly after arriving
 * opens a placeholder view with its trigger id (Slack honours it for 3 s), and the answer fills
 * it in with `views.update` (view id + hash) — the form, or the error. Over signed HTTP against
 * the real bot, the simulator holding a request until the test lets it go (or the test ending a
 * hanging one as timed out), and a fake Slack that expires trigger ids on its own clock (advanced
 * by the test, never slept).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeElementId } from '../src/adapters/slack/ids.js';
import { INCIDENT_ACTION_IDS, INCIDENT_FORM_IDS } from '../src/incidents/workflow.js';
import { GOOD_FLAGS } from './incident-helpers.js';
import { TRIGGER_LIFETIME_MS } from './helpers/fake-slack.js';
import { makeSlackTestBot, SLACK_PEOPLE, TEAM, waitFor, type SlackTestBot } from './helpers/slack-bot.js';

const GET_INCIDENT = 'GET /v1/external/incident/{incident_num}';
const ALICE = { platform: 'slack' as const, workspaceId: TEAM, userId: SLACK_PEOPLE.alice.userId };
const OPS = { channelId: 'C0OPS', isDirect: false };

let slack: SlackTestBot;
/** The fake Slack's clock runs ahead of real time by this much (trigger ids age without sleeping). */
let ahead = 0;
let incident: string;

beforeAll(async () => {
  slack = await makeSlackTestBot({ fakeClock: () => Date.now() + ahead, expireOnlyHangs: 'when-told', cocClient: { retry: { retries: 0 } } });
  const created = await slack.bot.handle({ kind: 'command', actor: ALICE, place: OPS, text: `incident create ${GOOD_FLAGS}` });
  incident = /IM\d+/.exec(created.title ?? '')?.[0] ?? '';
  expect(incident, created.text).not.toBe('');
  const accepted = await slack.bot.handle({ kind: 'command', actor: ALICE, place: OPS, text: `incident accept ${incident}` });
  expect(accepted.tone).not.toBe('danger');
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.fake.reset();
  slack.bot.sim.faults.clear();
});

type View = { callback_id?: string; blocks?: unknown[] } & Record<string, unknown>;

/** The placeholder opened with `triggerId`: its id and hash as the fake gave them back. */
async function placeholderOpened(triggerId: string): Promise<{ id: string; hash: string; view: View }> {
  const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'the placeholder');
  expect(open!.args['trigger_id']).toBe(triggerId);
  expect(open!.outcome).toBe('ok');
  const view = open!.args['view'] as View;
  expect(view.callback_id).toBe('coc|info');
  const held = [...slack.fake.views.values()].find((candidate) => candidate.view['callback_id'] === 'coc|info' && candidate.updates === 0);
  expect(held).toBeDefined();
  return { id: held!.id, hash: held!.hash, view };
}

/** COC answers the request the simulator holds (waiting for it to arrive, should it not have yet). */
async function releaseHeld(): Promise<void> {
  await waitFor(() => slack.bot.sim.releaseHeld() > 0, 'the held COC request');
}

describe('a form that may take COC a while opens at once', () => {
  it('/coc incident solve with COC slow: a placeholder opens with the trigger id, and views.update fills it with the form', async () => {
    slack.bot.sim.faults.set(GET_INCIDENT, { kind: 'held', times: 1 });
    const answeredBefore = slack.answered.length;
    const { response, responseId } = await slack.command(SLACK_PEOPLE.alice, `incident solve ${incident}`, { triggerId: 'trigger.solve.slow' });
    expect(response.status).toBe(200);
    // Acknowledged before COC answered.
    expect(slack.answered.length).toBe(answeredBefore);

    const placeholder = await placeholderOpened('trigger.solve.slow');
    expect(JSON.stringify(placeholder.view)).toContain('Asking COC');
    expect(slack.answered.length).toBe(answeredBefore);
    // The trigger id is spent, and it would have expired by the time COC answers: only views.update can show the form now.
    ahead += TRIGGER_LIFETIME_MS + 500;
    await releaseHeld();

    const [update] = await waitFor(() => slack.fake.callsOf('views.update').length > 0 && slack.fake.callsOf('views.update'), 'the form');
    expect(update!.outcome).toBe('ok');
    expect(update!.args).toMatchObject({ view_id: placeholder.id, hash: placeholder.hash });
    const form = update!.args['view'] as View;
    expect(form.callback_id).toBe(INCIDENT_FORM_IDS.solution);
    expect(JSON.stringify(form.blocks)).toContain(incident);
    expect(slack.fake.callsOf('views.open')).toHaveLength(1);
    // Nothing says the form could not open.
    expect(JSON.stringify(slack.fake.responsesTo(responseId))).not.toContain('could not be opened');
  });

  it('turns the placeholder into a view showing the error when COC never answers', async () => {
    slack.bot.sim.faults.set(GET_INCIDENT, { kind: 'hang', times: 1 });
    await slack.command(SLACK_PEOPLE.alice, `incident solve ${incident}`, { triggerId: 'trigger.solve.hang' });
    const placeholder = await placeholderOpened('trigger.solve.hang');
    ahead += TRIGGER_LIFETIME_MS + 500;
    // The bot's time limit runs out now.
    await waitFor(() => slack.bot.expireHung() > 0, 'the hanging COC request');
    const [update] = await waitFor(() => slack.fake.callsOf('views.update').length > 0 && slack.fake.callsOf('views.update'), 'the error view');
    expect(update!.outcome).toBe('ok');
    expect(update!.args).toMatchObject({ view_id: placeholder.id, hash: placeholder.hash });
    const shown = update!.args['view'] as View;
    expect(shown.callback_id).toBe('coc|info');
    expect(shown).not.toHaveProperty('submit');
    expect(JSON.stringify(shown.blocks)).toContain('COC did not answer in time');
    expect(JSON.stringify(shown.blocks)).not.toContain('Asking COC');
  });

  it('a button that opens a form works the same way (the incident card’s Solve)', async () => {
    slack.bot.sim.faults.set(GET_INCIDENT, { kind: 'held', times: 1 });
    const actionId = encodeElementId('b', 0, INCIDENT_ACTION_IDS.solve)!;
    const { response } = await slack.click(SLACK_PEOPLE.alice, { actionId, value: incident }, { triggerId: 'trigger.solve.click' });
    expect(response.status).toBe(200);
    const placeholder = await placeholderOpened('trigger.solve.click');
    ahead += TRIGGER_LIFETIME_MS + 500;
    await releaseHeld();
    const [update] = await waitFor(() => slack.fake.callsOf('views.update').length > 0 && slack.fake.callsOf('views.update'), 'the form');
    expect(update!.args).toMatchObject({ view_id: placeholder.id, hash: placeholder.hash });
    expect((update!.args['view'] as View).callback_id).toBe(INCIDENT_FORM_IDS.solution);
  });

  it('opens no placeholder for a command that never answers with a form, however slow COC is', async () => {
    slack.bot.sim.faults.set(GET_INCIDENT, { kind: 'slow', delayMs: 2_000, times: 1 });
    const answeredBefore = slack.answered.length;
    const { responseId } = await slack.command(SLACK_PEOPLE.alice, `incident show ${incident}`);
    await waitFor(() => slack.answered.length > answeredBefore, 'the answer');
    await waitFor(() => slack.fake.responsesTo(responseId).some((answer) => JSON.stringify(answer.body).includes(incident)), 'the card');
    expect(slack.fake.callsOf('views.open')).toEqual([]);
  });

  it('opens the form directly with the trigger id when COC answers at once', async () => {
    await slack.command(SLACK_PEOPLE.alice, `incident solve ${incident}`, { triggerId: 'trigger.solve.fast' });
    const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'the form');
    expect(open!.args['trigger_id']).toBe('trigger.solve.fast');
    // With a quick COC the form itself is what opens (or, on a slow machine, a placeholder it then fills).
    const opened = (open!.args['view'] as View).callback_id;
    if (opened === 'coc|info') await waitFor(() => slack.fake.callsOf('views.update').length > 0, 'the form');
    else expect(opened).toBe(INCIDENT_FORM_IDS.solution);
  });
});

describe('a submitted form whose answer is another form', () => {
  it('keeps the modal, showing "working", while COC is slow, then views.update turns it into the next form', async () => {
    await slack.command(SLACK_PEOPLE.alice, 'run', { triggerId: 'trigger.run.form' });
    const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'the run form');
    const form = open!.args['view'] as { callback_id?: string; blocks: { block_id?: string; element?: { action_id: string } }[] } & Record<string, unknown>;
    expect(form.callback_id).toBe('run:form');
    const input = (field: string) => form.blocks.find((block) => block.block_id === `f|${field}`)!.element!.action_id;
    // COC's first answer (the script) is held until the modal shows "working".
    slack.bot.sim.faults.set('*', { kind: 'held', times: 1 });
    const answeredBefore = slack.answered.length;
    const response = await slack.submit(SLACK_PEOPLE.alice, form, {
      'f|script': { [input('script')]: { type: 'external_select', selected_option: { value: 'rotate_db_password' } } },
      'f|tag': { [input('tag')]: { type: 'plain_text_input', value: 'role=db' } },
      'f|batch-size': { [input('batch-size')]: { type: 'plain_text_input', value: '2' } },
    });
    expect(response.json).toMatchObject({ response_action: 'update', view: { callback_id: 'coc|info' } });
    expect(JSON.stringify(response.json)).toContain('Waiting for COC');
    expect(slack.answered.length).toBe(answeredBefore);
    await releaseHeld();

    const [update] = await waitFor(() => slack.fake.callsOf('views.update').length > 0 && slack.fake.callsOf('views.update'), 'the parameters form');
    expect(update!.outcome).toBe('ok');
    const held = [...slack.fake.views.values()].find((view) => view.updates >= 2);
    expect(held).toBeDefined();
    expect(update!.args['view_id']).toBe(held!.id);
    expect((update!.args['view'] as View).callback_id).toBe('run:params');
  });
});

describe('the fake Slack keeps Slack’s rules', () => {
  it('refuses a trigger id used twice or more than 3 s after its request, a sixth response_url post, and a stale view hash', async () => {
    const api = async (method: string, args: Record<string, unknown>) => {
      const response = await fetch(`${slack.fake.apiUrl}${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-test' }, body: JSON.stringify(args) });
      return (await response.json()) as { ok: boolean; error?: string; view?: { id: string; hash: string } };
    };
    const view = { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] };
    slack.fake.issueTrigger('trigger.rules.1');
    const opened = await api('views.open', { trigger_id: 'trigger.rules.1', view });
    expect(opened.ok).toBe(true);
    expect(opened.view).toMatchObject({ id: expect.any(String), hash: expect.any(String) });
    expect(await api('views.open', { trigger_id: 'trigger.rules.1', view })).toMatchObject({ ok: false, error: 'exchanged_trigger_id' });
    slack.fake.issueTrigger('trigger.rules.2');
    ahead += TRIGGER_LIFETIME_MS + 1;
    expect(await api('views.open', { trigger_id: 'trigger.rules.2', view })).toMatchObject({ ok: false, error: 'expired_trigger_id' });

    const updated = await api('views.update', { view_id: opened.view!.id, hash: opened.view!.hash, view });
    expect(updated.ok).toBe(true);
    expect(await api('views.update', { view_id: opened.view!.id, hash: opened.view!.hash, view })).toMatchObject({ ok: false, error: 'hash_conflict' });
    expect(await api('views.update', { view_id: 'V_UNKNOWN', view })).toMatchObject({ ok: false, error: 'not_found' });

    const url = slack.fake.responseUrl('rules');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `post ${i}` }) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(slack.fake.refusedResponses).toMatchObject([{ id: 'rules', error: 'used_url' }]);
    const later = slack.fake.responseUrl('rules-late');
    expect((await fetch(later, { method: 'POST', body: '{}' })).status).toBe(200);
    ahead += 30 * 60_000 + 1;
    expect((await fetch(later, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
