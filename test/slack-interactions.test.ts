/**
 * Forms, type-ahead and submissions through the Slack adapter over signed HTTP: a reply with
 * a form opens a modal with the command's trigger id; external selects are answered from the
 * dispatcher's suggestions (cached a few seconds, empty when too slow); a refused submission
 * shows its problems under the fields in the ack; a slow one closes the modal and says the
 * outcome afterwards.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { CommandDefinition, FormDefinition, SuggestionDefinition } from '../src/core/command.js';
import type { Form } from '../src/core/message.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const HOSTS = [...Array.from({ length: 30 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`), `web-${'x'.repeat(80)}`];
let searches = 0;

const hostSearch: SuggestionDefinition = {
  id: 'test-hosts',
  family: 'hosts',
  permission: 'viewer',
  async search(_, query) {
    searches += 1;
    return { options: HOSTS.filter((host) => host.includes(query)).map((host) => ({ label: host.toUpperCase(), value: host })), complete: true };
  },
};

const slowSearch: SuggestionDefinition = {
  id: 'test-slow',
  family: 'hosts',
  permission: 'viewer',
  async search() {
    await sleep(1_500);
    return { options: [{ label: 'late', value: 'late' }], complete: true };
  },
};

const FORM: Form = {
  id: 'test:form',
  title: 'Run on hosts',
  submitLabel: 'Run',
  context: 'script-1',
  fields: [
    { id: 'hosts', label: 'Hosts', kind: 'multiselect', required: true, searchId: 'test-hosts' },
    { id: 'batch', label: 'Batch size', kind: 'text', required: true, hint: '1-100' },
    { id: 'mode', label: 'Mode', kind: 'select', required: false, options: [{ label: 'Normal', value: 'normal' }, { label: 'Slow', value: 'slow' }] },
  ],
};

const formCommand: CommandDefinition = defineCommand({
  words: ['testform'],
  discord: { name: 'testform' },
  summary: { 'en-US': 'Opens a test form', 'zh-CN': '打开测试表单' },
  examples: [],
  positionals: { size: arg.string({ description: { 'en-US': '"big" for a form too big to carry', 'zh-CN': '"big"：过大的表单' }, max: 10 }) },
  flags: {},
  family: 'run',
  permission: 'operator',
  mutates: false,
  async run(_, args) {
    const big = args.size === 'big';
    return { title: 'Run a test', text: 'Choose hosts', form: big ? { ...FORM, context: 'x'.repeat(3_100) } : FORM };
  },
});

const testForm: FormDefinition = {
  id: 'test:form',
  family: 'run',
  permission: 'operator',
  mutates: true,
  async run(_, values, context) {
    if (values['mode'] === 'slow') await sleep(600);
    const batch = Number(values['batch']);
    if (!Number.isInteger(batch) || batch < 1 || batch > 100) {
      return { title: 'Not submitted', tone: 'danger', fieldErrors: { batch: `"${values['batch'] ?? ''}" is not a batch size: a whole number from 1 to 100`, ghost: 'an extra problem' } };
    }
    return { title: 'Submitted', text: `hosts ${values['hosts']} in batches of ${batch} for ${context}` };
  },
};

describe('Slack forms, type-ahead and submissions', () => {
  let slack: SlackTestBot;
  beforeAll(async () => {
    slack = await makeSlackTestBot({
      timings: { submissionAnswerMs: 300, optionsAnswerMs: 300, suggestionTtlMs: 60_000 },
      extra: { commands: [formCommand], forms: [testForm], suggestions: [hostSearch, slowSearch] },
    });
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.fake.reset();
  });

  type View = Record<string, unknown> & { blocks: { type: string; block_id?: string; element?: { action_id: string } }[] };

  let forms = 0;
  async function openForm(): Promise<View> {
    const triggerId = `trigger.form-${++forms}`;
    const { responseId } = await slack.command(SLACK_PEOPLE.alice, 'testform', { triggerId });
    const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'views.open');
    expect(open!.args['trigger_id']).toBe(triggerId);
    expect(slack.fake.responsesTo(responseId)).toEqual([]);
    return open!.args['view'] as View;
  }

  function actionIdOf(view: View, blockId: string): string {
    const block = view.blocks.find((b) => b.block_id === blockId);
    if (!block?.element) throw new Error(`no input ${blockId}`);
    return block.element.action_id;
  }

  function state(view: View, values: { hosts: string[]; batch: string; mode?: string }) {
    return {
      'f|hosts': { [actionIdOf(view, 'f|hosts')]: { type: 'multi_external_select', selected_options: values.hosts.map((value) => ({ value })) } },
      'f|batch': { [actionIdOf(view, 'f|batch')]: { type: 'plain_text_input', value: values.batch } },
      'f|mode': { [actionIdOf(view, 'f|mode')]: { type: 'static_select', selected_option: values.mode ? { value: values.mode } : null } },
    };
  }

  it('opens the form as a modal, with the reply above its fields', async () => {
    const view = await openForm();
    expect(view).toMatchObject({ type: 'modal', callback_id: 'test:form', title: { text: 'Run on hosts' }, submit: { text: 'Run' } });
    expect(JSON.stringify(view.blocks[0])).toContain('Choose hosts');
    expect(view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id)).toEqual(['f|hosts', 'f|batch', 'f|mode']);
  });

  it('answers type-ahead from the dispatcher, only choices Slack can carry, and asks again only after the cache expires', async () => {
    const view = await openForm();
    const actionId = actionIdOf(view, 'f|hosts');
    const before = searches;
    const first = await slack.suggest(SLACK_PEOPLE.alice, actionId, 'web-0', { view });
    expect(first.status).toBe(200);
    const options = (first.json as { options: { text: { text: string }; value: string }[] }).options;
    expect(options.map((option) => option.value)).toEqual(['web-01', 'web-02', 'web-03', 'web-04', 'web-05', 'web-06', 'web-07', 'web-08', 'web-09']);
    const again = await slack.suggest(SLACK_PEOPLE.alice, actionId, 'web-0', { view });
    expect(again.json).toEqual(first.json);
    expect(searches - before).toBe(1);
    // The place of a modal's type-ahead is where the form was opened.
    expect(slack.suggested.at(-1)).toMatchObject({ sourceId: 'test-hosts', query: 'web-0', place: { channelId: 'C0OPS' }, actor: { userId: 'U0ALICE' } });
    // A long value cannot be carried back by Slack: left out.
    const all = await slack.suggest(SLACK_PEOPLE.alice, actionId, 'web-', { view });
    expect((all.json as { options: unknown[] }).options).toHaveLength(30);
  });

  it('answers a slow type-ahead with nothing to pick but a note to keep typing, rather than late', async () => {
    const response = await slack.suggest(SLACK_PEOPLE.alice, 'coc|s|0|pick|test-slow', 'a');
    expect(response.json).toEqual({ options: [{ text: { type: 'plain_text', text: 'Still searching… keep typing', emoji: true }, value: 'coc|keep-typing' }] });
    expect(response.elapsedMs).toBeLessThan(3_000);
  });

  it('gives nobody options from a source they may not use, or an unknown one', async () => {
    const stranger = await slack.suggest(SLACK_PEOPLE.stranger, 'coc|s|0|pick|test-hosts', 'web');
    const unknown = await slack.suggest(SLACK_PEOPLE.alice, 'coc|s|0|pick|nope', 'web');
    expect(stranger.json).toEqual({ options: [] });
    expect(unknown.json).toEqual({ options: [] });
  });

  it('keeps the modal open with each problem under its field when the submission is refused', async () => {
    const view = await openForm();
    const response = await slack.submit(SLACK_PEOPLE.alice, view, state(view, { hosts: ['web-01'], batch: 'lots' }));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: { 'f|batch': '"lots" is not a batch size: a whole number from 1 to 100', 'f|hosts': 'ghost: an extra problem' },
    });
    expect(slack.handled.at(-1)).toMatchObject({ kind: 'submission', formId: 'test:form', values: { hosts: 'web-01', batch: 'lots' }, context: 'script-1' });
  });

  it('closes the modal on success and posts the answer where the form was opened', async () => {
    const view = await openForm();
    const response = await slack.submit(SLACK_PEOPLE.alice, view, state(view, { hosts: ['web-01', 'web-02'], batch: '5' }));
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    const [post] = await waitFor(() => slack.fake.callsOf('chat.postMessage').length > 0 && slack.fake.callsOf('chat.postMessage'), 'the answer');
    expect(post!.args).toMatchObject({ channel: 'C0OPS' });
    expect(String(post!.args['text'])).toContain('hosts web-01,web-02 in batches of 5 for script-1');
  });

  it('closes the modal when the answer is slow, then posts it; a slow refusal is told privately', async () => {
    const view = await openForm();
    const slow = await slack.submit(SLACK_PEOPLE.alice, view, state(view, { hosts: ['web-03'], batch: '2', mode: 'slow' }));
    expect(slow.body).toBe('');
    const [post] = await waitFor(() => slack.fake.callsOf('chat.postMessage').length > 0 && slack.fake.callsOf('chat.postMessage'), 'the slow answer');
    expect(String(post!.args['text'])).toContain('hosts web-03 in batches of 2');

    const refused = await slack.submit(SLACK_PEOPLE.alice, view, state(view, { hosts: ['web-03'], batch: '0', mode: 'slow' }));
    expect(refused.body).toBe('');
    const [note] = await waitFor(() => slack.fake.callsOf('chat.postEphemeral').length > 0 && slack.fake.callsOf('chat.postEphemeral'), 'the refusal');
    expect(note!.args).toMatchObject({ channel: 'C0OPS', user: 'U0ALICE' });
    expect(JSON.stringify(note!.args['blocks'])).toContain('Batch size');
    expect(JSON.stringify(note!.args['blocks'])).toContain('is not a batch size');
  });

  it('refuses a submission by someone who may not use the form, privately', async () => {
    const view = await openForm();
    const response = await slack.submit(SLACK_PEOPLE.carol, view, state(view, { hosts: ['web-01'], batch: '5' }));
    expect(response.body).toBe('');
    const [note] = await waitFor(() => slack.fake.callsOf('chat.postEphemeral').length > 0 && slack.fake.callsOf('chat.postEphemeral'), 'the refusal');
    expect(note!.args).toMatchObject({ user: 'U0CAROL' });
    expect(slack.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('says so when the form cannot open: too large for Slack, or the trigger expired', async () => {
    const big = await slack.command(SLACK_PEOPLE.alice, 'testform big');
    const [tooLarge] = await waitFor(() => slack.fake.responsesTo(big.responseId).length > 0 && slack.fake.responsesTo(big.responseId), 'the note');
    expect(JSON.stringify(tooLarge!.body)).toContain('could not be opened in Slack (it is larger than Slack allows)');
    expect(slack.fake.callsOf('views.open')).toEqual([]);

    slack.fake.faults.set('views.open', { kind: 'error', error: 'expired_trigger_id', times: 1 });
    const late = await slack.command(SLACK_PEOPLE.alice, 'testform');
    const [expired] = await waitFor(() => slack.fake.responsesTo(late.responseId).length > 0 && slack.fake.responsesTo(late.responseId), 'the note');
    expect(JSON.stringify(expired!.body)).toContain('Slack no longer allowed it to open');
    expect(JSON.stringify(expired!.body)).toContain('Choose hosts');
  });
});

describe('Slack while COC hangs', () => {
  let slack: SlackTestBot;
  beforeAll(async () => {
    slack = await makeSlackTestBot({
      timings: { submissionAnswerMs: 300, optionsAnswerMs: 300, workingNoticeMs: 60_000 },
      cocClient: { timeoutMs: 6_000, retry: { retries: 0 } },
      extra: { commands: [formCommand], forms: [testForm], suggestions: [hostSearch] },
    });
  });
  afterAll(async () => {
    await slack.close();
  });

  it('still answers type-ahead and form submissions in time while many commands wait on COC', async () => {
    // A form opened before COC stopped answering.
    await slack.command(SLACK_PEOPLE.alice, 'testform', { triggerId: 'trigger.hang-form' });
    const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'the form');
    const view = open!.args['view'] as { blocks: { block_id?: string; element?: { action_id: string } }[] } & Record<string, unknown>;
    const actionOf = (blockId: string) => view.blocks.find((block) => block.block_id === blockId)!.element!.action_id;

    slack.bot.sim.faults.set('*', { kind: 'hang' });
    const commands = await Promise.all(Array.from({ length: 12 }, () => slack.command(SLACK_PEOPLE.alice, 'scripts')));
    for (const { response } of commands) expect(response.status).toBe(200);
    await waitFor(() => slack.bot.sim.requests.length >= 12 || undefined, 'the commands waiting on COC');

    const options = await slack.suggest(SLACK_PEOPLE.alice, actionOf('f|hosts'), 'web-1', { view });
    expect(options.elapsedMs).toBeLessThan(3_000);
    expect((options.json as { options: unknown[] }).options.length).toBeGreaterThan(0);
    const refused = await slack.submit(SLACK_PEOPLE.alice, view, {
      'f|hosts': { [actionOf('f|hosts')]: { type: 'multi_external_select', selected_options: [{ value: 'web-01' }] } },
      'f|batch': { [actionOf('f|batch')]: { type: 'plain_text_input', value: 'lots' } },
    });
    expect(refused.elapsedMs).toBeLessThan(3_000);
    expect(refused.json).toMatchObject({ response_action: 'errors' });
  });
});
