/**
 * The file argument: what the parse step makes of it (a reference), the checks every surface
 * shares (a byte limit, UTF-8 text only), the form field it becomes, and the terminal's path
 * reader through the real dispatcher: the handler gets the text, the audit its name, size and
 * hash, and a file that cannot be taken is refused with what is wrong and what is allowed.
 */
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { parseArgs } from '../src/core/args.js';
import { arg, defineCommand, flagSpecsOf, formFields, fromForm, FileReference, textOfBytes, typedArgs, usageLine, helpFields, type FileText } from '../src/core/arguments/index.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { Registry } from '../src/core/registry.js';
import { pathFileReader } from '../src/adapters/shell/file-reader.js';
import { SHELL_PLACE, ShellSession } from '../src/adapters/shell/session.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import type { FormDefinition } from '../src/core/command.js';
import { SHELL_WORKSPACE } from '../src/identity/demo.js';
import { translator } from '../src/i18n/translate.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { FILE_PROBE_MAX, fileProbeCommand } from './helpers/file-probe.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const d = (en: string, zh: string) => ({ 'en-US': en, 'zh-CN': zh });
const MAX = FILE_PROBE_MAX;
const received: FileText[] = [];

const fileProbe = fileProbeCommand('./a.sh', received);
// The handler gets the file's text, name, size and hash, typed.
expectTypeOf<Parameters<typeof fileProbe.run>[1]['content']>().toEqualTypeOf<FileText>();

const en = translator('en-US');

/** A form asking the file: a modal takes its text, the terminal a path. */
const fileFormCommand = defineCommand({
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
    return { title: 'Give the script', form: { id: 'file-probe:form', title: 'Script', submitLabel: 'Save', fields: formFields(fileProbe, translator('en-US')) } };
  },
});

const fileForm: FormDefinition = {
  id: 'file-probe:form',
  family: 'scripts',
  permission: 'viewer',
  mutates: false,
  async run(_, values) {
    const read = fromForm(values, fileProbe, { t: translator('en-US') });
    if ('errors' in read) return { title: 'Not saved', tone: 'danger', fieldErrors: read.errors };
    received.push(read.args.content);
    return { title: `Read ${read.args.content.name}` };
  },
};
const zh = translator('zh-CN');

describe('the file kind', () => {
  it('parses a typed value into a reference the surface resolves', () => {
    const raw = parseArgs(['--content', ' ./deploy.sh '], flagSpecsOf(fileProbe.flags));
    const args = typedArgs(raw, fileProbe, { t: en, locale: 'en-US' });
    expect(args.content).toBeInstanceOf(FileReference);
    expect((args.content as unknown as FileReference).reference).toBe('./deploy.sh');
  });

  it('refuses a blank value, and a file declared as a positional', () => {
    const raw = parseArgs(['--content', ' '], flagSpecsOf(fileProbe.flags));
    expect(() => typedArgs(raw, fileProbe, { t: en, locale: 'en-US' })).toThrow(expect.objectContaining({ reply: expect.objectContaining({ text: '--content needs a file.' }) }));
    expect(() => defineCommand({
        words: ['file-positional'],
        discord: { name: 'file-positional' },
        family: 'scripts',
        permission: 'viewer',
        mutates: false,
        summary: d('A file as a positional', '位置参数文件'),
        examples: [],
        positionals: { content: arg.file({ maxBytes: MAX, description: d('Content', '内容') }) },
        flags: {},
        run: async () => ({}),
      })).toThrow('cannot be a file');
  });

  it('says what it takes in usage and help, in both languages', () => {
    expect(usageLine(fileProbe, 'en-US')).toBe('file-probe --content <file>');
    expect(helpFields(fileProbe, en)).toEqual([{ label: '--content', value: 'Script content (UTF-8 text, at most 0.1 KB)' }]);
    expect(helpFields(fileProbe, zh)[0]!.value).toContain('UTF-8 文本');
  });

  it('takes UTF-8 text within the limit, with its size and hash', () => {
    const data = new TextEncoder().encode('echo 你好\n');
    const read = textOfBytes('a.sh', data, { maxBytes: MAX });
    expect(read).toEqual({ text: 'echo 你好\n', name: 'a.sh', bytes: data.byteLength, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses too big, binary, invalid UTF-8 and empty content', () => {
    expect(textOfBytes('big', new Uint8Array(MAX + 1).fill(65), { maxBytes: MAX })).toEqual({ problem: { reason: 'too-large', file: 'big', bytes: MAX + 1 } });
    expect(textOfBytes('bin', Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]), { maxBytes: MAX })).toEqual({ problem: { reason: 'not-text', file: 'bin' } });
    expect(textOfBytes('latin1', Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), { maxBytes: MAX })).toEqual({ problem: { reason: 'not-text', file: 'latin1' } });
    expect(textOfBytes('blank', new TextEncoder().encode(' \n'), { maxBytes: MAX })).toEqual({ problem: { reason: 'empty', file: 'blank' } });
  });

  it('is a multi-line field in a form, read back as the text pasted in', () => {
    const [field] = formFields(fileProbe, en);
    expect(field).toMatchObject({ id: 'content', kind: 'multiline', required: true, maxLength: MAX, hint: 'Paste the text: UTF-8 text, at most 0.1 KB.' });
    const read = fromForm({ content: '#!/bin/sh\necho hi\n' }, fileProbe, { t: en });
    expect(read).toEqual({ args: { content: { text: '#!/bin/sh\necho hi\n', name: 'form:content', bytes: 18, sha256: expect.any(String) } } });
    const tooBig = fromForm({ content: 'x'.repeat(MAX + 1) }, fileProbe, { t: en });
    expect(tooBig).toEqual({ errors: { content: 'The text is larger than 0.1 KB (65 bytes; at most 64).\nAllowed: UTF-8 text, at most 0.1 KB.' } });
    expect(fromForm({ content: 'a\u0000b' }, fileProbe, { t: zh })).toEqual({ errors: { content: expect.stringContaining('不是文本文件') } });
  });
});

describe('a file path in the terminal', () => {
  let bot: TestBot;
  let dispatcher: Dispatcher;
  const dir = mkdtempSync(join(tmpdir(), 'file-arg-'));
  const actor = { platform: 'shell' as const, workspaceId: SHELL_WORKSPACE, userId: 'carol' };
  const unexpected: unknown[] = [];

  beforeAll(async () => {
    writeFileSync(join(dir, 'ok.sh'), 'echo ok\n');
    writeFileSync(join(dir, 'big.sh'), 'x'.repeat(MAX + 1));
    writeFileSync(join(dir, 'tool.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    writeFileSync(join(dir, 'secret.sh'), 'echo no\n');
    chmodSync(join(dir, 'secret.sh'), 0o000);
    mkdirSync(join(dir, 'folder'));
    bot = await makeTestBot();
    dispatcher = new Dispatcher(new Registry([fileProbe, fileFormCommand], [], { forms: [fileForm] }), bot.services, (error) => unexpected.push(error));
  });
  afterAll(() => bot.close());

  const run = (path: string) => dispatcher.handle({ kind: 'command', actor, place: SHELL_PLACE, text: `file-probe --content ${path}`, files: pathFileReader(dir) });

  it('hands the handler the text, and audits only its name, size and hash', async () => {
    const reply = await run('ok.sh');
    expect(reply).toMatchObject({ title: 'Read ok.sh', text: '8 bytes' });
    expect(received.at(-1)).toMatchObject({ text: 'echo ok\n', name: 'ok.sh', bytes: 8 });
    const [row] = (await listAuditEvents(bot.store.db, { limit: 5 })).filter((event) => event.command === 'file-probe');
    expect(row!.maskedParameters).toEqual({ content: { name: 'ok.sh', bytes: 8, sha256: received.at(-1)!.sha256 } });
    expect(JSON.stringify(row)).not.toContain('echo ok');
    expect(unexpected).toEqual([]);
  });

  it.each([
    ['nothing.sh', 'No such file: nothing.sh.'],
    ['folder', 'folder is not a file (a folder, a device or a link to one).'],
    ['/dev/null', '/dev/null is not a file (a folder, a device or a link to one).'],
    ['big.sh', 'big.sh is larger than 0.1 KB (65 bytes; at most 64).'],
    ['tool.bin', 'tool.bin is not a text file (only UTF-8 text is taken).'],
  ])('refuses %s with what is wrong and what is allowed', async (path, says) => {
    const before = received.length;
    const reply = await run(path);
    expect(reply).toMatchObject({ title: '--content: the file cannot be used', text: `${says}\nAllowed: UTF-8 text, at most 0.1 KB.`, tone: 'danger' });
    expect(received.length).toBe(before);
  });

  it('refuses the terminal transcript\'s fixtures: binary, and Latin-1 rather than UTF-8', async () => {
    const fixtures = pathFileReader(join(import.meta.dirname, 'fixtures', 'file-arguments'));
    for (const name of ['not-text.bin', 'latin1.sh']) {
      const fetched = await fixtures.read(name, { maxBytes: MAX });
      expect('problem' in fetched ? fetched : textOfBytes(fetched.name, fetched.data, { maxBytes: MAX })).toEqual({ problem: { reason: 'not-text', file: name } });
    }
  });

  it.skipIf(process.getuid?.() === 0)('refuses a file it may not read', async () => {
    const reply = await run('secret.sh');
    expect(reply.text).toContain('The bot may not read secret.sh: permission denied.');
  });

  it('refuses a file argument where the surface cannot read files', async () => {
    const reply = await dispatcher.handle({ kind: 'command', actor, place: SHELL_PLACE, text: 'file-probe --content ok.sh' });
    expect(reply).toMatchObject({ title: '--content: the file cannot be used', text: 'Files cannot be given here. Paste the text into the form instead.' });
  });

  it('asks a form\'s file field in the terminal as a path, and submits the file\'s text', async () => {
    const session = new ShellSession(dispatcher, PLAIN, 'carol');
    expect(await session.handleLine('file-form')).toContain('The path of a text file on this machine (at most 64 bytes).');
    const refused = await session.handleLine(join(dir, 'tool.bin'));
    expect(refused).toContain('tool.bin is not a text file (only UTF-8 text is taken). Allowed: UTF-8 text, at most 0.1 KB.');
    const before = received.length;
    expect(await session.handleLine(join(dir, 'ok.sh'))).toContain('Read form:content');
    expect(received.slice(before)).toEqual([expect.objectContaining({ text: 'echo ok\n', name: 'form:content', bytes: 8 })]);
  });
});
