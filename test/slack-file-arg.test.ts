/**
 * A file argument on Slack, over real signed HTTP against the fake Slack: a file shared in
 * Slack named by its id or its link is looked up with files.info and downloaded from Slack's
 * file host with the bot token; text pasted into a modal is taken as the file's text. Every
 * file that cannot be taken is refused in chat with what is wrong and what is allowed, and
 * nothing reaches the handler: too big (said by Slack, or found while downloading), binary,
 * not visible to the bot, shared by someone else elsewhere, external, a link to another host,
 * or Slack rate limiting files.info.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineCommand, formFields, fromForm, type FileText } from '../src/core/arguments/index.js';
import type { CommandDefinition, FormDefinition } from '../src/core/command.js';
import { translator } from '../src/i18n/translate.js';
import { downloadFile } from '../src/adapters/file-download.js';
import { FILE_PROBE_MAX, fileProbeCommand } from './helpers/file-probe.js';
import { makeSlackTestBot, SLACK_PEOPLE, waitFor, type SlackTestBot } from './helpers/slack-bot.js';
import { SAFETY_NET_MS } from './helpers/safety-net.js';

const d = (en: string, zh: string) => ({ 'en-US': en, 'zh-CN': zh });
const MAX = FILE_PROBE_MAX;
const en = translator('en-US');
const received: FileText[] = [];

const fileProbe = fileProbeCommand('F0123456', received);

const FORM_ID = 'file-probe:form';

const fileFormCommand: CommandDefinition = defineCommand({
  words: ['file-form'],
  discord: { name: 'file-form' },
  family: 'scripts',
  permission: 'viewer',
  mutates: false,
  summary: d('Opens a form for a file', '打开文件表单'),
  examples: ['file-form'],
  positionals: {},
  flags: {},
  async run() {
    return { title: 'Paste the script', form: { id: FORM_ID, title: 'Script', submitLabel: 'Save', fields: formFields(fileProbe, en) } };
  },
});

const fileForm: FormDefinition = {
  id: FORM_ID,
  family: 'scripts',
  permission: 'viewer',
  mutates: false,
  async run(_, values) {
    const read = fromForm(values, fileProbe, { t: en });
    if ('errors' in read) return { title: 'Not saved', tone: 'danger', fieldErrors: read.errors };
    received.push(read.args.content);
    return { title: `Read ${read.args.content.name}`, text: `${read.args.content.bytes} bytes` };
  },
};

let slack: SlackTestBot;
beforeAll(async () => {
  slack = await makeSlackTestBot({ timings: { placeholderAfterMs: SAFETY_NET_MS }, extra: { commands: [fileProbe, fileFormCommand], forms: [fileForm] } });
  const { fake } = slack;
  const alice = SLACK_PEOPLE.alice.userId;
  fake.addFile({ id: 'F0OK000001', name: 'deploy.sh', content: '#!/bin/sh\necho deployed\n', user: alice, channels: ['C0OPS'] });
  fake.addFile({ id: 'F0DM000001', name: 'mine.sh', content: 'echo mine\n', user: alice, ims: ['D0ELSE'] });
  fake.addFile({ id: 'F0BIG00001', name: 'big.sh', content: 'x'.repeat(MAX + 1), user: alice, channels: ['C0OPS'] });
  fake.addFile({ id: 'F0LIE00001', name: 'grown.sh', content: 'y'.repeat(MAX * 4), user: alice, channels: ['C0OPS'], reportedSize: 10 });
  fake.addFile({ id: 'F0BIN00001', name: 'tool', content: Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), user: alice, channels: ['C0OPS'], mimetype: 'application/octet-stream' });
  fake.addFile({ id: 'F0HID00001', name: 'hidden.sh', content: 'echo hidden\n', user: alice, hiddenFromBot: true });
  fake.addFile({ id: 'F0BOB00001', name: 'bobs.sh', content: 'echo bob\n', user: SLACK_PEOPLE.bob.userId, channels: ['C0OTHER'] });
  fake.addFile({ id: 'F0EXT00001', name: 'drive.sh', content: 'echo drive\n', user: alice, channels: ['C0OPS'], externalUrl: 'https://docs.example.com/d/drive.sh' });
});
afterAll(() => slack.close());
beforeEach(() => slack.fake.reset());

/** `/coc <line>` as alice in #ops, and the answer posted to its response_url, as one string. */
async function ask(line: string): Promise<string> {
  const { responseId } = await slack.command(SLACK_PEOPLE.alice, line);
  const [answer] = await waitFor(() => slack.fake.responsesTo(responseId).length > 0 && slack.fake.responsesTo(responseId), 'the answer');
  return JSON.stringify(answer!.body);
}

const ALLOWED = 'Allowed: UTF-8 text, at most 0.1 KB.';

describe('a file shared in Slack', () => {
  it('is read by its id: files.info, then url_private downloaded with the bot token', async () => {
    const before = received.length;
    const answer = await ask('file-probe --content F0OK000001');
    expect(answer).toContain('Read deploy.sh');
    expect(received.slice(before)).toEqual([{ text: '#!/bin/sh\necho deployed\n', name: 'deploy.sh', bytes: 24, sha256: expect.any(String) }]);
    expect(slack.fake.callsOf('files.info').map((call) => [call.args['file'], call.token])).toEqual([['F0OK000001', 'xoxb-test-token']]);
    expect(slack.fake.downloads).toEqual([{ fileId: 'F0OK000001', token: 'xoxb-test-token', status: 200 }]);
    expect(slack.logged.join('\n')).not.toContain('echo deployed');
  });

  it('is read by its link, and a file the person shared elsewhere is theirs to give', async () => {
    expect(await ask('file-probe --content <https://fake-team.slack.com/files/U0ALICE/F0OK000001/deploy.sh>')).toContain('Read deploy.sh');
    expect(await ask('file-probe --content F0DM000001')).toContain('Read mine.sh');
  });

  it.each([
    ['F0BIG00001', 'big.sh is larger than 0.1 KB (65 bytes; at most 64).', false],
    ['F0LIE00001', 'grown.sh is larger than 0.1 KB', true],
    ['F0BIN00001', 'tool is not a text file (only UTF-8 text is taken).', true],
    ['F0HID00001', 'The bot may not read F0HID00001: Slack does not show it to the bot', false],
    ['F0BOB00001', 'The bot may not read bobs.sh: it was neither shared by you nor shared in this conversation.', false],
    ['F0EXT00001', 'drive.sh is not stored on 127.0.0.1', false],
    ['https://evil.example.com/files/U0ALICE/F0OK000001/deploy.sh', 'is not stored on slack.com', false],
    ['deploy.sh', 'does not name a file here. Share the file in this conversation, then give its link (or its id, F…).', false],
  ])('refuses %s in chat, and the handler never runs', async (reference, says, downloaded) => {
    const before = received.length;
    const answer = await ask(`file-probe --content ${reference}`);
    expect(answer).toContain('--content: the file cannot be used');
    expect(answer).toContain(says);
    expect(answer).toContain(ALLOWED);
    expect(received.length).toBe(before);
    expect(slack.fake.downloads.length > 0).toBe(downloaded);
  });

  it('says to try again when Slack rate limits files.info (429), without retrying it', async () => {
    slack.fake.faults.set('files.info', { kind: 'rate-limit', retryAfterSeconds: 30, times: 1 });
    const answer = await ask('file-probe --content F0OK000001');
    expect(answer).toContain('F0OK000001 could not be fetched now (the chat platform asks to wait 30 s); try again in a moment.');
    expect(slack.fake.callsOf('files.info')).toHaveLength(1);
    expect(slack.fake.downloads).toEqual([]);
  });
});

describe('the fake Slack keeps Slack\'s rules for files', () => {
  it('wants a token for files.info, and redirects a download without one instead of serving it', async () => {
    const info = await fetch(`${slack.fake.apiUrl}files.info`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'file=F0OK000001' });
    expect(await info.json()).toEqual({ ok: false, error: 'not_authed' });
    const file = slack.fake.addFile({ id: 'F0NOAUTH01', name: 'n.sh', content: 'echo n\n', user: SLACK_PEOPLE.alice.userId, channels: ['C0OPS'] });
    const download = await downloadFile({ url: file.urlPrivateDownload, origins: [slack.fake.url], file: 'n.sh', maxBytes: MAX });
    expect(download).toEqual({ problem: { reason: 'unavailable', file: 'n.sh', why: expect.objectContaining({ vars: { status: 302 } }) } });
    expect(slack.fake.downloads).toEqual([{ fileId: 'F0NOAUTH01', token: undefined, status: 302 }]);
  });
});

describe('text pasted into a Slack modal', () => {
  async function openForm() {
    await slack.command(SLACK_PEOPLE.alice, 'file-form');
    const [open] = await waitFor(() => slack.fake.callsOf('views.open').length > 0 && slack.fake.callsOf('views.open'), 'views.open');
    const view = open!.args['view'] as { blocks: { block_id?: string; element?: { action_id: string; type: string; multiline?: boolean; max_length?: number } }[] };
    const block = view.blocks.find((b) => b.block_id === 'f|content')!;
    return { view: view as unknown as Record<string, unknown>, block };
  }

  it('is a multi-line input within Slack limits, and its text is what the handler gets', async () => {
    const { view, block } = await openForm();
    expect(block.element).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: MAX });
    const before = received.length;
    const response = await slack.submit(SLACK_PEOPLE.alice, view, { 'f|content': { [block.element!.action_id]: { type: 'plain_text_input', value: 'echo pasted\n' } } });
    expect(response.body).toBe('');
    await waitFor(() => received.length > before, 'the handler');
    expect(received.at(-1)).toMatchObject({ text: 'echo pasted\n', name: 'form:content', bytes: 12 });
  });

  it('keeps the modal open with what is wrong under the field', async () => {
    const { view, block } = await openForm();
    const response = await slack.submit(SLACK_PEOPLE.alice, view, { 'f|content': { [block.element!.action_id]: { type: 'plain_text_input', value: 'é'.repeat(40) } } });
    expect(response.json).toEqual({ response_action: 'errors', errors: { 'f|content': `The text is larger than 0.1 KB (80 bytes; at most 64). ${ALLOWED}` } });
  });
});
