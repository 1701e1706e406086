/**
 * Every kind of Slack request is acknowledged whatever COC does: with COC hanging (every route),
 * a slash command, a click, a modal submission and a type-ahead each get their HTTP answer
 * before the bot has COC's answer (ordering asserted through what the dispatcher has answered,
 * never through timings; the times themselves are printed by `npm run bench`). A submission
 * whose answer may be another form keeps its modal, showing "working", and the answer fills it
 * in; type-ahead answers from what it knows with a note to keep typing; the "working on it"
 * notice never shows a secret value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeElementId } from '../src/adapters/slack/ids.js';
import { INCIDENT_ACTION_IDS } from '../src/incidents/workflow.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';

const SECRET = 'Hunter2_Never_Echoed';

type Element = { type: string; action_id: string };
type View = Record<string, unknown> & { callback_id?: string; blocks: { type: string; block_id?: string; element?: Element }[] };

function inputOf(view: View, field: string): Element {
  const element = view.blocks.find((block) => block.block_id === `f|${field}`)?.element;
  if (!element) throw new Error(`no input ${field}`);
  return element;
}

let slack: SlackTestBot;
let runForm: View;

beforeAll(async () => {
  slack = await makeSlackTestBot({ timings: { workingNoticeMs: 100 }, cocClient: { timeoutMs: 4_000, retry: { retries: 0 } } });
  // Before COC stops answering: the run form (it needs nothing from COC) and one type-ahead answer.
  await slack.command(SLACK_PEOPLE.alice, 'run', { triggerId: 'trigger.deadlines.form' });
  const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'the run form');
  runForm = open!.args['view'] as View;
  expect(runForm.callback_id).toBe('run:form');
  const first = await slack.suggest(SLACK_PEOPLE.alice, inputOf(runForm, 'script').action_id, 'ro', { view: runForm });
  expect((first.json as { options: { value: string }[] }).options.map((option) => option.value)).toContain('rotate_db_password');
  slack.bot.sim.faults.set('*', { kind: 'hang' });
});
afterAll(async () => {
  slack.bot.sim.faults.clear();
  await slack.close();
});

describe('with COC hanging, every Slack request is acknowledged before COC answers', () => {
  it('a burst of commands, each acknowledged before its answer; the working notice hides the secret value', async () => {
    const answered = slack.answered.length;
    const burst = await Promise.all(Array.from({ length: 20 }, () => slack.command(SLACK_PEOPLE.alice, 'scripts')));
    for (const { response } of burst) expect(response.status).toBe(200);
    const run = await slack.command(SLACK_PEOPLE.alice, `run rotate_db_password --hosts db-01 --param new_password=${SECRET}`);
    expect(run.response.status).toBe(200);
    expect(slack.answered.length).toBe(answered);

    const [notice] = await waitFor(() => slack.fake.responsesTo(run.responseId).length > 0 && slack.fake.responsesTo(run.responseId), 'the working notice');
    expect(notice!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    // Slack's mrkdwn escapes: it reads "new_password=<hidden>".
    expect(String(notice!.body['text'])).toContain('--param new_password=&lt;hidden&gt;');
    expect(JSON.stringify(slack.fake.responses)).not.toContain(SECRET);
    expect(slack.acks.filter((ack) => ack.kind === 'command').length).toBeGreaterThanOrEqual(21);
  });

  it('a click', async () => {
    const answered = slack.answered.length;
    const actionId = encodeElementId('b', 0, INCIDENT_ACTION_IDS.refresh)!;
    const { response } = await slack.click(SLACK_PEOPLE.alice, { actionId, value: 'IM202612060000000000000001' });
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    await waitFor(() => slack.handled.some((invocation) => invocation.kind === 'action' && invocation.actionId === INCIDENT_ACTION_IDS.refresh), 'the click reaching the dispatcher');
    expect(slack.answered.length).toBe(answered);
    expect(slack.acks.some((ack) => ack.kind === 'block_action')).toBe(true);
  });

  it('a type-ahead: answered from the last answer for a shorter text, with a note to keep typing', async () => {
    const response = await slack.suggest(SLACK_PEOPLE.alice, inputOf(runForm, 'script').action_id, 'rot', { view: runForm });
    expect(response.status).toBe(200);
    const groups = (response.json as { option_groups?: { label: { text: string }; options: { value: string }[] }[] }).option_groups;
    expect(groups).toHaveLength(1);
    expect(groups![0]!.label.text).toBe('Still searching: keep typing to narrow');
    expect(groups![0]!.options.map((option) => option.value)).toContain('rotate_db_password');
    // Narrowed to what still matches what is typed.
    for (const option of groups![0]!.options) expect(option.value.toLowerCase()).toContain('rot');
    expect(slack.suggested.at(-1)).toMatchObject({ sourceId: 'scripts', query: 'rot' });

    // Nothing known for this text: one line to keep typing, which is never a value.
    const unknown = await slack.suggest(SLACK_PEOPLE.alice, inputOf(runForm, 'script').action_id, 'zz', { view: runForm });
    expect(unknown.json).toEqual({ options: [{ text: { type: 'plain_text', text: 'Still searching… keep typing', emoji: true }, value: 'coc|keep-typing' }] });
    expect(slack.acks.filter((ack) => ack.kind === 'block_suggestion').length).toBeGreaterThanOrEqual(3);
  });

  it('a "keep typing" line picked by mistake is no value: the field counts as empty', async () => {
    const response = await slack.submit(SLACK_PEOPLE.alice, runForm, {
      'f|script': { [inputOf(runForm, 'script').action_id]: { type: 'external_select', selected_option: { value: 'coc|keep-typing' } } },
      'f|hosts': { [inputOf(runForm, 'hosts').action_id]: { type: 'multi_external_select', selected_options: [{ value: 'db-01' }, { value: 'coc|keep-typing' }] } },
      'f|batch-size': { [inputOf(runForm, 'batch-size').action_id]: { type: 'plain_text_input', value: '1' } },
    });
    expect(response.json).toMatchObject({ response_action: 'errors', errors: { 'f|script': expect.any(String) } });
    expect(slack.handled.at(-1)).toMatchObject({ kind: 'submission', values: { hosts: 'db-01' } });
    expect(slack.handled.at(-1)).not.toHaveProperty('values.script');
  });

  it('a form submission whose answer may be another form: the modal shows "working", then the answer fills it in', async () => {
    const answered = slack.answered.length;
    const state = {
      'f|script': { [inputOf(runForm, 'script').action_id]: { type: 'external_select', selected_option: { value: 'rotate_db_password' } } },
      'f|hosts': { [inputOf(runForm, 'hosts').action_id]: { type: 'multi_external_select', selected_options: [{ value: 'db-01' }] } },
      'f|batch-size': { [inputOf(runForm, 'batch-size').action_id]: { type: 'plain_text_input', value: '1' } },
    };
    const response = await slack.submit(SLACK_PEOPLE.alice, runForm, state);
    expect(response.status).toBe(200);
    const ack = response.json as { response_action: string; view: View & { title: { text: string } } };
    expect(ack.response_action).toBe('update');
    expect(ack.view.callback_id).toBe('coc|info');
    expect(JSON.stringify(ack.view.blocks)).toContain('Waiting for COC');
    expect(slack.answered.length).toBe(answered);
    expect(slack.acks.some((one) => one.kind === 'view_submission')).toBe(true);

    // COC's request times out: the view shows that, with no form to submit.
    const [update] = await waitFor(() => slack.fake.callsOf('views.update').length > 0 && slack.fake.callsOf('views.update'), 'the answer in the view');
    expect(update!.outcome).toBe('ok');
    expect(JSON.stringify(update!.args['view'])).toContain('COC did not answer in time');
    expect(slack.answered.length).toBeGreaterThan(answered);
  });
});
