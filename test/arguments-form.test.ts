/**
 * A command's arguments as a form: the fields each kind gives (with the declaration's defaults,
 * ranges read from the backend's limits, choices and labels in the reader's language), and a
 * submission read back by the same kinds as a typed line, every field's problem at once. Also
 * the run command's --param: audited whole, echoed with its name.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseArgs } from '../src/core/args.js';
import { arg, flagSpecsOf, formDefaults, formFields, fromForm, limitsOf, maskRulesOf, maskTypedArgs } from '../src/core/arguments/index.js';
import { HIDDEN_VALUE, maskCommandLine } from '../src/core/mask-line.js';
import { declaredCocBackend } from '../src/backends/coc/index.js';
import { translator } from '../src/i18n/translate.js';
import { runCommand } from '../commands/run.js';

const d = (en: string, zh: string) => ({ 'en-US': en, 'zh-CN': zh });
const EN = translator('en-US');
const ZH = translator('zh-CN');
const LIMITS = { runs: { maxHosts: 3, maxHostsPerBatch: 10, maxBatches: 50, timeoutSeconds: { min: 5, max: 1800, default: 300 }, successRate: { min: 1, max: 100, default: 100 } } };

const source = {
  positionals: { script: arg.string({ max: 20, required: true, suggest: 'scripts', description: d('Script name', '脚本名称'), label: d('Script', '脚本'), hint: d('Type part of it.', '输入一部分。') }) },
  flags: {
    hosts: arg.hosts({ max: (l) => l.runs!.maxHosts, suggest: 'hosts', description: d('Hosts', '主机') }),
    tag: arg.keyValue({ keyPattern: /^[^.=]{1,36}$/, valueMax: 5, description: d('Tag', '标签') }),
    size: arg.integer({ min: 1, max: (l) => l.runs!.maxHostsPerBatch, default: (l) => l.runs!.maxHostsPerBatch, description: d('Hosts per batch', '每批主机数') }),
    mode: arg.enum({ choices: [{ value: 'GO', typed: 'go', label: d('Go on', '继续') }, { value: 'STOP', typed: 'stop' }], default: 'GO', description: d('Mode', '模式') }),
    token: arg.secret({ max: 8, description: d('Token', '令牌') }),
    canary: arg.boolean({ description: d('Canary', '金丝雀'), hint: d('one host first', '先一台主机') }),
    quiet: arg.boolean({ description: d('Quiet', '安静') }),
    user: arg.string({ max: 8, default: 'root', pattern: { re: /^\S+$/, says: d('no spaces', '不含空格') }, description: d('User', '用户') }),
  },
  oneOf: [['hosts', 'tag']],
} as const;

describe('form fields from a declaration', () => {
  it('gives each kind its field, with defaults filled in and ranges read from the limits', () => {
    const fields = formFields(source, EN, { limits: LIMITS });
    expect(fields.map((field) => field.id)).toEqual(['script', 'hosts', 'tag', 'size', 'mode', 'token', 'canary', 'quiet', 'user']);
    const byId = Object.fromEntries(fields.map((field) => [field.id, field]));
    expect(byId['script']).toEqual({ id: 'script', label: 'Script', required: true, kind: 'select', searchId: 'scripts', hint: 'Type part of it.' });
    expect(byId['hosts']).toEqual({ id: 'hosts', label: 'Hosts', required: false, kind: 'multiselect', searchId: 'hosts' });
    expect(byId['tag']).toEqual({ id: 'tag', label: 'Tag', required: false, kind: 'text' });
    expect(byId['size']).toEqual({ id: 'size', label: 'Hosts per batch', required: false, kind: 'text', initial: '10', hint: 'a whole number from 1 to 10', maxLength: 4 });
    expect(byId['mode']).toEqual({
      id: 'mode',
      label: 'Mode',
      required: false,
      kind: 'select',
      initial: 'go',
      options: [
        { label: 'Go on', value: 'go' },
        { label: 'stop', value: 'stop' },
      ],
    });
    expect(byId['token']).toEqual({ id: 'token', label: 'Token', required: false, kind: 'text', secret: true, maxLength: 8 });
    expect(byId['canary']?.options).toEqual([
      { label: 'No', value: 'no' },
      { label: 'Yes: one host first', value: 'yes' },
    ]);
    expect(byId['quiet']).toMatchObject({ kind: 'select', initial: 'no', options: [{ label: 'No', value: 'no' }, { label: 'Yes', value: 'yes' }] });
    expect(byId['user']).toMatchObject({ kind: 'text', initial: 'root', maxLength: 8 });
  });

  it('asks only what it is told to, in the reader\'s language, and fills in given values instead of defaults', () => {
    const fields = formFields(source, ZH, { limits: LIMITS, only: ['size', 'canary'], initial: { size: '3' } });
    expect(fields).toEqual([
      { id: 'size', label: '每批主机数', required: false, kind: 'text', initial: '3', hint: '1 到 10 之间的整数', maxLength: 4 },
      { id: 'canary', label: '金丝雀', required: false, kind: 'select', initial: 'no', options: [{ label: '否', value: 'no' }, { label: '是：先一台主机', value: 'yes' }] },
    ]);
    expect(formDefaults(source, { limits: LIMITS })).toEqual({ size: '10', mode: 'go', canary: 'no', quiet: 'no', user: 'root' });
  });
});

describe('a submitted form read by the kinds', () => {
  const env = { t: EN, limits: LIMITS };

  it('gives the typed arguments, defaults for what was left empty', () => {
    const read = fromForm({ script: ' disk ', hosts: 'a, b, a', size: '3', mode: 'stop', canary: 'yes', token: ' s3 ' }, source, env);
    expect(read).toEqual({
      args: { script: 'disk', hosts: ['a', 'b'], tag: undefined, size: 3, mode: 'STOP', token: ' s3 ', canary: true, quiet: false, user: 'root' },
    });
    if ('args' in read) {
      expectTypeOf(read.args.size).toEqualTypeOf<number>();
      expectTypeOf(read.args.hosts).toEqualTypeOf<string[] | undefined>();
      expectTypeOf(read.args.canary).toEqualTypeOf<boolean>();
    }
  });

  it('says every field\'s problem at once, a range or a set of choices as its hint says it', () => {
    const read = fromForm({ script: '', hosts: 'a,b,c,d', size: '11', mode: 'sometimes', canary: 'maybe', user: 'a b', tag: 'role.x=web' }, source, env);
    expect(read).toEqual({
      errors: {
        script: 'needed',
        hosts: '--hosts names 4 hosts; at most 3 at once.',
        tag: '--tag: the key "role.x" is not allowed.',
        size: 'a whole number from 1 to 10',
        mode: 'one of: go, stop',
        canary: 'one of: no, yes',
        user: '--user "a b" is not allowed: no spaces.',
      },
    });
    expect(fromForm({ script: 'x', tag: 'role=toolong' }, source, env)).toEqual({ errors: { tag: '--tag: the value may be at most 5 characters, got 7.' } });
    expect(fromForm({ script: 'x', hosts: 'a', tag: 'role=web' }, source, env)).toEqual({
      errors: { hosts: 'Give only one of --hosts, --tag.', tag: 'Give only one of --hosts, --tag.' },
    });
  });

  it('reads only the fields the form asked; the others take their defaults', () => {
    const read = fromForm({ script: 'x', size: '99', user: 'admin' }, source, { ...env, only: ['script', 'user'] });
    expect(read).toMatchObject({ args: { script: 'x', size: 10, user: 'admin' } });
    expect(fromForm({ size: '2' }, source, { ...env, only: ['size'] })).toMatchObject({ args: { script: undefined, size: 2 } });
  });
});

describe("run's --param", () => {
  it('is audited whole, while an echoed line keeps its name', () => {
    const line = ['disk_usage', '--tag', 'role=web', '--param', 'db_user=app', '--param', 'new_password=S3cret'];
    const raw = parseArgs(line, flagSpecsOf(runCommand.flags));
    expect(maskTypedArgs(raw, runCommand)).toEqual({ args: ['disk_usage'], tag: 'role=web', param: ['***', '***'] });
    expect(maskCommandLine(`run ${line.join(' ')}`, maskRulesOf(runCommand))).toBe(`run disk_usage --tag role=web --param db_user=${HIDDEN_VALUE} --param new_password=${HIDDEN_VALUE}`);
  });

  it('reads its bounds and defaults from the backend\'s run limits', () => {
    const limits = limitsOf(declaredCocBackend());
    const read = fromForm({ script: 'disk_usage', hosts: 'web-01' }, runCommand, { t: EN, limits, only: ['script', 'hosts'] });
    expect(read).toMatchObject({ args: { 'batch-size': limits.runs!.maxHostsPerBatch, timeout: limits.runs!.timeoutSeconds.default, 'success-rate': 100, rotation: 'CONTINUE', user: 'root', param: [] } });
  });
});
